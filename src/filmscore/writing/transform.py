"""Theme transformations a composer uses: transpose, mode change, augment, invert, ...

Each function takes Music and returns a :class:`Transformed` (the new Music and a one-line
description for ``Theme.transformation``); it never changes its input.  All arithmetic is
on exact Note values (MIDI pitches, Fractions of quarter notes); music21 is not needed:
the scales are the small table ``MODES`` below.  ``TRANSFORMATIONS`` lists every
transformation with its parameters, as data, for the CLI and the web form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, NamedTuple

from filmscore.errors import InputError
from filmscore.limits import is_digits
from filmscore.sync.tempomap import Meter, TempoMap, parse_meter
from filmscore.writing.music import Music, Note, Part

# Semitones of each scale degree above the tonic.
MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
    "harmonic minor": (0, 2, 3, 5, 7, 8, 11),
    "melodic minor": (0, 2, 3, 5, 7, 9, 11),
}

# Register name -> default MIDI range (low, high) when no instrument range is given.
REGISTERS: dict[str, tuple[int, int]] = {
    "low": (36, 60),  # C2-C4: cellos, basses, bassoons, low horns
    "middle": (55, 79),  # G3-G5: violas, horns, clarinets, the singing middle
    "high": (72, 96),  # C5-C7: violins up high, flutes, piccolo's lower range
}

_PITCH_CLASSES = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


class Transformed(NamedTuple):
    """A transformation's result: the new music and a one-line description of it."""

    music: Music
    description: str


def pitch_name(pitch: int) -> str:
    """MIDI pitch as a name with octave (60 -> 'C4')."""
    return f"{_NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"


def parse_key(text: str, *, field: str = "key") -> tuple[int, str]:
    """'C major', 'f# minor', 'Bb dorian', 'E-' (music21 flats) -> (tonic pitch class, mode)."""
    match = re.match(r"^\s*([A-Ga-g])([#b\-]*)\s*(.*?)\s*$", text or "")
    mode = (match.group(3).lower() or "major") if match else ""
    if not match or mode not in MODES:
        raise InputError("not a key", field=field, value=text,
                         valid="a tonic and mode, e.g. 'C major', 'f# minor', 'Bb dorian'; "
                               f"modes: {', '.join(MODES)}")
    accidentals = match.group(2)
    tonic = (_PITCH_CLASSES[match.group(1).lower()] + accidentals.count("#")
             - accidentals.count("b") - accidentals.count("-")) % 12
    return tonic, mode


def _map_pitches(music: Music, fn: Callable[[int], int], what: str) -> Music:
    parts = []
    for part in music.parts:
        notes = []
        for n in part.notes:
            pitch = fn(n.pitch)
            if not 0 <= pitch <= 127:
                raise InputError(f"{what} takes a note out of the MIDI range", field="pitch",
                                 value=f"{pitch_name(n.pitch)} -> MIDI {pitch}",
                                 valid="MIDI 0 to 127")
            notes.append(replace(n, pitch=pitch))
        parts.append(replace(part, notes=tuple(notes)))
    return music.with_parts(parts)


def _map_times(music: Music, fn: Callable[[Note], tuple[Fraction, Fraction]], *,
               keep_marks: bool = True) -> Music:
    """Every note through ``fn``; the marks' times through it too (as a point: ``fn``
    must keep time's order), or, without ``keep_marks``, left out (a reversed line needs
    its dynamics and slurs written anew)."""
    def point(t: Fraction) -> Fraction:
        return fn(Note(t, 1, 60))[0]

    parts = []
    for part in music.parts:
        notes = []
        for n in part.notes:
            onset, duration = fn(n)
            notes.append(replace(n, onset=onset, duration=duration))
        marks = tuple(replace(m, onset=point(m.onset),
                              end=None if m.end is None else point(m.end))
                      for m in part.marks) if keep_marks else ()
        parts.append(replace(part, notes=tuple(notes), marks=marks))
    return music.with_parts(parts)


def _first_note(music: Music) -> Note:
    notes = sorted((n for _, n in music.notes()), key=lambda n: (n.onset, -n.pitch))
    if not notes:
        raise InputError("the music has no notes", field="music", valid="at least one note")
    return notes[0]


def _semitones_text(semitones: int) -> str:
    unit = "semitone" if abs(semitones) == 1 else "semitones"
    return f"{'up' if semitones > 0 else 'down'} {abs(semitones)} {unit}"


# --- pitch ---------------------------------------------------------------------------------


def transpose(music: Music, semitones: int) -> Transformed:
    """Every note up (positive) or down (negative) by ``semitones``."""
    semitones = int(semitones)
    if semitones == 0:
        return Transformed(music, "not transposed")
    moved = _map_pitches(music, lambda p: p + semitones, "transposing")
    return Transformed(replace(moved, key=""), f"transposed {_semitones_text(semitones)}")


def change_mode(music: Music, from_key: str, to_mode: str) -> Transformed:
    """Same tonic, another mode: each scale degree of ``from_key`` goes to the same degree
    of ``to_mode`` (C major -> C minor: E to Eb, A to Ab, B to Bb).

    A chromatic note (not in the source scale) keeps its distance above the scale degree
    just below it: in C major -> C minor, F# (degree 4 + 1) becomes F# (F + 1), and C#
    (degree 1 + 1) stays C#; in C major -> C phrygian, D# (degree 2 + 1) becomes D (Db + 1).
    """
    tonic, source = parse_key(from_key, field="from_key")
    target = (to_mode or "").strip().lower()
    if target not in MODES:
        raise InputError("unknown mode", field="to_mode", value=to_mode,
                         valid=", ".join(MODES))
    src, tgt = MODES[source], MODES[target]

    def move(pitch: int) -> int:
        rel = (pitch - tonic) % 12
        degree = max(i for i, step in enumerate(src) if step <= rel)
        return pitch + tgt[degree] - src[degree]

    moved = _map_pitches(music, move, "changing mode")
    tonic_name = _NOTE_NAMES[tonic]
    key = f"{tonic_name} {target}"
    return Transformed(replace(moved, key=key),
                       f"mode changed from {tonic_name} {source} to {key}")


def invert(music: Music, axis_pitch: int | None = None) -> Transformed:
    """Chromatic (mirror) inversion: each pitch p becomes 2*axis - p; the axis is the first
    note's pitch unless given (C D E around C -> C Bb Ab)."""
    axis = _first_note(music).pitch if axis_pitch is None else int(axis_pitch)
    moved = _map_pitches(music, lambda p: 2 * axis - p, "inverting")
    return Transformed(replace(moved, key=""), f"inverted around {pitch_name(axis)}")


def invert_diatonic(music: Music, key: str, axis_pitch: int | None = None) -> Transformed:
    """Diatonic inversion in ``key``: steps of the scale mirrored around the axis (the first
    note unless given), so C D E in C major becomes C B A.  A chromatic note is taken as
    the degree below plus k semitones and comes out as the mirrored degree minus k."""
    tonic, mode = parse_key(key)
    scale = MODES[mode]
    size = len(scale)

    def to_step(pitch: int) -> tuple[int, int]:
        octave, rel = divmod(pitch - tonic, 12)
        degree = max(i for i, step in enumerate(scale) if step <= rel)
        return octave * size + degree, rel - scale[degree]

    def from_step(step: int) -> int:
        octave, degree = divmod(step, size)
        return tonic + 12 * octave + scale[degree]

    axis = _first_note(music).pitch if axis_pitch is None else int(axis_pitch)
    axis_step, _ = to_step(axis)

    def move(pitch: int) -> int:
        step, extra = to_step(pitch)
        return from_step(2 * axis_step - step) - extra

    moved = _map_pitches(music, move, "inverting")
    return Transformed(moved, f"inverted diatonically in {key.strip()} around "
                              f"{pitch_name(axis)}")


def revoice(music: Music, register: str | int = "middle",
            instrument_range: tuple[int, int] | None = None) -> Transformed:
    """Move the music by whole octaves into a register.

    ``register`` is an octave shift (an int: -1 an octave down) or 'low', 'middle',
    'high'.  With a name, the shift is the one (among those putting every note inside
    ``instrument_range``, default the register's range in ``REGISTERS``) whose mean pitch
    is lowest, nearest the range's centre, or highest.  An int shift is checked against
    ``instrument_range`` when given.
    """
    pitches = [n.pitch for _, n in music.notes()]
    if not pitches:
        raise InputError("the music has no notes", field="music", valid="at least one note")
    low, high = min(pitches), max(pitches)
    if isinstance(register, str) and is_digits(register.strip().lstrip("+-")):
        register = int(register)
    if isinstance(register, int):
        shift = register
        if instrument_range is not None:
            lo, hi = instrument_range
            if low + 12 * shift < lo or high + 12 * shift > hi:
                raise InputError("the shifted music leaves the instrument's range",
                                 field="register", value=str(register),
                                 valid=f"notes within {pitch_name(lo)}-{pitch_name(hi)}")
    else:
        name = register.strip().lower()
        if name not in REGISTERS:
            raise InputError("unknown register", field="register", value=register,
                             valid=f"{', '.join(REGISTERS)} or an octave shift such as -1")
        lo, hi = instrument_range or REGISTERS[name]
        fits = [k for k in range(-10, 11) if low + 12 * k >= lo and high + 12 * k <= hi]
        if not fits:
            raise InputError("the music spans more than the range", field="register",
                             value=f"{pitch_name(low)}-{pitch_name(high)}",
                             valid=f"music fitting in {pitch_name(lo)}-{pitch_name(hi)}")
        mean = Fraction(sum(pitches), len(pitches))
        centre = Fraction(lo + hi, 2)
        if name == "low":
            shift = min(fits)
        elif name == "high":
            shift = max(fits)
        else:
            shift = min(fits, key=lambda k: (abs(mean + 12 * k - centre), abs(k)))
    moved = _map_pitches(music, lambda p: p + 12 * shift, "revoicing")
    octaves = "octave" if abs(shift) == 1 else "octaves"
    text = "kept in its octave" if shift == 0 else \
        f"moved {'up' if shift > 0 else 'down'} {abs(shift)} {octaves}"
    if isinstance(register, str):
        text += f" into the {register.strip().lower()} register"
    return Transformed(moved, text)


# --- time ----------------------------------------------------------------------------------


def augment(music: Music, factor: Fraction | int | str = Fraction(2)) -> Transformed:
    """Every onset and duration multiplied by ``factor`` (onsets counted from bar 1 beat 1):
    augmentation by 2 turns quarters into halves."""
    factor = _positive_fraction(factor, "factor")
    stretched = _map_times(music, lambda n: (n.onset * factor, n.duration * factor))
    return Transformed(stretched, f"augmented by {factor}")


def diminish(music: Music, factor: Fraction | int | str = 2) -> Transformed:
    """Every onset and duration divided by ``factor``: diminution by 2 halves the values."""
    factor = _positive_fraction(factor, "factor")
    shrunk = _map_times(music, lambda n: (n.onset / factor, n.duration / factor))
    return Transformed(shrunk, f"diminished by {factor}")


def retrograde(music: Music) -> Transformed:
    """The notes backwards in time, rhythm reversed too: a note that ended at the end now
    starts at the start (q e e -> e e q); the music keeps its first onset and its end."""
    first = min((n.onset for _, n in music.notes()), default=Fraction(0))
    last = music.end
    reversed_ = _map_times(music, lambda n: (first + last - n.end, n.duration),
                           keep_marks=False)
    return Transformed(reversed_, "retrograde")


def fragment(music: Music, first: int | None = None, last: int | None = None) -> Transformed:
    """The first or last ``n`` note events (a chord counts once), in every part, at their
    places in time."""
    if (first is None) == (last is None):
        raise InputError("give either first or last", field="first/last",
                         value=f"first={first}, last={last}",
                         valid="one of them: a number of notes, 1 or more")
    count = int(first if first is not None else last)  # type: ignore[arg-type]
    onsets = sorted({n.onset for _, n in music.notes()})
    if count < 1 or count > len(onsets):
        raise InputError("fragment size out of range", field="first" if first else "last",
                         value=str(count), valid=f"1 to {len(onsets)} notes")
    keep = set(onsets[:count] if first is not None else onsets[-count:])
    parts = [replace(p, notes=tuple(n for n in p.notes if n.onset in keep))
             for p in music.parts]
    which = "first" if first is not None else "last"
    unit = "note" if count == 1 else "notes"
    return Transformed(music.with_parts(parts), f"fragment: the {which} {count} {unit}")


def change_meter(music: Music, meter: Meter | str, rhythmic_remap: bool = False
                 ) -> Transformed:
    """Re-bar the music in ``meter``.

    Without ``rhythmic_remap`` the notes stay where they are (same onsets in quarter
    notes) and only the barring changes.  With it, each bar of the old meter (length Lo
    quarters, bars counted from bar 1 beat 1) is stretched uniformly onto a bar of the new
    meter (length Ln): a time t = b*Lo + r (0 <= r < Lo) goes to b*Ln + r*Ln/Lo, and a
    note's end goes the same way, so beat k of a 4/4 bar lands on quarter k*3/4 of a 3/4
    bar (the four quarters of a bar become four dotted eighths).
    """
    new = parse_meter(meter, field="meter") if isinstance(meter, str) else meter
    old = music.meter
    text = f"re-barred from {old} to {new}"
    tempo_map = music.tempo_map
    if tempo_map is not None:  # one segment in the new meter at the first quarter tempo
        first = tempo_map.segments[0]
        bpm = Fraction(first.tempo_bpm) * first.meter.beat_quarters / new.beat_quarters
        bar = new.numerator * new.beat_quarters
        tempo_map = TempoMap.constant(tempo_map.rate, tempo_map.start_frame, bpm,
                                      max(1, int(-(-music.end // bar))), new)
    if not rhythmic_remap:
        return Transformed(replace(music, meter=new, tempo_map=tempo_map), text)
    lo = old.numerator * old.beat_quarters
    ln = new.numerator * new.beat_quarters

    def place(t: Fraction) -> Fraction:
        bar = t // lo
        return bar * ln + (t - bar * lo) * ln / lo

    def remap(n: Note) -> tuple[Fraction, Fraction]:
        onset = place(n.onset)
        return onset, place(n.end) - onset

    remapped = _map_times(replace(music, meter=new, tempo_map=tempo_map), remap)
    return Transformed(remapped, text + f", each bar's rhythm stretched by {ln / lo}")


def change_tempo(music: Music, tempo_bpm: Fraction | int | str, rate: str = "24"
                 ) -> Transformed:
    """Music with a constant TempoMap at ``tempo_bpm`` (beats of its meter per minute)."""
    from filmscore.sync.tempomap import parse_tempo

    bpm = parse_tempo(tempo_bpm if not isinstance(tempo_bpm, str) else tempo_bpm.strip(),
                      rate, field="tempo_bpm")
    bar = music.meter.numerator * music.meter.beat_quarters
    bars = max(1, -(-music.end // bar))
    first = min((n.onset for _, n in music.notes()), default=Fraction(0))
    pickup_beats = 0
    if first < 0:
        beats = -first / music.meter.beat_quarters
        if beats.denominator == 1 and beats < music.meter.numerator:
            pickup_beats = int(beats)
    tmap = TempoMap.constant(rate, 0, bpm, int(bars), music.meter, pickup_beats=pickup_beats)
    return Transformed(replace(music, tempo_map=tmap), f"tempo set to {bpm} BPM")


def _positive_fraction(value: Any, field: str) -> Fraction:
    try:
        result = Fraction(str(value).strip()) if isinstance(value, str) else Fraction(value)
    except (ValueError, ZeroDivisionError, TypeError):
        result = Fraction(-1)
    if result <= 0:
        raise InputError("not a positive number", field=field, value=str(value),
                         valid="a number above 0 such as 2, 3/2 or 1.5")
    return result


# --- the vocabulary, as data ------------------------------------------------------------


def _range(text: str) -> tuple[int, int]:
    match = re.match(r"^\s*(\d{1,3})\s*[-:,]\s*(\d{1,3})\s*$", str(text))
    if not match or not int(match.group(1)) < int(match.group(2)) <= 127:
        raise InputError("not a MIDI range", field="instrument_range", value=text,
                         valid="LOW-HIGH MIDI pitches, e.g. 55-88")
    return int(match.group(1)), int(match.group(2))


def _int(text: str, field: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise InputError("not a whole number", field=field, value=text,
                         valid="a whole number such as 3 or -2") from None


def _bool(text: str, field: str) -> bool:
    value = str(text).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise InputError("not yes or no", field=field, value=text, valid="yes/no, true/false")


@dataclass(frozen=True)
class Param:
    """One parameter of a transformation: its name, how to read it from text, help."""

    name: str
    parse: Callable[[str], Any]
    help: str
    required: bool = True
    default: Any = None


@dataclass(frozen=True)
class Transformation:
    """A named transformation: its function, parameters and a one-line help."""

    name: str
    function: Callable[..., Transformed]
    params: tuple[Param, ...]
    help: str


def _p(name: str, kind: str, help: str, required: bool = True, default: Any = None) -> Param:
    parsers: dict[str, Callable[[str], Any]] = {
        "int": lambda t: _int(t, name),
        "fraction": lambda t: _positive_fraction(t, name),
        "text": str,
        "meter": lambda t: parse_meter(t, field=name),
        "bool": lambda t: _bool(t, name),
        "range": _range,
        "register": lambda t: _int(t, name) if is_digits(str(t).strip().lstrip("+-"))
        else str(t).strip(),
    }
    return Param(name, parsers[kind], help, required, default)


TRANSFORMATIONS: dict[str, Transformation] = {t.name: t for t in (
    Transformation("transpose", transpose, (_p("semitones", "int", "up (+) or down (-)"),),
                   "every note up or down by semitones"),
    Transformation("change_mode", change_mode, (
        _p("from_key", "text", "the music's key, e.g. 'C major'"),
        _p("to_mode", "text", f"one of: {', '.join(MODES)}")),
        "same tonic, another mode (degree by degree)"),
    Transformation("invert", invert, (
        _p("axis_pitch", "int", "MIDI pitch of the mirror (default: the first note)",
           required=False),), "chromatic mirror inversion"),
    Transformation("invert_diatonic", invert_diatonic, (
        _p("key", "text", "the key whose scale steps are mirrored"),
        _p("axis_pitch", "int", "MIDI pitch of the mirror (default: the first note)",
           required=False)), "diatonic inversion in a key"),
    Transformation("retrograde", retrograde, (), "the notes backwards, rhythm reversed"),
    Transformation("augment", augment, (
        _p("factor", "fraction", "how many times longer (default 2)", False, Fraction(2)),),
        "longer notes: onsets and durations times factor"),
    Transformation("diminish", diminish, (
        _p("factor", "fraction", "how many times shorter (default 2)", False, Fraction(2)),),
        "shorter notes: onsets and durations divided by factor"),
    Transformation("fragment", fragment, (
        _p("first", "int", "keep the first N notes", required=False),
        _p("last", "int", "keep the last N notes", required=False)),
        "the first or last N notes"),
    Transformation("change_meter", change_meter, (
        _p("meter", "meter", "the new meter, e.g. 3/4"),
        _p("rhythmic_remap", "bool", "stretch each bar onto the new bar", False, False)),
        "re-bar in another meter, optionally stretching each bar's rhythm"),
    Transformation("change_tempo", change_tempo, (
        _p("tempo_bpm", "text", "beats per minute, e.g. 96 or 117.55"),),
        "a constant tempo map at a new tempo"),
    Transformation("revoice", revoice, (
        _p("register", "register", "low, middle, high, or an octave shift such as -1",
           False, "middle"),
        _p("instrument_range", "range", "LOW-HIGH MIDI pitches, e.g. 55-88", required=False)),
        "move by octaves into a register or an instrument's range"),
)}


def apply_transformation(name: str, music: Music, args: dict[str, str] | None = None
                         ) -> Transformed:
    """Run the transformation ``name`` with parameters given as text (from a CLI or form)."""
    spec = TRANSFORMATIONS.get(name)
    if spec is None:
        raise InputError("unknown transformation", field="op", value=name,
                         valid=", ".join(TRANSFORMATIONS))
    args = dict(args or {})
    known = {p.name for p in spec.params}
    for key in args:
        if key not in known:
            raise InputError(f"{name} takes no parameter of that name", field="parameter",
                             value=key, valid=", ".join(sorted(known)) or "no parameters")
    kwargs: dict[str, Any] = {}
    for param in spec.params:
        if param.name in args and args[param.name] not in (None, ""):
            kwargs[param.name] = param.parse(args[param.name])
        elif param.required:
            raise InputError(f"{name} needs {param.name}", field=param.name,
                             valid=param.help)
        elif param.default is not None:
            kwargs[param.name] = param.default
    return spec.function(music, **kwargs)


def one_line(notes: list[Note] | tuple[Note, ...], name: str = "melody") -> Music:
    """Convenience: one-part Music from notes (for tests and the CLI)."""
    return Music(parts=(Part(name=name, notes=tuple(notes)),))


__all__ = ["MODES", "REGISTERS", "TRANSFORMATIONS", "Transformed", "Transformation", "Param",
           "apply_transformation", "augment", "change_meter", "change_mode", "change_tempo",
           "diminish", "fragment", "invert", "invert_diatonic", "one_line", "parse_key",
           "pitch_name", "retrograde", "revoice", "transpose"]
