"""Two cuts compared into a change list, shot by shot, by source (pure).

How (docs/changelist.md tells it for the music editor):

1. Each cut's first picture track becomes shots (``conform.shots``): identity by reel or
   clip name (VFX versions one shot), source in, record range, through-edits healed.
2. Matching by source: an old and a new shot of one identity whose source ranges overlap
   share those source frames, which sit at known record frames in both cuts.  Longest
   shared runs are taken first (then the one that moved least), and a frame of either cut
   is given to one match only, so material used twice is matched once.
3. The matched frames, in old-cut order, joined where they continue unbroken with one
   delta (healing), are the spans: where every surviving frame of the old cut is now.
4. Order: the heaviest chain of spans that keeps its order in the new cut (a longest
   increasing subsequence weighted by frames) stays; every other span is a move.
5. What no match covers is classified against the shot it belongs to: at a shot's head
   or tail while the rest of that shot is kept, a trim (frames off or onto it); a whole
   shot, or the middle of one, a delete (old cut) or an insert (new cut).  Between the
   same two kept spans a delete and an insert of the same length, in order, are one
   replace; the deletes (and inserts) left that follow on unbroken are one change.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from filmscore.conform.changes import Change, ChangeList, Span
from filmscore.conform.shots import Shot, shots_of
from filmscore.errors import InputError
from filmscore.spotting.cut import Cut
from filmscore.timecode import Rate, format_duration, format_label

#: the order changes at one place are listed in
_KIND_ORDER = {"trim_tail": 0, "delete": 1, "replace": 2, "move": 3, "insert": 4,
               "trim_head": 5}
_NAMES_SHOWN = 4


@dataclass(frozen=True)
class _Piece:
    """Matched material: old record frames [old_in, old_out) are at new_in on."""

    old_in: int
    old_out: int
    new_in: int
    old_shot: int  # index into the old shots
    new_shot: int

    @property
    def delta(self) -> int:
        return self.new_in - self.old_in


@dataclass
class _Run:
    """Pieces that continue unbroken with one delta: one span."""

    old_in: int
    old_out: int
    new_in: int
    pieces: list[_Piece]
    anchor: bool = False

    @property
    def delta(self) -> int:
        return self.new_in - self.old_in

    @property
    def new_out(self) -> int:
        return self.new_in + self.old_out - self.old_in


@dataclass(frozen=True)
class _Region:
    """Frames of one cut that no match covers, within one shot."""

    side: str  # "old" or "new"
    start: int
    end: int
    shot: int  # index into that side's shots
    place: str  # "whole", "head", "tail", "middle"
    gap: int  # between which kept spans (anchor index)


def compare_cuts(old: Cut, new: Cut, *, convert: bool = False,
                 old_version: int | None = None, new_version: int | None = None,
                 project: str = "") -> ChangeList:
    """The change list from ``old`` to ``new``: inserts, deletes, trims at head or tail,
    moves and replaces with old and new record frames, and the spans mapping every
    surviving frame of the old cut onto the new one.

    Cuts at different rates are refused unless ``convert``: then the new cut's in and out
    points are converted to the old cut's rate by timecode seconds, each rounded to the
    nearest frame (halves up).  Cuts with no picture event, or sharing no shot, are
    refused with an InputError.
    """
    old_name, new_name = _names(old, new)
    warnings: list[str] = []
    convert_to = None
    if old.rate.fps != new.rate.fps:
        if not convert:
            raise InputError(
                f"the cuts run at different frame rates: {old_name} at {old.rate.name} fps, "
                f"{new_name} at {new.rate.name} fps", field="rate", value=new.rate.name,
                valid=f"a new cut at {old.rate.name} fps like the old one, or ask for a "
                      f"conversion (--convert) of the new cut to {old.rate.name} fps")
        convert_to = old.rate
        warnings.append(
            f"the new cut {new_name} was converted from {new.rate.name} to {old.rate.name} "
            "fps by timecode seconds: every in and out point rounded to the nearest frame "
            "(halves up), so a shot's length may differ by a frame")
    old_shots = shots_of(old, side="old", warnings=warnings, name=old_name)
    new_shots = shots_of(new, side="new", warnings=warnings, name=new_name,
                         convert_to=convert_to)
    for cut, name, shots in ((old, old_name, old_shots), (new, new_name, new_shots)):
        if not shots:
            raise InputError(f"the cut {name} has no picture events", source=cut.source or None,
                             field="events", valid="a cut with video (V) events")
    pieces = _match(old_shots, new_shots)
    if not pieces:
        raise InputError(
            f"the cuts share nothing: no shot of {new_name} (reel or clip name and source "
            f"timecode) is in {old_name}", field="shots",
            valid="two versions of one cut (shots with the same reel or clip name and "
                  "overlapping source timecodes)")
    runs = _runs(pieces)
    _mark_anchors(runs)
    rate = old.rate
    comparer = _Classifier(old_shots, new_shots, runs, rate)
    changes = comparer.changes()
    spans = tuple(Span(r.old_in, r.old_out, r.new_in, _clip_range(
        [old_shots[p.old_shot] for p in r.pieces])) for r in runs)
    return ChangeList(old_name=old_name, new_name=new_name, rate_name=rate.name,
                      changes=tuple(changes), spans=spans, old_version=old_version,
                      new_version=new_version, project=project, warnings=tuple(warnings))


def _names(old: Cut, new: Cut) -> tuple[str, str]:
    """The cuts' names; their files' names when both have one name (an EDL's TITLE line
    is often left as it was)."""
    if old.name == new.name and old.source and new.source and old.source != new.source:
        return Path(old.source).name, Path(new.source).name
    return old.name, new.name


# --- matching ---------------------------------------------------------------------------


class _Used:
    """Disjoint half-open intervals, sorted."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlapping(self, a: int, b: int) -> list[tuple[int, int]]:
        at = max(bisect.bisect_right(self.starts, a) - 1, 0)
        out = []
        while at < len(self.starts) and self.starts[at] < b:
            if self.ends[at] > a:
                out.append((self.starts[at], self.ends[at]))
            at += 1
        return out

    def add(self, a: int, b: int) -> None:
        at = bisect.bisect_left(self.starts, a)
        self.starts.insert(at, a)
        self.ends.insert(at, b)


def _subtract(intervals: list[tuple[int, int]], cuts: list[tuple[int, int]]
              ) -> list[tuple[int, int]]:
    out = intervals
    for c0, c1 in cuts:
        nxt = []
        for a, b in out:
            if c1 <= a or c0 >= b:
                nxt.append((a, b))
                continue
            if a < c0:
                nxt.append((a, c0))
            if c1 < b:
                nxt.append((c1, b))
        out = nxt
    return out


def _match(old_shots: list[Shot], new_shots: list[Shot]) -> list[_Piece]:
    by_key: dict[str, list[int]] = {}
    for j, shot in enumerate(new_shots):
        if shot.key is not None:
            by_key.setdefault(shot.key, []).append(j)
    candidates = []
    for i, o in enumerate(old_shots):
        for j in by_key.get(o.key, ()) if o.key is not None else ():
            n = new_shots[j]
            lo, hi = max(o.src_in, n.src_in), min(o.src_out, n.src_out)
            if lo < hi:
                old_in = o.rec_in + lo - o.src_in
                new_in = n.rec_in + lo - n.src_in
                candidates.append((-(hi - lo), abs(new_in - old_in), old_in, new_in, hi - lo,
                                   i, j))
    candidates.sort()
    used_old, used_new = _Used(), _Used()
    pieces = []
    for _, _, old_in, new_in, length, i, j in candidates:
        delta = new_in - old_in
        free = _subtract([(old_in, old_in + length)], used_old.overlapping(old_in,
                                                                          old_in + length))
        taken = used_new.overlapping(new_in, new_in + length)
        free = _subtract(free, [(a - delta, b - delta) for a, b in taken])
        for a, b in free:
            used_old.add(a, b)
            used_new.add(a + delta, b + delta)
            pieces.append(_Piece(a, b, a + delta, i, j))
    return sorted(pieces, key=lambda p: p.old_in)


def _runs(pieces: list[_Piece]) -> list[_Run]:
    runs: list[_Run] = []
    for piece in pieces:
        last = runs[-1] if runs else None
        if last is not None and last.old_out == piece.old_in and last.delta == piece.delta:
            last.old_out = piece.old_out
            last.pieces.append(piece)
        else:
            runs.append(_Run(piece.old_in, piece.old_out, piece.new_in, [piece]))
    return runs


def _mark_anchors(runs: list[_Run]) -> None:
    """Mark the heaviest chain of runs in order in both cuts (frames kept, then the least
    total movement): a weighted longest increasing subsequence over a Fenwick tree."""
    order = sorted(range(len(runs)), key=lambda k: runs[k].new_in)
    rank = {k: r + 1 for r, k in enumerate(order)}
    size = len(runs)
    tree: list[tuple[int, int, int]] = [(0, 0, -1)] * (size + 1)  # (frames, -moved, run)
    best: list[tuple[int, int]] = []
    back: list[int] = []
    for k, run in enumerate(runs):
        r, top = rank[k] - 1, (0, 0, -1)
        while r > 0:
            top = max(top, tree[r])
            r -= r & -r
        value = (top[0] + run.old_out - run.old_in, top[1] - abs(run.delta))
        best.append(value)
        back.append(top[2])
        r = rank[k]
        while r <= size:
            tree[r] = max(tree[r], (*value, k))
            r += r & -r
    k = max(range(size), key=lambda x: (best[x], -x))
    while k >= 0:
        runs[k].anchor = True
        k = back[k]


# --- classifying ------------------------------------------------------------------------


class _Classifier:
    """The changes between two cuts, from their shots and the runs of matched frames
    (anchors marked): trims, deletes, inserts, replaces and moves, in cut order."""

    def __init__(self, old_shots: list[Shot], new_shots: list[Shot], runs: list[_Run],
                 rate: Rate) -> None:
        self.old, self.new, self.runs, self.rate = old_shots, new_shots, runs, rate
        self.by_new = sorted(runs, key=lambda r: r.new_in)
        self.anchors = [r for r in runs if r.anchor]
        self.anchor_old = [r.old_in for r in self.anchors]
        self.anchor_new = [r.new_in for r in self.anchors]
        self.old_rec = [s.rec_in for s in old_shots]
        self.new_rec = [s.rec_in for s in new_shots]
        self.run_old = [r.old_in for r in runs]
        self.run_new = [r.new_in for r in self.by_new]

    # mapping
    def map_old(self, frame: int) -> int | None:
        at = bisect.bisect_right(self.run_old, frame) - 1
        if at >= 0 and self.runs[at].old_in <= frame < self.runs[at].old_out:
            return frame + self.runs[at].delta
        return None

    def map_new(self, frame: int) -> int | None:
        at = bisect.bisect_right(self.run_new, frame) - 1
        if at >= 0 and self.by_new[at].new_in <= frame < self.by_new[at].new_out:
            return frame - self.by_new[at].delta
        return None

    @staticmethod
    def shot_at(shots: list[Shot], starts: list[int], frame: int) -> Shot | None:
        at = bisect.bisect_right(starts, frame) - 1
        if at >= 0 and shots[at].rec_in <= frame < shots[at].rec_out:
            return shots[at]
        return None

    def label(self, frame: int) -> str:
        return format_label(frame, self.rate)

    # regions
    def regions(self, side: str) -> list[_Region]:
        shots = self.old if side == "old" else self.new
        covered: dict[int, list[tuple[int, int]]] = {}
        for run in self.runs:
            for p in run.pieces:
                if side == "old":
                    covered.setdefault(p.old_shot, []).append((p.old_in, p.old_out))
                else:
                    length = p.old_out - p.old_in
                    covered.setdefault(p.new_shot, []).append((p.new_in, p.new_in + length))
        starts = self.anchor_old if side == "old" else self.anchor_new
        out = []
        for index, shot in enumerate(shots):
            for a, b in _subtract([(shot.rec_in, shot.rec_out)], sorted(covered.get(index, ()))):
                if (a, b) == (shot.rec_in, shot.rec_out):
                    place = "whole"
                elif a == shot.rec_in:
                    place = "head"
                elif b == shot.rec_out:
                    place = "tail"
                else:
                    place = "middle"
                out.append(_Region(side, a, b, index, place, bisect.bisect_right(starts, a)))
        return out

    def changes(self) -> list[Change]:
        olds, news = self.regions("old"), self.regions("new")
        changes: list[tuple[tuple, Change]] = []
        for region in olds + news:
            if region.place in ("head", "tail"):
                changes.append(self.trim(region))
        deletes = [r for r in olds if r.place in ("whole", "middle")]
        inserts = [r for r in news if r.place in ("whole", "middle")]
        paired_old, paired_new = set(), set()
        for gap in sorted({r.gap for r in deletes}):
            cursor = 0
            here = [r for r in inserts if r.gap == gap]
            for d in (r for r in deletes if r.gap == gap):
                for k in range(cursor, len(here)):
                    if here[k].end - here[k].start == d.end - d.start:
                        changes.append(self.replace(d, here[k]))
                        paired_old.add(d)
                        paired_new.add(here[k])
                        cursor = k + 1
                        break
        for group in _contiguous([r for r in deletes if r not in paired_old]):
            changes.append(self.delete(group))
        for group in _contiguous([r for r in inserts if r not in paired_new]):
            changes.append(self.insert(group))
        for run in self.runs:
            if not run.anchor:
                changes.append(self.move(run))
        changes.sort(key=lambda item: item[0])
        return [c for _, c in changes]

    def _key(self, change: Change, gap: int, new_at: int, old_at: int) -> tuple:
        """Changes in cut order: by the kept spans they fall between, then by their place
        in the new cut (removals first), then in the old."""
        return (gap, new_at, _KIND_ORDER[change.kind], old_at, change.clip)

    def gap_start(self, gap: int) -> int:
        """The first new-cut frame after the kept span ``gap`` follows."""
        if gap > 0:
            return self.anchors[gap - 1].new_out
        return self.new[0].rec_in

    def trim(self, region: _Region) -> tuple[tuple, Change]:
        shots = self.old if region.side == "old" else self.new
        shot = shots[region.shot]
        length = region.end - region.start
        head = region.place == "head"
        if region.side == "old":  # frames taken off the shot
            kept = region.end if head else region.start - 1
            there = self.map_old(kept)
            point = there if head else there + 1
            delta = there - kept
            other = self.other_shot("old", kept)
            change = Change(
                kind="trim_head" if head else "trim_tail", clip=shot.clip, reel=shot.reel,
                old_in=region.start, old_out=region.end, new_in=point, new_out=point,
                delta=delta, frames=-length,
                note=_join(f"{'head' if head else 'tail'} trimmed {_frames(length)}",
                           _versions(shot, other)))
            return self._key(change, region.gap, point, region.start), change
        kept = region.end if head else region.start - 1
        there = self.map_new(kept)
        point = there if head else there + 1
        delta = kept - there
        other = self.other_shot("new", kept)
        change = Change(
            kind="trim_head" if head else "trim_tail", clip=shot.clip, reel=shot.reel,
            old_in=point, old_out=point, new_in=region.start, new_out=region.end,
            delta=delta, frames=length,
            note=_join(f"{'head' if head else 'tail'} extended {_frames(length)}",
                       _versions(other, shot)))
        return self._key(change, region.gap, region.start, point), change

    def other_shot(self, side: str, frame: int) -> Shot | None:
        """The shot of the other cut a kept frame of ``side`` is matched to."""
        if side == "old":
            there = self.map_old(frame)
            return None if there is None else self.shot_at(self.new, self.new_rec, there)
        there = self.map_new(frame)
        return None if there is None else self.shot_at(self.old, self.old_rec, there)

    def closing_point(self, region: _Region) -> tuple[int, int]:
        """Where in the new cut an old region's frames were (a delete closes up there):
        after the new shot of the kept frame before it, else before the one after it;
        and the place it is listed at (the start of its gap unless a kept frame of the
        gap comes before it)."""
        before = self.map_old(region.start - 1)
        if before is not None:
            shot = self.shot_at(self.new, self.new_rec, before)
            point = shot.rec_out if shot is not None else before + 1
            return point, point
        after = self.map_old(region.end)
        if after is not None:
            shot = self.shot_at(self.new, self.new_rec, after)
            return (shot.rec_in if shot is not None else after), self.gap_start(region.gap)
        return self.gap_start(region.gap), self.gap_start(region.gap)

    def opening_point(self, region: _Region) -> int:
        """Where in the old cut a new region's frames go in."""
        # right after the old frame the new cut shows before it (inside a shot when the
        # insert splits one: not the shot's end), else right before the one after it
        if self.map_new(region.start - 1) is not None:
            return self.map_new(region.start - 1) + 1
        if self.map_new(region.end) is not None:
            return self.map_new(region.end)
        return self.anchors[region.gap - 1].old_out if region.gap > 0 else self.old[0].rec_in

    def delete(self, group: list[_Region]) -> tuple[tuple, Change]:
        first, last = group[0], group[-1]
        shots = [self.old[r.shot] for r in group]
        length = last.end - first.start
        at, listed = self.closing_point(first)
        inside = f"inside the shot ({_frames(length)})" if (
            len(group) == 1 and first.place == "middle") else ""
        change = Change(kind="delete", clip=shots[0].clip, reel=shots[0].reel,
                        old_in=first.start, old_out=last.end, new_in=None, new_out=None,
                        delta=0, frames=-length,
                        note=_join(inside, _shot_list(shots),
                                   f"closes up at {self.label(at)} in the new cut"))
        return self._key(change, first.gap, listed, first.start), change

    def insert(self, group: list[_Region]) -> tuple[tuple, Change]:
        first, last = group[0], group[-1]
        shots = [self.new[r.shot] for r in group]
        length = last.end - first.start
        at = self.opening_point(first)
        inside = f"inside the shot ({_frames(length)})" if (
            len(group) == 1 and first.place == "middle") else ""
        change = Change(kind="insert", clip=shots[0].clip, reel=shots[0].reel,
                        old_in=None, old_out=None, new_in=first.start, new_out=last.end,
                        delta=0, frames=length,
                        note=_join(inside, _shot_list(shots),
                                   f"goes in at {self.label(at)} in the old cut"))
        return self._key(change, first.gap, first.start, at), change

    def replace(self, d: _Region, i: _Region) -> tuple[tuple, Change]:
        gone, now = self.old[d.shot], self.new[i.shot]
        what = gone.clip + (f" v{gone.version}" if gone.version is not None else "")
        change = Change(kind="replace", clip=now.clip, reel=now.reel, old_in=d.start,
                        old_out=d.end, new_in=i.start, new_out=i.end,
                        delta=i.start - d.start, frames=0,
                        note=_join(f"replaces {what}" + (
                            f" (reel {gone.reel})" if gone.reel not in (gone.clip, "") else ""),
                                   f"{_frames(d.end - d.start)}"))
        return self._key(change, d.gap, i.start, d.start), change

    def move(self, run: _Run) -> tuple[tuple, Change]:
        shots = []
        for p in run.pieces:
            shot = self.old[p.old_shot]
            if not shots or shots[-1] is not shot:
                shots.append(shot)
        way = "later" if run.delta > 0 else "earlier"
        note = _join(f"moved {_length(abs(run.delta), self.rate)} {way} "
                     f"({_frames(abs(run.delta))})",
                     _shot_list(shots) if len(shots) > 1 else "")
        change = Change(kind="move", clip=shots[0].clip, reel=shots[0].reel,
                        old_in=run.old_in, old_out=run.old_out, new_in=run.new_in,
                        new_out=run.new_out, delta=run.delta, frames=0, note=note)
        return self._key(change, bisect.bisect_right(self.anchor_new, run.new_in),
                         run.new_in, run.old_in), change


def _contiguous(regions: list[_Region]) -> list[list[_Region]]:
    groups: list[list[_Region]] = []
    for region in sorted(regions, key=lambda r: r.start):
        if groups and groups[-1][-1].end == region.start and region.place == "whole" and (
                groups[-1][-1].place == "whole"):
            groups[-1].append(region)
        else:
            groups.append([region])
    return groups


def _length(frames: int, rate: Rate) -> str:
    """M:SS+FF, or H:MM:SS+FF from an hour on (a reel moved)."""
    text = format_duration(frames, rate)
    minutes, rest = text.split(":", 1)
    if int(minutes) < 60:
        return text
    return f"{int(minutes) // 60}:{int(minutes) % 60:02d}:{rest}"


def _frames(n: int) -> str:
    return f"{n} frame{'' if n == 1 else 's'}"


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _shot_list(shots: list[Shot]) -> str:
    if len(shots) == 1:
        return ""
    names = [s.clip for s in shots[:_NAMES_SHOWN]]
    more = len(shots) - len(names)
    return f"{len(shots)} shots: {', '.join(names)}" + (f" and {more} more" if more else "")


def _versions(old: Shot | None, new: Shot | None) -> str:
    if old is None or new is None or old.version == new.version:
        return ""
    return f"VFX v{old.version} -> v{new.version}"


def _clip_range(shots: list[Shot]) -> str:
    names = list(dict.fromkeys(s.clip for s in shots))
    return names[0] if len(names) == 1 else f"{names[0]} .. {names[-1]}"
