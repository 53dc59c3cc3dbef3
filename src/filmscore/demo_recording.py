"""The demo's stages 5 and 6 (musicians and recording), on the Popeye cues.

The contractor imports the roster (demo/popeye1936/roster.csv, names invented); the
planner spreads the cues over three non-consecutive days (the short's four minutes of
music at two minutes a day, as a feature's hundred would be at twenty, cues over 45 s
split at bar lines); every planned session is booked from the roster, its call list and
the players' time per cue written, and the costs priced from the rate card.  On the
stage, every plan entry gets several takes (a false start, a breakdown or a complete
take, then the circled one) whose audio is the cue's mockup standing in for the
orchestra, cut to the entry's bars; then a picture change asks for a pickup of a few
bars of 1M4, planned into a pickup session and recorded.  The music editor's cue sheet
(CSV, PDF), the plan (CSV, PDF) and the first session's stage pack close the stage.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

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


def _take_audio(pctx, number: str, entry, scratch: Path, take: int, *,
                seconds: float | None = None) -> Path:
    """The cue's mockup (music stem) cut to the entry's bars (or its first ``seconds``),
    a little quieter at every take so that no two takes are the same file."""
    import numpy as np
    import soundfile as sf

    from filmscore.sync.service import cue_sync

    wav = Path(pctx.directory) / "mockups" / number / f"{number}_v1_music.wav"
    data, rate = sf.read(wav, dtype="float32", always_2d=True)
    tmap = cue_sync(pctx, number).tempo_map
    origin = tmap.first_beat_seconds  # the mockup's sample 0 (seconds from bar 1)
    start = Fraction(0)
    end = Fraction(len(data), rate)
    if entry.bar_from is not None and entry.bar_from > 1:
        start = tmap.seconds_of((entry.bar_from, 1)) - origin
    if entry.bar_to is not None and entry.bar_to < tmap.bar_count:
        end = tmap.seconds_of((entry.bar_to + 1, 1)) - origin
    if seconds is not None:
        end = min(end, start + Fraction(seconds))
    piece = data[int(start * rate):int(end * rate)] * np.float32(0.98 ** take)
    path = scratch / f"{number}_{entry.position}_{take}.wav"
    sf.write(path, piece, rate, subtype="PCM_24")
    return path


def _file_name(session: str) -> str:
    """A session's name as a file name ('2027-03-01 10:00' -> '2027-03-01 10h00')."""
    return session.replace(":", "h")


def _bars(entry) -> str | None:
    if entry.bar_from is None:
        return None
    return f"{entry.bar_from}-{entry.bar_to}"


def _record_session(pctx, planned, scratch: Path, log: list) -> None:
    """Takes of every entry of one session, as a music editor logs them on the stage."""
    from filmscore.recording.takes import log_take

    name = planned.session.name
    for k, entry in enumerate(planned.entries):
        number = entry.cue
        tc = _entry_tc(pctx, entry)
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
            audio = _take_audio(pctx, number, entry, scratch, t, seconds=seconds)
            log.append(log_take(pctx, number, kind=kind, circled=circled, bars=bars,
                                section=entry.part, notes=note, tc=tc, session=name,
                                audio={"orchestra": audio}, logged_by="music editor"))


def _entry_tc(pctx, entry) -> str:
    """Where the entry's music starts on the film: its first bar's downbeat."""
    from filmscore.sync.service import cue_sync
    from filmscore.timecode import format_label

    tmap = cue_sync(pctx, entry.cue).tempo_map
    return format_label(tmap.frame_at(tmap.seconds_of((entry.bar_from or 1, 1))), pctx.rate)


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
    with tempfile.TemporaryDirectory(prefix="filmscore-takes-") as tmp:
        for n, planned in enumerate(sessions, 1):
            step(f"Recording {n}/{len(sessions)}: session {planned.session.name}: "
                 f"{len(planned.entries)} cues, takes logged with their audio")
            _record_session(pctx, planned, Path(tmp), result.takes)
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
            _record_pickup(pctx, planned, Path(tmp), result.takes)
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


def _record_pickup(pctx, planned, scratch: Path, log: list) -> None:
    from filmscore.recording.takes import log_take

    for entry in planned.entries:
        tc = _entry_tc(pctx, entry)
        for t, (circled, note) in enumerate(((False, "late on the new hit"),
                                             (True, "lands the roc; print")), 1):
            audio = _take_audio(pctx, entry.cue, entry, scratch, 10 + t)
            log.append(log_take(pctx, entry.cue, kind="pickup", circled=circled,
                                bars=_bars(entry), notes=note, tc=tc,
                                session=planned.session.name, audio={"orchestra": audio},
                                logged_by="music editor"))
