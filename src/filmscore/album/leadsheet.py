"""A lead sheet of a cue's full score (pure): its melody on one staff, chord symbols above.

The melody is the piano reduction's (:func:`filmscore.album.piano.find_melody`: the part
that carries the tune, bar by bar; fast repeated notes held), the whole tune moved by
octaves to sit around the treble staff's middle line.  The chord symbols come from a
harmonic analysis of every pitched part (:mod:`filmscore.album.chords`: duration-weighted
pitch classes matched to chord templates, a slash for a bass that is not the root), one
per half bar in meters of four beats, else per bar, written only where the chord changes
(not for a change of bass alone).  Root names follow the key: flats in flat keys (Bb,
Eb), else sharps for C#, F# (and Eb, Ab, Bb, the usual spellings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.album.chords import ChordSymbol, analyse, harmonic_spans
from filmscore.album.piano import bar_length, find_melody, pitched_parts, simplify_repeats
from filmscore.errors import InputError
from filmscore.writing.music import Music, Note, Part

_FLAT_KEYS = {"F", "Bb", "B-", "Eb", "E-", "Ab", "A-", "Db", "D-", "Gb", "G-", "d", "g", "c",
              "f", "b-", "e-"}


@dataclass(frozen=True)
class LeadSheet:
    melody: tuple[Note, ...]
    chords: tuple[tuple[Fraction, ChordSymbol], ...]
    melody_parts: tuple[tuple[int, int, str], ...]
    flats: bool
    notes: tuple[str, ...]

    def symbols(self) -> list[tuple[Fraction, str]]:
        """(onset, the symbol as printed)."""
        return [(t, c.name(self.flats)) for t, c in self.chords]


def uses_flats(key: str) -> bool:
    """True for a key whose signature has flats ('F major', 'd minor', 'B- major')."""
    tonic = (key.split() or [""])[0]
    if "minor" in key:
        tonic = tonic.lower()
    return tonic in _FLAT_KEYS


def bars_of(music: Music) -> list[tuple[Fraction, Fraction]]:
    """(start, length) of every bar the music's notes fill, from bar 1 (a pickup before)."""
    bar = bar_length(music)
    notes = [n for p in music.parts for n in p.notes]
    first = min((n.onset for n in notes), default=Fraction(0))
    last = max((n.end for n in notes), default=bar)
    start = Fraction(0) if first >= 0 else -(((-first) + bar - 1) // bar) * bar
    out = []
    while start < last:
        out.append((start, bar))
        start += bar
    return out


LEAD_CENTRE = 71  # B4, the treble staff's middle line: where a lead sheet's tune sits


def _in_treble(melody: list[Note]) -> tuple[list[Note], list[str]]:
    """The whole tune moved by octaves to sit around the treble staff's middle line."""
    if not melody:
        return melody, []
    total = sum(n.duration for n in melody)
    mean = sum(n.pitch * n.duration for n in melody) / total
    octaves = round((mean - LEAD_CENTRE) / 12)
    if not octaves:
        return melody, []
    moved = [replace(n, pitch=n.pitch - 12 * octaves) for n in melody]
    if min(n.pitch for n in moved) < 0 or max(n.pitch for n in moved) > 127:
        return melody, []
    word = "lower" if octaves > 0 else "higher"
    return moved, [f"the tune written {abs(octaves)} octave{'s' * (abs(octaves) > 1)} "
                   f"{word} than the piano's, on the treble staff"]


def lead_sheet(music: Music, *, melody_part: str | None = None,
               prefer: Sequence[str] = ()) -> LeadSheet:
    """The lead sheet of ``music`` (a full score at concert pitch)."""
    parts = pitched_parts(music)
    if not parts:
        raise InputError("the full score has no pitched part for a lead sheet",
                         field="parts", value=", ".join(p.name for p in music.parts) or "none",
                         valid="a score with at least one pitched instrument")
    melody, runs, notes = find_melody(music, part=melody_part, prefer=prefer)
    melody, more = simplify_repeats(melody, what="melody", bar=bar_length(music))
    melody, shifted = _in_treble(melody)
    more += shifted
    sounding = [(n.onset, n.end, n.pitch) for p in parts for n in p.notes]
    spans = harmonic_spans(bars_of(music), music.meter.numerator, music.meter.beat_quarters)
    chords = analyse(sounding, spans)
    return LeadSheet(tuple(melody), tuple(chords), tuple(runs), uses_flats(music.key),
                     tuple(notes + more))


def melody_music(music: Music, sheet: LeadSheet) -> Music:
    return Music(parts=(Part("Melody", sheet.melody, instrument="violin"),),
                 meter=music.meter, tempo_map=music.tempo_map, title=music.title,
                 key=music.key)
