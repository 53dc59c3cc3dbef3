"""The core values of a picture cut: events, markers and reels (pure, no I/O).

All times are integer frames at the cut's rate, counted as absolute record frames
(01:00:00:00 at 24 fps is frame 86400).  Out points are exclusive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from filmscore.limits import is_digits
from filmscore.timecode import Rate, get_rate, parse_label

#: Event kinds: how the picture arrives at the event (or that it is a hole in the cut).
EVENT_KINDS = ("cut", "dissolve", "wipe", "key", "gap")
#: Marker kinds.
MARKER_KINDS = ("marker", "shot", "dialogue", "scene")


@dataclass(frozen=True)
class CutEvent:
    """One edit of a cut: source reel in/out placed at record in/out (frames, out exclusive)."""

    index: int
    clip_name: str
    source_reel: str
    source_in: int
    source_out: int
    record_in: int
    record_out: int
    track: str = "V"
    kind: str = "cut"
    transition_frames: int = 0  # length of the dissolve/wipe into this event (0 for a cut)

    @property
    def duration_frames(self) -> int:
        return self.record_out - self.record_in


@dataclass(frozen=True)
class CutMarker:
    """A point (or span, when ``end_frame`` is set) in record time with a text."""

    frame: int
    text: str
    kind: str = "marker"
    end_frame: int | None = None


@dataclass(frozen=True)
class Reel:
    """A reel of the cut: number, name and its span in record frames."""

    number: int
    name: str
    start_frame: int
    duration_frames: int

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.duration_frames

    def __contains__(self, frame: int) -> bool:
        return self.start_frame <= frame < self.end_frame


@dataclass(frozen=True)
class Cut:
    """A picture cut: events, markers and reels at one rate, read from ``source``."""

    name: str
    rate: Rate
    events: tuple[CutEvent, ...]
    markers: tuple[CutMarker, ...] = ()
    reels: tuple[Reel, ...] = ()
    start_frame: int = 0
    duration_frames: int = 0
    source: str = ""
    source_kind: str = ""
    warnings: tuple[str, ...] = ()  # what the reader could not read, one line each

    @property
    def end_frame(self) -> int:
        """First frame after the cut (exclusive)."""
        return self.start_frame + self.duration_frames

    def reel_for_frame(self, frame: int) -> Reel | None:
        """The reel showing at record ``frame``, or None outside every reel."""
        for reel in self.reels:
            if frame in reel:
                return reel
        return None

    def events_on(self, track: str) -> tuple[CutEvent, ...]:
        """The events of one track ("V", "A1", ...), in record order."""
        return tuple(e for e in self.events if e.track == track)

    @property
    def tracks(self) -> tuple[str, ...]:
        """Track names in order of first appearance ("V", "A1", ...)."""
        return tuple(dict.fromkeys(e.track for e in self.events))

    @property
    def video_events(self) -> tuple[CutEvent, ...]:
        return tuple(e for e in self.events if e.track.startswith("V"))


def infer_reels(events: Iterable[CutEvent], rate: Rate | str) -> tuple[Reel, ...]:
    """Reels by the film convention: reel N starts at N:00:00:00 (record hour = reel number).

    When the events start at hour 1 or later they are grouped by the hour of their record
    in, each group one reel starting at its hour label.  When they start in hour 00 the
    whole cut is one reel, number 1, starting at its first event.  Gap events are ignored.
    """
    rate = get_rate(rate)
    real = [e for e in events if e.kind != "gap"]
    if not real:
        return ()
    first = min(e.record_in for e in real)
    last = max(e.record_out for e in real)
    hour_frames = parse_label(f"01:00:00{rate.separator}00", rate)
    if first < hour_frames:
        return (Reel(1, "R1", first, last - first),)
    groups: dict[int, list[CutEvent]] = {}
    for event in real:
        hour = _hour_of(event.record_in, rate)
        groups.setdefault(hour, []).append(event)
    reels = []
    for hour in sorted(groups):
        start = parse_label(f"{hour % 24:02d}:00:00{rate.separator}00", rate)
        start += (hour // 24) * rate.frames_per_day
        end = max(e.record_out for e in groups[hour])
        reels.append(Reel(hour, f"R{hour}", start, end - start))
    return tuple(reels)


def _hour_of(frame: int, rate: Rate) -> int:
    """The record hour a frame falls in (counting past 24 h without wrapping)."""
    frames_per_hour = rate.frames_per_10min * 6
    return frame // frames_per_hour


def make_cut(
    *,
    name: str,
    rate: Rate | str,
    events: Iterable[CutEvent],
    markers: Iterable[CutMarker] = (),
    source: str = "",
    source_kind: str = "",
    reels: tuple[Reel, ...] | None = None,
) -> Cut:
    """Build a Cut, sorting events by track and record in and inferring reels and extent."""
    rate = get_rate(rate)
    evs = tuple(sorted(events, key=lambda e: (_track_key(e.track), e.record_in, e.index)))
    real = [e for e in evs if e.kind != "gap"]
    start = min((e.record_in for e in real), default=0)
    end = max((e.record_out for e in real), default=start)
    return Cut(
        name=name,
        rate=rate,
        events=evs,
        markers=tuple(sorted(markers, key=lambda m: (m.frame, m.kind, m.text))),
        reels=infer_reels(evs, rate) if reels is None else reels,
        start_frame=start,
        duration_frames=end - start,
        source=source,
        source_kind=source_kind,
    )


def _track_key(track: str) -> tuple[int, int, str]:
    digits = "".join(ch for ch in track if is_digits(ch))
    return (0 if track.startswith("V") else 1, int(digits) if digits else 0, track)


def edit_points(cut: Cut) -> list[CutMarker]:
    """Every edit of the cut's first video track as a "shot" marker at its record frame.

    An edit in the EDL is a cut the picture editor made: the surest shot change there is,
    whatever a scene-change detector scores it (a cut between two similar shots can
    score low).  The cut's first frame is not an edit.
    """
    video = [t for t in cut.tracks if t.startswith("V")]
    if not video:
        return []
    return [
        CutMarker(frame=e.record_in, text=f"edit {e.index}: {e.clip_name or e.source_reel}",
                  kind="shot")
        for e in cut.events_on(video[0])
        if e.kind != "gap" and e.record_in > cut.start_frame
    ]


def merge_shots(edits: Iterable[CutMarker], detected: Iterable[CutMarker],
                tolerance: int = 1) -> list[CutMarker]:
    """Edit points plus the detected shot changes that are not within ``tolerance`` frames
    of an edit (those are the same cut, seen twice), in frame order."""
    edits = list(edits)
    frames = [m.frame for m in edits]
    extra = [m for m in detected if all(abs(m.frame - f) > tolerance for f in frames)]
    return sorted([*edits, *extra], key=lambda m: m.frame)
