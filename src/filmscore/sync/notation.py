"""The compact segment notation of `filmscore tempo set`: '8x4/4@120, 2x3/4@12-2>90, 1xfree:48'.

Pure text in and out over ``sync.tempomap`` values (tempos in BPM or frame-click).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from filmscore.errors import InputError
from filmscore.sync.tempomap import Segment, parse_meter, parse_tempo
from filmscore.timecode import Rate

_SEGMENT = re.compile(
    r"^\s*(?P<bars>\d{1,4})\s*x\s*(?:(?P<free>free)\s*:\s*(?P<frames>\d{1,6})|"
    r"(?P<meter>\d{1,2}/\d{1,2})\s*@\s*(?P<tempo>[\d./\-]+)(?:\s*>\s*(?P<end>[\d./\-]+))?)\s*$"
)
SEGMENT_SYNTAX = "BARSxMETER@TEMPO[>END], e.g. 8x4/4@120, 2x3/4@12-2>90, 1xfree:48"


def parse_segments(text: str, rate: Rate | str, *, field: str = "segments"
                   ) -> tuple[Segment, ...]:
    """'8x4/4@120, 2x3/4@120>90, 1xfree:48' -> segments (tempos in BPM or frame-click)."""
    out = []
    for n, part in enumerate(text.split(","), 1):
        match = _SEGMENT.match(part)
        if not match:
            raise InputError(f"segment {n} is not in the tempo map notation", field=field,
                             value=part.strip(), valid=SEGMENT_SYNTAX)
        bars = int(match["bars"])
        if match["free"]:
            out.append(Segment(bars, free_frames=int(match["frames"])))
            continue
        tempo = parse_tempo(match["tempo"], rate, field=field)
        end = parse_tempo(match["end"], rate, field=field) if match["end"] else None
        out.append(Segment(bars, parse_meter(match["meter"], field=field), tempo, end))
    return tuple(out)


def format_segments(segments: Sequence[Segment], rate: Rate | str) -> str:
    """The inverse of :func:`parse_segments` (tempos as exact fractions when not whole)."""
    parts = []
    for seg in segments:
        if seg.is_free:
            parts.append(f"{seg.bars}xfree:{seg.free_frames}")
            continue
        text = f"{seg.bars}x{seg.meter}@{seg.tempo_bpm}"
        if seg.end_tempo_bpm is not None:
            text += f">{seg.end_tempo_bpm}"
        parts.append(text)
    return ", ".join(parts)
