"""Layers of a plan made into notes: each chair's line, voice, harmony, strokes or figure.

``render(layers, ctx)`` is pure.  A line's octave is chosen phrase by phrase: the layer's
anchor instrument (``ref``) places the staff in its register, and the layer plays at its
book interval from there unless its own register forbids it (an *octave* decision).  A
section voices each chord once for all its chairs; block harmony follows the placed line
of the section's lead.  Events (for the decisions) are returned beside the notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from filmscore.orchestration.brief import in_spans
from filmscore.orchestration.check import MAX_NOTES_PER_PLAYER
from filmscore.orchestration.ensembles import Ensemble
from filmscore.orchestration.groups import DRUM_KEYS, MAX_DIVISI, OTHER_DRUM
from filmscore.orchestration.instruments import get_instrument, register
from filmscore.orchestration.layers import Layer
from filmscore.orchestration.voicing import (
    arpeggio,
    bottom_line,
    by_onset,
    diatonic,
    fits_register,
    harmonize,
    phrases,
    place,
    run,
    scale_of,
    shifted,
    stack_below,
    timpani_drums,
    timpani_notes,
    top_line,
    voice_chord,
)
from filmscore.writing.music import Note, Part

HIT_KEYS = (35, 36, 41, 43, 49, 52, 55, 57)
"""General MIDI drum keys that mark a hit in a sketch (bass drum, low toms, crashes)."""
TOM_KEYS = (41, 43, 45, 47, 48, 50)
"""Toms of a sketch's big hits: the timpani's strokes when the timpani play."""

Event = tuple[str, Fraction, str, str, str, str, "int | None"]
"""(kind, onset, chair, staff, text, detail, pitch) of one decision to come."""


@dataclass
class Context:
    """What every layer may read: the staves (quantized, derived ones too), the key, the
    beat, the hits, the harmony and bass line, the named percussion and its spans."""

    staves: dict[str, Part]
    key: tuple[int, str]
    beat: Fraction
    bar: Fraction
    hits: list[tuple[Fraction, int]]
    chord: Callable[[Fraction], set[int]]
    bass: list[Note]
    ensemble: Ensemble
    named_drums: dict[str, tuple] = field(default_factory=dict)  # key -> spans
    placed: dict[tuple, int] = field(default_factory=dict)
    lines: dict[tuple[str, str], list[Note]] = field(default_factory=dict)
    voiced: dict[tuple, dict[Fraction, list[int]]] = field(default_factory=dict)
    leads: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict)
    phrase_shifts: dict[tuple, dict[str, tuple[str, int]]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def event(self, kind: str, onset: Fraction, chair: str, staff: str, text: str,
              detail: str = "", pitch: int | None = None) -> None:
        self.events.append((kind, onset, chair, staff, text, detail, pitch))


def _bars(ctx: Context, a: Fraction, b: Fraction) -> str:
    first, last = int(a // ctx.bar) + 1, int(b // ctx.bar) + 1
    return f"bar {first}" if first == last else f"bars {first}-{last}"


def _interval(semitones: int) -> str:
    if semitones == 0:
        return "in unison with"
    octaves = abs(semitones) // 12
    size = {1: "an octave", 2: "two octaves"}.get(octaves, f"{octaves} octaves")
    return f"{size} {'above' if semitones > 0 else 'below'}"


def _source(layer: Layer, ctx: Context) -> list[Note]:
    staff = ctx.staves[layer.staff]
    if layer.how in ("line", "runs"):
        return top_line(staff.notes)
    if layer.how == "bass":
        return bottom_line(staff.notes)
    return list(staff.notes)


def _shift(ctx: Context, layer: Layer, inst_key: str, phrase: list[Note], index: int
           ) -> tuple[int, int]:
    """(shift, the book's shift) for a phrase of the layer's staff."""
    pitches = [n.pitch for n in phrase]
    if layer.fixed:
        return layer.offset, layer.offset
    ref = 0
    if layer.ref:
        key = (layer.staff, layer.how in ("voice", "chord"), layer.ref, index)
        if key not in ctx.placed:
            ctx.placed[key] = place(pitches, get_instrument(layer.ref), 0, stay=0.25)
        ref = ctx.placed[key]
    prefer = ref + layer.offset
    inst = get_instrument(inst_key)
    free = not layer.ref and layer.kind in ("lead", "unison")  # a named lead finds its octave
    shift = place(pitches, inst, prefer, layer.level, stay=0.5 if free else 1.0,
                  edge=12.0 if layer.kind == "double" else 4.0)
    if free:  # two named leads of other families play the tune in octaves, not unisons
        placed = ctx.leads.setdefault((layer.staff, index), {})
        for other, other_shift in placed.items():
            if other_shift != shift or other == inst.key:
                continue
            mine, theirs = register(inst), register(other)
            alt = shift + 12 if sum(mine) > sum(theirs) else shift - 12
            inside = sum(1 for q in pitches
                          if inst.practical_low <= q + alt <= inst.practical_high)
            if inside * 4 >= len(pitches) * 3:
                shift = alt
        placed.setdefault(inst.key, shift)
    return shift, prefer


def _line(layer: Layer, ctx: Context, inst_key: str, source: list[Note]) -> list[Note]:
    out: list[Note] = []
    for i, phrase in enumerate(phrases(source, ctx.beat, ctx.bar)):
        shift, book = _shift(ctx, layer, inst_key, phrase, i)
        twins = ctx.phrase_shifts.setdefault((layer.staff, layer.how, i), {})
        if shift != book and layer.kind == "double" and (inst_key, shift) in twins.values():
            ctx.event("resting", phrase[0].onset, layer.chair, layer.staff,
                      f"rests {_bars(ctx, phrase[0].onset, phrase[-1].onset)}: its place in "
                      f"the book is out of its range, and a unison with "
                      f"{next(c for c, v in twins.items() if v == (inst_key, shift))} "
                      f"would add nothing", "twin")
            continue
        twins[layer.chair] = (inst_key, shift)
        if shift != book:
            where = "the short score" if not layer.ref else \
                f"the book's place ({_interval(layer.offset)} the " \
                f"{get_instrument(layer.ref).name.lower()})"
            ctx.event("octave", phrase[0].onset, layer.chair, layer.staff,
                      f"plays {_bars(ctx, phrase[0].onset, phrase[-1].onset)} "
                      f"{_interval(shift - book)} {where}, to sit in its register", "phrase")
        out += shifted(phrase, shift)
    return out


def _chosen(layer: Layer, ctx: Context, source: list[Note]) -> list[Note]:
    """An either-or doubling (oboe or clarinet): per phrase, the first chair of ``choose``
    whose middle register holds the phrase at the book's interval."""
    out: list[Note] = []
    for i, phrase in enumerate(phrases(source, ctx.beat, ctx.bar)):
        for label in layer.choose:
            inst = get_instrument(ctx.ensemble.chair(label).instrument)
            shift, book = _shift(ctx, replace(layer, chair=label), inst.key, phrase, i)
            if fits_register([n.pitch + book for n in phrase], inst):
                if label == layer.chair:
                    out += shifted(phrase, book)
                break
    return out


def _section_chords(layer: Layer, ctx: Context, notes: list[Note]
                    ) -> dict[Fraction, list[int]]:
    """Per onset, the section's voicing (high to low), made once for all its chairs."""
    key = (layer.staff, layer.section, layer.ref, layer.offset)
    if key in ctx.voiced:
        return ctx.voiced[key]
    chairs = [ctx.ensemble.chair(label) for label in layer.section]
    low = min(c.info.practical_low for c in chairs)
    high = max(c.info.practical_high for c in chairs)
    divisible = any(c.divisible for c in chairs)
    out: dict[Fraction, list[int]] = {}
    bass_at = {n.onset: n.pitch % 12 for n in ctx.bass}
    above = next((v for (staff, section, _r, _o), v in ctx.voiced.items()
                  if staff == layer.staff and layer.below and
                  ctx.ensemble.chair(section[0]).instrument == layer.below), None)
    if above is not None:  # continue the chord below the section above, tone by tone
        groups = by_onset(notes)
        for onset, tones in above.items():
            pcs = {n.pitch % 12 for n in groups.get(onset, ())} or {p % 12 for p in tones}
            out[onset] = stack_below(min(tones), pcs, [c.info.practical_low for c in chairs])
        ctx.voiced[key] = out
        return out
    mixed = len({c.instrument for c in chairs}) > 1  # strings or voices as one section
    for i, phrase in enumerate(phrases(notes, ctx.beat, ctx.bar)):
        shift = layer.offset if mixed else _shift(ctx, layer, chairs[0].instrument, phrase,
                                                  i)[0]
        for onset, group in by_onset(shifted(phrase, shift)).items():
            tones = sorted({_into(n.pitch, low, high) for n in group}, reverse=True)
            if divisible:
                out[onset] = tones
            elif layer.from_bottom and len(tones) > len(chairs):
                out[onset] = tones[-len(chairs):]
            else:
                out[onset] = voice_chord(tones, len(chairs), low=low, high=high,
                                         prefer_pc=bass_at.get(onset))
    ctx.voiced[key] = out
    return out


def _held_chords(layer: Layer, ctx: Context, notes: list[Note]) -> list[Note]:
    """For a section asked to colour spans where its staff has no chord of its own (the
    woodwinds' flutter on the falling feathers): the harmony in force, held through each
    span (two bars at most)."""
    out: list[Note] = []
    for start, end in layer.spans or ():
        if any(in_spans(n.onset, ((start, end),)) for n in notes) or start < 0:
            continue
        pcs = ctx.chord(start)
        if len(pcs) < 2:
            continue
        length = min((end if end is not None else start + 2 * ctx.bar) - start, 2 * ctx.bar)
        base = 60
        out += [Note(start, length, p, 80) for p in range(base, base + 12) if p % 12 in pcs]
    return out


def _into(pitch: int, low: int, high: int) -> int:
    """``pitch`` moved by octaves into [low, high] (a chord tone the section cannot reach
    where it stands is voiced an octave away, in order, rather than crossing later)."""
    while pitch > high and pitch - 12 >= low:
        pitch -= 12
    while pitch < low and pitch + 12 <= high:
        pitch += 12
    return pitch


def _voice(layer: Layer, ctx: Context, notes: list[Note]) -> list[Note]:
    if layer.spans is not None:
        notes = notes + _held_chords(layer, ctx, notes)
    chords = _section_chords(layer, ctx, notes)
    chairs = [ctx.ensemble.chair(label) for label in layer.section]
    groups = by_onset(notes)
    out: list[Note] = []
    for onset, tones in chords.items():
        if any(c.divisible for c in chairs):
            mine = _divided(tones, chairs, layer.index)
        else:
            mine = tones[layer.index:layer.index + 1]
        for pitch in mine:
            like = _source_note(groups.get(onset, []), pitch)
            if like is not None:
                out.append(Note(onset, like.duration, pitch, like.velocity,
                                like.articulations))
    return out


def _source_note(group: Sequence[Note], pitch: int) -> Note | None:
    """The short score's note a voiced ``pitch`` stands for: the one of its pitch class (a
    common tone held into the next chord keeps its length; the others end where their
    chord does), else the group's shortest (a tone added to the chord ends with it)."""
    same = [n for n in group if n.pitch % 12 == pitch % 12]
    if same:
        return max(same, key=lambda n: n.duration)
    return min(group, key=lambda n: n.duration, default=None)


def _divided(tones: list[int], chairs: list, index: int) -> list[int]:
    """The tones of chair ``index`` when string sections share a chord: one each, top
    first, the sections dividing (up to MAX_DIVISI) when the chord has more tones."""
    caps = [min(c.players, MAX_DIVISI) if c.divisible else 1 for c in chairs]
    counts = [0] * len(chairs)
    left = len(tones)
    while left:
        grew = False
        for i, cap in enumerate(caps):
            if left and counts[i] < cap:
                counts[i] += 1
                left -= 1
                grew = True
        if not grew:
            break
    start = sum(counts[:index])
    return tones[start:start + counts[index]]


def _harmonize(layer: Layer, ctx: Context) -> list[Note]:
    """Voice ``index`` of the block harmony under the section lead's placed line; a note
    below a chair's range takes the pitch of the voice above it (a moment's unison is
    better than a voice jumping over the one above)."""
    lead = ctx.lines.get((layer.staff, layer.section[0]), [])
    voices = harmonize(lead, len(layer.section) - 1, ctx.chord, ctx.key)
    above = {n.onset: n.pitch for n in lead}
    for i, voice in enumerate(voices[:layer.index + 1]):
        low = ctx.ensemble.chair(layer.section[i + 1]).info.practical_low
        fixed = [replace(n, pitch=above.get(n.onset, n.pitch)) if n.pitch < low else n
                 for n in voice]
        voices[i] = fixed
        above = {n.onset: n.pitch for n in fixed}
    return voices[layer.index] if layer.index < len(voices) else []


def _timpani(layer: Layer, ctx: Context) -> list[Note]:
    """Tonic and dominant at the hits; two more drums (a set of four) for hits whose chord
    has neither, tuned to the bass notes most of those hits stand on."""
    inst = get_instrument("timpani")
    hits = [(t, v) for t, v in ctx.hits if in_spans(t, layer.spans)]
    drums = timpani_drums(ctx.key, inst)
    notes, skipped = timpani_notes(hits, ctx.bass, ctx.chord, drums, ctx.beat,
                                   lead=layer.lead)
    if skipped:
        counts: dict[int, int] = {}
        for onset in skipped:
            held = [n for n in ctx.bass if n.onset <= onset]
            if held:
                counts[held[-1].pitch % 12] = counts.get(held[-1].pitch % 12, 0) + 1
        extra = sorted(counts, key=lambda pc: -counts[pc])[:2]
        drums = timpani_drums(ctx.key, inst, extra)
        notes, skipped = timpani_notes(hits, ctx.bass, ctx.chord, drums, ctx.beat,
                                       lead=layer.lead)
    names = ", ".join(_NAMES[d % 12] for d in drums)
    ctx.event("tuning", Fraction(0), layer.chair, layer.staff,
              f"{len(drums)} drums tuned to {names} (tonic and dominant first)")
    for onset in skipped:
        ctx.event("resting", onset, layer.chair, layer.staff,
                  "no stroke on this hit: no drum's note is in the chord", "timpani")
    return notes


_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def _figure(layer: Layer, ctx: Context) -> list[Note]:
    """A harp's arpeggio or a woodwind run into every hit (and every span's start)."""
    targets = sorted({t for t, _ in ctx.hits if in_spans(t, layer.spans)} |
                     {a for a, _ in (layer.spans or ()) if a >= 0})
    velocity = dict(ctx.hits)
    melody = top_line(ctx.staves[layer.staff].notes) if layer.how == "runs" else []
    steps = {0: 0, -4: -2, -12: -7, -16: -9}.get(layer.offset, 0)
    out: list[Note] = []
    end = Fraction(-1)
    for t in targets:
        if t - ctx.beat < end:
            continue
        v = velocity.get(t, 100)
        if layer.how == "arpeggio":
            pcs = ctx.chord(t)
            notes = arpeggio(t, pcs, ctx.beat, v)
        else:
            sounding = [n for n in melody if n.onset <= t < n.end] or \
                [n for n in melody if n.onset >= t][:1]
            if not sounding:
                continue
            low, high = register("flute")
            top = sounding[0].pitch
            top += 12 * max(0, -((top - low) // 12))
            while top > high:
                top -= 12
            notes = [replace(n, pitch=diatonic(n.pitch, steps, scale_of(ctx.key)))
                     for n in run(t, top, ctx.key, ctx.beat, v)]
        out += notes
        end = max(n.end for n in notes)
    return out


def _drums(layer: Layer, ctx: Context, chairs: Sequence, timpani: bool) -> dict[str, list]:
    staff = ctx.staves[layer.staff]
    out: dict[str, list[Note]] = {}
    told: set[tuple[int, str]] = set()
    for note in staff.notes:
        if timpani and note.pitch in TOM_KEYS:
            if ("tom", "") not in told:
                told.add(("tom", ""))
                ctx.event("reassign", note.onset, "Timpani", layer.staff,
                          "the sketch's tom-toms on the big hits are the timpani's strokes")
            continue
        what, key, exact = DRUM_KEYS.get(note.pitch, OTHER_DRUM)
        chair = next((c for c in chairs if c.instrument == key), None) or \
            next((c for c in chairs if key in c.doubles), None) or chairs[0]
        out.setdefault(chair.label, []).append(note)
        if (note.pitch, chair.label) in told:
            continue
        told.add((note.pitch, chair.label))
        name = get_instrument(key).name.lower()
        if not exact:
            ctx.event("reassign", note.onset, chair.label, layer.staff,
                      f"{what} (GM key {note.pitch}) has no instrument of its own in the "
                      f"table: played by {chair.label} in place of the {name}")
        elif chair.instrument != key:
            ctx.event("reassign", note.onset, chair.label, layer.staff,
                      f"{what} (GM key {note.pitch}) played by {chair.label} "
                      f"({'a double' if key in chair.doubles else 'no ' + name + ' chair'})")
    for key, spans in ctx.named_drums.items():
        chair = next((c for c in chairs if c.instrument == key), None)
        if chair is None or chair.label in out:
            continue
        gm = {"bass_drum": 35, "snare_drum": 38, "cymbals": 49}[key]
        strokes = [Note(t, ctx.beat, gm, v) for t, v in ctx.hits if in_spans(t, spans)]
        if strokes:
            out[chair.label] = strokes
            ctx.event("colour", strokes[0].onset, chair.label, layer.staff,
                      f"the notes ask for the {get_instrument(key).name.lower()}: a stroke "
                      f"on each of {len(strokes)} hits")
    return out


def render(layers: Sequence[Layer], ctx: Context, drum_chairs: Sequence
           ) -> list[tuple[Layer, str, list[Note]]]:
    """(layer, chair, notes) for every layer (see the module docstring)."""
    ordered = sorted(layers, key=lambda lay: (lay.how == "harmonize", bool(lay.below)))
    timpani = any(lay.how == "timpani" for lay in layers)
    out: list[tuple[Layer, str, list[Note]]] = []
    for layer in ordered:
        if layer.how == "drums":
            for label, notes in _drums(layer, ctx, drum_chairs, timpani).items():
                out.append((layer, label, [n for n in notes if in_spans(n.onset,
                                                                        layer.spans)]))
            continue
        source = _source(layer, ctx)
        if layer.how in ("line", "bass"):
            if layer.choose:
                notes = _chosen(layer, ctx, source)
            else:
                notes = _line(layer, ctx, layer.instrument, source)
                ctx.lines[(layer.staff, layer.chair)] = notes
        elif layer.how in ("voice", "chord"):
            if layer.how == "chord":
                notes = _line(layer, ctx, layer.instrument, source)
                cap = MAX_NOTES_PER_PLAYER.get(layer.instrument, 1)
                notes = [n for t, g in by_onset(notes).items() for n in g[:cap]]
            else:
                notes = _voice(layer, ctx, source)
        elif layer.how == "harmonize":
            notes = _harmonize(layer, ctx)
        elif layer.how == "timpani":
            notes = _timpani(layer, ctx)
        else:
            notes = _figure(layer, ctx)
        notes = [n for n in notes if in_spans(n.onset, layer.spans)]
        out.append((layer, layer.chair, notes))
    return out
