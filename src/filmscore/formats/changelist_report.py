"""What the change-list reports (PDF and HTML) show, computed once (pure): the count and
frames of each kind of change, and the strip drawing of the old and the new cut (each
cut's picture end to end, the holes between reels closed up to a thin gap, every part
coloured by what happened to it, and the kept material joined between the two)."""

from __future__ import annotations

from dataclasses import dataclass

from filmscore.conform.changes import ChangeList
from filmscore.conform.vocabulary import CHANGE_KINDS
from filmscore.timecode import format_label, get_rate

#: colours of the strip and the table's kind column, by kind ("kept": unchanged)
COLOURS = {"kept": "#c9d1dc", "insert": "#2e9e4f", "delete": "#d6453d",
           "trim_head": "#e8962e", "trim_tail": "#e8962e", "move": "#3b6fd1",
           "replace": "#8e44ad"}
#: how each kind is named in the reports
TITLES = {"insert": "Insert", "delete": "Delete", "trim_head": "Trim head",
          "trim_tail": "Trim tail", "move": "Move", "replace": "Replace"}
_HOLE = 0.012  # a hole between reels, as a share of the strip


@dataclass(frozen=True)
class KindTotal:
    kind: str
    count: int
    added: int  # frames
    removed: int


@dataclass(frozen=True)
class Strip:
    """Parts of both cuts on a 0..1 axis each: (x0, x1, kind), and the links between
    them (old x0, old x1, new x0, new x1, kind) of the material kept."""

    old: tuple[tuple[float, float, str], ...]
    new: tuple[tuple[float, float, str], ...]
    links: tuple[tuple[float, float, float, float, str], ...]
    old_reels: tuple[float, ...]  # where a hole is (the end of a reel)
    new_reels: tuple[float, ...]


def totals(changes: ChangeList) -> list[KindTotal]:
    """Every kind of change (in the vocabulary's order) with its count and frames."""
    out = []
    for kind in CHANGE_KINDS:
        of = [c for c in changes.changes if c.kind == kind]
        out.append(KindTotal(kind, len(of), sum(c.frames for c in of if c.frames > 0),
                             -sum(c.frames for c in of if c.frames < 0)))
    return out


def labels(changes: ChangeList, a: int | None, b: int | None) -> tuple[str, str]:
    rate = get_rate(changes.rate_name)
    return ("" if a is None else format_label(a, rate), "" if b is None else
            format_label(b, rate))


class _Axis:
    """Frames of one cut's material placed end to end on 0..1."""

    def __init__(self, parts: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(parts):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.blocks = merged
        material = sum(b - a for a, b in merged) or 1
        self.unit = (1 - _HOLE * (len(merged) - 1)) / material if len(merged) > 1 else (
            1 / material)
        self.offsets, at = [], 0.0
        for a, b in merged:
            self.offsets.append(at)
            at += (b - a) * self.unit + _HOLE

    def x(self, frame: int) -> float:
        for (a, b), off in zip(self.blocks, self.offsets, strict=True):
            if a <= frame <= b:
                return off + (frame - a) * self.unit
        return 0.0

    def holes(self) -> tuple[float, ...]:
        return tuple(off + (b - a) * self.unit for (a, b), off in
                     zip(self.blocks[:-1], self.offsets[:-1], strict=True))


def strip(changes: ChangeList) -> Strip:
    moves = {(c.old_in, c.old_out) for c in changes.changes if c.kind == "move"}
    old_parts: list[tuple[int, int, str]] = []
    new_parts: list[tuple[int, int, str]] = []
    for s in changes.spans:
        kind = "move" if (s.old_in, s.old_out) in moves else "kept"
        old_parts.append((s.old_in, s.old_out, kind))
        new_parts.append((s.new_in, s.new_out, kind))
    for c in changes.changes:
        if c.kind == "move":
            continue
        if c.old_in is not None and c.old_out is not None and c.old_out > c.old_in:
            old_parts.append((c.old_in, c.old_out, c.kind))
        if c.new_in is not None and c.new_out is not None and c.new_out > c.new_in:
            new_parts.append((c.new_in, c.new_out, c.kind))
    old_axis = _Axis([(a, b) for a, b, _ in old_parts])
    new_axis = _Axis([(a, b) for a, b, _ in new_parts])
    links = tuple((old_axis.x(s.old_in), old_axis.x(s.old_out), new_axis.x(s.new_in),
                   new_axis.x(s.new_out),
                   "move" if (s.old_in, s.old_out) in moves else "kept")
                  for s in changes.spans)
    return Strip(
        old=tuple((old_axis.x(a), old_axis.x(b), k) for a, b, k in sorted(old_parts)),
        new=tuple((new_axis.x(a), new_axis.x(b), k) for a, b, k in sorted(new_parts)),
        links=links, old_reels=old_axis.holes(), new_reels=new_axis.holes())


def title_of(changes: ChangeList) -> str:
    def cut(name: str, version: int | None) -> str:
        return f"{name} (v{version})" if version is not None else name

    return (f"{cut(changes.old_name, changes.old_version)} → "
            f"{cut(changes.new_name, changes.new_version)}")
