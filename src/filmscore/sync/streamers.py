"""Streamers, punches, flutters and burned-in text for a scoring stage: the overlay plan.

Pure: this module decides *what* is drawn on *which* frame; ``formats.overlay_video``
draws it with ffmpeg.  Every frame number here is an absolute project frame (the same
numbers as sync points and timecode labels); ``OverlayPlan.first_frame`` is the project
frame of the clip's first picture frame.

Streamer geometry (the renderer and the tests both use ``streamer_x``): a streamer of
``length_frames`` L into ``end_frame`` E is a vertical bar, the full picture height and
``streamer_width(width)`` pixels wide.  Its leading (right) edge is at pixel column

    x(n) = round_half_up((n - (E - L)) * (width - 1) / L)        for E - L <= n <= E

so on frame E - L the bar's right edge is column 0 (the bar has just entered at the left
edge), it moves (width - 1) / L pixels a frame, and on frame E its right edge is column
width - 1, touching the right edge of the picture.  Before E - L and after E nothing is
drawn.  The bar occupies columns x - bar_width + 1 .. x, clipped to the picture.  A
streamer that starts before the clip does is drawn from the clip's first frame onward,
already partway across, where the formula puts it.

A punch is drawn on frames ``frame`` .. ``frame + frames - 1``; a flutter on one frame.
Streamers run only into sync points and the music's first downbeat; count-in clicks are
punches (yellow flashes), so at most the streamers of nearby sync points share a frame.
Text spans are half-open: ``(first_frame, last_frame_exclusive, text)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.spotting.cues import parse_sync_kind
from filmscore.timecode import Rate, format_label, get_rate

#: Overlay colours by name, as (red, green, blue).  Vocabulary as data.
COLORS: dict[str, tuple[int, int, int]] = {
    "green": (0, 255, 0),
    "yellow": (255, 255, 0),
    "red": (255, 0, 0),
    "white": (255, 255, 255),
    "blue": (0, 64, 255),
    "cyan": (0, 255, 255),
    "magenta": (255, 0, 255),
    "orange": (255, 140, 0),
}

#: How each sync kind is marked: (streamer colour, punch colour).  The end of the cue is
#: red; every hit or downbeat gets a green streamer and a white punch.
KIND_STYLES: dict[str, tuple[str, str]] = {
    "hard": ("green", "white"),
    "soft": ("green", "white"),
    "downbeat": ("green", "white"),
    "end": ("red", "white"),
}

#: Count-in clicks flash a punch of this colour (no streamer: a streamer a click would put
#: three or four on the screen at once).
COUNT_IN_COLOR = "yellow"

STREAMER_SECONDS = (Fraction(2), Fraction(4))  # allowed range, inclusive
PUNCH_FRAMES = (1, 2, 3)


def check_color(color: str, *, field: str = "color") -> str:
    """The canonical (lower-case) colour name; unknown colours list the valid ones."""
    key = color.strip().lower() if isinstance(color, str) else None
    if key not in COLORS:
        raise InputError("unknown overlay colour", field=field, value=color,
                         valid=", ".join(COLORS))
    return key


def streamer_width(width: int) -> int:
    """Width in pixels of a streamer's bar on a picture ``width`` pixels wide (1/40, >= 6)."""
    return max(6, width // 40)


@dataclass(frozen=True)
class Streamer:
    """A bar sweeping left to right for ``length_frames``, at the right edge on ``end_frame``."""

    end_frame: int
    length_frames: int
    color: str = "green"

    def __post_init__(self) -> None:
        if self.length_frames < 1:
            raise InputError("a streamer lasts at least one frame", field="length_frames",
                             value=self.length_frames, valid="1 or more")
        check_color(self.color)

    @property
    def start_frame(self) -> int:
        """The frame on which the bar is at the left edge."""
        return self.end_frame - self.length_frames

    def x(self, frame: int, width: int) -> int | None:
        """Pixel column of the bar's leading (right) edge on ``frame``; None when not shown."""
        step = frame - self.start_frame
        if step < 0 or step > self.length_frames:
            return None
        return (2 * step * (width - 1) + self.length_frames) // (2 * self.length_frames)


@dataclass(frozen=True)
class Punch:
    """A bright circle flashed on ``frame`` (and the ``frames - 1`` frames after it)."""

    frame: int
    color: str = "white"
    frames: int = 1

    def __post_init__(self) -> None:
        check_color(self.color)
        if self.frames not in PUNCH_FRAMES:
            raise InputError("a punch lasts 1, 2 or 3 frames", field="punch_frames",
                             value=self.frames, valid="1, 2 or 3")

    def shown(self, frame: int) -> bool:
        return self.frame <= frame < self.frame + self.frames


@dataclass(frozen=True)
class Flutter:
    """A flash on a bar line (downbeat) frame."""

    frame: int


@dataclass(frozen=True)
class TextTrack:
    """Burned-in text: ``label`` names the track ('bar|beat'); spans are half-open."""

    label: str
    spans: tuple[tuple[int, int, str], ...]

    def text_at(self, frame: int) -> str | None:
        for first, end, text in self.spans:
            if first <= frame < end:
                return text
        return None


@dataclass(frozen=True)
class OverlayPlan:
    """Everything drawn over one clip, frame by frame (absolute project frames)."""

    first_frame: int
    frame_count: int
    rate: Rate
    streamers: tuple[Streamer, ...] = ()
    punches: tuple[Punch, ...] = ()
    flutters: tuple[Flutter, ...] = ()
    texts: tuple[TextTrack, ...] = ()
    show_timecode: bool = True
    cue_label: str = ""

    @property
    def end_frame(self) -> int:
        """The project frame after the clip's last frame."""
        return self.first_frame + self.frame_count

    def timecode_at(self, frame: int) -> str:
        """The burned-in label of a project frame: ``format_label`` at the plan's rate."""
        return format_label(frame, self.rate)


def streamer_x(plan_or_streamer: OverlayPlan | Streamer, frame: int,
               width: int) -> int | None:
    """Leading-edge pixel column of a streamer on project ``frame`` (None when none shows).

    Given a plan, the streamer shown that ends soonest (several can overlap); frames
    outside the clip show nothing.
    """
    if isinstance(plan_or_streamer, Streamer):
        return plan_or_streamer.x(frame, width)
    plan = plan_or_streamer
    if not plan.first_frame <= frame < plan.end_frame:
        return None
    for streamer in sorted(plan.streamers, key=lambda s: s.end_frame):
        x = streamer.x(frame, width)
        if x is not None:
            return x
    return None


def _seconds(value: Fraction | int | str | float) -> Fraction:
    try:
        seconds = Fraction(value)
    except (TypeError, ValueError):
        seconds = None
    low, high = STREAMER_SECONDS
    if seconds is None or not low <= seconds <= high:
        raise InputError("streamer length out of range", field="streamer_seconds",
                         value=str(value), valid="2 to 4 seconds (2, 3 or 4 usual)")
    return seconds


def beat_track(bar_frames: Sequence[tuple[int, int, int]], first_frame: int,
               end_frame: int) -> TextTrack:
    """A 'bar|beat' track: each beat's text ('23|3') from its frame to the next beat's.

    The last beat lasts as long as the one before it (to the clip's end when there is
    only one).  Spans are clipped to the clip ``first_frame`` .. ``end_frame``.
    """
    beats = sorted((int(f), int(bar), int(beat)) for f, bar, beat in bar_frames)
    spans = []
    for i, (frame, bar, beat) in enumerate(beats):
        if i + 1 < len(beats):
            stop = beats[i + 1][0]
        elif i > 0:
            stop = frame + (frame - beats[i - 1][0])
        else:
            stop = end_frame
        first, stop = max(frame, first_frame), min(stop, end_frame)
        if first < stop:
            spans.append((first, stop, f"{bar}|{beat}"))
    return TextTrack("bar|beat", tuple(spans))


def plan_overlays(*, first_frame: int, frame_count: int, rate: Rate | str,
                  sync_points: Sequence[tuple[int, str, str | None]],
                  bar_frames: Sequence[tuple[int, int, int]] = (),
                  streamer_seconds: Fraction | int | str = 3, punch_frames: int = 1,
                  flutters: bool = False, cue_label: str = "",
                  count_in_frames: Sequence[int] = (), downbeat_frame: int | None = None,
                  show_timecode: bool = True) -> OverlayPlan:
    """The overlays for a clip of ``frame_count`` frames starting at project ``first_frame``.

    ``sync_points`` are ``(frame, kind, colour or None)``; each gets a streamer of
    ``streamer_seconds`` into it (colour from ``KIND_STYLES`` unless given) and a punch.
    ``downbeat_frame`` (bar 1, the music's first downbeat) gets a streamer and a punch
    too, unless a sync point is on it.  ``count_in_frames`` (the count-in clicks) flash a
    yellow punch each and get no streamer: only sync points and the first downbeat are
    streamed.  ``bar_frames`` are ``(frame, bar, beat)`` of every click: the bar|beat
    counter, and with ``flutters`` a flutter on every beat 1.  Marks wholly outside the
    clip are left out; a streamer begun before the clip is kept and drawn partway across.
    """
    rate = get_rate(rate)
    if frame_count < 0:
        raise InputError("negative clip length", field="frame_count", value=frame_count,
                         valid="0 or more frames")
    seconds = _seconds(streamer_seconds)
    exact = seconds * rate.fps
    length = (exact + Fraction(1, 2)).__floor__()
    end = first_frame + frame_count
    streamers: list[Streamer] = []
    punches: list[Punch] = []
    points = list(sync_points)
    if downbeat_frame is not None and all(int(f) != downbeat_frame for f, _k, _c in points):
        points.append((downbeat_frame, "downbeat", None))
    for frame, kind, color in points:
        kind = parse_sync_kind(kind, field="kind")
        bar_color, punch_color = KIND_STYLES[kind]
        if color is not None:
            bar_color = punch_color = check_color(color)
        streamer = Streamer(int(frame), length, bar_color)
        if streamer.start_frame < end and streamer.end_frame >= first_frame:
            streamers.append(streamer)
        punch = Punch(int(frame), punch_color, punch_frames)
        if punch.frame < end and punch.frame + punch.frames > first_frame:
            punches.append(punch)
    for frame in count_in_frames:
        if first_frame <= frame < end:
            punches.append(Punch(int(frame), COUNT_IN_COLOR, punch_frames))
    texts: list[TextTrack] = []
    if bar_frames:
        texts.append(beat_track(bar_frames, first_frame, end))
    marks = ()
    if flutters:
        marks = tuple(Flutter(int(f)) for f, _bar, beat in sorted(bar_frames)
                      if beat == 1 and first_frame <= f < end)
    return OverlayPlan(
        first_frame=first_frame, frame_count=frame_count, rate=rate,
        streamers=tuple(sorted(streamers, key=lambda s: (s.end_frame, s.color))),
        punches=tuple(sorted(punches, key=lambda p: p.frame)), flutters=marks,
        texts=tuple(texts), show_timecode=show_timecode, cue_label=cue_label)
