"""The input gate (filmscore.inputs) and the bounds table (filmscore.limits)."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from filmscore import inputs, limits
from filmscore.errors import InputError, ParseError, ValidationError


@pytest.mark.parametrize("make", ["fifo", "device", "folder"])
def test_only_regular_files_are_read(tmp_path, make):
    if make == "fifo":
        path = tmp_path / "cut.edl"
        os.mkfifo(path)
        expected = "a named pipe"
    elif make == "device":
        path, expected = "/dev/zero", "a device"
    else:
        path, expected = tmp_path, "a folder"
    with pytest.raises(InputError, match=expected):
        inputs.read_input(path, "edl")
    with pytest.raises(InputError, match=expected):
        inputs.check_input(path, "edl")


def test_size_limit_is_configurable(tmp_path, monkeypatch):
    path = tmp_path / "a.mid"
    path.write_bytes(b"x" * 3000)
    assert inputs.read_input(path, "midi") == b"x" * 3000
    monkeypatch.setenv("FILMSCORE_INPUT_LIMITS", "edl=1MB, midi=2KB")
    with pytest.raises(InputError, match=r"a\.mid: the file is too large .*2 KB"):
        inputs.read_input(path, "midi")
    monkeypatch.setenv("FILMSCORE_INPUT_LIMITS", "midi=lots")
    with pytest.raises(InputError, match="FILMSCORE_INPUT_LIMITS"):
        inputs.read_input(path, "midi")


def test_json_depth_is_bounded_before_parsing():
    with pytest.raises(ParseError, match="100,000 levels"):
        inputs.check_json_depth(b"[" * 100_000 + b"]" * 100_000, source="deep.otio")
    # brackets inside strings do not count
    inputs.check_json_depth(b'{"a": "[[[[\\"[[[[", "b": [1]}', source="x", limit=2)


def test_zip_expanded_size_is_checked_first(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("score.xml", b"\0" * (3 * 1024 * 1024))
    monkeypatch.setenv("FILMSCORE_INPUT_LIMITS", "musicxml=1MB")
    with pytest.raises(ParseError, match="expands too large"):
        inputs.unzip_bounded(buffer.getvalue(), "score.xml", source="big.mxl")


@pytest.mark.parametrize("name, value", [
    ("tempo_bpm", 1e9), ("tempo_bpm", 0), ("octave", 99), ("duration_quarters", -4),
    ("duration_quarters", 0), ("duration_quarters", 1e30), ("event_number", 10**40),
    ("tempo_bpm", float("nan")), ("frame", float("inf")),
])
def test_bounds_refuse_absurd_values(name, value):
    with pytest.raises(ValidationError, match=r"x\.file, line 3, field f: .*valid: "):
        limits.check(name, value, source="x.file", line=3, field="f")


def test_bounds_keep_sane_values():
    assert limits.check("tempo_bpm", 120) == 120
    assert limits.check("octave", 4) == 4
    assert limits.check("midi_pitch", 127) == 127


def test_digits_are_ascii_digits_only():
    """``str.isdigit`` says yes to '²' and '①', which int() refuses (an octave of '²' was
    an internal error), and to other scripts' digits, which no code or number here holds."""
    assert limits.is_digits("0") and limits.is_digits("0123456789")
    for text in ("", "²", "①", "٣", "１", "1²", "-1", "1.0", " 1", "1 "):
        assert not limits.is_digits(text), text
