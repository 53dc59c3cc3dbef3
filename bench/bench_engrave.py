"""Engraving: our film-marked score and parts (musicxml_parts + verovio + engraving.svgpdf)
against MuseScore 3's own score and parts of the same file, side by side in one run.

The music: Beethoven, Symphony No. 1, first movement (18 parts; OpenScore transcription in
data/hauptstimme).  ``--quick`` uses the third movement.

- ours: ``load_score`` + ``make_score`` + ``make_parts`` (a film header, three sync marks,
  two tempo marks with frame-clicks) + ``engrave`` of the score (11x17) and every part
  (Letter) to PDF, 2 worker processes.  Target: no slower than the peer (ratio <= 1).
- peer: ``QT_QPA_PLATFORM=offscreen mscore3 -P -o out.pdf FILE`` (score and all parts,
  one PDF, A4).
- LilyPond (one run, score only, no parts): ``musicxml2ly`` + ``lilypond``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from _common import Result, measure_side_by_side

DATA = Path(__file__).resolve().parent / "data" / "hauptstimme"


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def run(quick: bool = False) -> list[Result]:
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

        def ours():
            doc = load_score(score_file)
            jobs = [EngraveJob(make_score(doc, header=header, syncs=syncs, tempos=tempos),
                               folder / "score.pdf", "score")]
            for i, (_name, data) in enumerate(make_parts(doc, header=header, syncs=syncs,
                                                         tempos=tempos)):
                jobs.append(EngraveJob(data, folder / f"part{i:02d}.pdf", "part"))
            results = engrave(jobs, workers=2)
            info["score"] = results[0].pages
            info["parts"] = sum(r.pages for r in results[1:])
            info["nparts"] = len(results) - 1

        def peer():
            subprocess.run([mscore, "-P", "-o", str(folder / "ms.pdf"), str(score_file)],
                           env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=600)

        fns = {"ours": ours}
        if mscore:
            fns["peer"] = peer
        t = measure_side_by_side(fns, repeats=1 if quick else 3, warmups=0 if quick else 1)
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
    peer_s = t["peer"].median_s if "peer" in t else None
    ratio = f"{t['ours'].median_s / peer_s:.2f}" if peer_s else "—"
    print(f"  engrave: {case}: ours {t['ours'].median_s:.2f} s ({info['score']} score pages "
          f"11x17 + {info['parts']} part pages Letter), mscore3 -P "
          f"{peer_s if peer_s is None else round(peer_s, 2)} s ({ms_pages} A4 pages); "
          f"ours/mscore3 {ratio} (target <= 1.0)"
          + (f"; LilyPond score only {lily_s:.1f} s, {lily_pages} pages" if lily_s else ""))
    lily = f"; LilyPond (score only, one run) {lily_s:.1f} s, {lily_pages} pages" \
        if lily_s else ""
    return [Result(bench="engrave", case=case,
                   ours="musicxml_parts + engrave (verovio, svgpdf, 2 workers)",
                   ours_s=t["ours"].median_s, peer="mscore3 -P -o out.pdf", peer_s=peer_s,
                   note=f"pages: ours {info['score']} (11x17) + {info['parts']} (Letter); "
                        f"mscore3 {ms_pages} (A4); target <= 1.0{lily}")]
