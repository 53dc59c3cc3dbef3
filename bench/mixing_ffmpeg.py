"""The comp-and-mix benchmark's peer (issue 12, deliverable 7): ffmpeg doing the cuts,
crossfades and stem sum that filmscore's comp and mix do, on the takes
``bench/mixing_data.py`` generates; timed, with its peak memory.

    .venv/bin/python bench/mixing_data.py /tmp/score --minutes 10
    .venv/bin/python bench/mixing_ffmpeg.py /tmp/score [--out /tmp/score-ffmpeg]
        [--jobs 1] [--check 2] [--ours]

Per cue, ONE ffmpeg process (``-filter_complex``) reads every run's take of every stem,
and for each stem: ``atrim=start_sample=..:end_sample=..`` cuts each run from its take
(from half a crossfade before its first edit to half a crossfade after its last, in the
take file's own samples: film sample minus the take's bext TimeReference), ``asetpts``
restarts its clock, and a chain of ``acrossfade=ns=L:c1=qsin:c2=qsin`` joins the runs:
the last L samples of one run cross the first L of the next, so the crossfade is centred
on the edit and the comp is exactly ``end_sample - start_sample`` long.  ``c1=qsin:c2=qsin``
is ffmpeg's equal-power pair: out = sin(pi/2 (L-1-i)/L), in = sin(pi/2 i/L) for i = 0..L-1
(measured; af_afade.c): sin^2 + sin^2 is 1 to within pi/(2L) (0.007 dB at L = 960, the
20 ms default at 48 kHz; the pair is one sample off a true cos/sin pair).  Then every
stem's comp is written (24-bit WAV) and, ``asplit`` off it, ``pan=stereo|c0=G_L*c0|
c1=G_R*c1`` (gain and equal-power balance in one) feeds ``amix=inputs=N:normalize=0``,
the plain sum, written as the mix (24-bit WAV).

Timing: the wall time of all cues (``--jobs`` processes at once, default 1), and the CPU
time and the peak resident memory of the ffmpeg processes (``resource.getrusage
(RUSAGE_CHILDREN)``: ``ru_maxrss`` is the largest child's peak, KiB on Linux), so the
memory per cue can be compared as the score grows.  ``--check N`` compares the first N
cues' files with a numpy reference of the same comp and mix (the edit list's definition
in ``mixing_data``), in least significant bits.

``run_filmscore(folder)`` is filmscore's side: plugged in by the integrator (below).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

LSB = 1 / 8388608  # one 24-bit step


def run_filmscore(folder: str | os.PathLike[str]) -> dict:
    """filmscore's comp and mix of the same score (bench/mixing_filmscore.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from mixing_filmscore import run_filmscore as ours

    return ours(folder)


def load(folder: Path) -> dict:
    return json.loads((Path(folder) / "score.json").read_text())


def pan_gains(gain_db: float, pan: float) -> tuple[float, float]:
    """Left and right gains of a stereo stem: its gain times the equal-power balance."""
    g = 10 ** (gain_db / 20)
    angle = (pan + 1) * math.pi / 4
    return g * math.sqrt(2) * math.cos(angle), g * math.sqrt(2) * math.sin(angle)


def runs(score: dict, cue: dict) -> list[tuple[dict, int, int]]:
    """Each run of the comp: (take, first, end) in the take file's own samples, with
    half a crossfade of handle on each inner edge."""
    half = score["crossfade_samples"] // 2
    comp = cue["comp"]
    edges = [comp["start_sample"], *comp["edit_samples"], comp["end_sample"]]
    takes = {t["take"]: t for t in cue["takes"]}
    out = []
    last = len(comp["edits"]) - 1
    for i, edit in enumerate(comp["edits"]):
        take = takes[edit["take"]]
        a = edges[i] - (half if i > 0 else 0) - take["time_reference"]
        b = edges[i + 1] + (half if i < last else 0) - take["time_reference"]
        if a < 0 or b > take["frames"]:
            raise ValueError(f"{cue['cue']}: run {i + 1} ({a}..{b}) outside take "
                             f"{take['take']} (0..{take['frames']})")
        out.append((take, a, b))
    return out


def command(folder: Path, score: dict, cue: dict, out: Path) -> list[str]:
    """The ffmpeg command that comps every stem of ``cue`` and mixes them."""
    L = score["crossfade_samples"]
    inputs: list[str] = []
    graph: list[str] = []
    maps: list[str] = []
    parts = runs(score, cue)
    mixed = []
    for s, stem in enumerate(score["stems"]):
        labels = []
        for r, (take, a, b) in enumerate(parts):
            inputs += ["-i", str(folder / take["files"][stem["name"]])]
            k = len(inputs) // 2 - 1
            label = f"s{s}r{r}"
            graph.append(f"[{k}:a]atrim=start_sample={a}:end_sample={b},"
                         f"asetpts=PTS-STARTPTS[{label}]")
            labels.append(label)
        joined = labels[0]
        for r, label in enumerate(labels[1:], 1):
            graph.append(f"[{joined}][{label}]acrossfade=ns={L}:c1=qsin:c2=qsin[s{s}x{r}]")
            joined = f"s{s}x{r}"
        gl, gr = pan_gains(cue["mix"][stem["name"]]["gain_db"], cue["mix"][stem["name"]]["pan"])
        graph.append(f"[{joined}]asplit=2[stem{s}][tomix{s}]")
        graph.append(f"[tomix{s}]pan=stereo|c0={gl:.12g}*c0|c1={gr:.12g}*c1[m{s}]")
        mixed.append(f"[m{s}]")
        maps += ["-map", f"[stem{s}]", "-c:a", "pcm_s24le",
                 str(out / f"{cue['cue']}_{stem['code']}.wav")]
    graph.append("".join(mixed) + f"amix=inputs={len(mixed)}:normalize=0[mix]")
    maps += ["-map", "[mix]", "-c:a", "pcm_s24le", str(out / f"{cue['cue']}_MIX.wav")]
    return ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *inputs,
            "-filter_complex", ";".join(graph), *maps]


def run_ffmpeg(folder: str | os.PathLike[str], out: str | os.PathLike[str] | None = None,
               *, jobs: int = 1, cues: int | None = None) -> dict:
    """ffmpeg's comp and mix of every cue (or the first ``cues``): the timing and
    memory (see the module docstring) and what was written."""
    folder = Path(folder)
    score = load(folder)
    out = Path(out) if out else folder.with_name(folder.name + "-ffmpeg")
    out.mkdir(parents=True, exist_ok=True)
    chosen = score["cues"][:cues] if cues else score["cues"]
    commands = [command(folder, score, cue, out) for cue in chosen]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()

    def one(cmd: list[str]) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"ffmpeg failed ({done.returncode}): {done.stderr[-500:]}")

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, commands))
    return summary(folder, score, chosen, out, started, before)


def summary(folder: Path, score: dict, chosen: list[dict], out: Path, started: float,
            before) -> dict:
    """What a side did, from its start (``perf_counter``) and its children's usage before:
    time, CPU, peak memory of its children, the music and the bytes read and written."""
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    music = sum((c["comp"]["end_sample"] - c["comp"]["start_sample"]) for c in chosen)
    files = sorted(out.rglob("*.wav"))
    return {"seconds": seconds,
            "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "peak_rss_kib": after.ru_maxrss, "cues": len(chosen),
            "music_seconds": music / score["sample_rate"],
            "input_bytes": sum((folder / f).stat().st_size for c in chosen
                               for t in c["takes"] for f in t["files"].values()),
            "files": len(files), "output_bytes": sum(f.stat().st_size for f in files),
            "out": str(out)}


# --- the numpy reference of the same comp and mix (for --check) ------------------------


def reference(folder: Path, score: dict, cue: dict) -> dict[str, np.ndarray]:
    """Every stem's comp and the mix of ``cue`` in float64, from the definition (a cue
    at a time: for checking, not for speed)."""
    import soundfile

    L = score["crossfade_samples"]
    i = np.arange(L)
    fade_out = np.sin(np.pi / 2 * (L - 1 - i) / L)[:, None]
    fade_in = np.sin(np.pi / 2 * i / L)[:, None]
    parts = runs(score, cue)
    result: dict[str, np.ndarray] = {}
    mix = None
    for stem in score["stems"]:
        comp = None
        for take, a, b in parts:
            with soundfile.SoundFile(str(folder / take["files"][stem["name"]])) as f:
                f.seek(a)
                piece = f.read(b - a, dtype="float64", always_2d=True)
            if comp is None:
                comp = piece
            else:
                cross = comp[-L:] * fade_out + piece[:L] * fade_in
                comp = np.concatenate([comp[:-L], cross, piece[L:]])
        result[stem["code"]] = comp
        gl, gr = pan_gains(cue["mix"][stem["name"]]["gain_db"], cue["mix"][stem["name"]]["pan"])
        panned = comp * np.array([gl, gr])
        mix = panned if mix is None else mix + panned
    result["MIX"] = mix
    return result


def check(folder: Path, out: Path, cues: int) -> list[str]:
    """The first ``cues`` cues of ffmpeg's output against the reference: one line each
    (length and the largest difference in 24-bit steps, per file)."""
    import soundfile

    score = load(folder)
    lines = []
    for cue in score["cues"][:cues]:
        expected = reference(folder, score, cue)
        worst = {}
        for code, want in expected.items():
            got, _ = soundfile.read(str(out / f"{cue['cue']}_{code}.wav"), dtype="float64",
                                    always_2d=True)
            if got.shape != want.shape:
                worst[code] = f"length {len(got)} != {len(want)}"
                continue
            worst[code] = f"{np.abs(got - want).max() / LSB:.1f}"
        lines.append(f"{cue['cue']}: " + ", ".join(f"{k} {v}" for k, v in worst.items())
                     + " LSB")
    return lines


def _report(name: str, r: dict) -> str:
    return (f"{name}: {r['cues']} cues, {r['music_seconds'] / 60:.1f} min of music, "
            f"{r['files']} files written ({r['output_bytes'] / 2**30:.2f} GiB from "
            f"{r.get('input_bytes', 0) / 2**30:.2f} GiB of takes) in {r['seconds']:.1f} s "
            f"({r['music_seconds'] / r['seconds']:.0f}x real time), CPU "
            f"{r['cpu_seconds']:.1f} s, peak memory {r['peak_rss_kib'] / 1024:.0f} MiB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a score made by bench/mixing_data.py")
    parser.add_argument("--out", type=Path, help="where ffmpeg writes (default FOLDER-ffmpeg)")
    parser.add_argument("--jobs", type=int, default=1, help="ffmpeg processes at once")
    parser.add_argument("--cues", type=int, help="only the first N cues")
    parser.add_argument("--check", type=int, default=0, metavar="N",
                        help="compare the first N cues with the numpy reference")
    parser.add_argument("--ours", action="store_true",
                        help="also run filmscore's side (run_filmscore) and print the ratio")
    args = parser.parse_args(argv)
    peer = run_ffmpeg(args.folder, args.out, jobs=args.jobs, cues=args.cues)
    print(_report(f"ffmpeg {_ffmpeg_version()}", peer))
    if args.check:
        for line in check(args.folder, Path(peer["out"]), args.check):
            print("  check " + line)
    if args.ours:
        ours = run_filmscore(args.folder)
        print(_report("filmscore", ours))
        print(f"ours / peer: {ours['seconds'] / peer['seconds']:.2f}x time, "
              f"{ours['peak_rss_kib'] / peer['peak_rss_kib']:.2f}x peak memory")


def _ffmpeg_version() -> str:
    first = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True,
                           check=False).stdout.split("\n", 1)[0].split()
    return first[2] if len(first) > 2 else "?"


if __name__ == "__main__":
    sys.exit(main())
