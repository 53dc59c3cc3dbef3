"""Orchestrate a short score for an ensemble: voices to chairs, doublings, ranges, decisions.

``orchestrate(short, ensemble)`` is pure.  Each staff of the short score is named for what
it holds ("Melody", "Brass", "Strings", "Low", "Percussion"); ``STAFF_NAMES`` maps the name
to a group and ``GROUP_CHAIRS`` gives, per template, the chairs that take the group, high
to low (vocabulary as data).  Staves claim their chairs in ``GROUPS`` order (melody first),
so a chair plays one staff; doublings claim theirs before any staff.

At every onset of a staff the chord tones, high to low, go to the staff's free chairs high
to low: each tone to a contiguous block of chairs, the top voice doubled first, at most
``MAX_UNISON`` wind chairs to a tone (the others rest).  When a chord has more tones than
chairs, string and choir sections divide (up to ``MAX_DIVISI``); tones still left over
(inner voices first) are dropped.  Every note is then fitted to its chair's practical
range at sounding pitch: kept, moved an octave, handed to another chair of the staff that
can play it, or dropped; each of these is a ``Decision`` a human orchestrator checks.
Percussion staves hold General MIDI drum keys; ``DRUM_KEYS`` gives each key to a chair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from filmscore.errors import InputError
from filmscore.orchestration.ensembles import (
    Chair,
    ChairUse,
    CueInstrumentation,
    Ensemble,
    get_template,
)
from filmscore.orchestration.groups import (
    DEFAULT_DOUBLINGS,
    DRUM_KEYS,
    GROUPS,
    KINDS,
    MAX_DIVISI,
    MAX_UNISON,
    NOTATION_GRID,
    OTHER_DRUM,
    group_chairs,
    group_rank,
    normalise_staff_name,
    select_chairs,
    staff_group,
)
from filmscore.orchestration.instruments import Instrument, get_instrument
from filmscore.writing.music import Music, Note, Part

_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def pitch_name(midi: int) -> str:
    """C4 = 60, sharps and flats as usually spelled (F#, Bb)."""
    return f"{_NAMES[midi % 12]}{midi // 12 - 1}"


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


@dataclass
class _Event:
    kind: str
    onset: Fraction
    chair: str
    staff: str
    detail: str  # run key: events of one kind/chair/staff/detail merge into one decision
    text: str  # message after "bar B beat N: "
    pitch: int | None = None


@dataclass
class _State:
    ensemble: Ensemble
    clock: _Clock
    notes: dict[str, list[Note]] = field(default_factory=lambda: defaultdict(list))
    plays: dict[str, str] = field(default_factory=dict)  # chair label -> instrument key
    divisi: dict[str, int] = field(default_factory=lambda: defaultdict(lambda: 1))
    drum: set[str] = field(default_factory=set)
    events: list[_Event] = field(default_factory=list)

    def inst(self, chair: Chair) -> Instrument:
        return get_instrument(self.plays.get(chair.label, chair.instrument))

    def event(self, kind: str, onset: Fraction, chair: str, staff: str, text: str,
              detail: str = "", pitch: int | None = None) -> None:
        self.events.append(_Event(kind, onset, chair, staff, detail, text, pitch))


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


def _place(state: _State, chair: Chair, note: Note, staff: str, group: list[Chair],
           busy: dict[str, Fraction], taken: set[str]) -> None:
    """Put ``note`` in ``chair``'s part, fitted to its range; else reassign or drop."""
    inst = state.inst(chair)
    pitch, how = _fit(inst, note.pitch)
    where = "above" if note.pitch > inst.practical_high else "below"
    if pitch is not None:
        if how:
            way = "down" if pitch < note.pitch else "up"
            extra = (" (playable only by a professional there)" if how == "professional_range"
                     else "")
            state.event(how, note.onset, chair.label, staff,
                        f"{pitch_name(note.pitch)} {where} its practical range "
                        f"{_range_text(inst)}{extra}; moved {way} an octave", way, note.pitch)
        state.notes[chair.label].append(Note(note.onset, note.duration, pitch, note.velocity))
        state.plays.setdefault(chair.label, inst.key)
        return
    order = sorted((c for c in group if c is not chair),
                   key=lambda c: (c.label in taken or busy.get(c.label, Fraction(-1))
                                  > note.onset, not c.divisible, group.index(c)))
    for other in order:
        if state.inst(other).practical_low <= note.pitch <= state.inst(other).practical_high:
            state.event("reassign", note.onset, chair.label, staff,
                        f"{pitch_name(note.pitch)} out of its range {_range_text(inst)} "
                        f"even an octave away; given to {other.label}", other.label,
                        note.pitch)
            state.notes[other.label].append(note)
            state.plays.setdefault(other.label, state.inst(other).key)
            busy[other.label] = max(busy.get(other.label, note.end), note.end)
            return
    state.event("dropped", note.onset, chair.label, staff,
                f"{pitch_name(note.pitch)} {where} its range {_range_text(inst)}, even an "
                f"octave away, and no other chair of {staff} plays it; dropped",
                "", note.pitch)


def _blocks(tones: int, chairs: list[Chair]) -> list[tuple[Chair, int]]:
    """Chairs that play, each with the index of its tone (tones <= chairs), top voice
    doubled first; wind chairs beyond MAX_UNISON a tone rest."""
    winds = [c for c in chairs if not c.divisible]
    limit = tones * MAX_UNISON
    if len(winds) > limit:  # a line: the top chairs; chords: chairs spread over the range
        picks = range(limit) if tones == 1 or limit == 1 else \
            sorted({round(i * (len(winds) - 1) / (limit - 1)) for i in range(limit)})
        winds = [winds[i] for i in picks]
    playing = [c for c in chairs if c.divisible or c in winds]
    base, extra = divmod(len(playing), tones)
    out: list[tuple[Chair, int]] = []
    it = iter(playing)
    for voice in range(tones):
        for _ in range(base + (1 if voice < extra else 0)):
            out.append((next(it), voice))
    return out


def _divide(tones: int, chairs: list[Chair]) -> tuple[list[int], int]:
    """Tones per chair (more tones than chairs): sections divide, top first; and how many
    tones are left over."""
    caps = [min(c.players, MAX_DIVISI) if c.divisible else 1 for c in chairs]
    counts = [1] * len(chairs)
    left = tones - len(chairs)
    while left > 0:
        grew = False
        for i, cap in enumerate(caps):
            if left and counts[i] < cap:
                counts[i] += 1
                left -= 1
                grew = True
        if not grew:
            break
    return counts, left


def _pitched_staff(state: _State, part: Part, chairs: list[Chair]) -> None:
    staff = part.name
    busy: dict[str, Fraction] = {}
    roles: dict[str, tuple[Any, ...]] = {}
    by_onset: dict[Fraction, dict[int, Note]] = defaultdict(dict)
    for note in part.notes:  # one Note per pitch and onset (the longest)
        held = by_onset[note.onset].get(note.pitch)
        if held is None or note.duration > held.duration:
            by_onset[note.onset][note.pitch] = note
    for onset in sorted(by_onset):
        tones = sorted(by_onset[onset].values(), key=lambda n: -n.pitch)
        free = [c for c in chairs if busy.get(c.label, Fraction(-1)) <= onset] or chairs
        count = len(tones)
        plan: list[tuple[Chair, list[Note]]] = []
        if count <= len(free):
            blocks = _blocks(count, free)
            playing = {c.label for c, _ in blocks}
            for chair in free:
                if chair.label not in playing and roles.get(chair.label) != ("rest", count):
                    roles[chair.label] = ("rest", count)
                    what = "a single line" if count == 1 else f"{count}-note chords"
                    state.event("resting", onset, chair.label, staff,
                                f"rests: {what} of {staff} take at most "
                                f"{count * MAX_UNISON} wind chairs")
            for chair, voice in blocks:
                plan.append((chair, [tones[voice]]))
                role = ("voice", voice, count)
                if roles.get(chair.label) != role:
                    roles[chair.label] = role
                    mates = [c.label for c, v in blocks if v == voice and c is not chair]
                    with_ = f", with {', '.join(mates)}" if mates else ""
                    state.event("distribute", onset, chair.label, staff,
                                f"takes voice {voice + 1} of {count} of {staff}{with_}")
        else:
            counts, left = _divide(count, free)
            keep = tones
            if left:
                dropped = tones[-1 - left:-1]  # inner voices just above the bass
                keep = tones[:-1 - left] + tones[-1:]
                for note in dropped:
                    state.event("dropped", onset, free[-1].label, staff,
                                f"{pitch_name(note.pitch)} of a {count}-note chord: more "
                                f"tones than chairs and divisi can take; dropped",
                                "chord", note.pitch)
            cursor = 0
            for chair, n in zip(free, counts, strict=True):
                plan.append((chair, keep[cursor:cursor + n]))
                cursor += n
                role = ("div", n, count)
                if roles.get(chair.label) != role:
                    roles[chair.label] = role
                    if n > 1:
                        state.event("divisi", onset, chair.label, staff,
                                    f"divides a {n} for a {count}-note chord of {staff}")
                    else:
                        state.event("distribute", onset, chair.label, staff,
                                    f"takes one voice of a {count}-note chord of {staff}")
                state.divisi[chair.label] = max(state.divisi[chair.label], n)
        taken = {c.label for c, _ in plan}
        for chair, notes in plan:
            for note in notes:
                _place(state, chair, note, staff, chairs, busy, taken)
            busy[chair.label] = max(n.end for n in notes)


def _drum_staff(state: _State, part: Part, chairs: list[Chair]) -> None:
    staff = part.name
    told: set[tuple[int, str]] = set()
    for note in part.notes:
        what, key, exact = DRUM_KEYS.get(note.pitch, OTHER_DRUM)
        chair = next((c for c in chairs if c.instrument == key), None) or \
            next((c for c in chairs if key in c.doubles), None) or chairs[0]
        state.notes[chair.label].append(note)
        state.plays.setdefault(chair.label, chair.instrument)
        state.drum.add(chair.label)
        if (note.pitch, chair.label) in told:
            continue
        told.add((note.pitch, chair.label))
        name = get_instrument(key).name.lower()
        if not exact:
            state.event("reassign", note.onset, chair.label, staff,
                        f"{what} (GM key {note.pitch}) has no instrument of its own in the "
                        f"table: played by {chair.label} in place of the {name}")
        elif chair.instrument != key:
            state.event("reassign", note.onset, chair.label, staff,
                        f"{what} (GM key {note.pitch}) played by {chair.label} "
                        f"({'a double' if key in chair.doubles else 'no ' + name + ' chair'})")


def _doublings(ensemble: Ensemble, staves: list[tuple[Part, str]],
               doublings: Mapping[str, Sequence[tuple[str, int]]] | None,
               ) -> list[tuple[Part, Chair, str, int]]:
    """(staff, chair, instrument key, semitones) for every doubling asked for."""
    explicit = doublings is not None
    table = doublings if explicit else DEFAULT_DOUBLINGS.get(ensemble.name, {})
    out: list[tuple[Part, Chair, str, int]] = []
    used: set[str] = set()
    for target, items in (table or {}).items():
        wanted = normalise_staff_name(target)
        sources = [p for p, g in staves if normalise_staff_name(p.name) == wanted] or \
                  [p for p, g in staves if g == target]
        if not sources:
            if explicit:
                raise InputError("doubling of a staff or group the short score lacks",
                                 field="doublings", value=target,
                                 valid=", ".join([p.name for p, _ in staves] +
                                                 sorted({g for _, g in staves})))
            continue
        for spec in items:
            name, semitones = spec
            if isinstance(semitones, bool) or not isinstance(semitones, int) \
                    or semitones % 12 or abs(semitones) > 24:
                raise InputError("a doubling is at the unison or one or two octaves",
                                 field="doublings", value=str(semitones),
                                 valid="0, 12, -12, 24, -24")
            chair, inst = _doubling_chair(ensemble, str(name), used)
            used.add(chair.label)
            out += [(src, chair, inst, semitones) for src in sources[:1]]
    return out


def _doubling_chair(ensemble: Ensemble, name: str, used: set[str]) -> tuple[Chair, str]:
    if ensemble.has_chair(name):
        chair = ensemble.chair(name)
        return chair, chair.instrument
    try:
        chairs = select_chairs(ensemble, name)
        key = get_instrument(name.partition(":")[0]).key
    except (InputError, ValueError):
        raise InputError(f"doubling: no such chair or instrument in ensemble {ensemble.name}",
                         field="doublings", value=name,
                         valid=", ".join(ensemble.labels)) from None
    chairs = chairs or list(ensemble.chairs_for(key, doubles=True))
    if not chairs:
        raise InputError(f"doubling: no chair of ensemble {ensemble.name} plays it",
                         field="doublings", value=name, valid=", ".join(ensemble.labels))
    chair = next((c for c in chairs if c.label not in used), chairs[0])
    return chair, key


# --- the whole job -----------------------------------------------------------------------


def _snap(value: Fraction) -> Fraction:
    return round(value / NOTATION_GRID) * NOTATION_GRID


def _quantized(state: _State, part: Part) -> Part:
    """The staff with onsets and ends on the notation grid (a decision when any moved)."""
    notes: dict[tuple[Fraction, int], Note] = {}
    moved, largest, first = 0, Fraction(0), None
    for note in part.notes:
        onset = _snap(note.onset)
        end = max(_snap(note.end), onset + NOTATION_GRID)
        if (onset, end) != (note.onset, note.end):
            moved += 1
            largest = max(largest, abs(onset - note.onset), abs(end - note.end))
            first = note.onset if first is None else first
        key = (onset, note.pitch)
        if key not in notes or notes[key].end < end:
            notes[key] = replace(note, onset=onset, duration=end - onset)
    if moved:
        state.event("quantize", first, "", part.name,
                    f"{moved} note{'s' if moved > 1 else ''} of {part.name} moved to the "
                    f"nearest sixteenth or triplet for notation (at most {largest} of a "
                    f"quarter)")
    return replace(part, notes=tuple(notes.values()))


def orchestrate(short: Music, ensemble: Ensemble | str, *,
                staff_groups: Mapping[str, str] | None = None,
                doublings: Mapping[str, Sequence[tuple[str, int]]] | None = None,
                ) -> Orchestration:
    """The full score of the short score ``short`` for ``ensemble`` (see module docstring).

    ``staff_groups`` maps staff names to groups (GROUPS) where the name says nothing;
    ``doublings`` maps a staff name or group to (chair label, instrument or key:N;
    semitones 0/±12/±24) doublings of its top line; None takes the template's default,
    {} none.
    """
    ens = get_template(ensemble) if isinstance(ensemble, str) else ensemble
    if not short.parts:
        raise InputError("the short score has no staves", field="staves",
                         valid="at least one staff with notes")
    staves: list[tuple[Part, str]] = []
    for part in short.parts:
        if not part.notes:
            raise InputError(f"staff {part.name} is empty", field="staff", value=part.name,
                             valid="a staff with at least one note")
        staves.append((part, staff_group(part.name, staff_groups)))
    state = _State(ens, _Clock(short))
    staves = [(_quantized(state, part), group) for part, group in staves]
    claimed: dict[str, str] = {}

    planned = _doublings(ens, staves, doublings)
    for src, chair, inst, _ in planned:
        claimed[chair.label] = src.name
        state.plays[chair.label] = inst

    order = sorted(range(len(staves)), key=lambda i: (group_rank(staves[i][1]), i))
    assignments: list[tuple[Part, str, list[Chair]]] = []
    for i in order:
        part, group = staves[i]
        chairs = list(group_chairs(ens, group))
        if not chairs:
            has = [g for g in GROUPS if group_chairs(ens, g)]
            raise InputError(f"staff {part.name}: ensemble {ens.name} has no chairs for group "
                             f"{group}", field="staff", value=part.name,
                             valid="staves of the groups " + ", ".join(has))
        free = [c for c in chairs if c.label not in claimed]
        if not free:
            free = chairs
            state.event("distribute", part.notes[0].onset, chairs[0].label, part.name,
                        f"every chair of group {group} is taken by an earlier staff; "
                        f"{part.name} shares them with "
                        f"{', '.join(sorted({claimed[c.label] for c in chairs}))}")
        for chair in free:
            claimed.setdefault(chair.label, part.name)
        assignments.append((part, group, free))

    for part, group, chairs in assignments:
        if group == "percussion" or all(c.info.is_unpitched for c in chairs):
            unpitched = [c for c in chairs if c.info.is_unpitched]
            _drum_staff(state, part, unpitched or chairs)
        else:
            _pitched_staff(state, part, chairs)

    for src, chair, inst_key, semitones in planned:
        inst = get_instrument(inst_key)
        interval = ("at the unison" if semitones == 0 else
                    f"{'an octave' if abs(semitones) == 12 else 'two octaves'} "
                    f"{'above' if semitones > 0 else 'below'}")
        first = src.notes[0].onset
        state.event("double", first, chair.label, src.name,
                    f"doubles the top line of {src.name} {interval}")
        if inst_key != chair.instrument:
            state.event("doubling_used", first, chair.label, src.name,
                        f"plays {inst.name} (a double) for this cue")
        tops: dict[Fraction, Note] = {}
        for note in src.notes:
            if note.onset not in tops or note.pitch > tops[note.onset].pitch:
                tops[note.onset] = note
        for note in tops.values():
            pitch = note.pitch + semitones
            if not 0 <= pitch <= 127:
                continue
            _place(state, chair, Note(note.onset, note.duration, pitch, note.velocity),
                   src.name, [chair], {}, set())

    return _finish(short, state)


def _one_line(state: _State, chair: Chair, notes: list[Note]) -> list[Note]:
    """One player plays one note at a time: a note still sounding when the chair's next
    note starts is shortened to it (a *shortened* decision); of two notes starting
    together the top one is kept (*dropped* for the other).  Overlaps come from a staff
    whose chords and lines overlap (a chord still held under the next note)."""
    kept: list[Note] = []
    for note in sorted(notes, key=lambda n: (n.onset, -n.pitch)):
        if kept and note.onset == kept[-1].onset:
            state.event("dropped", note.onset, chair.label, "",
                        f"{pitch_name(note.pitch)} under {pitch_name(kept[-1].pitch)}: one "
                        f"player, one note")
            continue
        if kept and note.onset < kept[-1].end:
            prev = kept[-1]
            kept[-1] = replace(prev, duration=note.onset - prev.onset)
            state.event("shortened", note.onset, chair.label, "",
                        f"{pitch_name(prev.pitch)} cut short where the next note starts "
                        f"(one player, one note)")
        kept.append(note)
    return kept


def _finish(short: Music, state: _State) -> Orchestration:
    ens = state.ensemble
    parts: list[Part] = []
    uses: list[ChairUse] = []
    for chair in ens.chairs:
        notes = state.notes.get(chair.label)
        if not notes:
            continue
        if not chair.divisible and chair.label not in state.drum:
            notes = _one_line(state, chair, notes)
        inst = state.inst(chair)
        parts.append(Part(chair.label, tuple(notes), program=inst.gm_program,
                          is_drum=chair.label in state.drum, instrument=inst.key))
        uses.append(ChairUse(chair.label, (inst.key,), state.divisi.get(chair.label, 1)))
    full = Music(parts=tuple(parts), meter=short.meter, tempo_map=short.tempo_map,
                 title=short.title, key=short.key)
    return Orchestration(full, _decisions(state), CueInstrumentation(ens.name, tuple(uses)))


def _decisions(state: _State) -> tuple[Decision, ...]:
    """Merge runs of like events (a kind, chair, staff and detail, bar after bar)."""
    clock, ens = state.clock, state.ensemble
    runs: dict[tuple[str, str, str, str], list[list[_Event]]] = defaultdict(list)
    for event in sorted(state.events, key=lambda e: e.onset):
        key = (event.kind, event.chair, event.staff, event.detail)
        mergeable = event.kind in ("octave", "professional_range", "reassign", "dropped",
                                   "shortened")
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
