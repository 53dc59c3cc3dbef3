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

from filmscore.writing.dynamics import ATTACK_LEAVES, ATTACKS, level_in_force
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


def balanced_level(marks: Sequence[Mark], t: Fraction, steps: int) -> str | None:
    """The dynamic a chair balanced ``steps`` from a staff plays a note at onset ``t`` at:
    the staff's (``level_in_force`` of its ``marks``) moved by ``shift_dynamic``, except
    that every change of the staff's level stays a change.  Where the bounds would make a
    softer level equal to the one before it, it goes a step past SOFTEST (a staff's mp
    then p, two steps down, is pp then ppp, not pp then pp again: under a diminuendo that
    printed "pp > pp"); a louder one likewise past LOUDEST.  Attacks (sfz) as they are."""
    value = level_in_force(marks, t)
    if value not in LEVELS or not steps:
        return value
    staff = moved = None
    for mark in sorted((m for m in marks if m.kind == "dynamic" and m.onset <= t),
                       key=lambda m: m.onset):
        level = ATTACK_LEAVES.get(mark.value) if mark.value in ATTACKS else mark.value
        if level not in LEVELS:
            continue  # an attack that leaves the level as it was
        shifted = shift_dynamic(level, steps)
        if staff is not None and moved is not None:
            change, now, before = (LEVELS.index(level) - LEVELS.index(staff),
                                   LEVELS.index(shifted), LEVELS.index(moved))
            if change == 0:
                shifted = moved
            elif change < 0 and now >= before:
                shifted = LEVELS[max(0, before - 1)]
            elif change > 0 and now <= before:
                shifted = LEVELS[min(len(LEVELS) - 1, before + 1)]
        staff, moved = level, shifted
    return moved


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


MUTE_ON, MUTE_OFF = "con sord.", "senza sord."


def timed_mutes(notes: Sequence[Note], marks: Sequence[Mark], needed: float,
                seconds: Callable[[Fraction, Fraction], Fraction]
                ) -> tuple[list[Mark], list[tuple[Fraction, str]]]:
    """The mute marks of a brass chair put where it has time to make them: a mute goes in
    or comes out only after a rest of at least ``needed`` seconds (``seconds(a, b)``: the
    time between two onsets, in quarters).  "con sord." without that rest before it moves
    back to the latest note that has it (the chair's first note at the latest); "senza
    sord." moves on to the first later note that has it, or is left out (the mute stays
    on to the end); a muted stretch that would then meet the next one joins it.  Returns
    the marks and what was moved, as (onset, text) for the orchestrator's decisions."""
    ordered = sorted(notes, key=lambda n: n.onset)
    onsets = sorted({n.onset for n in ordered})

    def rest_before(t: Fraction) -> float:
        before = [n.end for n in ordered if n.onset < t]
        if not before:
            return float("inf")
        last = max(before)
        return float(seconds(last, t)) if t > last else 0.0

    mutes = sorted((m for m in marks if m.kind == "technique" and m.value in (MUTE_ON,
                                                                               MUTE_OFF)),
                   key=lambda m: m.onset)
    others = [m for m in marks if m not in mutes]
    windows: list[list[Fraction | None]] = []  # [on, off or None]
    for mark in mutes:
        if mark.value == MUTE_ON and (not windows or windows[-1][1] is not None):
            windows.append([mark.onset, None])
        elif mark.value == MUTE_OFF and windows and windows[-1][1] is None:
            windows[-1][1] = mark.onset
    moved: list[tuple[Fraction, str]] = []
    need = f"about {needed:g} s"
    fixed: list[list[Fraction | None]] = []
    for on, off in windows:
        assert on is not None
        if rest_before(on) < needed:
            earlier = [t for t in onsets if t < on and rest_before(t) >= needed]
            on = earlier[-1] if earlier else onsets[0]
            moved.append((on, f"con sord. here, before the muted passage: the rest before "
                              f"it is too short ({need}) to put the mute in"))
        if fixed and fixed[-1][1] is not None and on <= fixed[-1][1]:
            fixed[-1][1] = off  # the two muted stretches join
        else:
            fixed.append([on, off])
    index = 0
    while index < len(fixed):
        on, off = fixed[index]
        following = fixed[index + 1][0] if index + 1 < len(fixed) else None
        if off is not None and rest_before(off) < needed:
            later = [t for t in onsets if t > off and (following is None or t < following)
                     and rest_before(t) >= needed]
            if later:
                moved.append((later[0], f"senza sord. only here, after the muted passage: "
                                        f"no rest long enough ({need}) to take the mute out "
                                        f"sooner"))
                fixed[index][1] = later[0]
            elif following is None:
                moved.append((off, f"keeps the mute on to the end of the cue: no rest long "
                                   f"enough ({need}) to take it out"))
                fixed[index][1] = None
            else:  # no time to take it out before it goes in again: it stays in
                moved.append((off, f"keeps the mute on into the next muted passage: no rest "
                                   f"long enough ({need}) between them"))
                fixed[index][1] = fixed[index + 1][1]
                del fixed[index + 1]
                continue
        index += 1
    out: list[Mark] = list(others)
    for on, off in fixed:
        out.append(Mark(on, "technique", MUTE_ON))
        if off is not None:
            out.append(Mark(off, "technique", MUTE_OFF))
    return sorted(out), moved
