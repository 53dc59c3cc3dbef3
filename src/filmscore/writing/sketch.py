"""Short-score sketches of a cue: themes placed and adapted on the cue's tempo map.

``sketch_cue(cue, tempo_map, themes, plan=...)`` is pure.  It lays the plan's theme
statements (each a theme run through transformation steps) end to end in a melody part,
a new statement starting at each section point (the plan's ``at`` timecodes, else the
cue's weight-2 hard hits and downbeats), harmonises the melody bar by bar (half bars in
even meters) with a pad (or carries a countermelody), adds a bass in the plan's
accompaniment pattern, and puts a strong event on every **hard** sync point: a chord stab
in the pad, the chord's root in the bass and a hit in the percussion part, exactly at
the hit's musical position rounded to the nearest eighth.  Soft hits get a light cymbal.
The cue ends with a button (tonic chord, bass, melody and crash) at its ``end`` sync point.

Instruments come from the cue's instrumentation text through the tables below
(vocabulary as data): the instrument named before "lead" takes the melody.

Steps (``ThemeUse.steps``) are text, applied in order, through
``filmscore.writing.transform``: ``transpose:N``, ``octave:N``, ``minor``/``major``
(harmonic minor / major on the same tonic), ``augment:F``, ``diminish:F``, ``invert``,
``retrograde``, ``fragment:N`` (first N notes), ``tail:N`` (last N notes) and
``sequence:SxK`` (K statements, each S semitones above the last, e.g. ``sequence:+2x3``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from filmscore.errors import InputError
from filmscore.spotting.cues import CueSpec
from filmscore.sync.tempomap import TICKS_PER_QUARTER, Meter, Position, TempoMap
from filmscore.writing import transform as tf
from filmscore.writing.music import Music, Note, Part

EIGHTH = Fraction(1, 2)

# --- instruments, as data -----------------------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    name: str
    program: int  # General MIDI
    low: int  # MIDI range
    high: int


INSTRUMENTS: dict[str, Instrument] = {i.name: i for i in (
    Instrument("trumpet", 56, 55, 82),
    Instrument("trombone", 57, 40, 72),
    Instrument("bass trombone", 57, 34, 65),
    Instrument("horn", 60, 41, 77),
    Instrument("tuba", 58, 28, 58),
    Instrument("bassoon", 70, 34, 75),
    Instrument("contrabassoon", 70, 22, 53),
    Instrument("piccolo", 72, 74, 108),
    Instrument("flute", 73, 60, 96),
    Instrument("clarinet", 71, 50, 91),
    Instrument("woodwinds", 71, 50, 91),
    Instrument("xylophone", 13, 65, 108),
    Instrument("celesta", 8, 60, 108),
    Instrument("music box", 10, 60, 96),
    Instrument("voice", 53, 40, 67),
    Instrument("violins", 40, 55, 100),
    Instrument("strings", 48, 43, 88),
    Instrument("strings tremolo", 44, 43, 88),
    Instrument("strings pizzicato", 45, 43, 88),
    Instrument("concertina", 21, 53, 93),
    Instrument("harp", 46, 24, 103),
    Instrument("contrabass", 43, 28, 55),
    Instrument("contrabass pizzicato", 45, 28, 55),
)}

#: Words in the instrumentation text -> instrument, per role.  The melody is the
#: instrument mentioned first in the clause holding "lead" (else in the whole text);
#: pad and bass take the first entry of their table found in the text.
MELODY_WORDS: tuple[tuple[str, str], ...] = (
    ("low brass", "trombone"), ("muted trombone", "trombone"), ("trombone", "trombone"),
    ("trumpet", "trumpet"), ("horn", "horn"), ("brass", "trumpet"), ("tuba", "tuba"),
    ("contrabassoon", "contrabassoon"), ("bassoon", "bassoon"), ("piccolo", "piccolo"),
    ("clarinet", "clarinet"), ("woodwind", "clarinet"), ("flute", "flute"),
    ("xylophone", "xylophone"), ("vocal", "voice"), ("music box", "music box"),
    ("celeste", "celesta"), ("strings", "violins"),
)
PAD_WORDS: tuple[tuple[str, str], ...] = (
    ("string tremolo", "strings tremolo"), ("tremolo", "strings tremolo"),
    ("concertina", "concertina"), ("pizzicato strings", "strings pizzicato"),
    ("strings", "strings"), ("string pedal", "strings"), ("music box", "music box"),
    ("celeste", "celesta"), ("harp", "harp"), ("woodwind", "woodwinds"),
)
BASS_WORDS: tuple[tuple[str, str], ...] = (
    ("tuba", "tuba"), ("contrabassoon", "contrabassoon"), ("low strings", "contrabass"),
    ("pizzicato", "contrabass pizzicato"), ("bassoon", "bassoon"),
    ("low brass", "bass trombone"), ("celeste", "celesta"), ("music box", "celesta"),
)
DEFAULTS = {"melody": "violins", "pad": "strings", "bass": "contrabass"}
PERCUSSION_WORDS = ("timpani", "bass drum", "cymbal", "snare")

#: General MIDI drum notes for each strength of hit; "light" for small (non-orchestral)
#: ensembles such as a music box.
HIT_SOUNDS: dict[str, dict[str, tuple[int, ...]]] = {
    "orchestra": {"big": (49, 36, 41), "hit": (36, 38), "soft": (51,), "button": (49, 36)},
    "light": {"big": (81, 76), "hit": (81,), "soft": (80,), "button": (81, 76)},
}

# --- accompaniment patterns, as data --------------------------------------------------


@dataclass(frozen=True)
class Accompaniment:
    """Per beat of the bar: what the bass and the pad play (None: hold through)."""

    bass: str  # "hold" (root for the harmony span), "oompah" (beats 1, 3: root, fifth),
    # "eighths" (root every eighth), "gallop" (eighth + two sixteenths), "first" (beat 1)
    pad: str  # "hold" (sustained chords), "offbeats" (short chords on the other beats),
    # "afterbeats" (short chords on every beat but the first)
    pedal: bool = False  # bass holds the key's tonic whatever the chord


ACCOMPANIMENTS: dict[str, Accompaniment] = {
    "sustain": Accompaniment("hold", "hold"),
    "pedal": Accompaniment("hold", "hold", pedal=True),
    "tremolo": Accompaniment("first", "hold"),
    "oompah": Accompaniment("oompah", "offbeats"),
    "march": Accompaniment("oompah", "offbeats"),
    "ostinato": Accompaniment("eighths", "hold"),
    "gallop": Accompaniment("gallop", "hold"),
    "waltz": Accompaniment("first", "afterbeats"),
}


# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeUse:
    """One statement: a theme by name, its transformation steps, and optionally the
    timecode (a frame inside the cue, usually a sync point) where it must start."""

    theme: str
    steps: tuple[str, ...] = ()
    at: str = ""


@dataclass(frozen=True)
class CuePlan:
    """What a cue's sketch is made of.

    ``melody`` statements are laid end to end; one with ``at`` starts a new section there
    (cutting the one before).  Without any ``at``, sections start at the cue's weight-2
    hard hits and downbeats and the statements cycle.  ``counter`` does the same in the
    pad part (chords play until the counter's first statement).  ``accompaniment`` is a
    key of ``ACCOMPANIMENTS``; ``dynamic`` the base velocity.
    """

    melody: tuple[ThemeUse, ...]
    counter: tuple[ThemeUse, ...] = ()
    accompaniment: str = "sustain"
    dynamic: int = 84
    idea: str = ""


def use(theme: str, *steps: str, at: str = "") -> ThemeUse:
    return ThemeUse(theme, tuple(steps), at)


# --- a theme as a line with a key -----------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    music: Music  # one part; onsets relative to the statement's downbeat (pickup < 0)
    bar: Fraction  # the theme's bar in quarters (scaled by augmentation)
    tonic: int  # pitch class
    mode: str  # "major" or "minor"
    keys: tuple[tuple[Fraction, int, str], ...] = ()  # key changes inside (sequences)

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(sorted((n for _, n in self.music.notes()), key=lambda n: n.onset))

    @property
    def span(self) -> Fraction:
        end = max(n.end for n in self.notes)
        return max(self.bar, math.ceil(end / self.bar) * self.bar)

    def key_at(self, t: Fraction) -> tuple[int, str]:
        tonic, mode = self.tonic, self.mode
        for onset, k_tonic, k_mode in self.keys:
            if onset <= t:
                tonic, mode = k_tonic, k_mode
        return tonic, mode


def _theme_line(name: str, theme: Music) -> _Line:
    notes = sorted((n for _, n in theme.notes()), key=lambda n: n.onset)
    if not notes:
        raise InputError("the theme has no notes", field="theme", value=name,
                         valid="a theme with at least one note")
    meter = theme.meter
    bar = meter.numerator * meter.beat_quarters
    downbeat = math.ceil(notes[0].onset / bar) * bar
    music = Music(parts=(Part(name, tuple(replace(n, onset=n.onset - downbeat)
                                          for n in notes)),), meter=meter)
    try:
        tonic, mode = tf.parse_key(theme.key) if theme.key else (notes[-1].pitch % 12, "major")
    except InputError:
        tonic, mode = notes[-1].pitch % 12, "major"
    mode = "minor" if "minor" in mode or mode in ("dorian", "phrygian", "locrian") else "major"
    return _Line(music, bar, tonic, mode)


_KEY_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def _shift_keys(line: _Line, semitones: int) -> dict:
    return {"tonic": (line.tonic + semitones) % 12,
            "keys": tuple((t, (k + semitones) % 12, m) for t, k, m in line.keys)}


def _transpose(line: _Line, n: int) -> _Line:
    return replace(line, music=tf.transpose(line.music, n).music, **_shift_keys(line, n))


def _mode(line: _Line, target: str) -> _Line:
    if line.mode == target:
        return line
    source = "minor" if line.mode == "minor" else "major"
    music = tf.change_mode(line.music, f"{_KEY_NAMES[line.tonic]} {source}",
                           "harmonic minor" if target == "minor" else "major").music
    return replace(line, music=music, mode=target,
                   keys=tuple((t, k, target) for t, k, _ in line.keys))


def _scale_time(line: _Line, factor: Fraction) -> _Line:
    return replace(line, music=tf.augment(line.music, factor).music, bar=line.bar * factor,
                   keys=tuple((t * factor, k, m) for t, k, m in line.keys))


def _invert(line: _Line) -> _Line:
    axis = line.notes[0].pitch
    music = tf.invert(line.music).music
    flip = "major" if line.mode == "minor" else "minor"
    return replace(line, music=music, tonic=(2 * axis - line.tonic) % 12, mode=flip,
                   keys=tuple((t, (2 * axis - k) % 12, "major" if m == "minor" else "minor")
                              for t, k, m in line.keys))


def _retrograde(line: _Line) -> _Line:
    music = tf.retrograde(line.music).music
    first = min(n.onset for _, n in music.notes())
    shift = -math.floor(first / line.bar) * line.bar
    return replace(line, music=_moved(music, shift, 0), keys=())


def _fragment(line: _Line, count: int, *, last: bool = False) -> _Line:
    count = min(count, len({n.onset for n in line.notes}))
    music = tf.fragment(line.music, **({"last": count} if last else {"first": count})).music
    if last:
        first = min(n.onset for _, n in music.notes())
        music = _moved(music, -math.floor(first / line.bar) * line.bar, 0)
    return replace(line, music=music)


def _sequence(line: _Line, step: int, times: int) -> _Line:
    span = line.span
    notes, keys = [], list(line.keys) or [(Fraction(-10**6), line.tonic, line.mode)]
    for i in range(times):
        notes += [replace(n, onset=n.onset + i * span, pitch=n.pitch + i * step)
                  for n in line.notes if 0 <= n.pitch + i * step <= 127]
        if i:
            keys.append((i * span - EIGHTH, (line.tonic + i * step) % 12, line.mode))
    part = replace(line.music.parts[0], notes=tuple(notes))
    return replace(line, music=line.music.with_parts([part]), keys=tuple(keys))


def _moved(music: Music, dt: Fraction, dp: int) -> Music:
    return music.with_parts([replace(p, notes=tuple(replace(n, onset=n.onset + dt,
                                                            pitch=n.pitch + dp)
                                                    for n in p.notes))
                             for p in music.parts])


def _int_arg(arg: str, step: str) -> int:
    try:
        return int(arg)
    except ValueError:
        raise InputError("the step needs a whole number", field="step", value=step,
                         valid="e.g. transpose:-5, fragment:4") from None


def _factor(arg: str, step: str) -> Fraction:
    try:
        value = Fraction(arg or 2)
    except (ValueError, ZeroDivisionError):
        value = Fraction(0)
    if value <= 0:
        raise InputError("the step needs a factor above 0", field="step", value=step,
                         valid="e.g. augment:2, diminish:3/2")
    return value


def _sequence_step(line: _Line, arg: str, step: str) -> _Line:
    match = re.fullmatch(r"([+-]?\d{1,2})x(\d)", arg)
    if not match or int(match[2]) < 1:
        raise InputError("not a sequence", field="step", value=step,
                         valid="sequence:SxK, e.g. sequence:+2x3")
    return _sequence(line, int(match[1]), int(match[2]))


#: The step vocabulary: name -> (function(line, argument text, whole step), help).
STEPS: dict[str, tuple[Callable[[_Line, str, str], _Line], str]] = {
    "transpose": (lambda ln, a, s: _transpose(ln, _int_arg(a, s)), "up/down N semitones"),
    "octave": (lambda ln, a, s: _transpose(ln, 12 * _int_arg(a, s)), "up/down N octaves"),
    "minor": (lambda ln, a, s: _mode(ln, "minor"), "harmonic minor on the same tonic"),
    "major": (lambda ln, a, s: _mode(ln, "major"), "major on the same tonic"),
    "augment": (lambda ln, a, s: _scale_time(ln, _factor(a, s)), "notes F times longer"),
    "diminish": (lambda ln, a, s: _scale_time(ln, 1 / _factor(a, s)), "notes F times shorter"),
    "invert": (lambda ln, a, s: _invert(ln), "mirror around the first note"),
    "retrograde": (lambda ln, a, s: _retrograde(ln), "backwards"),
    "fragment": (lambda ln, a, s: _fragment(ln, _int_arg(a, s)), "the first N notes"),
    "tail": (lambda ln, a, s: _fragment(ln, _int_arg(a, s), last=True), "the last N notes"),
    "sequence": (lambda ln, a, s: _sequence_step(ln, a, s), "K statements S semitones apart"),
}


def apply_steps(name: str, theme: Music, steps: Sequence[str]) -> _Line:
    line = _theme_line(name, theme)
    for step in steps:
        op, _, arg = step.partition(":")
        spec = STEPS.get(op.strip())
        if spec is None:
            raise InputError("unknown sketch step", field="step", value=step,
                             valid=", ".join(STEPS))
        line = spec[0](line, arg.strip(), step)
    return line


# --- time on the cue's map ---------------------------------------------------------------------


def _bar_starts(tmap: TempoMap, until: Fraction) -> list[tuple[Fraction, Meter]]:
    """(start in quarters, meter) of each bar from bar 1, continuing past the map."""
    out, q = [], Fraction(0)
    for seg in tmap.segments:
        length = seg.meter.numerator * seg.meter.beat_quarters
        for _ in range(seg.bars):
            out.append((q, seg.meter))
            q += length
    last = tmap.segments[-1].meter
    while q <= until + 8:
        out.append((q, last))
        q += last.numerator * last.beat_quarters
    return out


def quarters_of(tmap: TempoMap, position: Position) -> Fraction:
    """A bar|beat|tick position as quarter notes from bar 1 beat 1."""
    ticks = Fraction(position.tick, TICKS_PER_QUARTER)
    if position.bar < 1:
        meter = tmap.segments[0].meter
        bar = meter.numerator * meter.beat_quarters
        return (position.bar - 1) * bar + (position.beat - 1) * meter.beat_quarters + ticks
    q, bar = Fraction(0), 1
    meter = tmap.segments[0].meter
    for seg in tmap.segments:
        meter = seg.meter
        if position.bar < bar + seg.bars:
            break
        q += seg.bars * seg.meter.numerator * seg.meter.beat_quarters
        bar += seg.bars
    return q + (position.bar - bar) * meter.numerator * meter.beat_quarters \
        + (position.beat - 1) * meter.beat_quarters + ticks


def frame_quarters(tmap: TempoMap, frame: int) -> Fraction:
    """Where a frame's start falls, in quarter notes from bar 1 (floored to the tick)."""
    return quarters_of(tmap, tmap.position_at(tmap.seconds_of_frame(frame)))


def hit_quarters(tmap: TempoMap, frame: int) -> Fraction:
    """A hit's musical position: the frame's position rounded to the nearest eighth."""
    return Fraction(math.floor(frame_quarters(tmap, frame) / EIGHTH + Fraction(1, 2))) * EIGHTH


# --- harmony ----------------------------------------------------------------------------------

_SCALES = {"major": {0, 2, 4, 5, 7, 9, 11}, "minor": {0, 2, 3, 5, 7, 8, 10, 11}}
_CHORDS: tuple[tuple[int, tuple[int, ...]], ...] = tuple(
    (root, tuple((root + i) % 12 for i in shape))
    for shape in ((0, 4, 7), (0, 3, 7)) for root in range(12)
) + tuple((root, (root, (root + 3) % 12, (root + 6) % 12, (root + 9) % 12))
          for root in range(3))


def _choose_chord(weights: dict[int, Fraction], key: tuple[int, str],
                  previous: tuple[int, tuple[int, ...]] | None
                  ) -> tuple[int, tuple[int, ...]]:
    tonic, mode = key
    home = (tonic, tuple((tonic + i) % 12 for i in ((0, 4, 7) if mode == "major"
                                                    else (0, 3, 7))))
    total = sum(weights.values())
    if not total:
        return previous or home
    scale = {(tonic + i) % 12 for i in _SCALES[mode]}

    def score(chord: tuple[int, tuple[int, ...]]) -> tuple[Fraction, int]:
        root, pcs = chord
        s = sum(w for pc, w in weights.items() if pc in pcs)
        s -= sum(w for pc, w in weights.items() if pc not in pcs) / 2
        if set(pcs) <= scale:
            s += total / 4
        if chord == home:
            s += total / 8
        if len(pcs) == 4:
            s -= total / 8
        return s, -_CHORDS.index(chord)

    return max(_CHORDS, key=score)


def _voice(pcs: Sequence[int], inst: Instrument) -> tuple[int, ...]:
    target = min(max(64, inst.low + 7), inst.high - 7)
    best = None
    for inversion in range(len(pcs)):
        order = list(pcs[inversion:]) + list(pcs[:inversion])
        for base in range(inst.low, inst.high - 11):
            if base % 12 != order[0]:
                continue
            notes, last = [], base - 1
            for pc in order:
                p = last + 1 + (pc - last - 1) % 12
                notes.append(p)
                last = p
            if notes[-1] > inst.high:
                continue
            cost = abs(Fraction(sum(notes), len(notes)) - target)
            if best is None or cost < best[0]:
                best = (cost, tuple(notes))
    return best[1] if best else tuple(inst.low + (pc - inst.low) % 12 for pc in pcs)


def _bass_pitch(pc: int, inst: Instrument) -> int:
    low = max(inst.low, 36) if inst.high >= 48 else inst.low
    return low + (pc - low) % 12


def _fit_octaves(notes: list[Note], inst: Instrument) -> list[Note]:
    if not notes:
        return notes

    def cost(k: int) -> tuple[int, int]:
        outside = sum(1 for n in notes if not inst.low <= n.pitch + 12 * k <= inst.high)
        return outside, abs(k)

    k = min(range(-5, 6), key=cost)
    return [replace(n, pitch=min(127, max(0, n.pitch + 12 * k))) for n in notes]


# --- instruments from the text ---------------------------------------------------------------


def _earliest(text: str, table: Sequence[tuple[str, str]]) -> str | None:
    found = [(text.find(word), -len(word), name) for word, name in table if word in text]
    return min(found)[2] if found else None


def _first(text: str, table: Sequence[tuple[str, str]], avoid: str) -> str | None:
    return next((name for word, name in table if word in text and name != avoid), None)


def choose_instruments(instrumentation: str) -> dict[str, Instrument]:
    """Melody, pad and bass instruments for a cue's instrumentation text."""
    text = " ".join(instrumentation.lower().split())
    lead = next((c for c in re.split(r"[,;]", text) if re.search(r"\blead\b", c)), "")
    melody = _earliest(lead, MELODY_WORDS) or _earliest(text, MELODY_WORDS) \
        or DEFAULTS["melody"]
    pad = _first(text, PAD_WORDS, melody) or DEFAULTS["pad"]
    bass = _first(text, BASS_WORDS, melody) or DEFAULTS["bass"]
    return {"melody": INSTRUMENTS[melody], "pad": INSTRUMENTS[pad], "bass": INSTRUMENTS[bass]}


# --- the sketch ---------------------------------------------------------------------------------


@dataclass
class _Layout:
    notes: list[Note] = field(default_factory=list)
    keys: list[tuple[Fraction, tuple[int, str]]] = field(default_factory=list)
    starts: list[Fraction] = field(default_factory=list)


def _sections(plan_uses: Sequence[ThemeUse], cue: CueSpec, tmap: TempoMap, start: Fraction,
              button: Fraction, bar: Fraction) -> list[tuple[Fraction, list[ThemeUse]]]:
    from filmscore.timecode import parse_label

    if any(u.at for u in plan_uses):
        groups: list[tuple[Fraction, list[ThemeUse]]] = []
        for u in plan_uses:
            if u.at:
                frame = parse_label(u.at, tmap.rate, field="at")
                if not cue.start_frame <= frame < cue.end_frame:
                    raise InputError("a plan's 'at' lies outside its cue", field="at",
                                     value=u.at, valid=f"inside cue {cue.number}")
                groups.append((max(start, hit_quarters(tmap, frame)), [u]))
            elif groups:
                groups[-1][1].append(u)
            else:
                groups.append((start, [u]))
        if groups[0][0] > start:
            groups.insert(0, (start, list(groups[0][1])))
        return sorted(groups, key=lambda g: g[0])
    points = [start]
    for s in sorted(cue.sync_points, key=lambda s: s.frame):
        if s.kind in ("hard", "downbeat") and s.weight >= 2:
            q = hit_quarters(tmap, s.frame)
            if q >= points[-1] + bar and q <= button - bar:
                points.append(q)
    cycle = list(plan_uses)
    out = []
    for i, p in enumerate(points):
        k = i % len(cycle)
        out.append((p, cycle[k:] + cycle[:k]))
    return out


def _lay(uses_by_section, themes: Mapping[str, Music], start: Fraction, button: Fraction,
         velocity: int) -> _Layout:
    layout = _Layout()
    cache: dict[ThemeUse, _Line] = {}
    bounds = [s for s, _ in uses_by_section] + [button]
    for index, (section_start, uses) in enumerate(uses_by_section):
        end = bounds[index + 1]
        t, k = section_start, 0
        while t < end:
            u = uses[k % len(uses)]
            if u not in cache:
                if u.theme not in themes:
                    raise InputError("the plan names a theme that is not given",
                                     field="theme", value=u.theme,
                                     valid=", ".join(sorted(themes)) or "no themes given")
                cache[u] = apply_steps(u.theme, themes[u.theme], u.steps)
            line = cache[u]
            layout.starts.append(t)
            layout.keys.append((t, line.key_at(Fraction(0))))
            layout.keys += [(t + kt, (kk, km)) for kt, kk, km in line.keys if kt > 0]
            for n in line.notes:
                onset = t + n.onset
                if start <= onset < end:
                    accent = 14 if onset == section_start else 0
                    layout.notes.append(replace(n, onset=onset,
                                                velocity=min(127, velocity + accent)))
            t += line.span
            k += 1
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


def _key_at(keys: Sequence[tuple[Fraction, tuple[int, str]]], t: Fraction,
            default: tuple[int, str]) -> tuple[int, str]:
    key = default
    for onset, k in keys:
        if onset <= t:
            key = k
    return key


def sketch_cue(cue: CueSpec, tempo_map: TempoMap, themes: Mapping[str, Music], *,
               plan: CuePlan) -> Music:
    """A short-score sketch of ``cue`` on ``tempo_map`` (see the module docstring)."""
    if not plan.melody:
        raise InputError("the plan has no melody", field="plan",
                         valid="at least one ThemeUse in melody")
    if plan.accompaniment not in ACCOMPANIMENTS:
        raise InputError("unknown accompaniment", field="accompaniment",
                         value=plan.accompaniment, valid=", ".join(ACCOMPANIMENTS))
    style = ACCOMPANIMENTS[plan.accompaniment]
    insts = choose_instruments(cue.instrumentation)
    vel = max(30, min(110, plan.dynamic))

    start = math.ceil(frame_quarters(tempo_map, cue.start_frame) / EIGHTH) * EIGHTH
    cue_end = frame_quarters(tempo_map, cue.end_frame)
    ends = [s for s in cue.sync_points if s.kind == "end"]
    button = hit_quarters(tempo_map, ends[-1].frame) if ends else \
        math.floor(cue_end / EIGHTH) * EIGHTH - EIGHTH
    while button >= cue_end and button - EIGHTH >= start:
        button -= EIGHTH
    button = max(button, start)
    button_len = max(Fraction(1, 16), min(Fraction(1), cue_end - button))
    finish = button + button_len

    bars = [(q, m) for q, m in _bar_starts(tempo_map, finish) if q < button]
    first_meter = tempo_map.segments[0].meter
    bar_q = first_meter.numerator * first_meter.beat_quarters

    hits = sorted({hit_quarters(tempo_map, s.frame): s for s in cue.sync_points
                   if s.kind == "hard"}.items())
    hits = [(q, s) for q, s in hits if start <= q < button]
    softs = sorted({hit_quarters(tempo_map, s.frame) for s in cue.sync_points
                    if s.kind == "soft"} - {q for q, _ in hits})
    softs = [q for q in softs if start <= q < button]

    # melody
    sections = _sections(plan.melody, cue, tempo_map, start, button, bar_q)
    melody = _lay(sections, themes, start, button, vel)
    first_key = melody.keys[0][1] if melody.keys else (0, "major")
    mel_notes = _fit_octaves(_monophonic(melody.notes, button), insts["melody"])

    # harmony spans: half bars in even meters, else whole bars
    spans: list[tuple[Fraction, Fraction, Meter]] = []
    for i, (q, meter) in enumerate(bars):
        length = meter.numerator * meter.beat_quarters
        nxt = min(bars[i + 1][0] if i + 1 < len(bars) else q + length, button)
        if meter.numerator % 2 == 0 and meter.numerator > 2:
            half = q + length / 2
            spans += [(q, min(half, nxt), meter), (half, nxt, meter)]
        else:
            spans.append((q, nxt, meter))
    spans = [(max(a, start), b, m) for a, b, m in spans if b > start and b > a]
    chords: list[tuple[Fraction, Fraction, tuple[int, tuple[int, ...]], tuple[int, str]]] = []
    previous = None
    for a, b, _m in spans:
        weights: dict[int, Fraction] = {}
        for n in mel_notes:
            overlap = min(n.end, b) - max(n.onset, a)
            if overlap > 0:
                bonus = Fraction(3, 2) if n.onset == a else Fraction(1)
                weights[n.pitch % 12] = weights.get(n.pitch % 12, Fraction(0)) \
                    + overlap * bonus
        key = _key_at(melody.keys, a, first_key)
        previous = _choose_chord(weights, key, previous)
        chords.append((a, b, previous, key))

    def chord_at(t: Fraction) -> tuple[tuple[int, tuple[int, ...]], tuple[int, str]]:
        for a, b, chord, key in chords:
            if a <= t < b:
                return chord, key
        if chords:
            return chords[-1][2], chords[-1][3]
        return (first_key[0], (first_key[0],)), first_key

    # pad or countermelody
    pad_inst, bass_inst = insts["pad"], insts["bass"]
    pad_notes: list[Note] = []
    counter_from = button
    if plan.counter:
        c_sections = _sections(plan.counter, cue, tempo_map, start, button, bar_q)
        counter_from = c_sections[0][0]
        counter = _lay(c_sections, themes, start, button, vel - 8)
        pad_notes += _fit_octaves(_monophonic(counter.notes, button), pad_inst)
    pad_vel = vel - 16
    for a, b, (_root, pcs), _key in chords:
        if a >= counter_from:
            continue
        b = min(b, counter_from)
        voicing = _voice(pcs, pad_inst)
        if style.pad == "hold":
            pad_notes += [Note(a, b - a, p, pad_vel) for p in voicing]
            continue
        beat = _m_beat(bars, a)
        bar_start = _bar_of(bars, a)
        t = a
        while t < b:
            index = (t - bar_start) / beat
            on = index.denominator == 1 and (
                (style.pad == "offbeats" and index % 2 == 1)
                or (style.pad == "afterbeats" and index % (_bar_len(bars, a) / beat) != 0))
            if on:
                pad_notes += [Note(t, min(beat / 2, b - t), p, pad_vel) for p in voicing]
            t += beat

    # bass
    bass_notes: list[Note] = []
    bass_vel = vel - 6
    for a, b, (root, pcs), key in chords:
        low_root = _bass_pitch(key[0] if style.pedal else root, bass_inst)
        fifth = _bass_pitch(pcs[2 % len(pcs)], bass_inst)
        beat = _m_beat(bars, a)
        bar_start = _bar_of(bars, a)
        if style.bass == "hold":
            bass_notes.append(Note(a, b - a, low_root, bass_vel))
            continue
        if style.bass == "first":
            if (a - bar_start) == 0 or a == start:
                bass_notes.append(Note(a, min(beat * 2, b - a), low_root, bass_vel))
            continue
        t = a
        while t < b:
            index = (t - bar_start) / beat
            if style.bass == "oompah":
                if index.denominator == 1 and index % 2 == 0:
                    pitch = low_root if index % 4 == 0 else fifth
                    bass_notes.append(Note(t, min(beat, b - t), pitch, bass_vel))
                t += beat
            elif style.bass == "eighths":
                octave = 12 if ((t - bar_start) / EIGHTH) % 2 and low_root + 12 <= \
                    bass_inst.high else 0
                bass_notes.append(Note(t, min(EIGHTH, b - t), low_root + octave, bass_vel))
                t += EIGHTH
            else:  # gallop: eighth, two sixteenths
                for dt, length in ((0, EIGHTH), (EIGHTH, EIGHTH / 2),
                                   (EIGHTH * 3 / 2, EIGHTH / 2)):
                    if t + dt < b:
                        bass_notes.append(Note(t + dt, min(length, b - t - dt), low_root,
                                               bass_vel))
                t += beat

    # hits: stab in the pad, root in the bass, percussion
    kit = HIT_SOUNDS["orchestra" if "orchestra" in cue.instrumentation.lower() else "light"]
    drums: list[Note] = []
    hit_points = [q for q, _ in hits]
    pad_notes = _cut_at(pad_notes, hit_points + [button])
    bass_notes = _cut_at(bass_notes, hit_points + [button])
    mel_notes = _cut_at(mel_notes, [button])
    for q, sync in hits:
        (root, pcs), _key = chord_at(q)
        big = sync.weight >= 2
        stab = min(EIGHTH, button - q)
        pad_notes += [Note(q, stab, p, min(127, vel + (36 if big else 26)))
                      for p in _voice(pcs, pad_inst)]
        bass_notes.append(Note(q, stab, _bass_pitch(root, bass_inst), min(127, vel + 30)))
        drums += [Note(q, Fraction(1, 4), d, 124 if big else 110)
                  for d in kit["big" if big else "hit"]]
        for i, n in enumerate(mel_notes):
            if n.onset == q:
                mel_notes[i] = replace(n, velocity=min(127, n.velocity + 20))
    drums += [Note(q, Fraction(1, 4), d, 72) for q in softs for d in kit["soft"]]

    # the button: tonic chord of the last key
    (_root, _pcs), key = chord_at(button - EIGHTH) if button > start else chord_at(start)
    tonic_pcs = tuple((key[0] + i) % 12 for i in ((0, 4, 7) if key[1] == "major"
                                                   else (0, 3, 7)))
    last_pitch = mel_notes[-1].pitch if mel_notes else 72
    tonic_mel = min((p for p in range(last_pitch - 6, last_pitch + 7) if p % 12 == key[0]),
                    key=lambda p: abs(p - last_pitch))
    mel_notes.append(Note(button, button_len, max(0, min(127, tonic_mel)), min(127, vel + 24)))
    pad_notes += [Note(button, button_len, p, min(127, vel + 24))
                  for p in _voice(tonic_pcs, pad_inst)]
    bass_notes.append(Note(button, button_len, _bass_pitch(key[0], bass_inst),
                           min(127, vel + 24)))
    drums += [Note(button, min(Fraction(1, 2), button_len), d, 124) for d in kit["button"]]

    named = ", ".join(w for w in PERCUSSION_WORDS if w in cue.instrumentation.lower())
    percussion_name = f"percussion ({named})" if named else "percussion"
    parts = (
        Part("melody", tuple(_monophonic(mel_notes, finish)), insts["melody"].program,
             instrument=insts["melody"].name),
        Part("countermelody" if plan.counter else "pad", tuple(_no_overlaps(pad_notes)),
             pad_inst.program, instrument=pad_inst.name),
        Part("bass", tuple(_no_overlaps(bass_notes)), bass_inst.program,
             instrument=bass_inst.name),
        Part("percussion", tuple(_no_overlaps(drums)), 0, is_drum=True,
             instrument=percussion_name),
    )
    return Music(parts=parts, meter=first_meter, tempo_map=tempo_map,
                 title=f"{cue.number} {cue.title} (sketch)".strip(),
                 key=f"{_KEY_NAMES[first_key[0]]} {first_key[1]}")


def _bar_of(bars: Sequence[tuple[Fraction, Meter]], t: Fraction) -> Fraction:
    return max((q for q, _ in bars if q <= t), default=Fraction(0))


def _meter_of(bars: Sequence[tuple[Fraction, Meter]], t: Fraction) -> Meter:
    return next((m for q, m in reversed(bars) if q <= t), bars[0][1] if bars else Meter())


def _m_beat(bars: Sequence[tuple[Fraction, Meter]], t: Fraction) -> Fraction:
    return _meter_of(bars, t).beat_quarters


def _bar_len(bars: Sequence[tuple[Fraction, Meter]], t: Fraction) -> Fraction:
    m = _meter_of(bars, t)
    return m.numerator * m.beat_quarters


# --- themes on disk ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeFile:
    name: str
    stands_for: str
    kind: str  # "theme" or "motif"
    key: str
    music: Music


def read_theme_file(path: str | Path) -> ThemeFile:
    """A theme file: ``# name | stands for | theme or motif | key`` then a note string."""
    from filmscore.formats.notestring import parse_notestring

    path = Path(path)
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines or not lines[0].startswith("#") or lines[0].count("|") != 3:
        raise InputError("a theme file starts with '# name | stands for | theme or motif "
                         "| key'", source=str(path), line=1,
                         value=lines[0] if lines else "")
    name, stands_for, kind, key = (c.strip() for c in lines[0].lstrip("#").split("|"))
    body = " ".join(ln for ln in lines[1:] if not ln.startswith("#"))
    try:
        music = parse_notestring(body, field="notes", name=name)
    except InputError as error:
        error.source = str(path)
        raise
    return ThemeFile(name, stands_for, kind, key,
                     replace(music, title=name, key=key))


def load_demo_themes(folder: str | Path) -> dict[str, Music]:
    """Every ``*.txt`` theme file in ``folder``, by name."""
    return {t.name: t.music for t in (read_theme_file(p)
                                      for p in sorted(Path(folder).glob("*.txt")))}


# --- the demo film's plans ------------------------------------------------------------------

DEMO_PLANS: dict[str, CuePlan] = {
    "1M1": CuePlan(
        melody=(use("sindbad", "fragment:4", "sequence:+1x3"),
                use("sindbad", at="01:00:07:22")),
        accompaniment="pedal", dynamic=92,
        idea="Sindbad's head motif (D A F D) crawls up by semitones over a tonic pedal "
             "while the lions snarl; the full theme bursts in on the first swat."),
    "1M2": CuePlan(
        melody=(use("sindbad"), use("sindbad", "transpose:2")),
        accompaniment="oompah", dynamic=90,
        idea="The song: Sindbad's theme prime, brassy, oom-pah bass, a new statement on "
             "every cut and refrain, alternate statements a tone higher for lift."),
    "1M3": CuePlan(
        melody=(use("boola"),
                use("sindbad", at="01:01:24:06"),
                use("roc", at="01:01:27:13"), use("roc", "transpose:1"),
                use("roc", "diminish:2", "sequence:+3x2", at="01:01:41:10"),
                use("sindbad", at="01:01:48:12"),
                use("sindbad", "invert", "fragment:4", at="01:01:57:02"),
                use("sindbad", "fragment:3", at="01:01:58:16")),
        accompaniment="oompah", dynamic=88,
        idea="Boola's motif for the bickering heads, Sindbad's theme for the verse, the "
             "roc motif rising by a semitone on the cliff and squawking in diminution "
             "at its beak, Sindbad's head inverted for the serpent, his head motif for "
             "the final 'Sinbad the sailor!'."),
    "1M4": CuePlan(
        melody=(use("roc", "augment:2", "sequence:+2x3"),
                use("roc", "diminish:2", at="01:02:29:04")),
        counter=(use("popeye", "fragment:10", "minor", at="01:02:03:02"),
                 use("popeye", "fragment:10", "minor", "transpose:2")),
        accompaniment="tremolo", dynamic=96,
        idea="The roc motif augmented and sequenced up by tones over string tremolo "
             "(soaring, building); Popeye's hornpipe head in the minor under it when his "
             "ship appears; the motif in diminution on the smash."),
    "1M5": CuePlan(
        melody=(use("roc", "diminish:2", "sequence:+1x2"),
                use("popeye", "fragment:6", "minor", "transpose:1", at="01:02:36:07")),
        accompaniment="ostinato", dynamic=94,
        idea="Panic: the roc motif in diminution rising by semitones, a low ostinato in "
             "eighths on the wingbeats; Wimpy's 'Help! Popeye!' quotes the hornpipe head "
             "in the minor."),
    "1M6": CuePlan(
        melody=(use("popeye", "augment:2"),
                use("popeye", "fragment:12", at="01:02:55:16")),
        accompaniment="oompah", dynamic=72,
        idea="Deflated: the hornpipe augmented (half speed) in the bassoon over pizzicato "
             "oom-pah; back to tempo and perky when the telescope comes up."),
    "1M7": CuePlan(
        melody=(use("popeye", "fragment:7"), use("roc", "diminish:2"),
                use("popeye", "fragment:7", "transpose:2"),
                use("roc", "diminish:2", "transpose:2"),
                use("popeye", "fragment:11", "transpose:5", at="01:03:12:17"),
                use("roc", "diminish:2", "transpose:5"),
                use("roc", "diminish:2", "sequence:+1x3", at="01:03:19:06")),
        accompaniment="gallop", dynamic=100,
        idea="Popeye vs the roc: hornpipe fragments trade blows with the roc motif in "
             "diminution, each exchange a tone higher, a fourth up at the throne yard, "
             "the roc motif churning up by semitones in the fight cloud and whirlwind."),
    "1M8": CuePlan(
        melody=(use("popeye", "augment:2"),
                use("popeye", "fragment:12", at="01:03:32:02")),
        counter=(use("roc", "invert", "augment:2"),),
        accompaniment="march", dynamic=100,
        idea="Mock-grand: the hornpipe augmented as a serving march in the brass, the roc "
             "motif inverted (the villain turned around, now dinner) as countermelody; "
             "the hornpipe at tempo for Popeye's smug aside."),
    "1M9": CuePlan(
        melody=(use("sindbad", "fragment:4", "diminish:2", "sequence:+1x2"),
                use("sindbad", "octave:-1", at="01:03:40:05")),
        accompaniment="pedal", dynamic=104,
        idea="Brutal: Sindbad's head motif hammered in diminution over a pedal for the "
             "slam, then his theme in the low brass on the closer shot."),
    "1M10": CuePlan(
        melody=(use("boola", "augment:2"),
                use("boola", "fragment:1", "augment:4", at="01:03:52:00")),
        accompaniment="pedal", dynamic=86,
        idea="Boola's motif augmented, lumbering in tuba and contrabassoon; it drops to a "
             "held tonic (the pedal) when the lullaby starts."),
    "1M11s": CuePlan(
        melody=(use("boola", "octave:1"),),
        accompaniment="waltz", dynamic=60,
        idea="Source lullaby: Boola's motif sung softly over a music-box waltz pattern "
             "(bass on the downbeat, chords after); the squeezes get triangle pings."),
}
