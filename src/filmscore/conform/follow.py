"""Follow the picture (pure): where every cue and sync point goes when a change list is
applied, and which cues are flagged, with how many frames each hit is off the music.

Every frame moves with the shot it belongs to (``ChangeList.map_frame``):

- a sync point goes where its own frame went;
- a cue's start goes where its first frame went, or, when that frame was cut out, where
  the first frame of the cue that survives went; its end likewise from the last frame
  before it that survives (when the cue's pieces were re-ordered so that those two cross,
  the cue spans all its surviving pieces);
- the cue's music (its tempo map: bar 1 is where it was relative to the cue's start)
  moves with the cue's start.  A hit keeps its musical position, so the music now lands
  it at ``music_frame`` = its old frame + the start's move, and ``off_frames`` =
  ``new_frame - music_frame`` is how far the picture's hit is from the music's (positive:
  the picture's hit comes later).  A cue without a tempo map: the hits are measured from
  the cue's start the same way (there is no bar line to report).

A cue gets one flag (``conform.vocabulary.FLAG_REASONS``), the first that applies:

1. ``deleted``: no frame of the cue is in the new cut (the cue, its sync points and its
   music are moved whole to the cut where its picture was, inside the new picture, so
   nothing is lost and the cue list stays valid until someone removes or moves it);
2. ``cut_into``: its length changed (frames removed or added inside its span);
3. ``hits_moved``: its length did not change, but a sync point is now off the music
   (it moved relative to another or to the start) or its picture is gone;
4. ``cut_into`` also when the picture inside the cue changed (a shot replaced, or
   material swapped in and out) but its length and every hit stayed;
5. ``moved``: the cue's picture moved whole (informational: the music follows as it is).

A cue whose picture did not change at all gets no flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from filmscore.conform.changes import ChangeList, Flag, Hit
from filmscore.sync.tempomap import TempoMap


@dataclass(frozen=True)
class SyncIn:
    """A sync point as the project has it."""

    frame: int
    kind: str = "hard"
    id: int | None = None
    description: str = ""


@dataclass(frozen=True)
class CueIn:
    """A cue as the project has it: [start, end) frames, sync points, its tempo map."""

    cue: str
    start_frame: int
    end_frame: int
    sync_points: tuple[SyncIn, ...] = ()
    tempo_map: TempoMap | None = None
    id: int | None = None


@dataclass(frozen=True)
class SyncFollow:
    """Where a sync point goes: ``new_frame`` (None: its picture was cut out),
    ``music_frame`` (where the cue's music lands it) and ``stored_frame`` (where the
    project keeps it: its new frame, or when its picture is gone, where the music has it,
    inside the cue)."""

    sync: SyncIn
    new_frame: int | None
    music_frame: int | None
    stored_frame: int
    position: str = ""  # its bar|beat|tick in the cue's tempo map ("" without one)

    @property
    def off_frames(self) -> int | None:
        if self.new_frame is None or self.music_frame is None:
            return None
        return self.new_frame - self.music_frame

    def hit(self) -> Hit:
        return Hit(sync_id=self.sync.id, kind=self.sync.kind,
                   description=self.sync.description, old_frame=self.sync.frame,
                   new_frame=self.new_frame, music_frame=self.music_frame,
                   off_frames=self.off_frames)


@dataclass(frozen=True)
class CueFollow:
    """Where a cue goes (a deleted one too: see ``_deleted``), its sync points, its tempo
    map moved with its start, and its flag (None: nothing changed under it)."""

    cue: CueIn
    new_start: int
    new_end: int
    syncs: tuple[SyncFollow, ...]
    tempo_map: TempoMap | None
    flag: Flag | None

    @property
    def start_delta(self) -> int:
        return self.new_start - self.cue.start_frame

    @property
    def deleted(self) -> bool:
        return self.flag is not None and self.flag.reason == "deleted"

    @property
    def changed(self) -> bool:
        """Whether applying it changes anything stored."""
        return (self.new_start != self.cue.start_frame or self.new_end != self.cue.end_frame
                or any(s.stored_frame != s.sync.frame for s in self.syncs))


@dataclass(frozen=True)
class _Piece:
    """A run of the cue's old frames [lo, hi) kept in the new cut, moved by ``delta``."""

    lo: int
    hi: int
    delta: int


def _pieces(changes: ChangeList, start: int, end: int) -> list[_Piece]:
    """The cue's surviving runs in old order, adjacent runs with one delta merged (the
    compare may keep one span per shot)."""
    out: list[_Piece] = []
    for span in changes.spans:
        lo, hi = max(start, span.old_in), min(end, span.old_out)
        if lo >= hi:
            continue
        if out and out[-1].hi == lo and out[-1].delta == span.delta:
            out[-1] = _Piece(out[-1].lo, hi, span.delta)
        else:
            out.append(_Piece(lo, hi, span.delta))
    return out


def follow_cue(changes: ChangeList, cue: CueIn,
               picture: tuple[int, int] | None = None) -> CueFollow:
    """Where one cue, its sync points and its music go, and its flag.  ``picture`` is the
    new cut's [start, end) frames: a deleted cue is kept inside it."""
    pieces = _pieces(changes, cue.start_frame, cue.end_frame)
    old_len = cue.end_frame - cue.start_frame
    if not pieces:
        return _deleted(changes, cue, picture)
    new_start = pieces[0].lo + pieces[0].delta
    new_end = pieces[-1].hi + pieces[-1].delta
    notes = []
    if new_end <= new_start:  # re-ordered: the cue spans every surviving piece
        new_start = min(p.lo + p.delta for p in pieces)
        new_end = max(p.hi + p.delta for p in pieces)
        notes.append("the picture under the cue was re-ordered")
    delta = new_start - cue.start_frame
    tmap = cue.tempo_map
    moved_map = None if tmap is None else replace(tmap, start_frame=tmap.start_frame + delta)
    syncs = tuple(_follow_sync(changes, s, delta, tmap, moved_map, new_start, new_end)
                  for s in cue.sync_points)
    new_len = new_end - new_start
    whole = len(pieces) == 1 and (pieces[0].lo, pieces[0].hi) == (cue.start_frame,
                                                                  cue.end_frame)
    off = [s for s in syncs if s.off_frames != 0]
    if whole:
        reason = "moved" if delta else None
        notes.append(f"moved {delta:+d} frames")
    elif new_len != old_len:
        reason = "cut_into"
        notes.append(f"{abs(new_len - old_len)} frames "
                     f"{'removed from' if new_len < old_len else 'added to'} the cue "
                     f"({old_len} -> {new_len})")
    elif off:
        reason = "hits_moved"
        notes.append(f"length kept ({old_len} frames) but {len(off)} of "
                     f"{len(syncs)} sync points moved")
    else:
        reason = "cut_into"
        notes.append(f"the picture inside the cue changed; its length ({old_len} frames) "
                     f"and its sync points did not")
    gone = [s for s in syncs if s.new_frame is None]
    if gone:
        notes.append(f"{len(gone)} sync point{'s' if len(gone) > 1 else ''} cut out with "
                     f"the picture")
    flag = None if reason is None else Flag(
        cue=cue.cue, reason=reason, old_start=cue.start_frame, old_end=cue.end_frame,
        new_start=new_start, new_end=new_end, hits=tuple(s.hit() for s in syncs),
        note="; ".join(notes))
    return CueFollow(cue, new_start, new_end, syncs, moved_map if tmap else None, flag)


def _follow_sync(changes: ChangeList, sync: SyncIn, delta: int, tmap: TempoMap | None,
                 moved_map: TempoMap | None, new_start: int, new_end: int) -> SyncFollow:
    new_frame = changes.map_frame(sync.frame)
    if tmap is None or moved_map is None:
        music, position = sync.frame + delta, ""
    else:  # the hit's musical time is kept; bar 1 moved with the cue's start
        seconds = tmap.seconds_of_frame(sync.frame)
        music = moved_map.frame_at(seconds)
        position = str(tmap.position_at(seconds))
    stored = new_frame if new_frame is not None else min(max(music, new_start), new_end - 1)
    return SyncFollow(sync, new_frame, music, stored, position)


def follow(changes: ChangeList, cues: Sequence[CueIn],
           picture: tuple[int, int] | None = None) -> list[CueFollow]:
    """Every cue followed through the change list, in the order given."""
    return [follow_cue(changes, cue, picture) for cue in cues]


def _deleted(changes: ChangeList, cue: CueIn, picture: tuple[int, int] | None) -> CueFollow:
    """A cue none of whose picture survives goes, whole, to the cut where its picture was
    (the new frame of the first old frame after it that survives, else of the end of the
    last one before it), inside the new picture: it is not lost, and the cue list stays
    inside the picture until someone removes or moves it."""
    after = [s for s in changes.spans if s.old_in >= cue.end_frame]
    before = [s for s in changes.spans if s.old_out <= cue.start_frame]
    length = cue.end_frame - cue.start_frame
    if after:
        at = after[0].new_in
    elif before:
        at = before[-1].new_out
    else:
        at = cue.start_frame
    if picture is not None:
        at = max(picture[0], min(at, picture[1] - length))
    delta = at - cue.start_frame
    tmap = cue.tempo_map
    moved_map = None if tmap is None else replace(tmap, start_frame=tmap.start_frame + delta)
    syncs = []
    for sync in cue.sync_points:
        position = "" if tmap is None else str(
            tmap.position_at(tmap.seconds_of_frame(sync.frame)))
        syncs.append(SyncFollow(sync, None, sync.frame + delta, sync.frame + delta, position))
    flag = Flag(cue=cue.cue, reason="deleted", old_start=cue.start_frame,
                old_end=cue.end_frame, new_start=None, new_end=None,
                hits=tuple(s.hit() for s in syncs),
                note=f"no frame of the cue is in the new cut; kept whole at the cut where "
                     f"its picture was ({delta:+d} frames): remove or move it")
    return CueFollow(cue, at, at + length, tuple(syncs), moved_map, flag)
