"""The film's timeline laid out to scale (pure): reels, cues, sync points, dialogue and a
time ruler, as positions in pixels that a page draws (the web app as inline SVG).

A view is the whole film or one reel, at ``px_per_second`` (``zoom`` times the scale that
fits the view in ``width_px``).  Cues that overlap go to separate lanes; a cue's number is
written on its bar only when it fits (it is always in the bar's tooltip), so that a two-hour
film of a hundred cues stays readable: look at one reel, or zoom in and scroll.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.timecode import Rate, format_duration, format_label, frame_to_seconds

#: the zoom factors a view accepts
ZOOMS = (1, 2, 4, 8, 16)
#: ruler steps to choose from, in seconds (the first that leaves room for a label)
RULER_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)
RULER_LABEL_PX = 96  # room for "01:00:00:00"
CUE_LABEL_PX = 7  # per character of a cue's number on its bar
LANE_PX = 26  # height of one lane of cues


@dataclass(frozen=True)
class TimelineCue:
    number: str
    title: str
    start_frame: int
    end_frame: int
    syncs: tuple[tuple[int, str, str], ...] = ()  # (frame, kind, description)
    source: bool = False
    status: str = ""
    reel: int = 0  # the reel of the cue's number


@dataclass(frozen=True)
class Span:
    """A drawn interval: x and width in pixels, its label and tooltip."""

    x: float
    width: float
    label: str
    title: str
    lane: int = 0
    key: str = ""  # a cue's number (the link), a reel's number
    source: bool = False  # a cue of source music


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    kind: str = ""
    title: str = ""


@dataclass(frozen=True)
class Layout:
    width_px: float
    px_per_second: float
    start_frame: int
    end_frame: int
    zoom: int
    reel: int | None
    reels: tuple[Span, ...]
    cues: tuple[Span, ...]
    lanes: int
    syncs: tuple[Tick, ...]
    dialogue: tuple[Span, ...]
    ruler: tuple[Tick, ...]
    reel_numbers: tuple[int, ...] = ()  # every reel of the picture (for a reel selector)


def lanes_for(spans: list[tuple[int, int]]) -> list[int]:
    """A lane per interval (start, end), in the given order: the first lane free at its
    start (intervals sorted by start fill lanes as a greedy interval colouring)."""
    ends: list[int] = []
    out = []
    for start, end in spans:
        for lane, last in enumerate(ends):
            if last <= start:
                ends[lane] = end
                out.append(lane)
                break
        else:
            ends.append(end)
            out.append(len(ends) - 1)
    return out


def reels_from_cues(cues: list[TimelineCue]) -> tuple[tuple[int, str, int, int], ...]:
    """Reels (number, name, start frame, frames) spanning the cues of each reel by their
    numbers: the views of a film whose picture has no reels (or no picture yet)."""
    spans: dict[int, tuple[int, int]] = {}
    for c in cues:
        first, last = spans.get(c.reel, (c.start_frame, c.end_frame))
        spans[c.reel] = (min(first, c.start_frame), max(last, c.end_frame))
    return tuple((reel, f"cues {reel}M", first, last - first)
                 for reel, (first, last) in sorted(spans.items()))


def ruler_step(px_per_second: float) -> int:
    """The ruler step in seconds: the smallest that leaves room for a timecode label."""
    for step in RULER_STEPS:
        if step * px_per_second >= RULER_LABEL_PX:
            return step
    return RULER_STEPS[-1]


def layout(cues: list[TimelineCue], rate: Rate, *, film: tuple[int, int] | None = None,
           reels: tuple[tuple[int, str, int, int], ...] = (),
           dialogue: tuple[tuple[int, int | None, str], ...] = (),
           reel: int | None = None, zoom: int = 1, width_px: int = 1180) -> Layout:
    """Lay out the film (``film``: its first and end frame; default: the cues' span) or
    one of its ``reels`` (number, name, start frame, frames), at ``zoom`` (one of ZOOMS)."""
    if zoom not in ZOOMS:
        raise InputError("not a zoom of the timeline", field="zoom", value=str(zoom),
                         valid=", ".join(map(str, ZOOMS)))
    if film is None:
        film = (min((c.start_frame for c in cues), default=0),
                max((c.end_frame for c in cues), default=0))
    start, end = film
    if reel is not None:
        chosen = [r for r in reels if r[0] == reel]
        if not chosen:
            raise InputError("no such reel in the picture", field="reel", value=str(reel),
                             valid=", ".join(str(r[0]) for r in reels) or "none (no reels)")
        start, end = chosen[0][2], chosen[0][2] + chosen[0][3]
    end = max(end, start + 1)
    seconds = float(frame_to_seconds(end - start, rate))
    scale = width_px / seconds * zoom
    width = seconds * scale

    def x(frame: int) -> float:
        return round(float(frame_to_seconds(frame - start, rate)) * scale, 1)

    def seen(a: int, b: int) -> bool:
        return b > start and a < end

    def clip(a: int, b: int) -> tuple[float, float]:
        left, right = x(max(a, start)), x(min(b, end))
        return left, max(right - left, 1.0)

    shown = sorted((c for c in cues if seen(c.start_frame, c.end_frame)),
                   key=lambda c: (c.start_frame, c.number))
    lanes = lanes_for([(c.start_frame, c.end_frame) for c in shown])
    cue_spans, sync_ticks = [], []
    for c, lane in zip(shown, lanes, strict=True):
        left, w = clip(c.start_frame, c.end_frame)
        tip = (f"{c.number} {c.title}: {format_label(c.start_frame, rate)}–"
               f"{format_label(c.end_frame, rate)} "
               f"({format_duration(c.end_frame - c.start_frame, rate)})"
               + (f", {c.status}" if c.status else ""))
        label = next((text for text in (f"{c.number} {c.title}", c.number)
                      if w >= CUE_LABEL_PX * len(text) + 6), "")
        cue_spans.append(Span(left, w, label, tip, lane, c.number, c.source))
        for frame, kind, text in c.syncs:
            if start <= frame <= end:
                sync_ticks.append(Tick(x(frame), c.number, kind,
                                       f"{c.number} {kind} at {format_label(frame, rate)}"
                                       + (f": {text}" if text else "")))
    reel_spans = tuple(
        Span(*clip(r_start, r_start + dur), f"reel {number}",
             f"reel {number} {name}: {format_label(r_start, rate)} "
             f"({format_duration(dur, rate)})", 0, str(number))
        for number, name, r_start, dur in reels if seen(r_start, r_start + dur))
    talk = tuple(
        Span(*clip(frame, max(stop or frame + 1, frame + 1)), "",
             f"{format_label(frame, rate)} {text}")
        for frame, stop, text in dialogue if seen(frame, max(stop or frame + 1, frame + 1)))
    step = ruler_step(scale)
    ticks = []
    second = 0
    while True:
        frame = start + round(Fraction(second) * rate.fps)
        if frame > end:
            break
        ticks.append(Tick(x(frame), format_label(frame, rate)))
        second += step
    return Layout(round(width, 1), scale, start, end, zoom, reel, reel_spans,
                  tuple(cue_spans), max(lanes, default=0) + 1, tuple(sync_ticks), talk,
                  tuple(ticks), tuple(r[0] for r in reels))
