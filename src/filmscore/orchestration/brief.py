"""What a cue's spotting notes ask of the orchestra: its instrumentation text read as data.

``read_brief(brief)`` turns "full orchestra, brass lead, tuba/bassoon oom-pah, xylophone for
gags; vocal (Sindbad) on top" into plain values: the scale (``full``: the tutti is
available; ``chamber``: few players; none: only what is named), and one ``Ask`` per named
instrument with its role (lead, bass, figure...), its techniques (muted, pizzicato,
tremolo...), its register ("shrieking": high) and the subject it is for ("the roc"),
found in the cue's sync points as spans of music.  The words are tables below (DESIGN
rule 7); a word the tables lack is ignored, and an instrument named but not in the
ensemble (a concertina) is reported, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from filmscore.spotting.cues import CueSpec
from filmscore.sync.tempomap import TICKS_PER_QUARTER, TempoMap

# --- vocabulary, as data --------------------------------------------------------------------

#: Instrument words (longest first when matched) -> instrument keys of the table.
INSTRUMENT_WORDS: dict[str, tuple[str, ...]] = {
    "low brass": ("trombone", "bass_trombone", "tuba"),
    "brass": ("trumpet_bb", "horn", "trombone", "bass_trombone", "tuba"),
    "woodwinds": ("flute", "oboe", "clarinet_bb", "bassoon"),
    "woodwind": ("flute", "oboe", "clarinet_bb", "bassoon"),
    "winds": ("flute", "oboe", "clarinet_bb", "bassoon"),
    "low strings": ("cello", "double_bass"), "high strings": ("violin",),
    "strings": ("violin", "viola", "cello", "double_bass"),
    "string": ("violin", "viola", "cello", "double_bass"),
    "violins": ("violin",), "violin": ("violin",), "violas": ("viola",), "viola": ("viola",),
    "cellos": ("cello",), "cello": ("cello",), "basses": ("double_bass",),
    "horns": ("horn",), "horn": ("horn",), "trumpets": ("trumpet_bb",),
    "trumpet": ("trumpet_bb",), "trombones": ("trombone", "bass_trombone"),
    "trombone": ("trombone", "bass_trombone"), "tuba": ("tuba",),
    "contrabassoon": ("contrabassoon",), "bassoons": ("bassoon",), "bassoon": ("bassoon",),
    "piccolo": ("piccolo",), "flutes": ("flute",), "flute": ("flute",), "oboes": ("oboe",),
    "oboe": ("oboe",), "clarinets": ("clarinet_bb",), "clarinet": ("clarinet_bb",),
    "bass clarinet": ("bass_clarinet",), "english horn": ("english_horn",),
    "xylophone": ("xylophone",), "glockenspiel": ("glockenspiel",), "bells": ("tubular_bells",),
    "vibraphone": ("vibraphone",), "marimba": ("marimba",), "celeste": ("celesta",),
    "celesta": ("celesta",), "piano": ("piano",), "harp": ("harp",), "timpani": ("timpani",),
    "snare": ("snare_drum",), "bass drum": ("bass_drum",), "cymbals": ("cymbals",),
    "cymbal": ("cymbals",),
}  # fmt: skip

#: Instruments a spotting note may name that no orchestral chair plays (reported).
OTHER_INSTRUMENTS: tuple[str, ...] = (
    "concertina", "accordion", "music box", "banjo", "organ", "harmonica", "ukulele",
    "theremin", "kazoo", "guitar",
)
#: Words for the singer: not a chair of the orchestra.
SINGER_WORDS: tuple[str, ...] = ("vocal", "vocals", "voice", "singer", "sung")

#: Role words -> role: what of the short score the named instruments play.
#:   lead: the melody; bass: the bass line; harmony: the chords; figure:*: a figure the
#:   orchestrator writes from the harmony (arpeggio for a glissando, scale runs, the
#:   harmony in the bass's rhythm for galloping); top: the singer on top of the orchestra.
ROLE_WORDS: dict[str, str] = {
    "lead": "lead", "leads": "lead", "fanfare": "lead", "solo": "lead", "tune": "lead",
    "oom-pah": "bass", "oompah": "bass", "ostinato": "bass", "pedal": "pedal",
    "glissandi": "figure:arpeggio", "glissando": "figure:arpeggio", "gliss": "figure:arpeggio",
    "arpeggios": "figure:arpeggio", "runs": "figure:runs", "run": "figure:runs",
    "galloping": "figure:gallop", "colour": "harmony", "color": "harmony",
    "chords": "harmony", "flutter": "harmony", "crash": "percussion", "on top": "top",
}  # fmt: skip

#: Technique words -> (articulation of every note, technique mark, register, slurred).
#: Flutter-tongue is written as the unmeasured tremolo (three slashes), as it is notated;
#: the marks model has no "flz." text.
TECHNIQUE_WORDS: dict[str, tuple[str, str, str, bool]] = {
    "muted": ("", "con sord.", "", False), "snarling": ("accent", "", "", False),
    "pizzicato": ("", "pizz.", "", False), "pizz": ("", "pizz.", "", False),
    "tremolo": ("tremolo", "", "", False), "flutter": ("tremolo", "", "", False),
    "shrieking": ("", "", "high", False), "screaming": ("", "", "high", False),
    "brilliant": ("", "", "high", False), "slithering": ("", "", "", True),
    "legato": ("", "", "", True),
}  # fmt: skip
#: Words that make the named instruments a featured line of their subject ("shrieking
#: clarinets for the roc": the clarinets play the roc's music); the other technique words
#: only change how the instruments play their usual part ("string tremolo").
FEATURED_WORDS: tuple[str, ...] = ("shrieking", "screaming", "brilliant", "slithering")

#: The scale of the ensemble a clause asks for.
SCALE_WORDS: dict[str, str] = {
    "full orchestra": "full", "tutti": "full", "large orchestra": "full",
    "chamber orchestra": "chamber", "chamber ensemble": "chamber", "small orchestra": "chamber",
    "reduced orchestra": "chamber", "string orchestra": "strings", "strings only": "strings",
}  # fmt: skip

#: A clause that thins the texture from a point on ("reduces to a string pedal under 1M11s").
REDUCTION = re.compile(r"\b(?:reduces|drops|thins|ducks)\s+(?:down\s+)?to\s+(.*)$")

#: Subjects that are no word of a sync point but a kind of moment: "gags" are the hard and
#: soft sync points that are not cuts, joins or lines of the song.
GENERIC_SUBJECTS: dict[str, tuple[str, ...]] = {
    "gags": ("cut", "join", "vocal", "verse", "refrain", "line", "button", "spoken"),
    "gag": ("cut", "join", "vocal", "verse", "refrain", "line", "button", "spoken"),
    "hits": (), "the hits": (),
}


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefPoint:
    """A sync point of the cue, placed in the music (quarters from bar 1)."""

    onset: Fraction
    kind: str
    weight: float
    description: str


@dataclass(frozen=True)
class CueBrief:
    """What the spotting session wrote for a cue: its instrumentation text, notes, mood, and
    its sync points placed in the music (``onset`` in quarters from bar 1)."""

    instrumentation: str = ""
    notes: str = ""
    mood: str = ""
    points: tuple[BriefPoint, ...] = ()


@dataclass(frozen=True)
class Ask:
    """One instrument the notes name, and what they ask of it."""

    instruments: tuple[str, ...]  # instrument keys (a family: several)
    words: str  # the words as written ("shrieking clarinets")
    role: str = ""  # a value of ROLE_WORDS, "" for the instrument's usual job
    articulation: str = ""
    technique: str = ""
    register: str = ""
    slurred: bool = False
    subject: str = ""  # "the roc", "gags", "" for the whole cue
    clause: str = ""
    featured: bool = False  # a featured line of its subject (see FEATURED_WORDS)


@dataclass(frozen=True)
class Reading:
    """The brief, read: scale, the asks, what could not be had, the singer, a reduction."""

    scale: str = ""  # "full", "chamber", "strings", "" (only what is named)
    asks: tuple[Ask, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()  # (instrument words, clause)
    singer: bool = False  # a vocal line sits on top of the orchestra
    reduction: tuple[tuple[str, ...], str, str] | None = None  # (instruments, subject, clause)
    points: tuple[BriefPoint, ...] = field(default_factory=tuple)

    @property
    def given(self) -> bool:
        return bool(self.scale or self.asks or self.missing or self.singer)

    def named(self) -> set[str]:
        """Every instrument key the notes name."""
        return {key for ask in self.asks for key in ask.instruments}


# --- reading ------------------------------------------------------------------------------------


def _clauses(text: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", text.lower())
    return [" ".join(c.split()) for c in re.split(r"[,;]", text) if c.strip()]


def _find(words: list[str], text: str) -> list[tuple[int, str]]:
    """(position, word) of each table word in ``text``, longest first, no overlaps."""
    found: list[tuple[int, int, str]] = []
    for word in sorted(words, key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            a, b = match.span()
            if all(b <= s or a >= e for s, e, _ in found):
                found.append((a, b, word))
    return [(a, w) for a, _, w in sorted(found)]


def _item(text: str, subject: str, clause: str) -> tuple[Ask | None, str | None, str]:
    """(ask, missing instrument, role) of one item of a clause."""
    role = next((ROLE_WORDS[w] for _, w in _find(list(ROLE_WORDS), text)), "")
    art = tech = reg = ""
    slurred = False
    for _, word in _find(list(TECHNIQUE_WORDS), text):
        a, t, r, s = TECHNIQUE_WORDS[word]
        art, tech, reg, slurred = art or a, tech or t, reg or r, slurred or s
    inst = _find(list(INSTRUMENT_WORDS), text)
    if not inst:
        other = _find(list(OTHER_INSTRUMENTS), text)
        return None, (other[0][1] if other else None), role
    word = inst[0][1]
    featured = bool(_find(list(FEATURED_WORDS), text))
    return Ask(INSTRUMENT_WORDS[word], " ".join(text.split()), role, art, tech, reg, slurred,
               subject, clause, featured), None, role


def read_brief(brief: CueBrief | None) -> Reading:
    """The instrumentation text of ``brief`` read into asks (see the module docstring)."""
    if brief is None or not brief.instrumentation.strip():
        return Reading(points=brief.points if brief else ())
    scale, asks, missing, singer, reduction = "", [], [], False, None
    for clause in _clauses(brief.instrumentation):
        for word, value in SCALE_WORDS.items():
            if word in clause:
                scale = scale or value
                clause = clause.replace(word, " ").strip()
        if not clause:
            continue
        reduced = REDUCTION.search(clause)
        if reduced:
            rest = reduced.group(1)
            subject = ""
            under = re.search(r"\b(?:under|for|at)\s+(?:the\s+)?(.+)$", rest)
            if under:
                subject, rest = under.group(1), rest[:under.start()]
            keys = tuple(k for _, w in _find(list(INSTRUMENT_WORDS), rest)
                         for k in INSTRUMENT_WORDS[w])
            reduction = (keys, subject, clause)
            continue
        if any(w in clause.split() for w in SINGER_WORDS):
            singer = True
        subject = ""
        match = re.search(r"\b(?:for|on)\s+(?!top\b)(?:the\s+)?(.+)$", clause)
        if match:
            subject, clause = match.group(1).strip(), clause[:match.start()].strip()
        items: list[tuple[Ask | None, str]] = []
        for part in re.split(r"\s+and\s+|/|\s+with\s+", clause):
            options = re.split(r"\s+or\s+", part)
            for option in options:  # "music box or celeste": the first the orchestra has
                ask, other, role = _item(option, subject, clause)
                if ask is not None:
                    items.append((ask, role))
                    break
                if other is not None and len(options) == 1:
                    missing.append((other, clause))
                if role == "top":
                    singer = True
        last_role = next((r for a, r in reversed(items) if r), "")
        for ask, role in items:
            assert ask is not None
            bare = not (role or ask.articulation or ask.technique or ask.register
                        or ask.slurred)
            if bare and last_role and last_role != "top":
                ask = Ask(ask.instruments, ask.words, last_role, subject=ask.subject,
                          clause=ask.clause)
            asks.append(ask)
    return Reading(scale, tuple(asks), tuple(missing), singer, reduction, brief.points)


def frame_quarters(tmap: TempoMap, frame: int) -> Fraction:
    """Where a frame falls in the music: quarters from bar 1 beat 1 (ticks exact)."""
    position = tmap.position_at(tmap.seconds_of_frame(frame))
    quarters = Fraction(position.tick, TICKS_PER_QUARTER)
    at, bar, meter = Fraction(0), 1, tmap.segments[0].meter
    if position.bar < 1:
        length = meter.numerator * meter.beat_quarters
        return (position.bar - 1) * length + (position.beat - 1) * meter.beat_quarters \
            + quarters
    for seg in tmap.segments:
        meter = seg.meter
        if position.bar < bar + seg.bars:
            break
        at += seg.bars * seg.meter.numerator * seg.meter.beat_quarters
        bar += seg.bars
    return at + (position.bar - bar) * meter.numerator * meter.beat_quarters \
        + (position.beat - 1) * meter.beat_quarters + quarters


def cue_brief(cue: CueSpec, tmap: TempoMap | None) -> CueBrief:
    """The brief of a spotted cue: its texts, and its sync points placed on its tempo map
    (without a map, the points are left out: no subject can be found in the music)."""
    points = () if tmap is None else tuple(
        BriefPoint(frame_quarters(tmap, s.frame), s.kind, float(s.weight), s.description)
        for s in cue.sync_points)
    return CueBrief(cue.instrumentation, cue.notes, cue.mood, points)


# --- subjects as spans of music --------------------------------------------------------------


def _stem(word: str) -> str:
    word = word.lower()
    for end in ("ies", "es", "s"):
        if word.endswith(end) and len(word) > len(end) + 2:
            return word[: -len(end)] + ("y" if end == "ies" else "")
    return word


def _mentions(description: str, subject: str) -> bool:
    """True when the description names the subject's head word (any number: "lion" for
    "the lions"; "rocks" is not "roc")."""
    head = _stem(subject.split()[-1]) if subject.split() else ""
    words = (re.sub(r"'s$", "", w) for w in re.findall(r"[\w']+", description.lower()))
    return bool(head) and any(_stem(w) == head for w in words)


def _section_start(point: BriefPoint) -> bool:
    return point.kind in ("downbeat", "end") or (point.kind == "hard" and point.weight >= 2)


Span = tuple[Fraction, Fraction | None]


def subject_spans(points: tuple[BriefPoint, ...], subject: str, bar: Fraction
                  ) -> tuple[tuple[Span, ...], str]:
    """Where ``subject`` is on screen: (spans, how they were found).

    A span starts at a sync point that mentions the subject and runs to the next section
    start (a downbeat, a weight-2 hard hit, the end) that does not; a generic subject
    ("gags") is one bar from each such moment.  No mention: the whole cue (said so)."""
    text = subject.lower().strip()
    if not text:
        return ((Fraction(0), None),), ""
    ordered = sorted(points, key=lambda p: p.onset)
    if text in GENERIC_SUBJECTS:
        skip = GENERIC_SUBJECTS[text]
        moments = [p for p in ordered if p.kind in ("hard", "soft") and not any(
            p.description.lower().startswith(w) or f"{w}:" in p.description.lower()
            for w in skip)]
        spans = tuple((p.onset, p.onset + bar) for p in moments)
        return spans, (f"{len(spans)} moments ({', '.join(_short(p) for p in moments)})"
                       if spans else "no such moment")
    spans: list[Span] = []
    start = None
    for point in ordered:
        hit = _mentions(point.description, text)
        if hit and start is None:
            start = point.onset
        elif start is not None and not hit and _section_start(point):
            spans.append((start, point.onset))
            start = None
    if start is not None:
        spans.append((start, None))
    if not spans:
        return ((Fraction(0), None),), f"no sync point mentions '{subject}': the whole cue"
    return tuple(spans), f"from the sync points that mention '{subject}'"


def _short(point: BriefPoint) -> str:
    text = point.description.split(":")[-1].strip().strip("'\"")
    return text if len(text) <= 24 else text[:23] + "\u2026"


def in_spans(onset: Fraction, spans: tuple[Span, ...] | None) -> bool:
    if spans is None:
        return True
    return any(a <= onset and (b is None or onset < b) for a, b in spans)
