"""True unison doublings in a full score: two chairs sounding the same pitches at the same
times for a stretch (``MIN_NOTES`` notes in a row of both).  Used to list every unison of
an orchestration as a decision, and by bench/orchestration_report.py to count them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from filmscore.writing.music import Part

MIN_NOTES = 4
"""A unison stretch is at least this many notes in a row, the same in both chairs."""


@dataclass(frozen=True)
class Unison:
    """Two chairs in unison: the chairs, the notes they share in stretches, where."""

    first: str
    second: str
    notes: int
    start: Fraction
    end: Fraction
    same_instrument: bool


def _onsets(part: Part) -> tuple[list[Fraction], dict[Fraction, set[int]]]:
    pitches: dict[Fraction, set[int]] = defaultdict(set)
    for note in part.notes:
        pitches[note.onset].add(note.pitch)
    return sorted(pitches), pitches


def unison(a: Part, b: Part) -> Unison | None:
    """The unison stretches of ``a`` and ``b`` (None if no stretch is MIN_NOTES long)."""
    onsets_a, pitches_a = _onsets(a)
    onsets_b, pitches_b = _onsets(b)
    index_b = {t: i for i, t in enumerate(onsets_b)}
    total, start, end, run = 0, None, None, []
    for t in [*onsets_a, None]:
        shared = t is not None and t in index_b and pitches_a[t] & pitches_b[t]
        if shared and (not run or index_b[t] == index_b[run[-1]] + 1):
            run.append(t)
            continue
        if len(run) >= MIN_NOTES:
            total += len(run)
            start = run[0] if start is None else start
            end = run[-1]
        run = [t] if shared else []
    if not total:
        return None
    return Unison(a.name, b.name, total, start, end, a.instrument == b.instrument)


def unisons(parts: Sequence[Part]) -> list[Unison]:
    """Every pair of pitched chairs in unison somewhere, in score order."""
    pitched = [p for p in parts if not p.is_drum and p.notes]
    out = []
    for i, a in enumerate(pitched):
        for b in pitched[i + 1:]:
            found = unison(a, b)
            if found is not None:
                out.append(found)
    return out


def unison_lines(found: Sequence[Unison]) -> list[tuple[str, ...]]:
    """Chairs in unison grouped into lines (a chair in unison with two others: one line)."""
    groups: list[set[str]] = []
    for u in found:
        hit = [g for g in groups if u.first in g or u.second in g]
        merged = {u.first, u.second}.union(*hit) if hit else {u.first, u.second}
        groups = [g for g in groups if g not in hit] + [merged]
    order = {name: i for i, name in enumerate(dict.fromkeys(
        n for u in found for n in (u.first, u.second)))}
    return [tuple(sorted(g, key=order.get)) for g in groups]
