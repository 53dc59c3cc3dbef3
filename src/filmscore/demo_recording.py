"""The demo's stages 5 and 6 (musicians and recording), on the Popeye cues.

The contractor imports the roster (demo/popeye1936/roster.csv, names invented); the
planner spreads the cues over three non-consecutive days (the short's four minutes of
music at two minutes a day, as a feature's hundred would be at twenty, cues over 45 s
split at bar lines); every planned session is booked from the roster, its call list and
the players' time per cue written, and the costs priced from the rate card.  On the
stage, every plan entry gets several takes (a false start, a breakdown or a complete
take, then the circled one) whose audio stands in for the orchestra: the cue's full
score rendered once per stem (strings, woodwinds, brass, percussion, harp_keys: the
mockup's FluidSynth renderer), cut to the entry's bars at the same samples in every stem,
each take with its own balance and colour but in time, written as Broadcast WAV placed on
the film by its bext TimeReference (see "Where a take's samples sit" below); then a
picture change asks for a pickup of a few bars of 1M4, planned into a pickup session and
recorded.  The music editor's cue sheet
(CSV, PDF), the plan (CSV, PDF) and the first session's stage pack close the stage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

from filmscore import children

#: the recording days: a Monday, a Wednesday and a Friday (non-consecutive)
DAYS = (date(2027, 3, 1), date(2027, 3, 3), date(2027, 3, 5))
#: the pickup day, a week after the first session
PICKUP_DAY = date(2027, 3, 8)
#: the stage's time zone (a Los Angeles scoring stage)
TZ = "America/Los_Angeles"
STAGE = "Stage A"
#: the short's four minutes at two minutes a day, as a feature's hundred at twenty
MINUTES_PER_DAY = 2
#: cues longer than this are recorded in parts split at bar lines
SPLIT_OVER_S = 45
#: the picture change that asks for a pickup
PICKUP = ("1M4", 5, 8, "picture change: the roc lands 6 frames later; re-record bars 5-8")


@dataclass
class RecordingResult:
    """What the demo's recording stage made."""

    plan: object  # PlanReport
    sessions: list = field(default_factory=list)  # PlannedSession, in time order
    booked: dict = field(default_factory=dict)  # session -> AutoBooking
    takes: list = field(default_factory=list)  # TakeSpec
    sheet: object = None  # CueSheet
    costs: object = None  # ScoreCost
    pickup: object = None  # PickupInfo
    files: dict[str, Path] = field(default_factory=dict)


# --- the takes' audio: the orchestration rendered per stem, cut to each take's bars ------
#
# Where a take's samples sit on the film.  Every stem render of a cue is a mockup
# (``writing.mockup.render_mockup``) of the full score's parts of that stem under the cue's
# tempo map, so its sample 0 is the mockup's: the cue's first click, bar 1 minus the
# count-in (or pickup), ``tempo_map.first_beat_seconds`` from bar 1 (MIDI tick 0,
# FluidSynth's sample 0).  On the film that is ``tempo_map.absolute_seconds(
# first_beat_seconds)`` seconds after 00:00:00:00: times the project's sample rate, rounded
# half up ONCE (the mockup's own bext stamp, ``bwf.time_reference``), it is the film sample
# of render sample 0 (``CueStems.first_sample``).  Render sample k is film sample
# ``first_sample + k``, so a take cut from render sample k0 has bext TimeReference
# ``first_sample + k0``: the one rounding is shared by every stem and every take of the
# cue, so all of them are sample-aligned with one another; against the exact film time
# they are all off by the same fraction of a sample (< 1/2; FluidSynth's own note timing
# jitters by up to ~2 ms, see writing/mockup.py), so a bar line the comp computes from
# the tempo map in film samples (exact seconds times the rate, rounded once) falls within
# one sample of where the take has it.  A film sample is a sample since
# 00:00:00:00 at the project's rate (``mixing.placing``: ``sample_of_frame``,
# ``cue_start_sample``); the demo's reel starts at 01:00:00:00, so no count-in wraps
# past midnight.
#
# A take holds its bars plus handles a comp's crossfades need: it starts one bar before
# its first bar (a run-up; at bar 1, the count-in: the render's sample 0) and ends
# ``RING_OUT_S`` after its last bar (at the cue's last bar, the render's end: the release).

#: how long a take runs on after its last bar (the players stop, the room rings)
RING_OUT_S = Fraction(1)
#: the balance of a take: each stem of each take within this many dB of the take's level
TAKE_BALANCE_DB = 1.5
#: the tilt of a take (brighter or darker: a player closer to a microphone, another
#: bowing): up to this much of the signal's highs (the signal less its centred moving
#: average over TILT_WIDTH samples: zero-phase, about 2.5 kHz up at 48 kHz) added in or
#: taken out
TILT_RANGE = 0.4
TILT_WIDTH = 9


@dataclass(frozen=True)
class CueStems:
    """A cue's orchestration rendered once per stem (FluidSynth, 24-bit WAV), all the
    files sample-aligned: sample 0 of every one is the cue's first click (bar 1 minus
    the count-in, ``origin`` seconds from bar 1), which is film sample ``first_sample``
    (see the note above).  The files may differ in length (each ends with its last note's
    release): past its end a stem is silent."""

    cue: str
    tempo_map: object  # TempoMap
    origin: Fraction
    first_sample: int
    sample_rate: int
    files: dict[str, Path]  # stem name (mixing.vocabulary.STEMS order) -> render
    frames: int  # the longest file's length
    trim_db: dict[str, float] = field(default_factory=dict)  # a lowered render raised back

    def sample_of_bar(self, bar: int) -> int:
        """Render sample of ``bar``'s downbeat (the tempo map's exact time, half up)."""
        return self.tempo_map.sample_at(self.tempo_map.seconds_of((bar, 1)),
                                        sample_rate=self.sample_rate,
                                        origin_seconds=self.origin)


def stem_music(cs) -> dict:
    """The full score (``cs``: an ``orchestration.service.CueScore``) as one Music per
    stem: its parts with notes grouped by ``mixing.vocabulary.STEM_OF_SECTION`` of their
    chair's instrument's section, in ``STEMS`` order (only the stems the cue uses)."""
    import warnings

    from filmscore.errors import FilmscoreWarning, InputError
    from filmscore.formats.musicxml import read_music
    from filmscore.mixing.vocabulary import STEM_NAMES, STEM_OF_SECTION
    from filmscore.orchestration.instruments import get_instrument

    with warnings.catch_warnings():  # marks the reader cannot carry: a mockup ignores them
        warnings.simplefilter("ignore", FilmscoreWarning)
        music = read_music(cs.full_score, unpitched=True)
    labels = sorted((c.label for c in cs.ensemble.chairs), key=len, reverse=True)
    groups: dict[str, list] = {}
    for part in music.parts:
        if not part.notes:
            continue
        use = cs.instrumentation.use(part.name)
        if use is None:  # a divisi staff ("Violin II 2"): its chair is the longest prefix
            label = next((x for x in labels if part.name.lower().startswith(x.lower())), None)
            use = cs.instrumentation.use(label) if label else None
        if use is None or not use.instruments:
            raise InputError("a full-score part names no chair of the cue's instrumentation",
                             source=str(cs.full_score), field="part", value=part.name,
                             valid=", ".join(u.chair for u in cs.instrumentation.uses))
        section = get_instrument(use.instruments[0]).section
        groups.setdefault(STEM_OF_SECTION[section], []).append(part)
    return {name: music.with_parts(groups[name]) for name in STEM_NAMES if name in groups}


def render_cue_stems(pctx, numbers, folder: Path, *, workers: int = 2,
                     soundfont: str = "fluidr3") -> dict[str, CueStems]:
    """Every cue of ``numbers`` rendered once per stem into ``folder`` (FluidSynth through
    ``writing.mockup.render_many``: the mockup's renderer, ``workers`` processes), for its
    takes to be cut from."""
    import soundfile

    from filmscore.orchestration.service import cue_score
    from filmscore.writing.mockup import STEM_HEADROOM_DB, MockupJob, render_many

    jobs, plan = [], []
    for number in numbers:
        cs = cue_score(pctx, number)
        out = folder / number
        out.mkdir(parents=True, exist_ok=True)
        for stem, music in stem_music(cs).items():
            # rendered in float and written at the mockup's stem level (STEM_HEADROOM_DB
            # under FluidSynth's output): without a click and a loudness-normalised mix
            # FluidSynth writes 24 bits itself, and clips a loud brass section at full
            # scale; with the click (not used: a few ms) and no mix, half the time of a
            # normalised mix
            jobs.append(MockupJob(music, out, cs.tempo_map, {
                "soundfont": soundfont, "click": True, "normalise": False,
                "sample_rate": pctx.sample_rate, "name": f"{number}_{stem}"}))
            plan.append((number, stem, cs.tempo_map))
    results = render_many(jobs, workers=workers)
    files: dict[str, dict[str, Path]] = {}
    trims: dict[str, dict[str, float]] = {}
    for (number, stem, _), result in zip(plan, results, strict=True):
        files.setdefault(number, {})[stem] = result.music_stem
        # a render the mockup lowered past the headroom (a peak near full scale): its
        # takes are raised back, so that the stems keep the orchestra's balance
        trims.setdefault(number, {})[stem] = -STEM_HEADROOM_DB - result.stem_gain_db
    found: dict[str, CueStems] = {}
    for number, by_stem in files.items():
        tmap = next(t for n, _, t in plan if n == number)
        origin = tmap.first_beat_seconds
        # the film sample of render sample 0: exact seconds times the rate, half up, once
        first = (tmap.absolute_seconds(origin) * pctx.sample_rate + Fraction(1, 2)).__floor__()
        frames = max(soundfile.info(str(f)).frames for f in by_stem.values())
        found[number] = CueStems(number, tmap, origin, first, pctx.sample_rate, by_stem,
                                 frames, trims[number])
    return found


def take_window(stems: CueStems, bar_from: int | None, bar_to: int | None, *,
                seconds: float | None = None) -> tuple[int, int]:
    """The render samples [start, end) a take of bars ``bar_from``-``bar_to`` holds: one
    bar of run-up before its first bar (the count-in at bar 1), ``RING_OUT_S`` after its
    last (the release at the cue's end); a take stopped after ``seconds`` (a false start,
    a breakdown) ends that long after its first bar's downbeat."""
    tmap = stems.tempo_map
    first = bar_from if bar_from is not None else 1
    last = bar_to if bar_to is not None else tmap.bar_count
    start = 0 if first <= 1 else stems.sample_of_bar(first - 1)
    if last >= tmap.bar_count:
        end = stems.frames
    else:
        end = min(stems.frames, stems.sample_of_bar(last + 1) +
                  (RING_OUT_S * stems.sample_rate).__floor__())
    if seconds is not None:
        end = min(end, stems.sample_of_bar(first) +
                  (Fraction(seconds) * stems.sample_rate).__floor__())
    return start, end


def _read_span(path: Path, start: int, end: int):
    """Samples [start, end) of a render as float64 (n, 2); silence past its end."""
    import numpy as np
    import soundfile

    out = np.zeros((end - start, 2))
    with soundfile.SoundFile(str(path)) as handle:
        if start < handle.frames:
            handle.seek(start)
            got = handle.read(frames=end - start, dtype="float64", always_2d=True)
            out[:len(got), :got.shape[1]] = got
    return out


def _take_character(take: int, stems) -> tuple[dict[str, float], float]:
    """A take's balance (a gain per stem) and tilt: the same take always sounds the same,
    two takes of a cue always differ audibly (each stem's level by about 1 dB or more between
    consecutive takes: steps of the golden ratio over +-``TAKE_BALANCE_DB``), and none is
    shifted in time (they were played to the click)."""
    golden = (math.sqrt(5) - 1) / 2
    level = 0.98 ** take  # a little quieter at every take, as before
    gains = {s: level * 10 ** (TAKE_BALANCE_DB * (2 * ((take * golden + i * 0.3) % 1) - 1)
                               / 20) for i, s in enumerate(stems)}
    return gains, TILT_RANGE * (2 * ((take * (1 - golden) + 0.5) % 1) - 1)


def take_stems(stems: CueStems, entry, folder: Path, take: int, *,
               seconds: float | None = None) -> tuple[dict[str, Path], int]:
    """A take of ``entry``'s bars: every stem of the cue cut from its render at the same
    samples (``take_window``), with the take's balance and tilt (``_take_character``),
    written as 24-bit Broadcast WAV whose bext TimeReference is the film sample of the
    take's first sample (``stems.first_sample + start``); ({stem: path}, that sample)."""
    import numpy as np

    from filmscore.formats.bwf import Bext, write_bwf
    from filmscore.writing.loudness import PCM24_MAX, to_pcm24

    start, end = take_window(stems, entry.bar_from, entry.bar_to, seconds=seconds)
    reference = stems.first_sample + start
    gains, tilt = _take_character(take, stems.files)
    rng = np.random.default_rng(take)  # the dither: reproducible files
    paths: dict[str, Path] = {}
    for stem, render in stems.files.items():
        span = _read_span(render, start, end)
        span = _tilted(span, tilt) * (gains[stem] * 10 ** (stems.trim_db.get(stem, 0.0)
                                                           / 20))
        peak = float(np.abs(span).max(initial=0.0))
        if peak > PCM24_MAX / (PCM24_MAX + 1):  # never clipped: the whole take a bit lower
            span *= PCM24_MAX / (PCM24_MAX + 1) / peak
        path = folder / f"{stems.cue}_{entry.position}_{take}_{stem}.wav"
        paths[stem] = write_bwf(path, to_pcm24(span, rng=rng), stems.sample_rate, bits=24,
                                bext=Bext(time_reference=reference,
                                          description=f"{stems.cue} take {take} {stem}",
                                          originator="filmscore demo",
                                          originator_reference=f"{stems.cue}-{take}-{stem}",
                                          coding_history=f"A=PCM,F={stems.sample_rate},"
                                                         "W=24,M=stereo,T=filmscore demo"))
    return paths, reference


def _tilted(span, amount: float):
    """``span`` plus ``amount`` times its highs (itself less its centred moving average
    over ``TILT_WIDTH`` samples): symmetric, so zero-phase: colour, no shift in time."""
    import numpy as np

    half = TILT_WIDTH // 2
    if len(span) <= TILT_WIDTH or not amount:
        return span
    padded = np.pad(span, ((half + 1, half), (0, 0)), mode="edge")
    sums = np.cumsum(padded, axis=0)
    average = (sums[TILT_WIDTH:] - sums[:-TILT_WIDTH]) / TILT_WIDTH
    return span + amount * (span - average)


def _record_tc(pctx, sample: int) -> str:
    """The record timecode of a film sample: the frame it falls in."""
    from filmscore.mixing.placing import frame_of_sample
    from filmscore.timecode import format_label

    return format_label(frame_of_sample(sample, pctx.rate, pctx.sample_rate), pctx.rate)


def _file_name(session: str) -> str:
    """A session's name as a file name ('2027-03-01 10:00' -> '2027-03-01 10h00')."""
    return session.replace(":", "h")


def _bars(entry) -> str | None:
    if entry.bar_from is None:
        return None
    return f"{entry.bar_from}-{entry.bar_to}"


def _record_session(pctx, planned, scratch: Path, log: list,
                    stems: dict[str, CueStems]) -> None:
    """Takes of every entry of one session, as a music editor logs them on the stage:
    each with its stems (``take_stems``) at the record timecode of its first sample."""
    from filmscore.recording.takes import log_take

    name = planned.session.name
    for k, entry in enumerate(planned.entries):
        number = entry.cue
        bars = _bars(entry)
        # a false start on every other entry, a breakdown now and then (else a first
        # run-through), then complete takes; the last is circled
        pick = len(log) + k
        script = []
        if k % 2 == 0:
            script.append(("false start", 4.0, NOTES["false start"][pick % 3]))
        if entry.difficulty >= 4 and k % 3 == 1:
            script.append(("breakdown", 12.0, NOTES["breakdown"][pick % 3]))
        if not script:  # a run-through before the takes that count
            script.append(("complete", None, "rehearsal take: balance check"))
        script.append(("complete", None, NOTES["complete"][pick % 3]))
        script.append(("complete", None, NOTES["circled"][pick % 3]))
        for t, (kind, seconds, note) in enumerate(script, 1):
            circled = t == len(script)
            audio, first = take_stems(stems[number], entry, scratch, t, seconds=seconds)
            log.append(log_take(pctx, number, kind=kind, circled=circled, bars=bars,
                                section=entry.part, notes=note, tc=_record_tc(pctx, first),
                                session=name, audio=audio, logged_by="music editor"))


#: what the music editor writes beside the takes
NOTES = {
    "false start": ("stopped at the count-in: wrong click", "false start: the brass early",
                    "stopped: page turn in the 2nd violins"),
    "breakdown": ("horns lost at the tempo change", "broke down at the hit: click too loud "
                  "in the cans", "stopped: wrong notes in the trumpets (part corrected)"),
    "complete": ("good, a little rushed", "safety: intonation in the winds",
                 "all right; try it a hair slower into the hit"),
    "circled": ("print it", "the one: hits land", "print: best balance of the day"),
}


def recording_stage(pctx, out: Path, roster: Path, *, title: str, step) -> RecordingResult:
    """Roster, plan, bookings, call lists, costs, takes, a pickup, the cue sheet and the
    first session's stage pack (files under ``out``)."""
    from filmscore.formats.calllist_csv import write_calllist_csv, write_costs_csv
    from filmscore.formats.calllist_pdf import write_calllist_pdf, write_costs_pdf
    from filmscore.formats.plan_csv import write_plan_csv
    from filmscore.formats.plan_pdf import write_plan_pdf
    from filmscore.musicians.booking import auto_book
    from filmscore.musicians.service import demo_roster, project_ratecard
    from filmscore.musicians.timelog import (
        log_time_from_plan,
        project_costs,
        session_call_list,
    )
    from filmscore.recording.planning import (
        add_pickup,
        make_plan,
        plan_pickups,
        session_plan,
    )
    from filmscore.recording.stagepack_service import write_stage_pack
    from filmscore.recording.takes import take_sheet, write_take_sheet

    step("Musicians: the roster (invented names) into the project")
    demo_roster(pctx, roster, book=False)
    step(f"Recording: planning the cues over {len(DAYS)} days with OR-Tools CP-SAT "
         f"({MINUTES_PER_DAY} minutes a day, cues over {SPLIT_OVER_S} s split at bar lines)")
    report = make_plan(pctx, list(DAYS), minutes_per_day=MINUTES_PER_DAY,
                       split_over_s=SPLIT_OVER_S, tz=TZ, stage=STAGE, time_limit_s=20)
    result = RecordingResult(plan=report)
    sessions = session_plan(pctx)
    step("Musicians: booking every planned session from the roster; call lists, time per cue")
    done = demo_roster(pctx, roster, book=True)
    result.booked = done["sessions"]
    rec = out / "recording"
    with children.scratch_folder(prefix="filmscore-takes-") as tmp:
        numbers = list(dict.fromkeys(e.cue for s in sessions for e in s.entries))
        step(f"Recording: the orchestra of {len(numbers)} cues, each rendered once per "
             "stem from its full score (FluidSynth, in parallel): the takes' source")
        stems = render_cue_stems(pctx, numbers, Path(tmp) / "renders")
        for n, planned in enumerate(sessions, 1):
            step(f"Recording {n}/{len(sessions)}: session {planned.session.name}: "
                 f"{len(planned.entries)} cues, takes logged with their stems")
            _record_session(pctx, planned, Path(tmp), result.takes, stems)
        step("Recording: a picture change asks for a pickup of 1M4 bars 5-8; "
             "planned and recorded")
        cue, first, last, why = PICKUP
        # (a stand-in film given with --data may have no 1M4: no pickup then)
        if any(e.cue == cue for s in sessions for e in s.entries):
            result.pickup = add_pickup(pctx, cue, first, last, reason=why,
                                       author="music editor")
            plan_pickups(pctx, [PICKUP_DAY], tz=TZ, stage=STAGE)
        pickup_sessions = [s for s in session_plan(pctx) if s.session.kind == "pickup"]
        for planned in pickup_sessions:
            name = planned.session.name
            result.booked[name] = auto_book(pctx, name)  # the players the bars need
            log_time_from_plan(pctx, name)
            _record_pickup(pctx, planned, Path(tmp), result.takes, stems)
        sessions = session_plan(pctx)
    result.sessions = sessions
    calls = rec / "call-lists"
    calls.mkdir(parents=True, exist_ok=True)
    for planned in sessions:  # the pickup session's too
        name = planned.session.name
        sheet = session_call_list(pctx, name)
        write_calllist_pdf(sheet, calls / f"{_file_name(name)}.pdf", film_title=title)
        write_calllist_csv(sheet, calls / f"{_file_name(name)}.csv")
    step("Musicians: the costs per session, per cue and for the score (the rate card)")
    result.costs = project_costs(pctx)
    files = result.files
    files["costs_pdf"] = write_costs_pdf(result.costs, rec / "costs.pdf", film_title=title,
                                         card_name=project_ratecard(pctx).name)
    files["costs_csv"] = write_costs_csv(result.costs, rec / "costs.csv")
    files["call_lists"] = calls
    files["plan_pdf"] = write_plan_pdf(sessions, rec / "session-plan.pdf", rate=pctx.rate,
                                       title=title)
    files["plan_csv"] = write_plan_csv(sessions, rec / "session-plan.csv", rate=pctx.rate)
    step("Recording: the music editor's cue sheet (every take, the circled ones, "
         "what is left)")
    result.sheet = take_sheet(pctx)
    csv_path, pdf_path = write_take_sheet(pctx, csv=rec / "cue-sheet.csv",
                                          pdf=rec / "cue-sheet.pdf")
    files["cue_sheet_csv"], files["cue_sheet_pdf"] = csv_path, pdf_path
    first = sessions[0].session.name
    step(f"Recording: the stage pack of session {first} (run sheet, clicks, tempo maps, "
         "streamers, parts)")
    pack = write_stage_pack(pctx, first, rec / "stage-pack" / _file_name(first))
    files["stage_pack"] = pack.folder
    return result


def _record_pickup(pctx, planned, scratch: Path, log: list,
                   stems: dict[str, CueStems]) -> None:
    from filmscore.recording.takes import log_take

    for entry in planned.entries:
        if entry.cue not in stems:  # a cue no session had (not in the demo)
            stems.update(render_cue_stems(pctx, [entry.cue], scratch / "renders"))
        for t, (circled, note) in enumerate(((False, "late on the new hit"),
                                             (True, "lands the roc; print")), 1):
            audio, first = take_stems(stems[entry.cue], entry, scratch, 10 + t)
            log.append(log_take(pctx, entry.cue, kind="pickup", circled=circled,
                                bars=_bars(entry), notes=note, tc=_record_tc(pctx, first),
                                session=planned.session.name, audio=audio,
                                logged_by="music editor"))
