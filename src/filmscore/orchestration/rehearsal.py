"""Rehearsal letters at a cue's structural points, and which points are structural.

Pure.  A copyist letters the places a conductor stops and restarts: section and phrase
starts, tempo and meter changes, the big hits.  :func:`rehearsal_bars` chooses bars from
a weight per bar (how structural each is, from :func:`film_weights` and the music's own
structure read by :mod:`filmscore.formats.musicxml_structure`): never two letters closer
than ``min_gap`` bars, never more than ``max_gap`` bars without one (from the cue's first
bar to its end), none in the first ``lead`` bars or the last ``tail`` ones, and, within
that, the letters whose bars weigh most (a letter costs ``cost``, so a bar must weigh
more than that to earn one where none is needed).  :func:`rehearsal_letter` names them
A, B, ... leaving out I and O (read as 1 and 0 on a stand), then AA, BB, ...
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
#: a tempo or meter change of the film's tempo map
TEMPO_WEIGHT = 3.0
#: sync points of at least this weight (hard hits and downbeats) mark structure
STRUCTURAL_SYNC_WEIGHT = 2.0


def rehearsal_letter(index: int) -> str:
    """0 -> 'A', 7 -> 'H', 8 -> 'J' (no I), 23 -> 'Z', 24 -> 'AA', 25 -> 'BB'."""
    if index < 0:
        raise ValueError("a rehearsal letter index is 0 or more")
    rounds, at = divmod(index, len(LETTERS))
    return LETTERS[at] * (rounds + 1)


def film_weights(tempos: Sequence, syncs: Sequence) -> list[tuple[Fraction, float]]:
    """(quarters from bar 1, weight) of the film's structural points: every tempo mark
    after the first (a change of tempo, meter or kind), and the sync points of weight 2 or
    more that are hits or downbeats (a downbeat weighs half a point more)."""
    out: list[tuple[Fraction, float]] = []
    for mark in list(tempos)[1:]:
        out.append((Fraction(mark.quarters), TEMPO_WEIGHT))
    for mark in syncs:
        kind = (getattr(mark, "kind", "") or "hard").lower()
        weight = float(getattr(mark, "weight", 1.0))
        if weight >= STRUCTURAL_SYNC_WEIGHT and kind in ("hard", "downbeat"):
            out.append((Fraction(mark.quarters), weight + (0.5 if kind == "downbeat" else 0)))
    return out


def rehearsal_bars(weights: Sequence[float], *, start: int = 0, min_gap: int = 8,
                   max_gap: int = 24, lead: int = 4, tail: int = 2, cost: float = 1.0
                   ) -> list[int]:
    """The bars (indexes into ``weights``) that get a rehearsal letter; ``start`` is the
    index of bar 1 (after a pickup).  See the module docstring."""
    n = len(weights)
    first, last = start + lead, n - 1 - tail
    if last < first:
        return []
    neg = float("-inf")
    best = [neg] * n  # best total of a lettering whose last letter is at i
    back: list[int | None] = [None] * n
    for i in range(first, last + 1):
        gain = weights[i] - cost
        if i - start <= max_gap:
            best[i], back[i] = gain, None
        for j in range(max(first, i - max_gap), i - min_gap + 1):
            if best[j] != neg and best[j] + gain > best[i]:
                best[i], back[i] = best[j] + gain, j
    ends = [i for i in range(first, last + 1) if best[i] != neg and n - i <= max_gap]
    options = [(best[i], i) for i in ends]
    if n - start <= max_gap:
        options.append((0.0, -1))
    if not options:  # too short for the gaps asked: the heaviest bar alone
        heaviest = max(range(first, last + 1), key=lambda i: weights[i])
        return [heaviest] if weights[heaviest] > cost else []
    _, at = max(options, key=lambda o: (o[0], -o[1]))
    chosen: list[int] = []
    node: int | None = at if at >= 0 else None
    while node is not None:
        chosen.append(node)
        node = back[node]
    return sorted(chosen)
