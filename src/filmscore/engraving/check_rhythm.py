"""Rests grouped by the meter, and tuplets counted: the rhythm rules of the engraving check.

The rests rule is "show each beat" (Gould, *Behind Bars*, "Rests"; the Open University's
*An introduction to music theory*, 4.2-4.4), applied to every rest of every voice, where
a rest runs from ``s`` to ``e`` in its bar:

- **Beats.** Simple meters beat in the ``beat-type`` (2/4, 3/4, 4/4, 2/2, 3/8...);
  6, 9, 12... over any type are compound, in dotted beats of three units; additive
  signatures ("3+2/8") beat in their groups.  The "half-bar" groups that may be joined
  into one rest are beats 1-2 and 3-4 of a four-beat bar (4/4, 4/2, 12/8) and beats 1-2 of
  a three-beat bar (3/4, 9/8: never beats 2-3); other meters have no group above the beat.
- **A whole bar's rest** is a whole-bar rest (``<rest measure="yes"/>``, a whole rest,
  or a breve in a bar of two wholes or more), never a dotted half in 3/4 or a half in 2/4.
- **A rest over a beat** (a beat starts inside it) must start on a beat, stay inside one
  half-bar group (a half rest on beat 2 of 4/4 or 3/4, a dotted quarter on beat 2 of 4/4
  hide beat 3), and end on a beat, or, in simple time, on a half-beat (a dotted rest on the
  beat, like a dotted note); in compound time it covers whole beats (no half rest in 6/8).
- **A rest inside a beat** that does not start on the beat must not run over its
  half-beat (simple time: an eighth rest on the second sixteenth) or, in compound time,
  over a third of it (a quarter rest on the second eighth of 6/8).

Not judged: rests inside tuplets, hidden rests (``print-object="no"``), rests of bars
without a readable meter (senza misura, composite signatures), and the notes themselves
(ties and beams).  An upbeat bar's rests are measured from where the full bar would
start.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from filmscore.engraving.check_xml import Bar, Meter, Note, PartBars, Score
from filmscore.engraving.findings import Finding

_VALUES = {"maxima": Fraction(32), "long": Fraction(16), "breve": Fraction(8),
           "whole": Fraction(4), "half": Fraction(2), "quarter": Fraction(1),
           "eighth": Fraction(1, 2), "16th": Fraction(1, 4), "32nd": Fraction(1, 8),
           "64th": Fraction(1, 16), "128th": Fraction(1, 32)}


@dataclass(frozen=True)
class Grid:
    """A meter's beats (start, length, subdivisions) and half-bar group starts."""

    bar: Fraction
    beats: tuple[tuple[Fraction, Fraction, int], ...]
    groups: tuple[Fraction, ...] | None  # group boundaries inside the bar (None: unknown)
    unit: Fraction = Fraction(1)  # the beat-type note, in quarters
    compound: bool = False

    @property
    def starts(self) -> tuple[Fraction, ...]:
        return tuple(b[0] for b in self.beats)


def grid(meter: Meter) -> Grid:
    """The beats and the groups of ``meter`` (see the module docstring)."""
    unit = Fraction(4, meter.beat_type)
    counts = meter.counts
    beats: list[tuple[Fraction, Fraction, int]] = []
    pos = Fraction(0)
    if len(counts) > 1:  # additive: a beat per group
        for n in counts:
            beats.append((pos, n * unit, 3 if n == 3 else 2))
            pos += n * unit
        return Grid(pos, tuple(beats), None, unit)
    n = counts[0]
    compound = n % 3 == 0 and n > 3
    size, sub = (3 * unit, 3) if compound else (unit, 2)
    for i in range(n // 3 if compound else n):
        beats.append((i * size, size, sub))
    count = len(beats)
    groups: tuple[Fraction, ...] | None = None
    if count in (3, 4):
        groups = (2 * size,)
    elif count <= 2:
        groups = ()
    return Grid(n * unit, tuple(beats), groups, unit, compound)


def describe(note: Note) -> str:
    """"dotted quarter", "half", ... from the written type (else from the duration)."""
    kind = note.type
    if kind is None:
        for name, value in _VALUES.items():
            for dots in range(3):
                if value * (2 - Fraction(1, 2 ** dots)) == note.duration:
                    return ("dotted " * dots + name).replace("dotted dotted", "double-dotted")
        return f"{note.duration} quarter"
    return ("double-dotted " if note.dots == 2 else "dotted " if note.dots else "") + kind


_UNIT_NAMES = {1: "whole", 2: "half", 4: "quarter", 8: "eighth", 16: "16th", 32: "32nd"}


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0")


def _at(g: Grid, pos: Fraction) -> str:
    """A position of the bar as a player counts it: "beat 2.5"; in compound time by the
    beat-type unit, "eighth 5"."""
    if g.compound:
        name = _UNIT_NAMES.get(int(4 / g.unit), "unit") if g.unit else "unit"
        return f"{name} {_number(1 + pos / g.unit)}"
    for i, (start, length, _) in enumerate(g.beats):
        if start <= pos < start + length:
            return f"beat {_number(i + 1 + (pos - start) / length)}"
    return f"beat {_number(1 + pos / g.unit)}"


def _beat(g: Grid, pos: Fraction) -> str:
    """A beat the rest hides: "beat 3"; in compound time "beat 2 (eighth 4)"."""
    number = next((i + 1 for i, b in enumerate(g.beats) if b[0] == pos), None)
    if number is None:
        return _at(g, pos)
    return f"beat {number} ({_at(g, pos)})" if g.compound else f"beat {number}"


def _judge_rest(note: Note, bar: Bar, g: Grid) -> str | None:
    """What is wrong with one rest (None: well grouped)."""
    s = note.onset + bar.pickup
    e = s + note.duration
    if note.measure_rest or note.duration <= 0 or e > g.bar:
        return None
    if s == 0 and e == g.bar:
        if note.type in (None, "whole") or (note.type == "breve" and g.bar >= 8):
            return None
        kind = describe(note)
        return (f"a whole bar's rest written as {'an' if kind[0] in 'aeiou' else 'a'} {kind} "
                "rest: use a whole-bar rest")
    kind = describe(note)
    what = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} rest on {_at(g, s)}"
    starts = g.starts
    inside = [b for b in starts if s < b < e]
    if inside:
        if s not in starts:
            return f"{what} starts off the beat and hides {_beat(g, inside[0])}"
        if g.groups is not None:
            for boundary in g.groups:
                if s < boundary < e:
                    why = ("the middle of the bar" if len(g.beats) == 4
                           else "one rest may join beats 1-2, not 2-3")
                    return f"{what} hides {_beat(g, boundary)} ({why})"
        ends = set(starts) | {g.bar}
        start, length, sub = next(b for b in g.beats if b[0] <= e - Fraction(1, 10**6) <
                                  b[0] + b[1])
        if e not in ends:
            if sub == 3:
                return f"{what} ends inside a beat: in compound time a rest over a beat " \
                       "covers whole beats"
            if e != start + length / 2:
                return f"{what} ends off the beat and the half-beat"
        return None
    start, length, sub = next(b for b in g.beats if b[0] <= s < b[0] + b[1])
    if s == start:
        return None
    for k in range(1, sub):
        point = start + length * k / sub
        if s < point < e:
            part = "half-beat" if sub == 2 else "third of the beat"
            return f"{what} hides the {part}: write it as two rests"
    return None


def rest_findings(score: Score) -> list[Finding]:
    """Rests that hide a beat the meter needs shown (see the module docstring)."""
    findings: list[Finding] = []
    for part in score.parts:
        for bar in part.bars:
            if bar.meter is None:
                continue
            g = grid(bar.meter)
            for note in bar.notes:
                if not note.rest or note.tuplet or note.hidden or note.grace or note.chord:
                    continue
                problem = _judge_rest(note, bar, g)
                if problem:
                    findings.append(Finding("rest_grouping", part.name, bar.number,
                                            f"{problem} ({bar.meter})"))
    return findings


def tuplet_groups(part: PartBars) -> list[tuple[str, int]]:
    """(bar number, tuplets) for every bar of ``part`` that has tuplets: groups marked
    ``<tuplet type="start">``, else runs of notes with a ``<time-modification>``."""
    out = []
    for bar in part.bars:
        marked = sum(1 for n in bar.notes if n.tuplet_start and not n.chord)
        if not marked:
            runs, inside = 0, False
            for n in sorted(bar.notes, key=lambda n: (n.voice, n.onset, n.order)):
                if n.chord or n.grace:
                    continue
                if n.tuplet and not inside:
                    runs += 1
                inside = n.tuplet
            marked = runs
        if marked:
            out.append((bar.number, marked))
    return out


def tuplet_findings(score: Score) -> list[Finding]:
    """One finding per bar with tuplets, per part (only when the check is asked for them)."""
    return [Finding("tuplets", part.name, number, f"{count} tuplet{'s' * (count > 1)}")
            for part in score.parts for number, count in tuplet_groups(part)]
