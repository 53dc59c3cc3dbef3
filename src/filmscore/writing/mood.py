"""What a cue's spotting notes say about loudness: the mood's levels and the dialogue.

Vocabulary as data: ``MOOD_LEVELS`` gives the dynamic a mood word asks for ("quiet",
"tender", "creepy" soft; "brash", "violent", "triumphant" loud); a mood in phases
("lumbering, then eerily tender") is split on ``PHASE_WORDS``, and a phase "building to"
the next one, or "escalating", rises.  A sync point is dialogue when its description is a
line or a vocal ("Vocal:", "Line:", "Refrain:", "Popeye: '...'", any quoted speech); a
subtitle is speech unless it describes a sound ("[squawk]").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.writing.music import DYNAMICS

#: The dynamics a sketch uses, soft to loud (indexes are "levels").
LEVELS: tuple[str, ...] = ("pp", "p", "mp", "mf", "f", "ff")
PP, P, MP, MF, F, FF = range(6)
#: Mood words and the dynamic each asks for.
MOOD_LEVELS: dict[str, str] = {
    # soft
    "quiet": "p", "tender": "p", "creepy": "p", "gentle": "p", "lullaby": "p",
    "sad": "p", "mysterious": "p", "sneaky": "p", "wistful": "p", "lonely": "p",
    "calm": "p", "intimate": "p", "hushed": "pp", "eerie": "pp", "eerily": "pp",
    "delicate": "pp", "still": "pp", "ominous": "mp", "wry": "mp", "deflated": "mp",
    "curious": "mp", "smug": "mp", "melancholy": "mp", "nostalgic": "mp",
    # middle
    "bouncy": "mf", "grotesque": "mf", "lumbering": "mf", "scrappy": "mf",
    "playful": "mf", "jaunty": "mf", "busy": "mf",
    # loud
    "brash": "f", "menacing": "f", "swaggering": "f", "boastful": "f", "heroic": "f",
    "soaring": "f", "panicky": "f", "frantic": "f", "terror": "f", "threatening": "f",
    "heavy": "f", "grand": "f", "exciting": "f", "urgent": "f", "majestic": "f",
    "violent": "ff", "triumphant": "ff", "brutal": "ff", "furious": "ff", "epic": "ff",
}
#: Words that split a mood into phases; those marked True make the phase before them
#: build up to the next one.
PHASE_WORDS: tuple[tuple[str, bool], ...] = (
    (r"\bbuild(?:ing|s)? (?:up )?to\b", True), (r"\b(?:rising|rises|growing|grows|"
                                                r"escalating|escalates|swelling) to\b", True),
    (r"\bthen\b", False), (r"\blater\b", False), (r"\bturning\b", False),
)
#: Words that make their phase build up a step by its end.
BUILD_WORDS: tuple[str, ...] = ("escalating", "building", "mounting", "swelling")
DEFAULT_LEVEL = MF

#: A sync point's description that is a line or a vocal: a label before a colon...
_DIALOGUE_LABEL = re.compile(
    r"^\s*(?:final\s+)?(?:vocals?|lines?|refrain|verse(?:\s+\d+)?|chorus|lyrics?|"
    r"spoken(?:\s+aside)?|dialogue|sings?|says?|voice(?:\s+over)?|v\.?o\.?)\s*:", re.I)
#: ...or quoted speech (an apostrophe inside a word does not close the quote).
_QUOTED = re.compile(r"(?:^|(?<=[\s(:\[]))['\"\u2018\u201c]((?:[^'\"\u2019\u201d]|'(?=\w))+?)"
                     r"['\"\u2019\u201d](?=$|[\s).,:;!?\]])")
#: A subtitle that describes a sound rather than speech: "[squawk]", "(laughs)".
_NOT_SPEECH = re.compile(r"^\s*[\[(][^\])]*[\])]\s*$")
WORDS_PER_SECOND = Fraction(5, 2)  # a line's length when only its text is known
LINE_SECONDS = (Fraction(3, 2), Fraction(6))  # shortest and longest such line


# --- the mood ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """A phase of the mood: its words, its level, and whether it builds to the next."""

    words: str
    level: int
    builds: bool = False


def words_level(text: str) -> int | None:
    """The level a few mood words ask for: the mean of their levels, halves rounding up."""
    found = [LEVELS.index(MOOD_LEVELS[w]) for w in re.findall(r"[a-z]+", text.lower())
             if w in MOOD_LEVELS]
    if not found:
        return None
    return math.floor(Fraction(sum(found), len(found)) + Fraction(1, 2))


def mood_phases(mood: str, base: str = "") -> list[Phase]:
    """The mood's phases in order ("soaring, building to violent": mf building to ff).
    ``base`` (a dynamic) sets the first phase's level instead of its words."""
    text = " ".join(mood.lower().split())
    pattern = "|".join(f"({p})" for p, _ in PHASE_WORDS)
    pieces, builds = [], []
    cursor = 0
    for match in re.finditer(pattern, text):
        pieces.append(text[cursor:match.start()])
        builds.append(PHASE_WORDS[match.lastindex - 1][1])
        cursor = match.end()
    pieces.append(text[cursor:])
    builds.append(False)
    phases: list[Phase] = []
    for words, up in zip(pieces, builds, strict=True):
        if not words.strip(" ,;") and phases:
            continue
        level = words_level(words)
        if level is None:
            level = phases[-1].level if phases else DEFAULT_LEVEL
        up = up or any(re.search(rf"\b{w}\b(?! to)", words) for w in BUILD_WORDS)
        phases.append(Phase(words.strip(" ,;"), level, up))
    if base:
        phases[0] = replace(phases[0], level=LEVELS.index(base) if base in LEVELS
                            else _nearest_level(base))
    return phases


def _nearest_level(dynamic: str) -> int:
    velocity = DYNAMICS[dynamic]
    return min(range(len(LEVELS)), key=lambda i: abs(DYNAMICS[LEVELS[i]] - velocity))


# --- dialogue ------------------------------------------------------------------------------


def is_dialogue(description: str) -> bool:
    """A sync point's description that is a line or a vocal."""
    return bool(_DIALOGUE_LABEL.search(description) or _QUOTED.search(description))


def is_speech(subtitle: str) -> bool:
    """A subtitle that is speech or song, not a described sound ("[squawk]")."""
    return bool(subtitle.strip()) and not _NOT_SPEECH.match(subtitle)


def line_frames(text: str, fps: Fraction) -> int:
    """How long a line of ``text`` takes to say, in frames (by its words)."""
    quoted = _QUOTED.search(text)
    words = len(re.findall(r"\w+", quoted[1] if quoted else _DIALOGUE_LABEL.sub("", text)))
    seconds = min(max(Fraction(words) / WORDS_PER_SECOND, LINE_SECONDS[0]), LINE_SECONDS[1])
    return math.ceil(seconds * fps)


def dialogue_spans(sync_points: Sequence, markers: Sequence[tuple[int, int | None, str]],
                   fps: Fraction) -> list[tuple[int, int]]:
    """[start, end) frames of dialogue: each sync point that is a line or a vocal (for as
    long as its words take), and each speech marker (``(frame, end frame, text)``)."""
    spans = [(s.frame, s.frame + line_frames(s.description, fps))
             for s in sync_points if is_dialogue(s.description)]
    spans += [(frame, end if end is not None and end > frame
               else frame + line_frames(text, fps))
              for frame, end, text in markers if is_speech(text)]
    return sorted(spans)
