"""Pure note work of the orchestrator: lines, phrases and their octave, a section's chord
voicing, block harmony under a line, timpani on tonic and dominant, written figures.

Every function takes and returns plain ``Note`` values (sounding pitch, quarters from
bar 1); nothing here knows about chairs or decisions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

from filmscore.orchestration.instruments import Instrument, register
from filmscore.writing.music import Note

SCALES: dict[str, tuple[int, ...]] = {"major": (0, 2, 4, 5, 7, 9, 11),
                                      "minor": (0, 2, 3, 5, 7, 8, 10)}
"""Scale steps of a key for block harmony and runs (minor: natural minor, with the
leading tone added where the dominant chord holds it)."""

PHRASE_GAP_BEATS = 2
"""A rest of this many beats or more ends a phrase (each phrase gets its own octave)."""
PHRASE_BARS = 4
"""A phrase without such a rest is cut every this many bars (an octave per four bars)."""


# --- lines and chords ----------------------------------------------------------------------------


def by_onset(notes: Iterable[Note]) -> dict[Fraction, list[Note]]:
    """Notes grouped by onset, each group high to low, one note per pitch (the longest)."""
    out: dict[Fraction, dict[int, Note]] = defaultdict(dict)
    for note in notes:
        held = out[note.onset].get(note.pitch)
        if held is None or note.duration > held.duration:
            out[note.onset][note.pitch] = note
    return {t: sorted(group.values(), key=lambda n: -n.pitch) for t, group in sorted(out.items())}


def top_line(notes: Iterable[Note]) -> list[Note]:
    return [group[0] for group in by_onset(notes).values()]


def bottom_line(notes: Iterable[Note]) -> list[Note]:
    return [group[-1] for group in by_onset(notes).values()]


def phrases(notes: Sequence[Note], beat: Fraction, bar: Fraction | None = None
            ) -> list[list[Note]]:
    """Notes (in time order) cut where a rest of PHRASE_GAP_BEATS beats or more falls, and
    a long run cut at the first note of every PHRASE_BARS-th bar (``bar``: its length)."""
    out: list[list[Note]] = []
    end = None
    start = None
    for note in sorted(notes, key=lambda n: (n.onset, -n.pitch)):
        gap = end is None or note.onset - end >= PHRASE_GAP_BEATS * beat
        long = bar is not None and start is not None and \
            note.onset // (PHRASE_BARS * bar) > start // (PHRASE_BARS * bar) and \
            note.onset != out[-1][-1].onset
        if gap or long:
            out.append([])
            start = note.onset
        out[-1].append(note)
        end = note.end if end is None else max(end, note.end)
    return out


def _note_cost(pitch: int, inst: Instrument, low: int, high: int, edge: float) -> float:
    if low <= pitch <= high:
        return 0.0
    if inst.practical_low <= pitch <= inst.practical_high:
        return 0.5 + 0.1 * (low - pitch if pitch < low else pitch - high)
    if inst.professional_low <= pitch <= inst.professional_high:
        return edge
    return 50.0


def place(pitches: Sequence[int], inst: Instrument, prefer: int = 0, level: str = "",
          *, stay: float = 1.0, edge: float = 4.0) -> int:
    """The octave shift (semitones: ``prefer`` plus a multiple of 12) that puts ``pitches``
    best in the instrument's register (``level`` "high": its top): notes outside it cost,
    notes far from its middle cost a little, and every octave away from ``prefer`` costs
    ``stay`` a note (1: keep the book's interval unless the register forbids it); a note
    only a professional reaches costs ``edge`` (a doubling: more, so that a phrase moves
    whole rather than note by note)."""
    low, high = register(inst, level)
    centre = (low + high) / 2
    best, best_cost = prefer, None
    for k in (0, 1, -1, 2, -2, 3, -3, 4, -4):
        shift = prefer + 12 * k
        cost = 0.0
        for p in pitches:
            q = p + shift
            cost += 50.0 if not 0 <= q <= 127 else _note_cost(q, inst, low, high, edge)
            cost += 0.04 * abs(q - centre)
        cost += stay * abs(k) * len(pitches)
        if best_cost is None or cost < best_cost - 1e-9:
            best, best_cost = shift, cost
    return best


def fits_register(pitches: Sequence[int], inst: Instrument) -> bool:
    """True when most of ``pitches`` (three in four) lie in the instrument's register."""
    low, high = register(inst)
    inside = sum(1 for p in pitches if low <= p <= high)
    return bool(pitches) and inside * 4 >= len(pitches) * 3


def shifted(notes: Iterable[Note], semitones: int) -> list[Note]:
    return [replace(n, pitch=n.pitch + semitones) for n in notes
            if 0 <= n.pitch + semitones <= 127]


# --- a section's chord ------------------------------------------------------------------------


def voice_chord(tones: Sequence[int], chairs: int, *, low: int, high: int,
                prefer_pc: int | None = None) -> list[int]:
    """Up to ``chairs`` distinct pitches for a section, high to low: the chord's own tones,
    or, with fewer tones than chairs, the chord extended in close position by its own
    pitch classes (``prefer_pc`` first: the bass's, so the root is what is doubled), only
    within [low, high].  A single tone stays single: one chair plays a line."""
    voiced = sorted(set(tones), reverse=True)
    if len(voiced) < 2 or len(voiced) >= chairs:
        return voiced[:chairs]
    pcs = {p % 12 for p in voiced}
    while len(voiced) < chairs:
        up = next((p for p in range(voiced[0] + 1, voiced[0] + 13) if p % 12 in pcs), None)
        down = next((p for p in range(voiced[-1] - 1, voiced[-1] - 13, -1) if p % 12 in pcs),
                    None)
        options = [p for p in (up, down) if p is not None and low <= p <= high]
        if not options:
            break
        options.sort(key=lambda p: (p % 12 != prefer_pc, p != down))
        voiced = sorted({*voiced, options[0]}, reverse=True)
    return voiced


def harmony_at(chords: Sequence[Note], bass: Sequence[Note] = (),
               beat: Fraction = Fraction(1)) -> Callable[[Fraction], set[int]]:
    """Pitch classes of the harmony in force at an onset: the chord sounding then (else the
    nearest chord within a beat, else the last before it: an off-beat accompaniment's
    chord belongs to the bass note before it), with the bass note in force."""
    groups = by_onset(chords)
    onsets = sorted(groups)
    bass_line = sorted(bass, key=lambda n: n.onset)

    def at(t: Fraction) -> set[int]:
        pcs = {n.pitch % 12 for n in chords if n.onset <= t < n.end}
        if len(pcs) < 2 and onsets:
            near = min(onsets, key=lambda o: (abs(o - t), o < t))
            if abs(near - t) <= beat:
                pcs |= {n.pitch % 12 for n in groups[near]}
            else:
                before = [o for o in onsets if o <= t]
                if before:
                    pcs |= {n.pitch % 12 for n in groups[before[-1]]}
        held = [n for n in bass_line if n.onset <= t]
        if held:
            pcs.add(held[-1].pitch % 12)
        return pcs

    return at


def stack_below(top: int, pcs: set[int], lows: Sequence[int]) -> list[int]:
    """One chord tone per chair continuing the chord downward from just below ``top``, each
    at or above its chair's lowest note (``lows``, top chair first); a chair with no tone
    left in its range doubles the voice above it."""
    out: list[int] = []
    p = top - 1
    for low in lows:
        while p >= low and p % 12 not in pcs:
            p -= 1
        if p < low:
            out.append(out[-1] if out else top)
            continue
        out.append(p)
        p -= 1
    return out


def scale_of(key: tuple[int, str]) -> list[int]:
    tonic, mode = key
    return sorted((tonic + s) % 12 for s in SCALES["minor" if mode == "minor" else "major"])


def diatonic(pitch: int, steps: int, scale: Sequence[int]) -> int:
    """``pitch`` moved ``steps`` scale steps (negative: down); a note off the scale moves
    from the scale note just below it."""
    p = pitch
    while p % 12 not in scale:
        p -= 1
    direction = 1 if steps > 0 else -1
    for _ in range(abs(steps)):
        p += direction
        while p % 12 not in scale:
            p += direction
    return p


def harmonize(line: Sequence[Note], voices: int, chord: Callable[[Fraction], set[int]],
              key: tuple[int, str]) -> list[list[Note]]:
    """Block harmony under a line: for each note, ``voices`` notes below it, the next chord
    tones down when the note belongs to the chord, else the diatonic third and sixth below
    (a passing 6-3 chord).  Returns one list of notes per voice, top voice first."""
    scale = scale_of(key)
    out: list[list[Note]] = [[] for _ in range(voices)]
    for note in line:
        pcs = chord(note.onset)
        below: list[int] = []
        if note.pitch % 12 in pcs and len(pcs) >= 2:
            p = note.pitch
            while len(below) < voices:
                p = next(q for q in range(p - 1, p - 13, -1) if q % 12 in pcs)
                below.append(p)
        else:
            below = [diatonic(note.pitch, -2, scale), diatonic(note.pitch, -5, scale)][:voices]
            while len(below) < voices:
                below.append(diatonic(below[-1], -2, scale))
        for i, pitch in enumerate(below):
            if 0 <= pitch <= 127:
                out[i].append(replace(note, pitch=pitch))
    return out


# --- timpani ------------------------------------------------------------------------------------


def timpani_tuning(key: tuple[int, str], inst: Instrument) -> tuple[int, int]:
    """(tonic, dominant) for two drums: the tonic between F2 and E3, the dominant a fourth
    below it when the drum reaches, else a fifth above."""
    tonic = next(p for p in range(41, 53) if p % 12 == key[0])
    dominant = tonic - 5 if tonic - 5 >= max(inst.practical_low, 40) else tonic + 7
    return tonic, dominant


def timpani_notes(hits: Sequence[tuple[Fraction, int]], bass: Sequence[Note],
                  chord: Callable[[Fraction], set[int]], drums: Sequence[int],
                  beat: Fraction, *, lead: bool) -> tuple[list[Note], list[Fraction]]:
    """Timpani strokes at every hit (onset, velocity) on a drum whose note is in the chord:
    the bass note's drum first, then the tonic (``drums[0]``), the dominant (``drums[1]``),
    the other drums; with ``lead``, also the bass line's notes that a drum has, a long one
    (two beats or more) as a roll.  Returns the notes and the hits no drum fits."""
    notes: dict[Fraction, Note] = {}
    skipped: list[Fraction] = []
    line = sorted(bass, key=lambda n: n.onset)
    for onset, velocity in hits:
        held = [n for n in line if n.onset <= onset]
        low = held[-1].pitch % 12 if held else None
        pcs = chord(onset) | ({low} if low is not None else set())
        fitting = [d for d in drums if d % 12 in pcs]
        if not fitting:
            skipped.append(onset)
            continue
        pitch = next((d for d in fitting if d % 12 == low), fitting[0])
        notes[onset] = Note(onset, beat, pitch, velocity, ("accent",))
    if lead:
        for n in line:
            drum = next((d for d in drums if d % 12 == n.pitch % 12), None)
            if n.onset in notes or drum is None:
                continue
            roll = n.duration >= 2 * beat
            notes[n.onset] = Note(n.onset, n.duration, drum, n.velocity,
                                  ("tremolo",) if roll else ())
    ordered = sorted(notes.values(), key=lambda n: n.onset)
    return [replace(n, duration=min(n.duration, b.onset - n.onset))
            for n, b in zip(ordered, ordered[1:], strict=False)] + ordered[-1:], skipped


def timpani_drums(key: tuple[int, str], inst: Instrument, extra: Sequence[int] = ()
                  ) -> list[int]:
    """The drums' notes: tonic and dominant (``timpani_tuning``), then up to two more pitch
    classes (a set of four drums), each on the drum whose range holds it."""
    drums = list(timpani_tuning(key, inst))
    for pc in extra:
        if len(drums) >= 4 or any(d % 12 == pc for d in drums):
            continue
        pitch = next(p for p in range(max(inst.practical_low, 40), 53) if p % 12 == pc)
        drums.append(pitch)
    return drums


# --- written figures ----------------------------------------------------------------------------


def arpeggio(target: Fraction, pcs: set[int], beat: Fraction, velocity: int,
             *, start_pitch: int = 43, count: int = 8) -> list[Note]:
    """A rising arpeggio of the chord ``pcs`` in ``count`` even notes over the beat before
    ``target``, landing on the next chord tone at ``target`` (a beat long): how a harp's
    glissando is written when the glissando itself cannot be."""
    if not pcs:
        return []
    step = beat / count
    begin = target - beat if target >= beat else target
    land_at = target if target >= beat else target + beat
    pitches: list[int] = []
    p = start_pitch
    while len(pitches) < count + 1:
        if p % 12 in pcs:
            pitches.append(p)
        p += 1
    notes = [Note(begin + i * step, step, pitches[i], max(1, velocity - 10))
             for i in range(count)]
    return notes + [Note(land_at, beat, pitches[count], velocity, ("accent",))]


def run(target: Fraction, top: int, key: tuple[int, str], beat: Fraction, velocity: int,
        *, count: int = 8) -> list[Note]:
    """A rising diatonic scale run of ``count`` even notes over the beat before ``target``,
    landing on ``top`` at ``target`` (half a beat long)."""
    scale = scale_of(key)
    step = beat / count
    begin = target - beat if target >= beat else target
    land_at = target if target >= beat else target + beat
    pitches = [diatonic(top, -(count - i), scale) for i in range(count)]
    return [Note(begin + i * step, step, p, max(1, velocity - 10))
            for i, p in enumerate(pitches)] + [Note(land_at, beat / 2, top, velocity,
                                                    ("accent",))]


def rhythm_of(chords: Sequence[Note], rhythm: Sequence[Note]) -> list[Note]:
    """The chords of one staff in the rhythm of another (galloping strings: the harmony
    re-struck on every note of the bass's gallop)."""
    out: list[Note] = []
    ordered = sorted({n.onset: n for n in rhythm}.values(), key=lambda n: n.onset)
    for beat_note in ordered:
        sounding = [n for n in chords if n.onset <= beat_note.onset < n.end]
        for n in sounding:
            length = min(beat_note.duration, n.end - beat_note.onset)
            out.append(replace(n, onset=beat_note.onset, duration=length,
                               velocity=beat_note.velocity))
    return out
