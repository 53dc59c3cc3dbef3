"""Picture versions in a project: import a cut (EDL, XML, OTIO or video) as v1, v2, ...

Thin service functions: the reading is done by the format adapters (pure), the writing
here, in one transaction; a failed import leaves the project exactly as it was.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from filmscore.errors import NotFoundError, ValidationError
from filmscore.formats import VIDEO_SUFFIXES, reader_for
from filmscore.formats.video import detect_shots, probe
from filmscore.formats.video import read_cut as read_video_cut
from filmscore.model import Marker, PictureEvent, PictureVersion, Reel
from filmscore.spotting.cut import Cut, CutMarker, edit_points, merge_shots
from filmscore.store import transaction
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

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.duration_frames

    @property
    def label(self) -> str:
        return f"v{self.number}"


def read_picture(path: Path, *, rate: Rate, video: Path | None = None,
                 shots: bool = True) -> Cut:
    """Read a cut from any registered picture format (pure: no database).

    Every edit of the cut becomes a "shot" marker.  ``video`` is the picture editor's
    reference video of that cut (a QuickTime or MP4 made with the EDL): its length must
    match the cut's, and the shot changes ffmpeg's scene detection finds inside the
    events become markers too (at record frames).  A video file given as ``path`` is its
    own cut.  ``shots=False`` skips shot detection.
    """
    path = Path(path)
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return read_video_cut(path, rate=rate, shots=shots)
    cut = reader_for("cut", path)(path, rate=rate)
    edits = edit_points(cut)
    if video is None:
        return _with_markers(cut, edits)
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
    detected = [CutMarker(frame=cut.start_frame + m.frame, text=m.text, kind="shot")
                for m in detect_shots(video, info=info)]
    return _with_markers(cut, merge_shots(edits, detected))


def _with_markers(cut: Cut, markers: list[CutMarker]) -> Cut:
    return dataclasses.replace(cut, markers=tuple(sorted([*cut.markers, *markers],
                                                        key=lambda m: m.frame)))


def read_dialogue(paths: list[Path], *, rate: Rate, offsets: list[int]) -> list[CutMarker]:
    """Subtitle files as dialogue markers, each shifted by its offset in frames."""
    markers: list[CutMarker] = []
    for path, offset in zip(paths, offsets, strict=True):
        for m in reader_for("subtitles", path)(path, rate=rate):
            markers.append(
                CutMarker(
                    frame=m.frame + offset,
                    text=m.text,
                    kind=m.kind,
                    end_frame=None if m.end_frame is None else m.end_frame + offset,
                )
            )
    return markers


def import_picture(pctx, path: Path, *, name: str | None = None, shots: bool = True,
                   video: Path | None = None,
                   subtitles: list[Path] | None = None, subtitle_offsets: list[int] | None = None,
                   note: str = "") -> PictureSummary:
    """Import a cut as the project's next picture version, all or nothing."""
    path = Path(path)
    rate = pctx.rate
    cut = read_picture(path, rate=rate, video=video, shots=shots)
    if cut.rate.fps != rate.fps or cut.rate.drop_frame != rate.drop_frame:
        raise ValidationError(
            f"picture is {cut.rate.name} fps but the project is {rate.name}",
            source=str(path), field="rate", value=cut.rate.name,
            valid=f"a cut at {rate.name} (convert it, or make a project at {cut.rate.name})",
        )
    extra: list[CutMarker] = []
    if subtitles:
        offsets = subtitle_offsets or [cut.start_frame] * len(subtitles)
        extra = read_dialogue(list(subtitles), rate=rate, offsets=offsets)
    with pctx.media.adding(), transaction(pctx.engine) as session:
        media_hash = pctx.media.put(path, path.suffix.lower())
        video_hash = None if video is None else pctx.media.put(video, Path(video).suffix.lower())
        number = (
            session.scalar(
                select(func.max(PictureVersion.number)).where(
                    PictureVersion.project_id == pctx.project_id
                )
            )
            or 0
        ) + 1
        pv = PictureVersion(
            project_id=pctx.project_id,
            number=number,
            name=name or cut.name or path.stem,
            source_name=path.name,
            source_kind=cut.source_kind,
            media_hash=media_hash,
            rate_name=rate.name,
            start_frame=cut.start_frame,
            duration_frames=cut.duration_frames,
            video_hash=video_hash,
            note=note,
        )
        pv.reels = [
            Reel(number=r.number, name=r.name, start_frame=r.start_frame,
                 duration_frames=r.duration_frames)
            for r in cut.reels
        ]
        pv.events = [
            PictureEvent(
                index=e.index, track=e.track, kind=e.kind, clip_name=e.clip_name,
                source_reel=e.source_reel, source_in_frame=e.source_in,
                source_out_frame=e.source_out, record_in_frame=e.record_in,
                record_out_frame=e.record_out,
            )
            for e in cut.events
        ]
        pv.markers = [
            Marker(frame=m.frame, end_frame=m.end_frame, kind=m.kind, text=m.text)
            for m in sorted([*cut.markers, *extra], key=lambda m: (m.frame, m.kind))
        ]
        session.add(pv)
        session.flush()
        return _summary(pv)


def _summary(pv: PictureVersion) -> PictureSummary:
    counts: dict[str, int] = {}
    for m in pv.markers:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    return PictureSummary(
        number=pv.number,
        name=pv.name,
        source_name=pv.source_name,
        source_kind=pv.source_kind,
        rate=pv.rate,
        start_frame=pv.start_frame,
        duration_frames=pv.duration_frames,
        events=len(pv.events),
        reels=tuple((r.number, r.name, r.start_frame, r.duration_frames) for r in pv.reels),
        markers=counts,
    )


def _version(session, project_id: int, number: int | None) -> PictureVersion:
    query = select(PictureVersion).where(PictureVersion.project_id == project_id)
    if number is None:
        query = query.order_by(PictureVersion.number.desc()).limit(1)
    else:
        query = query.where(PictureVersion.number == number)
    pv = session.scalars(query).first()
    if pv is None:
        if number is None:
            raise NotFoundError("the project has no picture yet; import one with "
                                "'filmscore picture import FILE'")
        raise NotFoundError(f"no picture version v{number} in this project")
    return pv


def list_pictures(pctx) -> list[PictureSummary]:
    with transaction(pctx.engine) as session:
        versions = session.scalars(
            select(PictureVersion)
            .where(PictureVersion.project_id == pctx.project_id)
            .order_by(PictureVersion.number)
        ).all()
        return [_summary(pv) for pv in versions]


def picture_summary(pctx, number: int | None = None) -> PictureSummary:
    """The given picture version, or the latest one."""
    with transaction(pctx.engine) as session:
        return _summary(_version(session, pctx.project_id, number))


def picture_bounds(session, project_id: int) -> tuple[int, int] | None:
    """(start, end) frames of the latest picture version, or None when there is none."""
    pv = session.scalars(
        select(PictureVersion)
        .where(PictureVersion.project_id == project_id)
        .order_by(PictureVersion.number.desc())
        .limit(1)
    ).first()
    if pv is None:
        return None
    return pv.start_frame, pv.start_frame + pv.duration_frames


def picture_markers(pctx, number: int | None = None, kinds: tuple[str, ...] = ()
                    ) -> list[CutMarker]:
    with transaction(pctx.engine) as session:
        pv = _version(session, pctx.project_id, number)
        return [
            CutMarker(frame=m.frame, text=m.text, kind=m.kind, end_frame=m.end_frame)
            for m in pv.markers
            if not kinds or m.kind in kinds
        ]



def picture_video(pctx, number: int | None = None) -> tuple[Path, int]:
    """The stored video of a picture version (its reference video, or the video that was
    imported as the cut) and the project frame of the video's first frame."""
    with transaction(pctx.engine) as session:
        pv = _version(session, pctx.project_id, number)
        digest = pv.video_hash or (pv.media_hash if pv.source_kind == "video" else None)
        if digest is None:
            raise NotFoundError(
                f"picture v{pv.number} has no video: import the cut with its reference video "
                f"('filmscore picture import CUT.edl --video REEL.mov')")
        return pctx.media.path(digest), pv.start_frame
