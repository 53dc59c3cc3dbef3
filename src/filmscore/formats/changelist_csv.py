"""A change list (``conform.changes.ChangeList``) as CSV, written and read back.

Layout: row 1 names what the list is for, as label/value pairs::

    change list,<project>,old,<old cut>,old version,<n>,new,<new cut>,new version,<n>,rate,<rate>

row 2 is the column header, then one row per change, in the change list's order::

    kind,clip,reel,old_in,old_out,new_in,new_out,old_in_frame,old_out_frame,
    new_in_frame,new_out_frame,delta,frames,note

``old_in``... are record timecode labels at the rate, ``..._frame`` the same points as
frame numbers (out points exclusive); an insert has no old points, a delete no new ones.
After the changes come the rows that make the list whole again when read: one ``span``
row per span (the old range, the new in and out, the delta; the clip in ``clip``) and
one ``warning`` row per warning (its text in ``note``).  Reading takes the frames (the
labels when a frame cell is empty: a list edited by hand).

Dialect: comma-separated, ``"`` quoting, UTF-8 with a byte-order mark (Excel shows
accents), CRLF, written atomically.  Loses nothing the ChangeList holds.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from filmscore import limits
from filmscore.conform.changes import Change, ChangeList, Span
from filmscore.conform.vocabulary import CHANGE_KINDS
from filmscore.errors import InputError, ParseError, ValidationError
from filmscore.fileio import write_atomic
from filmscore.inputs import read_input_text
from filmscore.limits import is_digits
from filmscore.timecode import Rate, format_label, get_rate, parse_label

COLUMNS = ("kind", "clip", "reel", "old_in", "old_out", "new_in", "new_out", "old_in_frame",
           "old_out_frame", "new_in_frame", "new_out_frame", "delta", "frames", "note")
_HEAD = ("change list", "old", "old version", "new", "new version", "rate")
_POINTS = ("old_in", "old_out", "new_in", "new_out")


def _label(frame: int | None, rate: Rate) -> str:
    return "" if frame is None else format_label(frame, rate)


def _row(kind: str, clip: str, reel: str, points: tuple[int | None, ...], delta: int,
         frames: int | str, note: str, rate: Rate) -> list[str]:
    return [kind, clip, reel, *(_label(p, rate) for p in points),
            *("" if p is None else str(p) for p in points), str(delta), str(frames), note]


def write_changelist_csv(changes: ChangeList, path: str | os.PathLike[str]) -> Path:
    """Write the change list as CSV at ``path`` (atomically)."""
    rate = get_rate(changes.rate_name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["change list", changes.project, "old", changes.old_name, "old version",
                     "" if changes.old_version is None else str(changes.old_version), "new",
                     changes.new_name, "new version",
                     "" if changes.new_version is None else str(changes.new_version),
                     "rate", rate.name])
    writer.writerow(COLUMNS)
    for c in changes.changes:
        writer.writerow(_row(c.kind, c.clip, c.reel, (c.old_in, c.old_out, c.new_in,
                                                      c.new_out), c.delta, c.frames,
                             c.note, rate))
    for s in changes.spans:
        writer.writerow(_row("span", s.clip, "", (s.old_in, s.old_out, s.new_in, s.new_out),
                             s.delta, "", "", rate))
    for warning in changes.warnings:
        writer.writerow(["warning", *[""] * (len(COLUMNS) - 2), warning])
    return write_atomic(Path(path), "\ufeff" + buffer.getvalue())


def read_changelist_csv(path: str | os.PathLike[str], *, rate: Rate | str,
                        project: str | None = None) -> ChangeList:
    """The change list in a CSV written by :func:`write_changelist_csv`.

    Refused with one line naming the file, line and field: a file that is not such a
    list, a list at another rate than ``rate``, a list for another project than
    ``project`` (when given), a bad kind, timecode or number.
    """
    path = Path(path)
    rate = get_rate(rate)
    # a regular file within the csv limit (not a FIFO)
    text = read_input_text(path, "csv", fallback=None,
                           valid="a change-list CSV written by filmscore")
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ParseError(f"not a readable CSV file ({exc})", source=str(path),
                         valid="a change-list CSV written by filmscore") from None
    head = dict(zip(lines[0][0::2], lines[0][1::2], strict=False)) if lines else {}
    if not lines or lines[0][:1] != ["change list"] or any(k not in head for k in _HEAD):
        raise ParseError("not a change list: row 1 must name the project, the cuts and the "
                         "rate", source=str(path), line=1,
                         value=",".join(lines[0])[:60] if lines else "",
                         valid="change list,<project>,old,...,rate,<rate>")
    if project is not None and head["change list"] != project:
        raise InputError("the change list is for another project", source=str(path),
                         line=1, field="project", value=head["change list"], valid=project)
    try:
        stated = get_rate(head["rate"], field="rate")
    except InputError as exc:
        raise exc.located(source=str(path), line=1) from None
    if stated.fps != rate.fps:
        raise InputError("the change list is at another frame rate", source=str(path),
                         line=1, field="rate", value=head["rate"],
                         valid=f"a list at {rate.name} fps")
    if len(lines) < 2 or tuple(lines[1]) != COLUMNS:
        raise ParseError("row 2 is not the column header", source=str(path), line=2,
                         valid=",".join(COLUMNS))
    changes, spans, warnings = [], [], []
    for number, cells in enumerate(lines[2:], start=3):
        if not any(cells):
            continue
        if len(cells) != len(COLUMNS):
            raise ParseError(f"{len(cells)} cells", source=str(path), line=number,
                             valid=f"{len(COLUMNS)} cells")
        row = dict(zip(COLUMNS, cells, strict=True))
        where = {"source": str(path), "line": number}
        kind = row["kind"]
        if kind == "warning":
            warnings.append(row["note"])
            continue
        if kind != "span" and kind not in CHANGE_KINDS:
            raise ParseError("unknown kind", field="kind", value=kind,
                             valid=", ".join([*CHANGE_KINDS, "span", "warning"]), **where)
        points = [_point(row, name, rate, where) for name in _POINTS]
        delta = _int(row["delta"], "delta", where)
        if kind == "span":
            if None in points[:3]:
                raise ParseError("a span needs old in, old out and new in", field="old_in",
                                 valid="frames or timecodes", **where)
            spans.append(Span(points[0], points[1], points[2], row["clip"]))
            continue
        changes.append(Change(kind=kind, clip=row["clip"], reel=row["reel"],
                              old_in=points[0], old_out=points[1], new_in=points[2],
                              new_out=points[3], delta=delta,
                              frames=_int(row["frames"], "frames", where), note=row["note"]))

    def version(text: str, field: str) -> int | None:
        return None if not text else _int(text, field, {"source": str(path), "line": 1},
                                          bound="version")

    return ChangeList(old_name=head["old"], new_name=head["new"], rate_name=head["rate"],
                      changes=tuple(changes), spans=tuple(spans),
                      old_version=version(head["old version"], "old version"),
                      new_version=version(head["new version"], "new version"),
                      project=head["change list"], warnings=tuple(warnings))


def _int(text: str, field: str, where: dict, bound: str = "frame_offset") -> int:
    """A whole number within ``bound`` (limits.BOUNDS): frames within a day by default, so
    that a 40-digit number is refused here, not by the database (a run of digits too long
    for int() is refused by its length)."""
    digits = text.strip().lstrip("+-")
    if is_digits(digits) and len(digits) > 30:
        raise ValidationError(f"{field} out of range", field=field,
                              value=f"{digits[:12]}... ({len(digits)} digits)",
                              valid=limits.bound(bound).valid, **where)
    try:
        number = int(text)
    except ValueError:
        raise ParseError("not a whole number", field=field, value=text,
                         valid="a whole number", **where) from None
    return limits.check(bound, number, field=field, what=field, **where)


def _point(row: dict[str, str], name: str, rate: Rate, where: dict) -> int | None:
    frame, label = row[f"{name}_frame"], row[name]
    if frame:
        return _int(frame, f"{name}_frame", where)
    if label:
        try:
            return parse_label(label, rate, field=name)
        except InputError as exc:
            raise exc.located(**where) from None
    return None
