"""Spotting lists: CSV read and write (2,000 cues x 10 sync points) and the PDF (200 cues).

The CSV is generated here at 23.976: 2,000 cues in 10 reels, each cue 15 s long with
notes, mood, instrumentation and a temp track (cells with commas and quotes), and 10
sync points of mixed kinds and weights: 22,001 rows.

* read: ours, ``read_spotting_csv`` (every timecode parsed and checked, cue numbers
  parsed, sync points matched to their cue) vs the stdlib floor a hand-rolled script would
  reach, ``list(csv.DictReader(f))`` on the same file: strings, nothing checked.
* write: ours, ``write_spotting_csv`` (rows built from the cues, every timecode formatted,
  UTF-8 BOM, temporary file, fsync, rename) vs ``csv.DictWriter`` writing the already
  formatted rows straight to the file (no timecode formatting, no fsync).
* PDF: ``write_spotting_pdf`` for 200 of those cues.  There is no peer: no library a music
  editor would otherwise use writes a spotting list PDF (they type it into a word
  processor or print Pro Tools' marker list), so the row reports time and pages only.
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

from _common import Result, measure, measure_side_by_side

N_CUES = 2_000
N_SYNCS = 10
N_PDF_CUES = 200
RATE = "23.976"
KINDS = ("hard", "soft", "downbeat", "hard", "soft", "hard", "downbeat", "soft", "hard", "end")


def make_cues(n: int, rate_name: str = RATE) -> list:
    """``n`` cues, 10 reels, each with ``N_SYNCS`` sync points, from 01:00:00:00."""
    from filmscore.spotting.cues import CueNumber, CueSpec, SyncSpec
    from filmscore.timecode import get_rate

    rate = get_rate(rate_name)
    per_reel = max(1, n // 10)
    second = rate.nominal
    cues = []
    for i in range(n):
        start = 3600 * second + i * 20 * second
        end = start + 15 * second
        syncs = tuple(
            SyncSpec(frame=start + k * (15 * second // N_SYNCS) + (k % 3),
                     description=f"hit {k + 1}: door slams, \"cut\" to the street",
                     kind=KINDS[k], weight=0.5 if k % 4 == 1 else 1.0)
            for k in range(N_SYNCS))
        cues.append(CueSpec(
            number=CueNumber(reel=i // per_reel + 1, number=i % per_reel + 1),
            title=f"Cue {i + 1}, the chase",
            start_frame=start, end_frame=end,
            notes="Starts under dialogue; builds to the \"reveal\", then tails out.",
            mood="tense, comic", instrumentation="strings, low brass, timpani",
            temp_track="Scheherazade, I", temp_in=100 + i, temp_out=400 + i,
            sync_points=syncs))
    return cues


def _count_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def run(quick: bool = False) -> list[Result]:
    from filmscore.formats.spotting_csv import (
        COLUMNS,
        read_spotting_csv,
        spotting_rows,
        write_spotting_csv,
    )
    from filmscore.formats.spotting_pdf import write_spotting_pdf

    n_cues = N_CUES // 10 if quick else N_CUES
    repeats, warmups = (3, 1) if quick else (5, 2)
    cues = make_cues(n_cues)
    results = []
    with tempfile.TemporaryDirectory(prefix="filmscore-bench-") as tmp:
        path = Path(tmp) / "spotting.csv"
        peer_path = Path(tmp) / "spotting-stdlib.csv"
        write_spotting_csv(cues, path, RATE)
        back = read_spotting_csv(path, RATE)
        same = back == sorted(cues, key=lambda c: c.number)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            n_rows = len(list(csv.DictReader(handle)))
        size_kb = path.stat().st_size / 1024
        print(f"  spotting CSV: {n_cues} cues, {n_rows:,} rows, {size_kb:.0f} KiB, "
              f"round trip {'identical' if same else 'DIFFERS'}")
        case = f"CSV {n_cues:,} cues x {N_SYNCS} syncs ({n_rows:,} rows, {size_kb:.0f} KiB)"

        def stdlib_read():
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return list(csv.DictReader(handle))

        t = measure_side_by_side({"ours": lambda: read_spotting_csv(path, RATE),
                                  "peer": stdlib_read}, repeats=repeats, warmups=warmups)
        ours, peer = t["ours"], t["peer"]
        results.append(Result(
            bench="spotting", case=f"read {case}", ours="read_spotting_csv",
            ours_s=ours.median_s, peer="csv.DictReader (floor)", peer_s=peer.median_s,
            note=f"round trip {'identical' if same else 'DIFFERS'}; "
                 f"{ours.median_s / n_rows * 1e6:.1f} µs/row"))

        rows = spotting_rows(cues, RATE)

        def stdlib_write():
            with peer_path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="",
                                        lineterminator="\r\n")
                writer.writeheader()
                writer.writerows(rows)

        t = measure_side_by_side({"ours": lambda: write_spotting_csv(cues, path, RATE),
                                  "peer": stdlib_write}, repeats=repeats, warmups=warmups)
        ours, peer = t["ours"], t["peer"]
        identical = path.read_bytes() == peer_path.read_bytes()
        results.append(Result(
            bench="spotting", case=f"write {case}", ours="write_spotting_csv",
            ours_s=ours.median_s, peer="csv.DictWriter, rows ready (floor)",
            peer_s=peer.median_s,
            note=f"same bytes: {'yes' if identical else 'NO'}; ours formats TCs, fsyncs"))

        pdf_cues = cues[:N_PDF_CUES] if not quick else cues[:N_PDF_CUES // 4]
        pdf = Path(tmp) / "spotting.pdf"

        def ours_pdf():
            write_spotting_pdf(pdf_cues, pdf, rate=RATE, title="Benchmark Picture",
                               picture_name="v1 lock", date="2025-01-01")

        pdf_repeats, pdf_warmups = (2, 1) if quick else (3, 1)
        ours = measure(ours_pdf, repeats=pdf_repeats, warmups=pdf_warmups)
        data = pdf.read_bytes()
        pages = _count_pages(data)
        results.append(Result(
            bench="spotting", case=f"PDF {len(pdf_cues)} cues x {N_SYNCS} syncs",
            ours="write_spotting_pdf", ours_s=ours.median_s, peer="no peer", peer_s=None,
            note=f"{pages} pages, {len(data) / 1024:.0f} KiB, "
                 f"{ours.median_s / max(pages, 1) * 1e3:.0f} ms/page"))
    return results
