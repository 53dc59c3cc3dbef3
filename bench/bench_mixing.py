"""Comp and mix a 100-minute score of generated takes: filmscore against ffmpeg doing the
same cuts, crossfades and stem sum (issue 12, deliverable 7).

The takes of 100 minutes of music are about 45 GiB, more than a work machine's disk may
hold at once, so the score is made and measured in chunks (10 minutes each by default,
each its own seed): a chunk's takes are generated (bench/mixing_data.py), comped and
mixed by ffmpeg (bench/mixing_ffmpeg.py: atrim, acrossfade qsin, pan, amix) and by
filmscore (bench/mixing_filmscore.py: the comp engine and the mixer, which also keeps the
mix's true peak under -1 dBTP, a pass ffmpeg's graph does not make), then deleted.  Both
run one process at a time, in a child, with the same inputs; wall time, CPU time and
peak memory are summed or maxed over the chunks.  Peak memory must stay flat as the
score grows: the largest chunk's peak is compared with the first's.

    .venv/bin/python bench/bench_mixing.py [--minutes 100] [--chunk 10] [--scratch DIR]
    .venv/bin/python bench/run.py --only mixing --quick   (one small chunk)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from _common import Result  # noqa: E402


def _fresh(fn, *args):
    """``fn(*args)`` in a new process, whose children's peak memory is theirs alone
    (``getrusage(RUSAGE_CHILDREN)`` keeps the largest child a process ever waited for)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def measure(minutes: float, chunk: float, scratch: Path | None = None,
            say=print) -> dict:
    """The chunked run; a dict of totals (``ours``, ``peer``: seconds, cpu_seconds,
    peak_rss_kib, music_seconds, input_bytes) and the per-chunk rows."""
    import mixing_data
    import mixing_ffmpeg
    import mixing_filmscore

    rows = []
    done = 0.0
    n = 0
    while done < minutes - 1e-9:
        size = min(chunk, minutes - done)
        with tempfile.TemporaryDirectory(dir=scratch, prefix="filmscore-bench-mix-") as tmp:
            folder = Path(tmp) / "takes"
            started = time.perf_counter()
            mixing_data.main([str(folder), "--minutes", f"{size:g}", "--seed", str(12 + n)])
            made = time.perf_counter() - started
            peer = _fresh(mixing_ffmpeg.run_ffmpeg, folder, Path(tmp) / "ffmpeg")
            shutil.rmtree(Path(tmp) / "ffmpeg")
            ours = _fresh(mixing_filmscore.run_filmscore, folder, Path(tmp) / "filmscore")
            rows.append({"chunk": n + 1, "generated_s": made, "ours": ours, "peer": peer})
            say(f"chunk {n + 1}: {ours['music_seconds'] / 60:.1f} min of music; filmscore "
                f"{ours['seconds']:.1f} s (CPU {ours['cpu_seconds']:.1f} s, "
                f"{ours['peak_rss_kib'] / 1024:.0f} MiB), ffmpeg {peer['seconds']:.1f} s "
                f"(CPU {peer['cpu_seconds']:.1f} s, {peer['peak_rss_kib'] / 1024:.0f} MiB)")
        done += size
        n += 1

    def total(side: str) -> dict:
        items = [r[side] for r in rows]
        return {"seconds": sum(i["seconds"] for i in items),
                "cpu_seconds": sum(i["cpu_seconds"] for i in items),
                "peak_rss_kib": max(i["peak_rss_kib"] for i in items),
                "first_peak_rss_kib": items[0]["peak_rss_kib"],
                "music_seconds": sum(i["music_seconds"] for i in items),
                "input_bytes": sum(i["input_bytes"] for i in items),
                "cues": sum(i["cues"] for i in items)}

    return {"ours": total("ours"), "peer": total("peer"), "rows": rows}


def run(quick: bool = False) -> list[Result]:
    """For bench/run.py: the whole 100 minutes (or one 3-minute chunk with ``quick``)."""
    minutes, chunk = (3, 3) if quick else (100, 10)
    got = measure(minutes, chunk, say=lambda _line: None)
    ours, peer = got["ours"], got["peer"]
    case = (f"{ours['music_seconds'] / 60:.0f} min of music, {ours['cues']} cues, "
            f"{ours['input_bytes'] / 2**30:.0f} GiB of takes, 5 stereo stems")
    peer_name = "ffmpeg atrim/acrossfade/pan/amix"
    memory = {"peak memory": f"{ours['peak_rss_kib'] / 1024:.0f} MiB (ffmpeg "
                             f"{peer['peak_rss_kib'] / 1024:.0f} MiB)"}
    return [Result("comp + stereo mix, wall", case, "filmscore.mixing", ours["seconds"],
                   peer_name, peer["seconds"], extra=memory),
            Result("comp + stereo mix, CPU", case, "filmscore.mixing", ours["cpu_seconds"],
                   peer_name, peer["cpu_seconds"], extra=memory)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=100, help="music in all")
    parser.add_argument("--chunk", type=float, default=10, help="minutes made at once")
    parser.add_argument("--scratch", type=Path, help="where the takes go (default: TMPDIR)")
    args = parser.parse_args(argv)
    got = measure(args.minutes, args.chunk, args.scratch)
    for side in ("ours", "peer"):
        t = got[side]
        print(f"{'filmscore' if side == 'ours' else 'ffmpeg'}: {t['cues']} cues, "
              f"{t['music_seconds'] / 60:.1f} min of music from "
              f"{t['input_bytes'] / 2**30:.1f} GiB of takes: {t['seconds']:.1f} s "
              f"({t['music_seconds'] / t['seconds']:.0f}x real time), CPU "
              f"{t['cpu_seconds']:.1f} s, peak memory {t['peak_rss_kib'] / 1024:.0f} MiB "
              f"(first chunk {t['first_peak_rss_kib'] / 1024:.0f} MiB)")
    o, p = got["ours"], got["peer"]
    print(f"ours / peer: {o['seconds'] / p['seconds']:.2f}x wall time, "
          f"{o['cpu_seconds'] / p['cpu_seconds']:.2f}x CPU time, "
          f"{o['peak_rss_kib'] / p['peak_rss_kib']:.2f}x peak memory")


if __name__ == "__main__":
    main()
