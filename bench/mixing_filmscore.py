"""filmscore's side of the comp-and-mix benchmark (issue 12, deliverable 7): every cue of a
score made by bench/mixing_data.py comped (filmscore.mixing.comp + comp_render: the edit
list cut at the tempo map's bar lines with 20 ms equal-power crossfades, every stem) and
mixed in stereo (filmscore.mixing.mix.mix_stems: gain and pan per stem, the integer sum,
the mix's true peak kept under -1 dBTP), 24-bit WAV; the same work as
bench/mixing_ffmpeg.py's ``command``, run in a child process so that its peak memory is
read as ffmpeg's is (``getrusage(RUSAGE_CHILDREN)``).

    .venv/bin/python bench/mixing_filmscore.py FOLDER [--out DIR] [--cues N]

The engine is called directly on the files (the project's database and media store are
not in the way: the benchmark times the audio work), with the edit points checked
against the generator's own (``edit_samples``): they must be the same samples.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def comp_and_mix(folder: Path, score: dict, cue: dict, out: Path, *,
                 measure_stems: bool = False) -> list[Path]:
    """One cue: its comp (a file per stem) and its stereo mix in ``out``."""
    from filmscore.mixing.comp import CompTake, plan_comp, segment
    from filmscore.mixing.comp_render import TakeStem, render_comp_stems
    from filmscore.mixing.mix import Source, mix_stems
    from filmscore.sync.tempomap import TempoMap, parse_meter

    sr = score["sample_rate"]
    meter = parse_meter("{}/{}".format(*cue["meter"]))
    tmap = TempoMap.constant(str(score["fps"]), cue["start_frame"], Fraction(cue["tempo_bpm"]),
                             bars=cue["bars"], meter=meter)
    takes = [CompTake(t["take"], t["kind"], True, t["bar_from"], t["bar_to"],
                      t["time_reference"], t["frames"]) for t in cue["takes"]]
    segments = [segment(e["take"], str(e["bar_from"]), str(e["bar_to"]))
                for e in cue["comp"]["edits"]]
    start = cue["comp"]["start_sample"]
    plan = plan_comp(tmap, segments, takes, sample_rate=sr, cue_start_sample=start,
                     crossfade_ms=Fraction(score["crossfade_samples"] * 1000, sr))
    # the generator's bar lines are ours, to the sample
    edits = [e.film_sample for e in plan.edits]
    if edits != cue["comp"]["edit_samples"]:
        raise AssertionError(f"{cue['cue']}: edit samples {edits[:3]}... differ from the "
                             f"generator's {cue['comp']['edit_samples'][:3]}...")
    audio = {t["take"]: {stem: TakeStem(folder / path) for stem, path in t["files"].items()}
             for t in cue["takes"]}
    stems = render_comp_stems(plan, audio, out, name=f"{cue['cue']}_comp")
    settings = {s: {"gain_db": v["gain_db"], "pan": v["pan"]} for s, v in cue["mix"].items()}
    mixed = out / f"{cue['cue']}_mix"
    mixed.mkdir(exist_ok=True)
    result = mix_stems({r.stem: [Source(r.path)] for r in stems}, mixed, layout="stereo",
                       settings=settings, sample_rate=sr, measure_stems=measure_stems)
    return [r.path for r in stems] + [f.path for f in result.files]


def _child(folder: Path, out: Path, cues: int | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    score = json.loads((folder / "score.json").read_text())
    chosen = score["cues"][:cues] if cues else score["cues"]
    for cue in chosen:
        comp_and_mix(folder, score, cue, out)


def run_filmscore(folder: str | os.PathLike[str], out: str | os.PathLike[str] | None = None,
                  *, cues: int | None = None) -> dict:
    """filmscore's comp and mix of every cue (or the first ``cues``), in a child process:
    the same keys as ``mixing_ffmpeg.run_ffmpeg``."""
    folder = Path(folder)
    score = json.loads((folder / "score.json").read_text())
    out = Path(out) if out else folder.with_name(folder.name + "-filmscore")
    out.mkdir(parents=True, exist_ok=True)
    chosen = score["cues"][:cues] if cues else score["cues"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, str(folder), "--out", str(out), "--child",
                    *(["--cues", str(cues)] if cues else [])], check=True)
    from mixing_ffmpeg import summary

    return summary(folder, score, chosen, out, started, before)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a score made by bench/mixing_data.py")
    parser.add_argument("--out", type=Path, help="where to write (default FOLDER-filmscore)")
    parser.add_argument("--cues", type=int, help="only the first N cues")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.folder, args.out, args.cues)
        return
    r = run_filmscore(args.folder, args.out, cues=args.cues)
    print(f"filmscore: {r['cues']} cues, {r['music_seconds'] / 60:.1f} min of music in "
          f"{r['seconds']:.1f} s, CPU {r['cpu_seconds']:.1f} s, peak memory "
          f"{r['peak_rss_kib'] / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
