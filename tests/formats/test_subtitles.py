"""SubRip subtitles as dialogue markers (Popeye part 1 subtitles)."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscore.errors import ParseError
from filmscore.formats import reader_for
from filmscore.formats.subtitles import read_srt

SRT = Path(__file__).resolve().parent.parent / "data" / "video" / "popeye_part1.eng.srt"


def test_read_srt_24():
    markers = read_srt(SRT, "24")
    assert markers[0].frame == 0 and markers[0].end_frame == 96
    assert markers[0].text == "[barking and roaring]"
    assert markers[1].frame == 13 * 24
    assert markers[1].end_frame == 394  # 16.4 s * 24 = 393.6 -> 394
    assert markers[1].text == "I'm Sinbad the sailor So hearty and hale"
    assert all(m.kind == "dialogue" for m in markers)


def test_read_srt_2997_floor():
    markers = read_srt(SRT, "29.97")
    assert markers[1].frame == 389  # 13 s * 30000/1001 = 389.6 -> 389


def test_registry_finds_srt():
    assert reader_for("subtitles", SRT) is read_srt


def test_bad_srt(tmp_path):
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> 00:00:02,000\nhello\n\n"
                   "2\n00:00:0x,000 --> 00:00:04,000\nbad\n")
    with pytest.raises(ParseError) as info:
        read_srt(bad, "24")
    assert "bad.srt, line 5" in str(info.value)
    assert "00:00:0x" in str(info.value)
