"""Short-score sketches of a cue: themes placed and adapted on the cue's tempo map.

``sketch_cue(cue, tempo_map, themes, plan=...)`` is pure.  It writes the cue in the meter
of its tempo map (solve the map in the meter the notes ask for:
``filmscore.writing.cuetime.meter_for``), on the grid the map was solved on (eighths
with ``subdivision`` 2): every hit, stab and accompaniment note starts on that grid, and
a theme's rhythm keeps its values down to half a grid step (sixteenths; what diminution
makes finer is evened out), so the score never needs a tuplet the music does not have.

It lays the plan's theme statements (``filmscore.writing.plans``: each a theme fitted to
the meter and run through transformation steps) end to end in a melody part, a new
section at each section point (the plan's ``at`` timecodes, else the cue's weight-2 hard
hits and downbeats).  A statement starts on a strong beat (a bar line, or the middle of
a 4/4 bar): when the section's hit falls between, the melody kicks on the hit (or pushes
the statement's first note onto it, up to a beat early).  The melody is harmonised span
by span (``harmony``), a pad (or a countermelody) and a bass play the plan's
accompaniment pattern for the meter (``accompaniment``), and every **hard** sync point
gets a strong event: a chord stab in the pad, the chord's root in the bass and a hit in
the percussion part, on the grid point nearest the hit.  Soft hits get a light cymbal.
The cue ends with a button (tonic chord, bass, melody and crash) at its ``end`` sync
point.  Last, ``expression`` gives every part its dynamics (from the mood, quieter under
dialogue, crescendo into the big hits, diminuendo into a soft button), articulations,
slurs and techniques, and velocities that agree with them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.spotting.cues import CueSpec
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.accompaniment import ACCOMPANIMENTS, bass_part, pad_part
from filmscore.writing.cuetime import (
    bar_quarters,
    bar_starts,
    frame_quarters,
    grid_of,
    hit_quarters,
    quarters_of,
    strong_points,
)
from filmscore.writing.demo_plans import DEMO_PLANS
from filmscore.writing.expression import Phrasing, express, plan_dynamics
from filmscore.writing.harmony import (
    Key,
    bass_pitch,
    fit_octaves,
    harmonise,
    harmony_spans,
    span_at,
    tonic_triad,
    voice,
)
from filmscore.writing.mood import dialogue_spans, mood_phases
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.palette import HIT_SOUNDS, PERCUSSION_WORDS, choose_instruments
from filmscore.writing.plans import (
    CuePlan,
    ThemeLine,
    ThemeUse,
    apply_steps,
    load_demo_themes,
    read_theme_file,
    use,
)

__all__ = [
    "DEMO_PLANS", "CuePlan", "ThemeUse", "apply_steps", "choose_instruments",
    "frame_quarters", "hit_quarters", "load_demo_themes", "quarters_of", "read_theme_file",
    "sketch_cue", "use",
]

_KEY_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass
class _Layout:
    notes: list[Note] = field(default_factory=list)
    keys: list[tuple[Fraction, Key]] = field(default_factory=list)
    starts: list[Fraction] = field(default_factory=list)  # statements and section kicks


@dataclass(frozen=True)
class _Section:
    at: Fraction  # the section point (a hit, on the grid)
    uses: tuple[ThemeUse, ...]
    planned: bool  # named by an ``at`` of the plan


def _sections(plan_uses: Sequence[ThemeUse], cue: CueSpec, tmap: TempoMap, start: Fraction,
              button: Fraction, grid: Fraction, *, lead_in: bool = True) -> list[_Section]:
    """Where the statements' sections start.  With ``lead_in`` the plan's first uses
    also play from the cue's start when its first ``at`` comes later (a melody); without,
    nothing plays before it (a countermelody)."""
    from filmscore.timecode import parse_label

    if any(u.at for u in plan_uses):
        groups: list[tuple[Fraction, list[ThemeUse], bool]] = []
        for u in plan_uses:
            if u.at:
                frame = parse_label(u.at, tmap.rate, field="at")
                if not cue.start_frame <= frame < cue.end_frame:
                    raise InputError("a plan's 'at' lies outside its cue", field="at",
                                     value=u.at, valid=f"inside cue {cue.number}")
                groups.append((max(start, hit_quarters(tmap, frame, grid)), [u], True))
            elif groups:
                groups[-1][1].append(u)
            else:
                groups.append((start, [u], False))
        if lead_in and groups[0][0] > start:
            groups.insert(0, (start, list(groups[0][1]), False))
        return [_Section(q, tuple(uses), planned)
                for q, uses, planned in sorted(groups, key=lambda g: g[0])]
    bar = bar_quarters(tmap.segments[0].meter)
    points = [start]
    for s in sorted(cue.sync_points, key=lambda s: s.frame):
        if s.kind in ("hard", "downbeat") and s.weight >= 2:
            q = hit_quarters(tmap, s.frame, grid)
            if q >= points[-1] + bar and q <= button - bar:
                points.append(q)
    cycle = list(plan_uses)
    return [_Section(p, tuple(cycle[i % len(cycle):] + cycle[:i % len(cycle)]), False)
            for i, p in enumerate(points)]


def _lay(sections: Sequence[_Section], themes: Mapping[str, Music], *, start: Fraction,
         button: Fraction, strong: Sequence[Fraction], meter: Meter) -> _Layout:
    """Each section's statements end to end from its first strong beat, with a kick on
    the section's own point when that comes earlier."""
    layout = _Layout()
    cache: dict[ThemeUse, ThemeLine] = {}

    def line_of(u: ThemeUse) -> ThemeLine:
        if u not in cache:
            if u.theme not in themes:
                raise InputError("the plan names a theme that is not given", field="theme",
                                 value=u.theme,
                                 valid=", ".join(sorted(themes)) or "no themes given")
            cache[u] = apply_steps(u.theme, themes[u.theme], u.steps, meter)
        return cache[u]

    bounds = [s.at for s in sections] + [button]
    for index, section in enumerate(sections):
        p, end = section.at, bounds[index + 1]
        if p >= end:
            continue
        s = next((q for q in strong if q >= p), end)
        placed: list[Note] = []
        layout.keys.append((p, line_of(section.uses[0]).key_at(Fraction(0))))
        layout.starts.append(p)
        t, k = s, 0
        while t < end:
            line = line_of(section.uses[k % len(section.uses)])
            layout.starts.append(t)
            layout.keys.append((t, line.key_at(Fraction(0))))
            layout.keys += [(t + kt, (kk, km)) for kt, kk, km in line.keys if kt > 0]
            placed += [replace(n, onset=t + n.onset) for n in line.notes
                       if max(p, start) <= t + n.onset < end]
            t += line.span
            k += 1
        first = min(placed, key=lambda n: (n.onset, -n.pitch), default=None)
        if first is None:  # the section ends before its statement starts: a kick
            pitch = line_of(section.uses[0]).notes[0].pitch
            placed.append(Note(p, min(end - p, meter.beat_quarters), pitch))
        elif first.onset > p:
            gap = first.onset - p
            if first.onset == s and gap <= meter.beat_quarters:  # pushed an offbeat early
                placed[placed.index(first)] = replace(first, onset=p,
                                                      duration=first.duration + gap)
            else:  # a kick on the hit, the statement on the beat
                placed.append(Note(p, min(gap, meter.beat_quarters / 2), first.pitch))
        layout.notes += placed
    return layout


def _monophonic(notes: list[Note], until: Fraction) -> list[Note]:
    notes = sorted(notes, key=lambda n: (n.onset, -n.pitch))
    out: list[Note] = []
    for i, n in enumerate(notes):
        nxt = notes[i + 1].onset if i + 1 < len(notes) else until
        if nxt == n.onset:
            continue  # two notes at once: keep the lower-sorted (higher) one
        end = min(n.end, nxt, until)
        if end > n.onset:
            out.append(replace(n, duration=end - n.onset))
    return out


def _evened(notes: list[Note], finest: Fraction) -> list[Note]:
    """A theme's rhythm no finer than ``finest``: what diminution made finer (a dotted
    sixteenth and thirty-second) is evened out onto it, halves going to the earlier
    point, as a player would play it at speed."""
    def snap(t: Fraction) -> Fraction:
        return math.ceil(t / finest - Fraction(1, 2)) * finest

    out = []
    for n in notes:
        onset, end = snap(n.onset), snap(n.end)
        out.append(replace(n, onset=onset, duration=max(end - onset, finest)))
    return out


def _cut_at(notes: list[Note], points: Sequence[Fraction]) -> list[Note]:
    """Shorten notes sounding across any of ``points`` so they stop there."""
    out = []
    for n in notes:
        end = n.end
        for p in points:
            if n.onset < p < end:
                end = p
        out.append(replace(n, duration=end - n.onset))
    return out


def _split_at(notes: list[Note], points: Sequence[Fraction], gap: Fraction) -> list[Note]:
    """Notes make way for the stabs (``gap`` long) at ``points``: a note sounding across a
    point stops there, and a sustained one (longer than two stabs) takes up again after
    the stab, so a held chord or a pedal goes on after the hit."""
    out = []
    for n in notes:
        pieces = [n]
        for p in sorted(points):
            if not pieces:
                break
            last = pieces.pop()
            if last.onset < p < last.end:
                pieces.append(replace(last, duration=p - last.onset))
            elif last.onset != p:
                pieces.append(last)
                continue
            if last.duration > 2 * gap and p + gap < last.end:
                pieces.append(replace(last, onset=p + gap, duration=last.end - p - gap))
        out += pieces
    return out


def _no_overlaps(notes: list[Note]) -> list[Note]:
    by_pitch: dict[int, list[Note]] = {}
    for n in sorted(notes):
        by_pitch.setdefault(n.pitch, []).append(n)
    out = []
    for same in by_pitch.values():
        for i, n in enumerate(same):
            if i + 1 < len(same) and same[i + 1].onset == n.onset:
                continue
            end = min(n.end, same[i + 1].onset) if i + 1 < len(same) else n.end
            out.append(replace(n, duration=end - n.onset))
    return [n for n in out if n.duration > 0]


def _button(tmap: TempoMap, cue: CueSpec, start: Fraction, grid: Fraction
            ) -> tuple[Fraction, Fraction, float]:
    """The button's onset and length (on the grid, at most a beat; at least one grid
    step, even when the cue's out comes sooner: a release may ring past the cut) and the
    weight of its end sync point."""
    cue_end = frame_quarters(tmap, cue.end_frame)
    ends = [s for s in cue.sync_points if s.kind == "end"]
    button = hit_quarters(tmap, ends[-1].frame, grid) if ends else \
        math.floor(cue_end / grid) * grid - grid
    while button >= cue_end and button - grid >= start:
        button -= grid
    button = max(button, start)
    beat = tmap.segments[0].meter.beat_quarters
    length = max(grid, min(beat, math.floor((cue_end - button) / grid) * grid))
    return button, length, ends[-1].weight if ends else 1.0


def sketch_cue(cue: CueSpec, tempo_map: TempoMap, themes: Mapping[str, Music], *,
               plan: CuePlan, dialogue: Sequence[tuple[int, int | None, str]] = (),
               subdivision: int = 2) -> Music:
    """A short-score sketch of ``cue`` on ``tempo_map`` (see the module docstring).

    ``dialogue``: the picture's dialogue markers as (frame, end frame or None, text);
    ``subdivision``: the one the tempo map was solved with (hits land on its grid).
    """
    if not plan.melody:
        raise InputError("the plan has no melody", field="plan",
                         valid="at least one ThemeUse in melody")
    if plan.accompaniment not in ACCOMPANIMENTS:
        raise InputError("unknown accompaniment", field="accompaniment",
                         value=plan.accompaniment, valid=", ".join(ACCOMPANIMENTS))
    style = ACCOMPANIMENTS[plan.accompaniment]
    insts = choose_instruments(cue.instrumentation)
    meter = tempo_map.segments[0].meter
    grid = grid_of(tempo_map, subdivision)

    start = math.ceil(frame_quarters(tempo_map, cue.start_frame) / grid) * grid
    button, button_len, button_weight = _button(tempo_map, cue, start, grid)
    finish = button + button_len
    every_bar = bar_starts(tempo_map, finish)
    bars = [(q, m) for q, m in every_bar if q < button] or every_bar[:1]

    hit_of = {hit_quarters(tempo_map, s.frame, grid): s for s in cue.sync_points
              if s.kind == "hard"}
    hits = [(q, s) for q, s in sorted(hit_of.items()) if start <= q < button]
    softs = sorted({hit_quarters(tempo_map, s.frame, grid) for s in cue.sync_points
                    if s.kind == "soft"} - set(hit_of))
    softs = [q for q in softs if start <= q < button]
    hit_points = [q for q, _ in hits]

    # melody
    strong = strong_points(every_bar)
    sections = _sections(plan.melody, cue, tempo_map, start, button, grid)
    melody = _lay(sections, themes, start=start, button=button, strong=strong, meter=meter)
    first_key = melody.keys[0][1] if melody.keys else (0, "major")
    finest = grid / 2  # a theme's rhythm may divide the grid once (sixteenths in eighths)
    mel_notes = fit_octaves(_monophonic(_evened(melody.notes, finest), button),
                            insts["melody"])

    spans = harmonise(mel_notes, harmony_spans(bars, start, button), melody.keys, first_key)

    # pad (or countermelody) and bass
    pad_inst, bass_inst = insts["pad"], insts["bass"]
    counter_from, counter_starts = button, []
    counter_notes: list[Note] = []
    if plan.counter:
        c_sections = _sections(plan.counter, cue, tempo_map, start, button, grid,
                               lead_in=False)
        counter_from = c_sections[0].at
        counter = _lay(c_sections, themes, start=start, button=button, strong=strong,
                       meter=meter)
        counter_starts = counter.starts
        counter_notes = fit_octaves(_monophonic(_evened(counter.notes, finest), button),
                                    pad_inst)
    chords = pad_part(style, spans, bars, pad_inst, until=counter_from)
    bass_notes = bass_part(style, spans, bars, bass_inst)

    # hits: stab in the pad, root in the bass, percussion (held chords go on after)
    kit = HIT_SOUNDS["orchestra" if "orchestra" in cue.instrumentation.lower() else "light"]
    drums: list[Note] = []
    pad_notes = _cut_at(_split_at(_cut_at(chords, [counter_from]), hit_points, grid)
                        + counter_notes, hit_points + [button])
    bass_notes = _cut_at(_split_at(bass_notes, hit_points, grid), [button])
    mel_notes = _cut_at(mel_notes, [button])
    for q, sync in hits:
        span = span_at(spans, q, first_key)
        stab = min(grid, button - q)
        pad_notes += [Note(q, stab, p) for p in voice(span.chord[1], pad_inst)]
        bass_notes.append(Note(q, stab, bass_pitch(span.chord[0], bass_inst)))
        drums += [Note(q, min(grid, Fraction(1, 2)), d)
                  for d in kit["big" if sync.weight >= 2 else "hit"]]
    drums += [Note(q, min(grid, Fraction(1, 2)), d) for q in softs for d in kit["soft"]]

    # the button: tonic chord of the last key
    key = span_at(spans, button - grid if button > start else start, first_key).key
    last_pitch = mel_notes[-1].pitch if mel_notes else 72
    tonic_mel = min((p for p in range(last_pitch - 6, last_pitch + 7) if p % 12 == key[0]),
                    key=lambda p: abs(p - last_pitch))
    mel_notes.append(Note(button, button_len, max(0, min(127, tonic_mel))))
    pad_notes += [Note(button, button_len, p) for p in voice(tonic_triad(key), pad_inst)]
    bass_notes.append(Note(button, button_len, bass_pitch(key[0], bass_inst)))
    drums += [Note(button, min(Fraction(1, 2), button_len), d) for d in kit["button"]]

    # expression
    phases = mood_phases(cue.mood, plan.dynamic)
    rate = tempo_map.rate
    spoken = [(frame_quarters(tempo_map, a), frame_quarters(tempo_map, b))
              for a, b in dialogue_spans(cue.sync_points, dialogue, rate.fps)
              if b > cue.start_frame and a < cue.end_frame]
    shape = {"phases": phases, "phase_starts": [s.at for s in sections if s.planned],
             "start": start, "button": button, "button_weight": button_weight,
             "hits": [(q, s.weight) for q, s in hits], "bars": bars, "grid": grid}
    dynamics = plan_dynamics(dialogue=spoken, **shape)
    sung = insts["melody"].name == "voice"  # the melody is the dialogue: not under it
    melody_dynamics = plan_dynamics(dialogue=(), **shape) if sung else dynamics

    def first_at(notes: list[Note], technique: str) -> list[tuple[Fraction, str]]:
        return [(min(n.onset for n in notes), technique)] if notes and technique else []

    pad_techniques = first_at(chords, pad_inst.technique)
    if plan.counter and chords and pad_inst.articulation == "tremolo":
        pad_techniques.append((counter_from, "ord."))  # the countermelody is not tremolo
    named = ", ".join(w for w in PERCUSSION_WORDS if w in cue.instrumentation.lower())
    melody_part = Part("melody", tuple(_monophonic(mel_notes, finish)),
                       insts["melody"].program, instrument=insts["melody"].name)
    pad_part_ = Part("countermelody" if plan.counter else "pad",
                     tuple(_no_overlaps(pad_notes)), pad_inst.program,
                     instrument=pad_inst.name)
    bass = Part("bass", tuple(_no_overlaps(bass_notes)), bass_inst.program,
                instrument=bass_inst.name)
    percussion = Part("percussion", tuple(_no_overlaps(drums)), 0, is_drum=True,
                      instrument=f"percussion ({named})" if named else "percussion")
    bar_lines = [q for q, _ in every_bar]
    parts = (
        express(melody_part, melody_dynamics,
                phrasing=Phrasing.for_meter(meter, bar_lines, melody.starts + hit_points),
                techniques=first_at(mel_notes, insts["melody"].technique)),
        express(pad_part_, dynamics, techniques=pad_techniques,
                phrasing=Phrasing.for_meter(meter, bar_lines, counter_starts + hit_points,
                                            counter_from) if plan.counter else None),
        express(bass, dynamics, techniques=first_at(bass_notes, bass_inst.technique)),
        express(percussion, dynamics),
    )
    return Music(parts=parts, meter=meter, tempo_map=tempo_map,
                 title=f"{cue.number} {cue.title} (sketch)".strip(),
                 key=f"{_KEY_NAMES[first_key[0]]} {first_key[1]}")

