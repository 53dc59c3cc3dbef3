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


def test_text_after_a_blank_line_is_not_taken_as_a_subtitle(tmp_path):
    """The srt package runs a block's text on past a blank line, up to the next block's
    number: junk after the last block (or between blocks) became the text of the one
    before.  It is refused at its line; blank lines between blocks are still fine."""
    junk = tmp_path / "junk.srt"
    junk.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n\n"
                    "2\n00:00:03,000 --> 00:00:04,000\nWorld\n\nDownloaded from a site\n")
    with pytest.raises(ParseError) as info:
        read_srt(junk, "24")
    assert "junk.srt, line 9" in str(info.value)
    assert "'Downloaded from a site'" in str(info.value)
    assert "a blank line ends a subtitle" in str(info.value)
    between = tmp_path / "between.srt"
    between.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n\nstray words\n\n"
                       "2\n00:00:03,000 --> 00:00:04,000\nWorld\n")
    with pytest.raises(ParseError, match=r"between.srt, line 5: text after subtitle 1"):
        read_srt(between, "24")
    spaced = tmp_path / "spaced.srt"
    spaced.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\nthere\n\n\n\n"
                      "2\n00:00:03,000 --> 00:00:04,000\nWorld\n\n\n")
    assert [m.text for m in read_srt(spaced, "24")] == ["Hello there", "World"]
