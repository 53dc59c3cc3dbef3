"""The roster's services (thin): add, import, export, list and remove musicians; the rate
card in use (the project's own ``ratecard.toml``, else the shipped one); the demo's roster.
Booking, time and costs are in ``musicians.booking``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from filmscore.errors import ConflictError, NotFoundError
from filmscore.model import Booking, Musician
from filmscore.musicians.ratecard import PROJECT_CARD, RateCard, load_ratecard
from filmscore.musicians.roster import MusicianSpec, check_unique_names
from filmscore.store import transaction


def _spec(row: Musician) -> MusicianSpec:
    return MusicianSpec(row.name, tuple(row.instruments or ()), row.union, row.contact,
                        row.notes, row.id)


def musician_row(session, project_id: int, name: str) -> Musician:
    """The roster's musician called ``name`` (case ignored); NotFoundError naming others."""
    rows = session.scalars(select(Musician).where(Musician.project_id == project_id)
                           .order_by(Musician.name)).all()
    wanted = " ".join(str(name).split()).casefold()
    for row in rows:
        if row.name.casefold() == wanted:
            return row
    import difflib

    close = difflib.get_close_matches(str(name), [r.name for r in rows], n=3, cutoff=0.5)
    hint = (f" (did you mean: {', '.join(close)}?)" if close else
            " (add one with 'filmscore roster add' or 'filmscore roster import')" if not rows
            else "")
    raise NotFoundError(f"no musician {name!r} on the roster{hint}")


def add_musician(pctx, spec: MusicianSpec) -> MusicianSpec:
    """Add a musician (refused when the name is taken)."""
    with transaction(pctx.engine) as session:
        taken = session.scalars(select(Musician.name).where(
            Musician.project_id == pctx.project_id)).all()
        if spec.name.casefold() in {n.casefold() for n in taken}:
            raise ConflictError(f"musician {spec.name!r} is already on the roster; "
                                "remove them first or choose another name")
        row = Musician(project_id=pctx.project_id, name=spec.name,
                       instruments=list(spec.instruments), union=spec.union,
                       contact=spec.contact, notes=spec.notes)
        session.add(row)
        session.flush()
        return _spec(row)


def import_roster(pctx, path: str | Path, *, replace: bool = False) -> list[MusicianSpec]:
    """Add every musician of a roster CSV in one transaction (nothing on a bad line).
    A name already on the roster is refused unless ``replace``, which updates it."""
    from filmscore.formats.roster_csv import read_roster_csv

    specs = read_roster_csv(path)
    check_unique_names(specs)
    with transaction(pctx.engine) as session:
        rows = {r.name.casefold(): r for r in session.scalars(select(Musician).where(
            Musician.project_id == pctx.project_id)).all()}
        out = []
        for spec in specs:
            row = rows.get(spec.name.casefold())
            if row is not None and not replace:
                raise ConflictError(f"{path}: musician {spec.name!r} is already on the "
                                    "roster; use --replace to update the roster from the file")
            if row is None:
                row = Musician(project_id=pctx.project_id, name=spec.name)
                session.add(row)
            row.instruments = list(spec.instruments)
            row.union, row.contact, row.notes = spec.union, spec.contact, spec.notes
            session.flush()
            out.append(_spec(row))
        return out


def list_musicians(pctx, *, instrument: str | None = None) -> list[MusicianSpec]:
    """The roster by name (only those who play ``instrument`` when given)."""
    with transaction(pctx.engine) as session:
        rows = session.scalars(select(Musician).where(Musician.project_id == pctx.project_id)
                               .order_by(Musician.name)).all()
        specs = [_spec(r) for r in rows]
    if instrument:
        from filmscore.orchestration.instruments import get_instrument

        key = get_instrument(instrument).key
        specs = [s for s in specs if key in s.instruments]
    return specs


def export_roster(pctx, path: str | Path) -> Path:
    from filmscore.formats.roster_csv import write_roster_csv

    return write_roster_csv(list_musicians(pctx), path)


def remove_musician(pctx, name: str, *, force: bool = False) -> MusicianSpec:
    """Remove a musician; refused while they are booked unless ``force`` (which removes
    their bookings and logged time too)."""
    with transaction(pctx.engine) as session:
        row = musician_row(session, pctx.project_id, name)
        booked = session.scalars(select(Booking).where(Booking.musician_id == row.id)).all()
        if booked and not force:
            raise ConflictError(f"musician {row.name!r} is booked in {len(booked)} "
                                "session(s); remove the bookings first or use --force")
        spec = _spec(row)
        for booking in booked:
            session.delete(booking)
        session.delete(row)
        return spec


def project_ratecard(pctx) -> RateCard:
    """The project's own card (``ratecard.toml`` in its folder), else the shipped one."""
    own = Path(pctx.directory) / PROJECT_CARD
    return load_ratecard(own) if own.is_file() else load_ratecard()


def demo_roster(pctx, path: str | Path, *, book: bool = True) -> dict[str, object]:
    """The demo's contracting in one call: import the roster CSV at ``path`` (updating
    names already there), then, when ``book``, book every session that has plan entries
    automatically and log the players' time from the plan.  Returns what was done:
    {'musicians': n, 'sessions': {name: AutoBooking}, 'time': {name: entries}}."""
    from filmscore.musicians.booking import auto_book, planned_sessions
    from filmscore.musicians.timelog import log_time_from_plan

    specs = import_roster(pctx, path, replace=True)
    done: dict[str, object] = {"musicians": len(specs), "sessions": {}, "time": {}}
    if book:
        for name in planned_sessions(pctx):
            done["sessions"][name] = auto_book(pctx, name)  # type: ignore[index]
            done["time"][name] = log_time_from_plan(pctx, name)  # type: ignore[index]
    return done


def names(specs: Iterable[MusicianSpec]) -> list[str]:
    return [s.name for s in specs]


def ratecard_text(pctx) -> tuple[str, str]:
    """(where, TOML text) of the card in use: the project's own, else the shipped one."""
    from filmscore.musicians.ratecard import shipped_card_text

    own = Path(pctx.directory) / PROJECT_CARD
    if own.is_file():
        return str(own), own.read_text(encoding="utf-8")
    return "filmscore/data/ratecard.toml (shipped)", shipped_card_text()


def export_ratecard(pctx, path: str | Path) -> Path:
    """Write the card in use to ``path`` (atomically), to edit and use as the project's."""
    from filmscore.fileio import write_atomic

    project_ratecard(pctx)  # a broken project card is refused, not copied
    return write_atomic(Path(path), ratecard_text(pctx)[1])
