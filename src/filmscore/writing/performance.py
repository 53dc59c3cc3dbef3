"""How a part's marks are played on General MIDI: velocities from dynamics and accents,
sounding lengths from articulations, expression (CC 11) and modulation (CC 1) from
hairpins, repeated notes for a tremolo, and program changes for techniques.

A pure function of one Part (:func:`perform`); ``formats.midi_music`` writes the result.
Times are quarters from bar 1, as in the Part.

- **Level.**  A dynamic mark sets the level (its ``DYNAMICS`` velocity) from its onset; a
  hairpin moves it evenly in decibels (GM: 40 log10 of the velocity, and of CC 11, which
FluidSynth follows exactly), in quarters, from the level at its start to the
  dynamic written at its end (up to a quarter after it), else two steps along ppp ... fff
  (p < mf, f > mp).  sf, sfz, sffz, fz, rf and rfz accent the notes starting on them and
  leave the level alone; fp and sfp attack at f (sf) and leave the level at p.  A part
  with no dynamics and no hairpins plays each note at its own velocity; notes before a
  part's first dynamic do too.
- **Hairpins on sustaining instruments** (winds, brass, strings, voices, organs, pads:
  ``sustains``) are played with CC 11, since a held note cannot change its velocity: from
  the hairpin's start (earlier when a note already sounds then: from that note's onset)
  to its end (later while a note started in it still sounds) the notes attack at the
  hairpin's loudest level and CC 11 = 127 x level / loudest follows the line; outside
  hairpins CC 11 is 127.  CC 1 (modulation) rises from 0 at the hairpin's soft end to
  ``SWELL_MODULATION`` at its loud end: in a GM SoundFont it deepens the vibrato as the
  swell grows (FluidSynth: 50 cents at 127); a sample library reads it as its dynamics.
  Other instruments (piano, harp, percussion, pizzicato) take the line in their velocities.
- **Articulations.**  accent +20 velocity, strong-accent (marcato) +28, stress +10,
  unstress -10; staccato sounds half the note (at most an eighth), staccatissimo a quarter
  of it (at most a sixteenth), spiccato 40% (at most a dotted sixteenth), detached-legato
  (or staccato with tenuto: portato) three quarters; tenuto holds the full length, as an
  unmarked note does.  A tremolo plays the note as 32nd notes (alternating 6 velocity
  steps softer, as a bow or sticks do).
- **Techniques** on a bowed-string program (40-44, 48-51): "pizz." changes to GM program
  45 (Pizzicato Strings), "trem." to 44 (Tremolo Strings), "arco" and "ord." back to the
  part's own; on a trumpet (56) "con sord." changes to 59 (Muted Trumpet), "senza sord."
  and "ord." back.  Elsewhere techniques change nothing audible in GM.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from fractions import Fraction

from filmscore.writing.music import DYNAMICS, Mark, Note, Part

LADDER = ("ppp", "pp", "p", "mp", "mf", "f", "ff", "fff")
HAIRPIN_STEPS = 2  # how far a hairpin moves without a written goal
GOAL_WINDOW = Fraction(1)  # a goal dynamic may stand up to a quarter after the hairpin
ACCENT_DYNAMICS = frozenset({"sf", "sfz", "sffz", "fz", "rf", "rfz"})
ATTACK_THEN_P = {"fp": "p", "sfp": "p"}
VELOCITY_BOOST = {"accent": 20, "strong-accent": 28, "stress": 10, "unstress": -10}
#: articulation -> (share of the written length, longest sounding length in quarters)
SHORTENED = {"staccatissimo": (Fraction(1, 4), Fraction(1, 4)),
             "staccato": (Fraction(1, 2), Fraction(1, 2)),
             "spiccato": (Fraction(2, 5), Fraction(3, 8)),
             "detached-legato": (Fraction(3, 4), None)}
TREMOLO_STEP = Fraction(1, 8)  # 32nd notes
SWELL_MODULATION = 40  # CC 1 at a hairpin's loud end
EXPRESSION, MODULATION = 11, 1
CC_STEP = Fraction(1, 16)  # CC 11/CC 1 are sampled this often along a hairpin
BOWED = frozenset({40, 41, 42, 43, 44, 48, 49, 50, 51})
PIZZICATO, TREMOLO_STRINGS, TRUMPET, MUTED_TRUMPET = 45, 44, 56, 59
#: GM programs that hold a note at one level (a hairpin needs CC 11 on them)
SUSTAINING = frozenset(range(16, 24)) | frozenset(range(40, 45)) | \
    frozenset(range(48, 56)) | frozenset(range(56, 80)) | frozenset(range(88, 96))


@dataclass(frozen=True, order=True)
class Played:
    """A note as played: when it starts, how long it sounds, its key and velocity."""

    onset: Fraction
    duration: Fraction
    pitch: int
    velocity: int


@dataclass(frozen=True, order=True)
class Control:
    """A controller value (CC ``control``) from ``at`` on."""

    at: Fraction
    control: int
    value: int


@dataclass(frozen=True)
class Performance:
    """One part as played: its notes, controllers and program changes (at, program),
    each in time order; ``programs`` starts with the part's own program at its start."""

    notes: tuple[Played, ...]
    controls: tuple[Control, ...]
    programs: tuple[tuple[Fraction, int], ...]


def sustains(program: int) -> bool:
    """Whether a GM program holds its notes (a hairpin is played with CC 11 on it)."""
    return program in SUSTAINING


def _step(value: str, steps: int) -> int:
    at = LADDER.index(value) if value in LADDER else LADDER.index("mf")
    return DYNAMICS[LADDER[max(0, min(len(LADDER) - 1, at + steps))]]


@dataclass(frozen=True)
class _Ramp:
    start: Fraction
    end: Fraction
    begin: int
    goal: int


class Levels:
    """The level (a velocity) of a part in time, from its dynamics and hairpins."""

    def __init__(self, part: Part) -> None:
        marks = [m for m in part.marks if m.kind in ("dynamic", "crescendo", "diminuendo")]
        # (time, order, value or ramp): a dynamic before a hairpin starting with it
        events: list[tuple[Fraction, int, int | _Ramp]] = []
        current: int | None = None
        ordered = sorted(marks, key=lambda m: (m.onset, m.kind != "dynamic"))
        for index, mark in enumerate(ordered):
            if mark.kind == "dynamic":
                if mark.value in ACCENT_DYNAMICS:
                    continue
                current = DYNAMICS[ATTACK_THEN_P.get(mark.value, mark.value)]
                events.append((mark.onset, 0, current))
                continue
            begin = current if current is not None else _first_velocity(part, mark.onset)
            goal = _goal(ordered[index + 1:], mark)
            if goal is None:
                name = min(LADDER, key=lambda n: abs(DYNAMICS[n] - begin))
                goal = _step(name, HAIRPIN_STEPS if mark.kind == "crescendo"
                             else -HAIRPIN_STEPS)
            assert mark.end is not None
            events.append((mark.onset, 1, _Ramp(mark.onset, mark.end, begin, goal)))
            current = goal
        self.events = sorted(events, key=lambda e: (e[0], e[1]))
        self.times = [float(e[0]) for e in self.events]  # levels need no exact time
        self.ramps = [e[2] for e in self.events if isinstance(e[2], _Ramp)]

    def __bool__(self) -> bool:
        return bool(self.events)

    def at(self, t: Fraction) -> int | None:
        """The level at ``t`` (None before the first dynamic or hairpin)."""
        when = float(t)
        index = bisect_right(self.times, when) - 1
        if index < 0:
            return None
        value = self.events[index][2]
        if not isinstance(value, _Ramp):
            return value
        if t >= value.end:
            return value.goal
        share = (when - float(value.start)) / float(value.end - value.start)
        return round(value.begin * (value.goal / value.begin) ** share)


def _first_velocity(part: Part, at: Fraction) -> int:
    return next((n.velocity for n in part.notes if n.onset >= at), 80)


def _goal(later: list[Mark], hairpin: Mark) -> int | None:
    assert hairpin.end is not None
    for mark in later:
        if mark.kind != "dynamic" or mark.value in ACCENT_DYNAMICS:
            continue
        if hairpin.end <= mark.onset <= hairpin.end + GOAL_WINDOW:
            return DYNAMICS[mark.value]
        if mark.onset > hairpin.end + GOAL_WINDOW:
            break
    return None


def _programs(part: Part) -> list[tuple[Fraction, int]]:
    own = part.program
    out = [(Fraction(0), own)]
    if part.is_drum:
        return out
    for mark in part.marks:
        if mark.kind != "technique":
            continue
        program = out[-1][1]
        if own in BOWED:
            program = {"pizz.": PIZZICATO, "trem.": TREMOLO_STRINGS, "arco": own,
                       "ord.": own}.get(mark.value, program)
        elif own == TRUMPET:
            program = {"con sord.": MUTED_TRUMPET, "senza sord.": own,
                       "ord.": own}.get(mark.value, program)
        if program != out[-1][1]:
            out.append((mark.onset, program))
    first = min((n.onset for n in part.notes), default=Fraction(0))
    out[0] = (min(Fraction(0), first), own)
    return out


def _program_at(programs: list[tuple[Fraction, int]], t: Fraction) -> int:
    found = programs[0][1]
    for at, program in programs:
        if at > t:
            break
        found = program
    return found


@dataclass(frozen=True)
class _Region:
    """Where a hairpin is played with CC 11: its notes attack at ``ramp``'s loudest."""

    start: Fraction
    end: Fraction
    ramp: _Ramp

    @property
    def loudest(self) -> int:
        return max(self.ramp.begin, self.ramp.goal)


def _regions(part: Part, levels: Levels, programs: list[tuple[Fraction, int]]
             ) -> list[_Region]:
    """Each hairpin played with CC 11, from and to where (see the module docstring)."""
    regions: list[_Region] = []
    notes = part.notes  # in time order
    onsets = [n.onset for n in notes]
    longest = max((n.duration for n in notes), default=Fraction(0))
    for ramp in levels.ramps:
        if not sustains(_program_at(programs, ramp.start)):
            continue
        floor = regions[-1].end if regions else None
        start = ramp.start
        first = bisect_right(onsets, ramp.start - longest)
        for note in notes[first:bisect_right(onsets, ramp.start)]:  # already sounding:
            if note.onset < start < note.end and (floor is None or note.onset >= floor):
                start = note.onset  # from its onset
        end = ramp.end
        if ramp.goal < ramp.begin:  # a diminuendo: hold while its notes sound
            grown = True
            while grown:
                grown = False
                for note in notes[bisect_left(onsets, start):
                                  bisect_right(onsets, end)]:
                    if start <= note.onset < end < note.end:
                        end, grown = note.end, True
        regions.append(_Region(start, end, ramp))
    return regions


def _sounding(note: Note) -> Fraction:
    names = set(note.articulations)
    if {"staccato", "tenuto"} <= names:
        names = {"detached-legato"}
    length = note.duration
    for name, (share, longest) in SHORTENED.items():
        if name in names:
            length = note.duration * share if longest is None else \
                min(note.duration * share, longest)
            break
    return max(length, min(note.duration, Fraction(1, 32)))


def _velocity(note: Note, level: int | None, accents: dict[Fraction, int]) -> int:
    velocity = note.velocity if level is None else level
    if note.onset in accents:
        velocity = max(velocity, accents[note.onset])
    velocity += sum(VELOCITY_BOOST.get(a, 0) for a in note.articulations)
    return max(1, min(127, velocity))


def _curve(levels: Levels, region: _Region) -> list[Control]:
    """CC 11 and CC 1 along a region, every ``CC_STEP``, changes only."""
    out: list[Control] = []
    last: dict[int, int] = {}
    loudest, low = region.loudest, min(region.ramp.begin, region.ramp.goal)
    t, end = region.start, region.end
    while True:
        level = levels.at(t)
        level = region.ramp.begin if level is None else level
        swell = 0 if loudest == low else round(SWELL_MODULATION * (level - low) /
                                               (loudest - low))
        for control, value in ((EXPRESSION, round(127 * level / loudest)),
                               (MODULATION, max(0, swell))):
            value = max(0, min(127, value))
            if last.get(control) != value:
                out.append(Control(t, control, value))
                last[control] = value
        if t >= end:
            break
        t = min(t + CC_STEP, end)
    return out


def perform(part: Part) -> Performance:
    """How ``part`` is played (see the module docstring)."""
    levels = Levels(part)
    programs = _programs(part)
    accents = {m.onset: DYNAMICS[m.value] for m in part.marks
               if m.kind == "dynamic" and (m.value in ACCENT_DYNAMICS or
                                           m.value in ATTACK_THEN_P)}
    regions = _regions(part, levels, programs)
    starts = [r.start for r in regions]
    played: list[Played] = []
    for note in part.notes:
        level = levels.at(note.onset) if levels else None
        for region in regions[max(0, bisect_right(starts, note.onset) - 2):
                              bisect_right(starts, note.onset)]:
            if region.start <= note.onset < region.end:
                level = region.loudest
        velocity = _velocity(note, level, accents)
        if "tremolo" in note.articulations:
            t, soft = note.onset, False
            while t < note.end:
                step = min(TREMOLO_STEP, note.end - t)
                played.append(Played(t, step, note.pitch, max(1, velocity - 6 * soft)))
                t, soft = t + step, not soft
            continue
        played.append(Played(note.onset, _sounding(note), note.pitch, velocity))
    controls: list[Control] = []
    for region in regions:
        controls += _curve(levels, region)
        controls += [Control(region.end, EXPRESSION, 127), Control(region.end, MODULATION, 0)]
    if controls:  # the state before the first hairpin
        first = programs[0][0]
        controls = [Control(first, EXPRESSION, 127), Control(first, MODULATION, 0), *controls]
    return Performance(tuple(sorted(played)), tuple(_dedupe(controls)), tuple(programs))


def _dedupe(controls: list[Control]) -> list[Control]:
    """Controller changes in time order, the last value at one time and controller kept,
    and none that repeats the value in force."""
    latest: dict[tuple[Fraction, int], int] = {}
    for control in controls:
        latest[(control.at, control.control)] = control.value
    out, now = [], {}
    for (at, number), value in sorted(latest.items()):
        if now.get(number) != value:
            out.append(Control(at, number, value))
            now[number] = value
    return out
