"""Comping a cue (pure): which take covers which bars, the edit points exact to the sample,
equal-power crossfades centred on each edit, and the first comp proposed from the circled
takes with the fewest edits.

Positions are on the cue's tempo map: ``"12"`` is bar 12's downbeat, ``"12.3"`` beat 3 of
bar 12 (beats are the meter's beats).  A comp is a list of segments, each a take playing
from one position to the next:

- ``from`` is where the take starts: ``"13"`` the downbeat of bar 13, ``"12.3"`` beat 3 of
  bar 12.
- ``to`` is where it stops: a bar alone is *through the end of that bar* (``"1-12"`` then
  ``"13-20"``: the edit is on the downbeat of bar 13), a bar and beat is *up to that beat*
  (``"1-12.3"`` then ``"12.3-20"``: the edit is on beat 3 of bar 12, which the second take
  plays).

The segments must cover every beat of bars 1 to the cue's last bar exactly once (a gap or
an overlap is refused with the bars named), and each take may only be used within its own
bars (a pickup of bars 5-8 cannot play bar 9).

Where the samples are (the contract of :mod:`filmscore.mixing.placing`): sample 0 of a comp
is the cue's start on the film (``cue_start_sample``).  A take's sample 0 sits on the film
at ``CompTake.start_sample`` (its audio file's bext TimeReference, else the record timecode
it was logged with).  A position's film sample is its exact time (the tempo map's
``start_seconds`` plus ``seconds_of``, Fractions) times the sample rate, **rounded half up
once, here** (:func:`film_sample`); every other sample number is that integer minus
another integer, so a stem of any take is cut at exactly the same film sample.

Crossfades are equal power and centred on the edit: over ``L`` samples starting ``L // 2``
before the edit, the outgoing take is scaled by cos and the incoming one by sin of
``pi/2 * (i + 1/2) / L``, so that ``g_out**2 + g_in**2 == 1`` at every sample and the two
curves are mirror images about the edit.  ``L`` is the crossfade length in milliseconds
times the sample rate, rounded half up; 0 is a butt splice at the edit.

The comp runs from the cue's start (the first take's audio before bar 1, silence where the
take has none yet) through the last bar and the last take's ring-out: its audio after the
last bar line, to the take's end.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from filmscore.errors import InputError, ValidationError
from filmscore.sync.tempomap import TempoMap

#: the take types a first comp is proposed from (circled), and the fallback (uncircled)
PROPOSED_KINDS = ("complete", "pickup")
FALLBACK_KINDS = ("complete",)


# -- positions and segments ------------------------------------------------------------


@dataclass(frozen=True, order=True)
class BarBeat:
    """A beat of the cue: bar (1-based) and beat (1-based, the meter's beats)."""

    bar: int
    beat: int = 1

    def __str__(self) -> str:
        return str(self.bar) if self.beat == 1 else f"{self.bar}.{self.beat}"


_POINT = re.compile(r"^\s*(\d{1,5})(?:\s*\.\s*(\d{1,3}))?\s*$")


def parse_point(text: str | int, *, field: str = "position") -> BarBeat:
    """``"12"`` (bar 12's downbeat) or ``"12.3"`` (bar 12, beat 3)."""
    match = _POINT.match(str(text)) if isinstance(text, str | int) else None
    if not match or int(match.group(1)) < 1 or (match.group(2) and int(match.group(2)) < 1):
        raise InputError("not a bar or bar.beat", field=field, value=str(text),
                         valid="BAR or BAR.BEAT from 1, e.g. 12 or 12.3")
    return BarBeat(int(match.group(1)), int(match.group(2) or 1))


@dataclass(frozen=True)
class CompSegment:
    """One take playing from ``start`` up to ``end`` (exclusive: where the next begins)."""

    take: int
    start: BarBeat
    end: BarBeat

    @property
    def from_text(self) -> str:
        return str(self.start)

    @property
    def to_text(self) -> str:
        """A downbeat end is written as the bar before, through its end ("1-12")."""
        return str(self.end.bar - 1) if self.end.beat == 1 else str(self.end)

    @property
    def label(self) -> str:
        return f"{self.from_text}-{self.to_text}={self.take}"

    def to_dict(self) -> dict:
        return {"take": self.take, "from": self.from_text, "to": self.to_text}


def segment(take: int, start: str | int, to: str | int, *, field: str = "edits"
            ) -> CompSegment:
    """A segment from its written form: ``segment(4, "1", "12")``, ``segment(7, "12.3", "20")``."""
    begin = parse_point(start, field=field)
    stop = parse_point(to, field=field)
    end = BarBeat(stop.bar + 1, 1) if stop.beat == 1 and "." not in str(to) else stop
    if not isinstance(take, int) or isinstance(take, bool) or take < 1:
        raise InputError("a take number is 1 or more", field=field, value=str(take),
                         valid="1, 2, 3 ...")
    if end <= begin:
        raise ValidationError("a segment ends where or before it starts", field=field,
                              value=f"{begin}-{to}={take}",
                              valid="FROM-TO with TO after FROM, e.g. 1-12 or 12.3-20")
    return CompSegment(take, begin, end)


_EDIT = re.compile(r"^\s*([\d.]+)\s*(?:-\s*([\d.]+)\s*)?=\s*[Tt]?(\d{1,6})\s*$")


def parse_edits(items: Iterable[str | Mapping]) -> tuple[CompSegment, ...]:
    """Segments from ``"1-12=4"`` / ``"12.3-20=7"`` / ``"9=5"`` (bar 9 alone) or
    ``{"take": 4, "from": "1", "to": "12"}`` items, in cue order."""
    out = []
    for item in items:
        if isinstance(item, Mapping):
            try:
                take, start, to = int(item["take"]), item["from"], item["to"]
            except (KeyError, TypeError, ValueError):
                raise InputError("not a segment", field="edits", value=str(dict(item)),
                                 valid='{"take": 4, "from": "1", "to": "12"}') from None
            out.append(segment(take, str(start), str(to)))
            continue
        match = _EDIT.match(str(item))
        if not match:
            raise InputError("not a segment", field="edits", value=str(item),
                             valid="FROM-TO=TAKE, e.g. 1-12=4 or 12.3-20=7")
        out.append(segment(int(match.group(3)), match.group(1),
                           match.group(2) or match.group(1)))
    if not out:
        raise InputError("an edit list needs a segment", field="edits",
                         valid="FROM-TO=TAKE ..., e.g. 1-12=4 13-20=7")
    return tuple(sorted(out, key=lambda s: (s.start, s.end)))


# -- takes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompTake:
    """What comping needs of a take (plain values, from the take log and its audio)."""

    number: int
    kind: str = "complete"
    circled: bool = False
    bar_from: int | None = None  # None: from bar 1
    bar_to: int | None = None  # None: to the last bar
    start_sample: int | None = None  # film sample (from 00:00:00:00) of its first sample
    frames: int | None = None  # length in samples at the project rate (None: no audio)
    tempo_map_version: int | None = None  # the cue's map it was played to

    def bars(self, bar_count: int) -> tuple[int, int]:
        return (self.bar_from or 1, self.bar_to or bar_count)

    def describe(self, bar_count: int) -> str:
        lo, hi = self.bars(bar_count)
        return f"take {self.number} ({self.kind}, bars {_bars(lo, hi)})"


def _bars(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


# -- the beat grid of the cue -------------------------------------------------------------


class _Grid:
    """Every beat of bars 1..N as one index (0 = bar 1 beat 1, total = after the last)."""

    def __init__(self, tmap: TempoMap) -> None:
        self.tmap = tmap
        self.bar_count = tmap.bar_count
        self.beats = [b.meter.numerator for b in tmap.bars()]
        self.first = [0]
        for n in self.beats:
            self.first.append(self.first[-1] + n)
        self.total = self.first[-1]

    def index(self, p: BarBeat, *, field: str = "edits", value: str | None = None,
              end: bool = False) -> int:
        """The beat's index; ``end``: a segment's end (a downbeat ends the bar before)."""
        n = self.bar_count
        if p == BarBeat(n + 1, 1):
            return self.total
        if not 1 <= p.bar <= n:
            bar = p.bar - 1 if end and p.beat == 1 else p.bar
            raise ValidationError(f"no bar {bar} in the cue", field=field,
                                  value=value or str(p), valid=f"bars 1 to {n}")
        if not 1 <= p.beat <= self.beats[p.bar - 1]:
            raise ValidationError(f"no beat {p.beat} in bar {p.bar}", field=field,
                                  value=value or str(p),
                                  valid=f"beats 1 to {self.beats[p.bar - 1]} in bar {p.bar}")
        return self.first[p.bar - 1] + p.beat - 1

    def point(self, index: int) -> BarBeat:
        if index >= self.total:
            return BarBeat(self.bar_count + 1, 1)
        bar = next(b for b in range(self.bar_count, 0, -1) if self.first[b - 1] <= index)
        return BarBeat(bar, index - self.first[bar - 1] + 1)

    def describe(self, a: int, b: int) -> str:
        """Beats [a, b) for people: 'bars 13-14', 'bar 12 beats 3-4', 'beats 12.3-13.2'."""
        start, last = self.point(a), self.point(b - 1)
        if start.beat == 1 and self.point(b).beat == 1:
            return (f"bar {start.bar}" if start.bar == last.bar
                    else f"bars {start.bar}-{last.bar}")
        if start.bar == last.bar:
            return (f"bar {start.bar} beat {start.beat}" if start.beat == last.beat
                    else f"bar {start.bar} beats {start.beat}-{last.beat}")
        return f"beats {start}-{last}"


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    out, start = [], None
    for i, on in enumerate([*flags, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            out.append((start, i))
            start = None
    return out


def _names(numbers: Iterable[int]) -> str:
    found = sorted(set(numbers))
    return " and ".join([", ".join(map(str, found[:-1])), str(found[-1])]) if len(found) > 1 \
        else str(found[0])


def check_edits(tmap: TempoMap, segments: Sequence[CompSegment],
                takes: Mapping[int, CompTake]) -> None:
    """Refuse (ValidationError, one line) an edit list that leaves beats uncovered or covers
    them twice, names a take that is not there, or uses a take outside its own bars."""
    grid = _Grid(tmap)
    problems = []
    who: list[list[int]] = [[] for _ in range(grid.total)]
    for seg in segments:
        a = grid.index(seg.start, value=seg.label)
        b = grid.index(seg.end, value=seg.label, end=True)
        if b <= a:
            raise ValidationError("a segment ends where or before it starts", field="edits",
                                  value=seg.label, valid="FROM-TO with TO after FROM")
        take = takes.get(seg.take)
        if take is None:
            raise ValidationError(f"no take {seg.take} of the cue", field="edits",
                                  value=seg.label,
                                  valid=f"takes {_names(takes)}" if takes else "log a take first")
        lo, hi = take.bars(grid.bar_count)
        first, last = grid.point(a).bar, grid.point(b - 1).bar
        if first < lo or last > hi:
            outside = sorted({bar for bar in range(first, last + 1) if not lo <= bar <= hi})
            problems.append(f"{take.describe(grid.bar_count)} does not play bar"
                            f"{'s' if len(outside) > 1 else ''} "
                            f"{_bars(outside[0], outside[-1])}")
        for i in range(a, b):
            who[i].append(seg.take)
    for a, b in _runs([not w for w in who]):
        what = grid.describe(a, b)
        problems.append(f"{what} {_verb(what)} not covered")
    for a, b in _runs([len(w) > 1 for w in who]):
        what = grid.describe(a, b)
        takes_here = {t for w in who[a:b] for t in w}
        problems.append(f"{what} {_verb(what)} covered twice (takes {_names(takes_here)})")
    if problems:
        raise ValidationError("; ".join(problems), field="edits",
                              valid=f"segments covering bars 1-{grid.bar_count} once each, "
                                    "each take within its own bars")


def _verb(what: str) -> str:
    return "are" if what.startswith("bars") or "beats" in what else "is"


def _merge(segments: Sequence[CompSegment]) -> tuple[CompSegment, ...]:
    """Neighbouring segments of one take as one (no edit between them)."""
    out: list[CompSegment] = []
    for seg in segments:
        if out and out[-1].take == seg.take and out[-1].end == seg.start:
            out[-1] = CompSegment(seg.take, out[-1].start, seg.end)
        else:
            out.append(seg)
    return tuple(out)


# -- samples --------------------------------------------------------------------------


def film_sample(tmap: TempoMap, point: BarBeat, sample_rate: int) -> int:
    """The film sample (from 00:00:00:00) of a position: its exact time times the sample
    rate, rounded half up.  The only rounding of an edit point."""
    seconds = tmap.start_seconds + tmap.seconds_of((point.bar, point.beat))
    return (seconds * sample_rate + Fraction(1, 2)).__floor__()


def fade_samples(crossfade_ms: float | Fraction | str, sample_rate: int) -> int:
    """A crossfade's length in samples (milliseconds times the rate, rounded half up)."""
    try:
        ms = Fraction(str(crossfade_ms)) if not isinstance(crossfade_ms, Fraction) \
            else crossfade_ms
    except (ValueError, ZeroDivisionError):
        ms = Fraction(-1)
    if ms < 0:
        raise InputError("not a crossfade length", field="crossfade_ms",
                         value=str(crossfade_ms), valid="0 (a butt splice) or more ms")
    return (ms * sample_rate / 1000 + Fraction(1, 2)).__floor__()


def crossfade_gains(length: int, offset: int = 0, count: int | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Equal-power gains (outgoing, incoming) of samples ``offset .. offset + count`` of a
    crossfade ``length`` long: cos and sin of pi/2 (i + 1/2) / length."""
    count = length - offset if count is None else count
    phase = (np.arange(offset, offset + count, dtype=np.float64) + 0.5) * (math.pi / 2 / length)
    return np.cos(phase), np.sin(phase)


@dataclass(frozen=True)
class EditPoint:
    """One edit: the position, its sample in the comp (0 = the cue's start) and on the film,
    the takes on either side, and the crossfade's samples ``[fade_start, fade_end)``."""

    at: BarBeat
    sample: int
    film_sample: int
    out_take: int
    in_take: int
    fade_start: int
    fade_end: int


@dataclass(frozen=True)
class Region:
    """Comp samples ``[start, end)`` played from ``take`` (None: silence), crossfading into
    ``into`` (None: no fade) over a fade of ``fade`` samples that began at ``fade_from``."""

    start: int
    end: int
    take: int | None
    into: int | None = None
    fade_from: int = 0
    fade: int = 0


@dataclass(frozen=True)
class CompPlan:
    """Everything a render needs, in samples: the segments, the edits, the comp's length,
    the regions to play and where each take's sample 0 is (``offsets``: take sample =
    comp sample + offset)."""

    cue_start_sample: int
    sample_rate: int
    segments: tuple[CompSegment, ...]
    edits: tuple[EditPoint, ...]
    fade: int
    length: int
    regions: tuple[Region, ...]
    offsets: tuple[tuple[int, int], ...]  # (take, offset)
    segment_samples: tuple[tuple[int, int], ...]  # (start, end) comp samples per segment
    flagged: str = ""

    @property
    def takes(self) -> tuple[int, ...]:
        return tuple(t for t, _ in self.offsets)

    def offset(self, take: int) -> int:
        return dict(self.offsets)[take]


def flag_takes(takes: Iterable[CompTake], tempo_map_version: int | None) -> str:
    """The takes recorded to an older tempo map of the cue than ``tempo_map_version``."""
    if tempo_map_version is None:
        return ""
    old = []
    for t in sorted(takes, key=lambda t: t.number):
        if t.tempo_map_version is None:
            old.append(f"take {t.number} (logged before the cue had a tempo map)")
        elif t.tempo_map_version < tempo_map_version:
            old.append(f"take {t.number} (tempo map v{t.tempo_map_version})")
    if not old:
        return ""
    return (f"recorded to an older tempo map than the cue's v{tempo_map_version}: "
            + ", ".join(old))


def plan_comp(tmap: TempoMap, segments: Sequence[CompSegment], takes: Iterable[CompTake], *,
              sample_rate: int, cue_start_sample: int, crossfade_ms: float | Fraction | str,
              tempo_map_version: int | None = None) -> CompPlan:
    """Check an edit list against the cue's bars and the takes' audio and place every edit,
    fade and region exactly in samples."""
    by_number = {t.number: t for t in takes}
    segments = tuple(sorted(segments, key=lambda s: (s.start, s.end)))
    check_edits(tmap, segments, by_number)
    segments = _merge(segments)
    grid = _Grid(tmap)
    used = [by_number[s.take] for s in segments]
    for take in {t.number: t for t in used}.values():
        if take.frames is None or take.frames <= 0:
            raise ValidationError(f"take {take.number} has no audio to comp", field="edits",
                                  value=f"take {take.number}",
                                  valid="a take logged with its stems (--audio)")
        if take.start_sample is None:
            raise ValidationError(
                f"take {take.number} has no place on the film: its audio has no bext "
                "TimeReference and it was logged without a record timecode", field="edits",
                value=f"take {take.number}", valid="stems with bext, or a take logged with --tc")
    fade = fade_samples(crossfade_ms, sample_rate)
    half = fade // 2
    points = [film_sample(tmap, s.start, sample_rate) - cue_start_sample for s in segments]
    end_of_music = film_sample(tmap, segments[-1].end, sample_rate) - cue_start_sample
    edits = []
    for prev, seg, sample in zip(segments, segments[1:], points[1:], strict=False):
        edits.append(EditPoint(seg.start, sample, sample + cue_start_sample, prev.take,
                               seg.take, sample - half, sample - half + fade))
    for a, b in zip(edits, edits[1:], strict=False):
        if b.fade_start < a.fade_end:
            raise ValidationError(
                f"the crossfades at {a.at} and {b.at} overlap ({fade} samples each, the "
                f"edits {b.sample - a.sample} samples apart)", field="crossfade_ms",
                value=str(crossfade_ms), valid="a shorter crossfade or edits further apart")
    if edits and edits[0].fade_start < 0:
        raise ValidationError(f"the crossfade at {edits[0].at} starts before the cue",
                              field="crossfade_ms", value=str(crossfade_ms),
                              valid="a shorter crossfade")
    offsets = {t.number: cue_start_sample - t.start_sample for t in used}
    last = used[-1]
    length = last.start_sample + last.frames - cue_start_sample  # through the ring-out
    spans = []
    for i, (seg, take) in enumerate(zip(segments, used, strict=True)):
        need_from = edits[i - 1].fade_start if i else points[0]
        need_to = edits[i].fade_end if i < len(edits) else end_of_music
        first = -offsets[take.number]  # comp sample of the take's sample 0
        have_to = first + take.frames
        if need_from < first or need_to > have_to:
            what = grid.describe(grid.index(seg.start), grid.index(seg.end))
            raise ValidationError(
                f"an edit outside take {take.number}'s audio: playing {what} (with the "
                f"crossfades) takes its samples {need_from + offsets[take.number]} to "
                f"{need_to + offsets[take.number]}, it has 0 to {take.frames}",
                field="edits", value=seg.label,
                valid="bars the take's audio holds, or a shorter crossfade")
        spans.append((points[i], points[i + 1] if i + 1 < len(points) else end_of_music))
    regions: list[Region] = []
    at = 0
    for i, take in enumerate(used):
        stop = edits[i].fade_start if i < len(edits) else length
        if stop > at:
            regions.append(Region(at, stop, take.number))
        if i < len(edits) and fade:
            e = edits[i]
            regions.append(Region(e.fade_start, e.fade_end, take.number, e.in_take,
                                  e.fade_start, fade))
        at = edits[i].fade_end if i < len(edits) else length
    return CompPlan(cue_start_sample, sample_rate, segments, tuple(edits), fade, length,
                    tuple(regions), tuple(offsets.items()), tuple(spans),
                    flag_takes({t.number: t for t in used}.values(), tempo_map_version))


# -- the first comp ---------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A proposed edit list and what was said about it (uncircled takes used)."""

    segments: tuple[CompSegment, ...]
    note: str = ""

    @property
    def edit_count(self) -> int:
        return len(self.segments) - 1


def propose(bar_count: int, takes: Iterable[CompTake]) -> Proposal:
    """The cover of bars 1..``bar_count`` with the fewest edits, at bar lines.

    From the circled complete and pickup takes with audio placed on the film (a
    ``start_sample``); bars none of them covers are
    taken from uncircled complete takes (and the note says so).  Among covers with as few
    edits, the one with the most bars from complete takes, then from later takes.
    ValidationError naming the bars no take covers."""
    takes = list(takes)
    pool = [t for t in takes if t.frames and t.start_sample is not None]
    unusable = sorted(t.number for t in takes if t not in pool and (
        t.circled and t.kind in PROPOSED_KINDS or t.kind in FALLBACK_KINDS))
    circled = [t for t in pool if t.circled and t.kind in PROPOSED_KINDS]
    fallback = [t for t in pool if not t.circled and t.kind in FALLBACK_KINDS]
    candidates = [(t, False) for t in circled] + [(t, True) for t in fallback]
    covered = [False] * (bar_count + 2)
    for t, _ in candidates:
        lo, hi = t.bars(bar_count)
        for bar in range(max(lo, 1), min(hi, bar_count) + 1):
            covered[bar] = True
    missing = _runs([not covered[b] for b in range(1, bar_count + 1)])
    if missing:
        where = ", ".join(f"bar {a + 1}" if b - a == 1 else f"bars {a + 1}-{b}"
                          for a, b in missing)
        why = (f" (take{'s' if len(unusable) > 1 else ''} {_names(unusable)}: no audio or no "
               "place on the film)" if unusable else "")
        raise ValidationError(f"no take covers {where}{why}", field="takes",
                              valid="a circled complete or pickup take, or a complete take, "
                                    "with audio, for every bar")
    # best[p]: the least cost of covering bars 1..p-1; cost is (uncircled bars, segments,
    # bars not from complete takes, -sum(take number * bars)), compared in that order
    inf = (math.inf,)
    best: list[tuple] = [inf] * (bar_count + 2)
    back: list[tuple | None] = [None] * (bar_count + 2)
    best[1] = (0, 0, 0, 0)
    for p in range(1, bar_count + 1):
        if best[p] == inf:
            continue
        for t, uncircled in candidates:
            lo, hi = t.bars(bar_count)
            if not lo <= p <= hi:
                continue
            for q in range(p + 1, min(hi, bar_count) + 2):
                n = q - p
                cost = (best[p][0] + (n if uncircled else 0), best[p][1] + 1,
                        best[p][2] + (0 if t.kind == "complete" else n),
                        best[p][3] - t.number * n)
                if cost < best[q]:
                    best[q], back[q] = cost, (p, t.number, uncircled)
    segs, notes, q = [], [], bar_count + 1
    while q > 1:
        p, number, uncircled = back[q]  # type: ignore[misc]
        segs.append(CompSegment(number, BarBeat(p), BarBeat(q)))
        if uncircled:
            notes.append(f"bars {_bars(p, q - 1)}: no circled take covers them; "
                         f"uncircled complete take {number} used")
        q = p
    return Proposal(tuple(reversed(segs)), "; ".join(reversed(notes)))
