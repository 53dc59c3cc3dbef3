"""The vinyl side list for the cutting engineer: timings per side with the bands between
tracks, loudness, true peak and bass share, the notes (side too long, bass-heavy or loud
music late on a side, peaks over the ceiling, unbalanced sides), the premasters, the CSV
and the PDF."""

from __future__ import annotations

import csv
import subprocess
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import soundfile as sf

from filmscore.album.release import write_release
from filmscore.album.vinyl import bass_share, clock, side_sheet
from filmscore.errors import InputError
from filmscore.formats import writer_for
from filmscore.formats.side_list_csv import side_rows, write_side_csv
from filmscore.formats.side_list_pdf import write_side_pdf
from filmscore.mixing.meter import measure_file
from release_helpers import plan, write_audio


def test_clock():
    assert clock(Fraction(0)) == "0:00.0"
    assert clock(Fraction(1319, 1)) == "21:59.0"
    assert clock(Fraction(59.96)) == "1:00.0"
    assert clock(Fraction(125, 2), tenths=False) == "1:03"


def test_bass_share(tmp_path):
    low = write_audio(tmp_path / "low.wav", 2.0, sample_rate=48000, bits=24, seed=1,
                      bass=True)
    high = write_audio(tmp_path / "high.wav", 2.0, sample_rate=48000, bits=24, seed=1,
                       hz=2000.0)
    assert bass_share(low) > 0.8
    assert bass_share(high) < 0.05


def test_sides_timings_and_notes(tmp_path):
    p = plan(tmp_path, "vinyl", [5.0, 6.0, 4.5, 7.0, 5.5], sides=list("AAABB"),
             gaps=["0", "2", "3/2", "0", "2"], bass=[False, False, True, False, False])
    loud = replace(p.tracks[2], mastered={**p.tracks[2].mastered, "loudness_lufs": -9.0,
                                          "true_peak_dbtp": -0.4})
    p = replace(p, tracks=(*p.tracks[:2], loud, *p.tracks[3:]))
    sheet = side_sheet(p)
    assert [s.letter for s in sheet.sides] == ["A", "B"]
    a, b = sheet.sides
    assert [t.label for t in a.tracks] == ["A1", "A2", "A3"]
    assert [t.label for t in b.tracks] == ["B1", "B2"]
    assert [t.start for t in a.tracks] == [0, 7, Fraction(29, 2)]
    assert a.total == Fraction(19) and b.total == Fraction(29, 2)  # B1's gap not counted
    assert b.tracks[1].start == 9
    assert a.tracks[2].bass_share > 0.5 and a.tracks[0].bass_share < 0.05
    notes = " ".join(a.tracks[2].notes)
    assert "bass-heavy" in notes and "late on the side" in notes
    assert "loud (-9.0 LUFS" in notes
    assert "true peak -0.4 dBTP over the -1.0 ceiling" in notes
    assert a.tracks[0].notes == () and b.tracks[1].notes == ()
    assert a.tracks[0].loudness_lufs == -14.2 and a.tracks[0].true_peak_dbtp == -1.1
    assert a.max_seconds == 22 * 60 and a.notes == () and sheet.notes == ()


def test_side_limits_and_balance(tmp_path, monkeypatch):
    p = plan(tmp_path, "vinyl", [5.0, 6.0, 5.0], sides=list("AAB"),
             settings={"max_seconds": "12"})
    a, b = side_sheet(p).sides
    assert a.total == 13 and "over the side's maximum of 0:12 by 0:01.0" in a.notes[0]
    assert "a long side" in side_sheet(replace(p, medium=replace(
        p.medium, max_seconds=Fraction(14)))).sides[0].notes[0]
    from filmscore.album import vinyl

    monkeypatch.setattr(vinyl, "UNBALANCED_SECONDS", 5)  # 180 s in use: a short test
    long = plan(tmp_path, "vinyl", [10.0, 4.0], sides=list("AB"))
    assert "sides unbalanced: 0:04.0 to 0:10.0" in side_sheet(long).notes


def test_measured_when_mastering_did_not_say(tmp_path):
    p = plan(tmp_path, "vinyl", [4.0, 4.0], sides=list("AB"))
    bare = replace(p, tracks=tuple(replace(t, mastered={}) for t in p.tracks))
    sheet = side_sheet(bare)
    measured = measure_file(p.tracks[0].mastered_audio)
    assert sheet.sides[0].tracks[0].loudness_lufs == pytest.approx(measured.loudness_lufs)
    assert sheet.sides[0].tracks[0].true_peak_dbtp == pytest.approx(measured.true_peak_dbtp)


def test_refusals(tmp_path):
    with pytest.raises(InputError, match="on no side the record has.*valid: A, B"):
        side_sheet(plan(tmp_path, "vinyl", [4.0, 4.0], sides=["A", ""]))
    with pytest.raises(InputError, match="on no side"):
        side_sheet(plan(tmp_path, "vinyl", [4.0], sides=["C"]))
    with pytest.raises(InputError, match="44100 Hz.*needs 48000 Hz"):
        side_sheet(plan(tmp_path, "vinyl", [4.0], sides=["A"], sample_rate=44100))


def test_side_list_files(tmp_path):
    p = plan(tmp_path, "vinyl", [5.0, 6.0, 4.5, 7.0], sides=list("AABB"),
             titles=["Main Title", "Sindbad's Isle", "The Roc", "Finale"],
             bass=[False, True, False, False])
    done = write_release(p, tmp_path / "out", date="2026-12-05")
    premasters = ["A1 Main Title.wav", "A2 Sindbad's Isle.wav", "B1 The Roc.wav",
                  "B2 Finale.wav"]
    assert list(done.files[:4]) == premasters
    for name, track in zip(premasters, p.tracks, strict=True):
        got, rate = sf.read(str(done.folder / name), dtype="int32")
        want, _ = sf.read(str(track.mastered_audio), dtype="int32")
        assert rate == 48000 and sf.info(str(done.folder / name)).subtype == "PCM_24"
        np.testing.assert_array_equal(got, want)
    with open(done.folder / "side_list.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sheet = side_sheet(p)
    assert rows == side_rows(sheet, dict(zip(["A1", "A2", "B1", "B2"], premasters,
                                             strict=True)))
    assert [r["track"] for r in rows] == ["A1", "A2", "total", "B1", "B2", "total"]
    assert rows[1]["start"] == "0:07.0" and rows[1]["end"] == "0:13.0"
    assert rows[2]["length"] == "0:13.0" and rows[2]["max"] == "22:00"
    assert "bass-heavy" in rows[1]["notes"]
    assert rows[0]["file"] == "A1 Main Title.wav"
    text = subprocess.run(["pdftotext", "-layout", str(done.folder / "side_list.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for words in ("Vinyl side list", "Side A", "Side B", "of 22:00 max",
                  "Lacquer and cutting notes", "Matrix / run-out etching", "A2",
                  "bass-heavy", "48 kHz, 24-bit"):
        assert words in text, words
    assert writer_for("side_list", "s.pdf") is write_side_pdf  # registered
    assert writer_for("side_list", "s.csv") is write_side_csv
    write_side_pdf(sheet, tmp_path / "plain.pdf")
    write_side_csv(sheet, tmp_path / "plain.csv")
    assert (tmp_path / "plain.csv").read_text(encoding="utf-8-sig").startswith("side,track")
