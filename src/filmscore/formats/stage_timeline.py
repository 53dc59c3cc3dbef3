"""A session's playback timeline (OpenTimelineIO): each cue's click, electronics and
streamer video placed at its record timecode, written as .otio or FCP 7 XML.

Clips are plain values (:class:`TimelineClip`): a track name ("Click", "Electronics",
"Streamers"), audio or video, a file and the frames it covers.  Each track is a lane of
clips in time order with gaps between them; when two clips of one track overlap (a
streamer's handles running into the next cue's) the later one goes to a second lane of
that track ("Streamers 2").  The timeline starts at the earliest clip
(``global_start_time``), so a clip's place on it is its record timecode.

Writing goes through OpenTimelineIO's own adapters: ``otio_json`` (.otio) and
``fcp_xml`` (.xml, Final Cut Pro 7 XML, from otio-fcp-adapter, which Premiere, Resolve
and Pro Tools-adjacent conform tools read).  ``cmx_3600`` (EDL) writes one video track
only, so the audio would be lost: it is not offered.  What it loses: positions finer than
a frame (clips start on frame boundaries: the stage pack pads its audio so that they
do), levels, channel layouts; in FCP XML the media paths are absolute file URLs (the
.otio keeps them relative to the pack, so the folder can move).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from filmscore.errors import InputError
from filmscore.fileio import write_atomic
from filmscore.timecode import Rate

#: timeline suffix -> OpenTimelineIO adapter
ADAPTERS = {".otio": "otio_json", ".xml": "fcp_xml"}


@dataclass(frozen=True)
class TimelineClip:
    track: str  # "Click", "Electronics", "Streamers"
    kind: str  # "audio" or "video"
    name: str
    path: str  # the file, relative to the pack (or absolute)
    start_frame: int  # record timecode of its first frame
    duration_frames: int


def _lanes(clips: Sequence[TimelineClip]) -> dict[str, list[TimelineClip]]:
    lanes: dict[str, list[TimelineClip]] = {}
    for clip in sorted(clips, key=lambda c: (c.start_frame, c.name)):
        n = 1
        while True:
            name = clip.track if n == 1 else f"{clip.track} {n}"
            lane = lanes.setdefault(name, [])
            if not lane or lane[-1].start_frame + lane[-1].duration_frames <= clip.start_frame:
                lane.append(clip)
                break
            n += 1
    return lanes


def build_timeline(clips: Sequence[TimelineClip], *, name: str, rate: Rate,
                   base: Path | None = None):
    """The OpenTimelineIO timeline of ``clips`` (media paths resolved against ``base`` as
    file URLs when given, else kept as written)."""
    import opentimelineio as otio

    if not clips:
        raise InputError("a timeline needs at least one clip", field="clips",
                         valid="the cues' click, electronics or streamers")
    fps = float(rate.fps)
    start = min(c.start_frame for c in clips)
    timeline = otio.schema.Timeline(name=name)
    timeline.global_start_time = otio.opentime.RationalTime(start, fps)
    order = {"video": 0, "audio": 1}
    lanes = _lanes(clips)
    for lane_name in sorted(lanes, key=lambda n: (order[lanes[n][0].kind], n)):
        lane = lanes[lane_name]
        kind = (otio.schema.TrackKind.Video if lane[0].kind == "video"
                else otio.schema.TrackKind.Audio)
        track = otio.schema.Track(name=lane_name, kind=kind)
        at = start
        for clip in lane:
            if clip.start_frame > at:
                track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(
                    otio.opentime.RationalTime(0, fps),
                    otio.opentime.RationalTime(clip.start_frame - at, fps))))
            url = clip.path if base is None else (Path(base) / clip.path).resolve().as_uri()
            available = otio.opentime.TimeRange(
                otio.opentime.RationalTime(clip.start_frame, fps),
                otio.opentime.RationalTime(clip.duration_frames, fps))
            ref = otio.schema.ExternalReference(target_url=url, available_range=available)
            track.append(otio.schema.Clip(name=clip.name, media_reference=ref,
                                          source_range=available))
            at = clip.start_frame + clip.duration_frames
        timeline.tracks.append(track)
    return timeline


def write_stage_timeline(clips: Sequence[TimelineClip], path: str | os.PathLike[str], *,
                         name: str, rate: Rate, base: Path | None = None) -> Path:
    """Write the timeline as .otio or FCP 7 .xml (by suffix), atomically."""
    import opentimelineio as otio

    path = Path(path)
    adapter = ADAPTERS.get(path.suffix.lower())
    if adapter is None:
        raise InputError("not a timeline file this can write", source=str(path),
                         value=path.suffix, valid=", ".join(ADAPTERS))
    timeline = build_timeline(clips, name=name, rate=rate, base=base)
    text = otio.adapters.write_to_string(timeline, adapter_name=adapter)
    return write_atomic(path, text)
