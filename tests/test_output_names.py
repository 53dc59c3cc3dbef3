"""Output names made from data (`filmscore.fileio.safe_name`, `inside`): whatever a cue
title, a session, a part or an album title holds, a writer names one file or folder inside
its output folder."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmscore.errors import InputError
from filmscore.fileio import UniqueNames, inside, safe_name
from filmscore.limits import NAME_MAX_BYTES
from fuzzing import FUZZ

#: names an attacker or a clumsy user gives: every writer is tested with these
HOSTILE = ["..", ".", "../x", "a/b", "/etc/passwd", "-rf", "con", "nul.txt", "a\x00b",
           "x" * 300, "é" * 200, "   ", "", "\u202eevil\u202dfdp.exe", "שלום 🎻🎺",
           "..\\..\\win", "tab\there\nnewline", ".hidden", "a:b*c?d"]


def assert_one_safe_name(name: str) -> None:
    assert name and name not in (".", "..")
    assert not name.startswith((".", "-", " ")) and not name.endswith((" ", "."))
    assert not any(ch in name for ch in '/\\\x00:*?"<>|')
    assert not any(unicodedata.category(ch) == "Cc" for ch in name)
    assert len(name.encode("utf-8")) <= NAME_MAX_BYTES
    assert Path(name).name == name and len(Path(name).parts) == 1


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_become_one_safe_name(text, tmp_path):
    name = safe_name(text, fallback="session", suffix=".txt")
    assert_one_safe_name(name)
    assert name.endswith(".txt")
    path = inside(tmp_path, name)
    assert path.parent == tmp_path
    path.write_bytes(b"x")  # the filesystem takes it
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("text, name", [
    ("Day 1 AM", "Day 1 AM"), ("..", "session"), (".", "session"), ("../x", "x"),
    ("a/b", "a b"), ("/etc/passwd", "etc passwd"), ("-rf", "rf"), ("con", "con_"),
    ("CON.pdf", "CON.pdf_"), ("   ", "session"), ("a\x00b", "a b"),
    ("\u202eevil\u202dfdp.exe", "evil fdp.exe"), ("שלום 🎻", "שלום 🎻"),
    ("Größe & Ärger", "Größe & Ärger"), ("Cafe\u0301", "Café"),
])
def test_safe_name_keeps_what_is_readable(text, name):
    assert safe_name(text, fallback="session") == name


def test_long_names_are_cut_on_a_character_within_the_bound():
    name = safe_name("é" * 300, fallback="x", suffix=".musicxml")
    assert name.endswith("é.musicxml")
    assert len(name.encode("utf-8")) <= NAME_MAX_BYTES
    assert len(safe_name("🎻" * 100, fallback="x").encode("utf-8")) <= NAME_MAX_BYTES


def test_a_batch_gives_each_name_once_whatever_the_case_or_the_cleaning():
    names = UniqueNames(["1M1 score.pdf", "1M1 score.musicxml"])
    given = [names.stem(f"1M1 {label}", fallback="part", endings=(".pdf", ".musicxml"))
             for label in ("Horn 1/2", "Horn 1:2", "HORN 1 2", "score", "Violin 1",
                           "Violin 1.")]
    assert given == ["1M1 Horn 1 2", "1M1 Horn 1 2 (2)", "1M1 HORN 1 2 (3)", "1M1 score (2)",
                     "1M1 Violin 1", "1M1 Violin 1 (2)"]
    # a name is given once with all its endings: a tacet sheet's ending is another file
    assert names.stem("1M1 Horn 1/2", fallback="part", endings=(" TACET.pdf",)) == (
        "1M1 Horn 1 2")
    takes = UniqueNames()
    assert [takes.name(t, fallback="take", suffix=".wav") for t in ("..", "", "take")] == [
        "take.wav", "take (2).wav", "take (3).wav"]
    long = [takes.name("é" * 300, fallback="x", suffix=".wav") for _ in range(12)]
    assert len(set(long)) == 12 and long[11].endswith("é (12).wav")
    for name in long:
        assert_one_safe_name(name)
    again = UniqueNames()  # a batch written again gives the same names
    assert again.name("..", fallback="take", suffix=".wav") == "take.wav"


@given(st.lists(st.text(max_size=300), max_size=8))
@FUZZ
def test_any_batch_of_texts_is_as_many_safe_names(texts):
    names = UniqueNames()
    given = [names.name(t, fallback="part", suffix=".pdf") for t in texts]
    assert len({n.casefold() for n in given}) == len(texts)
    for name in given:
        assert_one_safe_name(name)


@given(st.text(max_size=400))
@FUZZ
def test_any_text_is_one_safe_name(text):
    assert_one_safe_name(safe_name(text, fallback="cue", suffix=".wav"))


@pytest.mark.parametrize("name", ["..", "../x", "/etc/passwd", "a/../../x", "."])
def test_inside_refuses_a_way_out(tmp_path, name):
    with pytest.raises(InputError) as caught:
        inside(tmp_path / "out", name)
    assert "leave" in str(caught.value) and name in str(caught.value)


def test_inside_refuses_a_link_out(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(tmp_path, out / "up")
    with pytest.raises(InputError):
        inside(out, "up/x.pdf")
    assert inside(out, "sub/x.pdf") == out / "sub" / "x.pdf"


@pytest.mark.parametrize("text", HOSTILE)
def test_report_and_cue_sheet_names_from_hostile_titles(text):
    from filmscore.overview.reports import Report
    from filmscore.rights.service import sheet_file_name

    assert_one_safe_name(Report("clicksheet", "pdf", text).filename(text))
    assert_one_safe_name(sheet_file_name(text, ".csv"))


@pytest.mark.parametrize("text", HOSTILE)
def test_album_track_names_from_hostile_titles(text):
    from filmscore.formats.release_tags import safe_file_name

    assert_one_safe_name(safe_file_name(7, text, ".flac"))


def test_a_write_replaces_only_a_file_and_follows_a_link(tmp_path):
    """``--out`` naming a pipe, a folder or a device is refused before anything is written
    (renamed over, a pipe became a plain file, and ``--out /dev/null`` run as root would
    have replaced the device); a symbolic link is written through, and stays a link."""
    from filmscore.fileio import write_atomic

    pipe, folder = tmp_path / "pipe.csv", tmp_path / "folder.csv"
    os.mkfifo(pipe)
    folder.mkdir()
    for target, what in ((pipe, "a pipe"), (folder, "a folder"), (Path("/dev/null"),
                                                                  "a device")):
        with pytest.raises(InputError, match=f"it is {what}, not a file"):
            write_atomic(target, "x")
    assert Path("/dev/null").is_char_device() and pipe.is_fifo() and folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.csv", "pipe.csv"]
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old")
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_write_to_a_name_too_long_is_one_line(tmp_path):
    from filmscore.fileio import write_atomic

    with pytest.raises(InputError, match="cannot write the file: File name too long"):
        write_atomic(tmp_path / ("x" * 300 + ".csv"), "x")
    assert not list(tmp_path.iterdir())
