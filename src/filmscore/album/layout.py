"""The album page's layout of one medium (pure): a ``plan.ReleasePlan``, what is known of
each candidate and the score's themes in; the tracks timed on their sides, the side
breaks, each side's total against its limit, a bar to scale, the transitions, the theme
coverage and what breaks the medium's rules out.

How time is counted on a medium: a track's *start* is seconds from the start of its side
(vinyl) or of track 1 (CD, digital), its *running time* the end of the track on that
clock, a side's *total* the running time of its last track.  The gap before the first
track of a side is not counted in its start times (the CD's 2-second pregap, the lead-in
groove), as in ``ReleasePlan.seconds``; the CD's total is disc time, the pregap included,
which is what its capacity (79:57 by default) is checked against.  On a medium with a
grid (the CD's frames of 1/75 s) the times are laid out as the disc image is
(``album.cd``): a track after a pause starts on a frame (the track before padded with
silence to its frame's end, the pause rounded to the nearest frame), a segue runs on
unbroken, and the total is padded to a whole frame; the CD index adds the pregap (disc
time, MM:SS:FF, the frame at or before the track's start). Times stay exact ``Fraction``
seconds; the texts round them for the eye (:mod:`filmscore.album.clock`) and the bar's
percentages are the one float step, for the screen only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from filmscore.album.clock import against, cd_address, clock, gap_text
from filmscore.album.vocabulary import SIDE_LETTERS

#: a track is never drawn narrower than this share of its side's scale
MIN_PCT = 0.15


@dataclass(frozen=True)
class CandidateView:
    """A candidate as the page lists it."""

    key: str
    kind: str
    kind_text: str  # what the kind means
    cue: str | None  # the cue it comes from ("1M3"); None for a suite
    title: str  # the album title ("" when none is given yet)
    working_title: str  # the cue's (or the album edit's) working title
    seconds: Fraction
    length: str  # M:SS
    rating: int
    themes: tuple[str, ...]
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    in_film: bool
    film_timecode: str  # where it is heard ("" when it is not in the film)
    media: tuple[str, ...]  # where it is on an album: "1 · CD 3", "1 · LP A2"
    has_audio: bool
    version: int  # the row's version (the edit form sends it back)
    notes: str = ""

    @property
    def shown_title(self) -> str:
        return self.title or self.working_title or self.key

    @property
    def loudness(self) -> str:
        return "" if self.loudness_lufs is None else f"{self.loudness_lufs:.1f} LUFS"

    @property
    def peak(self) -> str:
        return "" if self.true_peak_dbtp is None else f"{self.true_peak_dbtp:.1f} dBTP"


@dataclass(frozen=True)
class TrackRow:
    """A track of a medium's sequence, timed on its side (CD, digital: one side, "")."""

    position: int  # from 1 on the medium (vinyl: through the sides)
    label: str  # "3"; on vinyl "A3"
    side: str
    key: str
    title: str
    cue: str | None
    kind: str
    pinned: str
    isrc: str
    rating: int
    themes: tuple[str, ...]
    start: Fraction  # from the start of the side (or of track 1)
    seconds: Fraction
    gap: Fraction  # the silence counted before it (0 for a side's first track)
    stored_gap: Fraction  # the gap the album stores (a side's first track: not counted)
    end: Fraction  # the running time after it
    cd_index: str  # CD only: where it starts on the disc (pregap included), MM:SS:FF
    loudness_lufs: float | None  # measured on the candidate's audio
    mastered: bool
    has_audio: bool
    first_on_side: bool
    short: bool  # under the medium's shortest track
    x_pct: float  # the bar: where the track is drawn, percent of the side's scale
    width_pct: float
    gap_x_pct: float
    gap_pct: float

    @property
    def start_text(self) -> str:
        return clock(self.start)

    @property
    def length(self) -> str:
        return clock(self.seconds)

    @property
    def gap_text(self) -> str:
        return gap_text(self.gap) if not self.first_on_side else ""

    @property
    def running(self) -> str:
        return clock(self.end)

    @property
    def loudness(self) -> str:
        return "" if self.loudness_lufs is None else f"{self.loudness_lufs:.1f}"


@dataclass(frozen=True)
class SideView:
    """A side of a record (or the whole CD or digital release, ``letter`` "")."""

    letter: str
    tracks: tuple[TrackRow, ...]
    seconds: Fraction  # the running time of its last track
    limit: Fraction | None  # the most it holds (None: no limit)
    total_text: str
    limit_text: str  # "" without a limit
    difference: str  # "over by 1:05", "3:12 to spare", ""
    over: bool
    fill_pct: float  # the bar: where the music ends, percent of the scale
    limit_pct: float | None  # where the limit is drawn
    over_pct: float  # the part of the bar past the limit

    @property
    def first(self) -> TrackRow | None:
        return self.tracks[0] if self.tracks else None

    @property
    def last(self) -> TrackRow | None:
        return self.tracks[-1] if self.tracks else None

    @property
    def name(self) -> str:
        return f"Side {self.letter}" if self.letter else ""


@dataclass(frozen=True)
class Transition:
    """From one track into the next on the same side (a flip is no transition)."""

    out_position: int
    in_position: int
    out_label: str
    in_label: str
    out_title: str
    in_title: str
    gap: Fraction
    playable: bool  # both tracks have audio
    mastered: bool  # both are mastered: the transition plays the masters

    @property
    def gap_text(self) -> str:
        return gap_text(self.gap)


@dataclass(frozen=True)
class ThemeUse:
    name: str
    tracks: tuple[str, ...]  # the track labels that carry it (empty: not on the medium)


@dataclass(frozen=True)
class MediumView:
    """One medium of an album: its rules, its sequence, sides, transitions and checks."""

    name: str  # "cd", "vinyl", "digital"
    title: str  # "CD", "12-inch LP", "Digital"
    tracks: tuple[TrackRow, ...]
    sides: tuple[SideView, ...]
    transitions: tuple[Transition, ...]
    seconds: Fraction  # music and gaps, all sides
    total_text: str
    limit_text: str  # "79:57" (CD), "22:00 a side" (vinyl), "" (digital)
    over: bool
    #: what else breaks the medium's rules, one line each (a side or disc over its limit
    #: is told by ``over`` and each side's ``difference``)
    problems: tuple[str, ...]
    themes: tuple[ThemeUse, ...]
    covered: int  # how many of the themes it carries
    rating: int  # the tracks' ratings added up
    order: str  # the order the album's settings ask for ("film" when none)
    rules: str  # the medium's rules in words
    mastered: int  # how many tracks are mastered
    error: str = ""  # the plan could not be read (a missing file): why

    @property
    def empty(self) -> bool:
        return not self.tracks

    @property
    def spread(self) -> str:
        """How far apart the longest and the shortest side are (a record's sides are
        balanced when it is small); "" for a medium without sides."""
        if len(self.sides) < 2:
            return ""
        lengths = [s.seconds for s in self.sides]
        return clock(max(lengths) - min(lengths))

    @property
    def measured(self) -> bool:
        """Whether any track's loudness is known (the page shows the column)."""
        return any(t.loudness_lufs is not None for t in self.tracks)

    @property
    def keys(self) -> frozenset[str]:
        """The candidates on the medium."""
        return frozenset(t.key for t in self.tracks)

    @property
    def missing_themes(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.themes if not t.tracks)


@dataclass(frozen=True)
class AlbumSummary:
    number: int
    title: str
    artist: str
    catalog: str
    previous: int | None  # the album it expands
    media: dict[str, tuple[int, str]] = field(default_factory=dict)  # medium -> (tracks, total)


@dataclass(frozen=True)
class AlbumBoard:
    number: int
    title: str
    artist: str
    label_name: str
    catalog: str
    previous: int | None
    media: tuple[MediumView, ...]


# --- the layout (pure) --------------------------------------------------------------------------

def _up(seconds: Fraction, grid: Fraction) -> Fraction:
    """``seconds`` rounded up to the grid."""
    return (seconds / grid).__ceil__() * grid


def _nearest(seconds: Fraction, grid: Fraction) -> Fraction:
    """``seconds`` to the nearest step of the grid (half up)."""
    return (seconds / grid + Fraction(1, 2)).__floor__() * grid


def _pct(value: Fraction, scale: Fraction) -> float:
    return round(float(value * 100 / scale), 3)


def rules_text(medium) -> str:
    parts = []
    if medium.max_seconds is not None:
        parts.append(f"at most {clock(medium.max_seconds)}"
                     + (" a side" if medium.sides > 1 else ""))
    else:
        parts.append("no time limit")
    if medium.sides > 1:
        parts.append(f"{medium.sides} sides")
    if medium.max_tracks is not None:
        parts.append(f"at most {medium.max_tracks} tracks")
    if medium.min_track_seconds:
        parts.append(f"each at least {gap_text(medium.min_track_seconds)}")
    if medium.pregap_seconds:
        parts.append(f"{gap_text(medium.pregap_seconds)} before track 1")
    parts.append(f"gaps of {gap_text(medium.gap_seconds)} unless set")
    if medium.grid_seconds is not None and medium.grid_seconds.numerator == 1:
        parts.append(f"boundaries on 1/{medium.grid_seconds.denominator} s")
    return ", ".join(parts)


def layout_medium(plan, candidates: Mapping[str, CandidateView] | None = None,
                  themes: Sequence[str] = ()) -> MediumView:
    """The sequence of ``plan`` (a ``ReleasePlan``) timed side by side, drawn to scale and
    checked against its medium's rules; ``candidates`` (by key) give each track's rating
    and themes, ``themes`` the score's themes in the order to list them (a theme a track
    carries that is not among them is added)."""
    medium = plan.medium
    candidates = candidates or {}
    vinyl = medium.sides > 1
    letters = [SIDE_LETTERS[i] for i in range(medium.sides)] if vinyl else [""]
    for track in plan.tracks:  # a side the rules do not know still shows
        if track.side and track.side not in letters:
            letters.append(track.side)
    if not vinyl and any(t.side for t in plan.tracks):
        letters = list(dict.fromkeys(t.side for t in plan.tracks))
    by_side: dict[str, list] = {letter: [] for letter in letters}
    for track in plan.tracks:
        by_side[track.side if track.side in by_side else letters[0]].append(track)

    # time each side
    grid = medium.grid_seconds
    timed: dict[str, list[tuple]] = {}
    totals: dict[str, Fraction] = {}
    for letter, tracks in by_side.items():
        at, rows = Fraction(0), []
        for i, track in enumerate(tracks):
            gap = Fraction(0) if i == 0 else Fraction(track.gap_seconds)
            if grid and gap:
                # on the grid (a CD's frames): the track before padded to its frame's end,
                # the pause a whole number of frames (the nearest), as the disc lays it out
                gap = _nearest(gap, grid)
                start = _up(at, grid) + gap
            else:
                start = at + gap  # a segue runs on unbroken
            end = start + track.seconds
            rows.append((track, gap, start, end))
            at = end
        timed[letter] = rows
        # a CD's total is disc time: the pregap before track 1 counts against its capacity,
        # as the lead-out address on the PQ sheet (and album.sequence, album.cd) count it
        totals[letter] = (_up(at, grid) if grid else at) + (
            medium.pregap_seconds if medium.name == "cd" else 0)
    limit = medium.max_seconds
    longest = max(totals.values(), default=Fraction(0))
    scale = max(limit or Fraction(0), longest) or Fraction(1)

    cd = medium.name == "cd"
    track_rows: list[TrackRow] = []
    sides: list[SideView] = []
    for letter, rows in timed.items():
        side_rows = []
        for n, (track, gap, start, end) in enumerate(rows, 1):
            cand = candidates.get(track.key)
            width = max(_pct(track.seconds, scale), MIN_PCT)
            row = TrackRow(
                position=track.position, label=f"{letter}{n}" if letter else str(track.position),
                side=letter, key=track.key, title=track.title, cue=track.cue, kind=track.kind,
                pinned=track.pinned, isrc=track.isrc,
                rating=cand.rating if cand else 0, themes=cand.themes if cand else (),
                start=start, seconds=track.seconds, gap=gap,
                stored_gap=Fraction(track.gap_seconds), end=end,
                cd_index=cd_address(medium.pregap_seconds + start) if cd else "",
                loudness_lufs=track.loudness_lufs, mastered=bool(track.mastered.get("media_hash")),
                has_audio=track.audio is not None or track.mastered_audio is not None,
                first_on_side=n == 1,
                short=track.seconds < medium.min_track_seconds,
                x_pct=_pct(start, scale), width_pct=width,
                gap_x_pct=_pct(start - gap, scale), gap_pct=_pct(gap, scale))
            side_rows.append(row)
        track_rows.extend(side_rows)
        total = totals[letter]
        if limit is not None:
            total_text, difference = against(total, limit)
            over = total > limit
        else:
            total_text, difference, over = clock(total), "", False
        sides.append(SideView(
            letter=letter, tracks=tuple(side_rows), seconds=total, limit=limit,
            total_text=total_text, limit_text=clock(limit) if limit is not None else "",
            difference=difference, over=over, fill_pct=_pct(total, scale),
            limit_pct=_pct(limit, scale) if limit is not None else None,
            over_pct=_pct(total - limit, scale) if over else 0.0))

    transitions = []
    for side in sides:
        for a, b in zip(side.tracks, side.tracks[1:], strict=False):
            transitions.append(Transition(a.position, b.position, a.label, b.label, a.title,
                                          b.title, b.gap, a.has_audio and b.has_audio,
                                          a.mastered and b.mastered))

    all_themes = list(dict.fromkeys(themes))
    for row in track_rows:
        all_themes.extend(t for t in row.themes if t not in all_themes)
    uses = tuple(ThemeUse(name, tuple(r.label for r in track_rows if name in r.themes))
                 for name in all_themes)

    seconds = sum(totals.values(), Fraction(0))
    over = any(s.over for s in sides)
    return MediumView(
        name=medium.name, title=medium.title, tracks=tuple(track_rows), sides=tuple(sides),
        transitions=tuple(transitions), seconds=seconds, total_text=clock(seconds),
        limit_text=("" if limit is None else clock(limit) + (" a side" if vinyl else "")),
        over=over, problems=_problems(medium, sides, track_rows),
        themes=uses, covered=sum(1 for u in uses if u.tracks),
        rating=sum(r.rating for r in track_rows),
        order=str(plan.settings.get("order", "film")), rules=rules_text(medium),
        mastered=sum(1 for r in track_rows if r.mastered))


def _problems(medium, sides: Sequence[SideView], rows: Sequence[TrackRow]
              ) -> tuple[str, ...]:
    """What breaks the medium's rules but its limit, one line each."""
    out = []
    if medium.max_tracks is not None and len(rows) > medium.max_tracks:
        out.append(f"{len(rows)} tracks: a {medium.title} holds at most {medium.max_tracks}")
    for row in rows:
        if row.short:
            out.append(f"track {row.label} {row.title!r} lasts {gap_text(row.seconds)}: "
                       f"a {medium.title} track lasts at least "
                       f"{gap_text(medium.min_track_seconds)}")
        if not row.has_audio:
            out.append(f"track {row.label} {row.title!r} has no audio yet")
    if rows:
        firsts = [r for r in rows if r.pinned == "first"]
        lasts = [r for r in rows if r.pinned == "last"]
        for r in firsts:
            if r is not rows[0]:
                out.append(f"track {r.label} {r.title!r} is pinned first but is not track 1")
        for r in lasts:
            if r is not rows[-1]:
                out.append(f"track {r.label} {r.title!r} is pinned last but is not the "
                           f"last track")
    if medium.sides > 1 and len(sides) > medium.sides:
        extra = ", ".join(s.letter for s in sides[medium.sides:])
        out.append(f"tracks on side {extra}: a {medium.title} has sides "
                   f"{SIDE_LETTERS[:medium.sides]}")
    return tuple(out)


__all__ = ["AlbumBoard", "AlbumSummary", "CandidateView", "MediumView", "SideView",
           "ThemeUse", "TrackRow", "Transition", "layout_medium", "rules_text"]
