"""Sane bounds on every value an adapter reads, and the size limits of every input kind:
data, in one place (DESIGN.md rule 7, vocabulary is data).

A reader checks a value it has just parsed with :func:`check` (or :func:`check_finite`
for a float that must be a number at all); the message names the file, the line or field,
the bad value and the range that is valid.  An input file is opened through
:mod:`filmscore.inputs`, which applies :data:`INPUT_LIMITS`.

Why bounds at the adapter: a value no film has (a tempo of 10^9 bpm, an octave of 99, a
note of -4 beats, an event number of 10^30) used to be accepted and fail later, far from
the file, as a database rule name, an integer too large for SQLite or a division by zero.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from fractions import Fraction
from numbers import Real

from filmscore.errors import InputError, ValidationError

#: The largest integer SQLite and PostgreSQL (bigint) store.
DB_INT_MAX = 2**63 - 1


@dataclass(frozen=True)
class Bound:
    """An inclusive range ``low`` .. ``high`` (``low_open``: the low end itself excluded)."""

    name: str
    low: Fraction | int | float
    high: Fraction | int | float
    unit: str = ""
    low_open: bool = False
    grouped: bool = True  # thousands written 1,000 (not for years)

    @property
    def valid(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        low, high = (_show(self.low, self.grouped), _show(self.high, self.grouped))
        if self.low_open:
            return f"a number more than {low} and at most {high}{unit}"
        return f"{low} to {high}{unit}"

    def holds(self, value: Real) -> bool:
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if self.low_open:
            return self.low < value <= self.high
        return self.low <= value <= self.high


def _show(number: Fraction | int | float, grouped: bool = True) -> str:
    if isinstance(number, Fraction) and number.denominator != 1:
        return f"{float(number):g}"
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if isinstance(number, int | Fraction):
        return f"{int(number):,}" if grouped else f"{int(number)}"
    return f"{number:g}"


# 24 hours at the fastest rate filmscore knows (120 fps): any frame count past it is not
# a film's.
_DAY_FRAMES = 24 * 3600 * 120

#: Every bound, by name.  Add one here, nowhere else.
BOUNDS: dict[str, Bound] = {b.name: b for b in (
    Bound("frame", 0, _DAY_FRAMES, "frames (within a day)"),
    Bound("frame_offset", -_DAY_FRAMES, _DAY_FRAMES, "frames (within a day)"),
    Bound("seconds", 0, 24 * 3600, "seconds (within a day)"),
    Bound("frame_rate", 1, 1000, "frames a second"),
    Bound("event_number", 0, 999_999, ""),
    Bound("reel", 1, 99, "(cue numbers have two digits of reel: 1M1 to 99M999)"),
    Bound("version", 1, 999_999, ""),  # a picture version's number
    Bound("tempo_bpm", 1, 1000, "beats a minute"),
    # a sync point's weight in the tempo search: how much more one hit matters than another
    Bound("sync_weight", 0, 1000, "(1 is a plain hit)"),
    # MIDI set_tempo: microseconds a quarter, a 24-bit number; 0 would be an infinite tempo
    Bound("midi_tempo", 60_000, 16_777_215, "microseconds a quarter (1000 to 3.6 bpm)"),
    Bound("midi_pitch", 0, 127, "(MIDI note numbers)"),
    Bound("octave", -1, 9, "(scientific pitch notation)"),
    Bound("duration_quarters", Fraction(0), 1024, "quarter notes", low_open=True),
    Bound("offset_quarters", 0, 10**7, "quarter notes"),
    Bound("beats_per_bar", 1, 64, "beats"),
    Bound("bars", 0, 100_000, "bars"),
    Bound("midi_ticks_per_beat", 1, 32_767, "ticks a quarter"),
    Bound("sample_rate", 8_000, 768_000, "samples a second"),
    Bound("channels", 1, 64, "channels"),
    Bound("db_int", -DB_INT_MAX, DB_INT_MAX, ""),
    # a record's number or id in a page's address (a change list, an album, a comp, a
    # take, a sync point): what an INTEGER column holds on PostgreSQL (32 bits)
    Bound("record_number", 0, 2**31 - 1, ""),
    # a whole number on the command line (a number, a version, a count): the same
    Bound("cli_int", -(2**31 - 1), 2**31 - 1, ""),
    # the TCP port the workspace listens on
    Bound("port", 1, 65_535, "", grouped=False),
    # a video as a picture version: one frame (a truncated file) is nothing to spot
    Bound("picture_frames", 2, _DAY_FRAMES, "frames (more than one, within a day)"),
    # a subtitle may start after the end of the cut it is laid on (a reel's cut with the
    # whole part's subtitles), but not later than a feature's length after it
    Bound("subtitle_after_cut", 0, 4 * 3600, "seconds after the end of the cut"),
    # MusicXML <divisions> a quarter: notation programs write 1 to 10,080 or so
    Bound("musicxml_divisions", 1, 1_000_000, "divisions a quarter note"),
    # <alter> in semitones: triple flats to triple sharps, quarter tones between
    Bound("pitch_alter", -3, 3, "semitones"),
    # the year of a time a client says something happened (a take logged on the stage):
    # a film's; year 1 or 9999 with an offset cannot even be turned into UTC
    Bound("year", 1970, 2999, "", grouped=False),
)}


def bound(name: str) -> Bound:
    return BOUNDS[name]


def check(name: str, value, *, source: str | None = None, line: int | None = None,
          field: str | None = None, what: str | None = None):
    """``value`` when it lies within the bound ``name``; else a ValidationError naming the
    file, line, field, the value and the valid range.  NaN and infinities never do."""
    b = BOUNDS[name]
    ok = False
    try:
        ok = b.holds(value)
    except TypeError:
        ok = False
    if not ok:
        raise ValidationError(f"{what or name.replace('_', ' ')} out of range",
                              source=source, line=line, field=field, value=_value(value),
                              valid=b.valid)
    return value


def is_digits(text: str) -> bool:
    """Whether ``text`` is one or more ASCII digits 0-9: what every count, version, number
    and code read here is written in.  ``str.isdigit`` also says yes to '²' and '①', which
    ``int()`` refuses (a MusicXML ``<octave>²</octave>`` ended in an internal error), and
    to other scripts' digits, which no ISRC, IPI or take number may hold."""
    return text.isascii() and text.isdigit()


def check_finite(value: float, *, source: str | None = None, line: int | None = None,
                 field: str | None = None, what: str = "value") -> float:
    """``value`` when it is a finite number; else a ValidationError naming it."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(f"{what} is not a finite number", source=source, line=line,
                              field=field, value=repr(value), valid="a finite number")
    return value


def _value(value):
    if isinstance(value, Fraction):  # as a user writes it ("-2", "1/3"), not its repr
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, int) and abs(value) > 10**15:
        text = str(value)
        return f"{text[:12]}... ({len(text)} digits)"
    return value


# --- input files ---------------------------------------------------------------------------

_MB = 1024 * 1024

#: The largest file read for each kind of input, in bytes.  A user with larger files sets
#: ``FILMSCORE_INPUT_LIMITS`` (for example ``"midi=50MB,musicxml=2GB"``).
INPUT_LIMITS: dict[str, int] = {
    "edl": 50 * _MB,            # 10,000 events are about 1 MB
    "fcpxml": 500 * _MB,
    "otio": 500 * _MB,
    "aaf": 2048 * _MB,
    "csv": 50 * _MB,            # spotting, roster, change list, cue sheet
    "protools": 50 * _MB,
    "subtitles": 50 * _MB,
    "midi": 50 * _MB,
    # uncompressed: the Beethoven full score is about 10 MB, the Mozart 41/ii 3.9 MB; a
    # 400 MB document (a zip bomb in a small .mxl) is none a film has
    "musicxml": 100 * _MB,
    "mxl": 100 * _MB,           # compressed; its expanded score is held to "musicxml"
    "text": 50 * _MB,           # plans, notes and other text
    "json": 200 * _MB,
    "audio": 64 * 1024 * _MB,
    "video": 512 * 1024 * _MB,
    "image": 100 * _MB,
}

#: The deepest nesting of JSON arrays and objects read (OpenTimelineIO nests a timeline
#: about 8 deep; the json module and the OTIO C++ reader recurse per level).
JSON_MAX_DEPTH = 256

#: The most bytes (UTF-8) of one output file or folder name made from data (a cue title,
#: a session, a part): filesystems allow 255, and a writer adds a temporary prefix and a
#: suffix (``.<name>.<random>.part.pdf``) to the name while it writes.
NAME_MAX_BYTES = 180

#: The longest name of one file or folder a filesystem takes (bytes, UTF-8).
FS_NAME_MAX_BYTES = 255


def path_possible(relative: str | os.PathLike[str]) -> bool:
    """Can a file have this path at all: no null byte, no part longer than a filesystem
    takes?  (Otherwise os.path raises ValueError, the filesystem ENAMETOOLONG: asked for
    by a user, such a path names no file, and says so before the filesystem is asked.)"""
    text = os.fspath(relative)
    return "\x00" not in text and all(
        len(part.encode("utf-8", "surrogatepass")) <= FS_NAME_MAX_BYTES
        for part in text.replace("\\", "/").split("/"))


def check_path(path: str | os.PathLike[str], reason: str, *, field: str | None = None,
               source: str | None = None) -> None:
    """InputError (``reason``, naming ``field`` or ``source``) when no file or folder can
    have ``path`` (:func:`path_possible`)."""
    if not path_possible(path):
        raise InputError(reason, field=field, source=source,
                         value=None if source else os.fspath(path),
                         valid=f"names of at most {FS_NAME_MAX_BYTES} bytes each, without "
                               "a null byte")


_UNITS = {"": 1, "B": 1, "KB": 1024, "K": 1024, "MB": _MB, "M": _MB,
          "GB": 1024 * _MB, "G": 1024 * _MB, "TB": 1024 * 1024 * _MB}


def input_limit(kind: str) -> int:
    """The byte limit of ``kind``, the environment's ``FILMSCORE_INPUT_LIMITS`` first."""
    if kind not in INPUT_LIMITS:
        raise KeyError(f"no input limit for kind {kind!r}")
    setting = os.environ.get("FILMSCORE_INPUT_LIMITS", "")
    for item in filter(None, (p.strip() for p in setting.split(","))):
        name, _, amount = item.partition("=")
        if name.strip().lower() != kind:
            continue
        amount = amount.strip().upper().replace(" ", "")
        digits = amount.rstrip("KMGTB")
        unit = amount[len(digits):]
        try:
            number = float(digits)
        except ValueError:
            number = -1
        if number < 0 or unit not in _UNITS:
            raise InputError("input limit not understood", field="FILMSCORE_INPUT_LIMITS",
                             value=item, valid="kind=size, e.g. midi=50MB,musicxml=2GB")
        return int(number * _UNITS[unit])
    return INPUT_LIMITS[kind]


def show_bytes(size: int) -> str:
    for unit, scale in (("GB", 1024 * _MB), ("MB", _MB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"
