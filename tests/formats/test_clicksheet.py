"""Click sheet: bars, timecodes, hits with bar|beat|tick and frames off; CSV and PDF."""

from __future__ import annotations

import csv
import subprocess
from fractions import Fraction as F

from filmscore.formats.clicksheet_csv import COLUMNS, write_clicksheet_csv
from filmscore.formats.clicksheet_pdf import write_clicksheet_pdf
from filmscore.sync.clicksheet import click_sheet, format_hit
from filmscore.sync.tempomap import Meter, Position, Segment, TempoMap
from filmscore.timecode import parse_label


def tc(label: str, rate: str = "24") -> int:
    return parse_label(label, rate)


def cue_map(bars_at_end: int = 4) -> TempoMap:
    return TempoMap("24", tc("01:00:10:00"), (
        Segment(8, Meter(4, 4), F(120)), Segment(1, Meter(3, 4), F(120)),
        Segment(4, Meter(4, 4), F(120), F(90)), Segment(2, free_frames=48),
        Segment(bars_at_end, Meter(6, 8), F(5760, 49))), count_in_bars=1)


SYNC = [(tc("01:00:14:03"), "hard", "door slams"),
        (tc("01:00:30:00"), "downbeat", "cut to the café"),
        (tc("01:00:36:22"), "soft", "she turns"),
        (tc("01:00:09:00"), "soft", "before bar 1")]


def test_sheet_rows_and_hits():
    sheet = click_sheet(cue_map(), SYNC, cue_label="1M1", title="Main Title")
    assert (sheet.cue_label, sheet.start_timecode, sheet.rate_name) == ("1M1", "01:00:10:00",
                                                                        "24")
    assert [r.bar for r in sheet][:3] == [0, 1, 2] and len(sheet) == 1 + 19
    count_in, bar1, bar3 = sheet[0], sheet[1], sheet[3]
    assert count_in.count_in and count_in.timecode == "01:00:08:00"
    assert (bar1.timecode, bar1.frame, bar1.seconds, bar1.meter, bar1.frameclick) == (
        "01:00:10:00", tc("01:00:10:00"), 0, "4/4", "12-0")
    (hit,) = bar3.hits
    # 3 frames after bar 3's downbeat = a quarter of a beat; the downbeat is 3 frames early
    assert hit.position == Position(3, 1, 240) and hit.frames_off == -3
    assert (hit.kind, hit.description) == ("hard", "door slams")
    position, off, kind, description = hit  # reads as the plain tuple too
    assert format_hit(hit) == "3|1|240 hard: door slams (beat -3.00 fr)"
    assert count_in.hits[0].description == "before bar 1"
    assert count_in.hits[0].position == Position(0, 3)
    ramp = next(r for r in sheet if r.bar == 11)
    assert ramp.ramp and ramp.tempo_bpm < 120 and ramp.hits[0].kind == "downbeat"
    free = [r for r in sheet if r.free]
    assert [r.bar for r in free] == [14, 15] and free[0].frameclick == ""
    assert free[0].hits[0].description == "she turns"
    six_eight = sheet[-1]
    assert six_eight.meter == "6/8" and six_eight.frameclick == "12-2"
    assert sheet.hit_count == 4


def test_hit_after_the_end_goes_to_the_last_bar():
    tmap = TempoMap.constant("25", 90000, F(120), 2)
    sheet = click_sheet(tmap, [(90000 + 25 * 10, "end", "fade")])
    hit = sheet[-1].hits[0]
    assert hit.position.bar == 6  # past the end: the final tempo goes on
    assert hit.frames_off == F(-325, 2)  # the last click (2|4, 3.5 s) is 6.5 s before it


def test_clicksheet_csv(tmp_path):
    sheet = click_sheet(cue_map(), SYNC, cue_label="1M1", title="Main Title")
    path = write_clicksheet_csv(sheet, tmp_path / "1M1.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == COLUMNS
    bar3 = next(r for r in rows if r["bar"] == "3")
    assert bar3 == {"bar": "3", "timecode": "01:00:14:00", "meter": "4/4", "tempo_bpm": "120",
                    "frameclick": "12-0", "free": "no",
                    "hits": "3|1|240 hard: door slams (beat -3.00 fr)"}
    assert next(r for r in rows if r["bar"] == "14")["free"] == "yes"
    assert "cut to the café" in next(r for r in rows if r["bar"] == "11")["hits"]
    assert [p.name for p in tmp_path.iterdir()] == ["1M1.csv"]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_clicksheet_pdf(tmp_path):
    sheet = click_sheet(cue_map(bars_at_end=60), SYNC, cue_label="1M1", title="Main Title")
    path = write_clicksheet_pdf(sheet, tmp_path / "1M1.pdf", film_title="The Long Night",
                                date="2025-01-31")
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"page {n} of {len(pages)}" in page and "Sync points" in page
        assert "The Long Night" in page
    first = pages[0]
    for needle in ("1M1", "Main Title", "24 fps", "Bar 1 at: 01:00:10:00", "Count-in: 1 bar",
                   "01:00:14:00", "door slams", "3|1|240", "cut to the café", "free time",
                   "12-2", "ramp"):
        assert needle in first, needle
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path),
                    str(png)], check=True)
    assert list(tmp_path.glob("page*.png"))
