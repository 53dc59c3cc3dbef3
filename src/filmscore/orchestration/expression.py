"""Marks of a short-score staff carried to the chairs that play it, balanced.

Every mark of a staff (dynamics, hairpins, slurs, techniques; a note's articulations
travel with the note) goes to each chair that plays the staff, inside the spans the chair
plays it.  Dynamics are moved by the layer's balance in steps of ``LEVELS`` (brass one
step under the strings they double, a solo line one step up, a pad one step down); accents
such as sfz are left as they are.  A staff without a single dynamic (a MIDI sketch) gets
its dynamics read from its velocities, bar by bar, and its hits marked as accents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction
from statistics import median_low

from filmscore.writing.music import DYNAMICS, Mark, Note, Part

LEVELS: tuple[str, ...] = ("pppp", "ppp", "pp", "p", "mp", "mf", "f", "ff", "fff", "ffff")
"""Dynamics in steps, soft to loud; a balance moves a dynamic along this scale."""
SOFTEST, LOUDEST = "pp", "fff"
"""A balanced dynamic stays within these (a pad under a p staff is pp, not ppp)."""
ACCENT_OVER = 16
"""A note this much louder (MIDI velocity) than its bar's level is a hit: an accent."""
VELOCITY_STEP = 14
"""MIDI velocity added per dynamic step of balance (the mockup follows the marks)."""

Span = tuple[Fraction, Fraction | None]


def shift_dynamic(value: str, steps: int) -> str:
    """``value`` moved ``steps`` along LEVELS, kept within ppp..fff; accents unchanged."""
    if value not in LEVELS or not steps:
        return value
    index = LEVELS.index(value) + steps
    return LEVELS[max(LEVELS.index(SOFTEST), min(LEVELS.index(LOUDEST), index))]


def nearest_level(velocity: float) -> str:
    return min(LEVELS[1:-1], key=lambda level: (abs(DYNAMICS[level] - velocity),
                                                 -DYNAMICS[level]))


def marks_from_velocities(part: Part, bar_of: Callable[[Fraction], int]
                          ) -> tuple[Part, list[tuple[Fraction, str]]]:
    """The staff with a dynamic wherever its level changes and an accent on every hit; and
    the dynamics written, as (onset, dynamic).  A bar's level is the low median velocity of
    the notes of that bar and its neighbours (one loud hit does not make a bar ff)."""
    if not part.notes or part.is_drum:
        return part, []
    bars: dict[int, list[Note]] = {}
    for note in part.notes:
        bars.setdefault(bar_of(note.onset), []).append(note)
    marks: list[Mark] = []
    written: list[tuple[Fraction, str]] = []
    notes: list[Note] = []
    current = None
    for bar in sorted(bars):
        group = bars[bar]
        around = [n.velocity for b in (bar - 1, bar, bar + 1) for n in bars.get(b, ())]
        level_velocity = median_low(around)
        level = nearest_level(level_velocity)
        if level != current:
            first = min(n.onset for n in group)
            marks.append(Mark(first, "dynamic", level))
            written.append((first, level))
            current = level
        for note in group:
            if note.velocity >= level_velocity + ACCENT_OVER and "accent" not in \
                    note.articulations:
                note = replace(note, articulations=(*note.articulations, "accent"))
            notes.append(note)
    return replace(part, notes=tuple(notes), marks=tuple(marks)), written


def _inside(onset: Fraction, spans: Sequence[Span] | None) -> bool:
    return spans is None or any(a <= onset and (b is None or onset < b) for a, b in spans)


def carry_marks(staff: Part, notes: Sequence[Note], *, spans: Sequence[Span] | None,
                balance: int, technique: str = "", slurred: bool = False,
                reduction: tuple[Fraction, int] | None = None) -> tuple[Mark, ...]:
    """The marks of ``staff`` for a chair playing ``notes`` of it in ``spans`` (None: the
    whole cue): dynamics balanced (and restated where a span starts), hairpins and
    techniques inside the spans, slurs whose first and last notes the chair plays (a slur
    over every phrase when ``slurred``), the layer's ``technique`` at each span's start
    (cancelled at its end).  ``reduction`` (onset, steps): dynamics from there move too."""
    if not notes:
        return ()
    onsets = sorted({n.onset for n in notes})
    first, last_end = onsets[0], max(n.end for n in notes)
    starts = [a for a, _ in spans] if spans is not None else [Fraction(0)]
    out: list[Mark] = []

    def steps(at: Fraction) -> int:
        return balance + (reduction[1] if reduction and at >= reduction[0] else 0)

    dynamics = [m for m in staff.marks if m.kind == "dynamic"]
    restate = sorted({max(s, first) for s in starts} | ({reduction[0]} if reduction else set()))
    for at in restate:
        if at > last_end:
            continue
        value = staff.dynamic_at(at)
        if value is not None and not any(m.onset == at for m in dynamics):
            out.append(Mark(_first_note_at(onsets, at), "dynamic",
                            shift_dynamic(value, steps(at))))
    for mark in staff.marks:
        if not _inside(mark.onset, spans) or mark.onset > last_end:
            continue
        if mark.kind == "dynamic":
            out.append(replace(mark, value=shift_dynamic(mark.value, steps(mark.onset))))
        elif mark.kind in ("crescendo", "diminuendo"):
            end = min(mark.end if mark.end is not None else last_end, last_end)
            if end > mark.onset:
                out.append(replace(mark, end=end))
        elif mark.kind == "slur":
            if mark.onset in onsets and mark.end in onsets:
                out.append(mark)
        else:
            out.append(mark)
    if slurred:
        out += phrase_slurs(notes, out)
    if technique:
        out += technique_marks(technique, spans, onsets, out)
    # one dynamic per onset: the last written wins (a restated one gives way to the staff's)
    seen: dict[tuple[Fraction, str], Mark] = {}
    for mark in out:
        key = (mark.onset, mark.kind if mark.kind != "slur" else f"slur{mark.end}")
        seen[key] = mark
    return tuple(sorted(seen.values()))


def _first_note_at(onsets: Sequence[Fraction], at: Fraction) -> Fraction:
    return next((t for t in onsets if t >= at), at)


CANCEL = {"con sord.": "senza sord.", "pizz.": "arco", "trem.": "ord."}
"""The technique that ends another one."""


def technique_marks(technique: str, spans: Sequence[Span] | None,
                     onsets: Sequence[Fraction], marks: Sequence[Mark]) -> list[Mark]:
    out: list[Mark] = []
    for start, end in spans if spans is not None else [(Fraction(0), None)]:
        inside = [t for t in onsets if t >= start and (end is None or t < end)]
        if not inside:
            continue
        out.append(Mark(inside[0], "technique", technique))
        after = [t for t in onsets if end is not None and t >= end]
        if after and technique in CANCEL:
            out.append(Mark(after[0], "technique", CANCEL[technique]))
    return [m for m in out if not any(o.onset == m.onset and o.kind == "technique"
                                      for o in marks)]


def phrase_slurs(notes: Sequence[Note], marks: Sequence[Mark]) -> list[Mark]:
    """A slur over each run of notes that follow one another without a rest."""
    ordered = sorted({n.onset: n for n in notes}.values(), key=lambda n: n.onset)
    out: list[Mark] = []
    run: list[Note] = []
    for note in [*ordered, None]:
        if note is not None and run and note.onset <= run[-1].end:
            run.append(note)
            continue
        if len(run) >= 2 and not any(m.kind == "slur" and run[0].onset <= m.onset
                                     <= run[-1].onset for m in marks):
            out.append(Mark(run[0].onset, "slur", end=run[-1].onset))
        run = [note] if note is not None else []
    return out


def balanced_velocity(note: Note, steps: int) -> Note:
    if not steps:
        return note
    return replace(note, velocity=max(1, min(127, note.velocity + VELOCITY_STEP * steps)))
