"""How a copyist writes a part's dynamics: one level at a time, each where a player needs it.

``write_dynamics(notes, levels, hairpins, beat)`` is pure.  ``levels`` says, for each
onset of the part's notes, the dynamic the part plays there (a caller whose part plays
several lines at once says whose level counts: the line it plays there).  The rules, as a
copyist applies them (Gould, *Behind Bars*, "Dynamics"; the vocabulary is the data below):

1. **One dynamic at an onset**, the part's level there; a dynamic sits under a note.
2. **No dynamic repeats the level in force.**  An attack dynamic (sfz, sf, fz, ...)
   leaves the level alone; sfp and fp leave it at p (``ATTACK_LEAVES``); a hairpin leaves
   it open, so the dynamic at its end is always written; nothing is written inside one.
3. **A stab continued by its own chord.**  A loud stab followed within a beat by a softer
   level on the same notes held on (the hit's chord and the chord that sustains it) is one
   note, held from the stab: marked ``sfp`` (``fp`` when the stab carries no accent) when
   it goes on at mp or softer (``FP_BODY``; the body's level, if not p, is written at the
   part's next note a beat or more later), else marked at the level it goes on at, the
   hit in its accent (a marcato stays; an unaccented stab gets an accent); but a stab a
   crescendo leads to keeps its own level when the level it goes on at is no louder than
   where the crescendo began ("mf < mf" says nothing), that level then written at the
   part's next note a beat or more later.  Only on an instrument that sustains: a harp's,
   a piano's or a drum's chord struck again is a new stroke.
4. **A short stab.**  A loud stab shorter than a beat on a hit (accented) followed within
   a beat by a softer
   level is marked ``sfz``; the softer level is written at the part's next note a beat
   or more after the stab (left out when that is the level the sfz leaves, or when no
   note comes before the next dynamic; when then no level would be in force at all, the
   stab keeps its own level instead of the sfz).
5. **Two dynamics closer than a beat** (``CLOSEST_BEATS``): the musically important one
   stays (a hit's, on an accented note or an attack dynamic; else the part's first; else
   a hairpin's goal or start; else the later, which holds); the other moves on to the
   next note a beat or more after the one kept, when it still says something there, or
   is left out.

What the rules changed comes back as (onset, text) for the orchestrator's decisions, and
the onsets whose notes became part of a held stab (``merged``: continuation -> stab) so
that marks placed on them can follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.writing.music import DYNAMICS, Mark, Note

LADDER: tuple[str, ...] = ("pppp", "ppp", "pp", "p", "mp", "mf", "f", "ff", "fff", "ffff")
"""Levels, soft to loud."""
ATTACKS: frozenset[str] = frozenset({"sf", "sfz", "sffz", "fz", "rf", "rfz", "sfp", "fp"})
"""Dynamics of one note's attack."""
ATTACK_LEAVES: dict[str, str] = {"sfp": "p", "fp": "p"}
"""The level an attack leaves in force; the other attacks leave the level alone."""
HELD_ATTACK: dict[bool, str] = {True: "sfp", False: "fp"}
"""A held chord whose attack is the hit: accented or not."""
SHORT_ATTACK = "sfz"
"""A short stab louder than what follows it."""
FP_BODY = "mp"
"""sfp/fp when the held chord goes on at this level or softer; louder, its own level."""
ACCENTED: frozenset[str] = frozenset({"accent", "strong-accent", "stress"})
"""Articulations that make a note a hit."""
STAB_ONLY: frozenset[str] = frozenset({"staccato", "staccatissimo", "spiccato"})
"""A stab's articulations a held note does not keep."""
CLOSEST_BEATS = 1
"""Two dynamics of one part stand at least this many beats apart."""


@dataclass(frozen=True)
class Written:
    """A part's notes and dynamics as written, what changed, and the merged onsets."""

    notes: tuple[Note, ...]
    dynamics: tuple[Mark, ...]
    changes: tuple[tuple[Fraction, str], ...]
    merged: Mapping[Fraction, Fraction]


def loudness(value: str) -> int:
    """How loud a dynamic is (its velocity), to compare levels and attacks."""
    return DYNAMICS[value]


def level_in_force(marks: Sequence[Mark], t: Fraction) -> str | None:
    """The dynamic a part plays a note at onset ``t`` at, from its marks: an attack
    dynamic only on its own onset; after sfp or fp, p; else the last level before."""
    found = None
    for mark in sorted((m for m in marks if m.kind == "dynamic"), key=lambda m: m.onset):
        if mark.onset > t:
            break
        if mark.value in ATTACKS:
            found = mark.value if mark.onset == t else ATTACK_LEAVES.get(mark.value, found)
        else:
            found = mark.value
    return found


class _Part:
    """The notes and hairpins the rules read, and the dynamics written so far."""

    def __init__(self, notes: Sequence[Note], hairpins: Sequence[Mark], beat: Fraction,
                 sustains: bool):
        self.sustains = sustains
        self.notes = sorted(notes)
        self.hairpins = [(h.onset, h.end) for h in hairpins if h.end is not None]
        self.rising = {h.end: h.onset for h in hairpins
                       if h.kind == "crescendo" and h.end is not None}
        self.beat = beat
        self.changes: list[tuple[Fraction, str]] = []
        self.merged: dict[Fraction, Fraction] = {}

    @property
    def onsets(self) -> list[Fraction]:
        return sorted({n.onset for n in self.notes})

    def at(self, t: Fraction) -> list[Note]:
        return [n for n in self.notes if n.onset == t]

    def inside_hairpin(self, t: Fraction) -> bool:
        return any(start < t < end for start, end in self.hairpins)

    def moved_between(self, a: Fraction | None, b: Fraction) -> bool:
        """A hairpin ran from ``a`` (or later) to ``b``: the level is open."""
        return any((a is None or start >= a) and end <= b for start, end in self.hairpins)

    def hit(self, t: Fraction, value: str) -> bool:
        return value in ATTACKS or any(ACCENTED & set(n.articulations) for n in self.at(t))

    def goal(self, t: Fraction) -> bool:
        return any(t in (start, end) for start, end in self.hairpins)

    def next_place(self, after: Fraction, before: Fraction | None) -> Fraction | None:
        """The first onset a beat or more after ``after`` (and before ``before``) that a
        dynamic may stand on (not inside a hairpin)."""
        for t in self.onsets:
            if t >= after + CLOSEST_BEATS * self.beat and (before is None or t < before) \
                    and not self.inside_hairpin(t):
                return t
        return None


def _unrepeated(part: _Part, written: list[tuple[Fraction, str]]
                ) -> list[tuple[Fraction, str]]:
    """Rules 1 and 2: the dynamics that say something, in time order."""
    out: list[tuple[Fraction, str]] = []
    in_force: str | None = None
    last: Fraction | None = None
    for t, value in sorted(written):
        if out and out[-1][0] == t:
            continue  # one dynamic at an onset: the first said
        if part.inside_hairpin(t):
            continue
        if part.moved_between(last, t):
            in_force = None
        if value in ATTACKS:
            out.append((t, value))
            in_force = ATTACK_LEAVES.get(value, in_force)
            last = t
        elif value != in_force:
            out.append((t, value))
            in_force = value
            last = t
    return out


def _in_force(part: _Part, written: list[tuple[Fraction, str]], at: Fraction, *,
              at_too: bool = False) -> str | None:
    """The level in force at ``at`` from the dynamics written before it (``at_too``: and
    at it) (None: open, a hairpin ran since)."""
    level, last = None, None
    for t, value in written:
        if t > at or (t == at and not at_too):
            break
        level = ATTACK_LEAVES.get(value, level) if value in ATTACKS else value
        last = t
    if last is not None and part.moved_between(last, at):
        return None
    return level


def _stab(part: _Part, written: list[tuple[Fraction, str]], i: int) -> bool:
    """Rules 3 and 4 for the pair at ``i``; True when it changed ``written``."""
    (t1, v1), (t2, v2) = written[i], written[i + 1]
    if t2 - t1 >= CLOSEST_BEATS * part.beat or v1 in ATTACKS or v2 in ATTACKS \
            or loudness(v2) >= loudness(v1):
        return False  # (an attack the source wrote: rule 5 decides)
    stab, body = part.at(t1), part.at(t2)
    between = [t for t in part.onsets if t1 < t < t2]
    accented = any(ACCENTED & set(n.articulations) for n in stab)
    following = written[i + 2][0] if i + 2 < len(written) else None
    if part.sustains and not between and stab \
            and {n.pitch for n in stab} == {n.pitch for n in body} \
            and all(n.end == t2 for n in stab) \
            and min(n.duration for n in body) >= part.beat:
        held = {n.pitch: n for n in body}
        merged = [replace(n, duration=held[n.pitch].end - n.onset, articulations=(
            *(a for a in n.articulations if a not in STAB_ONLY),
            *(a for a in held[n.pitch].articulations
              if a not in n.articulations and a not in ACCENTED)))
            for n in stab]
        said = f"{v1} on the hit, {v2} on the same chord held after it: one held note"
        del written[i + 1]
        grew_from = _in_force(part, written, part.rising[t1], at_too=True) \
            if t1 in part.rising else None
        if loudness(v2) > loudness(FP_BODY) and grew_from is not None \
                and loudness(v2) <= loudness(grew_from):
            # a crescendo into the hit: the hit is its goal, the chord goes on softer
            written[i] = (t1, v1)
            again = part.next_place(t1, following)
            if again is not None:
                written.insert(i + 1, (again, v2))
            part.changes.append((t1, f"{said}, {v1} (the crescendo's goal; {v2}, no "
                                     f"louder than the {grew_from} it grew from, would "
                                     "undo it)"
                                     + (f", then {v2} at its next note" if again else "")))
        elif loudness(v2) > loudness(FP_BODY):  # a loud chord with an accented attack
            if not accented:
                merged = [replace(n, articulations=(*n.articulations, "accent"))
                          for n in merged]
            written[i] = (t1, v2)
            part.changes.append((t1, f"{said}, {v2} with its accent"))
        else:
            attack = HELD_ATTACK[accented]
            written[i] = (t1, attack)
            again = part.next_place(t1, following) if v2 != ATTACK_LEAVES[attack] else None
            if again is not None:
                written.insert(i + 1, (again, v2))
            part.changes.append((t1, f"{said}, {attack}"
                                     + (f", then {v2} at its next note" if again else "")))
        part.notes = sorted([n for n in part.notes if n.onset not in (t1, t2)] + merged)
        part.merged[t2] = t1
        return True
    if not accented or max((n.duration for n in stab), default=part.beat) >= part.beat:
        return False  # not a short stab on a hit: rule 5 decides
    leaves = _in_force(part, written, t1)
    del written[i + 1]
    again = part.next_place(t1, following) if v2 != leaves else None
    said = f"{v1} on the stab, {v2} under a beat later"
    if again is None and v2 != leaves and leaves is None:  # nothing in force to go back to
        part.changes.append((t1, f"{said}: {v1} stands (no note to put {v2} on a beat "
                                 f"or more later, and an {SHORT_ATTACK} would leave no level)"))
        return True
    written[i] = (t1, SHORT_ATTACK)
    if again is not None:
        written.insert(i + 1, (again, v2))
        then = f"{v2} at the next note a beat or more after it"
    elif v2 == leaves:
        then = f"{v2} left out (the {SHORT_ATTACK} leaves it in force)"
    else:
        then = f"{v2} left out (no note to put it on before the next dynamic)"
    part.changes.append((t1, f"{said}: the stab marked {SHORT_ATTACK}, {then}"))
    return True


def _importance(part: _Part, written: list[tuple[Fraction, str]], i: int) -> tuple:
    t, value = written[i]
    return (part.hit(t, value), i == 0, part.goal(t))


def _closest(part: _Part, written: list[tuple[Fraction, str]], i: int) -> None:
    """Rule 5 for the pair at ``i``."""
    (t1, v1), (t2, v2) = written[i], written[i + 1]
    first, second = _importance(part, written, i), _importance(part, written, i + 1)
    following = written[i + 2][0] if i + 2 < len(written) else None
    if first > second:
        del written[i + 1]
        again = part.next_place(t1, following)
        kept = f"{v1} kept (the {'hit' if first[0] else 'entry' if first[1] else 'goal'})"
        if again is not None and v2 != _in_force(part, written, again):
            written.insert(i + 1, (again, v2))
            part.changes.append((t2, f"{v1} and {v2} closer than a beat: {kept}, {v2} "
                                     f"at the next note a beat or more after it"))
        else:
            part.changes.append((t2, f"{v1} and {v2} closer than a beat: {kept}, {v2} "
                                     f"left out"))
    else:
        del written[i]
        why = "the hit" if second[0] else "the goal" if second[2] else "it holds"
        part.changes.append((t1, f"{v1} and {v2} closer than a beat: {v2} kept ({why}), "
                                 f"{v1} left out"))


def write_dynamics(notes: Sequence[Note], levels: Mapping[Fraction, str],
                   hairpins: Sequence[Mark], beat: Fraction, *, sustains: bool = True
                   ) -> Written:
    """A part's notes and dynamics as a copyist writes them (see the module docstring):
    ``levels`` maps note onsets to the dynamic played there, ``hairpins`` are the part's
    crescendos and diminuendos, ``beat`` the beat in quarters.  ``sustains``: False for
    an instrument whose every note is a new stroke (percussion, harp, piano): a chord
    struck again is not the stab's chord held on, and no note is merged."""
    part = _Part(notes, hairpins, beat, sustains)
    written = _unrepeated(part, [(t, v) for t, v in levels.items()
                                 if v in DYNAMICS and t in set(part.onsets)])
    i = 0
    while i + 1 < len(written):
        if _stab(part, written, i):
            written = _unrepeated(part, written)
            i = max(0, i - 1)
        else:
            i += 1
    changed = True
    while changed:
        changed = False
        for i in range(len(written) - 1):
            if written[i + 1][0] - written[i][0] < CLOSEST_BEATS * beat:
                _closest(part, written, i)
                written = _unrepeated(part, written)
                changed = True
                break
    marks = tuple(Mark(t, "dynamic", v) for t, v in written)
    return Written(tuple(part.notes), marks, tuple(part.changes), dict(part.merged))
