"""The sketch's harmony: a chord for each span of the melody, voiced for an instrument.

Each span (half a bar in 4/4 and other even meters of four beats or more, else a bar) gets
the major, minor or diminished-seventh chord that best holds the melody's notes sounding
in it (weighted by how long they sound, a note on the span's first beat counting half
again), favouring chords of the key's scale and the tonic.  Chords are voiced close
around the middle of the instrument's range; bass notes sit in its lowest octave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.sync.tempomap import Meter
from filmscore.writing.cuetime import bar_quarters
from filmscore.writing.music import Note
from filmscore.writing.palette import Instrument

Chord = tuple[int, tuple[int, ...]]  # root pitch class, pitch classes (root first)
Key = tuple[int, str]  # tonic pitch class, "major" or "minor"


_SCALES = {"major": {0, 2, 4, 5, 7, 9, 11}, "minor": {0, 2, 3, 5, 7, 8, 10, 11}}
_CHORDS: tuple[tuple[int, tuple[int, ...]], ...] = tuple(
    (root, tuple((root + i) % 12 for i in shape))
    for shape in ((0, 4, 7), (0, 3, 7)) for root in range(12)
) + tuple((root, (root, (root + 3) % 12, (root + 6) % 12, (root + 9) % 12))
          for root in range(3))


def choose_chord(weights: dict[int, Fraction], key: Key, previous: Chord | None) -> Chord:
    """The chord that best holds the weighted pitch classes in ``key``."""
    tonic, mode = key
    home = (tonic, tuple((tonic + i) % 12 for i in ((0, 4, 7) if mode == "major"
                                                    else (0, 3, 7))))
    total = sum(weights.values())
    if not total:
        return previous or home
    scale = {(tonic + i) % 12 for i in _SCALES[mode]}

    def score(chord: tuple[int, tuple[int, ...]]) -> tuple[Fraction, int]:
        root, pcs = chord
        s = sum(w for pc, w in weights.items() if pc in pcs)
        s -= sum(w for pc, w in weights.items() if pc not in pcs) / 2
        if set(pcs) <= scale:
            s += total / 4
        if chord == home:
            s += total / 8
        if len(pcs) == 4:
            s -= total / 8
        return s, -_CHORDS.index(chord)

    return max(_CHORDS, key=score)


def voice(pcs: Sequence[int], inst: Instrument) -> tuple[int, ...]:
    """The chord in close position around the middle of the instrument's range."""
    target = min(max(64, inst.low + 7), inst.high - 7)
    best = None
    for inversion in range(len(pcs)):
        order = list(pcs[inversion:]) + list(pcs[:inversion])
        for base in range(inst.low, inst.high - 11):
            if base % 12 != order[0]:
                continue
            notes, last = [], base - 1
            for pc in order:
                p = last + 1 + (pc - last - 1) % 12
                notes.append(p)
                last = p
            if notes[-1] > inst.high:
                continue
            cost = abs(Fraction(sum(notes), len(notes)) - target)
            if best is None or cost < best[0]:
                best = (cost, tuple(notes))
    return best[1] if best else tuple(inst.low + (pc - inst.low) % 12 for pc in pcs)


def bass_pitch(pc: int, inst: Instrument) -> int:
    """The pitch class in the instrument's lowest octave (from C2 when it reaches C3)."""
    low = max(inst.low, 36) if inst.high >= 48 else inst.low
    return low + (pc - low) % 12


def fit_octaves(notes: list[Note], inst: Instrument) -> list[Note]:
    """The line moved by octaves to keep the most notes inside the instrument's range."""
    if not notes:
        return notes

    def cost(k: int) -> tuple[int, int]:
        outside = sum(1 for n in notes if not inst.low <= n.pitch + 12 * k <= inst.high)
        return outside, abs(k)

    k = min(range(-5, 6), key=cost)
    return [replace(n, pitch=min(127, max(0, n.pitch + 12 * k))) for n in notes]


def key_at(keys: Sequence[tuple[Fraction, Key]], t: Fraction, default: Key) -> Key:
    key = default
    for onset, k in keys:
        if onset <= t:
            key = k
    return key


def tonic_triad(key: Key) -> tuple[int, ...]:
    return tuple((key[0] + i) % 12 for i in ((0, 4, 7) if key[1] == "major" else (0, 3, 7)))


@dataclass(frozen=True)
class Span:
    """A span of harmony: [start, end) in quarters, its chord and the key."""

    start: Fraction
    end: Fraction
    chord: Chord
    key: Key


def harmony_spans(bars: Sequence[tuple[Fraction, Meter]], start: Fraction, end: Fraction
                  ) -> list[tuple[Fraction, Fraction]]:
    """Half bars in even meters of four beats or more, else whole bars, inside [start, end)."""
    spans: list[tuple[Fraction, Fraction]] = []
    for i, (q, meter) in enumerate(bars):
        length = bar_quarters(meter)
        nxt = min(bars[i + 1][0] if i + 1 < len(bars) else q + length, end)
        if meter.numerator % 2 == 0 and meter.numerator > 2:
            half = q + length / 2
            spans += [(q, min(half, nxt)), (half, nxt)]
        else:
            spans.append((q, nxt))
    return [(max(a, start), b) for a, b in spans if b > start and b > a]


def harmonise(melody: Sequence[Note], spans: Sequence[tuple[Fraction, Fraction]],
              keys: Sequence[tuple[Fraction, Key]], first_key: Key) -> list[Span]:
    """A chord for each span from the melody's notes sounding in it."""
    out: list[Span] = []
    previous = None
    for a, b in spans:
        weights: dict[int, Fraction] = {}
        for n in melody:
            overlap = min(n.end, b) - max(n.onset, a)
            if overlap > 0:
                bonus = Fraction(3, 2) if n.onset == a else Fraction(1)
                weights[n.pitch % 12] = weights.get(n.pitch % 12, Fraction(0)) \
                    + overlap * bonus
        key = key_at(keys, a, first_key)
        previous = choose_chord(weights, key, previous)
        out.append(Span(a, b, previous, key))
    return out


def span_at(spans: Sequence[Span], t: Fraction, first_key: Key) -> Span:
    """The span holding ``t`` (the last one after the end; the tonic before any)."""
    for span in spans:
        if span.start <= t < span.end:
            return span
    if spans:
        return spans[-1]
    return Span(t, t, (first_key[0], tonic_triad(first_key)), first_key)
