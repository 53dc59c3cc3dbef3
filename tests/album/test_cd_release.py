"""The CD: the disc image and CUE sheet read back with libcue (pylibcue) and ffprobe,
every INDEX checked against the image by sample, the PQ list's disc times, and every
rule of the Red Book refused with one clear line."""

from __future__ import annotations

import csv
import json
import subprocess
import warnings
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pylibcue
import pytest
import soundfile as sf

from filmscore.album.cd import SAMPLES_PER_FRAME, cd_layout, msf
from filmscore.album.release import write_release
from filmscore.errors import ConflictError, FilmscoreWarning, InputError
from filmscore.formats import writer_for
from filmscore.formats.cd_cue import cue_text, write_cd_image, write_cue
from filmscore.formats.pq_list_csv import pq_rows, write_pq_csv
from filmscore.formats.pq_list_pdf import write_pq_pdf
from release_helpers import plan, write_audio


def frames(index: tuple[int, int, int]) -> int:
    m, s, f = index
    return (m * 60 + s) * 75 + f


@pytest.fixture
def cd(tmp_path):
    """Four tracks: 1, a 2 s pause, 2, a segue into 3 (no pause), a 3.5 s pause, 4."""
    return plan(tmp_path, "cd", [5.003, 4.5, 6.01, 4.0], gaps=["0", "2", "0", "7/2"],
                titles=["Main Title", "Sindbad's Isle", "Der Riese (Größe)", "Finale"])


def test_image_and_cue_read_back(cd, tmp_path):
    layout = cd_layout(cd, date="2026-12-05")
    write_cue(layout, tmp_path / "album.cue", "album.wav")
    write_cd_image(layout, tmp_path / "album.wav")
    sheet = pylibcue.parse_file(str(tmp_path / "album.cue"), encoding="latin-1")
    assert sheet.catalog == "036000291452"
    assert sheet.cdtext.title == "Popeye the Sailor"
    assert sheet.cdtext.performer == "The Fleischer Studio Orchestra"
    assert sheet.cdtext.songwriter == "Sammy Timberg"
    assert len(sheet) == 4
    assert [t.cdtext.title for t in sheet] == ["Main Title", "Sindbad's Isle",
                                               "Der Riese (Größe)", "Finale"]
    assert [t.isrc for t in sheet] == [f"USRC1760{n:04d}" for n in range(1, 5)]
    assert all(t.filename == "album.wav" for t in sheet)
    assert sheet[0].zero_pre is None  # no PREGAP: the recorder makes the 2 s itself
    assert "PREGAP" not in cue_text(layout, "album.wav")

    image, rate = sf.read(str(tmp_path / "album.wav"), dtype="int16", always_2d=True)
    assert rate == 44100 and image.shape[1] == 2
    assert len(image) % SAMPLES_PER_FRAME == 0 and len(image) == layout.image_samples
    sources = [sf.read(str(t.mastered_audio), dtype="int16", always_2d=True)[0]
               for t in cd.tracks]
    starts = [frames(t.get_index(1)) for t in sheet]
    pauses = [t.get_index(0) for t in sheet]
    assert pauses[0] is None and pauses[2] is None  # track 1; track 3 segues from 2
    assert frames(pauses[1]) == starts[1] - 150  # the 2 s pause
    assert frames(pauses[3]) == starts[3] - 263  # 3.5 s = 262.5 frames: half up
    for k, (start, source) in enumerate(zip(starts, sources, strict=True)):
        at = start * SAMPLES_PER_FRAME
        if k == 2:  # the segue: the mark at or before the first sample, music unbroken
            offset = layout.tracks[2].audio_at - at
            assert 0 <= offset < SAMPLES_PER_FRAME
            end_of_2 = layout.tracks[1].audio_at + len(sources[1])
            assert layout.tracks[2].audio_at == end_of_2
            at += offset
        np.testing.assert_array_equal(image[at:at + len(source)], source)
        if pauses[k] is not None:  # the pause is digital silence up to INDEX 01
            assert not image[frames(pauses[k]) * SAMPLES_PER_FRAME:at].any()
            assert sheet[k].zero_pre == ((0, 2, 0) if k == 1 else (0, 3, 38))
    assert not image[layout.tracks[3].audio_at + len(sources[3]):].any()

    probe = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json",
         str(tmp_path / "album.wav")], capture_output=True, text=True, check=True).stdout)
    stream = probe["streams"][0]
    assert (stream["sample_rate"], stream["channels"], stream["codec_name"]) == \
        ("44100", 2, "pcm_s16le")
    assert int(stream["duration_ts"]) == layout.image_samples


def test_cue_text_layout(cd):
    text = cue_text(cd_layout(cd, date="2026-12-05"), "Popeye.wav")
    lines = text.split("\r\n")
    assert lines[:7] == ['REM COMMENT "filmscore"', "REM DATE 2026", "CATALOG 036000291452",
                         'PERFORMER "The Fleischer Studio Orchestra"',
                         'TITLE "Popeye the Sailor"', 'SONGWRITER "Sammy Timberg"',
                         'FILE "Popeye.wav" WAVE']
    assert "  TRACK 02 AUDIO" in lines and "    INDEX 00 00:05:01" in lines
    assert "    INDEX 01 00:07:01" in lines
    assert text.encode("latin-1")  # the CD-TEXT charset


def test_pq_list(cd, tmp_path):
    layout = cd_layout(cd)
    rows = pq_rows(layout)
    assert rows[0] == {"track": "01", "index": "00", "start": "00:00:00",
                       "length": "00:02:00", "isrc": "", "title": "(pause)", "cue": "",
                       "image_start": "", "catalog": "036000291452"}
    assert rows[1]["start"] == "00:02:00" and rows[1]["image_start"] == "00:00:00"
    assert rows[1]["isrc"] == "USRC17600001" and rows[1]["cue"] == "1M1"
    ones = [r for r in rows if r["index"] == "01"]
    assert [r["track"] for r in ones] == ["01", "02", "03", "04"]
    for row, track in zip(ones, layout.tracks, strict=True):
        assert row["start"] == msf(track.start + 150)
        assert row["length"] == msf(track.end - track.start)
    assert rows[-1]["track"] == "LO"
    assert rows[-1]["start"] == msf(layout.frames + 150) == msf(layout.disc_frames)
    assert writer_for("pq_list", "pq.csv") is write_pq_csv  # registered
    assert writer_for("pq_list", "pq.pdf") is write_pq_pdf
    assert writer_for("cd_cue", "album.cue") is write_cue
    write_pq_csv(layout, tmp_path / "pq.csv")
    with open(tmp_path / "pq.csv", encoding="utf-8-sig", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert read == rows
    write_pq_pdf(layout, tmp_path / "pq.pdf", image_name="album.wav", image_md5="ab" * 16)
    words = subprocess.run(["pdftotext", str(tmp_path / "pq.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    for text in ("PQ list", "036000291452", "USRC17600004", "Lead-out", rows[-1]["start"],
                 "00:02:00", "Der Riese (Größe)"):
        assert text in words


def test_longer_first_pause_is_a_pregap(tmp_path):
    layout = cd_layout(plan(tmp_path, "cd", [4.0, 4.0], settings={"pregap_seconds": "3"}))
    (tmp_path / "a.cue").write_text(cue_text(layout, "a.wav"), encoding="latin-1")
    sheet = pylibcue.parse_file(str(tmp_path / "a.cue"), encoding="latin-1")
    assert sheet[0].zero_pre == (0, 1, 0)
    assert layout.disc_frames == layout.frames + 225


def _error(p) -> str:
    with pytest.raises(InputError) as caught:
        cd_layout(p)
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_wrong_rate_bits_channels(tmp_path):
    text = _error(plan(tmp_path, "cd", [4.0], sample_rate=48000))
    assert "m1.wav" in text and "48000 Hz" in text and "44100" in text
    text = _error(plan(tmp_path, "cd", [4.0], bits=24))
    assert "PCM_24" in text and "16-bit" in text
    mono = plan(tmp_path, "cd", [4.0])
    write_audio(mono.tracks[0].mastered_audio, 4.0, channels=1)
    assert "1 channel(s)" in _error(mono)


def test_not_mastered(tmp_path):
    text = _error(plan(tmp_path, "cd", [4.0, 5.0], mastered=False))
    assert "2 track(s)" in text and "no mastered audio" in text
    assert "run 'filmscore master 1 --medium cd' first" in text


def test_track_rules(tmp_path):
    text = _error(plan(tmp_path, "cd", [5.0, 3.9]))
    assert "track 2" in text and "3.90 s" in text and "at least 4 s" in text
    one = plan(tmp_path, "cd", [4.0])
    many = replace(one, tracks=tuple(replace(one.tracks[0], position=i + 1)
                                     for i in range(100)))
    assert "100 tracks: a CD holds at most 99" in _error(many)
    text = _error(plan(tmp_path, "cd", [5.0, 6.0], settings={"max_seconds": "10"}))
    assert "over its maximum of 00:10:00" in text and "00:15:00" in text


def test_codes_and_cd_text(tmp_path):
    text = _error(plan(tmp_path, "cd", [4.0, 4.0], isrcs=["USRC17600001", "USRC1760001"]))
    assert "track 2 isrc" in text and "12 characters" in text
    text = _error(plan(tmp_path, "cd", [4.0], catalog="036000291453"))
    assert "valid: 036000291452 (check digit 2)" in text
    text = _error(plan(tmp_path, "cd", [4.0], titles=["Sindbad \u2014 the Sailor"]))
    assert "U+2014" in text and "ISO-8859-1" in text and "track 1 title" in text
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layout = cd_layout(plan(tmp_path, "cd", [4.0, 4.0], isrcs=["", "USRC17600001"],
                                catalog="", titles=['The "Big" Fight', "x" * 90]))
    said = [str(w.message) for w in caught if issubclass(w.category, FilmscoreWarning)]
    assert any("double quote" in s for s in said)
    assert any("90 characters" in s for s in said)
    assert any("without ISRC: 1" in s for s in said)
    assert any("no UPC/EAN" in s for s in said)
    with pytest.warns(FilmscoreWarning, match="tracks 1 and 2 have the same ISRC"):
        cd_layout(plan(tmp_path, "cd", [4.0, 4.0], isrcs=["USRC17600001"] * 2))
    assert layout.tracks[0].title == "The 'Big' Fight" and layout.catalog == ""
    assert "CATALOG" not in cue_text(layout, "a.wav")
    assert "ISRC" not in cue_text(layout, "a.wav").split("TRACK 02")[0]
    long = plan(tmp_path, "cd", [4.0] * 40, titles=["A long title of the cue " * 3] * 40)
    assert "CD-TEXT needs" in _error(long)


def test_release_folder_is_atomic(cd, tmp_path, monkeypatch):
    out = tmp_path / "out"
    done = write_release(cd, out, date="2026-12-05")
    assert done.folder == out / "cd"
    assert sorted(p.name for p in done.folder.iterdir()) == sorted(done.files)
    assert {"Popeye the Sailor.wav", "Popeye the Sailor.cue", "pq_list.pdf", "pq_list.csv",
            "liner_notes.pdf", "cover.png"} == set(done.files)
    sheet = pylibcue.parse_file(str(done.folder / "Popeye the Sailor.cue"), encoding="latin-1")
    assert sheet[0].filename == "Popeye the Sailor.wav" and len(sheet) == 4
    with pytest.raises(ConflictError, match="exists already.*--force"):
        write_release(cd, out)
    from filmscore.formats import pq_list_pdf

    def broken(*a, **k):
        raise InputError("broken on purpose")

    monkeypatch.setattr(pq_list_pdf, "write_pq_pdf", broken)
    with pytest.raises(InputError, match="broken on purpose"):
        write_release(cd, out, force=True)
    assert sorted(p.name for p in out.iterdir()) == ["cd"]  # the old release, untouched
    assert sorted(p.name for p in (out / "cd").iterdir()) == sorted(done.files)
    monkeypatch.undo()
    shorter = replace(cd, tracks=cd.tracks[:2])
    again = write_release(shorter, out, force=True)
    assert sorted(p.name for p in out.iterdir()) == ["cd"]
    assert len(pylibcue.parse_file(str(again.folder / "Popeye the Sailor.cue"),
                                   encoding="latin-1")) == 2
    assert Fraction(again.seconds) == shorter.seconds
