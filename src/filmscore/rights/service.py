"""The performing-rights service: rights holders (writers and publishers), their shares of
each cue (or the project's default shares), each use's usage code, and the PRO cue sheet
built from the film's music timeline and written as CSV, PDF and DDEX-shaped XML.

Thin over the database; the rules live in :mod:`filmscore.rights.cuesheet` (pure).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from filmscore.errors import ConflictError, InputError, NotFoundError, ValidationError
from filmscore.fileio import inside, make_folder
from filmscore.model import Cue, CueShare, Placement, Project, RightsHolder
from filmscore.rights.cuesheet import (
    Holder,
    ProCueSheet,
    check_holder,
    check_shares,
    check_usage,
    pro_cue_sheet_of,
    resolve_shares,
)
from filmscore.store import transaction

#: the files ``write_pro_cue_sheet`` can write: format name -> suffix (the writer is the
#: format registry's, kind ``pro_cuesheet``)
PRO_CUESHEET_FORMATS: dict[str, str] = {"csv": ".csv", "pdf": ".pdf", "xml": ".xml"}


def _holder(row: RightsHolder) -> Holder:
    return Holder(row.name, row.role, row.pro or "", row.ipi or "")


def _holder_row(db, pctx, name: str) -> RightsHolder:
    row = db.scalars(select(RightsHolder).where(RightsHolder.project_id == pctx.project_id,
                                                RightsHolder.name == name.strip())).first()
    if row is None:
        names = db.scalars(select(RightsHolder.name).where(
            RightsHolder.project_id == pctx.project_id).order_by(RightsHolder.name)).all()
        raise NotFoundError(f"no rights holder {name!r} in this project"
                            + (f"; holders: {', '.join(names)}" if names else
                               "; add one with 'filmscore rights add NAME --role composer'"))
    return row


def _cue_row(db, pctx, number: str) -> Cue:
    from filmscore.sync.service import cue_row

    return cue_row(db, pctx.project_id, number)


def add_holder(pctx, name: str, *, role: str, pro: str = "", ipi: str = "") -> Holder:
    """Add a writer (role ``composer``) or publisher with society and IPI name number;
    a name already taken is refused (ConflictError)."""
    holder = check_holder(Holder(name, role, pro, ipi))
    with transaction(pctx.engine) as db:
        taken = db.scalars(select(RightsHolder).where(
            RightsHolder.project_id == pctx.project_id,
            RightsHolder.name == holder.name)).first()
        if taken is not None:
            raise ConflictError(f"there is already a rights holder {holder.name!r} "
                                f"({taken.role}); remove it first or choose another name")
        db.add(RightsHolder(project_id=pctx.project_id, name=holder.name, role=holder.role,
                            pro=holder.pro, ipi=holder.ipi))
    return holder


def update_holder(pctx, name: str, *, role: str | None = None, pro: str | None = None,
                  ipi: str | None = None) -> Holder:
    """Change a holder's role, society or IPI (``None``: keep; ``""``: clear the society or
    IPI).  A role change is refused while the holder has shares (their cues would no
    longer add up): set those shares again without them first."""
    with transaction(pctx.engine) as db:
        row = _holder_row(db, pctx, name)
        current = _holder(row)
        wanted = check_holder(Holder(current.name, current.role if role is None else role,
                                     current.pro if pro is None else pro,
                                     current.ipi if ipi is None else ipi))
        if wanted.role != current.role:
            held = db.scalars(select(CueShare).where(CueShare.holder_id == row.id)).first()
            if held is not None:
                raise ConflictError(f"{row.name} holds shares as a {current.role}; set "
                                    "those shares again without them before changing the "
                                    "role")
        row.role, row.pro, row.ipi = wanted.role, wanted.pro, wanted.ipi
    return wanted


def holders(pctx) -> list[Holder]:
    """Every rights holder of the project: composers first, then publishers, by name."""
    with transaction(pctx.engine) as db:
        rows = db.scalars(select(RightsHolder).where(
            RightsHolder.project_id == pctx.project_id)).all()
        out = [_holder(r) for r in rows]
    order = {"composer": 0, "publisher": 1}
    return sorted(out, key=lambda h: (order.get(h.role, 9), h.name.lower()))


def remove_holder(pctx, name: str, *, force: bool = False) -> Holder:
    """Remove a holder.  One who holds shares is refused (ConflictError naming the cues)
    unless ``force``, which removes the shares too (those cues then no longer add up to
    100 and the cue sheet says so until their shares are set again)."""
    with transaction(pctx.engine) as db:
        row = _holder_row(db, pctx, name)
        shares = db.scalars(select(CueShare).where(CueShare.holder_id == row.id)).all()
        if shares and not force:
            cues = {s.cue_id for s in shares}
            numbers = sorted(db.scalars(select(Cue.number).where(Cue.id.in_(
                [c for c in cues if c is not None]))).all())
            where = (["the default shares"] if None in cues else []) + numbers
            raise ConflictError(f"{row.name} holds shares of {', '.join(where)}; set those "
                                "shares again without them first, or remove with --force")
        for share in shares:
            db.delete(share)
        db.flush()
        holder = _holder(row)
        db.delete(row)
    return holder


def shares(pctx) -> dict[str | None, dict[str, Decimal]]:
    """Every share: ``{cue number or None (the default): {holder name: per cent}}``."""
    out: dict[str | None, dict[str, Decimal]] = {}
    with transaction(pctx.engine) as db:
        rows = db.execute(
            select(Cue.number, RightsHolder.name, CueShare.share)
            .select_from(CueShare)
            .join(RightsHolder, RightsHolder.id == CueShare.holder_id)
            .outerjoin(Cue, Cue.id == CueShare.cue_id)
            .where(CueShare.project_id == pctx.project_id)
            .order_by(CueShare.id)).all()
    for cue, name, share in rows:
        out.setdefault(cue, {})[name] = Decimal(share)
    return out


def set_shares(pctx, cue: str | None, wanted: Mapping[str, str | Decimal | int]
               ) -> dict[str, Decimal]:
    """Replace the shares of ``cue`` (``None``: the project's default shares) with
    ``{holder name: per cent}``; composers must add up to exactly 100, and publishers, if
    any, too.  An empty mapping clears the cue's own shares (it takes the default again)."""
    with transaction(pctx.engine) as db:
        cue_id = None
        where = "the default shares"
        if cue is not None:
            row = _cue_row(db, pctx, cue)
            cue_id, where = row.id, f"cue {row.number}"
        rows = db.scalars(select(RightsHolder).where(
            RightsHolder.project_id == pctx.project_id)).all()
        by_name = {r.name: r for r in rows}
        resolved = resolve_shares(where, {k.strip(): v for k, v in wanted.items()},
                                  {r.name: _holder(r) for r in rows})
        if resolved:  # an empty mapping clears
            check_shares(where, resolved)
        old = db.scalars(select(CueShare).where(
            CueShare.project_id == pctx.project_id,
            CueShare.cue_id.is_(None) if cue_id is None else CueShare.cue_id == cue_id)).all()
        for share in old:
            db.delete(share)
        db.flush()
        for share in resolved:
            db.add(CueShare(project_id=pctx.project_id, cue_id=cue_id,
                            holder_id=by_name[share.holder.name].id,
                            share=format(share.percent, "f")))
    return {s.holder.name: s.percent for s in resolved}


def set_usage(pctx, cue: str, usage: str, use: int = 1) -> str:
    """Set the usage code of one use of a cue (BI, MT...): written on the placement row,
    which is made (following the cue's own start) for use 1 when there is none yet.
    Returns the code."""
    code = check_usage(usage, cue=cue)
    if use < 1:
        raise InputError("a use is numbered from 1", field="use", value=str(use),
                         valid="1, 2, ...")
    with transaction(pctx.engine) as db:
        row = _cue_row(db, pctx, cue)
        placement = db.scalars(select(Placement).where(Placement.cue_id == row.id,
                                                       Placement.use == use)).first()
        if placement is None:
            if use != 1:
                uses = db.scalars(select(Placement.use).where(
                    Placement.cue_id == row.id).order_by(Placement.use)).all()
                raise NotFoundError(f"cue {row.number} has no use {use} on the film "
                                    f"(uses: {', '.join(map(str, uses or [1]))}); place it "
                                    "first")
            placement = Placement(cue_id=row.id, use=1, start_frame=None)
            db.add(placement)
        placement.usage = code
    return code


def pro_cue_sheet(pctx, *, date: str | None = None) -> ProCueSheet:
    """The PRO cue sheet of the film's music timeline as it stands (every use of every
    cue on the current picture), with holders, shares and usage checked."""
    from filmscore.mixing.placing import music_timeline

    timeline = music_timeline(pctx)
    with transaction(pctx.engine) as db:
        project = db.get(Project, pctx.project_id)
        composer = project.composer or ""
    return pro_cue_sheet_of(timeline, holders(pctx), shares(pctx), composer=composer,
                            date=date or _dt.date.today().isoformat())


def sheet_file_name(title: str, suffix: str) -> str:
    """``Popeye_pro_cue_sheet.csv``: the film's title as letters and digits, cut so that
    the whole name stays within NAME_MAX_BYTES (``safe_name``)."""
    from filmscore.fileio import safe_name
    from filmscore.limits import NAME_MAX_BYTES

    ending = f"_pro_cue_sheet{suffix}"
    return safe_name(re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_"), fallback="film",
                     max_bytes=NAME_MAX_BYTES - len(ending)) + ending


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """``"csv,pdf"`` (or a list) as format names, each known."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        if item not in PRO_CUESHEET_FORMATS:
            raise ValidationError("unknown cue-sheet format", field="format", value=item,
                                  valid=", ".join(PRO_CUESHEET_FORMATS))
        if item not in out:
            out.append(item)
    if not out:
        raise ValidationError("no cue-sheet format given", field="format", value=str(text),
                              valid=", ".join(PRO_CUESHEET_FORMATS))
    return tuple(out)


def write_pro_cue_sheet(pctx, folder: str | Path, *,
                        formats: str | Iterable[str] = ("csv", "pdf", "xml"),
                        date: str | None = None) -> list[Path]:
    """Write the PRO cue sheet into ``folder`` as ``<Title>_pro_cue_sheet.csv|pdf|xml``
    (each atomically; the sheet is checked before any file is written)."""
    from filmscore.formats import writer_for

    chosen = parse_formats(formats)
    sheet = pro_cue_sheet(pctx, date=date)
    folder = make_folder(folder)
    written = []
    for name in chosen:
        path = inside(folder, sheet_file_name(sheet.title, PRO_CUESHEET_FORMATS[name]))
        written.append(writer_for("pro_cuesheet", path)(sheet, path))
    return written
