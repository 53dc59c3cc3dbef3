"""The looks every test's PDFs and videos get (tests/looking.py) catch what they are for."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from looking import distinct_files, look_at_video

BROKEN = pytest.mark.not_looked("broken on purpose: the look must refuse it")


def _video(path: Path, pieces: list[tuple[str, float]], gop: int) -> Path:
    """An H.264 video of ``pieces`` (a lavfi source with its options, seconds) one after
    another at 24 fps, a keyframe every ``gop`` frames."""
    inputs, labels = [], ""
    for n, (source, seconds) in enumerate(pieces):
        inputs += ["-f", "lavfi", "-i", f"{source}:size=160x120:rate=24:duration={seconds}"]
        labels += f"[{n}:v]"
    subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex",
                    f"{labels}concat=n={len(pieces)}:v=1[v]", "-map", "[v]", "-c:v", "libx264",
                    "-g", str(gop), "-pix_fmt", "yuv420p", str(path)], check=True)
    return path


def test_a_video_of_pictures_passes(tmp_path):
    video = _video(tmp_path / "fine.mp4", [("testsrc=n=1", 3)], gop=24)
    frames = look_at_video(video)
    assert len(frames) == 3 and all(f.shape == (120, 160, 3) for f in frames)


@BROKEN
def test_a_video_ending_in_black_fails_though_its_only_keyframe_is_the_first(tmp_path):
    # the last frame is decoded from the keyframe before it, however far back
    video = _video(tmp_path / "tail.mp4", [("testsrc=n=1", 3), ("color=c=black", 2)], gop=250)
    with pytest.raises(AssertionError, match="one flat colour"):
        look_at_video(video)


@BROKEN
def test_a_video_black_in_the_middle_fails(tmp_path):
    video = _video(tmp_path / "middle.mp4",
                   [("testsrc=n=1", 2), ("color=c=black", 2), ("testsrc=n=1", 2)], gop=12)
    with pytest.raises(AssertionError, match="one flat colour"):
        look_at_video(video)


def test_copies_are_looked_at_once_and_files_of_one_size_each(tmp_path):
    a, b, c, d = (tmp_path / name for name in ("a.pdf", "b.pdf", "c.pdf", "d.pdf"))
    a.write_bytes(b"%PDF one")
    b.write_bytes(b"%PDF one")  # a copy of a
    c.write_bytes(b"%PDF two")  # the same size, other bytes
    d.write_bytes(b"%PDF three")
    assert distinct_files([a, b, c, d]) == [a, c, d]
    for path in (a, b, c, d):
        path.unlink()  # (not PDFs: nothing for this test's own look to render)
