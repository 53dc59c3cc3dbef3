"""Orchestrate a short score for an ensemble: the plan, the notes, ranges, marks, decisions.

``orchestrate(short, ensemble, brief=...)`` is pure.  Each staff of the short score is
named for what it holds ("melody", "pad", "bass", "percussion"; or a section, "Brass";
or an instrument, "Oboes").  The staves are first put on the grid the cue's tempo map was
solved on (``quantize``); a staff without dynamics gets them from its velocities.  The
plan (``arrange``) gives every chair its job from the cue's notes and the orchestration
books (``book``); ``render`` makes the notes; then every note is fitted to its chair's
practical range, a wind player gets one note at a time, and every mark of a staff is
carried, balanced, to each chair that plays it (``expression``).  Every choice a human
orchestrator should check is a ``Decision``: the jobs, the octaves, the balance, each
quantized note, every unison doubling, the sections that rest and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from filmscore.errors import InputError
from filmscore.orchestration.arrange import plan
from filmscore.orchestration.book import ROLES
from filmscore.orchestration.brief import CueBrief, Reading, read_brief
from filmscore.orchestration.chairmarks import seconds_between
from filmscore.orchestration.ensembles import (
    CueInstrumentation,
    Ensemble,
    get_template,
)
from filmscore.orchestration.expression import (
    balanced_velocity,
    marks_from_velocities,
)
from filmscore.orchestration.groups import (
    GROUPS,
    KINDS,
    group_chairs,
    group_rank,
    resolve_doublings,
    staff_group,
)
from filmscore.orchestration.instruments import get_instrument
from filmscore.orchestration.layers import Layer, Plan
from filmscore.orchestration.parts import (
    Event,
    chair_part,
    fitted,
    pitch_name,
    tacet_events,
    unison_events,
)
from filmscore.orchestration.quantize import SUBDIVISION_NAMES, quantize
from filmscore.orchestration.render import HIT_KEYS, Context, render
from filmscore.orchestration.voicing import bottom_line, by_onset, harmony_at
from filmscore.writing.music import Music, Note, Part

DEFAULT_SUBDIVISION = 2
"""Steps per beat when the tempo map does not say what it was solved on (eighths)."""


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One choice a human orchestrator should check, at a bar and beat (1-based)."""

    kind: str
    bar: int
    beat: Fraction
    chair: str
    staff: str
    message: str
    onset: Fraction = Fraction(0)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "bar": self.bar, "beat": str(self.beat),
                "chair": self.chair, "staff": self.staff, "message": self.message,
                "onset": str(self.onset)}


@dataclass(frozen=True)
class Orchestration:
    """The full score, every decision made on the way, and the cue's instrumentation."""

    full: Music
    decisions: tuple[Decision, ...]
    instrumentation: CueInstrumentation

    def report(self) -> list[str]:
        """The decisions as lines a human orchestrator reads."""
        return [f"[{d.kind}] {d.message}" for d in self.decisions]


class _Clock:
    """Bar and beat of an onset, from the tempo map's meters (else the music's meter)."""

    def __init__(self, music: Music) -> None:
        # (start, end, bar length, beat length) per run of one meter; the last is open
        self.runs: list[tuple[Fraction, Fraction | None, Fraction, Fraction]] = []
        meter = music.meter
        at = Fraction(0)
        if music.tempo_map is not None:
            meter = music.tempo_map.segments[0].meter
            for seg in music.tempo_map.segments:
                length = seg.meter.numerator * seg.meter.beat_quarters
                self.runs.append((at, at + seg.bars * length, length,
                                  seg.meter.beat_quarters))
                at += seg.bars * length
                meter = seg.meter
        self.runs.append((at, None, meter.numerator * meter.beat_quarters, meter.beat_quarters))
        self.first = self.runs[0]

    def at(self, onset: Fraction) -> tuple[int, Fraction]:
        if onset < 0:  # a pickup: bar 0, counted back from bar 1 in the first meter
            _, _, length, beat = self.first
            return 0, 1 + (length + onset) / beat
        bar = 1
        for start, end, length, beat in self.runs:
            if end is None or onset < end:
                n = (onset - start) // length
                return bar + int(n), 1 + (onset - start - n * length) / beat
            bar += int((end - start) / length)
        raise AssertionError("unreachable: the last run is open")


def _beat_text(beat: Fraction) -> str:
    if beat.denominator == 1:
        return str(beat.numerator)
    whole = beat.numerator // beat.denominator
    return f"{whole}+{beat - whole}"


# --- preparing the staves ------------------------------------------------------------------


def _key(music: Music, staves: Sequence[Part]) -> tuple[int, str]:
    from filmscore.writing.transform import parse_key

    try:
        tonic, mode = parse_key(music.key) if music.key else (None, "major")
    except InputError:
        tonic, mode = None, "major"
    if tonic is None:
        lows = [bottom_line(p.notes)[-1].pitch for p in staves if p.notes and not p.is_drum]
        tonic = lows[-1] % 12 if lows else 0
    return tonic, "minor" if "minor" in mode else "major"


def solved_subdivision(music: Music) -> int:
    """Steps per beat the cue's tempo map was solved on (the map says; else eighths)."""
    value = getattr(music.tempo_map, "subdivision", None)
    return int(value) if isinstance(value, int) and value >= 1 else DEFAULT_SUBDIVISION


def _split_counter(name: str, part: Part) -> list[Part]:
    """A countermelody staff that begins in chords: the chords before its line starts to a
    harmony staff of their own (a chord still sounding there stops where the line starts:
    the chairs that play both never hold the one under the other), the rest (the line,
    and its hits) kept as the countermelody."""
    groups = by_onset(part.notes)
    first_line = next((t for t, g in groups.items() if len(g) == 1), None)
    chords = [replace(n, duration=min(n.end, first_line) - n.onset)
              if first_line is not None else n
              for t, g in groups.items() if first_line is None or t < first_line for n in g]
    if not chords or first_line is None:
        return [part]
    line = [n for t, g in groups.items() if t >= first_line for n in g]
    return [replace(part, notes=tuple(line)),
            replace(part, name=f"{name} (chords)", notes=tuple(chords))]


def _hits(staves: Mapping[str, Part], reading: Reading, groups: Mapping[str, str],
          beat: Fraction) -> list[tuple[Fraction, int]]:
    found: dict[Fraction, int] = {}
    for name, part in staves.items():
        if groups.get(name) == "percussion" or part.is_drum:
            for note in part.notes:
                if note.pitch in HIT_KEYS:
                    found[note.onset] = max(found.get(note.onset, 0), note.velocity)
    for point in reading.points:
        if point.kind == "hard":
            at = Fraction(round(point.onset * 2)) / 2
            if all(abs(at - t) >= beat / 2 for t in found):
                found[at] = 110
    return sorted(found.items())


# --- the whole job -----------------------------------------------------------------------


def orchestrate(short: Music, ensemble: Ensemble | str, *,
                staff_groups: Mapping[str, str] | None = None,
                doublings: Mapping[str, Sequence[tuple[str, int]]] | None = None,
                brief: CueBrief | None = None, subdivision: int | None = None,
                ) -> Orchestration:
    """The full score of the short score ``short`` for ``ensemble`` (see module docstring).

    ``staff_groups`` maps staff names to groups (GROUPS) where the name says nothing;
    ``doublings`` maps a staff name or group to (chair label, instrument or key:N;
    semitones 0/±12/±24) doublings of its top line: None takes the book's doublings, {}
    none, a mapping replaces them.  ``brief`` is the cue's instrumentation text, notes and
    sync points: what it names plays, what it leaves out rests.  ``subdivision`` is the
    steps per beat the tempo map was solved on (default: what the map says, else 2).
    """
    ens = get_template(ensemble) if isinstance(ensemble, str) else ensemble
    if not short.parts:
        raise InputError("the short score has no staves", field="staves",
                         valid="at least one staff with notes")
    groups: dict[str, str] = {}
    ranked = sorted(short.parts, key=lambda part: group_rank(
        staff_group(part.name, staff_groups)) if part.notes else -2)
    for part in ranked:
        if not part.notes:
            raise InputError(f"staff {part.name} is empty", field="staff", value=part.name,
                             valid="a staff with at least one note")
        group = staff_group(part.name, staff_groups)
        if not group_chairs(ens, group):
            has = [g for g in GROUPS if group_chairs(ens, g)]
            raise InputError(f"staff {part.name}: ensemble {ens.name} has no chairs for group "
                             f"{group}", field="staff", value=part.name,
                             valid="staves of the groups " + ", ".join(has))
        groups[part.name] = group
    clock = _Clock(short)
    _, _, bar, beat = clock.first
    events: list[Event] = []
    sub = subdivision or solved_subdivision(short)
    staves: dict[str, Part] = {}
    for part in short.parts:
        fixed, moves = quantize(part, subdivision=sub, beat=beat)
        for move in moves:
            events.append(Event("quantize", move.onset, "", part.name, "",
                                 f"{pitch_name(move.pitch) if not part.is_drum else 'a stroke'}"
                                 f" of {part.name} {move.text}: the map was solved on "
                                 f"{SUBDIVISION_NAMES.get(sub, f'1/{sub} beats')}s"))
        if not part.is_drum and groups[part.name] != "percussion" and not any(
                m.kind == "dynamic" for m in fixed.marks):
            fixed, written = marks_from_velocities(fixed, lambda t: clock.at(t)[0])
            if written:
                events.append(Event("dynamics", written[0][0], "", part.name, "",
                                     f"{part.name} has no dynamics: read from its velocities,"
                                     f" {' '.join(d for _, d in written[:6])}"
                                     f"{' ...' if len(written) > 6 else ''}; hits accented"))
        for piece in (_split_counter(part.name, fixed)
                      if ROLES.get(groups[part.name]) == "countermelody" else [fixed]):
            staves[piece.name] = piece
            if piece.name not in groups:
                groups[piece.name] = "harmony"
    order = sorted(staves, key=lambda n: (group_rank(groups[n]), list(staves).index(n)))
    named = [(n, groups[n]) for n in order if groups[n] != "percussion"]
    explicit = resolve_doublings(ens, named, doublings) if doublings else []
    reading = read_brief(brief)
    step = beat / sub  # a sync point's place in the music, on the grid the notes are on
    reading = replace(reading, points=tuple(
        replace(pt, onset=Fraction(round(pt.onset / step)) * step) for pt in reading.points))
    extent = {n: (min(x.onset for x in staves[n].notes), max(x.end for x in staves[n].notes))
              for n in staves}
    p = plan(named, ens, reading, doublings, bar, explicit, extent)
    return _finish(short, ens, staves, groups, p, reading, clock, beat, bar, events)


def _context(short: Music, ens: Ensemble, staves: dict[str, Part], groups: dict[str, str],
             p: Plan, reading: Reading, beat: Fraction, bar: Fraction) -> Context:
    from filmscore.orchestration.voicing import rhythm_of

    for name, (_op, chords, rhythm) in p.derived.items():
        staves[name] = replace(staves[chords], name=name,
                               notes=tuple(rhythm_of(staves[chords].notes,
                                                     staves[rhythm].notes)))
    pitched = [n for n in staves if groups.get(n, "harmony") != "percussion"
               and not staves[n].is_drum]
    harmony = [n for n in pitched if ROLES.get(groups.get(n, "")) == "harmony"]
    low = [n for n in pitched if ROLES.get(groups.get(n, "")) == "low"]
    chord_notes = [note for n in harmony for note in staves[n].notes]
    bass = bottom_line(staves[low[0]].notes) if low else []
    named_drums = {}
    for ask in reading.asks:
        for key in ask.instruments:
            if get_instrument(key).is_unpitched:
                named_drums[key] = None
    return Context(staves, _key(short, list(staves.values())), beat, bar,
                   _hits(staves, reading, groups, beat), harmony_at(chord_notes, bass, beat), bass,
                   ens,
                   named_drums)


def _finish(short: Music, ens: Ensemble, staves: dict[str, Part], groups: dict[str, str],
            p: Plan, reading: Reading, clock: _Clock, beat: Fraction, bar: Fraction,
            events: list[Event]) -> Orchestration:
    ctx = _context(short, ens, staves, groups, p, reading, beat, bar)
    layers = list(p.layers)
    drum_chairs = [c for c in ens.chairs if c.info.is_unpitched
                   and p.plays.get(c.label, c.instrument) == c.instrument
                   and (reading.scale != "chamber" or c is next(
                       x for x in ens.chairs if x.info.is_unpitched))]
    for name in staves:
        if (groups.get(name) == "percussion" or staves[name].is_drum) and drum_chairs:
            spans = None
            if p.reduction is not None and not any(k in p.reduction[1] for k in (
                    "snare_drum", "bass_drum", "cymbals")):
                spans = ((Fraction(-10**6), p.reduction[0]),)
            layers.append(Layer("", drum_chairs[0].instrument, name, "drums", spans=spans,
                                kind="distribute", why="the sketch's percussion"))
    rendered = render(layers, ctx, drum_chairs)
    for kind, onset, chair, staff, text in p.events:
        events.append(Event(kind, onset, chair, staff, "", text))
    for kind, onset, chair, staff, text, detail, pitch in ctx.events:
        events.append(Event(kind, onset, chair, staff, detail, text, pitch))
    by_chair: dict[str, list[tuple[Layer, list[Note]]]] = defaultdict(list)
    for layer, chair, notes in rendered:
        if layer.how != "drums":
            notes = fitted(events, layer, chair, notes)
        by_chair[chair].append((layer, [balanced_velocity(n, layer.balance) for n in notes]))
    parts, uses = [], []
    jobs: dict[str, list[Layer]] = defaultdict(list)
    seconds = seconds_between(short.tempo_map)
    for chair in ens.chairs:
        items = by_chair.get(chair.label)
        if not items:
            continue
        part, use = chair_part(chair, items, staves, p, events, jobs, beat=beat,
                               seconds=seconds)
        if part is not None:
            parts.append(part)
            uses.append(use)
    full = Music(parts=tuple(parts), meter=short.meter, tempo_map=short.tempo_map,
                 title=short.title, key=short.key)
    unison_events(events, full, jobs)
    tacet_events(events, ens, {u.chair for u in uses}, reading, p)
    events = _chairs_together(events, ens, ("dynamics", "technique"))
    return Orchestration(full, _decisions(events, clock, ens),
                         CueInstrumentation(ens.name, tuple(uses)))


def _chairs_together(events: list[Event], ens: Ensemble, kinds: Sequence[str]
                     ) -> list[Event]:
    """Events of ``kinds`` that say the same of several chairs at one onset (the hit's stab
    written sfp in every chair that holds the chord) as one, naming the chairs."""
    index = {c.label: i for i, c in enumerate(ens.chairs)}
    together: dict[tuple[str, Fraction, str, str], list[Event]] = defaultdict(list)
    out: list[Event] = []
    for event in events:
        if event.kind in kinds and event.chair:
            together[(event.kind, event.onset, event.staff, event.text)].append(event)
        else:
            out.append(event)
    for (kind, onset, staff, text), same in together.items():
        if len(same) == 1:
            out.append(same[0])
            continue
        chairs = sorted({e.chair for e in same}, key=lambda c: index.get(c, len(index)))
        out.append(Event(kind, onset, "", staff, f"{kind}:{text}",
                         f"{', '.join(chairs)}: {text}"))
    return out


def _decisions(events: list[Event], clock: _Clock, ens: Ensemble) -> tuple[Decision, ...]:
    """Merge runs of like events (a kind, chair, staff and detail, bar after bar)."""
    runs: dict[tuple[str, str, str, str], list[list[Event]]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.onset):
        key = (event.kind, event.chair, event.staff, event.detail)
        mergeable = event.kind in ("octave", "professional_range", "reassign", "dropped",
                                   "shortened", "resting")
        chain = runs[key]
        if mergeable and chain and chain[-1][-1].text.split(";")[-1] == \
                event.text.split(";")[-1] and \
                clock.at(event.onset)[0] <= clock.at(chain[-1][-1].onset)[0] + 1:
            chain[-1].append(event)
        else:
            chain.append([event])
    out: list[Decision] = []
    for chains in runs.values():
        for chain in chains:
            first, last = chain[0], chain[-1]
            bar, beat = clock.at(first.onset)
            text = first.text
            if len(chain) > 1:
                lbar, lbeat = clock.at(last.onset)
                text += f" ({len(chain)} notes, to bar {lbar} beat {_beat_text(lbeat)})"
            who = f"{first.chair} " if first.chair else ""
            message = f"bar {bar} beat {_beat_text(beat)}: {who}{text}"
            out.append(Decision(first.kind, bar, beat, first.chair, first.staff, message,
                                first.onset))
    index = {c.label: i for i, c in enumerate(ens.chairs)}
    out.sort(key=lambda d: (d.onset, index.get(d.chair, len(index)), KINDS.index(d.kind),
                            d.message))
    return tuple(out)
