"""Fix the music of a cue a change list flagged (service): propose fixes and store them on
the flag, apply the one chosen in one transaction (tempo map, cue start, a pickup for a
recorded cue), then regenerate what follows from the tempo map.

The proposals are computed by :func:`filmscore.conform.fix.propose` from the flag (its
hits, as the apply stored them), the cue's tempo map as the apply left it (bar 1 moved
with the cue's start), its sync points' weights, and where the change list changed the
picture inside the cue.  ``regenerate`` writes the click (WAV) and its MIDI tempo map
into ``clicks/``, the click sheet into ``click-sheets/``, the streamers into
``streamers/`` (when the picture has a reference video), and the parts and the score
into ``parts/`` and ``scores/`` (when the cue was copied there), each file under a
temporary name moved into place by the writers it calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from filmscore.conform.changes import (  # noqa: F401 (the codecs: re-exported)
    ChangeList,
    Flag,
    Hit,
    Proposal,
    flag_from_json,
    proposal_from_json,
    proposal_to_json,
)
from filmscore.conform.fix import Edit, propose
from filmscore.errors import ConflictError, InputError, NotFoundError, ValidationError
from filmscore.fileio import inside, safe_name
from filmscore.model import ChangeList as ChangeListRow
from filmscore.model import ConformFlag, CueTempoMap, Pickup, Take
from filmscore.spotting.service import spec_of
from filmscore.store import transaction
from filmscore.sync.service import check_map_for_cue, cue_row
from filmscore.sync.tempomap import TempoMap

#: the folder of the project the click sheets are written to (one PDF per cue)
CLICK_SHEETS = "click-sheets"


@dataclass(frozen=True)
class FlagProposals:
    """A flagged cue and the fixes proposed for it (numbered from 1 in this order)."""

    change_list: int
    cue: str
    flag: Flag
    proposals: tuple[Proposal, ...]
    chosen: int | None  # 1-based, None until a fix was applied
    status: str


@dataclass(frozen=True)
class Regenerated:
    """What ``regenerate`` rewrote (what, path) and what it skipped, with why."""

    cue: str
    files: tuple[tuple[str, Path], ...]
    skipped: tuple[str, ...] = ()
    removed: tuple[Path, ...] = ()  # files of the old map (a click named for its old start)


@dataclass(frozen=True)
class FixResult:
    change_list: int
    cue: str
    choice: int
    proposal: Proposal
    tempo_map: TempoMap | None
    start_frame: int
    pickup: dict | None  # {id, bar_from, bar_to, reason} when the cue had takes
    takes_flagged: int
    regenerated: Regenerated | None


# --- reading the flag ------------------------------------------------------------------


def _change_list(session, pctx, number: int) -> ChangeListRow:
    row = session.scalars(select(ChangeListRow).where(
        ChangeListRow.project_id == pctx.project_id, ChangeListRow.number == number)).first()
    if row is None:
        raise NotFoundError(f"no change list {number} in this project (see 'filmscore "
                            f"conform compare')")
    return row


def _flag_row(session, pctx, number: int, cue: str):
    cl = _change_list(session, pctx, number)
    cue_r = cue_row(session, pctx.project_id, cue)
    flag = session.scalars(select(ConformFlag).where(
        ConformFlag.change_list_id == cl.id, ConformFlag.cue_id == cue_r.id)).first()
    if flag is None:
        raise NotFoundError(f"change list {number} did not flag cue {cue_r.number}: "
                            f"nothing to fix")
    return cl, cue_r, flag


def edits_in_cue(changes: ChangeList, old_start: int, old_end: int) -> list[Edit]:
    """Where the change list changed the picture inside a cue's old span: each place the
    frame delta changes from one kept span to the next (at the end of the first: where
    frames were cut out, or added), with the frames gained (+) or lost (-) there."""
    spans = [s for s in changes.spans if s.old_out > old_start and s.old_in < old_end]
    return [Edit(a.old_out, b.delta - a.delta)
            for a, b in zip(spans, spans[1:], strict=False) if b.delta != a.delta]


def _compute(cl: ChangeListRow, cue_r, flag_row) -> list[Proposal]:
    flag = flag_from_json(flag_row.data)
    if cue_r.tempo_map is None:
        raise NotFoundError(f"cue {cue_r.number} has no tempo map: there is no music to fix "
                            f"(set one with 'filmscore tempo set {cue_r.number}')")
    tmap = TempoMap.from_dict(cue_r.tempo_map.data)
    weights = {s.id: s.weight for s in cue_r.sync_points}
    changes = ChangeList.from_json(cl.data)
    found = propose(flag, tmap, cue_start_new=cue_r.start_frame, cue_end_new=cue_r.end_frame,
                    weights=weights, edits=edits_in_cue(changes, flag.old_start, flag.old_end))
    stamp = {"map_version": cue_r.tempo_map.version, "cue_start": cue_r.start_frame}
    return [Proposal(p.kind, p.description, {**p.detail, **stamp}, p.hits_off)
            for p in found]


def _stale(p: Proposal, cue_r) -> bool:
    version = cue_r.tempo_map.version if cue_r.tempo_map is not None else 0
    return (p.detail.get("map_version") != version
            or p.detail.get("cue_start") != cue_r.start_frame)


def proposals(pctx, change_list: int, cue: str, *, refresh: bool = False,
              keep_stale: bool = False, reopen: bool = False) -> FlagProposals:
    """The fixes for a flagged cue, best first; computed and stored on the flag the first
    time, and again with ``refresh`` or when the cue's map or start changed since (unless
    ``keep_stale``: the list as the user saw it).  ``reopen``: a cue fixed (or kept)
    already is opened again and its fixes computed anew from where the music is now (to
    fix it a second time: the web page's "Propose again")."""
    with transaction(pctx.engine) as session:
        cl, cue_r, row = _flag_row(session, pctx, change_list, cue)
        if reopen and row.status != "open":
            row.status, row.chosen, refresh = "open", None, True
        stored = [proposal_from_json(p) for p in row.proposals or ()]
        stale = not keep_stale and any(_stale(p, cue_r) for p in stored)
        if row.status == "open" and (refresh or not stored or stale):
            stored = _compute(cl, cue_r, row)
            row.proposals = [proposal_to_json(p) for p in stored]
        return FlagProposals(change_list, str(cue_r.number), flag_from_json(row.data),
                             tuple(stored), None if row.chosen is None else row.chosen + 1,
                             row.status)


# --- applying one ------------------------------------------------------------------------


def _pickup_bars(p: Proposal, bar_count: int) -> tuple[int | None, int | None]:
    """The bars a recorded cue records again after a fix (None, None: the whole cue)."""
    if p.kind == "resolve_tempo":
        first, last = p.detail["bars"]
    elif p.kind == "cut_bars":  # the join: the bar before the cut and the bar after
        bars = [b for e in p.detail["edits"] for b in (e["bar"] - 1, e["bar"])]
        first, last = min(bars), max(bars)
    elif p.kind == "insert_bars":
        first = min(e["new_bars"][0] for e in p.detail["edits"])
        last = max(e["new_bars"][1] for e in p.detail["edits"])
    else:
        return None, None
    first, last = max(1, first), min(bar_count, last)
    return (first, last) if first <= last else (None, None)


def fix(pctx, change_list: int, cue: str, choice: int, *, author: str = "",
        regenerate_files: bool = True, progress: Callable | None = None) -> FixResult:
    """Apply proposal ``choice`` (1-based, as listed by :func:`proposals`) to a flagged
    cue: its tempo map (origin 'conform') and, for a move, its start and end; a cue with
    takes gets a pickup of the bars changed and its takes are flagged; the flag is marked
    fixed (or kept).  One transaction; then ``regenerate`` (unless told not to).  Fixes
    listed before the cue's map or start changed are refused (ConflictError): list them
    again."""
    listed = proposals(pctx, change_list, cue, keep_stale=True)
    if listed.status != "open":
        raise ConflictError(f"cue {listed.cue} of change list {change_list} is already "
                            f"{listed.status} (fix {listed.chosen}); nothing was changed")
    if not 1 <= choice <= len(listed.proposals):
        raise InputError("no such fix", field="choose", value=str(choice),
                         valid=f"1 to {len(listed.proposals)} (see 'filmscore conform fix "
                               f"{change_list} {listed.cue}')")
    chosen = listed.proposals[choice - 1]
    pickup, flagged, tmap = None, 0, None
    with transaction(pctx.engine) as session:
        cl, cue_r, row = _flag_row(session, pctx, change_list, cue)
        if row.status != "open":
            raise ConflictError(f"cue {cue_r.number} was fixed by someone else meanwhile")
        if _stale(chosen, cue_r):
            raise ConflictError(f"cue {cue_r.number} changed since these fixes were "
                                f"proposed; nothing was changed: list them again with "
                                f"'filmscore conform fix {change_list} {cue_r.number}'")
        what = f"{cl.label} ({cl.data.get('old_name', '')} -> {cl.data.get('new_name', '')})"
        if chosen.kind != "keep":
            tmap = TempoMap.from_dict(chosen.detail["tempo_map"])
            if tmap.rate != pctx.rate:
                raise ValidationError("the fix's tempo map rate differs from the project's",
                                      field="rate", value=tmap.rate.name, valid=pctx.rate.name)
            if chosen.kind == "move_start":
                cue_r.start_frame = int(chosen.detail["start_frame"])
                cue_r.end_frame = int(chosen.detail["end_frame"])
            check_map_for_cue(tmap, spec_of(cue_r))
            note = f"{what}: {chosen.description}"
            if cue_r.tempo_map is None:
                cue_r.tempo_map = CueTempoMap(data=tmap.to_dict(), origin="conform",
                                              note=note)
            else:
                cue_r.tempo_map.data = tmap.to_dict()
                cue_r.tempo_map.origin = "conform"
                cue_r.tempo_map.note = note
            takes = session.scalars(select(Take).where(Take.cue_id == cue_r.id)).all()
            if takes and chosen.kind != "move_start":  # a moved cue's takes move whole
                bar_from, bar_to = _pickup_bars(chosen, tmap.bar_count)
                bars = "the whole cue" if bar_from is None else f"bars {bar_from}-{bar_to}"
                reason = f"conform {what}: {chosen.description}"
                made = Pickup(cue_id=cue_r.id, bar_from=bar_from, bar_to=bar_to,
                              reason=reason, status="open", author=author)
                session.add(made)
                session.flush()
                pickup = {"id": made.id, "bar_from": bar_from, "bar_to": bar_to,
                          "reason": reason}
                for take in takes:
                    line = f"{cl.label} changed {bars} (pickup {made.id})"
                    take.flagged = f"{take.flagged}; {line}" if take.flagged else line
                flagged = len(takes)
        row.chosen = choice - 1
        row.status = "kept" if chosen.kind == "keep" else "fixed"
        row.author = author or row.author
        start = cue_r.start_frame
        number = str(cue_r.number)
    regenerated = None
    if tmap is not None and regenerate_files:
        regenerated = regenerate(pctx, number, progress=progress)
    return FixResult(change_list, number, choice, chosen, tmap, start, pickup, flagged,
                     regenerated)


# --- what follows from the tempo map -----------------------------------------------------


def regenerate_moved(pctx, change_list: int, *,
                     progress: Callable | None = None) -> list[Regenerated]:
    """Write again what follows from every cue change list ``change_list`` moved and no
    fix rewrote: the cues it moved whole, and the flagged cues kept as they are (their
    music unchanged, their start where the picture put it): click, click sheet,
    streamers, parts and score carry the start's timecode."""
    from filmscore.model import Cue

    with transaction(pctx.engine) as session:
        cl = session.scalar(select(ChangeListRow).where(
            ChangeListRow.project_id == pctx.project_id, ChangeListRow.number == change_list))
        if cl is None:
            raise NotFoundError(f"no change list {change_list} in this project")
        rows = session.execute(select(ConformFlag, Cue.number).join(
            Cue, ConformFlag.cue_id == Cue.id).where(
            ConformFlag.change_list_id == cl.id, ConformFlag.status == "kept")).all()
        moved = [str(number) for row, number in rows
                 if row.data.get("old_start") != row.data.get("new_start")
                 and row.data.get("new_start") is not None]
    return [regenerate(pctx, cue, progress=progress) for cue in moved]


def regenerate(pctx, cue: str, *, progress: Callable | None = None) -> Regenerated:
    """Write again what a cue's tempo map makes, as the commands do: the click WAV and its
    MIDI tempo map (``filmscore click``), the click sheet (``tempo sheet``), the streamers
    (``streamers``, when the picture has a reference video), and the parts and score
    (``parts``/``score``, when the cue was orchestrated and copied into the project's
    ``parts/`` or ``scores/``).  A click of the old map (its name says its old start) is
    removed once the new one is written."""
    from filmscore.orchestration.service import copy_cue, orchestrated_cues
    from filmscore.spotting.service import picture_video
    from filmscore.sync.service import cue_sync, render_clicks, render_streamers, write_sheet

    def say(text: str) -> None:
        if progress is not None:
            progress(text)

    number = str(cue_sync(pctx, cue).cue.number)
    files: list[tuple[str, Path]] = []
    skipped: list[str] = []
    say(f"click {number}")
    wav, midi = render_clicks(pctx, number)
    files += [("click", Path(wav)), ("MIDI tempo map", Path(midi))]
    removed = []
    for old in sorted(Path(wav).parent.glob(f"{number}_*")):
        if old.suffix in (".wav", ".mid") and old not in (Path(wav), Path(midi)):
            old.unlink()
            removed.append(old)
    say(f"click sheet {number}")
    sheets = pctx.directory / CLICK_SHEETS
    sheets.mkdir(exist_ok=True)
    sheet = inside(sheets, safe_name(number, fallback="cue", suffix=".pdf"))
    write_sheet(pctx, number, sheet)
    files.append(("click sheet", sheet))
    try:
        picture_video(pctx)
    except NotFoundError:
        skipped.append("streamers: the picture has no reference video")
    else:
        say(f"streamers {number} (ffmpeg)")
        files += [("streamers", Path(p)) for p in render_streamers(pctx, number)]
    if number in orchestrated_cues(pctx):
        for folder, parts, label in (("parts", True, "parts"), ("scores", False, "score")):
            out = pctx.directory / folder
            if not (out / safe_name(number, fallback="cue")).is_dir():
                skipped.append(f"{label}: not copied into the project's {folder}/ yet "
                               f"('filmscore {label} {number} --out {folder}')")
                continue
            say(f"{label} {number} (engraving)")
            done = copy_cue(pctx, number, out, parts=parts, score=not parts)
            made = done.parts if parts else (done.score,)
            files += [(label, Path(p)) for p in made if p is not None]
    else:
        skipped.append("parts and score: the cue is not orchestrated")
    return Regenerated(number, tuple(files), tuple(skipped), tuple(removed))
