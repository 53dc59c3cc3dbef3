"""Overlays burned into real clips, checked by decoding the output frame by frame.

No OCR: a mark is found where the output differs from the input picture (and has the
mark's colour); text is checked by how its (opaque-boxed) area changes from frame to
frame.  Clips: tests/data/video/popeye_24.mkv (120 frames, 24 fps) and popeye_2997.mov
(150 frames, 29.97, TC 01:00:00:00).
"""

from __future__ import annotations

import re
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from filmscore.errors import ParseError, ToolError, ValidationError
from filmscore.formats import video
from filmscore.formats.overlay_video import (
    ass_script,
    filter_script,
    flutter_height,
    label_changes,
    punch_diameter,
    render_overlays,
)
from filmscore.formats.video import probe
from filmscore.sync.streamers import COLORS, plan_overlays, streamer_width, streamer_x
from filmscore.timecode import format_label, get_rate, parse_label

DATA = Path(__file__).resolve().parent.parent / "data" / "video"
CLIP24 = DATA / "popeye_24.mkv"
CLIP2997 = DATA / "popeye_2997.mov"
W, H = 320, 240
ROWS = range(50, 90)  # clear of the text boxes (top, bottom) and the punch (centre)
SIZE = H // 14  # the text's font size (ass_script); a character is about half of it wide
CHAR = SIZE // 2


def decode(path: Path) -> np.ndarray:
    """Every frame of the first video stream: an int16 array (frames, H, W, rgb)."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3).astype(np.int16)


def pixel(frame: np.ndarray, x: int, y: int) -> tuple[int, int, int]:
    return tuple(int(c) for c in frame[y, x])


def bar_edge(out: np.ndarray, src: np.ndarray, rgb: tuple[int, int, int]) -> int | None:
    """Rightmost column, in ROWS, that the overlay changed to about colour ``rgb``."""
    rows = slice(ROWS.start, ROWS.stop)
    diff = np.abs(out[rows] - src[rows]).sum(axis=2).mean(axis=0)
    near = np.abs(out[rows].mean(axis=0) - np.array(rgb)).sum(axis=1) < 200
    found = np.flatnonzero((diff > 80) & near)
    return int(found[-1]) if found.size else None


def bar_covers(plan, frame: int, x0: int, x1: int) -> bool:
    """True when a streamer of ``plan`` (with a pixel of blur) touches columns x0..x1."""
    edge = streamer_x(plan, frame, W)
    return edge is not None and edge - streamer_width(W) - 2 <= x1 and x0 <= edge + 2


def region_diff(a: np.ndarray, b: np.ndarray, x0: int, x1: int, y0: int, y1: int) -> float:
    """Mean absolute difference of two frames over a rectangle."""
    return float(np.abs(a[y0:y1, x0:x1] - b[y0:y1, x0:x1]).mean())


def r_frame_rate(path: Path) -> str:
    return subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                           "-show_entries", "stream=r_frame_rate", "-of", "csv=p=0",
                           str(path)], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def render24(tmp_path_factory):
    """The 24 fps clip: a magenta hit at 60 (2-frame punch), beats every 12 frames."""
    info = probe(CLIP24)
    beats = [(f, 1 + i // 4, 1 + i % 4) for i, f in enumerate(range(0, 120, 12))]
    plan = plan_overlays(first_frame=0, frame_count=info.duration_frames, rate=info.rate,
                         sync_points=[(60, "hard", "magenta")], bar_frames=beats,
                         punch_frames=2, flutters=True, cue_label="1M5")
    out = render_overlays(CLIP24, plan, tmp_path_factory.mktemp("ov24") / "out.mkv")
    return plan, decode(CLIP24), decode(out), out


@pytest.fixture(scope="module")
def render2997(tmp_path_factory):
    """The 29.97 clip at 01:00:00:00 NDF: an end (red) at +100, a yellow hit at +40."""
    info = probe(CLIP2997)
    first = info.start_frame
    plan = plan_overlays(first_frame=first, frame_count=info.duration_frames, rate=info.rate,
                         sync_points=[(first + 100, "end", None),
                                      (first + 40, "soft", "yellow")])
    out = render_overlays(CLIP2997, plan, tmp_path_factory.mktemp("ov2997") / "out.mov")
    return plan, decode(CLIP2997), decode(out), out


def test_overlay_24_streamer_edge_on_every_frame(render24):
    plan, src, out, _ = render24
    assert len(out) == len(src) == 120
    for n in range(120):
        expected = streamer_x(plan, n, W)
        got = bar_edge(out[n], src[n], COLORS["magenta"])
        if expected is None:
            assert got is None, f"frame {n}: a bar where none should be"
        else:
            assert got is not None and abs(got - expected) <= 2, (n, expected, got)
    assert streamer_x(plan, 60, W) == W - 1  # touches the right edge on the hit
    assert bar_edge(out[61], src[61], COLORS["magenta"]) is None  # and is gone after


def test_overlay_24_punch_on_exactly_its_frames(render24):
    plan, src, out, _ = render24
    radius = punch_diameter(W, H) // 2
    spot = [(W // 2 + dx, H // 2 + dy) for dx in (-radius // 2, 0) for dy in (-radius // 2, 0,
                                                                           radius // 2)]
    shown = []
    for n in range(120):
        if bar_covers(plan, n, W // 2 - radius // 2, W // 2):
            continue  # the streamer is crossing the spot
        colours = [pixel(out[n], x, y) for x, y in spot]
        if all(r > 200 and g < 90 and b > 200 for r, g, b in colours):
            shown.append(n)
        else:
            assert max(sum(abs(p - q) for p, q in zip(pixel(out[n], x, y), pixel(src[n], x, y),
                                                      strict=True))
                       for x, y in spot) < 60, n
    assert shown == [60, 61]


def test_overlay_24_flutters_on_downbeats_only(render24):
    plan, src, out, _ = render24
    band = flutter_height(H)
    flashed = []
    for n in range(120):
        edge = streamer_x(plan, n, W)
        cols = [x for x in range(0, W, 3)
                if edge is None or not edge - streamer_width(W) - 2 <= x <= edge + 2]
        white = sum(all(c > 220 for c in pixel(out[n], x, y))
                    for x in cols for y in range(1, band - 1))
        if white > 0.95 * len(cols) * (band - 2):
            flashed.append(n)
    assert flashed == [f.frame for f in plan.flutters] == [0, 48, 96]


def test_overlay_24_bar_beat_counter_changes_on_beat_frames(render24):
    plan, _, out, _ = render24
    # the bar|beat box, top right: same text -> same pixels (opaque box); new beat -> new
    size, top = H // 14, flutter_height(H) + H // 60
    x0, x1, y0, y1 = W - 6 - CHAR - 2, W - 6, top + 2, top + size  # the beat digit
    steady = [n for n in range(1, 120)
              if not bar_covers(plan, n, x0, x1) and not bar_covers(plan, n - 1, x0, x1)]
    changed = [n for n in steady if region_diff(out[n - 1], out[n], x0, x1, y0, y1) > 10]
    assert changed == [n for n in range(12, 120, 12) if n in steady]
    assert len(changed) >= 7


def test_overlay_24_timecode_and_cue_text(render24):
    plan, src, out, _ = render24
    # timecode, bottom centre: a new label on every frame (its last two digits)
    size = H // 14
    x0, x1 = W // 2 + 7 * CHAR // 2, W // 2 + 11 * CHAR // 2
    y1 = H - H // 60 - 2
    y0 = y1 - size + 4
    assert all(region_diff(out[n - 1], out[n], x0, x1, y0, y1) > 3 for n in range(1, 120))
    # cue label, top left: drawn (differs from the picture) and the same on every frame
    top = flutter_height(H) + H // 60
    box = (6, 6 + 3 * CHAR, top + 2, top + size)
    assert all(region_diff(out[n], src[n], *box) > 20 for n in range(120))
    clear = [n for n in range(120) if not bar_covers(plan, n, box[0], box[1])]
    assert len(clear) > 100
    assert all(region_diff(out[clear[0]], out[n], *box) < 8 for n in clear)


def test_overlay_24_keeps_frame_count_and_rate(render24):
    _, _, _, out = render24
    info, orig = probe(out), probe(CLIP24)
    assert (info.duration_frames, info.rate, info.codec) == (orig.duration_frames, orig.rate,
                                                             "h264")
    assert r_frame_rate(out) == r_frame_rate(CLIP24) == "24/1"


def test_overlay_2997_overlapping_streamers_each_where_expected(render2997):
    plan, src, out, _ = render2997
    red, yellow = plan.streamers[1], plan.streamers[0]
    assert (yellow.color, red.color) == ("yellow", "red")
    assert yellow.start_frame < plan.first_frame  # begun before the clip: drawn partway
    for n in range(len(out)):
        frame = plan.first_frame + n
        for streamer in (red, yellow):
            expected = streamer.x(frame, W)
            got = bar_edge(out[n], src[n], COLORS[streamer.color])
            if expected is None:
                assert got is None, (streamer.color, n, got)
                continue
            if expected < 2:
                continue  # one or two columns of the bar: too thin to find after chroma blur
            other_x = (yellow if streamer is red else red).x(frame, W)
            if other_x is not None and abs(other_x - expected) < 2 * streamer_width(W):
                continue  # the two bars touch here: each hides an edge of the other
            assert got is not None and abs(got - expected) <= 2, (streamer.color, n,
                                                                    expected, got)


def test_overlay_2997_keeps_frame_count_rate_and_timecode(render2997):
    plan, src, out, path = render2997
    info = probe(path)
    assert len(out) == len(src) == info.duration_frames == 150
    assert r_frame_rate(path) == r_frame_rate(CLIP2997) == "30000/1001"
    assert info.start_frame == plan.first_frame == parse_label("01:00:00:00", "29.97")


def test_overlay_2997_drop_frame_labels_render(tmp_path):
    """The same clip labelled 01:00:00:00 (NDF) and 01:00:00;00 (DF): in the monospaced
    timecode only the separator before the frames differs, and it is drawn."""
    info = probe(CLIP2997)
    df = get_rate("29.97df")
    renders = {}
    for rate, label in ((info.rate, "01:00:00:00"), (df, "01:00:00;00")):
        plan = plan_overlays(first_frame=parse_label(label, rate), frame_count=150, rate=rate,
                             sync_points=[])
        out = render_overlays(CLIP2997, plan, tmp_path / f"{rate.name}.mov")
        renders[rate.name] = decode(out)
        assert probe(out).start_frame == plan.first_frame
        assert probe(out).rate == rate  # the timecode track says drop-frame or not
    size = H // 14
    y1 = H - H // 60 - 2
    y0 = y1 - size + 4
    for n in (0, 77, 149):
        a, b = renders["29.97"][n], renders["29.97df"][n]
        cols = [x for x in range(W) if region_diff(a, b, x, x + 1, y0, y1) > 25]
        assert cols, n
        assert max(cols) - min(cols) <= size  # one character wide, right of centre
        assert min(cols) > W // 2


def test_ass_events_are_frame_exact_and_use_our_labels():
    df = get_rate("29.97df")
    first = parse_label("00:00:59;20", df)
    plan = plan_overlays(first_frame=first, frame_count=150, rate=df, sync_points=[],
                         bar_frames=[(first + 10, 4, 1), (first + 25, 4, 2)], cue_label="2M1")
    script = ass_script(plan, W, H)
    events = re.findall(r"^Dialogue: 0,(\d):(\d\d):(\d\d)\.(\d\d),(\d):(\d\d):(\d\d)\.(\d\d),"
                        r"(\w+),,0,0,\d+,,(.*)$", script, re.M)

    def ms(h, m, s, c):
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(c) * 10

    labels = [e[9] for e in events if e[8] == "TC"]
    assert labels == [format_label(first + i, df) for i in range(150)]
    assert "00:00:59;29" in labels and "00:01:00;02" in labels and "00:01:00;00" not in labels
    for e in events:
        start, end = ms(*e[0:4]), ms(*e[4:8])
        if e[8] == "TC":
            i = labels.index(e[9])
            frame_ms = Fraction(1000 * i) / df.fps
            # the event covers frame i's time and no other frame's (with room to spare)
            assert frame_ms - Fraction(1000, 1) / df.fps + 5 < start <= frame_ms
            assert frame_ms + 5 < end < frame_ms + Fraction(1000) / df.fps
    beats = [(ms(*e[0:4]), ms(*e[4:8]), e[9]) for e in events if e[8] == "Beat"]
    assert [b[2] for b in beats] == ["4|1", "4|2"]
    assert beats[0][1] == beats[1][0]  # the first beat ends where the second begins
    assert [e[9] for e in events if e[8] == "Cue"] == ["2M1"]


def test_labels_drawn_once_per_change_look_as_drawn_on_every_frame(tmp_path):
    # the cue label and bar|beat are drawn on the frames where they change only, on a
    # band laid over the picture; the picture is what libass drawing every frame gives
    df = get_rate("29.97df")
    first = parse_label("00:00:59;20", df)
    plan = plan_overlays(first_frame=first, frame_count=60, rate=df, sync_points=[],
                         bar_frames=[(first + 10, 4, 1), (first + 25, 4, 2)],
                         cue_label="2M1 A Long Title\nOn Two Lines")
    assert label_changes(plan) == [0, 10, 25, 40]
    (tmp_path / "all.ass").write_text(ass_script(plan, W, H))
    (tmp_path / "tc.ass").write_text(ass_script(plan, W, H, labels=False))
    (tmp_path / "labels.ass").write_text(ass_script(plan, W, H, timecode=False))
    assert ",Cue," not in (tmp_path / "tc.ass").read_text()
    assert ",TC," not in (tmp_path / "labels.ass").read_text()
    every = filter_script(plan, W, H, {}, "all.ass")
    once = filter_script(plan, W, H, {}, "tc.ass", labels_file="labels.ass")
    assert "loop=loop=3:size=1" in once and once.count("ass=filename=") == 2

    def frames(graph: str) -> np.ndarray:
        (tmp_path / "graph.txt").write_text(graph)
        raw = subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
             f"testsrc2=s={W}x{H}:r=30000/1001:d=3", "-filter_complex_script", "graph.txt",
             "-map", "[out]", "-frames:v", "60", "-f", "rawvideo", "-pix_fmt", "yuv420p",
             "-"], cwd=tmp_path, capture_output=True, check=True).stdout
        return np.frombuffer(raw, np.uint8).reshape(60, -1).astype(int)

    a, b = frames(every), frames(once)
    assert len(a) == len(b) == 60
    assert (a[:, :W * H] == b[:, :W * H]).all()  # the brightness: the same, byte for byte
    # the colour: blended in two steps, the half-size alpha of a box edge (where the label's
    # two lines meet) rounds differently, by a few levels on a few pixels
    assert np.abs(a - b).max() <= 8 and (a != b).mean() < 0.001


def test_streamers_never_on_screen_together_share_one_overlay():
    # 20 hits 5 s apart with 3 s streamers: one green lane; a red end: a second
    plan = plan_overlays(first_frame=0, frame_count=2600, rate="24",
                         sync_points=[*((f, "hard", None) for f in range(100, 2500, 120)),
                                      (2550, "end", None)])
    assert len(plan.streamers) == 21
    graph = filter_script(plan, W, H, {"white": "1"}, None)
    assert graph.count("[bar") == 4  # two bars, each made once and used once
    assert graph.count("overlay=") == 3  # the two lanes and the punches (before: 22)


def test_a_long_cue_of_many_label_changes_and_punches_renders(tmp_path):
    # 300 beats and 149 flashes: ffmpeg 5.1 refuses a flat sum of more than about a
    # hundred terms in an expression, so the graph nests them
    plan = plan_overlays(first_frame=0, frame_count=600, rate="24", sync_points=[],
                         bar_frames=[(f, f // 8 + 1, f // 2 % 4 + 1) for f in range(0, 600, 2)],
                         cue_label="9M9", count_in_frames=list(range(5, 600, 4)))
    assert len(plan.punches) == 149
    assert len(label_changes(plan)) == 300
    video = tmp_path / "in.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
                    f"testsrc2=s={W}x{H}:r=24:d=25", "-c:v", "libx264", "-preset",
                    "ultrafast", str(video)], check=True)
    out = render_overlays(video, plan, tmp_path / "out.mp4")
    assert probe(out).duration_frames == 600


@pytest.mark.not_looked("its video is a broken input on purpose")
def test_render_refuses_bad_input_and_mismatched_plan(tmp_path):
    bad = tmp_path / "broken.mkv"
    bad.write_bytes(b"not a video at all")
    plan = plan_overlays(first_frame=0, frame_count=120, rate="24", sync_points=[])
    with pytest.raises(ParseError, match="broken.mkv"):
        render_overlays(bad, plan, tmp_path / "out.mkv")
    wrong = plan_overlays(first_frame=0, frame_count=100, rate="24", sync_points=[])
    with pytest.raises(ValidationError, match="120 frames"):
        render_overlays(CLIP24, wrong, tmp_path / "out.mkv")
    with pytest.raises(ValidationError, match="rate"):
        render_overlays(CLIP24, plan_overlays(first_frame=0, frame_count=120, rate="25",
                                              sync_points=[]), tmp_path / "out.mkv")
    assert not list(tmp_path.glob("*out*"))  # nothing half-written


def test_render_without_ffmpeg_is_a_tool_error(tmp_path, monkeypatch):
    monkeypatch.setattr(video.shutil, "which", lambda name: None)
    plan = plan_overlays(first_frame=0, frame_count=120, rate="24", sync_points=[])
    with pytest.raises(ToolError, match="ffmpeg"):
        render_overlays(CLIP24, plan, tmp_path / "out.mkv")


@pytest.fixture(scope="module")
def head_of_reel(tmp_path_factory):
    """The 24 fps clip as a reel starting at project frame 1000; a cue whose count-in (a
    bar at 120 BPM, clicks at 960, 972, 984, 996) starts before it, bar 1 at 1008, a
    hard hit at 1040: the plan reaches 40 frames before the picture."""
    plan = plan_overlays(first_frame=960, frame_count=100, rate="24",
                         sync_points=[(1040, "hard", None)],
                         count_in_frames=[960, 972, 984, 996], downbeat_frame=1008,
                         bar_frames=[(960 + 12 * i, i // 4, 1 + i % 4) for i in range(8)],
                         cue_label="1M1")
    calls: list[tuple[int, int]] = []
    out = render_overlays(CLIP24, plan, tmp_path_factory.mktemp("head") / "out.mp4",
                          video_first=1000, progress=lambda done, total: calls.append(
                              (done, total)))
    return plan, decode(CLIP24), decode(out), out, calls


def test_head_of_reel_count_in_is_black_except_the_flash(head_of_reel):
    plan, src, out, path, calls = head_of_reel
    assert len(out) == 100 and probe(path).start_frame == 960
    assert calls and calls[-1] == (100, 100)
    radius = punch_diameter(W, H) // 2
    centre = out[:, H // 2 - radius // 2:H // 2 + radius // 2,
                 W // 2 - radius // 2:W // 2 + radius // 2]
    flashed = []
    for n in range(40):  # project frames 960..999: before the picture
        frame = 960 + n
        keep = [x for x in range(W) if not any(
            st.x(frame, W) is not None
            and st.x(frame, W) - streamer_width(W) - 2 <= x <= st.x(frame, W) + 2
            for st in plan.streamers)]
        rows = out[n, ROWS.start:ROWS.stop][:, keep]
        if (centre[n].mean(axis=(0, 1)) > (200, 200, -1)).all() and centre[n][..., 2].mean() < 80:
            flashed.append(n)  # a yellow punch
            continue
        assert rows.max() < 40, (n, int(rows.max()))  # black where nothing is drawn
    assert flashed == [0, 12, 24, 36]  # the count-in clicks flash; no streamer per click
    # the one streamer shown during the count-in runs into bar 1 (1008), drawn on black
    black = np.zeros_like(out[0])
    for frame in (960, 980, 999):
        expected = streamer_x(plan, frame, W)
        got = bar_edge(out[frame - 960], black, COLORS["green"])
        assert got is not None and abs(got - expected) <= 2, (frame, expected, got)
    # from 1000 on: the reel's picture, frame for frame (away from the marks)
    for n in range(40, 100):
        assert region_diff(out[n], src[n - 40], 20, 120, 100, 140) < 12 or \
            bar_covers(plan, 960 + n, 20, 120), n


def test_a_window_out_of_a_longer_video_is_frame_exact(tmp_path):
    plan = plan_overlays(first_frame=1068, frame_count=40, rate="24", sync_points=[],
                         show_timecode=False)
    out = decode(render_overlays(CLIP24, plan, tmp_path / "w.mp4", video_first=1000))
    src = decode(CLIP24)
    assert len(out) == 40
    moving = [n for n in range(1, 39)
              if min(region_diff(src[68 + n], src[k], 0, W, 0, H) for k in (67 + n, 69 + n)) > 3]
    assert len(moving) > 20
    for n in moving:
        diffs = [region_diff(out[n], src[k], 0, W, 0, H) for k in (67 + n, 68 + n, 69 + n)]
        assert diffs[1] < min(diffs[0], diffs[2]), n  # frame 68 + n of the video, no other


def test_a_window_at_2997_starts_on_its_frame(tmp_path):
    """The seek lands half a frame before the window: at 29.97 no frame's time is a whole
    number of microseconds, and the first frame out must still be the one asked for."""
    info = probe(CLIP2997)
    first = info.start_frame
    src = decode(CLIP2997)
    for start in (1, 77, 149):
        count = min(20, 150 - start)
        plan = plan_overlays(first_frame=first + start, frame_count=count, rate=info.rate,
                             sync_points=[], show_timecode=False)
        path = render_overlays(CLIP2997, plan, tmp_path / f"w{start}.mp4", video_first=first,
                               info=info)
        out = decode(path)
        assert len(out) == count and probe(path).start_frame == first + start
        for n in range(count):
            k = start + n
            near = [j for j in (k - 1, k + 1) if 0 <= j < 150]
            same = region_diff(out[n], src[k], 0, W, 0, H)
            assert all(same < region_diff(out[n], src[j], 0, W, 0, H) for j in near
                       if region_diff(src[k], src[j], 0, W, 0, H) > 3), (start, n)


def test_a_window_is_one_ffmpeg_run_that_seeks_and_encodes_once(tmp_path, monkeypatch):
    """A cue out of a reel: one ffmpeg run, seeking before its input (no frames decoded
    and thrown away by a trim), one video encode; the caller's probe is used as given."""
    import filmscore.formats.overlay_video as overlay_video

    runs: list[list[str]] = []
    encode = overlay_video._encode

    def spy(args, folder, total, progress):
        runs.append(list(args))
        graph = (Path(folder) / "graph.txt").read_text(encoding="utf-8")
        runs[-1].append(graph)
        return encode(args, folder, total, progress)

    monkeypatch.setattr(overlay_video, "_encode", spy)
    monkeypatch.setattr(overlay_video, "probe", lambda path: pytest.fail("probed again"))
    plan = plan_overlays(first_frame=1050, frame_count=30, rate="24",
                         sync_points=[(1070, "hard", None)])
    out = render_overlays(CLIP24, plan, tmp_path / "one.mp4", video_first=1000,
                          info=probe(CLIP24))
    assert len(runs) == 1 and len(decode(out)) == 30
    args, graph = runs[0][:-1], runs[0][-1]
    assert args.index("-ss") < args.index("-i") and args.count("-c:v") == 1
    assert args[args.index("-ss") + 1] == f"{49.5 / 24:.6f}"  # half a frame before frame 50
    assert "start_frame" not in graph and "trim=end_frame=30" in graph


def test_a_window_of_a_video_that_starts_after_its_container(tmp_path):
    """The reel's picture starts half a second after its sound (and the container): the seek
    counts from the picture's first frame, not the container's start (12 frames off
    before the seek was a timestamp of the video stream)."""
    late = tmp_path / "late.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-itsoffset", "0.525", "-i", str(CLIP24),
                    "-f", "lavfi", "-i", "sine=f=440:d=6", "-map", "0:v", "-map", "1:a",
                    "-c:v", "copy", "-c:a", "mp3", str(late)], check=True)
    info = probe(late)
    assert info.start_seconds > Fraction(1, 2) and info.duration_frames == 120
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(late), "-map", "0:v:0",
                          "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24",
                          "-"], capture_output=True, check=True).stdout
    src = np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3).astype(np.int16)
    assert len(src) == 120  # the video's own frames, no padding for the late start
    plan = plan_overlays(first_frame=1068, frame_count=30, rate="24", sync_points=[],
                         show_timecode=False)
    out = decode(render_overlays(late, plan, tmp_path / "w.mp4", video_first=1000,
                                 info=info))
    assert len(out) == 30
    for n in range(30):
        diffs = {k: region_diff(out[n], src[k], 0, W, 0, H) for k in range(120)}
        assert min(diffs, key=diffs.get) == 68 + n, n
