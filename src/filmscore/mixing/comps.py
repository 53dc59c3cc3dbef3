"""A cue's comps (the ``comps`` table): propose one, set one, render one, list them.

Thin service functions over :mod:`filmscore.mixing.comp` (the edit list and its samples)
and :mod:`filmscore.mixing.comp_render` (the stems).  Every proposal or change is a new
version of the cue's comp (numbered from 1); a render fills in the version's ``files``
(``[{stem, media_hash, frames, channels}]``, the stems in the media store).

Where a take is on the film: its first stem's bext TimeReference (samples since midnight
at the file's rate; every stem of a take that has one must agree), else the record
timecode it was logged with (``Take.timecode_frame``), else the take cannot be comped.
A TimeReference at another sample rate than the project's is moved to the project's rate
(rounded half up): only when its stems are converted (``convert=True``).

Each stored segment keeps the comp samples it was placed at: ``{"take", "from", "to",
"start", "end"}`` (``start`` of the first segment is bar 1's downbeat, ``end`` of the last
the end of the last bar; 0 is the cue's start).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from sqlalchemy import func, select

from filmscore import children
from filmscore.errors import ConflictError, NotFoundError, ValidationError
from filmscore.formats.bwf import read_bext
from filmscore.mixing.comp import (
    CompPlan,
    CompSegment,
    CompTake,
    EditPoint,
    fade_samples,
    parse_edits,
    plan_comp,
    propose,
)
from filmscore.mixing.comp_render import TakeStem, render_comp_stems
from filmscore.mixing.placing import cue_start_sample
from filmscore.mixing.vocabulary import DEFAULT_CROSSFADE_MS
from filmscore.model import Comp, Cue, CueTempoMap, Take
from filmscore.recording.takes import WAV_SUFFIXES
from filmscore.store import transaction
from filmscore.sync.service import cue_row
from filmscore.sync.tempomap import TempoMap


@dataclass(frozen=True)
class CompFile:
    """One rendered stem of a comp: in the media store by hash."""

    stem: str
    media_hash: str
    frames: int
    channels: int


@dataclass(frozen=True)
class CompSpec:
    """A version of a cue's comp as plain values."""

    cue: str
    number: int
    segments: tuple[CompSegment, ...]
    edits: tuple[EditPoint, ...]  # the edit points (samples from the cue's start)
    segment_samples: tuple[tuple[int, int], ...]  # (start, end) comp samples per segment
    crossfade_ms: float
    proposed: bool
    tempo_map_version: int | None
    flagged: str
    notes: str
    author: str
    files: tuple[CompFile, ...]
    cue_start_sample: int  # the comp's sample 0 on the film (samples since midnight)
    sample_rate: int
    created_at: datetime | None = None

    @property
    def rendered(self) -> bool:
        return bool(self.files)

    @property
    def frames(self) -> int:
        """The comp's length in samples (0 until rendered)."""
        return max((f.frames for f in self.files), default=0)

    @property
    def label(self) -> str:
        return f"comp v{self.number} of cue {self.cue}"

    def edit_list(self) -> str:
        """'1-12=4 13-20=7': what ``filmscore comp set`` takes."""
        return " ".join(s.label for s in self.segments)


@dataclass(frozen=True)
class _Cue:
    """What a comp needs of its cue, read in one transaction."""

    id: int
    number: str
    start_sample: int
    tmap: TempoMap
    tempo_map_version: int
    takes: tuple[Take, ...]  # detached rows (plain attributes read)


def _load_cue(pctx, cue: str) -> _Cue:
    with transaction(pctx.engine) as db:
        row = cue_row(db, pctx.project_id, cue)
        stored = db.scalars(select(CueTempoMap).where(CueTempoMap.cue_id == row.id)).first()
        if stored is None:
            raise NotFoundError(f"cue {row.number} has no tempo map yet: comps are cut on its "
                                f"bar lines (filmscore tempo set {row.number} --tempo 120)")
        takes = tuple(db.scalars(select(Take).where(Take.cue_id == row.id)
                                 .order_by(Take.number)).all())
        db.expunge_all()
        return _Cue(row.id, row.number, cue_start_sample(pctx, row.start_frame),
                    TempoMap.from_dict(stored.data), stored.version, takes)


def _half_up(value: Fraction) -> int:
    return (value + Fraction(1, 2)).__floor__()


def _take_audio(pctx, take: Take) -> tuple[CompTake, dict[str, TakeStem]]:
    """The take as comping sees it, and its stems' files."""
    sr = pctx.sample_rate
    stems: dict[str, TakeStem] = {}
    starts: list[tuple[str, Fraction]] = []
    frames: list[int] = []
    for item in take.audio or []:
        path = pctx.media.path(item["media_hash"])
        stems[item["stem"]] = TakeStem(path, item.get("name") or path.name)
        rate = int(item.get("sample_rate") or sr)
        frames.append((Fraction(int(item.get("frames") or 0) * sr, rate)).__floor__())
        if path.suffix.lower() in WAV_SUFFIXES:  # their bext places the take on the film
            bext = read_bext(path)
            if bext is not None:
                starts.append((item["stem"], Fraction(bext.time_reference, rate)))
    if len({s for _, s in starts}) > 1:
        seen = ", ".join(f"{stem} at {float(s):.6f} s" for stem, s in starts)
        raise ValidationError(f"the stems of take {take.number} start at different times "
                              f"(bext TimeReference: {seen})", field="audio",
                              value=f"take {take.number}",
                              valid="stems recorded together: one TimeReference")
    if starts:
        start: int | None = _half_up(starts[0][1] * sr)
    elif take.timecode_frame is not None:
        from filmscore.mixing.placing import sample_of_frame

        start = sample_of_frame(take.timecode_frame, pctx.rate, sr)
    else:
        start = None
    return (CompTake(take.number, take.kind, take.circled, take.bar_from, take.bar_to,
                     start, min(frames) if frames else None, take.tempo_map_version),
            stems)


@dataclass(frozen=True)
class CueTakes:
    """A cue's tempo map and its takes placed on the film, as its comps are cut on them."""

    tmap: TempoMap
    takes: tuple[CompTake, ...]
    start_sample: int  # the comp's sample 0 on the film
    tempo_map_version: int


def cue_takes(pctx, cue: str) -> CueTakes:
    """The cue's takes as comping places them (for the web page's board of takes)."""
    loaded = _load_cue(pctx, cue)
    takes, _ = _takes(pctx, loaded)
    return CueTakes(loaded.tmap, tuple(takes), loaded.start_sample, loaded.tempo_map_version)


def _takes(pctx, cue: _Cue, wanted: Iterable[int] | None = None
           ) -> tuple[list[CompTake], dict[int, dict[str, TakeStem]]]:
    wanted = set(wanted) if wanted is not None else None
    takes, audio = [], {}
    for row in cue.takes:
        if wanted is not None and row.number not in wanted:
            takes.append(CompTake(row.number, row.kind, row.circled, row.bar_from, row.bar_to,
                                  tempo_map_version=row.tempo_map_version))
            continue
        take, stems = _take_audio(pctx, row)
        takes.append(take)
        audio[row.number] = stems
    return takes, audio


def _plan(pctx, cue: _Cue, segments, crossfade_ms) -> tuple[CompPlan, dict]:
    takes, audio = _takes(pctx, cue, {s.take for s in segments})
    plan = plan_comp(cue.tmap, segments, takes, sample_rate=pctx.sample_rate,
                     cue_start_sample=cue.start_sample, crossfade_ms=crossfade_ms,
                     tempo_map_version=cue.tempo_map_version)
    return plan, audio


def _stored_edits(plan: CompPlan) -> list[dict]:
    return [{**seg.to_dict(), "start": a, "end": b}
            for seg, (a, b) in zip(plan.segments, plan.segment_samples, strict=True)]


def _spec(pctx, row: Comp, cue: Cue) -> CompSpec:
    segments = parse_edits(row.edits) if row.edits else ()
    samples = tuple((int(e.get("start", 0)), int(e.get("end", 0))) for e in row.edits or [])
    start = cue_start_sample(pctx, cue.start_frame)
    fade = fade_samples(row.crossfade_ms, pctx.sample_rate)
    edits = tuple(
        EditPoint(seg.start, a, a + start, prev.take, seg.take, a - fade // 2,
                  a - fade // 2 + fade)
        for prev, seg, (a, _) in zip(segments, segments[1:], samples[1:], strict=False))
    return CompSpec(
        cue=cue.number, number=row.number, segments=segments, edits=edits,
        segment_samples=samples, crossfade_ms=row.crossfade_ms, proposed=row.proposed,
        tempo_map_version=row.tempo_map_version, flagged=row.flagged, notes=row.notes,
        author=row.author,
        files=tuple(CompFile(f["stem"], f["media_hash"], int(f["frames"]), int(f["channels"]))
                    for f in row.files or []),
        cue_start_sample=start, sample_rate=pctx.sample_rate, created_at=row.created_at)


def _save(pctx, cue: _Cue, plan: CompPlan, *, crossfade_ms, proposed: bool, notes: str,
          author: str) -> CompSpec:
    with transaction(pctx.engine) as db:
        row_cue = db.get(Cue, cue.id)
        stored = db.scalars(select(CueTempoMap).where(CueTempoMap.cue_id == cue.id)).first()
        if stored is None or stored.version != cue.tempo_map_version:
            raise ConflictError(f"the tempo map of cue {cue.number} changed while the comp "
                                "was being made; try again")
        number = (db.scalar(select(func.max(Comp.number)).where(Comp.cue_id == cue.id))
                  or 0) + 1
        row = Comp(cue_id=cue.id, number=number, edits=_stored_edits(plan),
                   crossfade_ms=float(crossfade_ms), proposed=proposed,
                   tempo_map_version=cue.tempo_map_version, flagged=plan.flagged,
                   files=[], notes=notes, author=author)
        db.add(row)
        db.flush()
        return _spec(pctx, row, row_cue)


def _crossfade(value, fallback: float | None = None) -> float:
    chosen = value if value is not None else (fallback if fallback is not None
                                              else DEFAULT_CROSSFADE_MS)
    fade_samples(chosen, 48000)  # refuses a negative length
    return float(chosen)


def propose_comp(pctx, cue: str, *, crossfade_ms: float | None = None,
                 author: str = "") -> CompSpec:
    """Propose a new comp of ``cue`` from its circled takes with the fewest edits (bars no
    circled take covers from uncircled complete takes, said in the notes); stored as the
    next version."""
    loaded = _load_cue(pctx, cue)
    takes, _ = _takes(pctx, loaded)
    proposal = propose(loaded.tmap.bar_count, takes)
    fade = _crossfade(crossfade_ms)
    plan, _ = _plan(pctx, loaded, proposal.segments, fade)
    return _save(pctx, loaded, plan, crossfade_ms=fade, proposed=True,
                 notes=proposal.note, author=author)


def set_comp(pctx, cue: str, edits: Iterable[str | Mapping], *,
             crossfade_ms: float | None = None, notes: str = "", author: str = ""
             ) -> CompSpec:
    """Store an edit list (``["1-12=4", "13-20=7"]`` or ``[{"take", "from", "to"}]``) as the
    next version of the cue's comp, checked against its bars and its takes' audio.  The
    crossfade defaults to the latest comp's (else ``DEFAULT_CROSSFADE_MS``)."""
    segments = parse_edits(edits)
    loaded = _load_cue(pctx, cue)
    with transaction(pctx.engine) as db:
        latest = db.scalars(select(Comp).where(Comp.cue_id == loaded.id)
                            .order_by(Comp.number.desc())).first()
        before = latest.crossfade_ms if latest is not None else None
    fade = _crossfade(crossfade_ms, before)
    plan, _ = _plan(pctx, loaded, segments, fade)
    return _save(pctx, loaded, plan, crossfade_ms=fade, proposed=False, notes=notes,
                 author=author)


def _comp_row(db, cue_id: int, cue_number: str, number: int | None) -> Comp:
    query = select(Comp).where(Comp.cue_id == cue_id)
    if number is not None:
        query = query.where(Comp.number == number)
    row = db.scalars(query.order_by(Comp.number.desc())).first()
    if row is None:
        if number is None:
            raise NotFoundError(f"cue {cue_number} has no comp yet "
                                f"(filmscore comp propose {cue_number})")
        have = db.scalars(select(Comp.number).where(Comp.cue_id == cue_id)
                          .order_by(Comp.number)).all()
        raise NotFoundError(f"no comp v{number} of cue {cue_number} (versions: "
                            f"{', '.join(map(str, have)) or 'none'})")
    return row


def comp_of(pctx, cue: str, number: int | None = None) -> CompSpec:
    """A version of the cue's comp (default: the latest)."""
    with transaction(pctx.engine) as db:
        row_cue = cue_row(db, pctx.project_id, cue)
        return _spec(pctx, _comp_row(db, row_cue.id, row_cue.number, number), row_cue)


def comps(pctx, cue: str | None = None) -> list[CompSpec]:
    """Every comp version (of one cue), cue by cue in film order, by number."""
    with transaction(pctx.engine) as db:
        query = (select(Comp, Cue).join(Cue, Comp.cue_id == Cue.id)
                 .where(Cue.project_id == pctx.project_id))
        if cue is not None:
            query = query.where(Cue.id == cue_row(db, pctx.project_id, cue).id)
        rows = db.execute(query.order_by(Cue.start_frame, Cue.number, Comp.number)).all()
        return [_spec(pctx, c, k) for c, k in rows]


def comp_plan(pctx, cue: str, number: int | None = None
              ) -> tuple[CompPlan, dict[int, dict[str, TakeStem]]]:
    """A comp version (default: the latest) placed in samples on the cue's current tempo
    map and takes, and its takes' stems: what ``comp_render.render_excerpt`` plays (a few
    seconds across an edit) and ``render_comp_stems`` writes."""
    loaded = _load_cue(pctx, cue)
    with transaction(pctx.engine) as db:
        row = _comp_row(db, loaded.id, loaded.number, number)
        segments, fade = parse_edits(row.edits), row.crossfade_ms
    return _plan(pctx, loaded, segments, fade)


def render_comp(pctx, cue: str, number: int | None = None, *, convert: bool = False,
                silence_missing: bool = False,
                report: Callable[[int, int], None] | None = None) -> CompSpec:
    """Render a comp version (default: the latest) to one 24-bit Broadcast WAV per stem in
    the media store, and record them in its ``files``.  Refused when the cue's tempo map
    changed since the comp was made (its bar lines moved: make a new comp)."""
    loaded = _load_cue(pctx, cue)
    with transaction(pctx.engine) as db:
        row = _comp_row(db, loaded.id, loaded.number, number)
        comp_id, comp_number, version = row.id, row.number, row.version
        segments = parse_edits(row.edits)
        fade, made_on = row.crossfade_ms, row.tempo_map_version
    if made_on != loaded.tempo_map_version:
        raise ConflictError(f"comp v{comp_number} of cue {loaded.number} was cut on tempo map "
                            f"v{made_on}, the cue's map is v{loaded.tempo_map_version} now: "
                            f"make a new comp (filmscore comp propose|set {loaded.number})")
    plan, audio = _plan(pctx, loaded, segments, fade)
    with children.scratch_folder(prefix="filmscore-comp-") as scratch:
        rendered = render_comp_stems(
            plan, audio, scratch, name=f"{loaded.number}_comp{comp_number}",
            description=f"{pctx.title} {loaded.number} comp v{comp_number}",
            originator_reference=f"{loaded.number} comp v{comp_number}"[:32],
            convert=convert, silence_missing=silence_missing, report=report)
        with pctx.media.adding():
            files = [{"stem": r.stem, "media_hash": pctx.media.put(r.path, ".wav"),
                      "frames": r.frames, "channels": r.channels} for r in rendered]
            with transaction(pctx.engine) as db:
                row = db.get(Comp, comp_id)
                if row is None or row.version != version:
                    raise ConflictError(f"comp v{comp_number} of cue {loaded.number} changed "
                                        "while it was being rendered; render it again")
                row.files = files
                row.flagged = plan.flagged
                db.flush()
                return _spec(pctx, row, db.get(Cue, loaded.id))


def comp_stem_paths(pctx, cue: str, number: int | None = None) -> dict[str, Path]:
    """The rendered stems of a comp version (default: the latest), {stem: file}, in the
    dub's stem order; NotFoundError when it is not rendered yet."""
    spec = comp_of(pctx, cue, number)
    if not spec.files:
        raise NotFoundError(f"comp v{spec.number} of cue {spec.cue} is not rendered yet "
                            f"(filmscore comp render {spec.cue})")
    return {f.stem: pctx.media.path(f.media_hash) for f in spec.files}


__all__ = ["CompFile", "CompSpec", "comp_of", "comp_plan", "comp_stem_paths", "comps",
           "propose_comp", "render_comp", "set_comp"]
