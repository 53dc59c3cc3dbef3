"""The full score's parts from the rendered layers: each chair's notes fitted to its range,
one note at a time for a wind player, its jobs combined (a job in spans beats a whole-cue
job there), the marks of every staff it plays carried and balanced; and the decisions
that come of it (the jobs, the balance, every unison, the sections that rest)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.orchestration.book import FAMILY
from filmscore.orchestration.brief import Reading, in_spans
from filmscore.orchestration.chairmarks import (
    HAIRPINS,
    Carried,
    Seconds,
    chair_marks,
    without_tremolo,
)
from filmscore.orchestration.check import MAX_NOTES_PER_PLAYER
from filmscore.orchestration.ensembles import Chair, ChairUse, Ensemble
from filmscore.orchestration.expression import (
    carry_marks,
    phrase_slurs,
    shift_dynamic,
    technique_marks,
)
from filmscore.orchestration.instruments import Instrument, get_instrument
from filmscore.orchestration.layers import Layer, Plan
from filmscore.orchestration.unisons import unisons
from filmscore.orchestration.voicing import by_onset
from filmscore.writing.music import Music, Note, Part

_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def pitch_name(midi: int) -> str:
    """C4 = 60, sharps and flats as usually spelled (F#, Bb)."""
    return f"{_NAMES[midi % 12]}{midi // 12 - 1}"


@dataclass
class Event:
    kind: str
    onset: Fraction
    chair: str
    staff: str
    detail: str  # run key: events of one kind/chair/staff/detail merge into one decision
    text: str  # message after "bar B beat N: "
    pitch: int | None = None


def _range_text(inst: Instrument) -> str:
    return f"{pitch_name(inst.practical_low)}-{pitch_name(inst.practical_high)}"


def _fit(inst: Instrument, pitch: int) -> tuple[int | None, str]:
    """(pitch in the practical range, how): kept "", "octave", "professional_range"; or
    (None, why) when an octave's move does not fit."""
    low, high = inst.practical_low, inst.practical_high
    if low <= pitch <= high:
        return pitch, ""
    pro = inst.professional_low <= pitch <= inst.professional_high
    moved = pitch - 12 if pitch > high else pitch + 12
    if low <= moved <= high:
        return moved, "professional_range" if pro else "octave"
    return None, "professional_range" if pro else "out"


def fitted(events: list[Event], layer: Layer, chair: str, notes: list[Note]) -> list[Note]:
    """The notes moved into the chair's practical range by an octave, or dropped."""
    inst = get_instrument(layer.instrument)
    out = []
    for note in notes:
        pitch, how = _fit(inst, note.pitch)
        where = "above" if note.pitch > inst.practical_high else "below"
        if pitch is None:
            events.append(Event("dropped", note.onset, chair, layer.staff, "",
                                 f"{pitch_name(note.pitch)} {where} its range "
                                 f"{_range_text(inst)}, even an octave away; dropped",
                                 note.pitch))
            continue
        if how:
            way = "down" if pitch < note.pitch else "up"
            extra = (" (playable only by a professional there)"
                     if how == "professional_range" else "")
            events.append(Event(how, note.onset, chair, layer.staff, way,
                                 f"{pitch_name(note.pitch)} {where} its practical range "
                                 f"{_range_text(inst)}{extra}; moved {way} an octave",
                                 note.pitch))
        out.append(replace(note, pitch=pitch))
    return out


def one_line(events: list[Event], chair: str, notes: list[Note]) -> list[Note]:
    """One player plays one note at a time: a note still sounding when the chair's next
    note starts is shortened to it (a *shortened* decision); of two notes starting
    together the top one is kept (*dropped* for the other)."""
    kept: list[Note] = []
    for note in sorted(notes, key=lambda n: (n.onset, -n.pitch)):
        if kept and note.onset == kept[-1].onset:
            events.append(Event("dropped", note.onset, chair, "", "",
                                 f"{pitch_name(note.pitch)} under {pitch_name(kept[-1].pitch)}"
                                 f": one player, one note"))
            continue
        if kept and note.onset < kept[-1].end:
            prev = kept[-1]
            kept[-1] = replace(prev, duration=note.onset - prev.onset)
            events.append(Event("shortened", note.onset, chair, "", "",
                                 f"{pitch_name(prev.pitch)} cut short where the next note "
                                 f"starts (one player, one note)"))
        kept.append(note)
    return kept


def _windows(notes: list[Note]) -> tuple[tuple[Fraction, Fraction], ...]:
    """The stretches of time a figure's notes fill (notes that touch make one)."""
    out: list[tuple[Fraction, Fraction]] = []
    for note in sorted(notes, key=lambda n: n.onset):
        if out and note.onset <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], note.end))
        else:
            out.append((note.onset, note.end))
    return tuple(out)


def _subtract(spans, holes):
    """The parts of ``spans`` (None: everything) outside ``holes``."""
    out = [(Fraction(-10**6), None)] if spans is None else list(spans)
    for a2, b2 in holes:
        cut = []
        for a, b in out:
            if b2 is not None and (b is None or b > b2) and b2 > a:
                cut.append((max(a, b2), b))
            if a < a2 and (b is None or b > a):
                cut.append((a, a2 if b is None or b > a2 else b))
            if (b is not None and b <= a2) or (b2 is not None and a >= b2):
                cut.append((a, b))
        out = sorted(set(cut), key=lambda s: s[0])
    return out


def _steps_of(balance: int, reduction: tuple[Fraction, int] | None
              ) -> int | Callable[[Fraction], int]:
    """A layer's dynamic steps at an onset: its balance, and a reduction's from its
    onset."""
    if reduction is None:
        return balance
    at, more = reduction
    return lambda t: balance + (more if t >= at else 0)


def chair_part(chair: Chair, items: list[tuple[Layer, list[Note]]], staves: dict[str, Part],
                p: Plan, events: list[Event], jobs: dict[str, list[Layer]], *,
                beat: Fraction = Fraction(1), seconds: Seconds | None = None
                ) -> tuple[Part | None, ChairUse | None]:
    drum = items[0][0].how == "drums"
    inst = get_instrument(chair.instrument if drum else
                          p.plays.get(chair.label, items[0][0].instrument))
    items.sort(key=lambda it: -it[0].priority)
    taken: list = []
    kept: list[tuple[Layer, list[Note], list]] = []
    melody = {lay.staff for lay in p.layers if lay.kind == "lead"}
    for layer, notes in items:
        higher = [s for lay, _, s in kept if lay.priority > layer.priority for s in s]
        if p.tune and layer.priority < 2 and layer.staff in melody and layer.how in (
                "line", "harmonize"):
            higher += p.tune  # a subject's colour has the tune there: this layer yields
            if any(in_spans(n.onset, tuple(p.tune)) for n in notes):
                events.append(Event("resting", p.tune[0][0], chair.label, layer.staff,
                                     "yield", "rests where a subject's own colour has the "
                                              "tune"))
        if layer.how in ("arpeggio", "runs"):  # a figure holds the chair only while it sounds
            layer = replace(layer, spans=_windows(notes))
        spans = _subtract(layer.spans, higher) if higher else layer.spans
        mine = [n for n in notes if in_spans(n.onset, spans)]
        if mine:
            kept.append((layer, mine, spans if spans is not None else
                         [(Fraction(-10**6), None)]))
        taken += spans or []
    notes = [n for _, mine, _ in kept for n in mine]
    notes, trembled = without_tremolo(notes, inst.section)
    if trembled:
        events.append(Event("technique", notes[0].onset, chair.label, kept[0][0].staff,
                             "no tremolo", "plays the staff's tremolo notes plain: on a "
                                           "wind or brass note the slashes would read as "
                                           "flutter-tongue"))
    notes = _modified(notes, inst.key, p, beat)
    if not drum and MAX_NOTES_PER_PLAYER.get(inst.key, 1) == 1 and not chair.divisible:
        notes = one_line(events, chair.label, notes)
    if not notes:
        return None, None
    marks: list = []
    carried: list[Carried] = []
    reduce_at = p.reduction[0] if p.reduction else None
    for layer, mine, spans in kept:
        survivors = [n for n in notes if any(n.onset == m.onset for m in mine)]
        whole = spans == [(Fraction(-10**6), None)]
        reduction = (reduce_at, -1) if reduce_at is not None and \
            layer.instrument in p.reduction[1] else None
        own = carry_marks(staves[layer.staff], survivors, spans=None if whole else spans,
                          balance=layer.balance, reduction=reduction)
        carried.append((layer, survivors, own, _steps_of(layer.balance, reduction)))
        marks += [m for m in own if m.kind not in ("dynamic", *HAIRPINS)]
        jobs[chair.label].append(layer)
        _job_events(events, chair.label, layer, survivors, staves)
    marks += _modifier_marks(notes, inst.key, p, marks)

    def event(kind: str, onset: Fraction, staff: str, text: str) -> None:
        events.append(Event(kind, onset, chair.label, staff, f"{kind}:{text}", text))

    notes, marks = chair_marks(chair.label, notes, carried, marks, staves,
                               instrument=inst.key, beat=beat, seconds=seconds, event=event)
    divisi = max((len(g) for g in by_onset(notes).values()), default=1) if chair.divisible \
        else 1
    if divisi > 1:
        events.append(Event("divisi", notes[0].onset, chair.label, kept[0][0].staff, "",
                             f"divides up to {divisi} ways for the chords of "
                             f"{kept[0][0].staff}"))
    if inst.key != chair.instrument:
        events.append(Event("doubling_used", notes[0].onset, chair.label, "", "",
                             f"plays {inst.name} (a double) for this cue"))
    part = Part(chair.label, tuple(notes), program=inst.gm_program, is_drum=drum,
                instrument=inst.key, marks=tuple(marks))
    return part, ChairUse(chair.label, (inst.key,), divisi, p.players.get(chair.label))


def _modified(notes: list[Note], key: str, p: Plan, beat: Fraction) -> list[Note]:
    """The notes with the articulations the notes ask of the instrument in their spans; a
    tremolo only on notes a beat long or more (a running line is not played tremolo)."""
    out = []
    for note in notes:
        for mod in p.modifiers:
            if key in mod.instruments and mod.articulation and in_spans(note.onset, mod.spans) \
                    and mod.articulation not in note.articulations and not (
                        mod.articulation == "tremolo" and note.duration < beat):
                note = replace(note, articulations=(*note.articulations, mod.articulation))
        out.append(note)
    return out


def _modifier_marks(notes: list[Note], key: str, p: Plan, marks: list) -> list:
    out: list = []
    onsets = sorted({n.onset for n in notes})
    for mod in p.modifiers:
        if key not in mod.instruments:
            continue
        if mod.technique:
            out += technique_marks(mod.technique, mod.spans, onsets, marks + out)
        if mod.slurred:
            inside = [n for n in notes if in_spans(n.onset, mod.spans)]
            out += phrase_slurs(inside, marks + out)
    return out


def _job_events(events: list[Event], chair: str, layer: Layer, notes: list[Note],
                staves: dict[str, Part]) -> None:
    if not notes or layer.how == "drums":
        return
    first = notes[0].onset
    where = "" if layer.spans is None or layer.spans[0][0] < -1000 else " (here)"
    events.append(Event(layer.kind, first, chair, layer.staff, "job",
                         f"{layer.why}{where}"))
    if layer.balance:
        staff = staves[layer.staff]
        before = staff.dynamic_at(first) or "mf"
        after = shift_dynamic(before, layer.balance)
        steps = abs(layer.balance)
        events.append(Event("balance", first, chair, layer.staff, "job",
                             f"marked {steps} step{'s' if steps > 1 else ''} "
                             f"{'up' if layer.balance > 0 else 'down'} from {layer.staff}'s "
                             f"dynamics ({before} -> {after}): {layer.balance_why or 'the book'}"))


def unison_events(events: list[Event], full: Music, jobs: dict[str, list[Layer]]) -> None:
    for u in unisons(full.parts):
        a = next(iter(jobs.get(u.first, [])), None)
        b = next(iter(jobs.get(u.second, [])), None)
        families = {FAMILY.get(lay.instrument) for lay in (a, b) if lay is not None}
        deliberate = len(families) > 1 or any(  # sections of two families reinforce
            lay.kind in ("double", "unison", "colour", "lead")
            for lay in jobs.get(u.first, []) + jobs.get(u.second, []))
        why = "; ".join(dict.fromkeys(lay.why for lay in (a, b) if lay is not None))
        what = "deliberate" if deliberate else "coincident (two parts meet)"
        events.append(Event("unison", u.start, u.first, a.staff if a else "", u.second,
                             f"in unison with {u.second} for {u.notes} notes: {what}: {why}"))


def tacet_events(events: list[Event], ens: Ensemble, playing: set[str], reading: Reading,
                  p: Plan) -> None:
    by_family: dict[str, list[Chair]] = defaultdict(list)
    for chair in ens.chairs:
        by_family[FAMILY.get(chair.instrument, chair.section)].append(chair)
    named = {FAMILY.get(k, "") for k in reading.named()}
    scale = reading.scale if reading.given else "full"
    for family, chairs in by_family.items():
        rest = [c.label for c in chairs if c.label not in playing]
        if not rest:
            continue
        if len(rest) == len(chairs):
            why = ("the notes name them, but no staff of the short score suits them"
                   if family in named else
                   f"the notes leave them out ({scale or 'only the named instruments'}"
                   f"{' orchestra' if scale in ('full', 'chamber') else ''}: the tutti is "
                   f"available, not obliged)" if reading.given else "not needed")
        else:
            why = "the chamber orchestra uses few players" if scale == "chamber" else \
                "the others carry the part (the book's layers and the notes' asks)"
        events.append(Event("tacet", Fraction(0), "", "", family,
                             f"{', '.join(rest)} tacet: {why}"))


