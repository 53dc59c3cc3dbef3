"""A change list between two cuts (pure): the contract between the compare (which makes
it), the service (which stores and applies it), the fixes, the formats and the web page.

A ``ChangeList`` holds the changes a music editor reads (inserts, deletions, trims,
moves, replacements, each with old and new record frames) and the ``spans`` that map the
old cut onto the new one: every frame of the old cut that is still in the new cut lies
in exactly one span, which says where it went.  ``map_frame`` and ``delta_at`` read the
spans: the frame delta at every point of the old cut.  Frames are record frames at the
cuts' rate (out points exclusive).
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Change:
    kind: str  # conform.vocabulary.CHANGE_KINDS
    clip: str  # the shot (clip name; a VFX shot without its version suffix)
    reel: str  # the source reel
    old_in: int | None  # record frames in the old cut (None: an insert)
    old_out: int | None
    new_in: int | None  # record frames in the new cut (None: a deletion)
    new_out: int | None
    #: frames the material kept moved (new_in - old_in of what is in both), 0 when none
    delta: int = 0
    #: frames the change adds to the cut (+) or takes out (-)
    frames: int = 0
    note: str = ""


@dataclass(frozen=True)
class Span:
    """A run of the old cut kept in the new one: old [old_in, old_out) is at new_in on."""

    old_in: int
    old_out: int
    new_in: int
    clip: str = ""

    @property
    def delta(self) -> int:
        return self.new_in - self.old_in

    @property
    def new_out(self) -> int:
        return self.new_in + (self.old_out - self.old_in)


@dataclass(frozen=True)
class ChangeList:
    old_name: str
    new_name: str
    rate_name: str
    changes: tuple[Change, ...]
    spans: tuple[Span, ...]  # in old-cut order, not overlapping
    old_version: int | None = None  # picture version numbers when made from the project
    new_version: int | None = None
    project: str = ""  # the project's title and id ("Title #1") it was made for
    warnings: tuple[str, ...] = field(default=())

    def _span(self, old_frame: int) -> Span | None:
        starts = [s.old_in for s in self.spans]
        at = bisect.bisect_right(starts, old_frame) - 1
        if at >= 0 and self.spans[at].old_in <= old_frame < self.spans[at].old_out:
            return self.spans[at]
        return None

    def map_frame(self, old_frame: int) -> int | None:
        """Where a frame of the old cut is in the new one; None when it was cut out."""
        span = self._span(old_frame)
        return None if span is None else old_frame + span.delta

    def delta_at(self, old_frame: int) -> int | None:
        """The frame delta at a point of the old cut (None: cut out)."""
        span = self._span(old_frame)
        return None if span is None else span.delta

    def to_json(self) -> dict:
        return {"old_name": self.old_name, "new_name": self.new_name,
                "rate_name": self.rate_name, "old_version": self.old_version,
                "new_version": self.new_version, "project": self.project,
                "warnings": list(self.warnings),
                "changes": [asdict(c) for c in self.changes],
                "spans": [asdict(s) for s in self.spans]}

    @classmethod
    def from_json(cls, data: dict) -> ChangeList:
        return cls(old_name=data["old_name"], new_name=data["new_name"],
                   rate_name=data["rate_name"], old_version=data.get("old_version"),
                   new_version=data.get("new_version"), project=data.get("project", ""),
                   warnings=tuple(data.get("warnings", ())),
                   changes=tuple(Change(**c) for c in data["changes"]),
                   spans=tuple(Span(**s) for s in data["spans"]))


@dataclass(frozen=True)
class Hit:
    """A sync point of a flagged cue: where the picture now has it, and where the cue's
    music (its tempo map, the cue moved with its start) now puts it."""

    sync_id: int | None
    kind: str  # sync point kind (hard, soft, downbeat, end...)
    description: str
    old_frame: int
    new_frame: int | None  # None: its picture was cut out
    music_frame: int | None  # where the music lands it after the cue's start moved
    #: new_frame - music_frame: frames the music is off the hit (None: hit cut out)
    off_frames: int | None


@dataclass(frozen=True)
class Flag:
    cue: str
    reason: str  # conform.vocabulary.FLAG_REASONS
    old_start: int
    old_end: int
    new_start: int | None
    new_end: int | None
    hits: tuple[Hit, ...] = ()
    note: str = ""

    @property
    def worst_off(self) -> int:
        offs = [abs(h.off_frames) for h in self.hits if h.off_frames is not None]
        return max(offs, default=0)


@dataclass(frozen=True)
class Proposal:
    """A fix of a flagged cue: what it does, its parameters (``detail``: a tempo map as
    JSON, the bars cut or inserted, the new start), and each hit's frames off after it."""

    kind: str  # conform.vocabulary.FIX_KINDS
    description: str
    detail: dict
    hits_off: tuple[tuple[int | None, int | None], ...]  # (sync_id, off_frames)

    @property
    def worst_off(self) -> int:
        return max((abs(o) for _, o in self.hits_off if o is not None), default=0)


# --- flags and proposals as stored (ConformFlag.data and .proposals: JSON) ---------------


def _known(cls, data: dict) -> dict:
    """The keys of ``data`` that are fields of the dataclass ``cls`` (a stored flag may
    carry more, written by a later version)."""
    from dataclasses import fields

    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def flag_to_json(flag: Flag) -> dict:
    return asdict(flag)


def flag_from_json(data: dict) -> Flag:
    """A stored flag (``ConformFlag.data``) as a ``Flag`` (hits as ``Hit``)."""
    fields_ = _known(Flag, dict(data))
    hits = tuple(Hit(**_known(Hit, h)) for h in fields_.pop("hits", ()))
    return Flag(**fields_, hits=hits)


def proposal_to_json(proposal: Proposal) -> dict:
    out = asdict(proposal)
    out["hits_off"] = [list(pair) for pair in proposal.hits_off]
    return out


def proposal_from_json(data: dict) -> Proposal:
    """A stored proposal (an item of ``ConformFlag.proposals``) as a ``Proposal``."""
    return Proposal(kind=data["kind"], description=data.get("description", ""),
                    detail=dict(data.get("detail") or {}),
                    hits_off=tuple((None if s is None else int(s), None if o is None else int(o))
                                   for s, o in data.get("hits_off", ())))
