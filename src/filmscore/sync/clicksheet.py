"""The click sheet of a cue: bar by bar, its timecode, meter, tempo and frame-click, and
the sync points that fall in it, each measured from the grid the map was solved on.

Pure: a tempo map and sync points in, rows out (``formats.clicksheet_csv`` and
``formats.clicksheet_pdf`` print them).  Count-in bars (numbered 0, -1, ...) come first
when the map has any.

Each sync point is placed on the grid line nearest to it: for hard and soft hits and the
end, the nearest 1/``subdivision`` of a beat (the subdivision the map was solved on,
``TempoMap.subdivision``: 2 when the hits land on eighths in 4/4); for a downbeat, the
nearest bar line.  It reads ``bar|beat|sub`` (sub 1 is on the beat, 2 the "and" in
eighths; plain ``bar|beat`` on a map solved on the beat) and its offset in frames from
that click: **hit minus click**, so ``3|2|2 +0.15 fr`` is a hit 0.15 frame after the
"and" of beat 2 of bar 3.  The point goes to the row of its grid line's bar (a hit just
before a bar line belongs to the bar it lands on); in free time there is no click and
the point shows where it falls, with no offset.  Only hard hits count as hits
(``ClickSheet.hit_count``); soft hits, downbeats and the end are sync points beside them.

Meter and tempo are marked (``SheetRow.meter_shown``, ``tempo_shown``) on the first row,
on bar 1 and wherever they change (every bar of a ramp, free time): a sheet prints them
there only.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from filmscore.sync.tempomap import Position, TempoMap, format_frameclick
from filmscore.timecode import format_label

SyncPoint = tuple[int, str, str]  # (absolute frame, kind, description)

#: Which grid each sync kind is measured from: "beat" (the solved subdivision of the
#: beat) or "bar" (bar lines).  Vocabulary as data.
GRID_OF_KIND: dict[str, str] = {"hard": "beat", "soft": "beat", "end": "beat",
                                "downbeat": "bar"}


@dataclass(frozen=True)
class Hit:
    """A sync point on the sheet: the grid line nearest to it and its offset from it.

    ``position`` is that grid line (``sub`` 1-based within the beat, ``subdivision`` per
    beat); ``frames_off`` is the hit minus the click in frames (positive: the hit comes
    after the click), None in free time (``position`` is then where the hit falls).
    """

    position: Position
    frames_off: Fraction | None
    kind: str
    description: str
    frame: int = 0
    sub: int = 1
    subdivision: int = 1

    @property
    def is_hard(self) -> bool:
        return self.kind == "hard"

    @property
    def free(self) -> bool:
        return self.frames_off is None

    @property
    def label(self) -> str:
        """'3|2|2' (bar|beat|sub) on a subdivided grid, '3|2' on the beat, the position
        as bar|beat|tick in free time."""
        if self.free:
            return str(self.position)
        if self.subdivision > 1:
            return f"{self.position.bar}|{self.position.beat}|{self.sub}"
        return f"{self.position.bar}|{self.position.beat}"


@dataclass(frozen=True)
class SheetRow:
    bar: int
    timecode: str  # of the bar's downbeat (the nearest frame), at the project rate
    frame: int
    seconds: Fraction  # exact, from bar 1
    meter: str
    tempo_bpm: Fraction  # at the bar's start (free time: the segment's nominal tempo)
    frameclick: str  # '12-0', '~12-2' when not exactly a frame-click, '' in free time
    hits: tuple[Hit, ...] = ()
    free: bool = False
    ramp: bool = False  # the tempo changes inside the bar
    count_in: bool = False
    meter_shown: bool = True  # print the meter here (first row, bar 1, a change)
    tempo_shown: bool = True  # print the tempo here (first row, bar 1, a change, a ramp)


@dataclass(frozen=True)
class ClickSheet:
    """The rows and what a header needs.  Iterates, indexes and has a length like a list
    of its rows.  ``cue_label`` is the cue number, ``title`` the cue's title."""

    cue_label: str
    title: str
    rate_name: str
    start_timecode: str  # of bar 1
    count_in_bars: int
    pickup_beats: int
    rows: tuple[SheetRow, ...] = field(default_factory=tuple)
    subdivision: int = 1

    def __iter__(self) -> Iterator[SheetRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    @property
    def hits(self) -> list[Hit]:
        return [h for r in self.rows for h in r.hits]

    @property
    def hit_count(self) -> int:
        """Hard hits only: the accents the music must land."""
        return sum(1 for h in self.hits if h.is_hard)

    @property
    def sync_count(self) -> int:
        return len(self.hits)


def click_sheet(tmap: TempoMap, sync_points: Sequence[SyncPoint], *, cue_label: str = "",
                title: str = "") -> ClickSheet:
    """The click sheet of ``tmap`` with ``sync_points`` placed on its grid."""
    rate = tmap.rate
    first = tmap.segments[0]
    rows: list[SheetRow] = []

    def row(bar: int, seconds: Fraction, meter: str, tempo: Fraction, free: bool,
            ramp: bool, count_in: bool = False) -> SheetRow:
        frame = tmap.frame_at(seconds)
        label = format_label(frame, rate) if frame >= 0 else f"-{format_label(-frame, rate)}"
        return SheetRow(bar, label, frame, seconds, meter, tempo,
                        "" if free else format_frameclick(tempo, rate), free=free,
                        ramp=ramp, count_in=count_in)

    lead_bars = -(-tmap.lead_beats // first.meter.numerator)
    for k in range(lead_bars, 0, -1):
        bar = 1 - k
        rows.append(row(bar, tmap.seconds_of((bar, 1)), str(first.meter), first.tempo_bpm,
                        False, False, count_in=True))
    ramp_bars, bar = set(), 1
    for seg in tmap.segments:
        if seg.is_ramp:
            ramp_bars.update(range(bar, bar + seg.bars))
        bar += seg.bars
    for bar in tmap.bars():
        rows.append(row(bar.number, bar.seconds, str(bar.meter), bar.tempo_bpm, bar.free,
                        bar.number in ramp_bars))
    rows = _mark_changes(rows)

    numbers = [r.bar for r in rows]
    free_bars = {r.bar for r in rows if r.free}
    hits: list[list[Hit]] = [[] for _ in rows]
    for frame, kind, description in sorted(sync_points, key=lambda s: s[0]):
        hit = place(tmap, frame, kind, description, free_bars=free_bars)
        index = min(max(bisect_right(numbers, hit.position.bar) - 1, 0), len(rows) - 1)
        hits[index].append(hit)
    rows = [replace(r, hits=tuple(h)) for r, h in zip(rows, hits, strict=True)]
    return ClickSheet(cue_label, title, rate.name, format_label(tmap.start_frame, rate),
                      tmap.count_in_bars, tmap.pickup_beats, tuple(rows), tmap.subdivision)


def _mark_changes(rows: list[SheetRow]) -> list[SheetRow]:
    out: list[SheetRow] = []
    for i, r in enumerate(rows):
        prev = rows[i - 1] if i else None
        anchor = prev is None or r.bar == 1
        meter = anchor or r.meter != prev.meter or r.free != prev.free
        tempo = (anchor or r.ramp or r.free != prev.free
                 or (not r.free and (r.tempo_bpm != prev.tempo_bpm or prev.ramp)))
        out.append(replace(r, meter_shown=meter, tempo_shown=tempo))
    return out


def place(tmap: TempoMap, frame: int, kind: str, description: str = "", *,
          free_bars: set[int] | None = None) -> Hit:
    """The grid line nearest to the sync point at ``frame`` (see the module docstring)."""
    seconds = tmap.seconds_of_frame(frame)
    floor = tmap.position_at(seconds)
    if free_bars is None:
        free_bars = {b.number for b in tmap.bars() if b.free}
    if floor.bar in free_bars:
        return Hit(floor, None, kind, description, frame)
    sub_count = tmap.subdivision if GRID_OF_KIND.get(kind, "beat") == "beat" else 0
    candidates = _neighbours(tmap, floor, sub_count)
    times = [(tmap.seconds_of(pos), pos, sub) for pos, sub in candidates]
    at, pos, sub = min(times, key=lambda c: (abs(c[0] - seconds), c[0]))
    off = -tmap.frames_off(frame, at)  # hit minus click, in frames
    return Hit(pos, off, kind, description, frame, sub, tmap.subdivision if sub_count else 1)


def _neighbours(tmap: TempoMap, floor: Position, sub_count: int
                ) -> list[tuple[Position, int]]:
    """The grid lines at or before ``floor`` and after it: (position, 1-based sub).
    ``sub_count`` 0 is the bar-line grid."""
    if sub_count == 0:
        return [(Position(floor.bar, 1), 1), (Position(floor.bar + 1, 1), 1)]
    meter = _meter_of_bar(tmap, floor.bar)
    tpb = meter.ticks_per_beat
    step = Fraction(tpb, sub_count)
    index = int(floor.tick // step)  # subdivision index at or before the hit
    here = Position(floor.bar, floor.beat, _tick(index * step))
    if index + 1 < sub_count:
        nxt = (Position(floor.bar, floor.beat, _tick((index + 1) * step)), index + 2)
    elif floor.beat < meter.numerator:
        nxt = (Position(floor.bar, floor.beat + 1), 1)
    else:
        nxt = (Position(floor.bar + 1, 1), 1)
    return [(here, index + 1), nxt]


def _tick(value: Fraction) -> int | Fraction:
    """A grid line's tick: whole when it is (ticks per beat over the subdivision need not
    be: 960/7), exact either way (``TempoMap.seconds_of`` takes a Fraction tick)."""
    return int(value) if value.denominator == 1 else value


def _meter_of_bar(tmap: TempoMap, bar: int):
    if bar < 1:
        return tmap.segments[0].meter
    number = 1
    for seg in tmap.segments:
        if bar < number + seg.bars:
            return seg.meter
        number += seg.bars
    return tmap.segments[-1].meter


def format_frames_off(frames_off: Fraction | None) -> str:
    """'+0.15 fr' (the hit after the click), '-1.50 fr' (before), '0.00 fr' (on it), or
    'free time'."""
    if frames_off is None:
        return "free time"
    if frames_off == 0:
        return "0.00 fr"
    return f"{float(frames_off):+.2f} fr"


def format_hit(hit: Hit) -> str:
    """'3|2|2 +0.15 fr hard: door slams'."""
    text = f"{hit.label} {format_frames_off(hit.frames_off)} {hit.kind}"
    return f"{text}: {hit.description}" if hit.description else text
