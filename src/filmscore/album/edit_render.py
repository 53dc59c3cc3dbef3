"""Album edits in the project (the ``album_edits`` table): made and checked against each
cue's tempo map and mix, listed, removed, and rendered from the mixes' files.

``make_edit`` plans the edit (:func:`filmscore.album.edits.plan_edit`) against the
database before it stores anything, so a bar outside a cue is refused at once.  The
edge fades chosen for an edit are kept in its segments (``fade_in_ms`` on the first,
``fade_out_ms`` on the last: the table has no column for them).

``render_edit`` streams the mixes' files (soundfile, in blocks) through the plan into a
24-bit Broadcast WAV in a scratch folder, then stores it in the media store and fills
``AlbumEdit.files`` in one step (``MediaStore.adding`` around the transaction, as
:mod:`filmscore.mixing.mixes` does): ``[{stem: "mix", media_hash, frames, channels,
sample_rate, mixes: {cue: mix version}, clipped}]``.  ``mixes`` records the versions the
render used: when a cue gets a newer mix, an edit that follows the latest is *stale*
(:attr:`EditSpec.stale`) and the candidates' refresh renders it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select

from filmscore import children
from filmscore.album.edits import (
    END,
    START,
    Clipped,
    CueAudio,
    EditPlan,
    EditSegment,
    edit_segment,
    plan_edit,
    render_blocks,
)
from filmscore.album.vocabulary import DEFAULT_EDIT_CROSSFADE_MS, EDIT_KINDS
from filmscore.errors import ConflictError, InputError, NotFoundError, ValidationError
from filmscore.fileio import safe_name
from filmscore.formats.bwf import Bext, BwfWriter
from filmscore.mixing.placing import cue_start_sample
from filmscore.model import AlbumCandidate, AlbumEdit, AlbumTrack, Cue, Mix
from filmscore.store import transaction
from filmscore.sync.service import cue_row
from filmscore.sync.tempomap import TempoMap

MIX = "mix"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")


@dataclass(frozen=True)
class EditSpec:
    name: str
    kind: str
    title: str
    segments: tuple[EditSegment, ...]
    crossfade_ms: float
    fade_in_ms: float | None
    fade_out_ms: float | None
    files: tuple[dict, ...]
    notes: str
    author: str
    frames: int  # the planned length (0 when it cannot be planned now)
    sample_rate: int
    stale: bool  # rendered from mixes that are no longer the ones it names
    problem: str = ""  # why it cannot be planned now (a mix removed...)

    @property
    def rendered(self) -> bool:
        return bool(self.files)

    @property
    def media_hash(self) -> str:
        return self.files[0]["media_hash"] if self.files else ""

    @property
    def cues(self) -> tuple[str, ...]:
        """The cues it is made of, each once, in order."""
        return tuple(dict.fromkeys(s.cue for s in self.segments))

    @property
    def layout(self) -> str:
        """'1M3 1-24 + 1M5@2 9-end'."""
        return " + ".join(f"{s.cue}{'@' + str(s.mix) if s.mix else ''} {s.start}-{s.to}"
                          for s in self.segments)


def check_edit_name(name: str) -> str:
    name = str(name).strip()
    if not _NAME.match(name):
        raise InputError("not an album edit name", field="name", value=name,
                         valid="letters, digits, space, '.', '_' or '-', up to 100, "
                               "e.g. suite-main")
    return name


# -- reading the cues' audio -------------------------------------------------------------


def album_mix(db, cue_id: int) -> Mix | None:
    """The mix an album takes of a cue when no version is named: its latest stereo mix
    (an album is stereo; a 5.1 mix is the dub's), else its latest mix."""
    query = select(Mix).where(Mix.cue_id == cue_id).order_by(Mix.number.desc())
    return (db.scalars(query.where(Mix.layout == "stereo")).first()
            or db.scalars(query).first())


def _mix_row(db, cue: Cue, number: int | None, what: str) -> Mix:
    query = select(Mix).where(Mix.cue_id == cue.id)
    row = (db.scalars(query.where(Mix.number == number)).first() if number is not None
           else album_mix(db, cue.id))
    if row is None:
        have = db.scalars(select(Mix.number).where(Mix.cue_id == cue.id)
                          .order_by(Mix.number)).all()
        raise NotFoundError(f"{what}: cue {cue.number} has no "
                            + (f"mix v{number}" if number is not None else "mix yet")
                            + " (it has: " + (", ".join(f"v{n}" for n in have) or "none")
                            + ")")
    return row


def _mix_file(row: Mix) -> dict:
    for item in row.files or []:
        if item.get("stem") == MIX:
            return item
    raise NotFoundError(f"mix v{row.number} has no mix file")


def _cue_audio(db, pctx, segments: list[EditSegment]) -> tuple[list[EditSegment],
                                                                list[CueAudio], list[str]]:
    """The segments with canonical cue numbers, each one's cue and mix, and the mix
    files' hashes."""
    out, audio, hashes = [], [], []
    for i, seg in enumerate(segments, 1):
        what = f"segment {i} ({seg.label})"
        try:
            cue = cue_row(db, pctx.project_id, seg.cue)
        except NotFoundError as error:
            raise NotFoundError(f"{what}: {error}") from None
        mix = _mix_row(db, cue, seg.mix, what)
        item = _mix_file(mix)
        tmap = TempoMap.from_dict(cue.tempo_map.data) if cue.tempo_map is not None else None
        out.append(EditSegment(cue.number, seg.start, seg.to, seg.mix))
        audio.append(CueAudio(cue.number, tmap, cue_start_sample(pctx, cue.start_frame),
                              int(item.get("frames", 0)), pctx.sample_rate,
                              int(item.get("channels", 2)), mix.number))
        hashes.append(item["media_hash"])
    return out, audio, hashes


def _stored_segments(row: AlbumEdit) -> tuple[list[EditSegment], float | None,
                                              float | None]:
    items = list(row.segments or [])
    segs = [edit_segment(item, index=i) for i, item in enumerate(items, 1)]
    fade_in = items[0].get("fade_in_ms") if items else None
    fade_out = items[-1].get("fade_out_ms") if items else None
    return segs, fade_in, fade_out


def _spec(db, pctx, row: AlbumEdit) -> EditSpec:
    segs, fade_in, fade_out = _stored_segments(row)
    frames, problem, stale = 0, "", False
    try:
        segs, audio, _ = _cue_audio(db, pctx, segs)
        frames = plan_edit(segs, audio, crossfade_ms=row.crossfade_ms, fade_in_ms=fade_in,
                           fade_out_ms=fade_out).frames
        used = (row.files or [{}])[0].get("mixes", {})
        stale = bool(row.files) and used != {a.cue: a.mix for a in audio}
    except (InputError, NotFoundError) as error:
        problem = str(error)
        stale = bool(row.files)
    return EditSpec(row.name, row.kind, row.title or "", tuple(segs), float(row.crossfade_ms),
                    fade_in, fade_out, tuple(row.files or ()), row.notes or "",
                    row.author or "", frames, pctx.sample_rate, stale, problem)


def edit_row(db, project_id: int, name: str) -> AlbumEdit:
    row = db.scalars(select(AlbumEdit).where(AlbumEdit.project_id == project_id,
                                             AlbumEdit.name == str(name).strip())).first()
    if row is None:
        have = db.scalars(select(AlbumEdit.name).where(AlbumEdit.project_id == project_id)
                          .order_by(AlbumEdit.name)).all()
        raise NotFoundError(f"no album edit {str(name).strip()!r} (edits: "
                            + (", ".join(have) or "none") + ")")
    return row


# -- making, listing, removing -------------------------------------------------------------


def make_edit(pctx, name: str, segments: list, *, kind: str | None = None, title: str = "",
              crossfade_ms: float = DEFAULT_EDIT_CROSSFADE_MS,
              fade_in_ms: float | None = None, fade_out_ms: float | None = None,
              notes: str = "", author: str = "", replace: bool = False) -> EditSpec:
    """Make (or with ``replace``, remake) album edit ``name`` from ``segments``
    (``EditSegment``, ``{"cue", "mix", "from", "to"}`` or ``"CUE[@MIX]:FROM-TO"``).
    ``kind`` defaults to a truncation when every segment is of one cue, else a suite;
    a truncation must be of one cue.  Checked against the cues' tempo maps and mixes
    before anything is written; a remade edit must be rendered again."""
    name = check_edit_name(name)
    segs = [edit_segment(s, index=i) for i, s in enumerate(segments, 1)]
    with transaction(pctx.engine) as db:
        segs, audio, _ = _cue_audio(db, pctx, segs)
        plan_edit(segs, audio, crossfade_ms=crossfade_ms, fade_in_ms=fade_in_ms,
                  fade_out_ms=fade_out_ms)
        cues = list(dict.fromkeys(s.cue for s in segs))
        kind = kind or ("truncation" if len(cues) == 1 else "suite")
        if kind not in EDIT_KINDS:
            raise InputError("unknown album edit kind", field="kind", value=kind,
                             valid=", ".join(EDIT_KINDS))
        if kind == "truncation" and len(cues) > 1:
            raise ValidationError("a truncation is of one cue", field="segments",
                                  value=", ".join(cues), valid="one cue, or make a suite")
        stored = [s.to_dict() for s in segs]
        if fade_in_ms is not None:
            stored[0]["fade_in_ms"] = float(fade_in_ms)
        if fade_out_ms is not None:
            stored[-1]["fade_out_ms"] = float(fade_out_ms)
        row = db.scalars(select(AlbumEdit).where(AlbumEdit.project_id == pctx.project_id,
                                                 AlbumEdit.name == name)).first()
        if row is not None and not replace:
            raise ConflictError(f"album edit {name!r} exists already (--replace to remake "
                                "it)")
        if row is None:
            row = AlbumEdit(project_id=pctx.project_id, name=name)
            db.add(row)
        row.kind, row.title, row.segments = kind, title or row.title or "", stored
        row.crossfade_ms, row.files = float(crossfade_ms), []
        row.notes, row.author = notes or row.notes or "", author or row.author or ""
        db.flush()
        return _spec(db, pctx, row)


def album_edits(pctx) -> list[EditSpec]:
    """Every album edit, by name."""
    with transaction(pctx.engine) as db:
        rows = db.scalars(select(AlbumEdit).where(AlbumEdit.project_id == pctx.project_id)
                          .order_by(AlbumEdit.name)).all()
        return [_spec(db, pctx, r) for r in rows]


def get_edit(pctx, name: str) -> EditSpec:
    with transaction(pctx.engine) as db:
        return _spec(db, pctx, edit_row(db, pctx.project_id, name))


def edit_plan(pctx, name: str) -> EditPlan:
    """The edit's cut plan from the database (the mix files' lengths as stored)."""
    with transaction(pctx.engine) as db:
        row = edit_row(db, pctx.project_id, name)
        segs, fade_in, fade_out = _stored_segments(row)
        segs, audio, _ = _cue_audio(db, pctx, segs)
        return plan_edit(segs, audio, crossfade_ms=row.crossfade_ms, fade_in_ms=fade_in,
                         fade_out_ms=fade_out)


def remove_edit(pctx, name: str) -> None:
    """Remove an album edit and its candidate; refused while an album has it as a track."""
    with transaction(pctx.engine) as db:
        row = edit_row(db, pctx.project_id, name)
        used = db.scalars(select(AlbumTrack).join(
            AlbumCandidate, AlbumTrack.candidate_id == AlbumCandidate.id).where(
            AlbumCandidate.edit_id == row.id)).first()
        if used is not None:
            raise ConflictError(f"album edit {row.name!r} is a track of an album "
                                f"({used.medium} track {used.position}); take it off first")
        db.delete(row)


# -- rendering ---------------------------------------------------------------------------


class _Sources:
    """The open mix files of an edit's segments, read as 24-bit integers; silence
    outside a file."""

    def __init__(self, paths: list[Path], audio: list[CueAudio]) -> None:
        import soundfile as sf

        self.files = []
        try:
            for i, (path, cue) in enumerate(zip(paths, audio, strict=True), 1):
                handle = sf.SoundFile(str(path))
                self.files.append(handle)
                if (handle.samplerate, handle.channels) != (cue.sample_rate, cue.channels):
                    raise ValidationError(
                        f"segment {i}: cue {cue.cue} mix v{cue.mix}'s file does not match "
                        "its record", source=str(path), field="format",
                        value=f"{handle.channels} channels at {handle.samplerate} Hz",
                        valid=f"{cue.channels} channels at {cue.sample_rate} Hz")
        except BaseException:
            self.close()
            raise

    def read(self, index: int, first: int, count: int) -> np.ndarray:
        handle = self.files[index]
        out = np.zeros((count, handle.channels), dtype=np.int64)
        a, b = max(first, 0), min(first + count, handle.frames)
        if b > a:
            handle.seek(a)
            got = handle.read(frames=b - a, dtype="int32", always_2d=True)
            out[a - first:a - first + len(got)] = got.astype(np.int64) >> 8
        return out

    def close(self) -> None:
        for handle in self.files:
            handle.close()


def _file_audio(paths: list[Path], audio: list[CueAudio]) -> list[CueAudio]:
    """The audio as the files say (their real length and rate), for the render's plan."""
    from dataclasses import replace

    import soundfile as sf

    out = []
    for path, cue in zip(paths, audio, strict=True):
        info = sf.info(str(path))
        out.append(replace(cue, frames=int(info.frames)))
    return out


def render_edit(pctx, name: str, *, progress=None) -> EditSpec:
    """Render album edit ``name`` from its cues' mixes (streamed), store the file and
    record it on the edit (see the module's text).  ``progress(done, total)`` is called
    with samples written."""
    with transaction(pctx.engine) as db:
        row = edit_row(db, pctx.project_id, name)
        segs, fade_in, fade_out = _stored_segments(row)
        segs, audio, hashes = _cue_audio(db, pctx, segs)
        crossfade, version, edit_name = row.crossfade_ms, row.version, row.name
        title = row.title or row.name
    paths = []
    for i, (digest, cue) in enumerate(zip(hashes, audio, strict=True), 1):
        try:
            paths.append(pctx.media.path(digest))
        except NotFoundError:
            raise InputError(f"segment {i}: the file of cue {cue.cue} mix v{cue.mix} is "
                             "missing from the media store", field=f"segments[{i}].mix",
                             value=digest, valid="a stored file (mix the cue again)") from None
    audio = _file_audio(paths, audio)
    plan = plan_edit(segs, audio, crossfade_ms=crossfade, fade_in_ms=fade_in,
                     fade_out_ms=fade_out)
    clipped = Clipped()
    with children.scratch_folder(prefix="filmscore-album-edit-") as tmp:
        target = Path(tmp) / safe_name(re.sub(r"[^A-Za-z0-9._-]", "_", edit_name),
                                       fallback="edit", suffix=".wav")
        bext = Bext(description=f"album edit {title}: "
                                + " + ".join(f"{s.cue} {s.start}-{s.to}" for s in segs),
                    originator_reference=edit_name[:32],
                    coding_history=f"A=PCM,F={plan.sample_rate},W=24,T=filmscore album edit")
        sources = _Sources(paths, audio)
        try:
            with BwfWriter(target, plan.sample_rate, plan.channels, bext=bext) as out:
                for block in render_blocks(plan, sources.read, clipped=clipped):
                    out.write(block)
                    if progress is not None:
                        progress(out.frames, plan.frames)
        finally:
            sources.close()
        with pctx.media.adding():
            digest = pctx.media.put(target, ".wav")
            with transaction(pctx.engine) as db:
                row = edit_row(db, pctx.project_id, edit_name)
                if row.version != version:
                    raise ConflictError(f"album edit {edit_name!r} was changed while it "
                                        "rendered; render it again")
                row.files = [{"stem": MIX, "media_hash": digest, "frames": plan.frames,
                              "channels": plan.channels, "sample_rate": plan.sample_rate,
                              "mixes": {a.cue: a.mix for a in audio},
                              "clipped": clipped.samples}]
                db.flush()
                return _spec(db, pctx, row)


__all__ = ["END", "START", "EditSpec", "album_edits", "edit_plan", "get_edit", "make_edit",
           "remove_edit", "render_edit"]
