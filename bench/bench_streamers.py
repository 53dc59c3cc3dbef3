"""Streamers, punches and burned-in text on one demo part vs a plain ffmpeg re-encode.

demo/popeye1936/part1.mkv: 1,440 frames of HEVC 1440x1074 at 24 fps (60 s of picture).

* ours: ``render_overlays(part1.mkv, plan, out.mkv)`` with a plan of 10 sync points
  (green hits and downbeats, a red end, 2 yellow warnings), punches, a flutter on every
  bar line, a bar|beat counter (4/4 at 120 BPM: a beat every 12 frames), the cue number
  and burned-in timecode; includes the ffprobe that checks the input.
* peer: the same encode with nothing drawn, ``ffmpeg -i part1.mkv -map 0:v:0 -c:v libx264
  -preset veryfast -crf 20 -pix_fmt yuv420p -fps_mode passthrough out.mkv``: what any
  burn-in must cost at least.  Target: ours within 1.5x of it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from _common import DEMO, Result, measure_side_by_side

PART = DEMO / "part1.mkv"
FRAMES = 1440
SYNC = ((100, "hard"), (230, "downbeat"), (350, "hard"), (480, "soft"), (600, "downbeat"),
        (720, "hard"), (850, "hard"), (1000, "downbeat"), (1150, "hard"), (1300, "end"))


def run(quick: bool = False) -> list[Result]:
    from filmscore.formats.overlay_video import render_overlays
    from filmscore.formats.video import probe
    from filmscore.sync.streamers import plan_overlays

    if shutil.which("ffmpeg") is None or not PART.is_file():
        print("  streamers: ffmpeg or demo/popeye1936/part1.mkv missing, skipped")
        return []
    repeats, warmups = (1, 0) if quick else (3, 1)
    info = probe(PART)
    beats = [(f, 1 + i // 4, 1 + i % 4) for i, f in enumerate(range(24, 1300, 12))]
    plan = plan_overlays(first_frame=info.start_frame, frame_count=info.duration_frames,
                         rate=info.rate, sync_points=[(f, k, None) for f, k in SYNC],
                         bar_frames=beats, flutters=True, cue_label="1M1",
                         count_in_frames=(12, 24))
    with tempfile.TemporaryDirectory(prefix="bench-streamers-") as work:
        ours_out, peer_out = Path(work) / "ours.mkv", Path(work) / "peer.mkv"
        peer = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(PART), "-map", "0:v:0",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
                "-fps_mode", "passthrough", str(peer_out)]
        t = measure_side_by_side(
            {"ours": lambda: render_overlays(PART, plan, ours_out, preset="veryfast"),
             "peer": lambda: subprocess.run(peer, capture_output=True, check=True)},
            repeats=repeats, warmups=warmups)
        counts = (probe(ours_out).duration_frames, probe(peer_out).duration_frames)
    same = "same frame count" if counts == (FRAMES, FRAMES) else f"FRAME COUNTS {counts}"
    ours, plain = t["ours"], t["peer"]
    print(f"  streamers part1: ours {ours.median_s:.2f} s, plain re-encode "
          f"{plain.median_s:.2f} s, ratio {ours.median_s / plain.median_s:.2f}; {same}")
    return [Result(
        bench="streamers", case=f"part1.mkv, {FRAMES:,} frames HEVC 1440x1074, 10 sync points",
        ours="render_overlays", ours_s=ours.median_s,
        peer="ffmpeg plain re-encode (floor)", peer_s=plain.median_s,
        note=f"{len(plan.streamers)} streamers, {len(plan.punches)} punches, "
             f"{len(plan.flutters)} flutters, timecode, bar:beat and cue text; {same}")]
