"""Each cue's tempo map in the project: set, read, find and solve (thin service functions).

The solving is pure (``sync.findtempo``, ``sync.solve``); this module reads the cue and its
sync points, calls it, and stores the chosen map in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select

from filmscore.errors import NotFoundError, ValidationError
from filmscore.model import Cue, CueTempoMap
from filmscore.spotting.cuelist import spec_of
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.store import transaction
from filmscore.sync.tempomap import Segment, TempoMap
from filmscore.timecode import format_label


@dataclass(frozen=True)
class CueSync:
    """A cue, its sync points and its tempo map (None when it has none yet)."""

    cue: CueSpec
    tempo_map: TempoMap | None
    origin: str = ""

    @property
    def label(self) -> str:
        return f"cue {self.cue.number}"


def _row(session, project_id: int, number: str) -> Cue:
    wanted = str(parse_cue_number(str(number)))
    row = session.scalars(
        select(Cue).where(Cue.project_id == project_id, Cue.number == wanted)).first()
    if row is None:
        raise NotFoundError(f"no cue {wanted} in this project (see 'filmscore cue list')")
    return row


def _load(row: Cue) -> CueSync:
    stored = row.tempo_map
    tmap = TempoMap.from_dict(stored.data) if stored is not None else None
    return CueSync(spec_of(row), tmap, stored.origin if stored is not None else "")


def cue_sync(pctx, number: str) -> CueSync:
    with transaction(pctx.engine) as session:
        return _load(_row(session, pctx.project_id, number))


def all_cue_syncs(pctx) -> list[CueSync]:
    with transaction(pctx.engine) as session:
        rows = session.scalars(select(Cue).where(Cue.project_id == pctx.project_id)
                               .order_by(Cue.start_frame, Cue.number)).all()
        return [_load(r) for r in rows]


def require_map(cs: CueSync) -> TempoMap:
    if cs.tempo_map is None:
        raise NotFoundError(f"cue {cs.cue.number} has no tempo map yet: make one with "
                            f"'filmscore tempo set {cs.cue.number} --tempo 120' or "
                            f"'filmscore tempo solve {cs.cue.number} --save'")
    return cs.tempo_map


def check_map_for_cue(tmap: TempoMap, cue: CueSpec) -> None:
    """Bar 1 must fall inside the cue (a pickup or count-in may start before it)."""
    if not cue.start_frame <= tmap.start_frame < cue.end_frame:
        raise ValidationError(
            f"bar 1 of the tempo map must fall inside cue {cue.number}",
            field="start", value=format_label(tmap.start_frame, tmap.rate),
            valid=f"{format_label(cue.start_frame, tmap.rate)} to "
                  f"{format_label(cue.end_frame - 1, tmap.rate)}")


def bars_to_cover(cue: CueSpec, start_frame: int, segments: tuple[Segment, ...],
                  rate) -> int:
    """How many more bars of the last segment reach the cue's end."""
    probe = TempoMap(rate, start_frame, segments)
    remaining = Fraction(cue.end_frame - start_frame) / rate.fps - probe.end_seconds
    if remaining <= 0:
        return 0
    last = segments[-1]
    bar_seconds = Fraction(60) / last.tempo_at(Fraction(last.beats)) * last.meter.numerator
    return int((remaining / bar_seconds).__ceil__())


def set_tempo_map(pctx, number: str, tmap: TempoMap, *, origin: str = "set",
                  note: str = "") -> CueSync:
    """Store ``tmap`` as the cue's tempo map (replacing any), all or nothing."""
    with transaction(pctx.engine) as session:
        row = _row(session, pctx.project_id, number)
        if tmap.rate != pctx.rate:
            raise ValidationError("tempo map rate differs from the project's", field="rate",
                                  value=tmap.rate.name, valid=pctx.rate.name)
        check_map_for_cue(tmap, spec_of(row))
        if row.tempo_map is None:
            row.tempo_map = CueTempoMap(data=tmap.to_dict(), origin=origin, note=note)
        else:
            row.tempo_map.data = tmap.to_dict()
            row.tempo_map.origin = origin
            row.tempo_map.note = note
        session.flush()
        return _load(row)


def clear_tempo_map(pctx, number: str) -> None:
    with transaction(pctx.engine) as session:
        row = _row(session, pctx.project_id, number)
        row.tempo_map = None
