"""The theme report as CSV: every match a row, read back as written (a report: no reader)."""

from __future__ import annotations

import csv

from filmscore.formats import writer_for
from filmscore.writing.service import ReportRow, ThemeReport


def test_every_match_is_a_row(tmp_path):
    report = ThemeReport([ReportRow("Popeye", "1M1", 3, "1", "melody", "exact", 0.97),
                          ReportRow("Sindbad", "1M2", 12, "2.5", "bass", "inverted -5", 0.8,
                                    ("Cello", "Bassoon 1"), end_bar=13,
                                    timecode="01:00:10:12", verdict="rejected (on v1)",
                                    verdict_by="composer", also=("Popeye", "Olive"))],
                         {"1M1": ["Popeye"], "1M2": ["Sindbad"]})
    path = writer_for("themereport", tmp_path / "themes.csv")(report, tmp_path / "themes.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbftheme,cue,bar,beat,part,doubled_by,transform,"
                                         b"score,timecode,end_bar,verdict,verdict_by,"
                                         b"also_matches\r\n")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig", newline="")))
    assert rows[1] == {"theme": "Sindbad", "cue": "1M2", "bar": "12", "beat": "2.5",
                       "part": "bass", "doubled_by": "Cello; Bassoon 1",
                       "transform": "inverted -5", "score": "0.80",
                       "timecode": "01:00:10:12", "end_bar": "13",
                       "verdict": "rejected (on v1)", "verdict_by": "composer",
                       "also_matches": "Popeye; Olive"}
    assert rows[0]["doubled_by"] == "" and rows[0]["verdict"] == ""
    assert rows[0]["also_matches"] == ""
    assert rows[0]["end_bar"] == "3"  # a row without an end bar ends in its first
