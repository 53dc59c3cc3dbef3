"""The spotting list's pure core: cue numbers, sync points, cue checks, numbering and totals.

Cue numbers follow the film convention ``<reel>M<n>``: ``1M1``, ``1M2`` ... in reel 1,
``2M1`` (numbering per reel) or ``2M3`` (numbering continued across reels) in reel 2.
An inserted cue takes a letter (``2M3A`` sits between ``2M3`` and ``2M4``), and a trailing
lowercase ``s`` marks source music (``1M4s``).  The grammar is the table
``CUE_NUMBER_FORMS``; see ``parse_cue_number`` for what is accepted on input.

Frames are absolute frame numbers at the project rate (00:00:00:00 is frame 0); a cue's
end is exclusive (length = end - start).  Nothing here touches a database or a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import total_ordering

from filmscore.errors import InputError, ValidationError
from filmscore.timecode import Rate, format_duration, format_label, get_rate

# --- cue numbers -------------------------------------------------------------------------


@dataclass(frozen=True)
class CueNumberForm:
    """One accepted spelling of a cue number: a regex with reel/number/insert groups."""

    name: str
    pattern: re.Pattern[str]
    source: bool  # True if this spelling always means source music
    example: str


#: Cue number grammar, vocabulary as data.  Tried in order; the first full match wins.
#: ``M`` may be written ``m``; an insert letter is one letter A-Z (either case, stored
#: uppercase); a trailing *lowercase* ``s`` marks source music.  ``1S4`` (reel, ``S``,
#: number) is the other spelling of source music seen on cue sheets: it is read as
#: ``1M4s``.  Because only a lowercase ``s`` is the source mark, ``2M3S`` is insert S.
CUE_NUMBER_FORMS: tuple[CueNumberForm, ...] = (
    CueNumberForm(
        "score",
        re.compile(r"(?P<reel>\d{1,2})[Mm](?P<number>\d{1,3})(?P<insert>[A-Za-rt-z]?)"
                   r"(?P<source>s?)"),
        False, "1M1, 2M3A, 1M4s"),
    CueNumberForm(
        "source (reel S number)",
        re.compile(r"(?P<reel>\d{1,2})S(?P<number>\d{1,3})(?P<insert>[A-Za-z]?)"),
        True, "1S4 (read as 1M4s)"),
)

CUE_NUMBER_PATTERN = (
    "<reel>M<number>[insert letter][s], e.g. 1M1, 2M3A, 1M4s (source); 1S4 is read as 1M4s"
)


@total_ordering
@dataclass(frozen=True)
class CueNumber:
    """A cue number: reel, number in the reel (or film), insert letter, source flag.

    Ordered by (reel, number, insert) (then score before source, to be consistent with
    equality); ``str()`` gives the canonical spelling.
    """

    reel: int
    number: int
    insert: str = ""
    source: bool = False

    def __str__(self) -> str:
        return f"{self.reel}M{self.number}{self.insert}{'s' if self.source else ''}"

    @property
    def slot(self) -> tuple[int, int, str]:
        """(reel, number, insert): two cues may not share a slot, score or source."""
        return (self.reel, self.number, self.insert)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, CueNumber):
            return NotImplemented
        return (*self.slot, self.source) < (*other.slot, other.source)


def parse_cue_number(text: str, *, field: str = "cue") -> CueNumber:
    """Parse '1M1', '2M3A', '1M4s' or '1S4' into a CueNumber (see ``CUE_NUMBER_FORMS``)."""
    if isinstance(text, CueNumber):
        return text
    if not isinstance(text, str):
        raise InputError("a cue number must be text", field=field, value=repr(text),
                         valid=CUE_NUMBER_PATTERN)
    stripped = text.strip()
    for form in CUE_NUMBER_FORMS:
        match = form.pattern.fullmatch(stripped)
        if match:
            groups = match.groupdict()
            source = form.source or bool(groups.get("source"))
            return CueNumber(int(groups["reel"]), int(groups["number"]),
                             groups["insert"].upper(), source)
    raise InputError("not a cue number", field=field, value=text, valid=CUE_NUMBER_PATTERN)


# --- sync points ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncKind:
    """One kind of sync point, as the spotting list names it."""

    name: str
    label: str
    description: str


#: Sync point kinds, vocabulary as data.
SYNC_KINDS: dict[str, SyncKind] = {
    k.name: k
    for k in (
        SyncKind("hard", "hard hit",
                 "an accent the music must land on exactly (a door slam, a cut)"),
        SyncKind("soft", "soft hit",
                 "a moment the music should acknowledge, within a few frames"),
        SyncKind("downbeat", "downbeat",
                 "a place where a bar should begin (a scene change, an entrance)"),
        SyncKind("end", "end", "where the music must end or arrive (the cue's out)"),
    )
}

_SYNC_ALIASES = {k.label: k.name for k in SYNC_KINDS.values()} | {
    "hit": "hard", "hard-hit": "hard", "soft-hit": "soft", "db": "downbeat",
    "down beat": "downbeat", "out": "end",
}


#: A cue's life from spotting to approval (the writing stage adds the review steps' use).
CUE_STATUSES: tuple[str, ...] = (
    "spotted", "sketched", "mockup sent", "changes requested", "approved", "orchestrated",
    "recorded", "mixed", "omitted",
)


def parse_cue_status(text: str, *, field: str = "status") -> str:
    """Return the canonical cue status; unknown ones name the valid list."""
    key = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split()) \
        if isinstance(text, str) else None
    if key in CUE_STATUSES:
        return key
    raise InputError("unknown cue status", field=field, value=text,
                     valid=", ".join(CUE_STATUSES))


def require_one_or_all(number: object, all_cues: bool, what: str) -> None:
    """A command works on one named cue or on ``--all``: refuse neither and both."""
    if all_cues == (number is not None):
        raise InputError(f"name one cue or give --all for {what}", field="cue",
                         valid="a cue number such as 1M3, or --all")


def parse_sync_kind(text: str, *, field: str = "sync_kind") -> str:
    """Return the canonical sync kind name ('hard', 'soft', 'downbeat', 'end').

    Case-insensitive; the labels ('hard hit', 'soft hit') are accepted too.
    """
    key = text.strip().lower() if isinstance(text, str) else None
    if key in SYNC_KINDS:
        return key
    if key in _SYNC_ALIASES:
        return _SYNC_ALIASES[key]
    raise InputError("unknown sync point kind", field=field, value=text,
                     valid=", ".join(SYNC_KINDS))


@dataclass(frozen=True)
class SyncSpec:
    """A sync point: an absolute frame, what happens there, its kind and its weight."""

    frame: int
    description: str = ""
    kind: str = "hard"
    weight: float = 1.0


@dataclass(frozen=True)
class CueSpec:
    """A spotted cue: number, title, [start, end) frames and the spotting notes."""

    number: CueNumber
    title: str
    start_frame: int
    end_frame: int
    notes: str = ""
    mood: str = ""
    instrumentation: str = ""
    temp_track: str = ""
    temp_in: int | None = None  # frames into the temp track file
    temp_out: int | None = None
    sync_points: tuple[SyncSpec, ...] = ()

    @property
    def length_frames(self) -> int:
        return self.end_frame - self.start_frame

    @property
    def is_source(self) -> bool:
        return self.number.source


# --- checks ----------------------------------------------------------------------------------


def _tc(frame: int, rate: Rate) -> str:
    if not isinstance(frame, int) or isinstance(frame, bool):
        return repr(frame)
    return format_label(frame, rate) if frame >= 0 else "-" + format_label(-frame, rate)


def _is_frame(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_cues(
    cues: Iterable[CueSpec],
    *,
    picture_start: int | None,
    picture_end: int | None,
    allow_overlap: bool = False,
    rate: Rate | str,
) -> None:
    """Raise ValidationError for the first problem found in picture order.

    Checked: frames are whole numbers; end after start; the cue inside the picture
    ([picture_start, picture_end), either bound may be None); each sync point inside its
    cue (start <= frame <= end: a hit may fall on the cut that ends the cue), one sync
    point a frame; sync kinds and weights; duplicate cue numbers; overlapping score cues
    (source cues may overlap anything; ``allow_overlap`` turns the overlap check off).
    """
    rate = get_rate(rate)
    cues = sorted(cues, key=lambda c: (c.start_frame if _is_frame(c.start_frame) else 0,
                                       c.number))
    for cue in cues:
        name = str(cue.number)
        for attr in ("start_frame", "end_frame"):
            value = getattr(cue, attr)
            if not _is_frame(value) or value < 0:
                raise ValidationError(f"cue {name}: {attr} must be a frame number",
                                      field=attr, value=repr(value), valid="an integer >= 0")
        if cue.end_frame <= cue.start_frame:
            raise ValidationError(
                f"cue {name} ends at or before it starts (in {_tc(cue.start_frame, rate)})",
                field="end", value=_tc(cue.end_frame, rate),
                valid=f"a timecode after {_tc(cue.start_frame, rate)}")
        if picture_start is not None and cue.start_frame < picture_start:
            raise ValidationError(
                f"cue {name} starts before the picture", field="start",
                value=_tc(cue.start_frame, rate),
                valid=f"{_tc(picture_start, rate)} or later")
        if picture_end is not None and cue.end_frame > picture_end:
            raise ValidationError(
                f"cue {name} ends after the picture", field="end",
                value=_tc(cue.end_frame, rate),
                valid=f"{_tc(picture_end, rate)} or earlier")
        for temp in ("temp_in", "temp_out"):
            value = getattr(cue, temp)
            if value is not None and (not _is_frame(value) or value < 0):
                raise ValidationError(f"cue {name}: {temp} must be a frame number",
                                      field=temp, value=repr(value), valid="an integer >= 0")
        if (cue.temp_in is not None and cue.temp_out is not None
                and cue.temp_out <= cue.temp_in):
            raise ValidationError(
                f"cue {name}: temp track out is not after its in ({_tc(cue.temp_in, rate)})",
                field="temp_out", value=_tc(cue.temp_out, rate),
                valid=f"a timecode after {_tc(cue.temp_in, rate)}")
        _check_one_sync_a_frame(cue, rate)
        for sync in cue.sync_points:
            if not _is_frame(sync.frame) or not (cue.start_frame <= sync.frame <= cue.end_frame):
                raise ValidationError(
                    f"sync point {repr(sync.description) + ' ' if sync.description else ''}"
                    f"of cue {name} is outside the cue",
                    field="sync", value=_tc(sync.frame, rate),
                    valid=f"{_tc(cue.start_frame, rate)} to {_tc(cue.end_frame, rate)}")
            if sync.kind not in SYNC_KINDS:
                raise ValidationError(f"sync point of cue {name} has an unknown kind",
                                      field="sync_kind", value=sync.kind,
                                      valid=", ".join(SYNC_KINDS))
            weight = sync.weight
            if isinstance(weight, bool) or not isinstance(weight, (int, float, Fraction)) \
                    or not (0 <= weight < float("inf")):
                raise ValidationError(f"sync point of cue {name} has a bad weight",
                                      field="weight", value=repr(weight),
                                      valid="a number >= 0")
    seen: dict[tuple[int, int, str], CueSpec] = {}
    for cue in cues:
        key = cue.number.slot
        if key in seen:
            other = seen[key]
            raise ValidationError(
                f"cue number {cue.number} is used twice (at {_tc(other.start_frame, rate)} "
                f"and {_tc(cue.start_frame, rate)})", field="cue", value=str(cue.number),
                valid="a number not used by another cue (see next_cue_number)")
        seen[key] = cue
    # 1M4S (insert S) and 1M4s (source) name files and folders a case-insensitive disk
    # (macOS, Windows: where stage packs and deliveries are read) takes for one
    spelled: dict[str, CueSpec] = {}
    for cue in cues:
        other = spelled.setdefault(str(cue.number).casefold(), cue)
        if other is not cue:
            raise ValidationError(
                f"cue numbers {other.number} and {cue.number} differ only in case: their "
                "files would overwrite each other on a Mac or Windows disk", field="cue",
                value=str(cue.number), valid="another insert letter than S")
    if allow_overlap:
        return
    previous: CueSpec | None = None
    for cue in cues:
        if cue.is_source:
            continue
        if previous is not None and cue.start_frame < previous.end_frame:
            raise ValidationError(
                f"cue {cue.number} overlaps cue {previous.number} "
                f"({_tc(previous.start_frame, rate)} to {_tc(previous.end_frame, rate)})",
                field="start", value=_tc(cue.start_frame, rate),
                valid=f"{_tc(previous.end_frame, rate)} or later, or mark one as source (s)")
        if previous is None or cue.end_frame > previous.end_frame:
            previous = cue


def _describe(sync: SyncSpec) -> str:
    return f"{sync.kind}" + (f" {sync.description!r}" if sync.description else "")


def _check_one_sync_a_frame(cue: CueSpec, rate: Rate) -> None:
    """Two sync points of one cue on one frame are refused: one frame is one event for
    the click sheet, the streamers and find-tempo (describe both in one point)."""
    seen: dict[int, SyncSpec] = {}
    for sync in cue.sync_points:
        if _is_frame(sync.frame) and sync.frame in seen:
            first = seen[sync.frame]
            raise ValidationError(
                f"cue {cue.number} has two sync points on one frame ({_describe(first)} and "
                f"{_describe(sync)})", field="sync", value=_tc(sync.frame, rate),
                valid="one sync point a frame: keep one (a hard hit if either is), with "
                      "both descriptions, or move one to its own frame")
        seen[sync.frame] = sync


# --- numbering ---------------------------------------------------------------------------------

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def next_cue_number(
    existing: Sequence[CueNumber],
    reel: int,
    after: CueNumber | None = None,
    *,
    continue_across_reels: bool = False,
    source: bool = False,
) -> CueNumber:
    """The next free cue number in ``reel``, or an insert letter after ``after``.

    Without ``after``: one more than the highest number used in the reel (1 in an empty
    reel, or one more than the highest number of earlier reels when
    ``continue_across_reels``).  With ``after`` (2M3): the first letter after every insert
    letter already used on that number (2M3A, then 2M3B, ...).
    """
    if not isinstance(reel, int) or reel < 0:
        raise InputError("reel must be a whole number >= 0", field="reel", value=repr(reel))
    if after is not None:
        if after.reel != reel:
            raise InputError(f"cue {after} is not in reel {reel}", field="after",
                             value=str(after), valid=f"a cue of reel {reel}")
        used = {c.insert for c in existing
                if c.reel == after.reel and c.number == after.number} | {after.insert}
        highest = max(used)
        start = _LETTERS.index(highest) + 1 if highest else 0
        if start >= len(_LETTERS):
            raise ValidationError(
                f"no insert letter left after {after}", field="after", value=str(after),
                valid="renumber the reel first (see renumber)")
        return CueNumber(reel, after.number, _LETTERS[start], source)
    in_reel = [c.number for c in existing if c.reel == reel]
    if in_reel:
        return CueNumber(reel, max(in_reel) + 1, "", source)
    if continue_across_reels:
        earlier = [c.number for c in existing if c.reel < reel]
        return CueNumber(reel, max(earlier, default=0) + 1, "", source)
    return CueNumber(reel, 1, "", source)


def renumber(cues: Sequence[CueSpec], *, per_reel: bool = True) -> dict[str, str]:
    """Map every old cue number to its new one, numbering each reel in picture order.

    Inserts get plain numbers; source cues keep their ``s``.  With ``per_reel`` False the
    numbers continue across reels (reel 2 starts after the last number of reel 1).
    """
    names = [str(c.number) for c in cues]
    keys = [c.number.slot for c in cues]
    if len(set(keys)) != len(keys):
        dup = next(n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1)
        raise ValidationError("cue number used twice; cannot renumber", field="cue",
                              value=dup, valid="unique cue numbers")
    mapping: dict[str, str] = {}
    counter = 0
    ordered = sorted(cues, key=lambda c: (c.number.reel, c.start_frame, c.number))
    reel: int | None = None
    for cue in ordered:
        if cue.number.reel != reel:
            reel = cue.number.reel
            if per_reel:
                counter = 0
        counter += 1
        mapping[str(cue.number)] = str(CueNumber(reel, counter, "", cue.number.source))
    return mapping


# --- totals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MusicTotal:
    """Count and length of music in one reel (or the film when reel is None)."""

    reel: int | None
    count: int
    total_frames: int
    score_count: int
    score_frames: int
    source_count: int
    source_frames: int
    rate: Rate

    @property
    def seconds(self) -> Fraction:
        return Fraction(self.total_frames) / self.rate.fps

    @property
    def duration(self) -> str:
        """The total as M:SS+FF."""
        return format_duration(self.total_frames, self.rate)

    def __iter__(self):
        """Unpack as (reel, count, total_frames)."""
        return iter((self.reel, self.count, self.total_frames))


def _total(reel: int | None, cues: Sequence[CueSpec], rate: Rate) -> MusicTotal:
    score = [c for c in cues if not c.is_source]
    source = [c for c in cues if c.is_source]
    return MusicTotal(
        reel, len(cues), sum(c.length_frames for c in cues),
        len(score), sum(c.length_frames for c in score),
        len(source), sum(c.length_frames for c in source), rate)


def reel_totals(cues: Sequence[CueSpec], rate: Rate | str) -> list[MusicTotal]:
    """Music per reel, in reel order: count and total length, split score/source.

    Each MusicTotal unpacks as (reel, count, total_frames).
    """
    rate = get_rate(rate)
    reels = sorted({c.number.reel for c in cues})
    return [_total(r, [c for c in cues if c.number.reel == r], rate) for r in reels]


def film_total(cues: Sequence[CueSpec], rate: Rate | str) -> MusicTotal:
    """Music in the whole film (reel None): count and total length, split score/source."""
    return _total(None, list(cues), get_rate(rate))
