"""The stage pack of a session (thin): its run sheet and, per cue, the files the stage's
playback rig needs, with a timeline the engineer loads in one step.

``write_stage_pack`` reads the session's plan entries, cues, tempo maps, orchestrations,
music versions and takes; calls the pure run sheet (``recording.stagepack``) and the
existing renderers (``sync.service.render_clicks`` and ``render_streamers``,
``writing.mockup.render_mockup`` for the electronics, ``orchestration.service.copy_cue``
for parts and score); and writes the pack folder atomically: everything is made in a
scratch folder beside ``out_dir`` and renamed into place at the end (a pack already
there is replaced only then).  Layout::

    OUT_DIR/
      run sheet.pdf, run sheet.csv
      cues/1M1/1M1 click.wav          Broadcast WAV, bext time reference = first click
               1M1 tempo.mid          tempo map, SMPTE offset = first click
               1M1 streamers.mp4      picture with streamers, its own start timecode
               1M1 electronics.wav    prerecorded synth parts (when the cue has any)
               1M1 score.pdf, parts/  conductor's score and parts (when orchestrated)
      books/Violin 1.pdf              a book per chair (with ``books``)
      timeline.otio, timeline.xml     click, electronics and streamers at record timecode
      manifest.json                   every file, its timecode, frame and sample offsets
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from filmscore import children
from filmscore.errors import InputError, NotFoundError
from filmscore.fileio import inside, safe_name
from filmscore.limits import check_path, is_digits
from filmscore.model import Cue, MusicVersion, Orchestration, Pickup, PlanEntry
from filmscore.recording.revisions import revision_of
from filmscore.recording.sessions import get_session, session_row
from filmscore.recording.stagepack import (
    EntryInput,
    RunSheet,
    bar_span,
    csv_rows,
    electronic_parts,
    frame_aligned,
    run_sheet,
)
from filmscore.spotting.service import spec_of
from filmscore.store import transaction
from filmscore.sync.tempomap import TempoMap
from filmscore.timecode import format_label

SAMPLE_RATE = 48000
#: which files of a cue go on the session's timeline: kind -> (track, audio or video)
TIMELINE_TRACKS = {"click": ("Click", "audio"), "electronics": ("Electronics", "audio"),
                   "streamers": ("Streamers", "video")}


@dataclass(frozen=True)
class PackFile:
    """One file of the pack: where (relative to the pack), what, for which cue, and where
    it sits in time (frames at the project rate; audio: samples since midnight)."""

    path: str
    kind: str  # run sheet, click, tempo map, streamers, electronics, part, score, ...
    cue: str = ""
    start_frame: int | None = None
    duration_frames: int | None = None
    sample_rate: int | None = None
    time_reference: int | None = None  # bext: samples since midnight of the first sample


@dataclass(frozen=True)
class CuePack:
    cue: str
    title: str
    files: tuple[PackFile, ...]
    electronics: bool
    revised: str = ""

    @property
    def summary(self) -> str:
        kinds = [f.kind for f in self.files]
        parts = kinds.count("part")
        bits = [k for k in ("click", "tempo map", "streamers", "electronics", "score")
                if k in kinds]
        if parts:
            bits.append(f"{parts} parts")
        if not self.electronics:
            bits.append("no electronics")
        if self.revised:
            bits.append(self.revised)
        return f"{self.cue} {self.title}: {', '.join(bits)}".replace(" :", ":")


@dataclass(frozen=True)
class StagePack:
    folder: Path
    session: str
    sheet: RunSheet
    cues: tuple[CuePack, ...]
    files: tuple[PackFile, ...] = field(default_factory=tuple)

    def path(self, file: PackFile) -> Path:
        return self.folder / file.path


# --- reading the session ----------------------------------------------------------------


@dataclass(frozen=True)
class _CueInfo:
    number: str
    tempo_map: TempoMap | None
    orchestration: int | None
    music_version: int | None
    revised: str
    electronics: tuple  # the music's electronic parts
    music: object  # the latest music version (writing.music.Music) or None


def _revised_mark(text: str) -> str:
    """'Revised 2026-12-05 (orchestration v2)' -> 'parts revised 2026-12-05 (...)'."""
    if not text:
        return ""
    what = "parts" if "orchestration" in text else "music"
    return f"{what} r{text[1:]}"


def _cue_info(pctx, session, row: Cue) -> _CueInfo:
    from filmscore.writing.service import read_music_file

    tmap = TempoMap.from_dict(row.tempo_map.data) if row.tempo_map is not None else None
    orch = session.scalars(select(Orchestration).where(Orchestration.cue_id == row.id)
                           .order_by(Orchestration.number.desc())).first()
    version = session.scalars(select(MusicVersion).where(MusicVersion.cue_id == row.id)
                              .order_by(MusicVersion.number.desc())).first()
    music, electronics = None, ()
    if version is not None:
        music = read_music_file(pctx.media.path(version.media_hash))
        electronics = electronic_parts(music)
    onum = orch.number if orch is not None else None
    vnum = version.number if version is not None else None
    return _CueInfo(row.number, tmap, onum, vnum,
                    _revised_mark(revision_of(session, row.id, onum, vnum)), electronics,
                    music)


def _stands(info: _CueInfo, chairs: tuple[str, ...]) -> tuple[str, ...]:
    if info.orchestration is None:
        return ("no parts yet: the cue is not orchestrated",)
    parts = ", ".join(chairs) if chairs else "every chair playing"
    return (f"score v{info.orchestration}", f"parts v{info.orchestration}: {parts}")


def _pickup(session, pickup_id: int | None) -> str:
    """'pickup bars 5-8: picture change' (the pickup an entry records), or ''."""
    if pickup_id is None:
        return ""
    row = session.get(Pickup, pickup_id)
    if row is None:
        return ""
    span = bar_span(row.bar_from, row.bar_to)
    bars = ("the whole cue" if span == "all" else
            f"bar {span}" if is_digits(span) else f"bars {span}")
    return f"pickup {bars}: {row.reason}" if row.reason else f"pickup {bars}"


def _read(pctx, session_name: str) -> tuple[list[EntryInput], dict[str, _CueInfo], list]:
    with transaction(pctx.engine) as session:
        srow = session_row(session, pctx.project_id, session_name)
        rows = session.scalars(select(PlanEntry).where(PlanEntry.session_id == srow.id)
                               .order_by(PlanEntry.position)).all()
        if not rows:
            raise NotFoundError(f"session {session_name!r} has no plan entries; run "
                                f"'filmscore plan make' first")
        infos: dict[str, _CueInfo] = {}
        items, specs = [], {}
        for entry in rows:
            cue = session.get(Cue, entry.cue_id)
            if cue.number not in infos:
                infos[cue.number] = _cue_info(pctx, session, cue)
                specs[cue.number] = spec_of(cue)
            info = infos[cue.number]
            chairs = tuple(entry.chairs or ())
            items.append(EntryInput(
                entry.position, specs[cue.number], entry.duration_frames, info.tempo_map,
                entry.part or "", entry.bar_from, entry.bar_to, entry.group,
                entry.difficulty, chairs, _stands(info, chairs), info.revised,
                bool(info.electronics), _pickup(session, entry.pickup_id)))
    return items, infos, [(n, specs[n]) for n in infos]


def stage_run_sheet(pctx, session_name: str) -> RunSheet:
    """The session's run sheet (plain values); refused when it has no plan entries."""
    items, _, _ = _read(pctx, session_name)
    return _sheet(pctx, session_name, items)


def _sheet(pctx, session_name: str, items: list[EntryInput]) -> RunSheet:
    spec = get_session(pctx, session_name)
    starts, ends = spec.local_start, spec.local_end  # on the stage's clock
    return run_sheet(items, rate=pctx.rate, film_title=pctx.title, session=spec.name,
                     date=starts.date().isoformat(), time=f"{starts:%H:%M}-{ends:%H:%M}",
                     stage=spec.stage)


# --- rendering ----------------------------------------------------------------------------


def _safe(text: str) -> str:
    return safe_name(text, fallback="session")


def _frames_of(samples: int, sample_rate: int, rate) -> int:
    return int((Fraction(samples, sample_rate) * rate.fps).__ceil__())


def _click(pctx, number: str, folder: Path, rel: str, tmap: TempoMap) -> list[PackFile]:
    import soundfile

    from filmscore.formats.bwf import read_bext
    from filmscore.sync.click import click_events, click_window
    from filmscore.sync.service import render_clicks

    out = inside(folder, safe_name(f"{number} click", fallback="cue", suffix=".wav"))
    wav, midi = render_clicks(pctx, number, out=out, sample_rate=SAMPLE_RATE)
    tempo = inside(folder, safe_name(f"{number} tempo", fallback="cue", suffix=".mid"))
    midi.replace(tempo)
    origin, _ = click_window(tmap, click_events(tmap))
    frame = tmap.frame_at(origin)
    samples = soundfile.info(str(wav)).frames
    bext = read_bext(wav)
    first_click = tmap.frame_at(tmap.first_beat_seconds)
    return [PackFile(f"{rel}/{wav.name}", "click", number, frame,
                     _frames_of(samples, SAMPLE_RATE, pctx.rate), SAMPLE_RATE,
                     bext.time_reference if bext else None),
            PackFile(f"{rel}/{tempo.name}", "tempo map", number, first_click)]


def _streamers(pctx, number: str, folder: Path, rel: str) -> PackFile:
    from filmscore.formats.video import probe
    from filmscore.sync.service import render_streamers

    (out,) = render_streamers(pctx, number, out=inside(folder, safe_name(
        f"{number} streamers", fallback="cue", suffix=".mp4")))
    info = probe(out)
    return PackFile(f"{rel}/{out.name}", "streamers", number, info.start_frame,
                    info.duration_frames)


def _electronics(pctx, info: _CueInfo, cue, folder: Path, rel: str) -> PackFile:
    """The cue's electronic parts rendered (FluidSynth) and padded to start on the frame
    of its first click, stamped with that frame's time of day."""
    import numpy as np
    import soundfile

    from filmscore.formats.bwf import time_reference
    from filmscore.timecode import frame_to_seconds
    from filmscore.writing.mockup import render_mockup, write_wav

    tmap = info.tempo_map
    music = info.music.with_parts(info.electronics)
    with children.scratch_folder(prefix="filmscore-electronics-") as tmp:
        done = render_mockup(music, Path(tmp), tempo_map=tmap, click=False,
                             sample_rate=SAMPLE_RATE, name="electronics",
                             instrumentation=cue.instrumentation or None)
        samples, _ = soundfile.read(str(done.music_stem), dtype="int32", always_2d=True)
    samples = samples >> 8  # soundfile gives 24-bit audio left-aligned in 32 bits
    origin = tmap.absolute_seconds(tmap.first_beat_seconds)
    frame, pad = frame_aligned(origin, pctx.rate, SAMPLE_RATE)
    samples = np.concatenate([np.zeros((pad, samples.shape[1]), dtype=np.int32), samples])
    stamp = time_reference(frame_to_seconds(frame, pctx.rate), SAMPLE_RATE)
    out = write_wav(inside(folder, safe_name(f"{info.number} electronics", fallback="cue",
                                                       suffix=".wav")), samples, SAMPLE_RATE, stamp)
    return PackFile(f"{rel}/{out.name}", "electronics", info.number, frame,
                    _frames_of(len(samples), SAMPLE_RATE, pctx.rate), SAMPLE_RATE, stamp)


def _parts(pctx, number: str, folder: Path, rel: str, scratch: Path) -> list[PackFile]:
    from filmscore.orchestration.service import copy_cue

    done = copy_cue(pctx, number, scratch / "copy" / _safe(number), parts=True, score=True)
    out = []
    (folder / "parts").mkdir(exist_ok=True)
    for pdf in (*done.parts, *done.tacets):
        target = folder / "parts" / pdf.name
        pdf.replace(target)
        out.append(PackFile(f"{rel}/parts/{pdf.name}", "part", number))
    if done.score is not None:
        target = folder / done.score.name
        done.score.replace(target)
        out.append(PackFile(f"{rel}/{target.name}", "score", number))
    return out


# --- the pack ------------------------------------------------------------------------------


def _manifest(pack_files: list[PackFile], sheet: RunSheet, rate, start: int | None) -> dict:
    files = []
    for f in pack_files:
        item: dict = {"path": f.path, "kind": f.kind}
        if f.cue:
            item["cue"] = f.cue
        if f.start_frame is not None:
            item["timecode"] = format_label(f.start_frame, rate)
            item["frame"] = f.start_frame
            if start is not None:
                offset = f.start_frame - start
                item["frame_offset"] = offset
                exact = Fraction(offset) * SAMPLE_RATE / rate.fps
                item["sample_offset"] = int(exact.__round__())
                if exact.denominator != 1:
                    item["sample_offset_exact"] = str(exact)
        if f.duration_frames is not None:
            item["duration_frames"] = f.duration_frames
        if f.sample_rate is not None:
            item["sample_rate"] = f.sample_rate
        if f.time_reference is not None:
            item["bext_time_reference"] = f.time_reference
        files.append(item)
    return {
        "film": sheet.film_title, "session": sheet.session, "date": sheet.date,
        "stage": sheet.stage, "rate": rate.name, "sample_rate": SAMPLE_RATE,
        "timeline_start": None if start is None else format_label(start, rate),
        "timeline_start_frame": start,
        "offsets": "frame_offset and sample_offset count from timeline_start",
        "cues": list(sheet.cue_numbers), "files": files,
    }


def _write_sheet(sheet: RunSheet, scratch: Path) -> list[PackFile]:
    from filmscore.fileio import write_atomic
    from filmscore.formats.runsheet_pdf import write_runsheet_pdf

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(csv_rows(sheet))
    write_atomic(scratch / "run sheet.csv", buffer.getvalue())
    write_runsheet_pdf(sheet, scratch / "run sheet.pdf")
    return [PackFile("run sheet.pdf", "run sheet"), PackFile("run sheet.csv", "run sheet")]


def _require_maps(infos: dict[str, _CueInfo]) -> None:
    for info in infos.values():
        if info.tempo_map is None:
            raise NotFoundError(
                f"cue {info.number} has no tempo map, so it has no click: make one with "
                f"'filmscore tempo set {info.number} --tempo 120' or "
                f"'filmscore tempo solve {info.number} --save'")


def _books(pctx, sheet: RunSheet, infos: dict[str, _CueInfo], scratch: Path
           ) -> list[PackFile]:
    """A book per chair (``orchestration.service.session_books``): the session's
    orchestrated cues in recording order, a part or tacet sheet each, in one PDF."""
    from filmscore.orchestration.service import session_books

    numbers = [n for n in sheet.cue_numbers if infos[n].orchestration is not None]
    if not numbers:
        return []
    done = session_books(pctx, numbers, scratch / ".work" / "books", session=sheet.session,
                         date=sheet.date)
    (scratch / "books").mkdir()
    out = []
    for book in done.books:
        book.replace(scratch / "books" / book.name)
        out.append(PackFile(f"books/{book.name}", "book"))
    return out


def write_stage_pack(pctx, session_name: str, out_dir: Path, *, video: bool = True,
                     books: bool = False,
                     progress: Callable[[CuePack, int, int], None] | None = None
                     ) -> StagePack:
    """Write the stage pack of ``session_name`` into the folder ``out_dir`` (replaced as a
    whole at the end, never half-written); ``video=False`` leaves out the streamer videos
    (the slow part); ``books=True`` adds a session book per chair (every orchestrated cue
    of the session in recording order: the parts are engraved a second time);
    ``progress(cue_pack, done, total)`` is called as each cue is done."""
    from filmscore.formats.stage_timeline import TimelineClip, write_stage_timeline

    target = Path(out_dir).absolute()
    check_path(target, "no folder can have this name", source=str(target))
    if target.exists() and not target.is_dir():
        raise InputError("the stage pack is a folder", source=str(target),
                         valid="a folder to write (or replace), not a file")
    items, infos, specs = _read(pctx, session_name)
    sheet = _sheet(pctx, session_name, items)
    _require_maps(infos)
    if video:
        from filmscore.spotting.service import picture_video

        picture_video(pctx)  # refused before any work when there is no picture
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(children.make_scratch_folder(prefix=f".{target.name}.", dir=target.parent))
    try:
        files = _write_sheet(sheet, scratch)
        cues, clips = [], []
        for number, spec in specs:
            info = infos[number]
            rel = f"cues/{_safe(number)}"
            folder = scratch / rel
            folder.mkdir(parents=True)
            made = _click(pctx, number, folder, rel, info.tempo_map)
            if video:
                made.append(_streamers(pctx, number, folder, rel))
            if info.electronics:
                made.append(_electronics(pctx, info, spec, folder, rel))
            if info.orchestration is not None:
                made += _parts(pctx, number, folder, rel, scratch / ".work")
            for f in made:
                track = TIMELINE_TRACKS.get(f.kind)
                if track is not None:
                    clips.append(TimelineClip(track[0], track[1], f"{number} {f.kind}",
                                              f.path, f.start_frame, f.duration_frames))
            cue_pack = CuePack(number, spec.title, tuple(made), bool(info.electronics),
                               info.revised)
            cues.append(cue_pack)
            files += made
            if progress is not None:
                progress(cue_pack, len(cues), len(specs))
        if books:
            files += _books(pctx, sheet, infos, scratch)
        shutil.rmtree(scratch / ".work", ignore_errors=True)
        start = min((c.start_frame for c in clips), default=None)
        name = f"{pctx.title} - {sheet.session}"
        write_stage_timeline(clips, scratch / "timeline.otio", name=name, rate=pctx.rate)
        write_stage_timeline(clips, scratch / "timeline.xml", name=name, rate=pctx.rate,
                             base=target)
        files += [PackFile("timeline.otio", "timeline"), PackFile("timeline.xml", "timeline")]
        files.append(PackFile("manifest.json", "manifest"))
        manifest = _manifest(files, sheet, pctx.rate, start)
        (scratch / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                               encoding="utf-8")
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            target.replace(old / "pack")
        scratch.replace(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return StagePack(target, sheet.session, sheet, tuple(cues), tuple(files))


__all__ = ["CuePack", "PackFile", "StagePack", "stage_run_sheet", "write_stage_pack"]
