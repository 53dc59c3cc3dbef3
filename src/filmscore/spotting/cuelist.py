"""The project's cue list in the database: add, edit, move, remove, renumber, import.

Thin service functions over the pure rules in filmscore.spotting.cues: every change
reads the whole list, checks the result with ``validate_cues`` and writes it in one
transaction, so a refused change writes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from filmscore.errors import InputError, NotFoundError
from filmscore.model import Cue, SyncPoint
from filmscore.spotting.cues import (
    CueNumber,
    CueSpec,
    SyncSpec,
    parse_cue_number,
    parse_cue_status,
    renumber,
    validate_cues,
)
from filmscore.spotting.picture import picture_bounds
from filmscore.store import transaction

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


def _rows(session, project_id: int) -> list[Cue]:
    return list(
        session.scalars(
            select(Cue).where(Cue.project_id == project_id).order_by(Cue.start_frame, Cue.number)
        ).all()
    )


def _find(rows: list[Cue], number: str | CueNumber) -> Cue:
    wanted = str(parse_cue_number(str(number)))
    for row in rows:
        if row.number == wanted:
            return row
    known = ", ".join(r.number for r in rows[:12]) or "none yet"
    raise NotFoundError(f"no cue {wanted} in this project (cues: {known})")


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
        return spec_of(_find(_rows(session, pctx.project_id), number))


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
        rows = _rows(session, pctx.project_id)
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
             allow_overlap: bool = False, **changes) -> CueSpec:
    """Change a cue's fields (title, notes, mood, ...), or its number."""
    unknown = set(changes) - set(EDITABLE) - {"start_frame", "end_frame"}
    if unknown:
        raise InputError("cannot edit that field", field=sorted(unknown)[0],
                         valid=", ".join([*EDITABLE, "start", "end", "number"]))
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id)
        row = _find(rows, number)
        spec = spec_of(row)
        fields = {k: v for k, v in changes.items() if v is not None}
        if "status" in fields:
            row.status = parse_cue_status(fields.pop("status"))
        if new_number is not None:
            fields["number"] = parse_cue_number(new_number, field="number")
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
        rows = _rows(session, pctx.project_id)
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
        row = _find(_rows(session, pctx.project_id), number)
        spec = spec_of(row)
        session.delete(row)
        return spec


def renumber_cues(pctx, *, per_reel: bool = True, dry_run: bool = False) -> dict[str, str]:
    """Renumber every cue in picture order (after inserts); returns old -> new numbers."""
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id)
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
    """Add a sync point to a cue (it must fall inside the cue)."""
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id)
        row = _find(rows, number)
        spec = spec_of(row)
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
        row = _find(_rows(session, pctx.project_id), number)
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

