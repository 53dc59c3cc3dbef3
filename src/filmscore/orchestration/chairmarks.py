"""A chair's marks from every job it plays: one level at a time, written as a copyist does.

A chair may play several layers (the chords of a countermelody staff, then its line; a
tune and a colour); each carries its staff's marks, balanced (``expression.carry_marks``).
Their dynamics are not simply added up: at each onset the chair plays at the level of the
layer whose notes it plays there (the first in the chair's order: a job in spans before a
whole-cue job), and ``writing.dynamics.write_dynamics`` writes those levels as a copyist
does (no repeats, a hit's stab and its held chord as one sfp note, a short stab sfz, no
two dynamics closer than a beat).  A hairpin is kept where the chair sounds in it (a
struck chair: strikes or rolls), the first layer's where two overlap, from the chair's
first note in it.  Mute changes go where the chair has time to make them
(``expression.timed_mutes``).  Every change is an event for the orchestrator's decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction

from filmscore.orchestration.check import MUTE_SECONDS
from filmscore.orchestration.expression import balanced_level, timed_mutes
from filmscore.orchestration.instruments import get_instrument
from filmscore.orchestration.layers import Layer
from filmscore.writing.dynamics import write_dynamics
from filmscore.writing.music import Mark, Note, Part

HAIRPINS = ("crescendo", "diminuendo")
TECHNIQUE_SECTIONS: dict[str, frozenset[str]] = {
    "pizz.": frozenset({"strings"}), "arco": frozenset({"strings"}),
    "trem.": frozenset({"strings"}),
    "con sord.": frozenset({"strings", "brass"}), "senza sord.": frozenset({"strings", "brass"}),
}
"""The sections a playing technique of a staff means something to ("pizz." to a horn
means nothing); "ord." (back to normal) means something only after another technique
or a tremolo of the chair's own."""
ORD_AFTER = frozenset({"pizz.", "trem.", "con sord."})
"""The techniques "ord." ends."""
STRUCK = frozenset({"percussion", "harp", "keyboards", "guitars"})
"""Sections whose every note is a new stroke: no stab is merged with the chord after it."""
NO_TREMOLO = frozenset({"woodwinds", "brass", "voices"})
"""Sections a staff's tremolo (the strings' tremolo of a pad) does not reach: on a wind
note the slashes read as flutter-tongue, which only the notes' own ask writes."""

Carried = tuple[Layer, list[Note], tuple[Mark, ...], int | Callable[[Fraction], int]]
"""(layer, the chair's notes of it, the marks it carries, its balance steps at an onset)."""
Seconds = Callable[[Fraction, Fraction], Fraction]


def _steps(steps: int | Callable[[Fraction], int], t: Fraction) -> int:
    return steps(t) if callable(steps) else steps


def _hairpins(carried: Sequence[Carried], *, struck: bool = False) -> list[Mark]:
    """The hairpins of the layers the chair sounds in, the first layer's where two
    overlap; one that starts while the chair rests starts at its first note in it (where
    the level it grows from can be written: nothing is written inside a hairpin).  A
    ``struck`` chair (a drum, a harp) sounds in a hairpin only by a stroke or a roll in
    it: a struck note ringing on cannot grow."""
    kept: list[tuple[Mark, Fraction]] = []
    for _layer, notes, marks, _ in carried:
        for mark in marks:
            end = mark.end
            if mark.kind not in HAIRPINS or end is None:
                continue
            if not any(n.onset < end and n.end > mark.onset for n in notes):
                continue  # the chair does not sound in it
            if struck and not any(
                    mark.onset <= n.onset < end or ("tremolo" in n.articulations
                                                    and n.onset < end and n.end > mark.onset)
                    for n in notes):
                continue
            if not any(n.onset <= mark.onset < n.end for n in notes):
                mark = replace(mark, onset=min(n.onset for n in notes
                                               if mark.onset < n.onset < end))
            if any(k.onset < end and mark.onset < k_end for k, k_end in kept):
                continue
            kept.append((mark, end))
    return [mark for mark, _ in kept]


def _techniques(marks: list[Mark], notes: Sequence[Note], section: str) -> list[Mark]:
    """The technique marks that mean something to the chair (``TECHNIQUE_SECTIONS``,
    "ord." only after a technique it ends or a tremolo)."""
    out: list[Mark] = []
    since: Fraction | None = None  # the last "ord." written
    for mark in sorted(marks):
        if mark.kind != "technique":
            out.append(mark)
            continue
        if mark.value == "ord.":
            before = [m for m in out if m.kind == "technique" and m.onset < mark.onset
                      and (since is None or m.onset > since)]
            trembling = any("tremolo" in n.articulations and n.onset < mark.onset
                            and (since is None or n.onset >= since) for n in notes)
            if not trembling and not any(m.value in ORD_AFTER for m in before):
                continue
            if any("tremolo" in n.articulations for n in notes if n.onset == mark.onset):
                continue  # the tremolo goes on
            since = mark.onset
        elif section not in TECHNIQUE_SECTIONS.get(mark.value, frozenset({section})):
            continue
        out.append(mark)
    return out


def without_tremolo(notes: list[Note], section: str) -> tuple[list[Note], bool]:
    """A wind, brass or voice chair's notes without the staff's tremolo (see
    ``NO_TREMOLO``), and whether there was one."""
    if section not in NO_TREMOLO or not any("tremolo" in n.articulations for n in notes):
        return notes, False
    return [replace(n, articulations=tuple(a for a in n.articulations if a != "tremolo"))
            for n in notes], True


def chair_marks(label: str, notes: list[Note], carried: Sequence[Carried],
                others: list[Mark], staves: dict[str, Part], *, instrument: str,
                beat: Fraction, seconds: Seconds | None,
                event: Callable[[str, Fraction, str, str], None]
                ) -> tuple[list[Note], list[Mark]]:
    """The chair's notes and marks (``others``: its slurs, techniques and the like) with
    its dynamics and hairpins written (see the module docstring).  ``event(kind, onset,
    staff, text)`` records a decision."""
    levels: dict[Fraction, str] = {}
    told: set[tuple[str, str]] = set()
    for t in sorted({n.onset for n in notes}):
        found: list[tuple[Layer, str]] = []
        for layer, mine, _marks, steps in carried:
            if any(n.onset == t for n in mine):
                value = balanced_level(staves[layer.staff].marks, t, _steps(steps, t))
                if value is not None:
                    found.append((layer, value))
        if not found:
            continue
        owner, value = found[0]
        levels[t] = value
        for layer, other in found[1:]:
            pair = (owner.staff, layer.staff)
            if other != value and pair not in told and owner.staff != layer.staff:
                told.add(pair)
                event("dynamics", t, owner.staff,
                      f"plays {owner.staff} and {layer.staff} at once: marked at the "
                      f"level of {owner.staff} ({value}), not {other}")
    section = get_instrument(instrument).section
    hairpins = _hairpins(carried, struck=section in STRUCK)
    written = write_dynamics(notes, levels, hairpins, beat,
                             sustains=section not in STRUCK and "pizz." not in
                             {m.value for m in others if m.kind == "technique"})
    for t, text in written.changes:
        event("dynamics", t, "", text)
    merged = written.merged
    marks: list[Mark] = []
    for mark in others:  # a mark on a held stab's continuation goes to the stab
        onset = merged.get(mark.onset, mark.onset)
        end = merged.get(mark.end, mark.end) if mark.end is not None else None
        if mark.kind == "slur" and (end is None or end <= onset):
            continue
        marks.append(replace(mark, onset=onset, end=end))
    notes = list(written.notes)
    marks = _techniques(marks, notes, section)
    needed = MUTE_SECONDS.get(instrument)
    if needed is not None and seconds is not None:
        marks, moved = timed_mutes(notes, marks, needed, seconds)
        for t, text in moved:
            event("technique", t, "", text)
    once = {(m.onset, m.kind, m.value, m.end): m for m in marks}
    return notes, sorted([*once.values(), *written.dynamics, *hairpins])


def seconds_between(tempo_map) -> Seconds:
    """Seconds between two onsets (quarters from bar 1) on a tempo map; without one, at
    120 to the quarter (the MusicXML default)."""
    if tempo_map is None:
        return lambda a, b: (Fraction(b) - Fraction(a)) / 2
    from filmscore.writing.check import seconds_at_quarters

    first = tempo_map.segments[0].beat_seconds(tempo_map.rate) \
        / tempo_map.segments[0].meter.beat_quarters

    def at(q: Fraction) -> Fraction:
        return q * first if q < 0 else seconds_at_quarters(tempo_map, q)

    return lambda a, b: at(Fraction(b)) - at(Fraction(a))
