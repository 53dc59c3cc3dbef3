"""Click sheet: bars, timecodes, sync points at their nearest click in frames; CSV and PDF."""

from __future__ import annotations

import csv
import re
import subprocess
from fractions import Fraction as F

from filmscore.formats.clicksheet_csv import COLUMNS, write_clicksheet_csv
from filmscore.formats.clicksheet_pdf import write_clicksheet_pdf
from filmscore.sync.clicksheet import click_sheet, format_hit
from filmscore.sync.tempomap import Meter, Position, Segment, TempoMap
from filmscore.timecode import parse_label


def tc(label: str, rate: str = "24") -> int:
    return parse_label(label, rate)


def cue_map(bars_at_end: int = 4, subdivision: int = 1) -> TempoMap:
    return TempoMap("24", tc("01:00:10:00"), (
        Segment(8, Meter(4, 4), F(120)), Segment(1, Meter(3, 4), F(120)),
        Segment(4, Meter(4, 4), F(120), F(90)), Segment(2, free_frames=48),
        Segment(bars_at_end, Meter(6, 8), F(5760, 49))), count_in_bars=1,
        subdivision=subdivision)


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
    # 3 frames after bar 3's downbeat: on a map solved on the beat, 3|1 and the hit is
    # 3 frames after that click
    assert hit.position == Position(3, 1) and hit.frames_off == 3 and hit.label == "3|1"
    assert (hit.kind, hit.description) == ("hard", "door slams")
    assert format_hit(hit) == "3|1 +3.00 fr hard: door slams"
    before = count_in.hits[0]
    assert before.description == "before bar 1" and before.label == "0|3"
    assert before.frames_off == 0  # exactly on the third count-in click
    ramp = next(r for r in sheet if r.bar == 11)
    assert ramp.ramp and ramp.tempo_bpm < 120
    (downbeat,) = ramp.hits  # a downbeat is measured from the nearest bar line
    assert downbeat.kind == "downbeat" and downbeat.label == "11|1"
    assert downbeat.frames_off == 10  # bar 11 at 19 7/12 s, the cut 5/12 s (10 fr) later
    free = [r for r in sheet if r.free]
    assert [r.bar for r in free] == [14, 15] and free[0].frameclick == ""
    (turns,) = free[0].hits
    assert turns.description == "she turns" and turns.frames_off is None and turns.free
    six_eight = sheet[-1]
    assert six_eight.meter == "6/8" and six_eight.frameclick == "12-2"
    assert sheet.hit_count == 1 and sheet.sync_count == 4  # only hard hits are hits


def test_a_hit_near_the_and_reads_bar_beat_sub_and_frames():
    # 2737/190 frames a beat: the "and" of 3|2 (9.5 beats) is 136.85 frames after bar 1
    tmap = TempoMap("24", 1000, (Segment(8, Meter(4, 4), F(1440 * 190, 2737)),),
                    subdivision=2)
    sheet = click_sheet(tmap, [(1137, "hard", "door"), (1000 + 144, "hard", "3|3")])
    first, second = sheet[2].hits
    assert first.label == "3|2|2" and first.frames_off == F(3, 20)
    assert format_hit(first) == "3|2|2 +0.15 fr hard: door"
    assert second.label == "3|3|1" and float(second.frames_off) < 0  # just before 3|3
    # the same hit measured on a map solved on the beat: the nearest beat is 3|3
    beats = click_sheet(TempoMap("24", 1000, tmap.segments), [(1137, "hard", "door")])
    (hit,) = beats[2].hits
    assert hit.label == "3|3" and round(float(hit.frames_off), 2) == -7.05


def test_a_hit_just_before_a_bar_line_belongs_to_that_bar():
    tmap = TempoMap.constant("24", 0, F(120), 4, subdivision=2)  # 12 frames a beat
    sheet = click_sheet(tmap, [(47, "hard", "just before bar 2")])
    assert not sheet[0].hits
    (hit,) = sheet[1].hits
    assert hit.label == "2|1|1" and hit.frames_off == -1


def test_triplet_grid_is_exact():
    tmap = TempoMap.constant("24", 0, F(120), 4, subdivision=3)  # a triplet is 4 frames
    sheet = click_sheet(tmap, [(16, "hard", "x"), (31, "soft", "y")])
    a, b = sheet[0].hits
    assert (a.label, a.frames_off) == ("1|2|2", 0)
    assert (b.label, b.frames_off) == ("1|3|3", -1)


def test_meter_and_tempo_are_marked_where_they_change():
    sheet = click_sheet(cue_map(), [])
    shown = {r.bar: (r.meter_shown, r.tempo_shown) for r in sheet}
    assert shown[0] == shown[1] == (True, True)  # the first row and bar 1
    assert shown[2] == shown[8] == (False, False)
    assert shown[9] == (True, False)  # 3/4 at the same tempo
    assert shown[10] == (True, True) and shown[11] == (False, True)  # a ramp: every bar
    assert shown[14] == (True, True) and shown[15] == (False, False)  # free time
    assert shown[16] == (True, True) and shown[17] == (False, False)


def test_hit_after_the_end_goes_to_the_last_bar():
    tmap = TempoMap.constant("25", 90000, F(120), 2)
    sheet = click_sheet(tmap, [(90000 + 25 * 10, "end", "fade")])
    hit = sheet[-1].hits[0]
    assert hit.position == Position(6, 1)  # past the end: the final tempo goes on
    assert hit.frames_off == 0


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
                    "hits": "3|1 +3.00 fr hard: door slams"}
    assert next(r for r in rows if r["bar"] == "14")["free"] == "yes"
    assert "11|1 +10.00 fr downbeat: cut to the café" in next(
        r for r in rows if r["bar"] == "11")["hits"]
    assert [p.name for p in tmp_path.iterdir()] == ["1M1.csv"]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def long_sheet():
    sync = [*SYNC, *((tc("01:00:40:00") + 24 * k, "hard", f"hit {k}") for k in range(30))]
    return click_sheet(cue_map(bars_at_end=60, subdivision=2), sync, cue_label="1M1",
                       title="Main Title")


def test_clicksheet_pdf(tmp_path):
    path = write_clicksheet_pdf(long_sheet(), tmp_path / "1M1.pdf",
                                film_title="The Long Night", date="2025-01-31")
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"page {n} of {len(pages)}" in page and "Sync points" in page
        assert page.count("The Long Night") == 1  # one title a page
    first = pages[0]
    for needle in ("1M1", "Main Title", "24 fps", "Bar 1 at: 01:00:10:00", "Count-in: 1 bar",
                   "Hard hits: 31", "Sync points: 34", "01:00:14:00", "door slams",
                   "cut to the café", "free time", "12-2", "rit. 120", "rit. 110.77"):
        assert needle in first, needle
    # a hard hit 3 frames after bar 3 (12 frames a beat, solved on eighths): the tie
    # between 3|1|1 and 3|1|2 goes to the earlier click
    assert re.search(r"\b3\|1\|1\s+\+3\.00 fr\s+HARD\s+door slams", first)
    rows = [line for line in first.splitlines() if re.match(r"\d+\s+01:00", line)]
    # the meter where it changes: the count-in bar, bar 1 and back from 3/4; not every bar
    assert sum("4/4" in row for row in rows) == 3 and len(rows) > 20
    assert "The Long Night — click sheet" not in first  # no running head over the header


def test_clicksheet_pdf_pages_render_without_overlaps(tmp_path, pdf_words, word_overlaps,
                                                      pdf_gray):
    path = write_clicksheet_pdf(long_sheet(), tmp_path / "1M1.pdf",
                                film_title="The Long Night", date="2025-01-31")
    pages = pdf_words(path)
    assert len(pages) >= 2
    for n, words in enumerate(pages, 1):
        assert words and not word_overlaps(words), (n, word_overlaps(words)[:5])
    # "1M1" is the largest text on page 1, at its top left
    cue = next(w for w in pages[0] if w[4] == "1M1")
    assert cue[0] < 60 and cue[1] < 70 and cue[3] - cue[1] > 18
    img1, img2 = pdf_gray(path, 1), pdf_gray(path, 2)
    dpi = 60
    strip = slice(int(0.25 * dpi), int(0.45 * dpi))  # where a running head prints
    assert img1[strip].min() > 200  # page 1: nothing above the header
    assert img2[strip].min() < 160  # page 2: the running head
    # the dark table header bar spans the page's width below the header
    dark_rows = [y for y in range(img1.shape[0])
                 if (img1[y, int(0.6 * dpi):int(7.9 * dpi)] < 90).mean() > 0.6]
    assert dark_rows and 1.0 * dpi < dark_rows[0] < 2.2 * dpi
