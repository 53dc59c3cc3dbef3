"""Make the short-score fixtures of tests/orchestration (run from the repository root).

    .venv/bin/python tests/data/shortscores/make_shortscores.py

theme_short.musicxml: 4 bars of 4/4 in C major at 96 BPM, five staves named as a
composer names them: Melody (with one D7, too high for oboe and violins, in bar 4),
Brass (four-note chords), Strings (five-note chords), Low (down to G1) and Percussion
(General MIDI drum keys: 36 bass drum, 38 snare, 49 crash, 81 triangle).
"""

from fractions import Fraction as F
from pathlib import Path

from filmscore.formats.musicxml import write_music
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.music import Music, Note, Part

HERE = Path(__file__).resolve().parent


def theme_short() -> Music:
    melody = [(0, 2, 72), (2, 1, 74), (3, 1, 76), (4, 3, 79), (7, 1, 77), (8, 1, 76),
              (9, 1, 74), (10, 2, 72), (12, 1, 91), (13, 1, 98), (14, 2, 84)]
    chords = [(0, (60, 64, 67, 72)), (4, (62, 65, 69, 74)), (8, (59, 62, 67, 71)),
              (12, (60, 64, 67, 72))]
    strings = [(0, (55, 60, 64, 67, 72)), (4, (57, 62, 65, 69, 74)),
               (8, (55, 59, 62, 67, 71)), (12, (55, 60, 64, 67, 72))]
    low = [(0, 4, 36), (4, 4, 38), (8, 4, 31), (12, 4, 36)]
    drums = [(0, 1, 36), (0, 1, 49), (1, 1, 38), (2, 1, 38), (3, 1, 81), (12, 2, 36),
             (12, 2, 49)]
    parts = (
        Part("Melody", tuple(Note(F(o), F(d), p) for o, d, p in melody), program=73),
        Part("Brass", tuple(Note(F(o), F(4), p) for o, ps in chords for p in ps), program=61),
        Part("Strings", tuple(Note(F(o), F(4), p) for o, ps in strings for p in ps),
             program=48),
        Part("Low", tuple(Note(F(o), F(d), p) for o, d, p in low), program=43),
        Part("Percussion", tuple(Note(F(o), F(d), p) for o, d, p in drums), is_drum=True),
    )
    return Music(parts, meter=Meter(4, 4), key="C major", title="Theme (short score)",
                 tempo_map=TempoMap.constant("24", 0, F(96), 4, Meter(4, 4)))


if __name__ == "__main__":
    write_music(theme_short(), HERE / "theme_short.musicxml")
