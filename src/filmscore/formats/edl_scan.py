"""The CMX 3600 EDL text before OpenTimelineIO reads it: our own scan of every event line
(exact frames, the line number of anything malformed) and the work-arounds the cmx_3600
adapter needs (see ``formats.otio_cut``).  Private to that adapter.

An audio event's source timecode that is not a timecode at the EDL's rate (an Avid EDL
at 24 fps whose audio comes from a 30 fps recorder: source 17:52:28:26) does not refuse
the EDL: only the record side matters for a picture, so the event is read with an
unknown source (in and out 0) and named in ``unreadable_sources``; the text given to
OpenTimelineIO gets a readable placeholder source of the record's length.  A picture
(V) event's source, and any record timecode, must still be read: one that is not says
the EDL is at another rate (25 fps read as 24), and is refused with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from filmscore.errors import InputError, ParseError, ValidationError
from filmscore.limits import bound as bound_of
from filmscore.limits import check, is_digits
from filmscore.timecode import Rate, format_label, parse_label

_TC = r"\d{1,2}[:;.,]\d{2}[:;.,]\d{2}[:;.,]\d{2,3}"
_EVENT_LINE = re.compile(
    rf"^(?P<num>\d+)\s+(?P<reel>\S+)\s+(?P<chan>\S+)\s+(?P<trans>C|D|W\d*|K\S*)\s+"
    rf"(?:(?P<dur>\d+)\s+)?(?P<sin>{_TC})\s+(?P<sout>{_TC})\s+(?P<rin>{_TC})\s+(?P<rout>{_TC})\s*$"
)


@dataclass(frozen=True)
class EditLine:
    line: int
    event: int
    reel: str
    channel: str
    transition: str
    transition_frames: int
    source_in: int
    source_out: int
    record_in: int
    record_out: int
    source_text: str = ""  # the source timecodes as written, when unreadable at the rate


def scan_edl(text: str, rate: Rate, path: Path) -> list[EditLine]:
    """Find every numbered edit line; refuse a malformed one with its line number."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not is_digits(line[:1]):
            continue
        match = _EVENT_LINE.match(line)
        if not match:
            raise ParseError("malformed event line", source=str(path), line=number,
                             value=line,
                             valid="NNN REEL TRACK C|D|Wnnn [LEN] SRC-IN SRC-OUT REC-IN REC-OUT")
        g = match.groupdict()
        frames: list[int | None] = []
        for key in ("sin", "sout", "rin", "rout"):
            label = g[key]
            if rate.drop_frame:
                label = label[:-3] + ";" + label[-2:] if label[-3] in ":." else label
            try:
                frames.append(parse_label(label, rate, field=_FIELD[key]))
            except InputError as exc:
                # the record side must be read; so must a picture source (one that is not
                # a timecode at the rate says the EDL is at another rate: 25 fps read as 24)
                if key in ("rin", "rout") or not g["chan"].upper().startswith("A"):
                    raise exc.located(source=str(path), line=number) from None
                frames.append(None)  # an audio source at another rate: unknown (see above)
        s_in, s_out, r_in, r_out = frames
        unreadable = ""
        if s_in is None or s_out is None:
            unreadable, s_in, s_out = f"{g['sin']} {g['sout']}", 0, 0
        if r_out < r_in:
            raise ParseError("record out before record in", source=str(path), line=number,
                             value=f"{g['rin']} {g['rout']}", valid="REC-OUT >= REC-IN")
        if s_out < s_in:
            raise ParseError("source out before source in", source=str(path), line=number,
                             value=f"{g['sin']} {g['sout']}", valid="SRC-OUT >= SRC-IN")
        # an event number or transition length of 40 digits used to reach the database
        # as an integer SQLite cannot store
        event = _number(g["num"], "event_number", path, number, "event number")
        length = _number(g["dur"] or "0", "frame", path, number, "transition length")
        out.append(EditLine(number, event, g["reel"], g["chan"], g["trans"],
                            length, s_in, s_out, r_in, r_out, unreadable))
    return out


def _number(digits: str, bound: str, path: Path, line: int, field: str) -> int:
    """A run of digits as a number within ``bound`` (limits.BOUNDS); a run too long for
    int() (4,300 digits) is refused by its length, before int() would fail."""
    if len(digits) > 30:
        raise ValidationError(f"{field} out of range", source=str(path), line=line,
                              field=field, value=f"{digits[:12]}... ({len(digits)} digits)",
                              valid=bound_of(bound).valid)
    return check(bound, int(digits), source=str(path), line=line, field=field,
                 what=field)


_FIELD = {"sin": "source in", "sout": "source out", "rin": "record in", "rout": "record out"}


def prepare_edl(text: str, lines: list[EditLine], rate: Rate,
                 path: Path) -> tuple[str, list[EditLine]]:
    """The EDL text as OTIO's cmx_3600 adapter can take it (see the module docstring).

    Returns the text and the edit lines with their channel as given to OTIO (an event
    overlapping an earlier one on track V is moved to V2, V3...).
    """
    from otio_cmx3600_adapter.cmx_3600 import channel_map

    rows = text.splitlines()
    original = list(rows)
    speed_lines = _events_with_speed(rows)
    track_end: dict[str, int] = {}
    out_lines: list[EditLine] = []
    for i, edit in enumerate(lines):
        number = edit.line
        row = rows[number - 1]
        if rate.drop_frame:
            row = re.sub(r"(\d{2}[:;]\d{2}[:;]\d{2})[:.](\d{2})", r"\1;\2", row)
        prev = lines[i - 1] if i else None
        if prev is not None and prev.event == edit.event and edit.transition != "C":
            # the adapter pairs the lines by the number's value but compares them as text,
            # and then fails on its own typo ('ClipHandler' object has no attribute
            # 'transaction_id') when "002" is followed by "2": write both alike
            written = re.match(r"\s*(\d+)", original[prev.line - 1]).group(1)
            here = re.match(r"\s*(\d+)", row)
            row = row[:here.start(1)] + written + row[here.end(1):]
        src_len = edit.source_out - edit.source_in
        rec_len = edit.record_out - edit.record_in
        if edit.source_text:  # unreadable at this rate: a placeholder of the record's length
            spans = list(re.finditer(_TC, row))
            row = (row[:spans[0].start()] + format_label(0, rate) + " "
                   + format_label(rec_len, rate) + row[spans[1].end():])
        elif src_len != rec_len and (edit.event, number) not in speed_lines:
            spans = list(re.finditer(_TC, row))
            fixed = format_label(edit.source_in + rec_len, rate)
            row = row[:spans[1].start()] + fixed + row[spans[1].end():]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        is_from_side = (nxt is not None and nxt.event == edit.event
                        and nxt.transition != "C")
        channel = edit.channel
        names = channel_map.get(channel, [channel])
        if not is_from_side:
            # an event overlapping the one before it on V goes to the next free V track
            while ((channel == "V" or (channel[:1] == "V" and is_digits(channel[1:])))
                   and edit.record_in < track_end.get(channel, -1)):
                channel = f"V{int(channel[1:] or 1) + 1}"
            names = channel_map.get(channel, [channel])
            for name in names:
                if edit.record_in < track_end.get(name, -1):
                    raise ParseError(
                        f"event {edit.event} overlaps the event before it on track {name}",
                        source=str(path), line=number,
                        value=format_label(edit.record_in, rate),
                        valid=f"record in at or after {format_label(track_end[name], rate)}")
        if channel != edit.channel:
            row = re.sub(rf"(\s){re.escape(edit.channel)}(\s)", rf"\g<1>{channel}\g<2>", row,
                         count=1)
        if edit.transition != "C" and not any(n in track_end for n in names):
            # a transition with nothing before it on its track: OTIO refuses; read as a cut
            row = re.sub(rf"(\s){re.escape(edit.transition)}\s+\d+(\s)", r"\1C\2", row,
                         count=1)
            prev = lines[i - 1] if i else None
            if prev is not None and prev.event == edit.event:
                rows[prev.line - 1] = ""
        rows[number - 1] = row
        if not is_from_side:
            for name in channel_map.get(channel, [channel]):
                track_end[name] = max(track_end.get(name, -1), edit.record_out)
        out_lines.append(_replace_channel(edit, channel))
    return "\n".join(rows) + "\n", out_lines


def _replace_channel(edit: EditLine, channel: str) -> EditLine:
    return edit if channel == edit.channel else replace(edit, channel=channel)


def unreadable_sources(lines: list[EditLine], rate: Rate, path: Path) -> str | None:
    """The one-line warning naming the events whose source timecodes could not be read
    at ``rate`` (None when every source was read)."""
    bad = [e for e in lines if e.source_text]
    if not bad:
        return None
    events = sorted({e.event for e in bad})
    shown = ", ".join(map(str, events[:12])) + (f" and {len(events) - 12} more"
                                                if len(events) > 12 else "")
    return (f"{path.name}: the source timecodes of event{'s' if len(events) > 1 else ''} "
            f"{shown} are not {rate.name} fps timecode (e.g. {bad[0].source_text.split()[0]}"
            f", event {bad[0].event}: a source at another rate); their record times are "
            f"imported, their sources are left out (0)")


def _events_with_speed(rows: list[str]) -> set[tuple[int, int]]:
    """(event, line) of edit lines followed by an M2 speed or FREEZE FRAME comment."""
    found: set[tuple[int, int]] = set()
    current: tuple[int, int] | None = None
    for number, raw in enumerate(rows, start=1):
        line = raw.strip()
        if is_digits(line[:1]):
            match = re.match(r"\d+", line)
            current = (int(match.group(0)), number) if match else None
        elif current and (line.startswith("M2") or "FREEZE FRAME" in line.upper()):
            found.add(current)
    return found


def lines_per_track(lines: list[EditLine]) -> dict[str, list[EditLine]]:
    """The edit lines that become clips, per OTIO track name, in order."""
    from otio_cmx3600_adapter.cmx_3600 import channel_map

    effective: list[EditLine] = []
    for edit in lines:
        if effective and effective[-1].event == edit.event and edit.transition != "C":
            effective[-1] = edit  # the transition line replaces the cut it comes from
        else:
            effective.append(edit)
    per: dict[str, list[EditLine]] = {}
    for edit in effective:
        for name in channel_map.get(edit.channel, [edit.channel]):
            per.setdefault(name, []).append(edit)
    return per


