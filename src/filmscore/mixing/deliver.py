"""Delivery to the dub: every placed use of a cue, its stems and its mix, as 48 kHz 24-bit
Broadcast WAV named by convention, the film's music timeline as OpenTimelineIO, AAF and
EDL, and a delivery report (PDF and CSV), written into one folder all or nothing.

What a file holds.  Each file is a use of a cue as it is heard on the film: from the
first sample heard (after the head trim) to the last (before the tail trim), with its
fades and the crossfade of a segue printed in (``mixing.fit``), so that the files spotted
by their TimeReference add up to the film's music (``placing.render_timeline``).  The
dub gets no handles: the trims are the music editor's decision (say so when a dub stage
asks for handles: place the cue without trims and deliver again).

Names: ``<CUE>_v<mix>_<CODE>.wav`` (``1M3_v2_STR.wav`` ... ``1M3_v2_MIX.wav``, codes from
``mixing.vocabulary``); a further use of a cue adds ``_U<use>`` (``1M3_v2_MIX_U2.wav``).
``bext``: Description (project, cue, title, stem, mix), Originator ``filmscore``,
OriginatorReference the file's name without ``.wav`` (cut to 32 characters),
TimeReference the first sample heard, in samples since midnight (00:00:00:00 is
midnight: ``time_reference``).  iXML: PROJECT, SCENE (the cue), TAKE (the mix version),
CIRCLED TRUE (the version delivered), NOTE, and TRACK_LIST with a TRACK per channel
(CHANNEL_INDEX, INTERLEAVE_INDEX, NAME ``STR L``..., FUNCTION from the spec's values:
``formats.ixml.TRACK_FUNCTIONS``).

Loudness and true peak of every file: the mix's own measured values where the file is
the whole mix unchanged, otherwise measured by :mod:`filmscore.mixing.meter` (BS.1770-4,
streamed; :func:`measure`).  The folder is built beside its place under a temporary
name and renamed into place when everything is written; a previous delivery in that
folder is replaced, any other non-empty folder refused.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import shutil
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
from sqlalchemy import select

from filmscore import children
from filmscore.errors import ConflictError, NotFoundError, ValidationError
from filmscore.mixing.fit import Segment, fade_shape, render_blocks, with_segues
from filmscore.mixing.mixes import mix_paths
from filmscore.mixing.placing import (
    MixSources,
    frame_after,
    frame_of_sample,
    music_timeline,
    timeline_layout,
)
from filmscore.mixing.timeline import DeliveredFile, Delivery, MusicTimeline, Placed
from filmscore.mixing.vocabulary import LAYOUTS, MIX_CODE, STEM_BY_NAME, STEM_NAMES
from filmscore.model import Cue, Mix
from filmscore.spotting.cues import parse_cue_number
from filmscore.store import transaction

REPORT = "delivery"  # delivery.csv, delivery.pdf
TIMELINES = ("music.otio", "music.aaf")  # written by the format registry's dub_timeline


def stem_code(stem: str) -> str:
    """The code of a stem in file names (``strings`` -> ``STR``, ``mix`` -> ``MIX``)."""
    if stem == "mix":
        return MIX_CODE
    return STEM_BY_NAME[stem].code if stem in STEM_BY_NAME else stem.upper()


def file_name(cue: str, mix: int, stem: str, use: int = 1) -> str:
    """``1M3_v2_STR.wav``; a further use: ``1M3_v2_STR_U2.wav``."""
    from filmscore.fileio import safe_name

    return safe_name(f"{cue}_v{mix}_{stem_code(stem)}" + (f"_U{use}" if use > 1 else ""),
                     fallback="music", suffix=".wav")


# -- loudness ----------------------------------------------------------------------------



#: what the delivery report says measured a file
MEASURED_BY = "filmscore BS.1770-4"


def measure(path: str | os.PathLike[str]) -> tuple[float | None, float | None]:
    """Integrated loudness (LUFS) and true peak (dBTP) of an audio file, streamed through
    :mod:`filmscore.mixing.meter` (ITU-R BS.1770-4, 4x oversampled true peak; checked
    against ffmpeg's ``ebur128`` in tests/mixing/test_meter.py); None for silence."""
    from filmscore.mixing.meter import measure_file

    got = measure_file(path)

    def value(number: float) -> float | None:
        return None if not math.isfinite(number) or number <= -70 else round(number, 2)

    return value(got.loudness_lufs), value(got.true_peak_dbtp)


# -- the delivery ------------------------------------------------------------------------


def _chosen(timeline: MusicTimeline, cues: list[str] | None) -> list[Placed]:
    """The uses to deliver: of ``cues`` (all when None), every one mixed (else refused,
    naming the cues that are not)."""
    placed = list(timeline.placements)
    if cues:
        wanted = [str(parse_cue_number(str(number))) for number in cues]
        known = {p.cue for p in placed}
        missing = [n for n in wanted if n not in known]
        if missing:
            raise NotFoundError("no cue " + ", ".join(missing) + " in this project (see "
                                "'filmscore cue list')")
        placed = [p for p in placed if p.cue in wanted]
    unmixed = sorted({p.cue for p in placed if p.layout is None})
    if len(unmixed) == len({p.cue for p in placed}):  # none mixed (or none placed)
        timeline_layout(replace(timeline, placements=tuple(placed)))  # refuses, naming them
    if unmixed:
        raise ValidationError("no mix yet of " + ", ".join(unmixed), field="mix",
                              valid="mix them first ('filmscore mix'), or deliver the "
                              "others: --cues " + " ".join(sorted({p.cue for p in placed
                                                                  if p.layout})))
    return placed


def _mix_values(pctx) -> dict[tuple[str, int], tuple[float | None, float | None]]:
    with transaction(pctx.engine) as db:
        rows = db.execute(select(Cue.number, Mix.number, Mix.loudness_lufs,
                                 Mix.true_peak_dbtp).join(Mix, Mix.cue_id == Cue.id).where(
            Cue.project_id == pctx.project_id)).all()
    return {(cue, number): (lufs, peak) for cue, number, lufs, peak in rows}


def _swap_in(work: Path, target: Path) -> None:
    """Rename the finished folder ``work`` to ``target`` (replacing a delivery there)."""
    if target.exists():
        if not target.is_dir():
            raise ConflictError(f"{target} is a file, not a delivery folder")
        if any(target.iterdir()) and not (target / f"{REPORT}.csv").is_file():
            raise ConflictError(f"{target} holds other files, not a delivery: choose "
                                "another folder with --out")
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
        try:
            os.replace(work, target)
        except OSError:
            os.replace(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, target)


def deliver(pctx, out: str | os.PathLike[str] | None = None, *,
            cues: list[str] | None = None, fades: str = "equal_power",
            date: str | None = None, measure_with=None, progress=None) -> Delivery:
    """Deliver the placed cues (all, or ``cues``) into the folder ``out`` (default
    ``<project>/delivery``): the Broadcast WAVs, ``music.otio``, ``music.aaf``,
    ``music_MIX.edl`` (and ``music_MIX_B.edl`` for the second track of segues),
    ``delivery.csv`` and ``delivery.pdf``.  All or nothing (see the module docstring).
    ``measure_with(path) -> (lufs, dbtp)`` replaces :func:`measure`; ``progress(done,
    total)`` is told as files are written."""
    from filmscore.formats import writer_for
    from filmscore.formats.bwf import Bext, BwfWriter, time_reference
    from filmscore.formats.delivery_csv import write_delivery_csv
    from filmscore.formats.delivery_pdf import write_delivery_pdf
    from filmscore.formats.dub_timeline import dub_timeline, write_dub_edls
    from filmscore.formats.ixml import TRACK_FUNCTIONS, IxmlTake, ixml_document

    fade_shape(fades)
    fades = fades.replace("-", "_")
    measure_with = measure_with or measure
    sr, rate = pctx.sample_rate, pctx.rate
    timeline = music_timeline(pctx)
    chosen = _chosen(timeline, cues)
    layout = timeline_layout(replace(timeline, placements=tuple(chosen)))
    labels = LAYOUTS[layout]
    channels = len(labels)
    mixed = [p for p in timeline.placements if p.layout is not None]
    segments = {s.name: s for s in with_segues([
        Segment(p.name, p.start_sample, p.end_sample, p.origin, p.fade_in, p.fade_out,
                fades, fades, "source" if p.source else "score") for p in mixed])}
    values = _mix_values(pctx)
    target = Path(out) if out is not None else pctx.directory / "delivery"
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(children.make_scratch_folder(dir=target.parent, prefix=f".{target.name}.part-"))
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(work, 0o777 & ~mask)  # mkdtemp makes it 0700: a folder's usual mode
    delivered: list[DeliveredFile] = []
    try:
        jobs = [(p, mix_paths(pctx, p.cue, p.mix)) for p in chosen]
        total = sum(len(paths) for _p, paths in jobs)
        for placed, paths in jobs:
            seg = segments[placed.name]
            stems = [s for s in (*STEM_NAMES, "mix") if s in paths]
            stems += sorted(set(paths) - set(stems))
            untouched = (seg.start == seg.origin and seg.fade_in == 0 and seg.fade_out == 0
                         and seg.end - seg.origin == placed.length)
            for stem in stems:
                name = file_name(placed.cue, placed.mix, stem, placed.use)
                code = stem_code(stem)
                what = "mix" if stem == "mix" else stem
                bext = Bext(
                    time_reference=time_reference(Fraction(seg.start, sr), sr),
                    description=(f"{timeline.title}: {placed.cue} {placed.title}, {what}, "
                                 f"mix v{placed.mix}, {layout}"
                                 + (f", use {placed.use}" if placed.use > 1 else "")),
                    originator_reference=name[:-4][:32],
                    coding_history=f"A=PCM,F={sr},W=24,M={layout},T=filmscore deliver")
                xml = ixml_document(IxmlTake(
                    project=timeline.title, scene=placed.cue, take=str(placed.mix),
                    circled=True, note=f"{what} of mix v{placed.mix} ({layout}), "
                                       f"use {placed.use}, usage {placed.usage}",
                    tracks=tuple(f"{code} {label}" for label in labels),
                    functions=TRACK_FUNCTIONS[("mix" if stem == "mix" else "track",
                                               layout)]))
                sources = MixSources([paths[stem]], channels, sr)
                try:
                    with BwfWriter(work / name, sr, channels, bext=bext,
                                   extra_chunks=[(b"iXML", xml)]) as writer:
                        for block in render_blocks([seg], seg.start, seg.end, channels,
                                                   sources.read):
                            writer.write(block)
                finally:
                    sources.close()
                own = values.get((placed.cue, placed.mix), (None, None))
                if stem == "mix" and untouched and own[0] is not None:
                    lufs, peak, by = own[0], own[1], f"mix v{placed.mix}"
                else:
                    (lufs, peak), by = measure_with(work / name), MEASURED_BY
                delivered.append(DeliveredFile(
                    name=name, cue=placed.cue, title=placed.title, use=placed.use,
                    stem=stem, code=code, mix=placed.mix, layout=layout, channels=channels,
                    sample_rate=sr, start_sample=seg.start, frames=seg.end - seg.start,
                    record_in=frame_of_sample(seg.start, rate, sr),
                    record_out=max(frame_of_sample(seg.start, rate, sr) + 1,
                                   frame_after(seg.end, rate, sr)),
                    loudness_lufs=lufs, true_peak_dbtp=peak, measured_by=by))
                if progress is not None:
                    progress(len(delivered), total)
        delivery = Delivery(folder=target, title=timeline.title, rate=rate, sample_rate=sr,
                            layout=layout, files=tuple(delivered), timelines=(),
                            reports=())
        otio_timeline = dub_timeline(delivery)
        written = [writer_for("dub_timeline", name)(otio_timeline, work / name).name
                   for name in TIMELINES]
        written += [p.name for p in write_dub_edls(delivery, work)]
        delivery = replace(delivery, timelines=tuple(written))
        date = date or _dt.date.today().isoformat()
        reports = (write_delivery_csv(delivery, work / f"{REPORT}.csv").name,
                   write_delivery_pdf(delivery, work / f"{REPORT}.pdf", date=date).name)
        delivery = replace(delivery, reports=reports)
        _swap_in(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return delivery


def delivered_samples(path: str | os.PathLike[str]) -> np.ndarray:
    """The samples of a delivered file as 24-bit integers (for checks and tests)."""
    import soundfile as sf

    data, _sr = sf.read(str(path), dtype="int32", always_2d=True)
    return data.astype(np.int64) >> 8
