"""Video probing, shot detection and concat on small real clips (made from Popeye, 1936)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from filmscore.errors import InputError, ParseError, ToolError
from filmscore.formats import reader_for, video
from filmscore.timecode import get_rate

DATA = Path(__file__).resolve().parent.parent / "data" / "video"
CLIP24 = DATA / "popeye_24.mkv"  # part1 from 10 s, 120 frames; a cut at frame 57
CLIP24B = DATA / "popeye_24_b.mkv"  # part2 from 0 s, 48 frames
CLIP2997 = DATA / "popeye_2997.mov"  # NTSC part1 from 300/29.97 s, 150 frames, TC 01:00:00:00



def frame_differences(path: Path) -> list[float]:
    """Mean absolute luma difference between frame i-1 and i (index i), at 80x60."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf",
                          "scale=80:60,format=gray", "-f", "rawvideo", "-"],
                         capture_output=True, check=True).stdout
    size = 80 * 60
    frames = [raw[i:i + size] for i in range(0, len(raw), size)]
    return [0.0] + [sum(abs(a - b) for a, b in zip(frames[i - 1], frames[i], strict=True)) / size
                    for i in range(1, len(frames))]


def test_probe_24_matroska_counts_frames():
    info = video.probe(CLIP24)
    assert info.rate == get_rate("24")
    assert info.duration_frames == 120  # Matroska has no nb_frames: counted packets
    assert (info.width, info.height, info.codec) == (320, 240, "h264")
    assert info.start_frame == 0


def test_probe_2997_with_timecode():
    info = video.probe(CLIP2997)
    assert info.rate == get_rate("29.97")
    assert info.duration_frames == 150
    assert info.start_frame == 108000  # 01:00:00:00 at 29.97 non-drop = 30 * 3600


@pytest.mark.parametrize("path,cut_frame", [(CLIP24, 57), (CLIP2997, 71)])
def test_known_cut_is_a_real_cut_and_detected(path, cut_frame):
    diffs = frame_differences(path)
    ordinary = sorted(diffs)[len(diffs) // 2]
    assert diffs[cut_frame] > 8 * ordinary  # the picture really changes here
    assert diffs[cut_frame] == max(diffs)
    shots = video.detect_shots(path)
    assert cut_frame in [m.frame for m in shots]
    assert all(m.kind == "shot" for m in shots)


def test_video_as_cut():
    cut = reader_for("cut", CLIP2997)(CLIP2997)
    assert cut.source_kind == "video"
    assert len(cut.events) == 1
    event = cut.events[0]
    assert (event.record_in, event.record_out) == (108000, 108000 + 150)
    assert 108000 + 71 in [m.frame for m in cut.markers]


def test_concat(tmp_path):
    out = tmp_path / "reel.mkv"
    counts = video.concat([CLIP24, CLIP24B], out)
    assert counts == [120, 48]
    assert video.probe(out).duration_frames == 168


def test_assemble_cuts_frame_exact_segments_in_order(tmp_path):
    """A re-cut rendered from its sources: the frames kept, in the new order, exact (the
    clip's cut at frame 57 lands where the segments put it)."""
    out = tmp_path / "recut.mp4"
    frames = video.assemble([(CLIP24B, 0, 24), (CLIP24, 50, 70), (CLIP24B, 30, 40)], out,
                            size=(320, 240), timecode="01:00:00:00")
    info = video.probe(out)
    assert frames == info.duration_frames == 54 and (info.width, info.height) == (320, 240)
    assert info.start_frame == 86400  # 01:00:00:00 at 24 fps
    jumps = frame_differences(out)
    big = sorted(range(len(jumps)), key=jumps.__getitem__)[-3:]
    assert sorted(big) == [24, 31, 44]  # the joins at 24 and 44, the clip's own cut (50+7)
    with pytest.raises(InputError, match="frames outside the video"):
        video.assemble([(CLIP24B, 40, 60)], tmp_path / "x.mp4", size=(320, 240))
    assert not (tmp_path / "x.mp4").exists()


@pytest.mark.not_looked("its video is a broken input on purpose")
def test_not_video(tmp_path):
    bad = tmp_path / "notes.mkv"
    bad.write_text("this is not a video")
    with pytest.raises(ParseError, match="notes.mkv"):
        video.probe(bad)


def test_missing_ffprobe(monkeypatch):
    monkeypatch.setattr(video.shutil, "which", lambda name: None)
    with pytest.raises(ToolError, match="ffprobe"):
        video.probe(CLIP24)
