"""A small full score for the sheet-music editions' tests, built in code."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from filmscore.formats.musicxml_fullscore import write_full_score
from filmscore.sync.tempomap import Meter
from filmscore.writing.music import Mark, Music, Note, Part

F = Fraction
#: four bars of 4/4: C, Am7, F/A, G7sus4 (a half bar each), then C, G, C
CHORDS = [(0, [48, 64, 67, 72]), (2, [45, 64, 67, 72]), (4, [45, 65, 69, 72]),
          (6, [43, 65, 67, 72]), (8, [48, 64, 67, 72]), (12, [43, 62, 67, 71]),
          (14, [48, 64, 67, 72])]
EXPECTED = ["C", "Am7", "F/A", "G7sus4", "C", "G", "C"]
TUNE = [(0, 1, 79), (1, 1, 76), (2, 1, 79), (3, 1, 81), (4, 2, 77), (6, 1, 74), (7, 1, 77),
        (8, F(1, 2), 76), (F(17, 2), F(1, 2), 77), (9, 1, 79), (10, 2, 84), (12, 2, 83),
        (14, 2, 84)]


def full_score() -> Music:
    """Flute (the tune), clarinet in B-flat and viola (the chord, the viola in repeated
    sixteenths), cello and double bass (the bass), and a drum part."""
    flute = [Note(F(t), F(d), p) for t, d, p in TUNE]
    clarinet, viola, cello, bass = [], [], [], []
    for i, (t, (low, *upper)) in enumerate(CHORDS):
        end = CHORDS[i + 1][0] if i + 1 < len(CHORDS) else 16
        length = F(end - t)
        clarinet += [Note(F(t), length, upper[1]), Note(F(t), length, upper[2])]
        viola += [Note(F(t) + k * F(1, 4), F(1, 4), upper[0] - 12)
                  for k in range(int(length * 4))]
        cello.append(Note(F(t), length, low))
        bass.append(Note(F(t), length, low - 12))
    drums = [Note(F(t), F(1), 38) for t in range(0, 16, 2)]
    marks = (Mark(F(0), "dynamic", "mf"), Mark(F(8), "dynamic", "f"))
    return Music(parts=(
        Part("Flute 1", tuple(flute), program=73, instrument="flute", marks=marks),
        Part("Clarinet 1", tuple(clarinet), program=71, instrument="clarinet"),
        Part("Percussion 1", tuple(drums), is_drum=True, instrument="snare_drum"),
        Part("Viola", tuple(viola), program=41, instrument="viola"),
        Part("Cello", tuple(cello), program=42, instrument="cello"),
        Part("Double Bass", tuple(bass), program=43, instrument="double bass"),
    ), meter=Meter(4, 4), title="Test Cue", key="C major")


def write_score(path: Path) -> Path:
    """The full score written transposed (clarinet in B-flat, bass at the octave)."""
    return write_full_score(full_score(), path)
