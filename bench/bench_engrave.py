"""Engraving: our film-marked score and parts (musicxml_parts + verovio + engraving.svgpdf)
against MuseScore 3's own score and parts of the same file, side by side in one run, in
wall time and in CPU time.

The music: Beethoven, Symphony No. 1, first movement (18 parts; OpenScore transcription in
data/hauptstimme).  ``--quick`` uses the third movement.

- ours: ``load_score`` + ``make_score`` + ``make_parts`` (a film header, three sync marks,
  two tempo marks with frame-clicks) + ``engrave`` of the score (11x17) and every part
  (Letter) to PDF, 2 worker processes (``workers=2``, what the CLI uses); and the same
  on the serial path (``workers=1``), in CPU time only.  Target: our CPU time no more
  than the peer's (ratio <= 1).
- peer: ``QT_QPA_PLATFORM=offscreen mscore3 -P -o out.pdf FILE`` (score and all parts,
  one PDF, A4), one process.
- LilyPond (one run, score only, no parts): ``musicxml2ly`` + ``lilypond``.

CPU time is user + system time of the process and of its children that have ended
(``resource.getrusage`` RUSAGE_SELF + RUSAGE_CHILDREN; the worker processes end with the
pool, mscore3 with its run): it counts every process's work, so two of our workers
against one mscore3 process are compared fairly, and it moves much less than wall time
when other work shares the machine (though not nothing: a loaded machine's caches and
shared cores slow every instruction a little).  Wall time is what a user waits.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from _common import Result

DATA = Path(__file__).resolve().parent / "data" / "hauptstimme"


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def _cpu() -> float:
    """User + system seconds of this process and of its children that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _side_by_side(fns: dict[str, Callable[[], object]], *, repeats: int, warmups: int
                  ) -> dict[str, tuple[float, float]]:
    """(median wall s, median CPU s) of each callable, run in turns (a, b, a, b, ...)."""
    for _ in range(warmups):
        for fn in fns.values():
            fn()
    wall: dict[str, list[float]] = {name: [] for name in fns}
    cpu: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            cpu0, wall0 = _cpu(), time.perf_counter()
            fn()
            wall[name].append(time.perf_counter() - wall0)
            cpu[name].append(_cpu() - cpu0)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name]))
            for name in fns}


def run(quick: bool = False, *, repeats: int = 3, warmups: int = 1) -> list[Result]:
    """The rows; ``repeats`` and ``warmups`` (1 and 0 with ``quick``) for a shorter run."""
    from filmscore.engraving.engrave import EngraveJob, engrave
    from filmscore.formats.musicxml_parts import (
        Header,
        SyncMark,
        TempoMark,
        load_score,
        make_parts,
        make_score,
    )

    score_file = DATA / ("Beethoven_Op.21_3.mxl" if quick else "Beethoven_Op.21_1.mxl")
    header = Header("Popeye the Sailor (1936)", "1M3", "The Fight",
                    composer="L. van Beethoven")
    syncs = [SyncMark(Fraction(48), "A", "01:00:12:05", "punch"),
             SyncMark(Fraction(200), "B", "01:00:40:00", "door slam"),
             SyncMark(Fraction(600), "C", "01:01:30:12", "kiss")]
    tempos = [TempoMark(Fraction(0), Fraction(88), click="16-3"),
              TempoMark(Fraction(48), Fraction(112), beat_unit="half", click="12-7")]
    mscore = shutil.which("mscore3") or shutil.which("musescore3")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    info: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def ours(workers: int) -> None:
            doc = load_score(score_file)
            jobs = [EngraveJob(make_score(doc, header=header, syncs=syncs, tempos=tempos),
                               folder / "score.pdf", "score")]
            for i, (_name, data) in enumerate(make_parts(doc, header=header, syncs=syncs,
                                                         tempos=tempos)):
                jobs.append(EngraveJob(data, folder / f"part{i:02d}.pdf", "part"))
            results = engrave(jobs, workers=workers)
            info["score"] = results[0].pages
            info["parts"] = sum(r.pages for r in results[1:])
            info["nparts"] = len(results) - 1

        def peer():
            subprocess.run([mscore, "-P", "-o", str(folder / "ms.pdf"), str(score_file)],
                           env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=600)

        fns: dict[str, Callable[[], object]] = {"ours": lambda: ours(2),
                                                 "serial": lambda: ours(1)}
        if mscore:
            fns["peer"] = peer
        t = _side_by_side(fns, repeats=1 if quick else repeats,
                          warmups=0 if quick else warmups)
        ms_pages = _pages(folder / "ms.pdf") if mscore else 0
        lily_s = None
        if not quick and shutil.which("musicxml2ly") and shutil.which("lilypond"):
            start = time.perf_counter()
            try:
                subprocess.run(["musicxml2ly", "-o", str(folder / "b.ly"), str(score_file)],
                               check=True, capture_output=True, timeout=600)
                subprocess.run(["lilypond", "-o", str(folder / "b"), str(folder / "b.ly")],
                               check=True, capture_output=True, timeout=900)
                lily_s = time.perf_counter() - start
                lily_pages = _pages(folder / "b.pdf")
            except (subprocess.SubprocessError, OSError):
                lily_s = None
    case = f"{score_file.stem}, score + {info['nparts']} parts"
    wall, cpu = t["ours"]
    serial_cpu = t["serial"][1]
    peer_wall, peer_cpu = t["peer"] if "peer" in t else (None, None)
    pages = (f"pages: ours {info['score']} (11x17) + {info['parts']} (Letter); "
             f"mscore3 {ms_pages} (A4)")

    def ratio(a: float, b: float | None) -> str:
        return f"{a / b:.2f}" if b else "—"

    print(f"  engrave: {case}: wall ours {wall:.2f} s (2 workers), mscore3 -P "
          f"{'—' if peer_wall is None else f'{peer_wall:.2f}'} s, ratio "
          f"{ratio(wall, peer_wall)}; CPU ours {cpu:.2f} s (2 workers), "
          f"{serial_cpu:.2f} s (serial), mscore3 "
          f"{'—' if peer_cpu is None else f'{peer_cpu:.2f}'} s, ratio "
          f"{ratio(cpu, peer_cpu)} (target <= 1.0); {pages}"
          + (f"; LilyPond score only {lily_s:.1f} s, {lily_pages} pages" if lily_s else ""))
    lily = f"; LilyPond (score only, one run) {lily_s:.1f} s wall, {lily_pages} pages" \
        if lily_s else ""
    return [
        Result(bench="engrave", case=f"{case}, CPU time (user + sys, workers included)",
               ours="musicxml_parts + engrave (verovio, svgpdf, 2 workers)", ours_s=cpu,
               peer="mscore3 -P -o out.pdf", peer_s=peer_cpu,
               note=f"target <= 1.0; serial path (1 process) {serial_cpu:.2f} s "
                    f"({ratio(serial_cpu, peer_cpu)}x); {pages}"),
        Result(bench="engrave", case=f"{case}, wall time",
               ours="musicxml_parts + engrave (verovio, svgpdf, 2 workers)", ours_s=wall,
               peer="mscore3 -P -o out.pdf", peer_s=peer_wall,
               note=f"2 processes against 1: read the CPU row for the cost{lily}"),
    ]
