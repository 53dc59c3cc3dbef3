"""Selection and sequencing of an album's tracks for one medium (pure).

``solve`` chooses the tracks and their order with OR-Tools CP-SAT (the model is in
``album.sequence_model``); ``greedy`` is what a music editor does in a spreadsheet, the
baseline ``solve`` is compared with in bench/bench_album.py and starts from.

The rules, per medium (``album.vocabulary.MEDIA``, an album's overrides applied by
``album.plan.medium_rules``):

- **CD**: the pregap before track 1, the tracks and the gaps between them at most
  ``max_seconds`` (79:57), at most ``max_tracks`` (99), every track at least
  ``min_track_seconds`` (4 s).  Everything is counted in CD frames of 1/75 s: a track's
  length rounded *up* to a whole frame (the release pads it with silence), the gaps and
  the pregap rounded to the nearest frame, so every track starts on a frame.
- **vinyl**: ``sides`` sides of at most ``max_seconds`` each (22:00), the tracks in order
  across the sides; the sides balanced (the longest less the shortest side as small as
  the chosen tracks allow); in listening order the loud and bass-heavy tracks early on
  their side.  Lengths are counted in milliseconds, rounded up.
- **digital**: no limit: every candidate rated at least ``Options.min_rating`` that is
  not an alternative of a better choice.

The objective is the sum of the chosen tracks' values plus ``theme_weight`` for every
theme of the score the album carries.  A track's value is its rating times its length in
minutes (``Options.value`` "minutes", the default: the best-rated music fills the disc
whatever the length of its tracks, and a suite rated above its cues beats the cues
alone), or its rating alone ("track": every track alike, which favours many short
tracks).  Two candidates made from the same cue are
alternatives (at most one is chosen) unless ``allow_repeats``.  A track pinned "first"
opens the album (side A), one pinned "last" closes it (the last side); required tracks
(an expanded edition's kept tracks, and every key in ``keep_order``) are always on it,
those in ``keep_order`` in that relative order.

Order "film" sorts the chosen tracks by ``film_order`` (pins at the ends; an expanded
edition's kept tracks stay in their old order and the new ones are merged in by film
order).  Order "listening" is a CP-SAT circuit over the chosen tracks that rewards the
contrast of tempo and loudness between neighbours and, on vinyl, puts the loud and
bass-heavy tracks early on their side.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from fractions import Fraction

from filmscore.album.vocabulary import ORDERS, PINS, RATING_MAX, RATING_MIN, SIDE_LETTERS, Medium
from filmscore.errors import InputError


@dataclass(frozen=True)
class Item:
    """A candidate as the solver sees it."""

    key: str
    seconds: Fraction
    rating: int  # 0..5
    themes: frozenset[str] = frozenset()
    film_order: int = 0  # smaller: earlier in the film
    loudness_lufs: float | None = None
    bass_share: float | None = None  # 0..1, energy below 150 Hz
    tempo_bpm: float | None = None
    #: the cue(s) it is made from: two candidates sharing a cue are alternatives (a suite
    #: made of 1M3 and 1M4 excludes 1M3 and 1M4 themselves unless ``allow_repeats``)
    cues: frozenset[str] = frozenset()
    pinned: str = ""  # "", "first" or "last"
    required: bool = False  # must be on the album (an expanded edition's kept tracks)


@dataclass(frozen=True)
class Options:
    order: str = "film"  # album.vocabulary.ORDERS
    theme_weight: float = 1.0  # the value of covering a theme, against one rating point
    allow_repeats: bool = False  # a cue on the album twice (in a suite and alone)
    time_limit_seconds: float = 20.0
    #: an expanded edition: these keys keep their relative order as on the old album
    keep_order: tuple[str, ...] = ()
    #: candidates rated below this are never chosen unless pinned or required
    min_rating: int = 1
    #: CP-SAT search threads: 1 gives the same album for the same candidates (with a
    #: time limit long enough to finish); more is faster on hard cases, not reproducible
    workers: int = 1
    seed: int = 0
    #: sides this close in length count as balanced (the solver stops looking)
    balance_tolerance_seconds: float = 5.0
    #: the share of the album's value the sides' balance may cost (a record whose sides
    #: differ by half a minute is cut at a lower level on its long side)
    balance_slack: float = 0.02
    #: the greedy baseline's ranking: "rating" (best rating first, then the shorter) or
    #: "density" (rating per minute first)
    greedy_by: str = "rating"
    #: what a track is worth: "minutes" (its rating times its length in minutes: the
    #: best-rated music fills the disc, and a suite rated above its cues beats them) or
    #: "track" (its rating: every track alike, which favours many short tracks)
    value: str = "minutes"


@dataclass(frozen=True)
class Placed:
    key: str
    position: int  # from 1
    side: str  # "A", "B"... on vinyl, "" otherwise
    start: Fraction  # seconds from the start of the side (or of track 1)
    gap_seconds: Fraction  # silence before it (track 1 on a CD: the pregap)
    #: the track's length as placed: on a CD rounded up to a whole frame
    seconds: Fraction = Fraction(0)


@dataclass(frozen=True)
class Sequence:
    medium: str
    tracks: tuple[Placed, ...]
    seconds: Fraction  # music and gaps, all sides (on a CD with the pregap)
    side_seconds: dict[str, Fraction] = field(default_factory=dict)
    rating: int = 0
    themes: frozenset[str] = frozenset()
    objective: float = 0.0
    status: str = ""  # "optimal", "feasible", "greedy"
    left_out: tuple[str, ...] = ()  # candidates not chosen
    #: what the medium holds, all sides (None: no limit)
    capacity_seconds: Fraction | None = None
    #: the solver's proven upper bound on the objective (None for the greedy fill)
    bound: float | None = None
    #: wall-clock seconds spent
    solve_seconds: float = 0.0
    #: candidates that could not be chosen at all, and why ("3.2 s, under the CD's 4 s")
    refused: dict[str, str] = field(default_factory=dict)


#: the solver's integer scale for the objective: one rating point (or rating-minute) = 100
SCALE = 100
#: what a track may be worth (Options.value)
VALUES = ("minutes", "track")


def _value(item: Item, options: Options) -> int:
    """An item's value in solver units."""
    if options.value == "track":
        return SCALE * item.rating
    return round(SCALE * item.rating * Fraction(item.seconds) / 60)
#: the unit lengths are counted in when the medium has no grid (vinyl, digital)
MILLISECOND = Fraction(1, 1000)


def solve(items: list[Item], medium: Medium, options: Options | None = None) -> Sequence:
    """Choose and order tracks for ``medium`` (CP-SAT).  Raises InputError naming the
    pinned/required tracks when they alone do not fit, and when nothing fits.

    The greedy fill is computed first and given to the solver as its starting point and
    floor, so the album is never worse than the greedy one."""
    from filmscore.album import sequence_model

    began = time.perf_counter()
    options = options or Options()
    problem = prepare(items, medium, options)
    baseline = None
    for ranking in ("rating", "density"):  # the better of the two greedy fills
        try:
            fill = _greedy(problem, ranking)
        except InputError:
            continue
        if baseline is None or (problem.primary([n for side in fill for n in side])
                                > problem.primary([n for side in baseline for n in side])):
            baseline = fill
    deadline = began + max(0.1, float(options.time_limit_seconds))
    found = sequence_model.select(problem, baseline, deadline)
    if found is None:
        if baseline is not None:  # no solution in time: the greedy album, said so
            return _finish(problem, baseline, "greedy", None, began)
        raise InputError(
            f"no album found for the {medium.title} in {options.time_limit_seconds:g} s",
            field="time_limit_seconds", value=options.time_limit_seconds,
            valid="a longer time limit, or fewer pinned and required tracks")
    layout, status, bound = found
    if bound is None:  # the choice is proved the best: its own objective is the bound
        chosen = [n for side in layout for n in side]
        bound = problem.objective(chosen)
    if options.order == "listening":
        ordered = sequence_model.order(problem, layout, deadline)
        if ordered is None:  # no order in time: the nearest-neighbour order
            layout = [_listening_order(problem, side) for side in layout]
            status = "feasible"
        else:
            layout, proved = ordered
            if not proved:
                status = "feasible"
    return _finish(problem, layout, status, bound, began)


def greedy(items: list[Item], medium: Medium, options: Options | None = None) -> Sequence:
    """The baseline a music editor makes in a spreadsheet: the pinned and required tracks,
    then the best-rated candidates (``Options.greedy_by``) while they fit, skipping the
    alternatives of a track already in; then film order (or, for "listening", each next
    track the one that contrasts most with the last), vinyl sides filled in order."""
    began = time.perf_counter()
    problem = prepare(items, medium, options or Options())
    return _finish(problem, _greedy(problem), "greedy", None, began)


def clock(seconds: Fraction | float | int) -> str:
    """``m:ss``, with hundredths when not whole (``3:12``, ``0:03.20``, ``85:00``)."""
    value = Fraction(seconds)
    whole = math.floor(value)
    minutes, secs = divmod(whole, 60)
    text = f"{minutes}:{secs:02d}"
    if value != whole:
        text += f".{math.floor((value - whole) * 100):02d}"
    return text


# --- the problem as both solvers see it -------------------------------------------------


@dataclass
class Problem:
    """The candidates that can be chosen, their lengths in integer units, and the rules."""

    medium: Medium
    options: Options
    unit: Fraction  # seconds per unit: a CD frame, or a millisecond
    grid: bool  # lengths are placed on the unit grid (CD)
    sides: int
    cap: int | None  # units per side, the pregap included (None: no limit)
    gap: int  # units between two tracks of a side
    pregap: int  # units before the first track of a side
    max_tracks: int | None  # per side
    items: list[Item]  # the choosable candidates, in film order (pins at the ends)
    length: list[int]  # units, per item
    forced: list[bool]  # pinned or required
    first: int | None  # index of the track pinned first
    last: int | None
    keep: list[int]  # indices in their kept relative order
    groups: list[list[int]]  # sets of alternatives (at most one chosen)
    themes: list[str]  # the themes the choosable candidates carry
    refused: dict[str, str]
    all_keys: list[str]
    contrast: dict[tuple[int, int], int] = field(default_factory=dict)
    heaviness: list[int] = field(default_factory=list)  # 0..100, vinyl only
    #: each item's value in solver units (SCALE a rating point, or a rating-minute)
    value: list[int] = field(default_factory=list)

    @property
    def balance(self) -> bool:
        return self.sides > 1

    def side_load(self, lengths: list[int]) -> int:
        """Units a side of these tracks takes."""
        if not lengths:
            return 0
        return self.pregap + sum(lengths) + self.gap * (len(lengths) - 1)

    def primary(self, chosen: list[int]) -> int:
        """The objective in solver units: ratings and themes covered (and, on a medium
        without limits, one unit a track: everything that may go on it does)."""
        covered = set().union(*(self.items[i].themes for i in chosen)) if chosen else set()
        return (sum(self.value[i] for i in chosen)
                + self.theme_value * len(covered) + self.track_value * len(chosen))

    def objective(self, chosen: list[int]) -> float:
        """The objective as reported: values (rating points, or rating-minutes) and
        ``theme_weight`` a theme covered."""
        return (self.primary(chosen) - self.track_value * len(chosen)) / SCALE

    @property
    def track_value(self) -> int:
        return 1 if self.cap is None and self.max_tracks is None else 0

    @property
    def theme_value(self) -> int:
        return round(SCALE * self.options.theme_weight)

    def side_name(self, side: int) -> str:
        if self.medium.name == "vinyl" or self.sides > 1:
            return SIDE_LETTERS[side] if self.medium.name == "vinyl" else str(side + 1)
        return ""


def prepare(items: list[Item], medium: Medium, options: Options) -> Problem:
    """Check the input, leave out what cannot be chosen, and state the problem in units.
    Raises InputError for bad input and for pinned/required tracks that cannot fit."""
    _check_options(options, medium)
    seen: set[str] = set()
    for item in items:
        if item.key in seen:
            raise InputError("two candidates have the same key", field="key",
                             value=item.key, valid="a key once")
        seen.add(item.key)
        if item.seconds <= 0:
            raise InputError(f"candidate {item.key} has no length", field="seconds",
                             value=str(item.seconds), valid="more than 0 seconds")
        if not RATING_MIN <= item.rating <= RATING_MAX:
            raise InputError(f"candidate {item.key} has a rating out of range",
                             field="rating", value=item.rating,
                             valid=f"{RATING_MIN} to {RATING_MAX}")
        if item.pinned and item.pinned not in PINS:
            raise InputError(f"candidate {item.key} has an unknown pin", field="pinned",
                             value=item.pinned, valid=", ".join(PINS))
    for pin in PINS:
        pinned = [i.key for i in items if i.pinned == pin]
        if len(pinned) > 1:
            raise InputError(f"only one track can be pinned {pin}", field="pinned",
                             value=", ".join(pinned), valid="one of them")
    for key in options.keep_order:
        if key not in seen:
            raise InputError("a kept track is not among the candidates",
                             field="keep_order", value=key,
                             valid="keys of the candidates")
    if len(set(options.keep_order)) != len(options.keep_order):
        raise InputError("a kept track is listed twice", field="keep_order",
                         value=", ".join(options.keep_order), valid="each key once")
    kept = set(options.keep_order)
    items = [replace(i, required=True) if i.key in kept and not i.required else i
             for i in items]

    grid = medium.grid_seconds is not None
    unit = Fraction(medium.grid_seconds) if grid else MILLISECOND
    to_units = _nearest if grid else _up
    cap = None if medium.max_seconds is None else math.floor(Fraction(medium.max_seconds) / unit)
    gap, pregap = to_units(medium.gap_seconds / unit), to_units(medium.pregap_seconds / unit)

    def forced(item: Item) -> bool:
        return bool(item.pinned or item.required)

    refused: dict[str, str] = {}
    usable: list[Item] = []
    for item in items:
        units = _up(item.seconds / unit)
        if item.seconds < medium.min_track_seconds:
            why = (f"{item.key} is {clock(item.seconds)}, shorter than the "
                   f"{clock(medium.min_track_seconds)} a track on the {medium.title} must "
                   f"last")
            if forced(item):
                raise InputError(f"the {_role(item)} track {why}", field="seconds",
                                 value=clock(item.seconds),
                                 valid=f"at least {clock(medium.min_track_seconds)}")
            refused[item.key] = why
        elif cap is not None and pregap + units > cap:
            where = "a side of the " if medium.sides > 1 else "the "
            why = (f"{item.key} ({clock(item.seconds)}) is longer than {where}"
                   f"{medium.title} ({clock(cap * unit - pregap * unit)})")
            if forced(item):
                raise InputError(f"the {_role(item)} track {why}", field="seconds",
                                 value=clock(item.seconds),
                                 valid=f"at most {clock(cap * unit - pregap * unit)}")
            refused[item.key] = why
        elif item.rating < options.min_rating and not forced(item):
            refused[item.key] = f"{item.key} is rated {item.rating}, under {options.min_rating}"
        else:
            usable.append(item)

    # alternatives: candidates sharing a cue
    by_cue: dict[str, list[Item]] = {}
    for item in usable:
        for cue in item.cues:
            by_cue.setdefault(cue, []).append(item)
    if not options.allow_repeats:
        for cue, sharing in sorted(by_cue.items()):
            fixed = [i for i in sharing if forced(i)]
            if len(fixed) > 1:
                raise InputError(
                    f"the {_names(fixed)} are {'both' if len(fixed) == 2 else 'all'} made "
                    f"from cue {cue}: only one can be on "
                    f"the album", field="cues", value=cue,
                    valid="one of them pinned or required, or allow repeats")
            if fixed:
                for other in sharing:
                    if other is not fixed[0] and other.key not in refused:
                        refused[other.key] = (f"{other.key} is an alternative of the "
                                              f"{_role(fixed[0])} {fixed[0].key} (cue {cue})")
        usable = [i for i in usable if i.key not in refused]

    chain = _film_chain(usable, options.keep_order)
    index = {item.key: n for n, item in enumerate(chain)}
    groups: list[list[int]] = []
    if not options.allow_repeats:
        for cue in sorted(by_cue):
            members = sorted({index[i.key] for i in by_cue[cue] if i.key in index})
            if len(members) > 1 and members not in groups:
                groups.append(members)
    first = next((n for n, i in enumerate(chain) if i.pinned == "first"), None)
    last = next((n for n, i in enumerate(chain) if i.pinned == "last"), None)
    problem = Problem(
        medium=medium, options=options, unit=unit, grid=grid, sides=medium.sides, cap=cap,
        gap=gap, pregap=pregap, max_tracks=medium.max_tracks, items=chain,
        length=[_up(i.seconds / unit) for i in chain], forced=[forced(i) for i in chain],
        first=first, last=last, keep=[index[k] for k in options.keep_order],
        groups=groups, themes=sorted(set().union(*(i.themes for i in chain)) if chain
                                     else set()),
        refused=refused, all_keys=[i.key for i in items],
        value=[_value(i, options) for i in chain])
    _check_forced(problem)
    if not chain:
        raise InputError(f"no candidate can go on the {medium.title}", field="candidates",
                         value=len(items), valid="candidates that fit; "
                         + ("; ".join(list(refused.values())[:3]) or "none given"))
    if len(chain) < problem.sides:
        raise InputError(
            f"the {medium.title} has {problem.sides} sides but only {len(chain)} "
            f"candidate{'s' if len(chain) != 1 else ''} can be chosen",
            field="candidates", value=len(chain),
            valid=f"at least {problem.sides} candidates that fit")
    problem.contrast = _contrast(chain)
    problem.heaviness = _heaviness(chain) if medium.name == "vinyl" else [0] * len(chain)
    return problem


def _check_options(options: Options, medium: Medium) -> None:
    if options.order not in ORDERS:
        raise InputError("unknown order", field="order", value=options.order,
                         valid=", ".join(ORDERS))
    if options.value not in VALUES:
        raise InputError("unknown track value", field="value", value=options.value,
                         valid=", ".join(VALUES))
    if options.greedy_by not in ("rating", "density"):
        raise InputError("unknown greedy ranking", field="greedy_by",
                         value=options.greedy_by, valid="rating, density")
    if not options.time_limit_seconds > 0:
        raise InputError("the time limit must be positive", field="time_limit_seconds",
                         value=options.time_limit_seconds, valid="more than 0 seconds")
    if options.balance_tolerance_seconds < 0:
        raise InputError("the balance tolerance cannot be negative",
                         field="balance_tolerance_seconds",
                         value=options.balance_tolerance_seconds, valid="0 or more seconds")
    if options.theme_weight < 0:
        raise InputError("the theme weight cannot be negative", field="theme_weight",
                         value=options.theme_weight, valid="0 or more")
    if medium.sides < 1 or medium.sides > len(SIDE_LETTERS):
        raise InputError("a medium has 1 to 8 sides", field="sides", value=medium.sides,
                         valid=f"1 to {len(SIDE_LETTERS)}")
    if medium.max_seconds is not None and medium.max_seconds <= 0:
        raise InputError("the medium holds nothing", field="max_seconds",
                         value=str(medium.max_seconds), valid="more than 0 seconds")
    if medium.max_tracks is not None and medium.max_tracks < 1:
        raise InputError("the medium holds no track", field="max_tracks",
                         value=medium.max_tracks, valid="1 or more")


def _check_forced(p: Problem) -> None:
    """The pinned and required tracks alone must fit: say so with the numbers."""
    fixed = [n for n in range(len(p.items)) if p.forced[n]]
    if not fixed:
        return
    tracks = [p.items[n] for n in fixed]
    medium = p.medium
    if p.max_tracks is not None and len(fixed) > p.max_tracks * p.sides:
        raise InputError(
            f"{len(fixed)} pinned and required tracks but the {medium.title} holds "
            f"{p.max_tracks * p.sides} tracks", field="required", value=len(fixed),
            valid=f"at most {p.max_tracks * p.sides}")
    if p.cap is None:
        return
    used_sides = min(p.sides, len(fixed))
    need = (sum(p.length[n] for n in fixed) + p.gap * (len(fixed) - used_sides)
            + p.pregap * used_sides)
    if need > p.cap * p.sides:
        extra = []
        if p.pregap:
            extra.append("the pregap")
        if p.gap and len(fixed) > used_sides:
            extra.append("the gaps")
        with_ = f" with {' and '.join(extra)}" if extra else ""
        holds = (f"the {medium.title} holds {clock(p.cap * p.unit)}" if p.sides == 1 else
                 f"the {p.sides} sides of the {medium.title} hold "
                 f"{clock(p.cap * p.sides * p.unit)} ({clock(p.cap * p.unit)} a side)")
        raise InputError(
            f"the {_names(tracks)} need {clock(need * p.unit)}{with_} but {holds}",
            field="pinned" if all(t.pinned for t in tracks) else "required",
            valid="fewer pinned or required tracks, or a medium that holds more "
                  "(max_seconds, sides)")


def _role(item: Item) -> str:
    return "pinned" if item.pinned else "required"


def _names(tracks: list[Item]) -> str:
    """'pinned tracks 1M1 (3:12) and 9M4 (5:40)' and the like."""
    roles = {_role(t) for t in tracks}
    role = "pinned and required" if len(roles) > 1 else roles.pop()
    shown = [f"{t.key} ({clock(t.seconds)})" for t in tracks[:6]]
    if len(tracks) > 6:
        shown[-1:] = [f"{len(tracks) - 5} more"]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return f"{role} track{'s' if len(tracks) > 1 else ''} {listed}"


def _up(value: Fraction) -> int:
    return math.ceil(value)


def _nearest(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _film_chain(items: list[Item], keep_order: tuple[str, ...]) -> list[Item]:
    """Film order, the pinned tracks at the ends; kept tracks (an expanded edition) stay
    in their order and the others are merged in by film order."""
    first = [i for i in items if i.pinned == "first"]
    last = [i for i in items if i.pinned == "last"]
    by_key = {i.key: i for i in items}
    kept = [by_key[k] for k in keep_order if k in by_key and not by_key[k].pinned]
    for pin, where, ok in (("first", 0, first), ("last", -1, last)):
        listed = [k for k in keep_order if k in by_key]
        if ok and ok[0].key in listed and listed[where] != ok[0].key:
            raise InputError(f"the track pinned {pin} is not {pin} in the kept order",
                             field="keep_order", value=ok[0].key,
                             valid=f"the kept order with {ok[0].key} {pin}, or unpin it")
    kept_keys = {i.key for i in kept}
    others = sorted((i for i in items if not i.pinned and i.key not in kept_keys),
                    key=lambda i: (i.film_order, i.key))
    merged: list[Item] = []
    a = b = 0
    while a < len(kept) or b < len(others):
        if b >= len(others) or (a < len(kept) and kept[a].film_order <= others[b].film_order):
            merged.append(kept[a])
            a += 1
        else:
            merged.append(others[b])
            b += 1
    return first + merged + last


def _contrast(items: list[Item]) -> dict[tuple[int, int], int]:
    """The contrast of two neighbours, 0..200: tempo (40 BPM apart is full contrast) plus
    loudness (8 LU apart); unknown values count as no contrast."""
    out: dict[tuple[int, int], int] = {}
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            value = 0.0
            if a.tempo_bpm is not None and b.tempo_bpm is not None:
                value += min(1.0, abs(a.tempo_bpm - b.tempo_bpm) / 40.0)
            if a.loudness_lufs is not None and b.loudness_lufs is not None:
                value += min(1.0, abs(a.loudness_lufs - b.loudness_lufs) / 8.0)
            out[i, j] = out[j, i] = round(100 * value)
    return out


def _heaviness(items: list[Item]) -> list[int]:
    """How much a track wants to be early on a vinyl side, 0..100: its loudness and its
    share of bass, each scaled over the candidates' range (unknown: the middle)."""
    def scaled(values: list[float | None]) -> list[float]:
        known = [v for v in values if v is not None]
        if not known or max(known) == min(known):
            return [0.5] * len(values)
        lo, hi = min(known), max(known)
        return [0.5 if v is None else (v - lo) / (hi - lo) for v in values]

    loud = scaled([i.loudness_lufs for i in items])
    bass = scaled([i.bass_share for i in items])
    return [round(50 * a + 50 * b) for a, b in zip(loud, bass, strict=True)]


# --- the greedy fill ---------------------------------------------------------------------


def _greedy(p: Problem, ranking: str | None = None) -> list[list[int]]:
    """Tracks (indices into ``p.items``) per side, in order."""
    chosen = [n for n in range(len(p.items)) if p.forced[n]]
    taken_cues: set[str] = set()
    for n in chosen:
        taken_cues |= p.items[n].cues
    if (ranking or p.options.greedy_by) == "density":
        def rank(n: int):
            return (-p.items[n].rating / p.length[n], p.items[n].film_order)
    else:
        def rank(n: int):
            return (-p.items[n].rating, p.length[n], p.items[n].film_order)
    if _layout(p, sorted(chosen)) is None:
        raise InputError(_cannot_lay_out(p), field="required",
                         valid="fewer pinned or required tracks, or a medium that holds "
                               "more (max_seconds, sides)")
    for n in sorted(range(len(p.items)), key=rank):
        if p.forced[n]:
            continue
        if not p.options.allow_repeats and p.items[n].cues & taken_cues:
            continue
        trial = sorted([*chosen, n])
        if _layout(p, trial) is not None:
            chosen = trial
            taken_cues |= p.items[n].cues
    layout = _layout(p, sorted(chosen), complete=True)
    if layout is None:  # too few tracks for the sides
        raise InputError(_cannot_lay_out(p), field="candidates",
                         valid="more candidates that fit, or fewer sides")
    if p.options.order == "listening":
        layout = [_listening_order(p, side) for side in layout]
    return layout


def _cannot_lay_out(p: Problem) -> str:
    fixed = [p.items[n] for n in range(len(p.items)) if p.forced[n]]
    what = f"the {_names(fixed)}" if fixed else "the candidates"
    if p.sides == 1:
        return (f"{what} cannot be laid out on the {p.medium.title} "
                f"({clock(p.cap * p.unit) if p.cap else 'no limit'})")
    order = " in film order" if p.options.order == "film" else ""
    return (f"{what} cannot be laid out{order} on the {p.sides} sides of the "
            f"{p.medium.title} ({clock(p.cap * p.unit) if p.cap else 'no limit'} a side, "
            f"every side with a track)")


def _layout(p: Problem, chosen: list[int], complete: bool = False) -> list[list[int]] | None:
    """The chosen tracks (in film order) filled into the sides in order: a side takes the
    next track while it fits.  None when they do not fit; with ``complete``, also when a
    side stays empty (then the tracks are spread: the next side starts once a side holds
    its share)."""
    if p.sides == 1:
        if p.max_tracks is not None and len(chosen) > p.max_tracks:
            return None
        if p.cap is not None and p.side_load([p.length[n] for n in chosen]) > p.cap:
            return None
        if complete and not chosen:
            return None
        return [list(chosen)]
    sides: list[list[int]] = [[]]
    for n in chosen:
        if not _fits(p, sides[-1], n):
            if len(sides) == p.sides:
                return None
            sides.append([])
            if not _fits(p, sides[-1], n):
                return None
        sides[-1].append(n)
    if not complete:
        return sides + [[]] * (p.sides - len(sides))
    if len(sides) == p.sides and all(sides):
        return sides
    # a side empty: break the order where each side holds about its share
    if len(chosen) < p.sides:
        return None
    total = sum(p.length[n] + p.gap for n in chosen)
    spread: list[list[int]] = [[] for _ in range(p.sides)]
    run = 0
    side = 0
    for k, n in enumerate(chosen):
        left = len(chosen) - k
        if (spread[side] and side < p.sides - 1
                and (run >= total * (side + 1) / p.sides or left <= p.sides - 1 - side)):
            side += 1
        spread[side].append(n)
        run += p.length[n] + p.gap
    if all(spread) and all(_side_ok(p, s) for s in spread):
        return spread
    return None


def _fits(p: Problem, side: list[int], n: int) -> bool:
    return _side_ok(p, [*side, n])


def _side_ok(p: Problem, side: list[int]) -> bool:
    if p.max_tracks is not None and len(side) > p.max_tracks:
        return False
    return p.cap is None or p.side_load([p.length[m] for m in side]) <= p.cap


def _listening_order(p: Problem, side: list[int]) -> list[int]:
    """Nearest neighbour by contrast (vinyl: the heavier first among equals), the pins
    and the kept order respected."""
    rest = [n for n in side if n not in (p.first, p.last)]
    out = [p.first] if p.first in side else []
    keep_rank = {n: r for r, n in enumerate(p.keep)}
    while rest:
        lowest_left = min((keep_rank[n] for n in rest if n in keep_rank), default=None)
        options = [n for n in rest if n not in keep_rank or keep_rank[n] == lowest_left]
        if out:
            prev = out[-1]
            best = max(options, key=lambda n: (p.contrast.get((prev, n), 0),
                                               p.heaviness[n], -n))
        else:
            best = max(options, key=lambda n: (p.heaviness[n], -n))
        out.append(best)
        rest.remove(best)
    if p.last in side:
        out.append(p.last)
    return out


# --- the result ------------------------------------------------------------------------


def _finish(p: Problem, layout: list[list[int]], status: str, bound: float | None,
            began: float) -> Sequence:
    """Times, positions and totals of a layout (exact: Fractions on the medium's grid)."""
    placed: list[Placed] = []
    side_seconds: dict[str, Fraction] = {}
    position = 0
    total = Fraction(0)
    gap = p.gap * p.unit if p.grid else Fraction(p.medium.gap_seconds)
    pregap = p.pregap * p.unit if p.grid else Fraction(p.medium.pregap_seconds)
    for s, side in enumerate(layout):
        name = p.side_name(s)
        start = Fraction(0)
        side_total = Fraction(0)
        for k, n in enumerate(side):
            item = p.items[n]
            length = p.length[n] * p.unit if p.grid else Fraction(item.seconds)
            before = pregap if k == 0 else gap
            if k:
                start += gap
            position += 1
            placed.append(Placed(item.key, position, name, start, before, length))
            start += length
            side_total += before + length
        total += side_total
        if name:
            side_seconds[name] = side_total
    chosen = [n for side in layout for n in side]
    keys = {p.items[n].key for n in chosen}
    themes = frozenset().union(*(p.items[n].themes for n in chosen)) if chosen else frozenset()
    rating = sum(p.items[n].rating for n in chosen)
    capacity = None if p.cap is None else p.cap * p.unit * p.sides
    return Sequence(
        medium=p.medium.name, tracks=tuple(placed), seconds=total, side_seconds=side_seconds,
        rating=rating, themes=themes,
        objective=p.objective(chosen), status=status,
        left_out=tuple(k for k in p.all_keys if k not in keys), capacity_seconds=capacity,
        bound=bound, solve_seconds=time.perf_counter() - began, refused=dict(p.refused))
