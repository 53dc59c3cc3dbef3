"""The conform board: what the web workspace's conform pages show, read from the project
(writing nothing): every change list with its counts, and one change list with its
changes in timecode, the old and the new cut drawn to scale with the changes coloured,
and every cue it flagged with its hits off and the fixes proposed (each hit's frames off
after each fix)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from filmscore.conform.changes import ChangeList as Changes
from filmscore.conform.changes import Flag, Proposal, flag_from_json, proposal_from_json
from filmscore.conform.vocabulary import CHANGE_KINDS, FIX_KINDS, FLAG_REASONS

#: how far off a hit is, by size: on it (0 frames), near (1 or 2), off (more), gone (its
#: picture was cut out); the class the page colours it by
NEAR_FRAMES = 2


def off_class(off: int | None) -> str:
    """``ok`` (on the hit), ``near`` (1 to NEAR_FRAMES frames), ``off`` (more) or
    ``gone`` (no frame: the hit's picture was cut out)."""
    if off is None:
        return "gone"
    if off == 0:
        return "ok"
    return "near" if abs(off) <= NEAR_FRAMES else "off"


def signed(frames: int | None) -> str:
    """Frames as the page writes them: ``+3``, ``-12``, ``0``; empty for None."""
    if frames is None:
        return ""
    return f"{frames:+d}" if frames else "0"


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


# --- the list ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChangeListSummary:
    """A change list as the list of change lists shows it."""

    number: int
    old_version: int | None  # picture version numbers (None: a version since removed)
    new_version: int | None
    old_name: str
    new_name: str
    compared_at: str
    applied_at: str  # empty: compared only
    author: str
    note: str
    counts: tuple[tuple[str, int], ...]  # (change kind, how many), in CHANGE_KINDS order
    changes: int
    frames_added: int
    frames_removed: int
    flagged: int  # cues flagged
    open: int  # of those, still to fix
    worst_off: int  # the largest frames off of a hit of an open flag

    @property
    def applied(self) -> bool:
        return bool(self.applied_at)

    @property
    def net_frames(self) -> int:
        return self.frames_added - self.frames_removed


def _version_names(session, ids: set[int]) -> dict[int, tuple[int, str]]:
    from sqlalchemy import select

    from filmscore.model import PictureVersion

    if not ids:
        return {}
    return {r.id: (r.number, r.name or r.source_name)
            for r in session.scalars(select(PictureVersion).where(PictureVersion.id.in_(ids)))}


def _summary(row, changes: Changes, versions: dict, flags: Sequence) -> ChangeListSummary:
    old = versions.get(row.old_version_id) if row.old_version_id is not None else None
    new = versions.get(row.new_version_id) if row.new_version_id is not None else None
    counts = {k: 0 for k in CHANGE_KINDS}
    for c in changes.changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    open_flags = [f for f in flags if f.status == "open"]
    return ChangeListSummary(
        number=row.number,
        old_version=old[0] if old else changes.old_version,
        new_version=new[0] if new else changes.new_version,
        old_name=(old[1] if old and old[1] else changes.old_name),
        new_name=(new[1] if new and new[1] else changes.new_name),
        compared_at=_when(row.created_at), applied_at=_when(row.applied_at),
        author=row.author, note=row.note,
        counts=tuple((k, n) for k, n in counts.items() if n),
        changes=len(changes.changes),
        frames_added=sum(c.frames for c in changes.changes if c.frames > 0),
        frames_removed=-sum(c.frames for c in changes.changes if c.frames < 0),
        flagged=len(flags), open=len(open_flags),
        worst_off=max((flag_of(f).worst_off for f in open_flags), default=0))


def change_lists(pctx) -> list[ChangeListSummary]:
    """Every change list of the project, the latest first."""
    from sqlalchemy import select

    from filmscore.model import ChangeList, ConformFlag
    from filmscore.store import transaction

    with transaction(pctx.engine) as session:
        rows = session.scalars(select(ChangeList).where(
            ChangeList.project_id == pctx.project_id).order_by(ChangeList.number.desc())).all()
        versions = _version_names(session, {i for r in rows for i in (
            r.old_version_id, r.new_version_id) if i is not None})
        flags: dict[int, list] = {}
        if rows:
            for f in session.scalars(select(ConformFlag).where(
                    ConformFlag.change_list_id.in_([r.id for r in rows]))):
                flags.setdefault(f.change_list_id, []).append(f)
        return [_summary(r, Changes.from_json(r.data), versions, flags.get(r.id, []))
                for r in rows]


# --- one change list --------------------------------------------------------------------------

@dataclass(frozen=True)
class ChangeRow:
    """One change in timecode at the project's rate (old or new side empty when the
    change has none: an insert has no old frames, a deletion no new ones)."""

    index: int  # 1-based, as the strips label it
    kind: str
    kind_text: str
    clip: str
    reel: str
    old_in: str
    old_out: str
    new_in: str
    new_out: str
    old_frames: int | None  # the length in the old cut
    new_frames: int | None
    delta: int
    delta_text: str
    frames: int
    frames_text: str
    note: str


@dataclass(frozen=True)
class StripSegment:
    """A piece of a cut drawn to scale (positions in % of the strip)."""

    kind: str  # "kept" (an unchanged run), a change kind, or "cue"
    label: str  # the change's number, the cue's number
    x_pct: float
    width_pct: float
    title: str


@dataclass(frozen=True)
class Strip:
    """One cut (old or new) drawn to scale: its runs kept, its changes and the flagged
    cues, on the scale both strips share."""

    name: str  # "old" or "new"
    title: str  # the picture version's name
    start: str  # its first and last frame's timecode
    end: str
    width_pct: float  # how much of the shared scale the cut fills
    segments: tuple[StripSegment, ...]
    cues: tuple[StripSegment, ...]


@dataclass(frozen=True)
class HitView:
    """A hit of a flagged cue: where the picture had it and has it, where the music puts
    it, and by how many frames the music is off."""

    sync_id: int | None
    kind: str
    description: str
    old_tc: str
    new_tc: str  # empty: its picture was cut out
    music_tc: str
    off: int | None
    off_text: str
    size: str  # off_class


@dataclass(frozen=True)
class ProposalView:
    """A fix proposed for a flagged cue, with each hit's frames off after it (in the order
    of the flag's hits)."""

    index: int  # 0-based: what the fix form sends
    kind: str
    kind_text: str
    description: str
    detail: dict
    worst_off: int
    worst_class: str
    after: tuple[tuple[int | None, str, str], ...]  # per hit: (off, text, size)
    chosen: bool
    best: bool  # the fewest frames off of the proposals (the first of equals)


@dataclass(frozen=True)
class FlagView:
    """A cue the change list flagged, with its hits and the fixes proposed."""

    cue: str
    title: str
    reason: str
    reason_text: str
    status: str  # conform.vocabulary.FLAG_STATES
    old_start: str
    old_end: str
    new_start: str
    new_end: str
    moved: int | None  # frames its start moved (None: its picture is gone)
    moved_text: str
    worst_off: int  # as the new cut left it
    worst_class: str
    hits: tuple[HitView, ...]
    proposals: tuple[ProposalView, ...]
    chosen: int | None
    note: str
    author: str
    version: int  # the row's version: the fix form sends it back

    @property
    def chosen_proposal(self) -> ProposalView | None:
        return next((p for p in self.proposals if p.chosen), None)

    @property
    def now_off(self) -> tuple[int, str]:
        """The worst frames off now and its class: after the fix chosen, else as the new
        cut left it."""
        chosen = self.chosen_proposal
        if chosen is not None:
            return chosen.worst_off, chosen.worst_class
        return self.worst_off, self.worst_class


@dataclass(frozen=True)
class ChangeListBoard:
    summary: ChangeListSummary
    rate: str
    changes: tuple[ChangeRow, ...]
    strips: tuple[Strip, Strip]
    flags: tuple[FlagView, ...]
    warnings: tuple[str, ...]


def flag_of(row) -> Flag:
    """A ConformFlag row's ``data`` as the contract's Flag (hits as Hit)."""
    return flag_from_json(row.data)


def proposal_of(data: dict) -> Proposal:
    """A stored proposal (JSON) as the contract's Proposal."""
    return proposal_from_json(data)


class _Labels:
    """Timecode labels at the project's rate (empty for None; a frame before 0, which has
    no timecode, as its frame number)."""

    def __init__(self, rate) -> None:
        self.rate = rate

    def __call__(self, frame: int | None) -> str:
        from filmscore.timecode import format_label

        if frame is None:
            return ""
        return format_label(frame, self.rate) if frame >= 0 else f"frame {frame}"


def _rows(changes: Changes, tc: _Labels) -> tuple[ChangeRow, ...]:
    out = []
    for i, c in enumerate(changes.changes, 1):
        old_len = c.old_out - c.old_in if c.old_in is not None and c.old_out is not None else None
        new_len = c.new_out - c.new_in if c.new_in is not None and c.new_out is not None else None
        out.append(ChangeRow(i, c.kind, CHANGE_KINDS.get(c.kind, ""), c.clip, c.reel,
                             tc(c.old_in), tc(c.old_out), tc(c.new_in), tc(c.new_out),
                             old_len, new_len, c.delta, signed(c.delta), c.frames,
                             signed(c.frames), c.note))
    return tuple(out)


def _bounds(frames: Sequence[int | None], version) -> tuple[int, int] | None:
    if version is not None and version[1] > 0:
        return version[0], version[0] + version[1]
    given = [f for f in frames if f is not None]
    return (min(given), max(given)) if given else None


def _pct(frames: int, scale: int) -> float:
    return round(frames * 100 / scale, 3) if scale else 0.0


def _strips(changes: Changes, flags: Sequence[Flag], old_cut, new_cut, names: tuple[str, str],
            tc: _Labels) -> tuple[Strip, Strip]:
    """The old and the new cut on one scale: the runs kept, the changes (numbered as in
    the table), and the flagged cues where they were and are.  ``old_cut``/``new_cut``:
    (start frame, duration) of the picture versions when known, else the change list's
    own extent."""
    old = _bounds([s.old_in for s in changes.spans] + [s.old_out for s in changes.spans]
                  + [c.old_in for c in changes.changes] + [c.old_out for c in changes.changes],
                  old_cut) or (0, 0)
    new = _bounds([s.new_in for s in changes.spans] + [s.new_out for s in changes.spans]
                  + [c.new_in for c in changes.changes] + [c.new_out for c in changes.changes],
                  new_cut) or (0, 0)
    origin = min(old[0], new[0])
    scale = max(old[1], new[1]) - origin

    def seg(kind, label, a, b, title) -> StripSegment:
        return StripSegment(kind, label, _pct(a - origin, scale), _pct(b - a, scale), title)

    def strip(side: str) -> Strip:
        cut = old if side == "old" else new
        segs = []
        for s in changes.spans:
            a, b = (s.old_in, s.old_out) if side == "old" else (s.new_in, s.new_out)
            segs.append(seg("kept", "", a, b, f"kept{': ' + s.clip if s.clip else ''} "
                            f"{tc(a)}-{tc(b)} (moved {signed(s.delta)})"))
        for i, c in enumerate(changes.changes, 1):
            a, b = (c.old_in, c.old_out) if side == "old" else (c.new_in, c.new_out)
            if a is None or b is None:
                continue
            segs.append(seg(c.kind, str(i), a, b, f"{i}. {c.kind.replace('_', ' ')} "
                            f"{c.clip} {tc(a)}-{tc(b)} ({signed(c.frames)} frames)"))
        cues = []
        for f in flags:
            a, b = (f.old_start, f.old_end) if side == "old" else (f.new_start, f.new_end)
            if a is None or b is None:
                continue
            cues.append(seg("cue", f.cue, a, b, f"cue {f.cue} {tc(a)}-{tc(b)}"))
        return Strip(side, names[0 if side == "old" else 1], tc(cut[0]), tc(cut[1]),
                     _pct(cut[1] - origin, scale), tuple(segs), tuple(cues))

    return strip("old"), strip("new")


def _worst_class(flag: Flag) -> str:
    if flag.hits and all(h.off_frames is None for h in flag.hits):
        return "gone"
    return off_class(flag.worst_off)


def _flag_view(row, cue, tc: _Labels) -> FlagView:
    flag = flag_of(row)
    hits = tuple(HitView(h.sync_id, h.kind, h.description, tc(h.old_frame), tc(h.new_frame),
                         tc(h.music_frame), h.off_frames, signed(h.off_frames),
                         off_class(h.off_frames)) for h in flag.hits)
    proposals = [proposal_of(p) for p in (row.proposals or [])]
    best = min(range(len(proposals)), key=lambda i: proposals[i].worst_off, default=None)
    views = []
    for i, p in enumerate(proposals):
        by_id = {s: o for s, o in p.hits_off if s is not None}
        after = []
        for n, h in enumerate(flag.hits):
            if h.sync_id is not None and h.sync_id in by_id:
                off = by_id[h.sync_id]
            elif n < len(p.hits_off) and (h.sync_id is None or p.hits_off[n][0] is None):
                off = p.hits_off[n][1]  # hits without a sync point: matched by position
            else:
                off = None
            after.append((off, signed(off), off_class(off)))
        views.append(ProposalView(i, p.kind, FIX_KINDS.get(p.kind, ""), p.description,
                                  p.detail, p.worst_off, off_class(p.worst_off),
                                  tuple(after), row.chosen == i, i == best))
    moved = (flag.new_start - flag.old_start) if flag.new_start is not None else None
    return FlagView(
        cue=cue.number if cue is not None else flag.cue,
        title=cue.title if cue is not None else "", reason=row.reason,
        reason_text=FLAG_REASONS.get(row.reason, ""), status=row.status,
        old_start=tc(flag.old_start), old_end=tc(flag.old_end),
        new_start=tc(flag.new_start), new_end=tc(flag.new_end),
        moved=moved, moved_text=signed(moved), worst_off=flag.worst_off,
        worst_class=_worst_class(flag), hits=hits, proposals=tuple(views),
        chosen=row.chosen, note=flag.note, author=row.author, version=row.version)


def _row(session, pctx, number: int):
    from sqlalchemy import select

    from filmscore.errors import NotFoundError
    from filmscore.model import ChangeList

    row = session.scalar(select(ChangeList).where(ChangeList.project_id == pctx.project_id,
                                                  ChangeList.number == number))
    if row is None:
        numbers = session.scalars(select(ChangeList.number).where(
            ChangeList.project_id == pctx.project_id).order_by(ChangeList.number)).all()
        raise NotFoundError(f"no change list {number} in this project (change lists: "
                            f"{', '.join(map(str, numbers)) or 'none yet'})")
    return row


def change_list_board(pctx, number: int) -> ChangeListBoard:
    """Change list ``number``: its changes, the two cuts drawn to scale and every cue it
    flagged (in the order of the old cut) with its hits and proposals."""
    from sqlalchemy import select

    from filmscore.model import ConformFlag, Cue, PictureVersion
    from filmscore.store import transaction

    tc = _Labels(pctx.rate)
    with transaction(pctx.engine) as session:
        row = _row(session, pctx, number)
        changes = Changes.from_json(row.data)
        versions = _version_names(session, {i for i in (row.old_version_id,
                                                        row.new_version_id) if i is not None})
        cuts = {r.id: (r.start_frame, r.duration_frames) for r in session.scalars(
            select(PictureVersion).where(PictureVersion.id.in_(list(versions))))}
        flag_rows = session.scalars(select(ConformFlag).where(
            ConformFlag.change_list_id == row.id)).all()
        cues = {c.id: c for c in session.scalars(select(Cue).where(
            Cue.id.in_([f.cue_id for f in flag_rows])))} if flag_rows else {}
        summary = _summary(row, changes, versions, flag_rows)
        ordered = sorted(flag_rows, key=lambda f: (flag_of(f).old_start,
                                                   cues[f.cue_id].number if f.cue_id in cues
                                                   else ""))
        flags = tuple(_flag_view(f, cues.get(f.cue_id), tc) for f in ordered)
        strips = _strips(changes, [flag_of(f) for f in ordered],
                         cuts.get(row.old_version_id), cuts.get(row.new_version_id),
                         (summary.old_name, summary.new_name), tc)
    return ChangeListBoard(summary, pctx.rate.name, _rows(changes, tc), strips, flags,
                           changes.warnings)


def flag_for_fix(pctx, number: int, cue: str) -> FlagView:
    """The flag of ``cue`` in change list ``number`` (NotFoundError naming the cues it
    flagged when there is none)."""
    from filmscore.errors import NotFoundError

    board = change_list_board(pctx, number)
    for f in board.flags:
        if f.cue == cue:
            return f
    raise NotFoundError(f"change list {number} flagged no cue {cue} (flagged: "
                        f"{', '.join(f.cue for f in board.flags) or 'none'})")


def fix_running(pctx, cue: str) -> str | None:
    """The batch of a fix of ``cue`` queued or running now (None: none)."""
    from sqlalchemy import select

    from filmscore.model import Job
    from filmscore.store import transaction

    with transaction(pctx.engine) as session:
        return session.scalar(select(Job.batch).where(
            Job.project_id == pctx.project_id, Job.kind == "conform-fix", Job.cue == cue,
            Job.state.in_(("queued", "running"))).limit(1))


__all__ = ["ChangeListBoard", "ChangeListSummary", "ChangeRow", "FlagView", "HitView",
           "ProposalView", "Strip", "StripSegment", "change_list_board", "change_lists",
           "fix_running", "flag_for_fix", "flag_of", "off_class", "proposal_of", "signed"]
