"""Notes to the grid a copyist can write: the subdivision the cue's tempo map was solved on.

A sketch rendered on a tempo map (or played in) can hold onsets and lengths no notation
writes (a button 137/960 of a quarter long, a hit a few ticks off the "and").  Such a note
is moved to the nearest step of the subdivision the map was solved on (eighths, or
sixteenths); notes already on the straight grid down to thirty-seconds stay as written,
and so do triplets where the staff is clearly in triplets (three or more notes of one beat
on a triplet grid).  Every move is returned, to be listed for the orchestrator.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.writing.music import Note, Part

STRAIGHT = Fraction(1, 8)
"""The finest straight value kept as written: a thirty-second note (quarters)."""
TRIPLETS = (Fraction(1, 3), Fraction(1, 6))
"""Triplet grids (eighth and sixteenth triplets), kept only where the staff is in triplets."""
SUBDIVISION_NAMES = {1: "beat", 2: "eighth", 3: "triplet eighth", 4: "sixteenth",
                     6: "triplet sixteenth"}


@dataclass(frozen=True)
class Move:
    """One note moved to the grid: where it was (onset), its pitch, and what changed."""

    onset: Fraction
    pitch: int
    text: str


def _on(value: Fraction, grid: Fraction) -> bool:
    return (value / grid).denominator == 1


def _snap(value: Fraction, grid: Fraction) -> Fraction:
    return Fraction(round(value / grid)) * grid


def _triplet_beats(notes: tuple[Note, ...], beat: Fraction) -> set[tuple[Fraction, Fraction]]:
    """(beat start, grid) of the beats where three or more onsets lie on a triplet grid,
    two or more of them off the straight grid: the staff is clearly in triplets there."""
    found: set[tuple[Fraction, Fraction]] = set()
    for grid in TRIPLETS:
        per_beat: dict[Fraction, set[Fraction]] = defaultdict(set)
        for note in notes:
            if _on(note.onset, grid):
                per_beat[(note.onset // beat) * beat].add(note.onset)
        for start, onsets in per_beat.items():
            off = [t for t in onsets if not _on(t, STRAIGHT)]
            if len(onsets) >= 3 and len(off) >= 2:
                found.add((start, grid))
    return found


def _fits(value: Fraction, triplets: set[tuple[Fraction, Fraction]], beat: Fraction) -> bool:
    if _on(value, STRAIGHT):
        return True
    start = (value // beat) * beat
    return any(_on(value, grid) and (start, grid) in triplets for grid in TRIPLETS) or any(
        _on(value, grid) and (start - beat, grid) in triplets and value == start
        for grid in TRIPLETS)


def _quarters(value: Fraction) -> str:
    return str(value) if value.denominator != 1 else str(value.numerator)


def quantize(part: Part, *, subdivision: int, beat: Fraction) -> tuple[Part, list[Move]]:
    """The staff with every onset and end writable (see the module docstring), and the
    moves.  ``subdivision`` is steps per beat of the solved map (2: eighths in 4/4)."""
    grid = beat / subdivision
    unit = SUBDIVISION_NAMES.get(subdivision, f"1/{subdivision} beat")
    triplets = _triplet_beats(part.notes, beat)
    moves: list[Move] = []
    kept: dict[tuple[Fraction, int], Note] = {}
    for note in part.notes:
        onset, end = note.onset, note.end
        if not _fits(onset, triplets, beat):
            onset = _snap(onset, grid)
        if not _fits(end, triplets, beat):
            end = _snap(end, grid)
        end = max(end, onset + grid) if (onset, end) != (note.onset, note.end) else end
        if (onset, end) != (note.onset, note.end):
            what = []
            if onset != note.onset:
                what.append(f"starts on the {unit} ({_quarters(note.onset)} -> "
                            f"{_quarters(onset)})")
            if end - onset != note.duration:
                what.append(f"lasts {_quarters(end - onset)} (was {_quarters(note.duration)})")
            moves.append(Move(note.onset, note.pitch, " and ".join(what)))
        key = (onset, note.pitch)
        moved = replace(note, onset=onset, duration=end - onset)
        if key not in kept or kept[key].end < moved.end:
            kept[key] = moved
    return replace(part, notes=tuple(kept.values())), moves
