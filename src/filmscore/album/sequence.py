"""Selection and sequencing of an album's tracks for one medium (pure).

CONTRACT (foundation): the dataclasses and the signatures of ``solve`` and ``greedy``
are what the album service calls.  ``solve`` is the CP-SAT model (OR-Tools); ``greedy``
the baseline it is compared with in bench/.  The bodies here are placeholders to be
replaced by the sequencing work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from filmscore.album.vocabulary import Medium


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


@dataclass(frozen=True)
class Placed:
    key: str
    position: int  # from 1
    side: str  # "A", "B"... on vinyl, "" otherwise
    start: Fraction  # seconds from the start of the side (or of track 1)
    gap_seconds: Fraction  # silence before it


@dataclass(frozen=True)
class Sequence:
    medium: str
    tracks: tuple[Placed, ...]
    seconds: Fraction  # music and gaps, all sides
    side_seconds: dict[str, Fraction] = field(default_factory=dict)
    rating: int = 0
    themes: frozenset[str] = frozenset()
    objective: float = 0.0
    status: str = ""  # "optimal", "feasible", "greedy"
    left_out: tuple[str, ...] = ()  # candidates not chosen


def solve(items: list[Item], medium: Medium, options: Options | None = None) -> Sequence:
    """Choose and order tracks for ``medium`` (CP-SAT).  Raises InputError naming the
    pinned/required tracks when they alone do not fit."""
    return greedy(items, medium, options)


def greedy(items: list[Item], medium: Medium, options: Options | None = None) -> Sequence:
    """The baseline: the best-rated candidates while they fit, then in film order."""
    chosen: list[Item] = []
    total = Fraction(0)
    for item in sorted(items, key=lambda i: (not (i.pinned or i.required), -i.rating,
                                              i.film_order)):
        extra = item.seconds + (medium.gap_seconds if chosen else 0)
        if medium.max_seconds is not None and total + extra > medium.max_seconds * medium.sides:
            continue
        if medium.max_tracks is not None and len(chosen) >= medium.max_tracks:
            continue
        chosen.append(item)
        total += extra
    chosen.sort(key=lambda i: (i.pinned != "first", i.pinned == "last", i.film_order))
    placed, start = [], Fraction(0)
    for n, item in enumerate(chosen, 1):
        gap = medium.gap_seconds if n > 1 else Fraction(0)
        start += gap
        placed.append(Placed(item.key, n, "A" if medium.sides > 1 else "", start, gap))
        start += item.seconds
    keys = {i.key for i in chosen}
    return Sequence(medium.name, tuple(placed), start, rating=sum(i.rating for i in chosen),
                    themes=frozenset().union(*(i.themes for i in chosen)) if chosen
                    else frozenset(), status="greedy",
                    left_out=tuple(i.key for i in items if i.key not in keys))
