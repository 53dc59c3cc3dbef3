"""The sketch's accompaniment: bass and pad patterns per meter (vocabulary as data).

An ``Accompaniment`` says what the bass and the pad play in each span of harmony, per
meter: the beats of the bar the bass plays on ("oom") and the beats the pad's short chords
fall on ("pah"), with the articulation a copyist writes on each (staccato afterbeats,
tenuto pads).  So an oom-pah is bass on 1 and chord on 2 in 2/4, bass on 1 and 3 and chords
on 2 and 4 in 4/4, and a waltz is bass on 1 and chords on 2 and 3 in 3/4.  The bass takes
the chord's root when the chord changes and alternates with its fifth while it holds; a
pedal holds the key's tonic.  Sustained notes of an instrument played tremolo carry the
"tremolo" articulation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from filmscore.sync.tempomap import Meter
from filmscore.writing.cuetime import bar_at, meter_at
from filmscore.writing.harmony import Span, bass_pitch, voice
from filmscore.writing.music import Note
from filmscore.writing.palette import Instrument

EIGHTH = Fraction(1, 2)
PLACEHOLDER_VELOCITY = 80  # the expression pass sets every velocity from the dynamics


@dataclass(frozen=True)
class Accompaniment:
    """What the bass and the pad play.

    ``bass``: "hold" (a note per harmony span), "beats" (on ``bass_beats``), "eighths"
    (the root every eighth, the upper octave on the off-eighths) or "gallop" (eighth and
    two sixteenths on every beat).  ``pad``: "hold" (sustained chords) or "beats" (a chord
    a beat long on ``pad_beats``).  ``bass_beats`` and ``pad_beats`` map a meter's number
    of beats to the beats of the bar (0 = the downbeat); a meter not listed takes the
    downbeat for the bass and every other beat for the pad.  ``bass_beats_long``: how many
    beats a "beats" bass note lasts (0: until the next one or the span's end).
    """

    bass: str
    pad: str
    bass_beats: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    pad_beats: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    bass_beats_long: int = 1
    pedal: bool = False  # the bass holds the key's tonic whatever the chord
    bass_articulation: str = ""
    pad_articulation: str = ""

    def bass_on(self, meter: Meter) -> tuple[int, ...]:
        return self.bass_beats.get(meter.numerator, (0,))

    def pad_on(self, meter: Meter) -> tuple[int, ...]:
        return self.pad_beats.get(meter.numerator, tuple(range(1, meter.numerator)))


_OOMPAH_BASS = {4: (0, 2), 6: (0, 3), 12: (0, 3, 6, 9)}
_OOMPAH_PAD = {2: (1,), 3: (1, 2), 4: (1, 3), 6: (1, 2, 4, 5)}

ACCOMPANIMENTS: dict[str, Accompaniment] = {
    "sustain": Accompaniment("hold", "hold", pad_articulation="tenuto"),
    "pedal": Accompaniment("hold", "hold", pedal=True, bass_articulation="tenuto",
                           pad_articulation="tenuto"),
    "tremolo": Accompaniment("beats", "hold", bass_beats_long=0, pad_articulation="tenuto"),
    "oompah": Accompaniment("beats", "beats", _OOMPAH_BASS, _OOMPAH_PAD,
                            pad_articulation="staccato"),
    "march": Accompaniment("beats", "beats", _OOMPAH_BASS, _OOMPAH_PAD,
                           bass_articulation="accent", pad_articulation="staccato"),
    "ostinato": Accompaniment("eighths", "hold", bass_articulation="staccato",
                              pad_articulation="tenuto"),
    "gallop": Accompaniment("gallop", "hold", bass_articulation="staccato",
                            pad_articulation="tenuto"),
    "waltz": Accompaniment("beats", "beats", {4: (0, 2)}, {2: (1,), 3: (1, 2), 4: (1, 3)},
                           pad_articulation="staccato"),
}


def _marks(*names: str) -> tuple[str, ...]:
    return tuple(n for n in names if n)


def _held(notes: list[Note], new: Note) -> None:
    """Add a sustained note, or lengthen the same pitch ending where it starts."""
    for i in range(len(notes) - 1, -1, -1):
        old = notes[i]
        if old.end < new.onset:
            break
        if old.pitch == new.pitch and old.end == new.onset:
            notes[i] = replace(old, duration=old.duration + new.duration)
            return
    notes.append(new)


def pad_part(style: Accompaniment, spans: Sequence[Span],
             bars: Sequence[tuple[Fraction, Meter]], inst: Instrument,
             until: Fraction) -> list[Note]:
    """The pad's chords in every span that starts before ``until``."""
    notes: list[Note] = []
    held = _marks(inst.articulation or style.pad_articulation)
    short = _marks(style.pad_articulation)
    for span in spans:
        if span.start >= until:
            continue
        end = min(span.end, until)
        voicing = voice(span.chord[1], inst)
        if style.pad == "hold":
            for p in voicing:
                _held(notes, Note(span.start, end - span.start, p, PLACEHOLDER_VELOCITY,
                                  held))
            continue
        meter = meter_at(bars, span.start)
        beat, bar = meter.beat_quarters, bar_at(bars, span.start)
        on = style.pad_on(meter)
        t = bar  # a span lies inside one bar
        while t < end:
            if t >= span.start and ((t - bar) / beat) % meter.numerator in on:
                notes += [Note(t, min(beat, end - t), p, PLACEHOLDER_VELOCITY, short)
                          for p in voicing]
            t += beat
    return notes


def _fifth(root: int, pc: int, inst: Instrument) -> int:
    """The chord's fifth (``pc``) nearest below the bass root, else above."""
    below = root - (root - pc) % 12
    return below if below >= inst.low else below + 12


def bass_part(style: Accompaniment, spans: Sequence[Span],
              bars: Sequence[tuple[Fraction, Meter]], inst: Instrument) -> list[Note]:
    """The bass line over the spans, in the style's pattern."""
    notes: list[Note] = []
    marks = _marks(style.bass_articulation)
    previous = None
    turn = 0
    for span in spans:
        a, b = span.start, span.end
        root_pc = span.key[0] if style.pedal else span.chord[0]
        root = bass_pitch(root_pc, inst)
        fifth = _fifth(root, span.chord[1][2 % len(span.chord[1])], inst)
        if span.chord != previous:
            turn = 0
        previous = span.chord
        meter = meter_at(bars, a)
        beat = meter.beat_quarters
        if style.bass == "hold":
            _held(notes, Note(a, b - a, root, PLACEHOLDER_VELOCITY, marks))
            continue
        if style.bass == "beats":
            bar = bar_at(bars, a)
            on = style.bass_on(meter)
            starts = []
            t = bar
            while t < b:
                index = (t - bar) / beat
                if t >= a and index.denominator == 1 and index % meter.numerator in on:
                    starts.append(t)
                t += beat
            for i, t in enumerate(starts):
                end = starts[i + 1] if i + 1 < len(starts) else b
                if style.bass_beats_long:
                    end = min(end, t + style.bass_beats_long * beat)
                pitch = root if style.pedal or turn % 2 == 0 else fifth
                turn += 1
                notes.append(Note(t, end - t, pitch, PLACEHOLDER_VELOCITY, marks))
            continue
        bar = bar_at(bars, a)
        t = a
        while t < b:
            if style.bass == "eighths":
                up = ((t - bar) / EIGHTH) % 2 == 1 and root + 12 <= inst.high
                notes.append(Note(t, min(EIGHTH, b - t), root + (12 if up else 0),
                                  PLACEHOLDER_VELOCITY, marks))
                t += EIGHTH
                continue
            for dt, length in ((0, EIGHTH), (EIGHTH, EIGHTH / 2),
                               (EIGHTH * 3 / 2, EIGHTH / 2)):  # gallop
                if t + dt < b:
                    notes.append(Note(t + dt, min(length, b - t - dt), root,
                                      PLACEHOLDER_VELOCITY, marks))
            t += beat
    return notes
