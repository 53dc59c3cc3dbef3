"""Subtitles (SubRip .srt) as dialogue markers, through the ``srt`` package.

What it loses: formatting tags (<i>, <b>, <font>) are removed from the text; positions
and styling are dropped; times are reduced to frames (start floored, end ceiled).
"""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

from filmscore.errors import ParseError
from filmscore.inputs import read_input_text
from filmscore.limits import check
from filmscore.spotting.cut import CutMarker
from filmscore.timecode import Rate, get_rate

_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def _seconds(delta: timedelta) -> Fraction:
    return Fraction(delta.days * 86400 + delta.seconds) + Fraction(delta.microseconds, 10**6)


def read_srt(path: str | Path, rate: Rate | str) -> list[CutMarker]:
    """Each subtitle as a CutMarker of kind "dialogue" (frame = floor of its start)."""
    import srt

    path = Path(path)
    rate = get_rate(rate)
    # a regular file within its limit (not a FIFO)
    text = read_input_text(path, "subtitles", fallback=None, valid="a UTF-8 SubRip file")
    markers = []
    try:
        for sub in srt.parse(text):
            line = _line_of(text, sub.index)
            # a subtitle past a day is no film's (SRT hours have any number of digits)
            for what, delta in (("start", sub.start), ("end", sub.end)):
                check("seconds", float(_seconds(delta)), source=str(path), line=line,
                      field=f"subtitle {sub.index} {what}", what=f"subtitle {what} time")
            start = _seconds(sub.start) * rate.fps
            end = _seconds(sub.end) * rate.fps
            if end < start:
                raise ParseError(f"subtitle {sub.index} ends before it starts",
                                 source=str(path), line=line, valid="end >= start")
            # the srt package runs a block's text on past a blank line up to the next
            # block's number and times: what follows a blank line is no subtitle's text
            content = sub.content.strip("\n")
            stray = _BLANK_LINE.search(content)
            if stray is not None:
                after = content[stray.end():]
                at = None if line is None else line + 2 + content[:stray.end()].count("\n")
                raise ParseError(f"text after subtitle {sub.index} that is not a subtitle "
                                 "block", source=str(path), line=at,
                                 value=after.split("\n")[0][:60],
                                 valid="INDEX, HH:MM:SS,mmm --> HH:MM:SS,mmm, text; a blank "
                                 "line ends a subtitle")
            body = " ".join(_TAGS.sub("", sub.content).split())
            first, last = start.__floor__(), end.__ceil__()
            # a subtitle of no length is a point, not a span (a span ends after it starts)
            markers.append(CutMarker(frame=first, text=body, kind="dialogue",
                                     end_frame=last if last > first else None))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        bad = " / ".join(text[exc.expected_start:].split("\n")[:2])
        raise ParseError("not a SubRip subtitle block", source=str(path), line=line,
                         value=bad, valid="INDEX, HH:MM:SS,mmm --> HH:MM:SS,mmm, text") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise ParseError(f"bad subtitle: {' '.join(str(exc).split())[:120]}",
                         source=str(path)) from None
    if not markers:
        raise ParseError("no subtitles in the file", source=str(path),
                         valid="a SubRip file with at least one subtitle")
    return markers


def _line_of(text: str, index: int) -> int | None:
    at = text.find(f"{index}\n")
    return None if at < 0 else text.count("\n", 0, at) + 1
