"""Each cue's place in the film's music timeline (the ``placements`` table), and the
timeline itself built from the project: :func:`music_timeline`.

Where the audio of a cue sits: sample 0 of a cue's comp, and so of its mixes, is the
cue's start on the current picture (``cue.start_frame`` made exact seconds, times the
sample rate, rounded half up once: :func:`cue_start_sample`).  A placement with no
``start_frame`` follows the cue; one with a frame is a further use of the cue elsewhere.
The music is heard from ``start + head_trim`` to the end of the mix less ``tail_trim``;
with no mix yet, over the cue's spotted span.
"""

from __future__ import annotations

import os
import shutil
import warnings
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

from filmscore import children
from filmscore.errors import (
    FilmscoreWarning,
    InputError,
    NotFoundError,
    ValidationError,
)
from filmscore.fileio import safe_name
from filmscore.mixing.fit import Rendered, Segment, fade_shape, render_blocks, with_segues
from filmscore.mixing.timeline import MusicTimeline, Placed
from filmscore.mixing.vocabulary import LAYOUTS, MIX_CODE, STEM_BY_NAME, STEM_NAMES
from filmscore.model import Cue, Mix, PictureVersion, Placement, Project
from filmscore.rights.vocabulary import USAGES
from filmscore.store import transaction
from filmscore.sync.service import cue_row
from filmscore.timecode import frame_to_seconds, parse_label


def sample_of_frame(frame: int, rate, sample_rate: int) -> int:
    """The first sample of ``frame`` (exact seconds times the rate, rounded half up)."""
    return (frame_to_seconds(frame, rate) * sample_rate + Fraction(1, 2)).__floor__()


def frame_of_sample(sample: int, rate, sample_rate: int) -> int:
    """The frame a sample falls in: the last frame whose first sample
    (:func:`sample_of_frame`, rounded) is at or before it."""
    from filmscore.timecode import get_rate

    frame = (Fraction(sample, sample_rate) * get_rate(rate).fps).__floor__()
    while sample_of_frame(frame + 1, rate, sample_rate) <= sample:
        frame += 1
    while frame and sample_of_frame(frame, rate, sample_rate) > sample:
        frame -= 1
    return frame


def frame_after(sample: int, rate, sample_rate: int) -> int:
    """The first frame whose first sample is at or after ``sample`` (an exclusive end)."""
    frame = frame_of_sample(sample, rate, sample_rate)
    return frame if sample_of_frame(frame, rate, sample_rate) == sample else frame + 1


def cue_start_sample(pctx, start_frame: int) -> int:
    """Sample 0 of a cue's comp and mixes, counted from 00:00:00:00."""
    return sample_of_frame(start_frame, pctx.rate, pctx.sample_rate)


def music_timeline(pctx) -> MusicTimeline:
    """Every use of every cue in film order, with the mix each is heard in."""
    rate, sr = pctx.rate, pctx.sample_rate
    placed: list[Placed] = []
    with transaction(pctx.engine) as db:
        project = db.get(Project, pctx.project_id)
        picture = db.scalar(select(func.max(PictureVersion.number)).where(
            PictureVersion.project_id == pctx.project_id))
        cues = db.scalars(select(Cue).where(Cue.project_id == pctx.project_id)).all()
        for cue in cues:
            rows = db.scalars(select(Placement).where(Placement.cue_id == cue.id)
                              .order_by(Placement.use)).all()
            mixes = {m.number: m for m in db.scalars(select(Mix).where(Mix.cue_id == cue.id))}
            uses = rows or [None]
            for row in uses:
                number = (row.mix_number if row is not None and row.mix_number is not None
                          else max(mixes, default=None))
                mix = mixes.get(number) if number is not None else None
                start_frame = (row.start_frame if row is not None and row.start_frame
                               is not None else cue.start_frame)
                start = sample_of_frame(start_frame, rate, sr)
                length = (max((f.get("frames", 0) for f in mix.files), default=0)
                          if mix is not None else 0)
                if not length:  # not mixed: the spotted span
                    length = sample_of_frame(start_frame + cue.end_frame - cue.start_frame,
                                             rate, sr) - start
                head = row.head_trim if row is not None else 0
                tail = row.tail_trim if row is not None else 0
                a, b = start + head, start + max(head, length - tail)
                placed.append(Placed(
                    cue=cue.number, title=cue.title, use=row.use if row is not None else 1,
                    record_in=frame_of_sample(a, rate, sr),
                    record_out=max(frame_of_sample(a, rate, sr) + 1,
                                   frame_after(b, rate, sr)),
                    start_sample=a, end_sample=b,
                    usage=row.usage if row is not None else ("BI" if not cue.source
                                                             else "SRC"),
                    mix=number if mix is not None else None, head_trim=head, tail_trim=tail,
                    fade_in=row.fade_in if row is not None else 0,
                    fade_out=row.fade_out if row is not None else 0, source=bool(cue.source),
                    layout=mix.layout if mix is not None else None, origin=start,
                    length=length if mix is not None else 0, reel=cue.reel))
        title = project.title
    placed.sort(key=lambda p: (p.start_sample, p.cue, p.use))
    return MusicTimeline(title, rate, sr, picture, tuple(placed))


# -- the mixes' files -------------------------------------------------------------------


# -- placing a use of a cue --------------------------------------------------------------


def samples_of_ms(ms: float | str | Fraction, sample_rate: int, *, field: str) -> int:
    """Milliseconds as samples (exact, rounded half up once); refuses a negative time."""
    try:
        value = Fraction(str(ms)) if not isinstance(ms, Fraction) else ms
    except (ValueError, ZeroDivisionError):
        raise InputError("not a time in milliseconds", field=field, value=str(ms),
                         valid="a number of milliseconds, e.g. 250") from None
    if value < 0:
        raise InputError("a time cannot be negative", field=field, value=str(ms),
                         valid="0 or more milliseconds")
    return (value * sample_rate / 1000 + Fraction(1, 2)).__floor__()


def place(pctx, cue: str, *, use: int | None = None, at: str | None = None,
          head_trim_ms: float | None = None, tail_trim_ms: float | None = None,
          fade_in_ms: float | None = None, fade_out_ms: float | None = None,
          usage: str | None = None, mix: int | None = None) -> Placed:
    """Place a use of a cue on the film (one transaction) and return it as placed.

    ``use`` 1 (the default, or the next free number when ``at`` is given) follows the
    cue's start on the current picture; a further use (2, 3, ...) needs ``at``, a
    timecode label at the project rate where its audio's sample 0 goes.  Trims and fades
    are milliseconds (made samples once, half up); a value not given keeps what the use
    had (0 for a new use).  ``mix`` is the mix version heard (None: the latest).
    Refused with a one-line error: a trim that leaves no music, fades longer than what is
    left, an unknown usage, a mix that is not there."""
    sr = pctx.sample_rate
    with transaction(pctx.engine) as db:
        row_cue = cue_row(db, pctx.project_id, cue)
        rows = {p.use: p for p in db.scalars(select(Placement).where(
            Placement.cue_id == row_cue.id))}
        if use is None:
            use = (max(rows, default=1) + 1) if at is not None else 1
        if use < 1:
            raise InputError("a use is numbered from 1", field="use", value=use,
                             valid="1 (the cue at its own start), 2, 3 ... (further uses)")
        start_frame = None
        if at is not None:
            if use == 1:
                raise InputError("use 1 is the cue at its own start, which follows the "
                                 "picture", field="at", value=at,
                                 valid="no --at for use 1, or a further use (--use 2)")
            start_frame = parse_label(at, pctx.rate, field="at")
        elif use > 1 and (use not in rows or rows[use].start_frame is None):
            raise InputError(f"use {use} of {row_cue.number} needs a place on the film",
                             field="at", valid="a timecode, e.g. --at 01:02:03:04")
        if use > 1 and 1 not in rows:  # the cue at its own start stays a use
            db.add(Placement(cue_id=row_cue.id, use=1, head_trim=0, tail_trim=0, fade_in=0,
                             fade_out=0, usage="SRC" if row_cue.source else "BI"))
        row = rows.get(use)
        if row is None:
            row = Placement(cue_id=row_cue.id, use=use, head_trim=0, tail_trim=0,
                            fade_in=0, fade_out=0, usage="SRC" if row_cue.source else "BI")
            db.add(row)
        if start_frame is not None:
            row.start_frame = start_frame
        if usage is not None:
            if usage.upper() not in USAGES:
                raise InputError("unknown cue-sheet usage", field="usage", value=usage,
                                 valid=", ".join(USAGES))
            row.usage = usage.upper()
        mixes = {m.number: m for m in db.scalars(select(Mix).where(Mix.cue_id == row_cue.id))}
        if mix is not None:
            if mix not in mixes:
                raise NotFoundError(f"cue {row_cue.number} has no mix v{mix}; its mixes: "
                                    + (", ".join(f"v{n}" for n in sorted(mixes)) or "none"))
            row.mix_number = mix
        heard = mixes.get(row.mix_number if row.mix_number is not None
                          else max(mixes, default=-1))
        for name, value in (("head_trim", head_trim_ms), ("tail_trim", tail_trim_ms),
                            ("fade_in", fade_in_ms), ("fade_out", fade_out_ms)):
            if value is not None:
                setattr(row, name, samples_of_ms(value, sr, field=f"{name}_ms"))
        length = (max((f.get("frames", 0) for f in heard.files), default=0)
                  if heard is not None else 0)
        what = f"{heard.label}" if heard is not None else "the spotted span"
        if not length:
            length = (sample_of_frame(row_cue.end_frame, pctx.rate, sr)
                      - sample_of_frame(row_cue.start_frame, pctx.rate, sr))
        _check_fit(row_cue.number, use, row, length, sr, what)
        db.flush()
    timeline = music_timeline(pctx)
    return next(p for p in timeline.placements if p.cue == row_cue.number and p.use == use)


def _ms(samples: int, sr: int) -> str:
    return f"{float(Fraction(samples * 1000, sr)):g} ms"


def _check_fit(cue: str, use: int, row: Placement, length: int, sr: int, what: str) -> None:
    where = f"{cue} use {use}"
    if row.head_trim + row.tail_trim >= length:
        raise ValidationError(f"{where}: the trims leave no music of {what}",
                              field="head_trim_ms + tail_trim_ms",
                              value=_ms(row.head_trim + row.tail_trim, sr),
                              valid=f"less than {_ms(length, sr)}")
    left = length - row.head_trim - row.tail_trim
    if row.fade_in + row.fade_out > left:
        raise ValidationError(f"{where}: the fades are longer than the music left after "
                              "the trims", field="fade_in_ms + fade_out_ms",
                              value=_ms(row.fade_in + row.fade_out, sr),
                              valid=f"at most {_ms(left, sr)}")


# -- rendering the film's music ----------------------------------------------------------


@dataclass(frozen=True)
class RenderedTimeline:
    """The film's music rendered: one file per stem and the mix (stem -> path), where
    the files start (samples from 00:00:00:00, their bext TimeReference) and how long."""

    files: dict[str, Path]
    layout: str
    start_sample: int
    frames: int
    clipped: int
    silent: tuple[str, ...]  # uses with no mix yet, left silent


def timeline_layout(timeline: MusicTimeline) -> str:
    """The one channel layout of the placed uses' mixes; refuses a mixture, naming the
    cues of each layout, and a timeline with no mix at all, naming the cues."""
    mixed = [p for p in timeline.placements if p.layout is not None]
    if not mixed:
        names = ", ".join(p.name for p in timeline.placements) or "none placed"
        raise ValidationError("no cue is mixed yet: nothing to render or deliver",
                              field="mix", value=names, valid="mix the cues first "
                              "('filmscore mix')")
    layouts: dict[str, list[str]] = {}
    for p in mixed:
        layouts.setdefault(p.layout, []).append(p.name)
    if len(layouts) > 1:
        said = "; ".join(f"{layout}: {', '.join(names)}" for layout, names in layouts.items())
        raise ValidationError(f"the mixes are in different channel layouts ({said})",
                              field="layout", valid="one layout for every cue (choose "
                              "the mix version of each with 'filmscore place CUE --mix N')")
    return next(iter(layouts))


def _segments(timeline: MusicTimeline, fades: str) -> list[Segment]:
    return with_segues([Segment(p.name, p.start_sample, p.end_sample, p.origin, p.fade_in,
                                p.fade_out, fades, fades, "source" if p.source else "score")
                        for p in timeline.placements if p.layout is not None])


class MixSources:
    """The open files of one stem, one per segment (silence where a cue has none)."""

    def __init__(self, paths: list[Path | None], channels: int, sample_rate: int) -> None:
        import soundfile as sf

        self.files = []
        for path in paths:
            if path is None:
                self.files.append(None)
                continue
            handle = sf.SoundFile(str(path))
            if handle.samplerate != sample_rate or handle.channels != channels:
                handle.close()
                raise ValidationError("a mix file does not match the timeline",
                                      source=str(path), field="format",
                                      value=f"{handle.channels} channels at "
                                            f"{handle.samplerate} Hz",
                                      valid=f"{channels} channels at {sample_rate} Hz")
            self.files.append(handle)
        self.channels = channels

    def read(self, index: int, first: int, count: int) -> np.ndarray:
        handle = self.files[index]
        out = np.zeros((count, self.channels), dtype=np.int64)
        if handle is None or first >= handle.frames:
            return out
        handle.seek(max(first, 0))
        got = handle.read(frames=count, dtype="int32", always_2d=True)
        out[:len(got)] = got.astype(np.int64) >> 8  # 24-bit samples held in the top bits
        return out

    def close(self) -> None:
        for handle in self.files:
            if handle is not None:
                handle.close()


def render_timeline(pctx, folder: str | os.PathLike[str], *, fades: str = "equal_power",
                    name: str = "music", reel: int | None = None) -> RenderedTimeline:
    """Render the film's music, one file per stem and one for the mix
    (``<name>_<CODE>.wav``: music_STR.wav ... music_MIX.wav), 24-bit Broadcast WAV in the
    layout of the cues' mixes, from the first use's first sample to the last use's last,
    silence between; streamed in blocks.  ``reel``: only the uses of that reel's cues
    (``music_R2_STR.wav``...; a WAV file stops at 4 GiB, about 66 minutes of 5.1).  The
    files are written in a temporary folder beside ``folder`` and moved in only when all
    are done (a failure leaves nothing)."""
    from filmscore.formats.bwf import Bext, BwfWriter, time_reference

    fade_shape(fades)
    fades = fades.replace("-", "_")
    timeline = music_timeline(pctx)
    if reel is not None:
        reels = sorted({p.reel for p in timeline.placements})
        if reel not in reels:
            raise NotFoundError(f"no cue of reel {reel} is placed; reels: "
                                + (", ".join(map(str, reels)) or "none"))
        timeline = replace(timeline, placements=tuple(p for p in timeline.placements
                                                      if p.reel == reel))
        name = f"{name}_R{reel}"
    layout = timeline_layout(timeline)
    channels = len(LAYOUTS[layout])
    segments = _segments(timeline, fades)
    placed = [p for p in timeline.placements if p.layout is not None]
    from filmscore.mixing.mixes import mix_paths  # mixes reads placing: import here

    paths = [mix_paths(pctx, p.cue, p.mix) for p in placed]
    stems = [s for s in (*STEM_NAMES, "mix") if any(s in found for found in paths)]
    stems += sorted({s for found in paths for s in found} - set(stems))
    by_name = {p.name: i for i, p in enumerate(placed)}
    order = [by_name[s.name] for s in segments]
    start, end = segments[0].start, max(s.end for s in segments)
    sr = pctx.sample_rate
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    work = Path(children.make_scratch_folder(dir=target, prefix=".render-"))
    written: dict[str, Path] = {}
    counts = Rendered()
    try:
        for stem in stems:
            code = STEM_BY_NAME[stem].code if stem in STEM_BY_NAME else (
                MIX_CODE if stem == "mix" else stem.upper())
            file_name = safe_name(f"{name}_{code}", fallback="music", suffix=".wav")
            sources = MixSources([paths[i].get(stem) for i in order], channels, sr)
            bext = Bext(time_reference=time_reference(Fraction(start, sr), sr),
                        description=f"{timeline.title}: the film's music, {stem} ({layout})",
                        originator_reference=f"{name}_{code}"[:32],
                        coding_history=f"A=PCM,F={sr},W=24,M={layout},T=filmscore fit")
            try:
                with BwfWriter(work / file_name, sr, channels, bext=bext) as out:
                    for block in render_blocks(segments, start, end, channels,
                                               sources.read, counts=counts):
                        out.write(block)
            finally:
                sources.close()
            written[stem] = target / file_name
        for path in written.values():
            os.replace(work / path.name, path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    silent = tuple(p.name for p in timeline.placements if p.layout is None)
    if silent:
        warnings.warn(FilmscoreWarning("not mixed yet, left silent: " + ", ".join(silent)),
                      stacklevel=2)
    return RenderedTimeline(written, layout, start, end - start, counts.clipped, silent)
