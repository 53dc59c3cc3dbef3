"""The take log on the stage: log a take, circle it, note it, list, the cue sheet, export.

Thin service functions over :mod:`filmscore.recording.takelog` (the arithmetic) and the
``takes`` table.  Each change is one transaction.  A take's audio (one file per stem or
microphone group) is checked to be audio (soundfile), copied into the media store by
content hash *before* the take's row is written, so that an interrupted entry leaves
no take without its audio and loses nothing already logged (a stored file no row names
yet is a harmless orphan; a failed entry removes the files it stored).

A take records what it was played from (the cue's current orchestration number, music
version and tempo-map version); the cue sheet calls it out of date when any has moved on.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

from sqlalchemy import func, select

from filmscore.errors import (
    ConflictError,
    FilmscoreWarning,
    InputError,
    NotFoundError,
    ParseError,
)
from filmscore.fileio import UniqueNames, inside, make_folder
from filmscore.limits import check
from filmscore.model import (
    Cue,
    CueTempoMap,
    MusicVersion,
    Orchestration,
    Pickup,
    PlanEntry,
    Project,
    RecordingSession,
    Take,
)
from filmscore.recording.sessions import local_time, session_row
from filmscore.recording.takelog import (
    CueSheet,
    CueState,
    PickupSpec,
    PlanItem,
    TakeSpec,
    check_bars,
    check_kind,
    cue_sheet,
    next_take_number,
    parse_bars,
    pickup_for,
)
from filmscore.recording.vocabulary import TAKE_NUMBERING
from filmscore.store import transaction
from filmscore.sync.service import cue_row
from filmscore.timecode import parse_label

#: audio files that get iXML on export (others are copied as they are)
WAV_SUFFIXES = (".wav", ".bwf")


@dataclass(frozen=True)
class AudioFile:
    """One stem of a take as given: its stem name and file, checked to be audio."""

    stem: str
    path: Path
    sample_rate: int
    channels: int
    frames: int
    format: str


# -- reading the database -------------------------------------------------------------


def _local_day(moment: datetime | None, tz: str = "") -> date | None:
    """The day of ``moment`` on the stage's clock (``tz``: the session's zone)."""
    return local_time(moment, tz).date() if moment is not None else None


def _spec(row: Take, cue_number: str, session: RecordingSession | None) -> TakeSpec:
    return TakeSpec(
        cue=cue_number, number=row.number, kind=row.kind, circled=row.circled,
        bar_from=row.bar_from, bar_to=row.bar_to, section=row.section, notes=row.notes,
        timecode_frame=row.timecode_frame, session=session.name if session else None,
        day=_local_day(session.starts_at if session else row.created_at,
                       session.tz if session else ""),
        stems=tuple(a.get("stem", "") for a in row.audio or []),
        orchestration_number=row.orchestration_number, music_version=row.music_version,
        tempo_map_version=row.tempo_map_version, flagged=row.flagged,
        pickup_id=row.pickup_id, id=row.id)


def _cue_state(session, cue: Cue) -> CueState:
    from filmscore.sync.tempomap import TempoMap

    orch = session.scalar(select(func.max(Orchestration.number))
                          .where(Orchestration.cue_id == cue.id))
    music = session.scalar(select(func.max(MusicVersion.number))
                           .where(MusicVersion.cue_id == cue.id))
    stored = session.scalars(select(CueTempoMap).where(CueTempoMap.cue_id == cue.id)).first()
    bar_count, bar_frames = None, ()
    if stored is not None:
        tmap = TempoMap.from_dict(stored.data)
        bar_count = tmap.bar_count
        starts = [tmap.seconds_of((b, 1)) for b in range(1, bar_count + 1)]
        starts.append(tmap.end_seconds)
        # the bar lines' frames as the tempo map places them (nearest frame, as the
        # planner and the click sheet have them), counted from bar 1
        bar_frames = tuple(tmap.frame_at(s) - tmap.frame_at(Fraction(0)) for s in starts)
    return CueState(cue.number, cue.title, cue.end_frame - cue.start_frame, bar_count,
                    bar_frames, orch, music, stored.version if stored is not None else None)


def _project(session, pctx) -> Project:
    return session.get(Project, pctx.project_id)


def _take_row(session, pctx, cue: Cue, number: int) -> Take:
    row = session.scalars(select(Take).where(Take.cue_id == cue.id,
                                             Take.number == number)).first()
    if row is None:
        numbers = session.scalars(select(Take.number).where(Take.cue_id == cue.id)
                                  .order_by(Take.number)).all()
        raise NotFoundError(f"no take {number} of cue {cue.number}"
                            + (f" (takes: {', '.join(map(str, numbers))})" if numbers
                               else " (no takes logged yet)"))
    return row


def _session_now(session, pctx, now: datetime) -> RecordingSession | None:
    return session.scalars(select(RecordingSession).where(
        RecordingSession.project_id == pctx.project_id,
        RecordingSession.starts_at <= now, RecordingSession.ends_at > now)
        .order_by(RecordingSession.starts_at)).first()


# -- audio ------------------------------------------------------------------------------


def parse_audio(audio: Mapping[str, object] | Iterable[object] | None) -> list[tuple[str, Path]]:
    """Stems as (stem, path): a mapping {stem: path}, or items 'STEM=PATH' or a path
    (the stem is then the file's name without its suffix)."""
    if not audio:
        return []
    if isinstance(audio, Mapping):
        pairs = [(str(k).strip(), Path(v)) for k, v in audio.items()]
    else:
        pairs = []
        for item in audio:
            text = str(item)
            stem, sep, rest = text.partition("=")
            if sep and stem.strip() and "/" not in stem and "\\" not in stem:
                pairs.append((stem.strip(), Path(rest)))
            else:
                pairs.append((Path(text).stem, Path(text)))
    seen: set[str] = set()
    for stem, path in pairs:
        if not stem:
            raise InputError("a stem needs a name", field="audio", value=str(path),
                             valid="STEM=FILE, e.g. strings=1M2_T4_str.wav")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in stem):
            # the name goes into the file's iXML, which holds no control characters
            raise InputError("a stem's name holds a control character", field="audio",
                             value=stem, valid="letters, digits, spaces and punctuation")
        if stem in seen:
            raise InputError("the same stem twice", field="audio", value=stem,
                             valid="one file per stem (name them STEM=FILE)")
        seen.add(stem)
    return pairs


def check_audio(stem: str, path: Path) -> AudioFile:
    """The file's audio properties; InputError naming the file when it is not audio."""
    import soundfile

    if not path.is_file():
        raise InputError("no such audio file", source=str(path), field="audio",
                         valid="an existing WAV, BWF, AIFF or FLAC file")
    try:
        info = soundfile.info(str(path))
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        detail = str(exc).split(":")[-1].strip() or "unreadable"
        raise ParseError(f"not an audio file ({detail})", source=str(path), field="audio",
                         valid="a WAV, BWF, AIFF or FLAC file soundfile can read") from None
    if info.frames <= 0:
        raise InputError("the audio file holds no samples", source=str(path), field="audio",
                         value="0 frames", valid="a recording of the take")
    return AudioFile(stem, path, int(info.samplerate), int(info.channels), int(info.frames),
                     f"{info.format}/{info.subtype}")


def _ixml_defaults(files: list[AudioFile]):
    from filmscore.formats.ixml import read_ixml

    for f in files:
        if f.path.suffix.lower() not in WAV_SUFFIXES:
            continue
        try:
            found = read_ixml(f.path)
        except ParseError as exc:
            warnings.warn(FilmscoreWarning(f"{f.path}: its iXML is not read ({exc}); "
                                           "the take is logged without it"), stacklevel=3)
            continue
        if found is not None:
            return found
    return None


# -- changes --------------------------------------------------------------------------


def log_take(pctx, cue: str, *, number: int | None = None, kind: str | None = None,
             circled: bool | None = None, bars: str | tuple[int, int] | None = None,
             section: str = "", notes: str | None = None, tc: str | None = None,
             session: str | None = None,
             audio: Mapping[str, object] | Iterable[object] | None = None,
             logged_by: str = "", now: datetime | None = None,
             entry_key: str | None = None) -> TakeSpec:
    """Log a take of ``cue``; return it.

    ``number`` defaults to the next one (per cue or across the project, as the project
    numbers takes); ``kind`` to complete; ``circled``, ``kind`` and ``notes`` left None
    take the values the recorder wrote in the first WAV's iXML, if any.  ``bars`` is
    '12-20', '12' or (12, 20); ``tc`` a timecode label at the project rate; ``session``
    a session's name (default: the session under way ``now``, else none); ``audio`` is
    {stem: path} or ['STEM=PATH' or path, ...].  A pickup take is linked to the cue's
    pickup its bars overlap, which is marked recorded when the take is circled.

    ``entry_key`` (1 to 64 letters, digits, '-' or '_', made by the logging client) makes
    the entry idempotent: the same entry sent again (a page resending after a lost
    connection) returns the take already logged under that key instead of a second one.
    """
    if now is not None:
        check("year", now.year, field="logged_at", what="the year of the time logged")
    if entry_key is not None:
        check_entry_key(entry_key)
        logged = _logged_entry(pctx, cue, entry_key)
        if logged is not None:
            return logged
    bar_from, bar_to = (bars if isinstance(bars, tuple) else parse_bars(bars))
    if kind is not None:
        check_kind(kind)
    timecode = parse_label(tc, pctx.rate, field="tc") if tc else None
    if number is not None and number < 1:
        raise InputError("a take number is 1 or more", field="number", value=str(number),
                         valid="1, 2, 3, ...")
    files = [check_audio(stem, path) for stem, path in parse_audio(audio)]
    for f in files:
        if f.sample_rate != pctx.sample_rate:
            warnings.warn(FilmscoreWarning(
                f"{f.path}: stem {f.stem!r} is at {f.sample_rate} Hz, the project at "
                f"{pctx.sample_rate} Hz; logged as it is"), stacklevel=2)
    with transaction(pctx.engine) as db:  # check the cue before storing anything
        check_bars(_cue_state(db, cue_row(db, pctx.project_id, cue)), bar_from, bar_to)
        if session is not None:
            session_row(db, pctx.project_id, session)
    found = _ixml_defaults(files)
    if found is not None:
        kind = kind if kind is not None else found.kind
        circled = circled if circled is not None else found.circled
        notes = notes if notes is not None else (found.note or None)
    kind = check_kind(kind or "complete")
    for attempt in range(NUMBER_TRIES):
        try:
            return _insert(pctx, cue, files, number=number, kind=kind, circled=circled,
                           bar_from=bar_from, bar_to=bar_to, section=section, notes=notes,
                           timecode=timecode, session=session, logged_by=logged_by,
                           now=now, entry_key=entry_key)
        except ConflictError:
            # the same entry sent twice at once: the other request logged it first
            logged = _logged_entry(pctx, cue, entry_key) if entry_key is not None else None
            if logged is not None:
                return logged
            # two takes of one cue logged at one moment (two people, two pages): the
            # other took the next number; a number chosen for us is chosen again
            if number is not None or attempt == NUMBER_TRIES - 1:
                raise
    raise AssertionError("unreachable")


#: how often a take whose next number was taken meanwhile is numbered again: each such
#: try means another take was logged, so this bounds nothing but a stage logging more than
#: this many takes of one cue at one moment (10 was too few: 12 takes logged at once by 4
#: threads on a loaded machine saw one of them lose 10 times)
NUMBER_TRIES = 100


def _insert(pctx, cue: str, files: list[AudioFile], *, number, kind, circled, bar_from,
            bar_to, section, notes, timecode, session, logged_by, now,
            entry_key) -> TakeSpec:
    """Store the audio, then write the take's row (one transaction)."""
    with pctx.media.adding():
        stored = [{"stem": f.stem, "name": f.path.name,
                   "media_hash": pctx.media.put(f.path, f.path.suffix.lower()),
                   "sample_rate": f.sample_rate, "channels": f.channels,
                   "frames": f.frames, "format": f.format} for f in files]
        with transaction(pctx.engine) as db:
            cue_ = cue_row(db, pctx.project_id, cue)
            state = _cue_state(db, cue_)
            check_bars(state, bar_from, bar_to)
            project = _project(db, pctx)
            when = session_row(db, pctx.project_id, session) if session is not None else (
                _session_now(db, pctx, now or datetime.now(UTC)))
            mine = db.scalars(select(Take.number).where(Take.cue_id == cue_.id)).all()
            if number is None:
                everyone = db.scalars(select(Take.number).where(
                    Take.project_id == pctx.project_id)).all()
                number = next_take_number(project.take_numbering, mine, everyone)
            elif number in mine:
                raise ConflictError(f"take {number} of cue {cue_.number} is already logged; "
                                    "leave out --number for the next one")
            elif project.take_numbering == "project" and db.scalar(
                    select(func.count()).select_from(Take).where(
                        Take.project_id == pctx.project_id, Take.number == number)):
                raise ConflictError(f"take {number} is already logged in this project "
                                    "(takes are numbered across the project); leave out "
                                    "--number for the next one")
            pickup_id = None
            if kind == "pickup":
                pickups = db.scalars(select(Pickup).where(Pickup.cue_id == cue_.id)
                                     .order_by(Pickup.id)).all()
                chosen = pickup_for((bar_from, bar_to), [_pickup_spec(p, cue_.number)
                                                         for p in pickups])
                if chosen is not None:
                    pickup_id = chosen.id
                    if circled:
                        next(p for p in pickups if p.id == chosen.id).status = "recorded"
            row = Take(project_id=pctx.project_id, cue_id=cue_.id,
                       session_id=when.id if when else None, number=number, kind=kind,
                       circled=bool(circled), bar_from=bar_from, bar_to=bar_to,
                       section=section, notes=notes or "", timecode_frame=timecode,
                       audio=stored, pickup_id=pickup_id,
                       orchestration_number=state.orchestration_number,
                       music_version=state.music_version,
                       tempo_map_version=state.tempo_map_version, logged_by=logged_by,
                       entry_key=entry_key)
            db.add(row)
            db.flush()
            return _spec(row, cue_.number, when)


#: what a client-made entry key may hold (a UUID, a random hex string)
ENTRY_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def check_entry_key(key: str) -> str:
    """``key`` when it is a valid entry key; InputError otherwise."""
    if not isinstance(key, str) or not 1 <= len(key) <= 64 or not set(key) <= ENTRY_KEY_CHARS:
        raise InputError("not an entry key", field="entry_key", value=str(key)[:80],
                         valid="1 to 64 letters, digits, '-' or '_' (a UUID)")
    return key


def _logged_entry(pctx, cue: str, entry_key: str) -> TakeSpec | None:
    """The take logged under ``entry_key`` (None: not yet); ConflictError when the key was
    used for a take of another cue."""
    with transaction(pctx.engine) as db:
        row = db.scalars(select(Take).where(Take.project_id == pctx.project_id,
                                            Take.entry_key == entry_key)).first()
        if row is None:
            return None
        cue_ = db.get(Cue, row.cue_id)
        if cue_.number != cue_row(db, pctx.project_id, cue).number:
            raise ConflictError(f"entry {entry_key} was already logged as take {row.number} "
                                f"of cue {cue_.number}, not of cue {cue}")
        when = db.get(RecordingSession, row.session_id) if row.session_id else None
        return _spec(row, cue_.number, when)


def _pickup_spec(row: Pickup, cue_number: str) -> PickupSpec:
    return PickupSpec(row.id, cue_number, row.bar_from, row.bar_to, row.reason, row.status)


def _change(pctx, cue: str, number: int, change) -> TakeSpec:
    with transaction(pctx.engine) as db:
        cue_ = cue_row(db, pctx.project_id, cue)
        row = _take_row(db, pctx, cue_, number)
        change(db, row)
        db.flush()
        when = db.get(RecordingSession, row.session_id) if row.session_id else None
        return _spec(row, cue_.number, when)


def circle_take(pctx, cue: str, number: int, circled: bool = True) -> TakeSpec:
    """Circle (or uncircle) a take; a circled pickup take marks its pickup recorded (and
    uncircling the last circled take of a pickup opens it again)."""

    def change(db, row: Take) -> None:
        row.circled = circled
        if row.pickup_id is None:
            return
        pickup = db.get(Pickup, row.pickup_id)
        if circled:
            pickup.status = "recorded"
        else:
            others = db.scalar(select(func.count()).select_from(Take).where(
                Take.pickup_id == pickup.id, Take.circled.is_(True), Take.id != row.id))
            if not others and pickup.status == "recorded":
                pickup.status = "open"

    return _change(pctx, cue, number, change)


def note_take(pctx, cue: str, number: int, text: str, *, append: bool = False) -> TakeSpec:
    """Set (or add to) a take's notes."""

    def change(_db, row: Take) -> None:
        row.notes = f"{row.notes}; {text}" if append and row.notes else text

    return _change(pctx, cue, number, change)


def set_take_kind(pctx, cue: str, number: int, kind: str) -> TakeSpec:
    """Change a take's type."""
    check_kind(kind)

    def change(_db, row: Take) -> None:
        row.kind = kind

    return _change(pctx, cue, number, change)


def take_numbering(pctx) -> str:
    with transaction(pctx.engine) as db:
        return _project(db, pctx).take_numbering


def set_take_numbering(pctx, numbering: str) -> str:
    """Number takes from 1 in every cue ("cue") or with one count across the project."""
    if numbering not in TAKE_NUMBERING:
        raise InputError("unknown take numbering", field="numbering", value=numbering,
                         valid=", ".join(TAKE_NUMBERING))
    with transaction(pctx.engine) as db:
        _project(db, pctx).take_numbering = numbering
    return numbering


# -- reading --------------------------------------------------------------------------


def _rows(db, pctx, cue: str | None = None):
    query = (select(Take, Cue.number, RecordingSession)
             .join(Cue, Take.cue_id == Cue.id)
             .outerjoin(RecordingSession, Take.session_id == RecordingSession.id)
             .where(Take.project_id == pctx.project_id))
    if cue is not None:
        query = query.where(Take.cue_id == cue_row(db, pctx.project_id, cue).id)
    return db.execute(query.order_by(Cue.start_frame, Cue.number, Take.number)).all()


def list_takes(pctx, cue: str | None = None) -> list[TakeSpec]:
    """Every take (of one cue), cue by cue in picture order, by number."""
    with transaction(pctx.engine) as db:
        return [_spec(t, number, s) for t, number, s in _rows(db, pctx, cue)]


def take_sheet(pctx) -> CueSheet:
    """The music editor's cue sheet of the whole project (see ``takelog.cue_sheet``)."""
    with transaction(pctx.engine) as db:
        from filmscore.recording.planning import recorded_cues

        cues = db.scalars(select(Cue).where(Cue.project_id == pctx.project_id)
                          .order_by(Cue.start_frame, Cue.number)).all()
        taken = set(db.scalars(select(Take.cue_id).where(
            Take.project_id == pctx.project_id)).all())
        recorded = {c.id for c in recorded_cues(db, pctx.project_id)}
        # licensed source music is not recorded on the stage: not on the sheet (unless a
        # take of it was logged all the same)
        cues = [c for c in cues if c.id in recorded or c.id in taken]
        states = [_cue_state(db, c) for c in cues]
        numbers = {c.id: c.number for c in cues}
        takes = [_spec(t, n, s) for t, n, s in _rows(db, pctx)]
        pickups = [_pickup_spec(p, numbers[p.cue_id]) for p in db.scalars(
            select(Pickup).where(Pickup.cue_id.in_(list(numbers))).order_by(Pickup.id))]
        plan = [PlanItem(_local_day(s.starts_at, s.tz), s.name, numbers[e.cue_id],
                         e.duration_frames)
                for e, s in db.execute(
                    select(PlanEntry, RecordingSession)
                    .join(RecordingSession, PlanEntry.session_id == RecordingSession.id)
                    .where(RecordingSession.project_id == pctx.project_id)
                    .order_by(RecordingSession.starts_at, PlanEntry.position)).all()
                if e.cue_id in numbers]
    return cue_sheet(states, takes, pickups, plan)


def write_take_sheet(pctx, *, csv: str | Path | None = None,
                     pdf: str | Path | None = None) -> list[Path]:
    """Write the cue sheet as CSV and/or PDF; return the files written."""
    from filmscore.formats.cuesheet_csv import write_cuesheet_csv
    from filmscore.formats.cuesheet_pdf import write_cuesheet_pdf

    sheet = take_sheet(pctx)
    out = []
    if csv is not None:
        out.append(write_cuesheet_csv(sheet, csv, rate=pctx.rate))
    if pdf is not None:
        out.append(write_cuesheet_pdf(sheet, pdf, rate=pctx.rate, title=pctx.title))
    return out


def export_takes(pctx, folder: str | Path, *, circled_only: bool = False,
                 cue: str | None = None) -> list[Path]:
    """Copy every take's audio (circled ones only, one cue only) into ``folder`` as
    ``<cue>_T<number>_<stem>.wav`` with iXML written (PROJECT, SCENE = the cue, TAKE,
    TAPE = the session, CIRCLED, TAKE_TYPE, NOTE, TRACK_LIST).  A stem that is not a WAV
    file is copied as it is (a warning says so)."""
    import shutil

    from filmscore.fileio import atomic_path
    from filmscore.formats.ixml import IxmlTake, write_ixml

    folder = make_folder(folder)
    with transaction(pctx.engine) as db:
        rows = [(t, n, s) for t, n, s in _rows(db, pctx, cue) if t.circled or not circled_only]
    written = []
    names = UniqueNames()  # two stems may clean up to one name ("Violin 1", "Violin 1.")
    for take, number, session in rows:
        for stem in take.audio or []:
            source = pctx.media.path(stem["media_hash"])
            target = inside(folder, names.name(f"{number}_T{take.number:03d}_{stem['stem']}",
                                               fallback="take", suffix=source.suffix))
            if source.suffix.lower() in WAV_SUFFIXES:
                channels = int(stem.get("channels") or 1)
                tracks = ((stem["stem"],) if channels == 1
                          else tuple(f"{stem['stem']} {i}" for i in range(1, channels + 1)))
                write_ixml(source, target, IxmlTake(
                    project=pctx.title, scene=number, take=str(take.number),
                    tape=session.name if session else "", circled=take.circled,
                    kind=take.kind, note=take.notes, tracks=tracks))
            else:
                warnings.warn(FilmscoreWarning(
                    f"{target.name}: not a WAV file, copied without iXML"), stacklevel=2)
                with atomic_path(target) as tmp:
                    shutil.copyfile(source, tmp)
            written.append(target)
    return written
