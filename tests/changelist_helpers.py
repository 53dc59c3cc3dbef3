"""Cuts made in code for the conform tests: shots laid end to end on reels (reel N at
N:00:00:00), the edits a picture editor makes as list operations, and an oracle that says
where each frame of one cut is in another by looking its source frame up (independent of
the compare under test)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from filmscore.conform.changes import Change, ChangeList
from filmscore.spotting.cut import Cut, CutEvent, make_cut
from filmscore.timecode import get_rate

HOUR24 = 86400  # frames in an hour at 24 fps


@dataclass(frozen=True)
class Seg:
    """A shot placed in a cut: ``length`` frames of ``reel`` from source frame ``src_in``."""

    reel: str
    src_in: int
    length: int
    clip: str = ""  # the clip name; the reel + ".mov" when empty


#: eight shots of one reel, each from its own camera roll, of different lengths
LENGTHS = (96, 120, 72, 150, 60, 200, 84, 110)


def shots(lengths=LENGTHS, prefix: str = "A") -> list[Seg]:
    return [Seg(f"{prefix}{i + 1:03d}C001", 36000 * (10 + i), n)
            for i, n in enumerate(lengths)]


def starts(segs: list[Seg], first: int = HOUR24) -> list[int]:
    """Record in of each shot when laid end to end from ``first``."""
    out, at = [], first
    for seg in segs:
        out.append(at)
        at += seg.length
    return out


def film(reels: dict[int, list[Seg]] | list[Seg], *, rate: str = "24", name: str = "cut",
         source: str = "") -> Cut:
    """A cut: each reel's shots end to end from its hour (a list is reel 1)."""
    rate_ = get_rate(rate)
    if isinstance(reels, list):
        reels = {1: reels}
    events, index = [], 0
    for hour, segs in sorted(reels.items()):
        at = hour * 3600 * rate_.nominal
        for seg in segs:
            index += 1
            events.append(CutEvent(index=index, clip_name=seg.clip or f"{seg.reel}.mov",
                                   source_reel=seg.reel, source_in=seg.src_in,
                                   source_out=seg.src_in + seg.length, record_in=at,
                                   record_out=at + seg.length))
            at += seg.length
    return make_cut(name=name, rate=rate_, events=events, source=source)


def trim_head(seg: Seg, frames: int) -> Seg:
    """``frames`` off the head (negative: onto it)."""
    return replace(seg, src_in=seg.src_in + frames, length=seg.length - frames)


def trim_tail(seg: Seg, frames: int) -> Seg:
    return replace(seg, length=seg.length - frames)


def _base(name: str) -> str:
    return re.sub(r"_v\d+$", "", name).upper()


def frame_sources(cut: Cut) -> dict[int, tuple[str, int]]:
    """Every record frame of the cut's picture -> (shot, source frame); black is no shot."""
    out = {}
    for e in cut.events_on(cut.tracks[0]):
        if e.source_reel in ("BL", "BLACK"):
            continue
        for k in range(e.record_out - e.record_in):
            out[e.record_in + k] = (_base(e.source_reel), e.source_in + k)
    return out


def oracle(old: Cut, new: Cut) -> dict[int, int | None]:
    """Where every frame of the old cut (first to last) is in the new one, found by its
    source frame; None when the new cut does not show it."""
    where = {src: frame for frame, src in frame_sources(new).items()}
    olds = frame_sources(old)
    return {f: where.get(olds[f]) if f in olds else None
            for f in range(old.start_frame, old.end_frame)}


def rows(changes: ChangeList | tuple[Change, ...]) -> list[tuple]:
    """The changes as (kind, clip, old in, old out, new in, new out, delta, frames)."""
    items = changes.changes if isinstance(changes, ChangeList) else changes
    return [(c.kind, c.clip, c.old_in, c.old_out, c.new_in, c.new_out, c.delta, c.frames)
            for c in items]


def check_map(old: Cut, new: Cut, changes: ChangeList) -> None:
    """The change list's map agrees with the oracle at every frame of the old cut; the
    spans overlap in neither cut; the frames the changes add and remove are the
    difference in picture length."""
    expected = oracle(old, new)
    got = {f: changes.map_frame(f) for f in expected}
    wrong = {f: (got[f], expected[f]) for f in expected if got[f] != expected[f]}
    assert not wrong, f"{len(wrong)} frames mapped wrong, e.g. {sorted(wrong.items())[:5]}"
    news = sorted((s.new_in, s.new_out) for s in changes.spans)
    assert all(a[1] <= b[0] for a, b in zip(news, news[1:], strict=False))
    olds = [(s.old_in, s.old_out) for s in changes.spans]
    assert olds == sorted(olds) and all(a[1] <= b[0] for a, b in zip(olds, olds[1:],
                                                                       strict=False))

    def material(cut: Cut) -> int:
        return sum(e.record_out - e.record_in for e in cut.events_on(cut.tracks[0]))

    assert sum(c.frames for c in changes.changes) == material(new) - material(old)
    # every frame of each cut is told once: kept (a span) or in one change's range
    for side, cut in (("old", old), ("new", new)):
        told: list[int] = []
        for s in changes.spans:
            told += range(s.old_in, s.old_out) if side == "old" else range(s.new_in, s.new_out)
        for c in changes.changes:
            a, b = (c.old_in, c.old_out) if side == "old" else (c.new_in, c.new_out)
            if c.kind != "move" and a is not None:
                told += range(a, b)
        frames = sorted(f for e in cut.events_on(cut.tracks[0])
                        for f in range(e.record_in, e.record_out))
        assert sorted(told) == frames, f"the {side} cut's frames are not each told once"
