"""Each cue's tempo map in the project: set, read, find and solve (thin service functions).

The solving is pure (``sync.findtempo``, ``sync.solve``); this module reads the cue and its
sync points, calls it, and stores the chosen map in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from filmscore.errors import ConflictError, NotFoundError, ValidationError
from filmscore.fileio import inside, safe_name
from filmscore.model import Cue, CueTempoMap
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import spec_of
from filmscore.store import transaction
from filmscore.sync.tempomap import Segment, TempoMap
from filmscore.timecode import format_label

if TYPE_CHECKING:
    from filmscore.sync.solve import Solution


@dataclass(frozen=True)
class CueSync:
    """A cue, its sync points and its tempo map (None when it has none yet)."""

    cue: CueSpec
    tempo_map: TempoMap | None
    origin: str = ""
    version: int = 0  # the stored map's version (0: none yet), for edits that must not be stale

    @property
    def label(self) -> str:
        return f"cue {self.cue.number}"


def _with_syncs(query):
    """``query`` of cues with each cue's sync points and tempo map in the same statement
    (joined loads: lazy ones cost two statements a cue, 1 + 2N for a list)."""
    return query.options(joinedload(Cue.sync_points), joinedload(Cue.tempo_map))


def cue_row(session, project_id: int, number: str, *, loaded: bool = False) -> Cue:
    """The cue ``number``; with ``loaded``, its sync points and tempo map come with it."""
    wanted = str(parse_cue_number(str(number)))
    query = select(Cue).where(Cue.project_id == project_id, Cue.number == wanted)
    row = session.scalars(_with_syncs(query) if loaded else query).unique().first()
    if row is None:
        raise NotFoundError(f"no cue {wanted} in this project (see 'filmscore cue list')")
    return row


def _load(row: Cue) -> CueSync:
    stored = row.tempo_map
    tmap = TempoMap.from_dict(stored.data) if stored is not None else None
    return CueSync(spec_of(row), tmap, stored.origin if stored is not None else "",
                   stored.version if stored is not None else 0)


def cue_sync(pctx, number: str) -> CueSync:
    with transaction(pctx.engine) as session:
        return _load(cue_row(session, pctx.project_id, number, loaded=True))


def all_cue_syncs(pctx) -> list[CueSync]:
    """Every cue in picture order with its sync points and tempo map: one statement."""
    with transaction(pctx.engine) as session:
        rows = session.scalars(_with_syncs(
            select(Cue).where(Cue.project_id == pctx.project_id)
            .order_by(Cue.start_frame, Cue.number))).unique().all()
        return [_load(r) for r in rows]


def require_map(cs: CueSync) -> TempoMap:
    if cs.tempo_map is None:
        raise NotFoundError(f"cue {cs.cue.number} has no tempo map yet: make one with "
                            f"'filmscore tempo set {cs.cue.number} --tempo 120' or "
                            f"'filmscore tempo solve {cs.cue.number} --save'")
    return cs.tempo_map


def check_map_for_cue(tmap: TempoMap, cue: CueSpec) -> None:
    """Bar 1 must fall inside the cue (a pickup or count-in may start before it, but not
    before the first frame of the timeline)."""
    first = tmap.frame_at(tmap.first_beat_seconds)
    if first < 0:
        raise ValidationError(
            "the count-in would start before 00:00:00:00", field="count_in",
            value=f"{tmap.count_in_bars} bars, {tmap.pickup_beats} pickup beats",
            valid="fewer count-in bars, or bar 1 later in the cue")
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
                  note: str = "", expected_version: int | None = None) -> CueSync:
    """Store ``tmap`` as the cue's tempo map (replacing any), all or nothing; with
    ``expected_version`` (the map's version when read, 0: none) a map changed since is
    refused."""
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        if expected_version is not None:
            now = row.tempo_map.version if row.tempo_map is not None else 0
            if now != expected_version:
                raise ConflictError(f"the tempo map of cue {row.number} was changed by "
                                    f"someone else since you read it (version "
                                    f"{expected_version}, now {now}); nothing was saved: "
                                    f"look at it and apply again")
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



def cues_with_maps(pctx) -> list[str]:
    """Numbers of the cues that have a tempo map, in picture order."""
    return [str(cs.cue.number) for cs in all_cue_syncs(pctx) if cs.tempo_map is not None]


def cues_having(pctx, table) -> list[str]:
    """Numbers of the cues with at least one row in ``table`` (a model with a ``cue_id``:
    music versions, orchestrations), in picture order."""
    with transaction(pctx.engine) as session:
        having = set(session.scalars(select(Cue.number).join(table, table.cue_id == Cue.id)
                                     .where(Cue.project_id == pctx.project_id)))
    return [str(cs.cue.number) for cs in all_cue_syncs(pctx) if str(cs.cue.number) in having]


def set_map_by_hand(pctx, number: str, *, tempo: str | None, meter: str = "4/4",
                    segments: str | None = None, start: str | None = None,
                    count_in: int = 0, pickup: int = 0, subdivision: int = 1) -> CueSync:
    """``tempo set``: one tempo for the whole cue, or segments in the compact notation.

    With one tempo the map gets as many bars as reach the cue's end.  ``subdivision`` is
    the grid the click sheet measures the hits from (2: eighths).
    """
    from filmscore.errors import InputError
    from filmscore.sync.notation import parse_segments
    from filmscore.sync.tempomap import parse_meter, parse_tempo
    from filmscore.timecode import parse_label

    if (tempo is None) == (segments is None):
        raise InputError("give either --tempo or --segments", field="tempo",
                         valid="--tempo 120 (or 12-2), or --segments '8x4/4@120, 2x3/4@90'")
    cs = cue_sync(pctx, number)
    rate = pctx.rate
    start_frame = cs.cue.start_frame if start is None else parse_label(start, rate,
                                                                       field="start")
    if segments is not None:
        segs = parse_segments(segments, rate)
    else:
        segs = (Segment(1, parse_meter(meter), parse_tempo(tempo, rate)),)
        extra = bars_to_cover(cs.cue, start_frame, segs, rate)
        segs = (Segment(1 + extra, segs[0].meter, segs[0].tempo_bpm),)
    tmap = TempoMap(rate, start_frame, segs, count_in_bars=count_in, pickup_beats=pickup,
                    subdivision=subdivision)
    return set_tempo_map(pctx, number, tmap, origin="set")


# --- find and solve -------------------------------------------------------------------

#: the solver looks for tempos nearest this when the composer names none
DEFAULT_PREFER_BPM = Fraction(100)


def hits_of(cue: CueSpec) -> list:
    """The cue's sync points as find-tempo hits (the description is the label)."""
    from filmscore.sync.findtempo import Hit

    return [Hit(frame=s.frame, kind=s.kind, weight=s.weight,
                label=s.description or s.kind) for s in cue.sync_points]


def _anchor(pctx, cs: CueSync, start: str | None) -> int:
    from filmscore.timecode import parse_label

    if start is not None:
        return parse_label(start, pctx.rate, field="start")
    return cs.tempo_map.start_frame if cs.tempo_map is not None else cs.cue.start_frame


@dataclass(frozen=True)
class FindResult:
    cue: CueSpec
    candidates: list
    hard_hits: int
    applied: TempoMap | None = None


def find_for_cue(pctx, number: str, *, tempo_range=(Fraction(40), Fraction(240)),
                 tolerance_frames: Fraction = Fraction(1), subdivision: int = 1,
                 meter=None, start: str | None = None, apply: int | None = None,
                 top: int | None = 20, expected_version: int | None = None) -> FindResult:
    """Find tempo for a cue's hard hits; ``apply=N`` stores candidate N as its map (refused
    when the map is no longer at ``expected_version``, if given)."""
    from filmscore.errors import InputError
    from filmscore.sync.findtempo import find_tempos
    from filmscore.sync.tempomap import Meter

    meter = meter or Meter()
    cs = cue_sync(pctx, number)
    anchor = _anchor(pctx, cs, start)
    hits = hits_of(cs.cue)
    candidates = find_tempos(hits, start_frame=anchor, rate=pctx.rate, tempo_range=tempo_range,
                             tolerance_frames=tolerance_frames, subdivision=subdivision,
                             meter_beats=meter.numerator, top=top, cue=str(cs.cue.number))
    hard = sum(1 for h in hits if h.kind == "hard")
    if not candidates:
        raise ValidationError(
            f"no tempo lands every hard hit of cue {cs.cue.number}", field="range",
            value=f"{float(tempo_range[0]):g}-{float(tempo_range[1]):g} BPM within "
                  f"{tolerance_frames} frames",
            valid="a wider --range, a larger --tolerance, --subdivision 2, or "
                  "'filmscore tempo solve' for tempo changes")
    applied = None
    if apply is not None:
        if not 1 <= apply <= len(candidates):
            raise InputError("no such candidate", field="apply", value=str(apply),
                             valid=f"1 to {len(candidates)}" if candidates else
                             "none: no tempo lands every hard hit; relax --tolerance or --range")
        chosen = candidates[apply - 1]
        bpm = chosen.exact_bpm  # the frame-click in the interval, else the best, exactly
        segs = (Segment(1, meter, bpm),)
        segs = (Segment(1 + bars_to_cover(cs.cue, anchor, segs, pctx.rate), meter, bpm),)
        applied = set_tempo_map(pctx, number, TempoMap(pctx.rate, anchor, segs,
                                                       subdivision=subdivision),
                                origin="find", expected_version=expected_version).tempo_map
    return FindResult(cs.cue, candidates, hard, applied)


@dataclass(frozen=True)
class SolveResult:
    cue: CueSpec
    tempo_map: TempoMap
    solution: object


def solution_to_map(solution, *, rate, start_frame: int, meter, cue: CueSpec,
                    subdivision: int = 1) -> TempoMap:
    """Solved constant-tempo segments (in beats) as a tempo map of bars in ``meter``, solved
    on ``subdivision`` (the grid its hits land on)."""
    from filmscore.sync.tempomap import Meter

    segs: list[Segment] = []
    for solved in solution.segments:
        if solved.beats is None:
            probe = (*segs, Segment(1, meter, solved.tempo_bpm))
            bars = 1 + bars_to_cover(cue, start_frame, probe, rate)
            segs.append(Segment(bars, meter, solved.tempo_bpm))
            continue
        odd = solved.odd_bar_beats
        full_beats = solved.beats - (odd or 0)
        if full_beats:
            segs.append(Segment(full_beats // meter.numerator, meter, solved.tempo_bpm))
        if odd:
            segs.append(Segment(1, Meter(odd, meter.denominator), solved.tempo_bpm))
    return TempoMap(rate, start_frame, tuple(segs), subdivision=subdivision)


def solve_for_cue(pctx, number: str, *, tempo_range=(Fraction(40), Fraction(240)),
                  tolerance_frames: Fraction = Fraction(1),
                  max_change_ratio: Fraction = Fraction(15, 100), meter=None,
                  allow_bar_change: bool = False, start: str | None = None,
                  prefer_bpm: Fraction | None = DEFAULT_PREFER_BPM, subdivision: int = 1,
                  pins: str | None = None, save: bool = False) -> SolveResult:
    """The fewest tempo changes landing every hard hit of a cue; stored with ``save``.

    With ``subdivision`` 2 the hits may land on eighths (in 4/4): the solver works in
    eighth-note beats at twice the tempo, and the map is written back in the meter's beats.
    ``pins`` ('1-4@120, 9-10@12-2') fixes the tempo of those bars; the rest is re-solved.
    """
    from filmscore.sync.tempomap import Meter

    meter = meter or Meter()
    cs = cue_sync(pctx, number)
    anchor = _anchor(pctx, cs, start)
    tmap, solution = solve_cue(
        cs.cue, rate=pctx.rate, start_frame=anchor, tempo_range=tempo_range,
        tolerance_frames=tolerance_frames, max_change_ratio=max_change_ratio, meter=meter,
        allow_bar_change=allow_bar_change, prefer_bpm=prefer_bpm, subdivision=subdivision,
        pinned=parse_pins(pins, rate=pctx.rate, meter=meter, subdivision=subdivision)
        if pins and subdivision >= 1 else ())
    if save:
        tmap = set_tempo_map(pctx, number, tmap, origin="solve").tempo_map
    return SolveResult(cs.cue, tmap, solution)


def solve_cue(cue: CueSpec, *, rate, start_frame: int,
              tempo_range=(Fraction(40), Fraction(240)),
              tolerance_frames: Fraction = Fraction(1),
              max_change_ratio: Fraction = Fraction(15, 100), meter=None,
              allow_bar_change: bool = False,
              prefer_bpm: Fraction | None = DEFAULT_PREFER_BPM, subdivision: int = 1,
              pinned=()) -> tuple[TempoMap, Solution]:
    """``solve_for_cue`` without a project (pure): the cue's tempo map with bar 1 at
    ``start_frame``, and the solver's solution; ``pinned`` as ``parse_pins`` gives them."""
    from filmscore.errors import InputError
    from filmscore.sync.solve import solve_tempo_map
    from filmscore.sync.tempomap import Meter

    meter = meter or Meter()
    if subdivision < 1:
        raise InputError("subdivision must be 1 or more", field="subdivision",
                         value=str(subdivision), valid="1 (beats), 2 (eighths in 4/4), ...")
    sub = subdivision
    solution = solve_tempo_map(
        hits_of(cue), start_frame=start_frame, rate=rate,
        tempo_range=(tempo_range[0] * sub, tempo_range[1] * sub),
        tolerance_frames=tolerance_frames, meter_beats=meter.numerator * sub,
        max_change_ratio=max_change_ratio, allow_bar_change=allow_bar_change,
        prefer_bpm=None if prefer_bpm is None else prefer_bpm * sub,
        pinned=pinned, cue=str(cue.number))
    if sub > 1:
        solution = _in_meter_beats(solution, sub)
    tmap = solution_to_map(solution, rate=rate, start_frame=start_frame, meter=meter,
                           cue=cue, subdivision=sub)
    return tmap, solution


def _in_meter_beats(solution, sub: int):
    """A solution found in 1/``sub`` beats, expressed in the meter's beats."""
    segs = []
    for seg in solution.segments:
        odd = seg.odd_bar_beats
        if odd is not None and odd % sub:
            raise ValidationError("the solution needs a bar of a fractional beat count",
                                  field="bar-change", value=f"{odd}/{sub} beats",
                                  valid="solve without --bar-change, or with --subdivision 1")
        segs.append(replace(seg, start_beat=seg.start_beat // sub,
                            beats=None if seg.beats is None else seg.beats // sub,
                            tempo_bpm=seg.tempo_bpm / sub,
                            odd_bar_beats=None if odd is None else odd // sub))
    return replace(solution, segments=tuple(segs))


# --- what a tempo map makes: click sheet, MIDI, click track ---------------------------


def sync_points_of(cue: CueSpec) -> list[tuple[int, str, str]]:
    return [(s.frame, s.kind, s.description) for s in cue.sync_points]


def sheet_for(cue: CueSpec, tmap: TempoMap):
    """The click sheet of a cue (pure): each bar's timecode, tempo, frame-click and hits."""
    from filmscore.sync.clicksheet import click_sheet

    return click_sheet(tmap, sync_points_of(cue), cue_label=str(cue.number), title=cue.title)


def write_sheet(pctx, number: str, path) -> None:
    """Write the cue's click sheet as CSV or PDF (by suffix)."""
    from pathlib import Path

    from filmscore.formats import writer_for

    cs = cue_sync(pctx, number)
    sheet = sheet_for(cs.cue, require_map(cs))
    writer_for("clicksheet", Path(path))(sheet, Path(path), film_title=pctx.title)


def export_midi(pctx, number: str, path) -> None:
    """The tempo map as a Standard MIDI File, sync points as markers."""
    from pathlib import Path

    from filmscore.formats import writer_for

    cs = cue_sync(pctx, number)
    tmap = require_map(cs)
    markers = [(tmap.seconds_of_frame(f), f"{kind}: {text}".rstrip(": "))
               for f, kind, text in sync_points_of(cs.cue)]
    writer_for("tempo", Path(path))(tmap, Path(path), markers=markers,
                                    cue_label=f"{cs.cue.number} {cs.cue.title}".strip())


#: where an imported MIDI tempo map's bar 1 was placed (``import_midi``)
BAR_ONE_FROM = {"start": "--start", "offset": "the file's SMPTE offset",
                "cue": "the cue's start (the file has no SMPTE offset)"}


def import_midi(pctx, number: str, path, *, start: str | None = None
                ) -> tuple[CueSync, str]:
    """Read a tempo map from a Standard MIDI File and store it for the cue; with where its
    bar 1 was placed (a key of ``BAR_ONE_FROM``).

    Bar 1 goes to ``start`` (a timecode) when given, else where the file's SMPTE offset
    puts it.  A file without an offset (a DAW session that starts at 00:00:00:00, bar 1
    at its first tick) would put bar 1 at 00:00:00:00, outside any cue of a film that
    starts at hour 01: its bar 1 goes to the cue's start instead, and the caller says so.
    """
    from pathlib import Path

    from filmscore.errors import InputError
    from filmscore.formats import reader_for
    from filmscore.formats.midi_tempo import has_smpte_offset, load_midi
    from filmscore.timecode import parse_label

    path = Path(path)
    read = reader_for("tempo", path)
    midi = load_midi(path)
    if start is not None:
        start_frame, placed = parse_label(start, pctx.rate, field="start"), "start"
    elif has_smpte_offset(midi):
        start_frame, placed = None, "offset"
    else:
        start_frame, placed = cue_sync(pctx, number).cue.start_frame, "cue"
    tmap, _markers = read(path, pctx.rate, start_frame=start_frame, midi=midi)
    try:
        stored = set_tempo_map(pctx, number, tmap, origin="midi", note=path.name)
    except InputError as error:  # the file's map does not fit the cue: name the file
        if placed == "offset" and error.field == "start":
            error.valid = f"{error.valid}; or place bar 1 with --start"
        raise error.located(source=str(path)) from None
    return stored, placed


def _media_dir(pctx, kind: str):
    folder = pctx.directory / kind
    folder.mkdir(exist_ok=True)
    return folder


def _cue_file(cue: CueSpec, suffix: str) -> str:
    return f"{cue.number}{suffix}"


def render_clicks(pctx, number: str, *, out=None, subdivision: int = 1, count_in: bool = True,
                  warning_beats: int = 0, sample_rate: int = 48000) -> list:
    """Render a cue's click (48 kHz 24-bit WAV) and its MIDI tempo map beside it.

    The WAV starts on a frame boundary, at the first click's frame; its name says
    where to spot it (e.g. ``1M3_01.00.12.08.wav``).
    """
    from pathlib import Path

    from filmscore.formats import writer_for
    from filmscore.formats.bwf import time_reference
    from filmscore.sync.click import click_events, click_window, render_click
    from filmscore.timecode import format_label

    cs = cue_sync(pctx, number)
    tmap = require_map(cs)
    events = click_events(tmap, subdivision=subdivision, count_in=count_in,
                          warning_beats=warning_beats)
    origin, length = click_window(tmap, events)
    samples = render_click(events, sample_rate=sample_rate, origin_seconds=origin,
                           length_seconds=length, tmap=tmap)
    start_tc = format_label(tmap.frame_at(origin), tmap.rate)
    if out is None:
        stem = f"{cs.cue.number}_{start_tc.replace(':', '.').replace(';', '.')}"
        out = inside(_media_dir(pctx, "clicks"), safe_name(stem, fallback="click",
                                                           suffix=".wav"))
    out = Path(out)
    writer_for("click", out)(
        samples, out, sample_rate=sample_rate,
        time_reference=time_reference(tmap.absolute_seconds(origin), sample_rate),
        description=f"{pctx.title} - click {cs.cue.number} {cs.cue.title}, first sample "
                    f"at {start_tc}", reference=f"{cs.cue.number} click")
    midi = out.with_suffix(".mid")
    export_midi(pctx, number, midi)
    return [out, midi]


def render_streamers(pctx, number: str, *, out=None, streamer_seconds=Fraction(3),
                     flutters: bool = False, handles_seconds=Fraction(2),
                     progress=None) -> list:
    """The cue's picture (with ``handles_seconds`` before and after) with streamers into
    its sync points and its first downbeat, punches on them, the count-in clicks flashed,
    flutters on bar lines, burned-in timecode, bar|beat and cue number: the scoring
    stage's picture for this cue.

    The clip starts at the first count-in click when that is earlier than the handle;
    frames before the picture's first (a cue at the head of the reel) are black, so the
    count-in is seen.  One ffmpeg run cuts the clip out of the reel and draws on it;
    ``progress(done, total)`` follows its frames.

    Asked for another ``out`` (the stage pack's), the streamers already in the project's
    ``streamers/`` folder are copied instead when they were drawn from the same plan on
    the same picture by the same drawing code: each file carries that key
    (``streamers_key``) in its comment tag.
    """
    from pathlib import Path

    from filmscore.formats.overlay_video import render_overlays
    from filmscore.formats.video import comment_of, probe
    from filmscore.spotting.service import picture_video
    from filmscore.sync.streamers import plan_overlays

    cs = cue_sync(pctx, number)
    video, video_first = picture_video(pctx)
    info = probe(video)
    rate = pctx.rate
    handles = int((Fraction(handles_seconds) * rate.fps).__ceil__())
    tmap = cs.tempo_map
    first = max(cs.cue.start_frame - handles, video_first)
    bar_frames, count_in, downbeat = [], [], None
    if tmap is not None:
        beats = [b for b in tmap.beats() if b.sub == 0]
        bar_frames = [(tmap.frame_at(b.seconds), b.bar, b.beat) for b in beats]
        count_in = [tmap.frame_at(b.seconds) for b in beats if b.count_in]
        downbeat = tmap.start_frame
        first = min(first, *(f for f, _, _ in bar_frames))  # the count-in, over black
    first = max(first, 0)
    last = min(cs.cue.end_frame + handles, video_first + info.duration_frames)
    plan = plan_overlays(
        first_frame=first, frame_count=last - first, rate=rate,
        sync_points=[(f, kind, None) for f, kind, _ in sync_points_of(cs.cue)],
        bar_frames=bar_frames, streamer_seconds=streamer_seconds, flutters=flutters,
        cue_label=f"{cs.cue.number} {cs.cue.title}".strip(), count_in_frames=count_in,
        downbeat_frame=downbeat)
    key = streamers_key(plan, video, video_first)
    made = inside(pctx.directory / "streamers",
                  safe_name(cs.cue.number, fallback="cue", suffix=".mp4"))
    if out is None:
        _media_dir(pctx, "streamers")
    out = made if out is None else Path(out)
    if out.absolute() != made.absolute() and comment_of(made) == key:
        import shutil

        from filmscore.fileio import atomic_path

        with atomic_path(out) as tmp:
            shutil.copyfile(made, tmp)
        if progress is not None:
            progress(plan.frame_count, plan.frame_count)
        return [out]
    render_overlays(video, plan, out, video_first=video_first, progress=progress, info=info,
                    tag=key)
    return [out]


def streamers_key(plan, video, video_first: int) -> str:
    """What a streamer file is drawn from, as one tag: the overlay plan (every streamer,
    punch, flutter, label and the frames), the picture (its media store name is the hash
    of its bytes), where the picture starts, the encoder's settings and the source of the
    drawing code; equal keys, the same picture on the stage."""
    import hashlib
    from pathlib import Path

    from filmscore.formats import overlay_video

    digest = hashlib.sha256()
    for part in (repr(plan), Path(video).name, str(video_first), overlay_video.X264_PRESET,
                 str(overlay_video.X264_CRF)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(Path(overlay_video.__file__).read_bytes())
    return f"filmscore-streamers {digest.hexdigest()}"


_PIN = re.compile(r"^\s*(\d{1,4})\s*(?:-\s*(\d{1,4}))?\s*@\s*([\d./\-]+)\s*$")


def parse_pins(text: str, *, rate, meter, subdivision: int = 1) -> list:
    """'1-4@120, 9-10@12-2' -> pinned segments (bars FIRST-LAST at a tempo), in the
    solver's beats (1/``subdivision`` of the meter's beat)."""
    from filmscore.errors import InputError
    from filmscore.sync.solve import PinnedSegment
    from filmscore.sync.tempomap import parse_tempo

    pins = []
    for part in text.split(","):
        match = _PIN.match(part)
        if not match or int(match[2] or match[1]) < int(match[1]) or int(match[1]) < 1:
            raise InputError("not a pinned span of bars", field="pin", value=part.strip(),
                             valid="FIRST-LAST@TEMPO, e.g. 1-4@120 or 9-10@12-2")
        first, last = int(match[1]), int(match[2] or match[1])
        per_bar = meter.numerator * subdivision
        pins.append(PinnedSegment(start_beat=(first - 1) * per_bar,
                                  beats=(last - first + 1) * per_bar,
                                  tempo_bpm=parse_tempo(match[3], rate, field="pin")
                                  * subdivision))
    return pins


def parse_tempo_range(text: str, *, field: str = "range") -> tuple[Fraction, Fraction]:
    """'40-240' -> (40, 240) BPM, low below high."""
    from filmscore.errors import InputError

    low, sep, high = str(text).partition("-")
    try:
        if not sep:
            raise ValueError
        pair = Fraction(low.strip()), Fraction(high.strip())
    except (ValueError, ZeroDivisionError):
        raise InputError("not a tempo range", field=field, value=text,
                         valid="LOW-HIGH in BPM, e.g. 40-240") from None
    if not 0 < pair[0] < pair[1]:
        raise InputError("not a tempo range", field=field, value=text,
                         valid="LOW-HIGH in BPM with 0 < LOW < HIGH, e.g. 40-240")
    return pair
