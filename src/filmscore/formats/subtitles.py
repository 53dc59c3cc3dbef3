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
from filmscore.spotting.cut import CutMarker
from filmscore.timecode import Rate, get_rate

_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")


def _seconds(delta: timedelta) -> Fraction:
    return Fraction(delta.days * 86400 + delta.seconds) + Fraction(delta.microseconds, 10**6)


def read_srt(path: str | Path, rate: Rate | str) -> list[CutMarker]:
    """Each subtitle as a CutMarker of kind "dialogue" (frame = floor of its start)."""
    import srt

    path = Path(path)
    rate = get_rate(rate)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ParseError(f"cannot read file: {exc.strerror or exc}", source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ParseError("not UTF-8 text", source=str(path), value=f"byte {exc.start}",
                         valid="a UTF-8 SubRip file") from None
    markers = []
    try:
        for sub in srt.parse(text):
            start = _seconds(sub.start) * rate.fps
            end = _seconds(sub.end) * rate.fps
            if end < start:
                line = text.count("\n", 0, text.find(f"{sub.index}\n")) + 1
                raise ParseError(f"subtitle {sub.index} ends before it starts",
                                 source=str(path), line=line, valid="end >= start")
            body = " ".join(_TAGS.sub("", sub.content).split())
            markers.append(CutMarker(frame=start.__floor__(), text=body, kind="dialogue",
                                     end_frame=end.__ceil__()))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        bad = " / ".join(text[exc.expected_start:].split("\n")[:2])
        raise ParseError("not a SubRip subtitle block", source=str(path), line=line,
                         value=bad, valid="INDEX, HH:MM:SS,mmm --> HH:MM:SS,mmm, text") from None
    except (ValueError, TypeError) as exc:
        raise ParseError(f"bad subtitle: {exc}", source=str(path)) from None
    return markers
