"""Helpers of the job tests (tests/jobs): a small project with music, made through the CLI."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from typer.testing import CliRunner

from filmscore.cli import app
from filmscore.formats.midi_music import write_music
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part


def fs(*args: object, env: dict | None = None) -> str:
    """Run a filmscore command in-process; its output, or fail with it."""
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def make_project(folder: Path, db: str | None, cues: int = 2) -> Path:
    """A 24 fps project: cues 1M1, 1M2, ... of 8 s at 120 BPM, each with music v1."""
    fs("init", folder, "--title", "Job Film", "--fps", "24",
       *(["--db", db] if db else []))
    for n in range(cues):
        number, start = f"1M{n + 1}", 24 + n * 480
        fs("-p", folder, "cue", "add", number, "--start", f"00:00:{1 + n * 20:02d}:00",
           "--end", f"00:00:{9 + n * 20:02d}:00", "--title", f"Cue {n + 1}")
        fs("-p", folder, "tempo", "set", number, "--tempo", "120")
        tmap = TempoMap.constant("24", start, Fraction(120), bars=4)
        melody = tuple(Note(Fraction(q), Fraction(1), 72 + (q % 5) * 2) for q in range(16))
        bass = tuple(Note(Fraction(2 * b), Fraction(2), 36 + (b % 2) * 7) for b in range(8))
        music = Music((Part("melody", melody, program=73), Part("bass", bass, program=32)),
                      tempo_map=tmap)
        path = write_music(music, folder.parent / f"{number}.mid", tempo_map=tmap)
        fs("-p", folder, "music", "import", number, path)
    return folder


