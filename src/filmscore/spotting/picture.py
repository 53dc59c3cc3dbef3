"""A picture version as plain values, and reading a cut (EDL, XML, OTIO or video) with its
shot changes and dialogue markers (pure; ``spotting.service`` stores it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filmscore.errors import ValidationError
from filmscore.formats import VIDEO_SUFFIXES, reader_for
from filmscore.formats.video import detect_shots, probe
from filmscore.formats.video import read_cut as read_video_cut
from filmscore.limits import check
from filmscore.spotting.cut import Cut, CutMarker, edit_points, merge_shots
from filmscore.timecode import Rate


@dataclass(frozen=True)
class PictureSummary:
    """What a picture version holds, as plain values."""

    number: int
    name: str
    source_name: str
    source_kind: str
    rate: Rate
    start_frame: int
    duration_frames: int
    events: int
    reels: tuple[tuple[int, str, int, int], ...]  # (number, name, start_frame, duration_frames)
    markers: dict[str, int]  # kind -> count
    warnings: tuple[str, ...] = ()  # what the import could not read (not stored)

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.duration_frames

    @property
    def label(self) -> str:
        return f"v{self.number}"


def read_picture(path: Path, *, rate: Rate, video: Path | None = None,
                 shots: bool = True, step: Callable[[str], None] | None = None) -> Cut:
    """Read a cut from any registered picture format (pure: no database).

    Every edit of the cut becomes a "shot" marker.  ``video`` is the picture editor's
    reference video of that cut (a QuickTime or MP4 made with the EDL): its length must
    match the cut's, and the shot changes ffmpeg's scene detection finds inside the
    events become markers too (at record frames).  A video file given as ``path`` is its
    own cut.  ``shots=False`` skips shot detection.  ``step(text)`` is told each step
    (reading, probing the video, detecting shot changes) as it starts.
    """
    path = Path(path)
    step = step or (lambda _text: None)
    if path.suffix.lower() in VIDEO_SUFFIXES:
        step(f"reading {path.name}" + (" and detecting its shot changes (ffmpeg)"
                                       if shots else ""))
        return read_video_cut(path, rate=rate, shots=shots)
    step(f"reading {path.name}")
    cut = reader_for("cut", path)(path, rate=rate)
    edits = edit_points(cut)
    if video is None:
        return _with_markers(cut, edits)
    step(f"counting the frames of {Path(video).name} (ffprobe)")
    info = probe(video)
    if info.rate.fps != rate.fps:
        raise ValidationError("the reference video runs at another rate", source=str(video),
                              field="rate", value=info.rate.name, valid=rate.name)
    if info.duration_frames != cut.duration_frames:
        raise ValidationError(
            f"the reference video is {info.duration_frames} frames but the cut "
            f"{path.name} is {cut.duration_frames}", source=str(video), field="length",
            value=str(info.duration_frames), valid=f"{cut.duration_frames} frames")
    if not shots:
        return _with_markers(cut, edits)
    step(f"detecting shot changes in {Path(video).name} (ffmpeg)")
    detected = [CutMarker(frame=cut.start_frame + m.frame, text=m.text, kind="shot")
                for m in detect_shots(video, info=info)]
    return _with_markers(cut, merge_shots(edits, detected))


def _with_markers(cut: Cut, markers: list[CutMarker]) -> Cut:
    return dataclasses.replace(cut, markers=tuple(sorted([*cut.markers, *markers],
                                                        key=lambda m: m.frame)))


def read_dialogue(paths: list[Path], *, rate: Rate, offsets: list[int],
                  cut_end: int | None = None) -> list[CutMarker]:
    """Subtitle files as dialogue markers, each shifted by its offset in frames; with
    ``cut_end`` (the cut's end frame) a subtitle starting later than the bound
    ``subtitle_after_cut`` after it is refused (subtitles of another, longer film)."""
    markers: list[CutMarker] = []
    for path, offset in zip(paths, offsets, strict=True):
        for m in reader_for("subtitles", path)(path, rate=rate):
            if cut_end is not None:
                past = float((m.frame + offset - cut_end) / rate.fps)
                check("subtitle_after_cut", max(past, 0.0), source=str(path),
                      field="subtitle start", what="subtitle start after the end of the cut")
            markers.append(
                CutMarker(
                    frame=m.frame + offset,
                    text=m.text,
                    kind=m.kind,
                    end_frame=None if m.end_frame is None else m.end_frame + offset,
                )
            )
    return markers
