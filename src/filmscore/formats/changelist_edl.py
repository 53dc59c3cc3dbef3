"""A change EDL: the new cut as a CMX 3600 EDL (``formats.otio_cut.write_edl``, the
foundation's writer: first video track, absolute record timecodes), each change written
as a comment under the event it falls in::

    003  B018C008 V     C        18:43:04:00 18:43:06:08 01:00:15:22 01:00:18:05
    * FROM CLIP NAME:  B018C008.mov
    * CHANGE 2: TRIM_TAIL -2 B018C008 OLD 01:00:18:03-01:00:18:05 NEW 01:00:18:05 DELTA +2

A delete is written under the event after which its material was (where the new cut
closes up), or under the first event when it was at the head.  Editors' and conform
tools' EDL readers skip comments they do not know, so the file is still the new cut.
What it loses: the spans, the notes, the warnings (the CSV keeps them), the cut's "shot"
markers (the edit points a picture import adds), and what ``write_edl`` loses (other
tracks, effects).
"""

from __future__ import annotations

import bisect
import dataclasses
import os
from pathlib import Path

from filmscore import children
from filmscore.conform.changes import Change, ChangeList
from filmscore.errors import InputError
from filmscore.fileio import write_atomic
from filmscore.formats.otio_cut import write_edl
from filmscore.limits import is_digits
from filmscore.spotting.cut import Cut
from filmscore.timecode import Rate, format_label


def change_comment(number: int, change: Change, rate: Rate) -> str:
    """The comment line of one change (upper case, as EDL comments are)."""

    def span(a: int | None, b: int | None) -> str:
        if a is None:
            return "-"
        return format_label(a, rate) if a == b else (
            f"{format_label(a, rate)}-{format_label(b, rate)}")

    return (f"* CHANGE {number}: {change.kind.upper()} {change.frames:+d} {change.clip} "
            f"OLD {span(change.old_in, change.old_out)} NEW {span(change.new_in, change.new_out)}"
            f" DELTA {change.delta:+d}")


def _place(change: Change, changes: ChangeList) -> int:
    """A new-cut frame inside the event the change is written under."""
    if change.new_in is not None:
        if change.new_in == change.new_out and change.kind == "trim_tail":
            return change.new_in - 1  # frames taken off a tail: the shot ending here
        return change.new_in
    before = changes.map_frame(change.old_in - 1) if change.old_in is not None else None
    if before is not None:
        return before
    after = changes.map_frame(change.old_out) if change.old_out is not None else None
    return after if after is not None else -1


def write_changelist_edl(changes: ChangeList, new_cut: Cut, path: str | os.PathLike[str]
                         ) -> Path:
    """Write the new cut with the changes as comments, a CMX 3600 EDL at ``path``
    (atomically)."""
    from filmscore.timecode import get_rate

    path = Path(path)
    rate = get_rate(changes.rate_name)
    if new_cut.rate.fps != rate.fps:
        raise InputError("the new cut is at another rate than the change list",
                         source=new_cut.source or None, field="rate",
                         value=new_cut.rate.name, valid=f"a cut at {rate.name} fps")
    # the edit points a picture import adds as "shot" markers would be one locator per
    # event: noise here; the editor's own locators are kept
    cut = dataclasses.replace(new_cut, markers=tuple(m for m in new_cut.markers
                                                     if m.kind != "shot"))
    with children.scratch_folder(prefix="filmscore-edl-") as folder:
        text = write_edl(cut, Path(folder) / "cut.edl").read_text(encoding="utf-8")
    video = [t for t in new_cut.tracks if t.startswith("V")][0]
    events = [e for e in new_cut.events_on(video) if e.kind != "gap"]
    starts = [e.record_in for e in events]
    notes: dict[int, list[str]] = {}
    for number, change in enumerate(changes.changes, start=1):
        at = max(bisect.bisect_right(starts, _place(change, changes)) - 1, 0)
        notes.setdefault(at, []).append(change_comment(number, change, rate))
    out: list[str] = []
    event = -1
    for row in text.splitlines():
        if is_digits(row[:1]):
            if event >= 0:
                out.extend(notes.get(event, ()))
            event += 1
        out.append(row)
    out.extend(notes.get(event, ()))
    return write_atomic(path, "\n".join(out) + "\n")
