"""README's quickstart, run as written: every `filmscore` line of its code block, in order,
in-process, against the demo film's files (demo/popeye1936), from a folder laid out like
the source tree."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import soundfile

from filmscore.formats.bwf import read_bext
from filmscore.formats.video import probe

ROOT = Path(__file__).resolve().parents[2]


def quickstart_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index("After `make demo`, the command is"):]
    block = re.search(r"```\n(.*?)```", after, re.S).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


def test_readme_quickstart_runs_as_written(cli, tmp_path, monkeypatch):
    commands = quickstart_commands()
    assert commands[0][:2] == ["filmscore", "init"] and len(commands) > 15
    (tmp_path / "demo").symlink_to(ROOT / "demo")  # ../demo/popeye1936 from the project
    here = tmp_path
    for args in commands:
        if args[0] == "cd":
            here = here / args[1]
            monkeypatch.chdir(here)
            continue
        assert args[0] == "filmscore", args
        cli.ok(*args[1:])  # each step succeeds: exit 0, no traceback
    project = tmp_path / "popeye"
    assert (project / "spotting.pdf").is_file() and (project / "1M1_clicksheet.pdf").is_file()
    (click,) = (project / "clicks").glob("1M1_*.wav")
    assert read_bext(click).time_reference == 0  # bar 1 at 00:00:00:00, no count-in
    assert soundfile.info(str(click)).samplerate == 48000
    assert probe(project / "streamers" / "1M1.mp4").duration_frames > 12 * 24
    assert list((project / "mockups" / "1M1").glob("*_mix.wav"))
    assert list((project / "parts").rglob("*.pdf")) and list((project / "scores").rglob("*.pdf"))
    assert list((project / "books").rglob("*.pdf"))
    for name in ("calls.pdf", "pack/run sheet.pdf", "pack/timeline.otio", "cue-sheet.pdf",
                 "costs.pdf"):
        assert (project / name).is_file(), name
    assert "1M1 click.wav" in {p.name for p in (project / "pack" / "cues" / "1M1").iterdir()}
    # the album of the cue's mockup: the CD image with its CUE sheet, tagged FLAC, and the
    # cue as a piano solo
    assert list((project / "release" / "cd").glob("*.cue"))
    assert soundfile.info(str(next((project / "release" / "cd").glob("*.wav")))
                          ).samplerate == 44100
    assert list((project / "release" / "digital").glob("01 *.flac"))
    assert (project / "editions" / "1M1" / "1M1 piano.pdf").is_file()
