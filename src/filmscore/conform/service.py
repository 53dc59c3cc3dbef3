"""Conform in the project (thin service functions): compare two stored picture versions
into a numbered change list, import one from CSV, and apply one: every cue, sync point
and tempo map follows the picture in one transaction, and the cues it flagged are kept
as conform flags.

Which picture the cues follow: the new version of the change list applied last; before
any was applied, the picture version they were spotted on (the latest one imported
before the project's first cue was added; v1 when the cues came first), unless the
caller names it (``cues_on``).  A change list is applied once, and only when its old
version is the picture the cues follow: so no cue is ever moved twice for one edit, or
by a change list between two cuts it is not on.

What an apply moved (each cue's old and new start and end, each sync point's old and
new frame, each tempo map's bar 1) is kept in the change list's ``data`` under
``"applied"`` (the JSON column: no migration needed), so the change is auditable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from filmscore.conform.changes import (  # noqa: F401 (the codecs: re-exported)
    ChangeList,
    Flag,
    Hit,
    Proposal,
    flag_from_json,
    flag_to_json,
    proposal_from_json,
)
from filmscore.conform.follow import CueFollow, CueIn, SyncIn, follow
from filmscore.errors import ConflictError, InputError, NotFoundError, ValidationError
from filmscore.model import ChangeList as ChangeListRow
from filmscore.model import ConformFlag, Cue, PictureVersion
from filmscore.model.base import utcnow
from filmscore.spotting.cut import Cut, CutEvent, CutMarker
from filmscore.spotting.cut import Reel as CutReel
from filmscore.store import transaction
from filmscore.sync.tempomap import TempoMap

#: flags that need no fix: listed, stored as "kept"
INFORMATIONAL = ("moved",)

#: change-list writers by format (module, function): ``function(change_list, path)``
#: the change-list formats written by ``export_change_list``
WRITERS = ("csv", "edl", "pdf", "html")


@dataclass(frozen=True)
class ChangeListInfo:
    """A stored change list as listed: its number, versions, when and by whom, counts."""

    number: int
    old_version: int | None
    new_version: int | None
    old_name: str
    new_name: str
    project: str
    changes: int
    created_at: datetime
    applied_at: datetime | None
    note: str
    author: str
    flags: int  # conform flags written by its apply
    open_flags: int

    @property
    def label(self) -> str:
        return f"change list {self.number}"


@dataclass(frozen=True)
class FlagView:
    """A flagged cue for the CLI and the web page."""

    id: int
    version: int
    cue: str
    cue_id: int
    reason: str
    status: str
    flag: Flag
    proposals: tuple[Proposal, ...]
    chosen: int | None

    @property
    def hits(self) -> tuple[Hit, ...]:
        return self.flag.hits

    @property
    def worst_off(self) -> int:
        return self.flag.worst_off

    @property
    def needs_fix(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class Applied:
    """What an apply did: the change list, every cue followed, the flags written."""

    info: ChangeListInfo
    follows: tuple[CueFollow, ...]
    flags: tuple[FlagView, ...]

    @property
    def moved(self) -> int:
        return sum(1 for f in self.follows if f.changed)


# --- JSON of the contract's values -------------------------------------------------------


# --- reading ----------------------------------------------------------------------------


def project_label(pctx) -> str:
    """The project a change list is made for: "Title #id"."""
    return f"{pctx.title} #{pctx.project_id}"


def _pv(session, project_id: int, number: int) -> PictureVersion:
    pv = session.scalars(select(PictureVersion).where(
        PictureVersion.project_id == project_id, PictureVersion.number == number)).first()
    if pv is None:
        known = ", ".join(f"v{n}" for n in session.scalars(
            select(PictureVersion.number).where(PictureVersion.project_id == project_id)
            .order_by(PictureVersion.number))) or "none yet"
        raise NotFoundError(f"no picture version v{number} in this project (versions: "
                            f"{known})")
    return pv


def cut_of(pv: PictureVersion) -> Cut:
    """A stored picture version as the Cut it was read from (a dissolve's length is not
    stored: its events come back as cuts of their kind with no transition frames)."""
    return Cut(
        name=pv.name, rate=pv.rate,
        events=tuple(CutEvent(index=e.index, clip_name=e.clip_name, source_reel=e.source_reel,
                              source_in=e.source_in_frame, source_out=e.source_out_frame,
                              record_in=e.record_in_frame, record_out=e.record_out_frame,
                              track=e.track, kind=e.kind) for e in pv.events),
        markers=tuple(CutMarker(frame=m.frame, text=m.text, kind=m.kind, end_frame=m.end_frame)
                      for m in pv.markers),
        reels=tuple(CutReel(r.number, r.name, r.start_frame, r.duration_frames)
                    for r in pv.reels),
        start_frame=pv.start_frame, duration_frames=pv.duration_frames,
        source=pv.source_name, source_kind=pv.source_kind)


def _row(session, project_id: int, number: int) -> ChangeListRow:
    row = session.scalars(select(ChangeListRow).where(
        ChangeListRow.project_id == project_id, ChangeListRow.number == number)).first()
    if row is None:
        known = ", ".join(str(n) for n in session.scalars(
            select(ChangeListRow.number).where(ChangeListRow.project_id == project_id)
            .order_by(ChangeListRow.number))) or "none yet"
        raise NotFoundError(f"no change list {number} in this project (change lists: "
                            f"{known}; make one with 'filmscore conform compare OLD NEW')")
    return row


def _info(session, row: ChangeListRow) -> ChangeListInfo:
    data = row.data
    statuses = list(session.scalars(select(ConformFlag.status).where(
        ConformFlag.change_list_id == row.id)))
    return ChangeListInfo(
        number=row.number, old_version=data.get("old_version"),
        new_version=data.get("new_version"), old_name=data.get("old_name", ""),
        new_name=data.get("new_name", ""), project=data.get("project", ""),
        changes=len(data.get("changes", ())), created_at=row.created_at,
        applied_at=row.applied_at, note=row.note or "", author=row.author or "",
        flags=len(statuses), open_flags=sum(1 for s in statuses if s == "open"))


def _store(session, pctx, changes: ChangeList, *, old_id: int | None, new_id: int | None,
           note: str, author: str) -> ChangeListRow:
    number = (session.scalar(select(func.max(ChangeListRow.number)).where(
        ChangeListRow.project_id == pctx.project_id)) or 0) + 1
    row = ChangeListRow(project_id=pctx.project_id, number=number, old_version_id=old_id,
                        new_version_id=new_id, data=changes.to_json(), note=note,
                        author=author)
    session.add(row)
    session.flush()
    return row


# --- compare and import ----------------------------------------------------------------


def compare(pctx, old: int, new: int, *, convert: bool = False, note: str = "",
            author: str = "") -> tuple[ChangeListInfo, ChangeList]:
    """Compare picture versions ``old`` and ``new`` of the project and store the change
    list (numbered from 1); nothing is moved until it is applied."""
    from filmscore.conform.compare import compare_cuts

    if old == new:
        raise InputError("compare two different picture versions", field="versions",
                         value=f"v{old} and v{new}", valid="an old and a new version")
    with transaction(pctx.engine) as session:
        old_pv = _pv(session, pctx.project_id, old)
        new_pv = _pv(session, pctx.project_id, new)
        changes = compare_cuts(cut_of(old_pv), cut_of(new_pv), convert=convert,
                               old_version=old, new_version=new,
                               project=project_label(pctx))
        row = _store(session, pctx, changes, old_id=old_pv.id, new_id=new_pv.id,
                     note=note, author=author)
        return _info(session, row), changes


def import_change_list(pctx, csv_path: Path, *, note: str = "", author: str = ""
                       ) -> tuple[ChangeListInfo, ChangeList]:
    """Store a change list read from CSV (as ``conform compare --csv`` writes it).  It
    must be made for this project ("Title #id") and name picture versions it has."""
    from filmscore.formats.changelist_csv import read_changelist_csv

    csv_path = Path(csv_path)
    changes = read_changelist_csv(csv_path, rate=pctx.rate)
    here = project_label(pctx)
    if changes.project and changes.project != here:
        raise ValidationError(
            f"change list made for another project ({changes.project}), not this one",
            source=str(csv_path), field="project", value=changes.project,
            valid=f"a change list of {here}")
    if changes.rate_name != pctx.rate.name:
        raise ValidationError("change list rate differs from the project's",
                              source=str(csv_path), field="rate", value=changes.rate_name,
                              valid=pctx.rate.name)
    with transaction(pctx.engine) as session:
        ids = []
        for which, number in (("old", changes.old_version), ("new", changes.new_version)):
            if number is None:
                ids.append(None)
                continue
            pv = session.scalars(select(PictureVersion).where(
                PictureVersion.project_id == pctx.project_id,
                PictureVersion.number == number)).first()
            if pv is None:
                raise NotFoundError(f"{csv_path}: the change list's {which} picture is v"
                                    f"{number}, which this project does not have: import "
                                    f"that cut first ('filmscore picture import FILE')")
            ids.append(pv.id)
        row = _store(session, pctx, changes, old_id=ids[0], new_id=ids[1], note=note,
                     author=author)
        return _info(session, row), changes


def change_lists(pctx) -> list[ChangeListInfo]:
    with transaction(pctx.engine) as session:
        rows = session.scalars(select(ChangeListRow).where(
            ChangeListRow.project_id == pctx.project_id).order_by(ChangeListRow.number))
        return [_info(session, r) for r in rows]


def get_change_list(pctx, number: int) -> tuple[ChangeListInfo, ChangeList]:
    with transaction(pctx.engine) as session:
        row = _row(session, pctx.project_id, number)
        return _info(session, row), ChangeList.from_json(row.data)


def export_change_list(pctx, number: int, **paths: Path | None) -> list[Path]:
    """Write change list ``number`` in each format given (``csv=``, ``edl=``, ``pdf=``,
    ``html=``: a path or None); the paths written.  The change EDL is the new cut with a
    comment at each change (the new picture version's events)."""
    from filmscore.formats.changelist_csv import write_changelist_csv
    from filmscore.formats.changelist_edl import write_changelist_edl
    from filmscore.formats.changelist_html import write_changelist_html
    from filmscore.formats.changelist_pdf import write_changelist_pdf

    unknown = set(paths) - set(WRITERS)
    if unknown:
        raise InputError("no such change-list format", field="format",
                         value=sorted(unknown)[0], valid=", ".join(WRITERS))
    _info, changes = get_change_list(pctx, number)
    title = pctx.title
    written = []
    for fmt, path in paths.items():
        if path is None:
            continue
        path = Path(path)
        if fmt == "csv":
            written.append(Path(write_changelist_csv(changes, path)))
        elif fmt == "edl":
            if changes.new_version is None:
                raise InputError("a change EDL needs the new cut, and this change list was "
                                 "imported without it", field="edl", value=str(path),
                                 valid="csv, pdf or html")
            with transaction(pctx.engine) as session:
                new_cut = cut_of(_pv(session, pctx.project_id, changes.new_version))
            written.append(Path(write_changelist_edl(changes, new_cut, path)))
        elif fmt == "pdf":
            written.append(Path(write_changelist_pdf(changes, path, title=title)))
        else:
            written.append(Path(write_changelist_html(changes, path, title=title)))
    return written


# --- apply ------------------------------------------------------------------------------


def cues_follow(pctx) -> int | None:
    """The picture version the project's cues follow now (None: no cue and no change list
    applied yet: any)."""
    with transaction(pctx.engine) as session:
        return _following(session, pctx.project_id)


def _following(session, project_id: int) -> int | None:
    applied = session.scalars(select(ChangeListRow).where(
        ChangeListRow.project_id == project_id, ChangeListRow.applied_at.is_not(None))
        .order_by(ChangeListRow.applied_at.desc(), ChangeListRow.number.desc())).first()
    if applied is not None:
        return applied.data.get("new_version")
    first_cue = session.scalar(select(func.min(Cue.created_at)).where(
        Cue.project_id == project_id))
    if first_cue is None:
        return None
    before = session.scalar(select(func.max(PictureVersion.number)).where(
        PictureVersion.project_id == project_id, PictureVersion.imported_at <= first_cue))
    if before is not None:
        return before
    return session.scalar(select(func.min(PictureVersion.number)).where(
        PictureVersion.project_id == project_id))


def _cue_in(row: Cue) -> CueIn:
    tmap = None if row.tempo_map is None else TempoMap.from_dict(row.tempo_map.data)
    return CueIn(cue=row.number, start_frame=row.start_frame, end_frame=row.end_frame,
                 sync_points=tuple(SyncIn(frame=s.frame, kind=s.kind, id=s.id,
                                          description=s.description or "")
                                   for s in sorted(row.sync_points,
                                                   key=lambda s: (s.frame, s.id))),
                 tempo_map=tmap, id=row.id)


def apply(pctx, number: int, *, author: str = "", cues_on: int | None = None) -> Applied:
    """Apply change list ``number``: every cue, sync point and tempo map follows the
    picture, all in one transaction; flags are written for the cues cut into, whose hits
    moved, that were deleted (status "open") or moved whole ("kept": nothing to fix).

    Refused when it was applied already, when its rate is not the project's, or when its
    old picture version is not the one the cues follow (``cues_on`` names that version
    when the project cannot tell: only before any change list was applied)."""
    with transaction(pctx.engine) as session:
        row = _row(session, pctx.project_id, number)
        changes = ChangeList.from_json(row.data)
        if row.applied_at is not None:
            raise ConflictError(f"change list {number} was applied already (on "
                                f"{row.applied_at:%Y-%m-%d %H:%M} UTC); a change list "
                                f"moves the cues once")
        if changes.rate_name != pctx.rate.name:
            raise ValidationError(f"change list {number} is at {changes.rate_name} fps but "
                                  f"the project is at {pctx.rate.name}", field="rate",
                                  value=changes.rate_name, valid=pctx.rate.name)
        if changes.old_version is None:
            raise ValidationError(f"change list {number} names no old picture version, so "
                                  f"the cues cannot be checked against it",
                                  field="old_version", valid="a change list made by "
                                  "'filmscore conform compare OLD NEW'")
        following = _following(session, pctx.project_id)
        if cues_on is not None:
            if _applied_any(session, pctx.project_id) and cues_on != following:
                raise InputError(f"the cues follow picture v{following} (change lists "
                                 f"applied say so); --cues-on cannot change that",
                                 field="cues_on", value=f"v{cues_on}", valid=f"v{following}")
            _pv(session, pctx.project_id, cues_on)
            following = cues_on
        if following is not None and following != changes.old_version:
            raise ValidationError(
                f"change list {number} goes from v{changes.old_version} to "
                f"v{changes.new_version} but the cues follow picture v{following}",
                field="old_version", value=f"v{changes.old_version}",
                valid=f"a change list from v{following} ('filmscore conform compare "
                      f"{following} NEW'), or --cues-on when the cues are on another version")
        rows = list(session.scalars(select(Cue).where(Cue.project_id == pctx.project_id)
                                    .order_by(Cue.start_frame, Cue.number)))
        new_pv = _pv(session, pctx.project_id, changes.new_version) \
            if changes.new_version is not None else None
        picture = None if new_pv is None else (new_pv.start_frame, new_pv.end_frame)
        follows = follow(changes, [_cue_in(r) for r in rows], picture)
        moves = []
        flags = []
        for cue_row, result in zip(rows, follows, strict=True):
            if result.changed:
                moves.append(_move(cue_row, result))
            if result.flag is not None:
                flag = ConformFlag(change_list_id=row.id, cue_id=cue_row.id,
                                   reason=result.flag.reason, data=flag_to_json(result.flag),
                                   proposals=[], chosen=None, author=author,
                                   status="kept" if result.flag.reason in INFORMATIONAL
                                   else "open")
                session.add(flag)
                flags.append((flag, cue_row.number))
        row.applied_at = utcnow()
        data = dict(row.data)
        data["applied"] = {"at": row.applied_at.isoformat(), "author": author,
                           "cues_followed": following, "moves": moves}
        row.data = data
        session.flush()
        views = tuple(_view(flag, cue) for flag, cue in flags)
        return Applied(_info(session, row), tuple(follows), views)


def _applied_any(session, project_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(ChangeListRow).where(
        ChangeListRow.project_id == project_id, ChangeListRow.applied_at.is_not(None))) > 0


def _move(row: Cue, result: CueFollow) -> dict:
    """Move one cue row as ``result`` says; what moved, as the audit record keeps it."""
    record: dict = {"cue": row.number, "cue_id": row.id,
                    "start": [row.start_frame, result.new_start],
                    "end": [row.end_frame, result.new_end], "sync": [], "tempo_start": None}
    row.start_frame, row.end_frame = result.new_start, result.new_end
    by_id = {s.id: s for s in row.sync_points}
    record["removed"] = []
    for sync in result.syncs:
        point = by_id[sync.sync.id]
        deleted = result.flag is not None and result.flag.reason == "deleted"
        if sync.new_frame is None and not deleted:
            # its picture was cut out: the moment is gone from the film, so is the hit
            # (the flag keeps it, as cut out, and so does this record); a deleted cue,
            # kept whole where its picture was for the user to remove or move, keeps
            # its hits with it
            record["removed"].append([point.id, point.frame, point.kind, point.description])
            row.sync_points.remove(point)
            continue
        if point.frame != sync.stored_frame:
            record["sync"].append([point.id, point.frame, sync.stored_frame])
            point.frame = sync.stored_frame
    if row.tempo_map is not None and result.tempo_map is not None:
        data = dict(row.tempo_map.data)
        if int(data["start_frame"]) != result.tempo_map.start_frame:
            from sqlalchemy.orm import object_session

            from filmscore.model import Take

            record["tempo_start"] = [int(data["start_frame"]), result.tempo_map.start_frame]
            data["start_frame"] = result.tempo_map.start_frame
            old_version = row.tempo_map.version
            row.tempo_map.data = data
            session = object_session(row)
            session.flush()  # the map's new version number
            # the music is the same, only its place in the film moved: a take played
            # from the map before the move is still a take of it (it slides with the cue);
            # what a fix changes later is a pickup of the bars it changed
            takes = session.scalars(select(Take).where(
                Take.cue_id == row.id, Take.tempo_map_version == old_version)).all()
            for take in takes:
                take.tempo_map_version = row.tempo_map.version
            record["takes_moved"] = [t.id for t in takes]
    return record


# --- flags ------------------------------------------------------------------------------


def _view(flag: ConformFlag, cue: str) -> FlagView:
    return FlagView(id=flag.id, version=flag.version, cue=cue, cue_id=flag.cue_id,
                    reason=flag.reason, status=flag.status, flag=flag_from_json(flag.data),
                    proposals=tuple(proposal_from_json(p) for p in flag.proposals or ()),
                    chosen=flag.chosen)


def flags(pctx, number: int) -> list[FlagView]:
    """The cues change list ``number`` flagged, in picture order (new start) with the
    fixes proposed and the one chosen; empty until it is applied."""
    with transaction(pctx.engine) as session:
        row = _row(session, pctx.project_id, number)
        found = session.execute(select(ConformFlag, Cue.number).join(
            Cue, Cue.id == ConformFlag.cue_id).where(ConformFlag.change_list_id == row.id)
            ).all()
        views = [_view(f, n) for f, n in found]
        return sorted(views, key=lambda v: (v.flag.new_start if v.flag.new_start is not None
                                            else v.flag.old_start, v.cue))
