"""The change list's files: the CSV written and read back exactly (and refused for another
project or rate), the change EDL read back by our EDL reader and by pycmx, the PDF report
(rendered and looked at by conftest) and the HTML report parsed."""

from __future__ import annotations

import dataclasses
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pycmx
import pytest

from changelist_helpers import Seg, film, shots, trim_head, trim_tail
from filmscore.conform.compare import compare_cuts
from filmscore.errors import InputError, ParseError
from filmscore.formats import reader_for, writer_for
from filmscore.formats.changelist_csv import read_changelist_csv, write_changelist_csv
from filmscore.formats.changelist_edl import write_changelist_edl
from filmscore.formats.changelist_html import write_changelist_html
from filmscore.formats.changelist_pdf import write_changelist_pdf
from filmscore.spotting.picture import read_picture
from filmscore.timecode import get_rate

DATA = Path(__file__).resolve().parents[1] / "data" / "edl" / "changelist"
RATE = get_rate("25")


@pytest.fixture(scope="module")
def demo():
    old = read_picture(DATA / "Demo_edit_v1.edl", rate=RATE, shots=False)
    new = read_picture(DATA / "Demo_edit_v2.edl", rate=RATE, shots=False)
    return new, compare_cuts(old, new, old_version=1, new_version=2, project="Demo #7")


def _synthetic():
    new = shots()
    new[0] = trim_tail(new[0], 16)
    new.insert(1, new.pop(7))
    del new[5]
    new[4] = trim_head(new[4], -24)
    new.insert(6, Seg("X001C001", 0, 40))
    new[7] = Seg("Y001C001", 0, new[7].length)
    cut = film(new, name="Reel 1 v2")
    return cut, compare_cuts(film(shots(), name="Reel 1 v1"), cut, project="Synthetic #2")


def test_the_formats_are_registered() -> None:
    assert writer_for("changelist", "c.csv") is write_changelist_csv
    assert reader_for("changelist", "c.csv") is read_changelist_csv
    assert writer_for("changelist", "c.edl") is write_changelist_edl
    assert writer_for("changelist", "c.pdf") is write_changelist_pdf
    assert writer_for("changelist", "c.html") is write_changelist_html


def test_csv_round_trip(tmp_path: Path, demo) -> None:
    _, changes = demo
    path = write_changelist_csv(changes, tmp_path / "changes.csv")
    assert read_changelist_csv(path, rate=RATE, project="Demo #7") == changes
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ("change list,Demo #7,old,Demo_edit_v1.edl,old version,1,new,"
                        "Demo_edit_v2.edl,new version,2,rate,25")
    assert lines[1].startswith("kind,clip,reel,old_in,old_out,new_in,new_out,old_in_frame,")
    assert lines[2] == ("trim_tail,B018C003_220611_RYX1,B018C003_220611_RYX1,01:00:15:20,"
                        "01:00:15:20,01:00:15:20,01:00:15:22,90395,90395,90395,90397,0,2,"
                        "tail extended 2 frames")
    assert lines[8].startswith("delete,B001C013_220528_RYX1,B001C013_220528_RYX1,"
                               "01:00:43:13,01:00:51:08,,,91088,91283,,,0,-195,")
    _, synthetic = _synthetic()
    path = write_changelist_csv(synthetic, tmp_path / "synthetic.csv")
    back = read_changelist_csv(path, rate="24")
    assert back == synthetic and {c.kind for c in back.changes} == {
        "trim_tail", "move", "trim_head", "delete", "insert", "replace"}
    assert back.map_frame(86400 + 800) == synthetic.map_frame(86400 + 800)


def test_csv_edited_by_hand_reads_its_timecodes(tmp_path: Path, demo) -> None:
    _, changes = demo
    path = write_changelist_csv(changes, tmp_path / "changes.csv")
    text = path.read_text(encoding="utf-8-sig").replace(
        "01:00:15:22,90395,90395,90395,90397", "01:00:15:22,,,,")
    path.write_text(text, encoding="utf-8")
    assert read_changelist_csv(path, rate=RATE) == changes


def test_csv_refusals(tmp_path: Path, demo) -> None:
    _, changes = demo
    path = write_changelist_csv(changes, tmp_path / "changes.csv")
    with pytest.raises(InputError) as caught:
        read_changelist_csv(path, rate=RATE, project="Popeye #1")
    assert str(caught.value) == (
        f"{path}, line 1, field project: the change list is for another project "
        "(got 'Demo #7'); valid: Popeye #1")
    with pytest.raises(InputError, match="field rate: the change list is at another frame "
                                         "rate .got '25'.; valid: a list at 24 fps"):
        read_changelist_csv(path, rate="24")
    text = path.read_text(encoding="utf-8-sig")
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("trim_head,", "trim_middle,"), encoding="utf-8")
    with pytest.raises(ParseError, match=r"line 6, field kind: unknown kind .got "
                                         r"'trim_middle'.; valid: insert, delete"):
        read_changelist_csv(bad, rate=RATE)
    bad.write_text(text.replace(",90395,90395,90395,90397,", ",90395,x,90395,90397,"),
                   encoding="utf-8")
    with pytest.raises(ParseError, match="line 3, field old_out_frame: not a whole number"):
        read_changelist_csv(bad, rate=RATE)
    bad.write_text("kind,clip\ninsert,x\n", encoding="utf-8")
    with pytest.raises(ParseError, match="line 1: not a change list"):
        read_changelist_csv(bad, rate=RATE)


def test_the_change_edl(tmp_path: Path, demo) -> None:
    new, changes = demo
    path = write_changelist_edl(changes, new, tmp_path / "changes.edl")
    # our reader: the new cut, event for event
    back = read_picture(path, rate=RATE, shots=False)

    def events(cut):
        return [(e.source_reel, e.source_in, e.record_in, e.record_out) for e in cut.events]

    assert events(back) == events(new)
    # pycmx: the same events, each change a comment under the event it falls in
    with open(path) as handle:
        edl = pycmx.parse_cmx3600(handle)
    read = list(edl.events)
    assert [e.edits[0].source for e in read] == [e.source_reel for e in new.events]
    under = {}
    for event in read:
        for statement in event.statements:
            text = getattr(statement, "text", "")  # pycmx's StmtRemark: a comment
            if text.startswith("CHANGE"):
                under[text.split(":")[0]] = event.number
    assert under == {"CHANGE 1": 2, "CHANGE 2": 3, "CHANGE 3": 7, "CHANGE 4": 9,
                     "CHANGE 5": 9, "CHANGE 6": 11, "CHANGE 7": 11}
    assert "LOC:" not in path.read_text()  # the edit points read_picture adds are not kept
    text = path.read_text()
    assert ("* CHANGE 2: TRIM_TAIL -2 B018C008_220611_RYX1 OLD 01:00:18:03-01:00:18:05 "
            "NEW 01:00:18:05 DELTA +2") in text
    assert "* CHANGE 7: DELETE -195 B001C013_220528_RYX1 OLD 01:00:43:13-01:00:51:08 NEW -" \
        in text


def test_the_change_edl_refuses_a_cut_at_another_rate(tmp_path: Path, demo) -> None:
    new, changes = demo
    other = dataclasses.replace(new, rate=get_rate("24"))
    with pytest.raises(InputError, match="another rate than the change list"):
        write_changelist_edl(changes, other, tmp_path / "c.edl")
    assert not (tmp_path / "c.edl").exists()


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_pdf_report(tmp_path: Path, demo) -> None:
    _, changes = demo
    path = write_changelist_pdf(changes, tmp_path / "changes.pdf", date="2026-12-05")
    text = _pdf_text(path)
    for words in ("Demo #7", "Demo_edit_v1.edl (v1) → Demo_edit_v2.edl (v2)", "Summary",
                  "The two cuts", "Trim tail", "01:00:43:13", "01:00:51:08", "−195",
                  "closes up at 01:00:43:16", "Warnings", "the new cut is 192 frames shorter"):
        assert words in " ".join(text.split()), words
    _, synthetic = _synthetic()
    path = write_changelist_pdf(synthetic, tmp_path / "synthetic.pdf")
    text = " ".join(_pdf_text(path).split())
    for words in ("Move", "Insert", "Replace", "Delete", "Trim head", "replaces A007C001"):
        assert words in text, words


def test_a_pdf_of_no_changes(tmp_path: Path) -> None:
    same = compare_cuts(film(shots(), name="a"), film(shots(), name="b"))
    path = write_changelist_pdf(same, tmp_path / "same.pdf")
    assert "nothing to conform" in _pdf_text(path)


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.cells: list[str] | None = None
        self.svg = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-kind" in attrs:
            self.rows.append({**attrs, "cells": []})
            self.cells = self.rows[-1]["cells"]
        elif tag == "td" and self.cells is not None:
            self.cells.append("")
        elif tag == "rect":
            self.svg += 1
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "tr":
            self.cells = None
        self._in_title = False

    def handle_data(self, data):
        if self.cells:
            self.cells[-1] += data
        if self._in_title:
            self.title += data


def test_the_html_report(tmp_path: Path, demo) -> None:
    _, changes = demo
    path = write_changelist_html(changes, tmp_path / "changes.html", date="2026-12-05")
    parser = _Rows()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.title == "Demo #7 — change list"
    summary = [r for r in parser.rows if "data-old-in" not in r]
    listed = [r for r in parser.rows if "data-old-in" in r]
    assert [(r["data-kind"], r["cells"][1]) for r in summary] == [
        ("insert", "0"), ("delete", "1"), ("trim_head", "1"), ("trim_tail", "4"),
        ("move", "0"), ("replace", "1")]
    assert [r["data-kind"] for r in listed] == [c.kind for c in changes.changes]
    assert listed[6]["cells"][4:10] == ["01:00:43:13", "01:00:51:08", "", "", "+0", "-195"]
    assert listed[6]["data-old-in"] == "91088" and listed[6]["data-new-in"] == ""
    assert listed[2]["cells"][2] == "B001C002_220528_RYX1"
    assert parser.svg > 10  # the strip drawing: parts of both cuts
