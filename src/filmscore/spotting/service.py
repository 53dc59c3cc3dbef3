"""The spotting stage in the project (thin service functions over the database and the
media store): picture versions (import a cut, EDL, XML, OTIO or video, as v1, v2, ...; a
failed import leaves the project exactly as it was) and the cue list (add, edit, move,
remove, renumber, import).

The reading is done by the format adapters and ``spotting.picture`` (pure); every change
to the cue list reads the whole list, checks the result with the pure rules of
``spotting.cues`` (``validate_cues``) and writes it in one transaction, so a refused
change writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from filmscore.errors import ConflictError, InputError, NotFoundError, ValidationError
from filmscore.limits import check
from filmscore.model import Cue, Marker, PictureEvent, PictureVersion, Reel, SyncPoint
from filmscore.spotting.cues import (
    CueNumber,
    CueSpec,
    SyncSpec,
    parse_cue_number,
    parse_cue_status,
    renumber,
    validate_cues,
)
from filmscore.spotting.cut import CutMarker
from filmscore.spotting.picture import PictureSummary, read_dialogue, read_picture
from filmscore.store import locked, refuse_stale, transaction

# --- picture versions ---------------------------------------------------------------------


def import_picture(pctx, path: Path, *, name: str | None = None, shots: bool = True,
                   video: Path | None = None,
                   subtitles: list[Path] | None = None, subtitle_offsets: list[int] | None = None,
                   note: str = "", progress=None) -> PictureSummary:
    """Import a cut as the project's next picture version, all or nothing.
    ``progress(text)`` is told each step as it starts."""
    path = Path(path)
    rate = pctx.rate
    step = progress or (lambda _text: None)
    cut = read_picture(path, rate=rate, video=video, shots=shots, step=step)
    if cut.rate.fps != rate.fps or cut.rate.drop_frame != rate.drop_frame:
        raise ValidationError(
            f"picture is {cut.rate.name} fps but the project is {rate.name}",
            source=str(path), field="rate", value=cut.rate.name,
            valid=f"a cut at {rate.name} (convert it, or make a project at {cut.rate.name})",
        )
    extra: list[CutMarker] = []
    if subtitles:
        step("reading the subtitles")
        offsets = subtitle_offsets or [cut.start_frame] * len(subtitles)
        extra = read_dialogue(list(subtitles), rate=rate, offsets=offsets,
                              cut_end=cut.start_frame + cut.duration_frames)
    markers = sorted([*cut.markers, *extra], key=lambda m: (m.frame, m.kind))
    _check_storable(cut, markers, path)
    step("storing the picture version")
    with pctx.media.adding():
        media_hash = pctx.media.put(path, path.suffix.lower())
        video_hash = None if video is None else pctx.media.put(video, Path(video).suffix.lower())
        # two imports at once both see the same last number; the one that loses takes the
        # next number rather than telling the user, who chose none, to choose another
        for attempt in range(_NUMBER_TRIES):
            number = 0
            try:
                with transaction(pctx.engine) as session:
                    number = _next_number(session, pctx.project_id)
                    pv = _new_version(session, pctx, path, cut, markers, number=number,
                                      name=name, note=note, media_hash=media_hash,
                                      video_hash=video_hash)
                    summary = replace(_summary(pv), warnings=cut.warnings)
                return summary
            except ConflictError:
                if attempt + 1 == _NUMBER_TRIES or not _number_taken(pctx, number):
                    raise
    raise AssertionError("unreachable")  # pragma: no cover


#: how often an import whose next number was taken meanwhile is numbered again: each
#: lost try means another picture version was stored, so this bounds only how many
#: versions are imported at one moment (as ``recording.takes.NUMBER_TRIES``: 10 tries were
#: seen lost in a row there, under load)
_NUMBER_TRIES = 100


def _number_taken(pctx, number: int) -> bool:
    with transaction(pctx.engine) as session:
        return session.scalar(select(PictureVersion.id).where(
            PictureVersion.project_id == pctx.project_id,
            PictureVersion.number == number)) is not None


def _next_number(session, project_id: int) -> int:
    last = session.scalar(select(func.max(PictureVersion.number)).where(
        PictureVersion.project_id == project_id))
    return (last or 0) + 1


def _new_version(session, pctx, path: Path, cut, markers: list[CutMarker], *, number: int,
                 name, note, media_hash, video_hash) -> PictureVersion:
    pv = PictureVersion(
        project_id=pctx.project_id,
        number=number,
        name=name or cut.name or path.stem,
        source_name=path.name,
        source_kind=cut.source_kind,
        media_hash=media_hash,
        rate_name=pctx.rate.name,
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
    pv.markers = [Marker(frame=m.frame, end_frame=m.end_frame, kind=m.kind, text=m.text)
                  for m in markers]
    session.add(pv)
    session.flush()
    return pv


def _check_storable(cut, markers: list[CutMarker], path: Path) -> None:
    """The database's rules, checked on the cut before it is stored, so that a refusal
    names the file, the event or marker and its value, not a rule of the schema
    (ck_markers_end_after_frame); and every frame within a day, never an integer too
    large for the database."""
    where = str(path)
    for e in cut.events:
        field = f"event {e.index}"
        check("event_number", e.index, source=where, field=field, what="event number")
        for what, frame in (("source in", e.source_in), ("source out", e.source_out),
                            ("record in", e.record_in), ("record out", e.record_out)):
            check("frame_offset", frame, source=where, field=f"{field} {what}",
                  what=f"{what} (frames)")
        if e.record_out < e.record_in:
            raise ValidationError("record out before record in", source=where, field=field,
                                  value=f"{e.record_in} to {e.record_out}",
                                  valid="record out >= record in")
    for m in markers:
        field = f"{m.kind} marker {m.text[:30]!r}"
        check("frame_offset", m.frame, source=where, field=field, what="marker frame")
        if m.end_frame is not None and m.end_frame <= m.frame:
            raise ValidationError("marker ends before it starts", source=where, field=field,
                                  value=f"frames {m.frame} to {m.end_frame}",
                                  valid="an end after the start (or none)")
    check("frame", cut.duration_frames, source=where, field="length",
          what="the cut's length (frames)")


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


# --- the cue list ------------------------------------------------------------------------

#: Cue fields a user may edit, with the column each maps to.
EDITABLE = {
    "title": "title",
    "notes": "notes",
    "mood": "mood",
    "instrumentation": "instrumentation",
    "temp_track": "temp_track",
    "temp_in": "temp_in_frame",
    "temp_out": "temp_out_frame",
    "status": "status",
}


def spec_of(cue: Cue) -> CueSpec:
    return CueSpec(
        number=parse_cue_number(cue.number),
        title=cue.title,
        start_frame=cue.start_frame,
        end_frame=cue.end_frame,
        notes=cue.notes or "",
        mood=cue.mood or "",
        instrumentation=cue.instrumentation or "",
        temp_track=cue.temp_track or "",
        temp_in=cue.temp_in_frame,
        temp_out=cue.temp_out_frame,
        sync_points=tuple(
            SyncSpec(frame=s.frame, description=s.description or "", kind=s.kind,
                     weight=s.weight)
            for s in sorted(cue.sync_points, key=lambda s: (s.frame, s.id or 0))
        ),
    )


def _cues(project_id: int, *, lock: bool = False):
    """The SELECT of a project's cues with their sync points: in the same statement (a
    joined load; a lazy load per cue made the list of 800 cues 801 statements), or under
    the write lock in a second one (PostgreSQL cannot lock the nullable side of an outer
    join FOR UPDATE)."""
    return (select(Cue).where(Cue.project_id == project_id)
            .options((selectinload if lock else joinedload)(Cue.sync_points)))


def _rows(session, project_id: int, *, lock: bool = False) -> list[Cue]:
    """The project's cues in picture order; with ``lock`` under the write lock (first in
    an edit's transaction: ``store.locked``), so that concurrent edits queue."""
    query = _cues(project_id, lock=lock).order_by(Cue.start_frame, Cue.number)
    return locked(session, query) if lock else list(session.scalars(query).unique().all())


def _find(rows: list[Cue], number: str | CueNumber) -> Cue:
    wanted = str(parse_cue_number(str(number)))
    for row in rows:
        if row.number == wanted:
            return row
    raise _no_such_cue(wanted, [r.number for r in rows[:12]])


def _lookup(session, project_id: int, number: str | CueNumber, *, lock: bool = False) -> Cue:
    """One cue by its number, loaded alone (with its sync points); ``lock`` as ``_rows``."""
    wanted = str(parse_cue_number(str(number)))
    query = _cues(project_id, lock=lock).where(Cue.number == wanted)
    found = locked(session, query) if lock else session.scalars(query).unique().all()
    row = found[0] if found else None
    if row is None:
        raise _no_such_cue(wanted, session.scalars(
            select(Cue.number).where(Cue.project_id == project_id)
            .order_by(Cue.start_frame, Cue.number).limit(12)).all())
    return row


def _no_such_cue(wanted: str, known: list[str]) -> NotFoundError:
    return NotFoundError(f"no cue {wanted} in this project "
                         f"(cues: {', '.join(known) or 'none yet'})")


def _apply(row: Cue, spec: CueSpec) -> None:
    row.number = str(spec.number)
    row.reel = spec.number.reel
    row.seq = spec.number.number
    row.insert = spec.number.insert
    row.source = spec.number.source
    row.title = spec.title
    row.start_frame = spec.start_frame
    row.end_frame = spec.end_frame
    row.notes = spec.notes
    row.mood = spec.mood
    row.instrumentation = spec.instrumentation
    row.temp_track = spec.temp_track
    row.temp_in_frame = spec.temp_in
    row.temp_out_frame = spec.temp_out
    # Sync points: keep rows whose frame is unchanged (their ids and versions), add the rest.
    existing = {(s.frame, s.kind, s.description): s for s in row.sync_points}
    kept = []
    for sp in spec.sync_points:
        hit = existing.pop((sp.frame, sp.kind, sp.description), None)
        if hit is None:
            hit = SyncPoint(frame=sp.frame, description=sp.description, kind=sp.kind,
                            weight=sp.weight)
        else:
            hit.weight = sp.weight
        kept.append(hit)
    row.sync_points = kept


def _check(session, pctx, specs: list[CueSpec], allow_overlap: bool,
           changed: list[CueSpec] | None = None) -> None:
    """Check the whole list; overlaps only where they involve a ``changed`` cue (if given).

    An overlap allowed once (``--allow-overlap``) must not block every later change.
    """
    bounds = picture_bounds(session, pctx.project_id)
    validate_cues(
        specs,
        picture_start=bounds[0] if bounds else None,
        picture_end=bounds[1] if bounds else None,
        allow_overlap=allow_overlap or changed is not None,
        rate=pctx.rate,
    )
    if allow_overlap or changed is None:
        return
    ids = {id(c) for c in changed}
    validate_cues(changed, picture_start=None, picture_end=None, rate=pctx.rate)
    for other in specs:
        if id(other) not in ids:
            validate_cues([other, *changed], picture_start=None, picture_end=None,
                          rate=pctx.rate)


def list_cues(pctx) -> list[CueSpec]:
    """Every cue of the project in picture order, as plain values."""
    with transaction(pctx.engine) as session:
        return [spec_of(r) for r in _rows(session, pctx.project_id)]


def get_cue(pctx, number: str) -> CueSpec:
    with transaction(pctx.engine) as session:
        return spec_of(_lookup(session, pctx.project_id, number))


def add_cue(pctx, spec: CueSpec, *, allow_overlap: bool = False) -> CueSpec:
    """Add one cue (with its sync points) after checking it against the whole list."""
    return import_cues(pctx, [spec], allow_overlap=allow_overlap)[0]


def import_cues(pctx, specs: list[CueSpec], *, replace_all: bool = False,
                allow_overlap: bool = False) -> list[CueSpec]:
    """Add many cues at once (a spotting import): all are written, or none.

    With ``replace_all`` the project's cue list is replaced by ``specs``.  Otherwise a
    cue whose number already exists is refused.
    """
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id, lock=True)
        current = [] if replace_all else [spec_of(r) for r in rows]
        _check(session, pctx, [*current, *specs], allow_overlap,
               changed=None if replace_all else list(specs))
        if replace_all:
            for r in rows:
                session.delete(r)
            session.flush()
        out = []
        for spec in specs:
            row = Cue(project_id=pctx.project_id)
            _apply(row, spec)
            session.add(row)
            out.append(spec)
        session.flush()
        return out


def edit_cue(pctx, number: str, *, new_number: str | None = None,
             allow_overlap: bool = False, read: Mapping[str, object] | None = None,
             expected_version: int | None = None, **changes) -> CueSpec:
    """Change a cue's fields (title, notes, mood, ...), or its number.

    ``read`` (field -> the value the editor read, e.g. a web form's) makes the edit
    per field: a field whose wanted value is the value read is left alone (someone else's
    change to it stays), and the edit is refused (ConflictError showing the value read,
    the value now and the value wanted) only when a field it changes was changed since.
    ``expected_version`` (the whole cue's version read) refuses any change since.  Without
    either the change is applied as asked.  The check and the write are one transaction
    under the write lock, so concurrent edits of different fields all succeed."""
    unknown = set(changes) - set(EDITABLE) - {"start_frame", "end_frame"}
    unknown |= set(read or {}) - set(EDITABLE) - {"start_frame", "end_frame", "number"}
    if unknown:
        raise InputError("cannot edit that field", field=sorted(unknown)[0],
                         valid=", ".join([*EDITABLE, "start", "end", "number"]))
    fields = {k: v for k, v in changes.items() if v is not None}
    if "status" in fields:
        fields["status"] = parse_cue_status(fields["status"])
    if new_number is not None:
        fields["number"] = parse_cue_number(new_number, field="number")
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id, lock=True)
        row = _find(rows, number)
        _expect(row, expected_version, f"cue {row.number}")
        spec = spec_of(row)
        if read is not None:
            seen = {k: _field_value(k, v) for k, v in read.items()}
            fields = {k: v for k, v in fields.items() if k not in seen or v != seen[k]}
            now = {k: row.status if k == "status" else getattr(spec, k) for k in fields}
            refuse_stale(f"cue {row.number}", {
                k: (seen[k], now[k], v) for k, v in fields.items()
                if k in seen and now[k] != seen[k] and now[k] != v},
                show=lambda k, v: _show_field(k, v, pctx.rate))
        if "status" in fields:
            row.status = fields.pop("status")
        new = replace(spec, **fields)
        others = [spec_of(r) for r in rows if r is not row]
        _check(session, pctx, [*others, new], allow_overlap, changed=[new])
        _apply(row, new)
        session.flush()
        return new


def move_cue(pctx, number: str, *, start_frame: int, end_frame: int | None = None,
             allow_overlap: bool = False) -> CueSpec:
    """Move a cue to a new start; its sync points and (unless given) its end move with it."""
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id, lock=True)
        row = _find(rows, number)
        spec = spec_of(row)
        delta = start_frame - spec.start_frame
        new = replace(
            spec,
            start_frame=start_frame,
            end_frame=spec.end_frame + delta if end_frame is None else end_frame,
            sync_points=tuple(replace(s, frame=s.frame + delta) for s in spec.sync_points),
        )
        others = [spec_of(r) for r in rows if r is not row]
        _check(session, pctx, [*others, new], allow_overlap, changed=[new])
        _apply(row, new)
        if row.tempo_map is not None:  # the music moves with the cue: bar 1 follows
            data = dict(row.tempo_map.data)
            data["start_frame"] = int(data["start_frame"]) + delta
            row.tempo_map.data = data
        session.flush()
        return new


def remove_cue(pctx, number: str) -> CueSpec:
    with transaction(pctx.engine) as session:
        row = _lookup(session, pctx.project_id, number, lock=True)
        spec = spec_of(row)
        session.delete(row)
        return spec


def renumber_cues(pctx, *, per_reel: bool = True, dry_run: bool = False) -> dict[str, str]:
    """Renumber every cue in picture order (after inserts); returns old -> new numbers."""
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id, lock=True)
        mapping = renumber([spec_of(r) for r in rows], per_reel=per_reel)
        if dry_run:
            return mapping
        # two passes so that swapping numbers never collides with the unique constraint
        olds = [row.number for row in rows]
        for i, row in enumerate(rows):
            row.number = f"__renumber_{i}"
        session.flush()
        for row, old in zip(rows, olds, strict=True):
            new = parse_cue_number(mapping.get(old, old))
            row.number = str(new)
            row.reel, row.seq, row.insert, row.source = (
                new.reel, new.number, new.insert, new.source)
        session.flush()
        return mapping


def add_sync(pctx, number: str, sync: SyncSpec) -> CueSpec:
    """Add a sync point to a cue (it must fall inside the cue, on a frame of its own)."""
    from filmscore.timecode import format_label

    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id, lock=True)
        row = _find(rows, number)
        spec = spec_of(row)
        for index, other in enumerate(spec.sync_points, 1):
            if other.frame == sync.frame:
                what = other.kind + (f" {other.description!r}" if other.description else "")
                raise ValidationError(
                    f"cue {row.number} already has a sync point on that frame (number "
                    f"{index}, {what})", field="sync",
                    value=format_label(sync.frame, pctx.rate),
                    valid=f"another frame, or replace it: 'filmscore sync remove {row.number} "
                          f"{index}' then add the one point that says both")
        new = replace(spec, sync_points=tuple(sorted([*spec.sync_points, sync],
                                                     key=lambda s: s.frame)))
        others = [spec_of(r) for r in rows if r is not row]
        _check(session, pctx, [*others, new], allow_overlap=True)
        _apply(row, new)
        session.flush()
        return new


def remove_sync(pctx, number: str, index: int) -> SyncSpec:
    """Remove the cue's sync point number ``index`` (1-based, in time order)."""
    with transaction(pctx.engine) as session:
        row = _lookup(session, pctx.project_id, number)
        spec = spec_of(row)
        if not 1 <= index <= len(spec.sync_points):
            raise InputError("no such sync point", field="index", value=str(index),
                             valid=f"1 to {len(spec.sync_points)}" if spec.sync_points
                             else f"none: cue {row.number} has no sync points")
        gone = spec.sync_points[index - 1]
        _apply(row, replace(spec, sync_points=tuple(
            s for i, s in enumerate(spec.sync_points, 1) if i != index)))
        session.flush()
        return gone



# --- editing with the version read (the web's forms) -----------------------------------

@dataclass(frozen=True)
class SyncRow:
    """A sync point as a form edits it: its id, the version read, its values."""

    id: int
    version: int
    sync: SyncSpec


@dataclass(frozen=True)
class CueForm:
    """A cue with the versions an editor must send back (a stale edit is refused)."""

    cue: CueSpec
    version: int
    status: str
    syncs: tuple[SyncRow, ...]


def _field_value(field: str, value):
    """A value read (a form's text, or the value itself) as the edit compares it."""
    if field == "number":
        return parse_cue_number(str(value), field="number")
    if field == "status":
        return parse_cue_status(str(value))
    if isinstance(value, str) and field not in ("start_frame", "end_frame", "temp_in",
                                                 "temp_out"):
        return value.strip()
    return value


def _show_field(field: str, value, rate) -> str:
    from filmscore.timecode import format_label

    if field in ("start_frame", "end_frame", "frame", "temp_in", "temp_out") and isinstance(
            value, int):
        return format_label(value, rate)
    return repr(value) if isinstance(value, str) else str(value)


def _expect(row, expected: int | None, what: str) -> None:
    if expected is not None and row.version != expected:
        raise ConflictError(f"{what} was changed by someone else since you read it "
                            f"(version {expected}, now {row.version}); nothing was saved: "
                            f"reload and make your change again")


def cue_form(pctx, number: str) -> CueForm:
    """The cue, its status, its version and its sync points' ids and versions."""
    with transaction(pctx.engine) as session:
        row = _lookup(session, pctx.project_id, number)
        syncs = sorted(row.sync_points, key=lambda s: (s.frame, s.id or 0))
        return CueForm(spec_of(row), row.version, row.status, tuple(
            SyncRow(s.id, s.version, SyncSpec(frame=s.frame, description=s.description or "",
                                              kind=s.kind, weight=s.weight))
            for s in syncs))


def change_sync(pctx, number: str, sync_id: int, *, version: int | None = None,
                read: SyncSpec | None = None, sync: SyncSpec | None) -> CueSpec:
    """Change the cue's sync point ``sync_id`` to ``sync``'s frame, kind and description
    (its weight is kept), or remove it (``sync`` None).

    With ``read`` (the point as the editor read it) the change is per field: a field left
    as read is not written, and only a field changed since it was read and changed by
    this edit too is a conflict (ConflictError showing the value read, now and wanted); a
    removal is refused when anything of the point changed.  With ``version`` instead, any
    change since is refused.  A point removed meanwhile is always a conflict."""
    from filmscore.timecode import format_label

    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id, lock=True)
        row = _find(rows, number)
        point = next((s for s in row.sync_points if s.id == sync_id), None)
        if point is None:
            raise ConflictError(f"that sync point of cue {row.number} was removed by someone "
                                f"else since you read it; nothing was saved: reload")
        what = f"the sync point at {format_label(point.frame, pctx.rate)}"
        if read is None:
            _expect(point, version, what)
        now = {"frame": point.frame, "kind": point.kind,
               "description": point.description or ""}
        seen = {} if read is None else {"frame": read.frame, "kind": read.kind,
                                        "description": read.description}
        show = lambda k, v: _show_field(k, v, pctx.rate)  # noqa: E731
        if sync is None:
            refuse_stale(what, {k: (seen[k], now[k], "(removed)") for k in seen
                                if now[k] != seen[k]}, show=show)
            row.sync_points = [s for s in row.sync_points if s is not point]
            session.flush()
            return spec_of(row)
        wanted = {"frame": sync.frame, "kind": sync.kind, "description": sync.description}
        if read is not None:
            wanted = {k: v for k, v in wanted.items() if v != seen[k]}
            refuse_stale(what, {k: (seen[k], now[k], v) for k, v in wanted.items()
                                if now[k] != seen[k] and now[k] != v}, show=show)
            sync = replace(SyncSpec(frame=now["frame"], kind=now["kind"],
                                    description=now["description"]), **wanted)
        for other in row.sync_points:
            if other is not point and other.frame == sync.frame:
                raise ValidationError(f"cue {row.number} already has a sync point on that "
                                      f"frame", field="timecode",
                                      value=format_label(sync.frame, pctx.rate),
                                      valid="another frame")
        point.frame, point.kind = sync.frame, sync.kind
        point.description = sync.description
        others = [spec_of(r) for r in rows if r is not row]
        _check(session, pctx, [*others, spec_of(row)], allow_overlap=True)
        session.flush()
        return spec_of(row)
