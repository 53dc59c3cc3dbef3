"""A cue's sketch plan: theme statements, their transformation steps, the meter's rhythm.

A ``CuePlan`` names the theme statements of a cue's melody (and countermelody), its
accompaniment and, when the mood is not enough, its base dynamic.  Each ``ThemeUse`` is a
theme run through transformation steps (text, applied in order, through
``filmscore.writing.transform``): ``transpose:N``, ``octave:N``, ``minor``/``major``
(harmonic minor / major on the same tonic), ``augment:F``, ``diminish:F``, ``invert``,
``retrograde``, ``fragment:N`` (first N notes), ``tail:N`` (last N notes) and
``sequence:SxK`` (K statements, each S semitones above the last, e.g. ``sequence:+2x3``).

Before its steps a theme is fitted to the cue's meter (``fit_to_meter``): a theme in 2/4
or 4/4 laid in a triple meter gets a waltz-time rhythm (each pair of beats becomes one
bar of three, long-short), so bar lines never cut through the middle of its beats.
Theme files (``read_theme_file``) hold a theme's name, meaning, kind and key, then its
notes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from filmscore.errors import InputError
from filmscore.sync.tempomap import Meter
from filmscore.writing import transform as tf
from filmscore.writing.music import DYNAMICS, Music, Note, Part

EIGHTH = Fraction(1, 2)


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
    key of ``filmscore.writing.accompaniment.ACCOMPANIMENTS``; ``dynamic`` a base dynamic
    ("mf") that overrides the one the cue's mood gives (empty: from the mood).
    """

    melody: tuple[ThemeUse, ...]
    counter: tuple[ThemeUse, ...] = ()
    accompaniment: str = "sustain"
    dynamic: str = ""
    idea: str = ""

    def __post_init__(self) -> None:
        if self.dynamic and self.dynamic not in DYNAMICS:
            raise InputError("not a dynamic", field="dynamic", value=self.dynamic,
                             valid="pp, p, mp, mf, f, ff (or empty: from the mood)")


def use(theme: str, *steps: str, at: str = "") -> ThemeUse:
    return ThemeUse(theme, tuple(steps), at)


# --- a theme as a line with a key -----------------------------------------------------------


@dataclass(frozen=True)
class ThemeLine:
    """A theme statement as one line with its key, ready to lay: onsets from its first
    downbeat, the bar its statements are counted in, and key changes inside it."""

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


def _theme_line(name: str, theme: Music) -> ThemeLine:
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
    return ThemeLine(music, bar, tonic, mode)


_KEY_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def _shift_keys(line: ThemeLine, semitones: int) -> dict:
    return {"tonic": (line.tonic + semitones) % 12,
            "keys": tuple((t, (k + semitones) % 12, m) for t, k, m in line.keys)}


def _transpose(line: ThemeLine, n: int) -> ThemeLine:
    return replace(line, music=tf.transpose(line.music, n).music, **_shift_keys(line, n))


def _mode(line: ThemeLine, target: str) -> ThemeLine:
    if line.mode == target:
        return line
    source = "minor" if line.mode == "minor" else "major"
    music = tf.change_mode(line.music, f"{_KEY_NAMES[line.tonic]} {source}",
                           "harmonic minor" if target == "minor" else "major").music
    return replace(line, music=music, mode=target,
                   keys=tuple((t, k, target) for t, k, _ in line.keys))


def _scale_time(line: ThemeLine, factor: Fraction) -> ThemeLine:
    return replace(line, music=tf.augment(line.music, factor).music, bar=line.bar * factor,
                   keys=tuple((t * factor, k, m) for t, k, m in line.keys))


def _invert(line: ThemeLine) -> ThemeLine:
    axis = line.notes[0].pitch
    music = tf.invert(line.music).music
    flip = "major" if line.mode == "minor" else "minor"
    return replace(line, music=music, tonic=(2 * axis - line.tonic) % 12, mode=flip,
                   keys=tuple((t, (2 * axis - k) % 12, "major" if m == "minor" else "minor")
                              for t, k, m in line.keys))


def _retrograde(line: ThemeLine) -> ThemeLine:
    music = tf.retrograde(line.music).music
    first = min(n.onset for _, n in music.notes())
    shift = -math.floor(first / line.bar) * line.bar
    return replace(line, music=_moved(music, shift, 0), keys=())


def _fragment(line: ThemeLine, count: int, *, last: bool = False) -> ThemeLine:
    count = min(count, len({n.onset for n in line.notes}))
    music = tf.fragment(line.music, **({"last": count} if last else {"first": count})).music
    if last:
        first = min(n.onset for _, n in music.notes())
        music = _moved(music, -math.floor(first / line.bar) * line.bar, 0)
    return replace(line, music=music)


def _sequence(line: ThemeLine, step: int, times: int) -> ThemeLine:
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


def _sequence_step(line: ThemeLine, arg: str, step: str) -> ThemeLine:
    match = re.fullmatch(r"([+-]?\d{1,2})x(\d)", arg)
    if not match or int(match[2]) < 1:
        raise InputError("not a sequence", field="step", value=step,
                         valid="sequence:SxK, e.g. sequence:+2x3")
    return _sequence(line, int(match[1]), int(match[2]))


#: The step vocabulary: name -> (function(line, argument text, whole step), help).
STEPS: dict[str, tuple[Callable[[ThemeLine, str, str], ThemeLine], str]] = {
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


# --- the meter's rhythm ---------------------------------------------------------------------


def _long_short(notes: Sequence[Note], lo: Fraction, pair: Fraction, beat: Fraction
                ) -> Fraction | None:
    """In a pair of beats holding two notes, a long one from the pair's start to a short
    one after its first beat (dotted quarter and eighth): where the short one starts."""
    onsets = sorted({n.onset - lo for n in notes if lo <= n.onset < lo + pair})
    if len(onsets) != 2 or onsets[0] != 0 or not beat < onsets[1] < pair:
        return None
    first = [n for n in notes if n.onset == lo]
    return onsets[1] if all(n.end - lo == onsets[1] for n in first) else None


def fit_to_meter(line: ThemeLine, meter: Meter) -> ThemeLine:
    """The theme in the cue's meter.  A theme in an even simple meter (2/4, 4/4, 2/2)
    laid in a triple one (3/4, 3/8) becomes a waltz: each pair of its beats fills one bar,
    the first beat taking two thirds of it and the second one third (quarter-quarter to
    half-quarter; a dotted quarter and eighth to half and quarter).  Onsets and ends move
    together, so the rhythm stays on the beat grid.  Other meters keep the rhythm as it
    is: any simple theme fits the beats of 2/4 and 4/4."""
    theme_meter = line.music.meter
    if meter.numerator != 3 or theme_meter.numerator % 2 or theme_meter.numerator % 3 == 0:
        return line
    beat = theme_meter.beat_quarters
    pair, bar = 2 * beat, meter.numerator * meter.beat_quarters
    notes = line.notes
    if not notes:
        return line
    split: dict[int, Fraction] = {}
    for k in range(math.floor(notes[0].onset / pair), math.ceil(max(n.end for n in notes)
                                                                 / pair) + 1):
        found = _long_short(notes, k * pair, pair, beat)
        if found is not None:
            split[k] = found

    def warp(t: Fraction) -> Fraction:
        k = math.floor(t / pair)
        r, at = t - k * pair, split.get(k, beat)
        if r < at:
            return k * bar + r * (bar * 2 / 3) / at
        return k * bar + bar * 2 / 3 + (r - at) * (bar / 3) / (pair - at)

    moved = tuple(replace(n, onset=warp(n.onset), duration=warp(n.end) - warp(n.onset))
                  for n in notes)
    part = replace(line.music.parts[0], notes=moved)
    return replace(line, music=replace(line.music.with_parts([part]), meter=meter),
                   bar=bar, keys=tuple((warp(t), k, m) for t, k, m in line.keys))


def apply_steps(name: str, theme: Music, steps: Sequence[str], meter: Meter | None = None
                ) -> ThemeLine:
    """The theme as a line with a key, fitted to ``meter`` (when given), then each step."""
    line = _theme_line(name, theme)
    if meter is not None:
        line = fit_to_meter(line, meter)
    for step in steps:
        op, _, arg = step.partition(":")
        spec = STEPS.get(op.strip())
        if spec is None:
            raise InputError("unknown sketch step", field="step", value=step,
                             valid=", ".join(STEPS))
        line = spec[0](line, arg.strip(), step)
    return line


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
    from filmscore.inputs import read_input_text

    path = Path(path)
    text = read_input_text(path, "text", fallback=None)  # a regular file, within the limit
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines or not lines[0].startswith("#") or lines[0].count("|") != 3:
        raise InputError("a theme file starts with '# name | stands for | theme or motif "
                         "| key'", source=str(path), line=1,
                         value=lines[0] if lines else "")
    name, stands_for, kind, key = (c.strip() for c in lines[0].lstrip("#").split("|"))
    body = " ".join(ln for ln in lines[1:] if not ln.startswith("#"))
    try:
        music = parse_notestring(body, field="notes", name=name)
    except InputError as error:  # located() composes the message again with the file
        raise error.located(source=str(path)) from None
    return ThemeFile(name, stands_for, kind, key,
                     replace(music, title=name, key=key))


def load_demo_themes(folder: str | Path) -> dict[str, Music]:
    """Every ``*.txt`` theme file in ``folder``, by name."""
    return {t.name: t.music for t in (read_theme_file(p)
                                      for p in sorted(Path(folder).glob("*.txt")))}
