"""`filmscore streamers 1M6`, the whole command, vs a plain ffmpeg re-encode of its frames.

The project: the demo's reel 1 (its four parts joined and scaled to 720x536, H.264 at
24 fps, 5,760 frames, as ``filmscore demo`` makes it), the demo's spotting list, and cue
1M6 solved as the demo solves it (eighths, 60-160 BPM, one bar of count-in).  It is
built in a temporary folder (about a minute: the reel is an encode) and removed after,
unless ``--project DIR`` names one built before (``--keep DIR`` builds one there; under
``bench/run.py`` the environment variable ``BENCH_STREAMERS_PROJECT`` names it).

* ours: ``filmscore -p PROJECT streamers 1M6 --out OUT.mp4``, the command a user runs,
  timed from start to exit: Python start-up, opening the project, the plan, the probe
  of the reel and the one ffmpeg run that seeks into the reel and draws the streamers,
  punches, timecode, bar|beat and cue label while it encodes.
* peer: ``ffmpeg -ss T -i REEL -map 0:v:0 -frames:v N -c:v libx264 -preset superfast
  -crf 20 -pix_fmt yuv420p -fps_mode passthrough OUT.mp4``: the same frames (T and N
  from our output: its start timecode and frame count) with the same codec settings
  and nothing drawn, what any burn-in must cost at least.  Target: ours within 1.2x.
* also timed in the same turns: ``filmscore --help``, the start-up every command pays,
  to show how much of the gap is start-up rather than streamers.

    .venv/bin/python bench/bench_streamers.py [--project DIR | --keep DIR] [--quick]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from _common import DEMO, ROOT, Result, measure_side_by_side

CUE = "1M6"
FILMSCORE = Path(sys.executable).parent / "filmscore"
#: the subprocesses run this tree's code, as run.py itself does
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}


def build_project(folder: Path) -> Path:
    """The demo's reel 1, spotting list and cue 1M6 with its tempo map; the project folder."""
    from filmscore import demo
    from filmscore.formats.otio_cut import write_edl
    from filmscore.formats.spotting_csv import read_spotting_csv
    from filmscore.formats.video import concat
    from filmscore.project import init_project, open_project
    from filmscore.spotting.cut import CutEvent, make_cut
    from filmscore.spotting.service import import_cues, import_picture, list_cues
    from filmscore.sync.service import set_tempo_map, solve_for_cue
    from filmscore.timecode import format_label
    from filmscore.writing.cuetime import meter_for

    project = folder / "project"
    init_project(project, title=demo.TITLE, fps=demo.RATE.name)
    pctx = open_project(project)
    parts = [DEMO / f"{p}.mkv" for p in demo.PARTS]
    with tempfile.TemporaryDirectory(prefix="bench-streamers-reel-") as work:
        reel = Path(work) / "reel1.mp4"
        lengths = concat(parts, reel, size=demo.VIDEO_SIZE,
                         timecode=format_label(demo.REEL_START, demo.RATE))
        events, record = [], demo.REEL_START
        for n, (part, length) in enumerate(zip(parts, lengths, strict=True), 1):
            events.append(CutEvent(index=n, clip_name=part.name, source_reel=f"PART{n}",
                                   source_in=0, source_out=length, record_in=record,
                                   record_out=record + length))
            record += length
        edl = Path(work) / "reel1.edl"
        write_edl(make_cut(name="REEL 1", rate=demo.RATE, events=events, source="assembly",
                           source_kind="edl"), edl)
        import_picture(pctx, edl, video=reel, shots=False)  # the reel goes into the store
    import_cues(pctx, read_spotting_csv(DEMO / "spotting.csv", demo.RATE))
    cue = next(c for c in list_cues(pctx) if str(c.number) == CUE)
    solved = solve_for_cue(pctx, CUE, meter=meter_for(cue), subdivision=demo.SUBDIVISION,
                           tempo_range=(Fraction(60), Fraction(160)))
    set_tempo_map(pctx, CUE, dataclasses.replace(solved.tempo_map, count_in_bars=1),
                  origin="solve")
    return project


def measure(project: Path, work: Path, quick: bool) -> list[Result]:
    from filmscore.formats.video import probe
    from filmscore.project import open_project
    from filmscore.spotting.service import picture_video

    reel, reel_first = picture_video(open_project(project))
    ours_out, peer_out = work / "ours.mp4", work / "peer.mp4"
    ours = [str(FILMSCORE), "-p", str(project), "streamers", CUE, "--out", str(ours_out)]
    subprocess.run(ours, env=ENV, check=True, capture_output=True)  # T and N from its output
    made = probe(ours_out)
    start = made.start_frame - reel_first
    seek = float(probe(reel).start_seconds  # as ours seeks: see overlay_video._window
                 + Fraction(2 * start - 1, 2) / made.rate.fps)
    peer = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-seek_timestamp", "1",
            "-ss", f"{seek:.6f}", "-i", str(reel),
            "-map", "0:v:0", "-frames:v", str(made.duration_frames), "-c:v", "libx264",
            "-preset", "superfast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-fps_mode", "passthrough", str(peer_out)]
    start_up = [str(FILMSCORE), "--help"]
    cpu: dict[str, list[float]] = {"ours": [], "peer": [], "start-up": []}

    def timed(name: str, args: list[str], env: dict | None = None):
        def call() -> None:  # also the CPU time of the process and its children (ffmpeg)
            before = os.times()
            subprocess.run(args, env=env, check=True, capture_output=True)
            after = os.times()
            cpu[name].append(after.children_user + after.children_system
                             - before.children_user - before.children_system)
        return call

    repeats, warmups = (1, 0) if quick else (5, 1)
    t = measure_side_by_side(
        {"ours": timed("ours", ours, ENV), "peer": timed("peer", peer),
         "start-up": timed("start-up", start_up, ENV)}, repeats=repeats, warmups=warmups)
    cpu_ours, cpu_peer, cpu_boot = (statistics.median(cpu[k][warmups:])
                                    for k in ("ours", "peer", "start-up"))
    counts = (probe(ours_out).duration_frames, probe(peer_out).duration_frames)
    same = ("same frame count" if counts[0] == counts[1] == made.duration_frames
            else f"FRAME COUNTS {counts}")
    cmd, plain, boot = t["ours"].median_s, t["peer"].median_s, t["start-up"].median_s
    print(f"  streamers {CUE}: command {cmd:.2f} s, plain re-encode {plain:.2f} s, ratio "
          f"{cmd / plain:.2f}; start-up alone {boot:.2f} s "
          f"(without it {(cmd - boot) / plain:.2f}); CPU {cpu_ours:.2f} s vs {cpu_peer:.2f} s, "
          f"{cpu_ours / cpu_peer:.2f} (start-up {cpu_boot:.2f} s); {same}")
    return [Result(
        bench="streamers",
        case=f"demo reel 1 (720x536 H.264), cue {CUE}: {made.duration_frames:,} frames",
        ours=f"filmscore streamers {CUE}", ours_s=cmd,
        peer="ffmpeg plain re-encode of the same frames (floor)", peer_s=plain,
        note=f"the whole command; start-up alone (filmscore --help) {boot:.2f} s, "
             f"without it {(cmd - boot) / plain:.2f}x; CPU time {cpu_ours / cpu_peer:.2f}x "
             f"({cpu_ours:.2f} s vs {cpu_peer:.2f} s, start-up {cpu_boot:.2f} s); {same}")]


def run(quick: bool = False, project: Path | None = None,
        keep: Path | None = None) -> list[Result]:
    if shutil.which("ffmpeg") is None or not (DEMO / "part1.mkv").is_file():
        print("  streamers: ffmpeg or the demo film (demo/popeye1936) missing, skipped")
        return []
    project = project or os.environ.get("BENCH_STREAMERS_PROJECT") or None
    with tempfile.TemporaryDirectory(prefix="bench-streamers-") as work:
        if project is None:
            print("  building the project (the reel is an encode: about a minute)", flush=True)
            project = build_project(Path(keep) if keep else Path(work))
        return measure(Path(project), Path(work), quick)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--project", type=Path,
                       help="a project this script built before (--keep DIR: DIR/project)")
    where.add_argument("--keep", type=Path, help="build the project in this new folder")
    parser.add_argument("--quick", action="store_true", help="one run each, a smoke check")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=False)
    for r in run(args.quick, project=args.project, keep=args.keep):
        print(f"{r.case}: {r.ours_s:.2f} s vs {r.peer_s:.2f} s, {r.ratio:.2f}x; {r.note}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
