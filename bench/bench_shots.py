"""Shot detection on one demo part: ours vs the ffmpeg command a user would type.

demo/popeye1936/part1.mkv: 1,440 frames of HEVC 1440x1074 at 24 fps (60 s of picture).

* ours: ``filmscore.formats.video.detect_shots(path)`` (ffprobe counts packets and reads
  rate and start timecode, then ffmpeg's scene filter; frames exact from pts).
* peer: ``ffmpeg -i part1.mkv -vf "select='gt(scene,0.3)',showinfo" -f null -`` with the
  showinfo lines left for the user to read.
* floor: ``ffmpeg -i part1.mkv -f null -``, a plain decode; no scene detection can be
  faster than decoding every frame.

Times are reported as multiples of real time (60 s of picture / time taken).
"""

from __future__ import annotations

import re
import shutil
import subprocess

from _common import DEMO, Result, measure_side_by_side

PART = DEMO / "part1.mkv"
PICTURE_S = 1440 / 24


def _ffmpeg(args: list[str]) -> str:
    proc = subprocess.run(["ffmpeg", *args], capture_output=True, text=True, check=True)
    return proc.stderr


def run(quick: bool = False) -> list[Result]:
    from filmscore.formats.video import detect_shots

    if shutil.which("ffmpeg") is None or not PART.is_file():
        print("  shots: ffmpeg or demo/popeye1936/part1.mkv missing, skipped")
        return []
    repeats, warmups = (2, 1) if quick else (5, 1)
    scene = ["-i", str(PART), "-vf", "select='gt(scene,0.3)',showinfo", "-f", "null", "-"]
    decode = ["-i", str(PART), "-f", "null", "-"]

    ours_shots = [m.frame for m in detect_shots(PART)]
    peer_shots = len(re.findall(r"Parsed_showinfo.*\bn:\s*\d+", _ffmpeg(scene)))
    agree = "same shots" if peer_shots == len(ours_shots) else "SHOT COUNTS DIFFER"
    print(f"  shots part1: ours {ours_shots}, plain ffmpeg {peer_shots} changes: {agree}")

    t = measure_side_by_side({"ours": lambda: detect_shots(PART),
                              "peer": lambda: _ffmpeg(scene),
                              "floor": lambda: _ffmpeg(decode)},
                             repeats=repeats, warmups=warmups)
    ours, peer, floor = t["ours"], t["peer"], t["floor"]

    def rt(seconds: float) -> str:
        return f"{PICTURE_S / seconds:.1f}x real time"

    case = "part1.mkv, 1,440 frames HEVC 1440x1074"
    return [
        Result(bench="shots", case=case, ours="detect_shots", ours_s=ours.median_s,
               peer="ffmpeg scene filter (CLI)", peer_s=peer.median_s,
               note=f"{rt(ours.median_s)} vs {rt(peer.median_s)}; "
                    f"{len(ours_shots)} vs {peer_shots} changes: {agree}"),
        Result(bench="shots", case=case, ours="detect_shots", ours_s=ours.median_s,
               peer="ffmpeg plain decode (floor)", peer_s=floor.median_s,
               note=f"decode alone {rt(floor.median_s)}"),
    ]
