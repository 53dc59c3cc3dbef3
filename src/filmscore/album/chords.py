"""Chord symbols from a full score: a harmonic analysis by templates (pure).

Each span of time (a beat, half a bar or a bar: :func:`harmonic_spans`) gets the pitch
classes of every pitched part sounding in it, each weighted by how long it sounds there
(:func:`pitch_weights`), and the lowest note sounding longest in it (the bass).  The
weights are matched against the chord templates of :data:`TEMPLATES` (major, minor, 7,
maj7, m7, dim, dim7, m7b5, aug, sus2, sus4, 7sus4, 6, m6) on each of the 12 roots:
a chord earns the weight of the pitch classes it holds, loses the weight of those it does
not and a share of the total for each of its tones that is not sounding (less for a
missing fifth), and wins a little when its root is the bass (Am7 over C6 with an A in
the bass) and when it is a plain triad (a simpler chord wins a tie).  A bass that is not
the root is written as a slash chord (F/A).

We use our own templates rather than music21's ``harmony.chordSymbolFromChord``: that
names one chord from a set of pitches as given (every doubling and passing note is a
chord tone to it, so a melody's passing tone turns a C into "Cadd9" or worse), cannot
weigh notes by how long they sound, and names an ambiguous set by its lowest note only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

#: template name (as printed after the root) -> (intervals above the root, MusicXML kind)
TEMPLATES: dict[str, tuple[tuple[int, ...], str]] = {
    "": ((0, 4, 7), "major"),
    "m": ((0, 3, 7), "minor"),
    "7": ((0, 4, 7, 10), "dominant"),
    "maj7": ((0, 4, 7, 11), "major-seventh"),
    "m7": ((0, 3, 7, 10), "minor-seventh"),
    "dim": ((0, 3, 6), "diminished"),
    "dim7": ((0, 3, 6, 9), "diminished-seventh"),
    "m7b5": ((0, 3, 6, 10), "half-diminished"),
    "aug": ((0, 4, 8), "augmented"),
    "sus2": ((0, 2, 7), "suspended-second"),
    "sus4": ((0, 5, 7), "suspended-fourth"),
    "7sus4": ((0, 5, 7, 10), "dominant"),  # + degrees: add 4, subtract 3
    "6": ((0, 4, 7, 9), "major-sixth"),
    "m6": ((0, 3, 7, 9), "minor-sixth"),
}

SHARP_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")


@dataclass(frozen=True)
class ChordSymbol:
    """A chord: root pitch class, template name (``TEMPLATES``), bass pitch class."""

    root: int
    quality: str
    bass: int

    @property
    def pitch_classes(self) -> tuple[int, ...]:
        return tuple((self.root + i) % 12 for i in TEMPLATES[self.quality][0])

    @property
    def kind(self) -> str:
        return TEMPLATES[self.quality][1]

    def name(self, flats: bool = False) -> str:
        """'Am7', 'F/A', 'G7sus4' (flat names for roots in flat keys)."""
        names = FLAT_NAMES if flats else SHARP_NAMES
        text = names[self.root] + self.quality
        return text if self.bass == self.root else f"{text}/{names[self.bass]}"

    def essential(self) -> tuple[int, ...]:
        """Its tones in the order a reduction keeps them: third (or the suspension),
        seventh (or sixth), root, fifth."""
        intervals = TEMPLATES[self.quality][0]
        rank = {3: 0, 4: 0, 5: 0, 2: 0, 10: 1, 11: 1, 9: 1, 0: 2, 6: 3, 7: 3, 8: 3}
        ordered = sorted(intervals, key=lambda i: (rank.get(i, 4), i))
        return tuple((self.root + i) % 12 for i in ordered)


Sounding = tuple[Fraction, Fraction, int]  # onset, end, MIDI pitch


def pitch_weights(notes: Iterable[Sounding], start: Fraction, end: Fraction
                  ) -> tuple[dict[int, Fraction], int | None]:
    """Pitch-class weights (quarters sounding inside [start, end)) and the bass pitch
    class (the lowest pitch, weighted by time: the lowest note sounding at each moment)."""
    weights: dict[int, Fraction] = defaultdict(Fraction)
    inside = []
    for onset, stop, pitch in notes:
        a, b = max(onset, start), min(stop, end)
        if b > a:
            weights[pitch % 12] += b - a
            inside.append((a, b, pitch))
    if not inside:
        return dict(weights), None
    points = sorted({a for a, _, _ in inside} | {b for _, b, _ in inside})
    low: dict[int, Fraction] = defaultdict(Fraction)
    for a, b in zip(points, points[1:], strict=False):
        sounding = [p for x, y, p in inside if x <= a and y >= b]
        if sounding:
            low[min(sounding)] += b - a
    bass = max(low, key=lambda p: (low[p], -p)) if low else None
    return dict(weights), None if bass is None else bass % 12


def best_chord(weights: dict[int, Fraction], bass: int | None) -> ChordSymbol | None:
    """The template chord that best holds ``weights`` (see the module docstring)."""
    total = sum(weights.values())
    if not total or len([w for w in weights.values() if w > 0]) < 2:
        return None
    best, best_score = None, None
    for order, (quality, (intervals, _kind)) in enumerate(TEMPLATES.items()):
        for root in range(12):
            pcs = {(root + i) % 12 for i in intervals}
            held = sum(w for pc, w in weights.items() if pc in pcs)
            score = held - sum(w for pc, w in weights.items() if pc not in pcs)
            for i in intervals:
                if not weights.get((root + i) % 12):
                    score -= total * (Fraction(1, 20) if i == 7 else Fraction(1, 4))
            if bass is not None and bass == root:
                score += total / 10
            if len(intervals) > 3:
                score -= total / 20
            key = (score, -order, -root)
            if best_score is None or key > best_score:
                best_score, best = key, (root, quality)
    assert best is not None
    root, quality = best
    return ChordSymbol(root, quality, bass if bass is not None else root)


def harmonic_spans(bars: Sequence[tuple[Fraction, Fraction]], numerator: int,
                   beat: Fraction) -> list[tuple[Fraction, Fraction]]:
    """The spans a chord symbol may change on: half a bar in meters of four beats (or 6
    and 12 eighths), else the bar."""
    out = []
    for start, length in bars:
        if numerator in (4, 6, 12) and length == numerator * beat:
            half = length / 2
            out += [(start, start + half), (start + half, start + length)]
        else:
            out.append((start, start + length))
    return out


def analyse(notes: Sequence[Sounding], spans: Sequence[tuple[Fraction, Fraction]]
            ) -> list[tuple[Fraction, ChordSymbol]]:
    """(onset, chord) at each span whose chord differs from the one before (a span with
    nothing sounding, or one note only, gets no symbol).  A chord that differs from the
    one before only in its bass (an oom-pah's root and fifth: Dm, Dm/A) is not written
    again: the symbol the chord was first written with stands."""
    out: list[tuple[Fraction, ChordSymbol]] = []
    previous = None
    for start, end in spans:
        weights, bass = pitch_weights(notes, start, end)
        chord = best_chord(weights, bass)
        if chord is not None and (previous is None or (chord.root, chord.quality)
                                  != (previous.root, previous.quality)):
            out.append((start, chord))
        previous = chord if chord is not None else previous
    return out


def chord_at(chords: Sequence[tuple[Fraction, ChordSymbol]], t: Fraction
             ) -> ChordSymbol | None:
    found = None
    for onset, chord in chords:
        if onset > t:
            break
        found = chord
    return found
