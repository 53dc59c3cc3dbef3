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




# --- kinds of work for the tests: slow enough to be killed in the middle ------------------

def _slow_write(pctx, cue: str, options: dict, report) -> Path:
    """Write ``<project>/out/<cue>.bin`` (``chunks`` of 64 KiB, ``pause`` s apart) to a
    temporary name and rename it, reporting each chunk."""
    import os
    import time

    from filmscore.fileio import atomic_path

    out = pctx.directory / "out"
    out.mkdir(exist_ok=True)
    chunks, pause = int(options.get("chunks", 8)), float(options.get("pause", 0.25))
    target = out / f"{cue}.bin"
    with atomic_path(target) as tmp, open(tmp, "wb") as handle:
        for n in range(chunks):
            handle.write(bytes([n % 256]) * 65536)
            handle.flush()
            os.fsync(handle.fileno())
            report(n + 1, chunks)
            time.sleep(pause)
    return target


def _die(pctx, cue: str, options: dict, report) -> None:
    import os

    os._exit(9)  # the process dies as a killed render would


def _refuse(pctx, cue: str, options: dict, report) -> None:
    from filmscore.errors import ValidationError

    raise ValidationError("no such take", field="take", value=cue, valid="1 to 3")


def register_test_kinds() -> None:
    from filmscore.jobs import Kind, register_kind

    register_kind(Kind("slow-write", "slow writes (tests)", "view", _slow_write, lambda p: []))
    register_kind(Kind("die", "a process that dies (tests)", "view", _die, lambda p: []))
    register_kind(Kind("refuse", "a job that fails (tests)", "view", _refuse, lambda p: []))


register_test_kinds()
