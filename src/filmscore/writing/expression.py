"""The sketch's expression: dynamics from the cue's mood, dialogue and hits, as marks.

A composer's short score says how loud, where it swells and where it gets out of the way.
``plan_dynamics`` makes that plan from plain values (the words are read in
``filmscore.writing.mood``):

- the mood gives each phase of the cue a level: its words' levels (``MOOD_LEVELS``:
  "quiet", "tender", "creepy" soft; "brash", "violent", "triumphant" loud) averaged; a
  mood in phases ("lumbering, then eerily tender") changes level where the plan's
  sections change, and a phase "building to" the next one (or "escalating") rises a step
  at a time on its hard hits;
- under dialogue (``mood.dialogue_spans``: sync points whose description is a line or a
  vocal, "Vocal:", "Line:", "Popeye: '...'", quoted speech; and the picture's dialogue
  markers) the music drops to mezzo-piano (a step down when already that soft); lines close
  together stay under one dynamic, and no level lasts less than two beats;
- a crescendo hairpin (up to four beats) leads into every big (weight-2) hard hit, which
  is marked a step above (forte at least) with a strong accent; other hard hits get an
  accent;
- a soft ending closes with a diminuendo into a button a step softer.

``express`` then writes a part's marks (a dynamic at the first note of each change, the
hairpins it plays through, slurs over a melody's phrases, "pizz." and "ord."), adds the
accents to the notes on the hits, and sets every velocity from the dynamic in force
(``DYNAMICS``), interpolated through hairpins, plus the accent (``ACCENT_VELOCITY``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.sync.tempomap import Meter
from filmscore.writing.cuetime import bar_at, meter_at
from filmscore.writing.mood import (
    DEFAULT_LEVEL,
    FF,
    LEVELS,
    MP,
    PP,
    F,
    Phase,
)
from filmscore.writing.music import DYNAMICS, Mark, Note, Part

DIALOGUE_CEILING = MP  # under dialogue: mezzo-piano at most, a step down when already soft
HIT_FLOOR = F  # a big hit: a step up, forte at least
HAIRPIN_BEATS = 4  # a hairpin into a hit or a button: up to this many beats
BRIDGE_BEATS = 4  # lines less than this many beats apart stay under one dynamic
MIN_STEP_BEATS = 2  # a level lasts at least this many beats (hits aside)
ACCENT_VELOCITY: dict[str, int] = {"accent": 12, "strong-accent": 20}


def merge_spans(spans: Sequence[tuple[Fraction, Fraction]], gap: Fraction
                ) -> list[tuple[Fraction, Fraction]]:
    """Spans joined where less than ``gap`` apart."""
    out: list[tuple[Fraction, Fraction]] = []
    for a, b in sorted(spans):
        if out and a - out[-1][1] < gap:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DynamicsPlan:
    """The cue's dynamics: a level from each change point on, the hairpins, the accents."""

    levels: tuple[tuple[Fraction, int], ...]  # (onset, index into LEVELS), in time order
    hairpins: tuple[tuple[Fraction, Fraction, str], ...] = ()  # (start, end, kind)
    accents: tuple[tuple[Fraction, str], ...] = ()  # (onset, articulation)

    def level_at(self, t: Fraction) -> int:
        found = self.levels[0][1] if self.levels else DEFAULT_LEVEL
        for onset, level in self.levels:
            if onset > t:
                break
            found = level
        return found

    def dynamic_at(self, t: Fraction) -> str:
        return LEVELS[self.level_at(t)]

    def accent_at(self, t: Fraction) -> str:
        return dict(self.accents).get(t, "")


def _steps(points: list[tuple[Fraction, int]]) -> list[tuple[Fraction, int]]:
    """Change points in time order, the last word at one onset winning, repeats dropped."""
    by_time: dict[Fraction, int] = {}
    for t, level in points:
        by_time[t] = level
    out: list[tuple[Fraction, int]] = []
    for t in sorted(by_time):
        if not out or out[-1][1] != by_time[t]:
            out.append((t, by_time[t]))
    return out


def _coalesce(steps: list[tuple[Fraction, int]], shortest: Fraction, end: Fraction, *,
              keep: frozenset[Fraction] | set[Fraction] = frozenset()
              ) -> list[tuple[Fraction, int]]:
    """Steps lasting less than ``shortest`` give way: the next level starts at once, or,
    when the next step is a hit (in ``keep``) or the end, the level before holds on.
    Steps at ``keep`` stay whatever their length."""
    out = list(steps)
    changed = True
    while changed:
        changed = False
        for i, (t, _level) in enumerate(out):
            nxt = out[i + 1][0] if i + 1 < len(out) else end
            if nxt - t >= shortest or t in keep:
                continue
            if i + 1 < len(out) and out[i + 1][0] not in keep:
                out[i] = (t, out[i + 1][1])
                del out[i + 1]
            elif i > 0:
                del out[i]
            else:
                continue
            out = _steps(out)
            changed = True
            break
    return out


def under_dialogue(level: int) -> int:
    """The level under a line: mezzo-piano at most, a step down when already that soft."""
    return min(level, DIALOGUE_CEILING) if level > DIALOGUE_CEILING else max(PP, level - 1)


def _level_in(steps: Sequence[tuple[Fraction, int]], t: Fraction) -> int:
    return DynamicsPlan(tuple(steps)).level_at(t)


def _beat_after(bars: Sequence[tuple[Fraction, Meter]], t: Fraction) -> Fraction:
    """``t`` moved up to the next beat of its bar (``t`` when on a beat)."""
    bar = bar_at(bars, t)
    beat = meter_at(bars, t).beat_quarters
    return bar + math.ceil((t - bar) / beat) * beat


def _beat_before(bars: Sequence[tuple[Fraction, Meter]], t: Fraction) -> Fraction:
    bar = bar_at(bars, t)
    beat = meter_at(bars, t).beat_quarters
    return bar + math.floor((t - bar) / beat) * beat


def _phase_levels(phases: Sequence[Phase], starts: Sequence[Fraction], end: Fraction,
                  hits: Sequence[Fraction]) -> list[tuple[Fraction, int]]:
    """The base level (no dialogue, no hits) from each phase start, with the steps of a
    building phase on its hard hits (evenly chosen)."""
    points: list[tuple[Fraction, int]] = []
    for i, phase in enumerate(phases):
        a = starts[i]
        b = starts[i + 1] if i + 1 < len(phases) else end
        points.append((a, phase.level))
        if not phase.builds:
            continue
        last = i + 1 == len(phases)
        target = min(FF, phase.level + 1) if last else phases[i + 1].level
        steps = list(range(phase.level + 1, target + (1 if last else 0)))
        inside = [h for h in hits if a < h < b]
        for j, level in enumerate(steps, 1):
            aim = a + (b - a) * j / (len(steps) + 1)
            if inside:
                at = min(inside, key=lambda h: (abs(h - aim), h))
            else:
                at = aim
            points.append((at, level))
    return points


def plan_dynamics(*, phases: Sequence[Phase], phase_starts: Sequence[Fraction],
                  start: Fraction, button: Fraction, hits: Sequence[tuple[Fraction, float]],
                  button_weight: float, dialogue: Sequence[tuple[Fraction, Fraction]],
                  bars: Sequence[tuple[Fraction, Meter]], grid: Fraction) -> DynamicsPlan:
    """The cue's dynamics (see the module docstring).  Times are quarters from bar 1:
    ``phase_starts`` where the mood's later phases begin (missing ones spread evenly over
    the rest), ``hits`` the hard hits (onset, weight), ``dialogue`` [start, end) spans."""
    phases = list(phases) or [Phase("", DEFAULT_LEVEL)]
    starts = [start] + sorted(q for q in phase_starts if start < q < button)
    starts = starts[:len(phases)]
    while len(starts) < len(phases):
        rest = len(phases) - len(starts) + 1
        aim = starts[-1] + (button - starts[-1]) / rest
        starts.append(max(starts[-1] + grid, min(button, bar_at(bars, aim))))
    hit_times = [q for q, _ in hits]
    base = _steps(_phase_levels(phases, starts, button, hit_times))

    # under dialogue: mezzo-piano at most, a step down when already that soft
    beat = meter_at(bars, start).beat_quarters
    spans = merge_spans([(_beat_before(bars, max(a, start)), _beat_after(bars, min(b, button)))
                         for a, b in dialogue if b > start and a < button],
                        BRIDGE_BEATS * beat)
    points = [t for t, _ in base] + [t for span in spans for t in span]

    def quiet_at(t: Fraction) -> int:
        level = _level_in(base, t)
        if any(a <= t < b for a, b in spans):
            return under_dialogue(level)
        return level

    flow = _coalesce(_steps([(t, quiet_at(t)) for t in points]), MIN_STEP_BEATS * beat,
                     button)

    # big hits: a step up (forte at least) for one grid step, a crescendo into each
    big = sorted({q for q, w in hits if w >= 2 and start <= q < button}
                 | ({button} if button_weight >= 2 else set()))
    overlay: list[tuple[Fraction, int]] = []
    # never softer than the music just before (a hit that opens a quieter phase)
    peaks = {h: min(FF, max(HIT_FLOOR, _level_in(flow, h) + 1,
                            _level_in(flow, h - grid) if h > start else PP)) for h in big}
    for h in big:
        overlay += [(h, peaks[h]), (h + grid, _level_in(flow, h + grid))]
    levels = _coalesce(_steps([(t, lv) for t, lv in flow + overlay if t <= button]),
                       MIN_STEP_BEATS * beat, button, keep=set(big))
    hairpins: list[tuple[Fraction, Fraction, str]] = []
    for h in big:
        earlier = [t for t, _ in levels if t < h] + [q + grid for q in hit_times if q < h]
        beat = meter_at(bars, h).beat_quarters
        a = _beat_after(bars, max([h - HAIRPIN_BEATS * beat, start, *earlier]))
        if h - a >= beat and _level_in(levels, a) < _level_in(levels, h):
            hairpins.append((a, h, "crescendo"))

    # a soft ending: a diminuendo into a button a step softer
    if button_weight < 2 and phases[-1].level <= MP and button > start:
        before = _level_in(levels, button - grid)
        beat = meter_at(bars, button).beat_quarters
        taken = [t for t, _ in levels if t < button] + [h + grid for h in big if h < button]
        a = _beat_after(bars, max([button - HAIRPIN_BEATS * beat, start, *taken]))
        if before > PP:
            levels = _steps([*levels, (button, before - 1)])
            if button - a >= beat:
                hairpins.append((a, button, "diminuendo"))

    accents = [(q, "strong-accent" if w >= 2 else "accent")
               for q, w in hits if start <= q < button]
    accents.append((button, "strong-accent" if button_weight >= 2 else "accent"))
    return DynamicsPlan(tuple(levels), tuple(sorted(hairpins)),
                        tuple(sorted(dict(accents).items())))


# --- a part's marks and velocities ----------------------------------------------------------


@dataclass(frozen=True)
class Phrasing:
    """Where a melody's phrases break: before a statement or a hit (``breaks``), after a
    note of ``long`` quarters or more (the long note of a phrase's end), and at the first
    bar line (``bar_lines``) once a phrase has run ``longest`` quarters; only notes from
    ``start`` on are phrased (a countermelody after chords)."""

    breaks: tuple[Fraction, ...] = ()
    long: Fraction = Fraction(2)
    bar_lines: tuple[Fraction, ...] = ()
    longest: Fraction = Fraction(8)
    start: Fraction = Fraction(-10**9)

    @classmethod
    def for_meter(cls, meter: Meter, bar_lines: Sequence[Fraction],
                  breaks: Sequence[Fraction], start: Fraction = Fraction(-10**9)
                  ) -> Phrasing:
        """Two-beat long notes end phrases in duple meters, three-beat ones in triple
        meters (a waltz's half note is its long-short, not an end); two bars at most."""
        beat = meter.beat_quarters
        long = (3 if meter.numerator % 3 == 0 else 2) * beat
        return cls(tuple(sorted(set(breaks))), long, tuple(bar_lines),
                   2 * meter.numerator * beat, start)


def phrases(notes: Sequence[Note], phrasing: Phrasing) -> list[tuple[Note, ...]]:
    """A melody's phrases: runs of notes without a rest, broken as ``phrasing`` says."""
    out: list[list[Note]] = []
    stops, bar_lines = set(phrasing.breaks), set(phrasing.bar_lines)
    top: dict[Fraction, Note] = {}
    for n in notes:  # a chord's top note carries the line
        if n.onset >= phrasing.start and (n.onset not in top or n.pitch > top[n.onset].pitch):
            top[n.onset] = n
    for n in (top[t] for t in sorted(top)):
        prev = out[-1][-1] if out else None
        if prev is None or n.onset > prev.end or n.onset in stops \
                or prev.duration >= phrasing.long \
                or (n.onset in bar_lines and n.onset - out[-1][0].onset >= phrasing.longest):
            out.append([n])
        else:
            out[-1].append(n)
    return [tuple(p) for p in out]


def slurs(notes: Sequence[Note], phrasing: Phrasing) -> list[Mark]:
    """A slur over each phrase of two notes or more that moves."""
    return [Mark(p[0].onset, "slur", end=p[-1].onset) for p in phrases(notes, phrasing)
            if len(p) >= 2 and len({n.pitch for n in p}) > 1]


def velocity_for(part: Part, note: Note) -> int:
    """The velocity a note plays at: the part's dynamic in force (interpolated through a
    hairpin it starts in), plus its accent."""
    name = part.dynamic_at(note.onset) or LEVELS[DEFAULT_LEVEL]
    velocity = Fraction(DYNAMICS[name])
    for mark in part.marks:
        if mark.kind in ("crescendo", "diminuendo") and mark.onset <= note.onset < mark.end:
            target = next((m.value for m in part.marks
                           if m.kind == "dynamic" and m.onset == mark.end), None)
            if target is not None:
                begin = Fraction(DYNAMICS[part.dynamic_at(mark.onset) or name])
                share = (note.onset - mark.onset) / (mark.end - mark.onset)
                velocity = begin + (DYNAMICS[target] - begin) * share
    bonus = max((ACCENT_VELOCITY.get(a, 0) for a in note.articulations), default=0)
    return max(1, min(127, math.floor(velocity + Fraction(1, 2)) + bonus))


def express(part: Part, plan: DynamicsPlan, *, phrasing: Phrasing | None = None,
            techniques: Sequence[tuple[Fraction, str]] = ()) -> Part:
    """``part`` with the plan's marks, accents on the hits and velocities to match:
    a dynamic at the first note of each change (when it differs from the part's last),
    the hairpins it sounds through into a note at their end, slurs over its phrases
    (a melody's: with ``phrasing``) and ``techniques`` (onset, "pizz.")."""
    notes = sorted(part.notes)
    notes = [replace(n, articulations=n.articulations + (accent,))
             if (accent := plan.accent_at(n.onset)) and accent not in n.articulations
             else n for n in notes]
    onsets = sorted({n.onset for n in notes})
    hairpins = [Mark(a, kind, end=b) for a, b, kind in plan.hairpins  # played into a note
                if b in onsets and any(n.onset < b and n.end > a for n in notes)]
    marks: list[Mark] = []
    written = None
    changes = list(plan.levels)
    for i, (t, level) in enumerate(changes):
        until = changes[i + 1][0] if i + 1 < len(changes) else None
        at = next((o for o in onsets if o >= t and (until is None or o < until)), None)
        if at is None or LEVELS[level] == written:
            continue
        # a level that comes into force before a hairpin of the part, on a note it holds,
        # is written where the hairpin starts (not inside it)
        at = next((h.onset for h in hairpins if t <= h.onset < at < h.end), at)
        marks.append(Mark(at, "dynamic", LEVELS[level]))
        written = LEVELS[level]
    marks += hairpins
    if phrasing is not None:
        marks += slurs(notes, phrasing)
    marks += [Mark(t, "technique", name) for t, name in techniques]
    shaped = replace(part, notes=tuple(notes), marks=tuple(marks))
    return replace(shaped, notes=tuple(replace(n, velocity=velocity_for(shaped, n))
                                       for n in shaped.notes))
