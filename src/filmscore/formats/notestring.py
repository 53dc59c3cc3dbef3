"""Note strings for entering themes: music21's tinyNotation ("4/4 c4 d8 e f g4 a b c'1").

Grammar (tinyNotation's own): an optional meter such as ``3/4`` first; then notes and
rests separated by spaces.  A note is a letter, ``c`` to ``b`` for the octave from middle
C (c = C4 = MIDI 60), each ``'`` one octave higher (``c'`` = C5); capitals for lower
octaves (``C`` = C3, ``CC`` = C2); then ``#`` (sharp), ``-`` (flat) or ``n``; then a
duration (1 whole, 2 half, 4 quarter, 8, 16, 32, 64) with dots; a duration may be left
out to repeat the previous one.  ``r`` is a rest, ``~`` after a note ties it to the next,
``trip{c8 d e}`` and ``quad{...}`` are tuplets.

music21 10.5's tinyNotation ignores tokens it does not understand (``zz8`` and chords
``<c e g>`` vanish without a word), so every token is checked here first, and a bad one
is named in the error.  What a note string loses: velocities, several parts, chords,
program and key (a format_notestring of such music is refused, except key/program which
are simply not written).
"""

from __future__ import annotations

import re
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.sync.tempomap import Meter
from filmscore.writing.music import Music, Note, Part

_METER = re.compile(r"^\d{1,2}/\d{1,2}$")
_NOTE = re.compile(r"^(?:[a-g]'*|[A-G]+)(?:#{1,2}|-{1,2}|n)?(?:\d{1,2})?\.{0,2}~?$")
_REST = re.compile(r"^r(?:\d{1,2})?\.{0,2}$")
_DURATIONS = {"1", "2", "4", "8", "16", "32", "64"}
_OPEN = re.compile(r"^(trip|quad)\{")
_VALID = ("tinyNotation: an optional meter such as 3/4, then notes like c4 d8 e- f#4. g' "
          "CC2 and rests r4; ' raises, capitals lower an octave; ~ ties; trip{c8 d e}")


def _check_tokens(text: str, field: str) -> str:
    tokens = text.split()
    if not tokens:
        raise InputError("no notes", field=field, value=text, valid=_VALID)
    depth = 0
    for index, raw in enumerate(tokens):
        token = raw
        if index == 0 and _METER.match(token):
            continue
        if _OPEN.match(token):
            if depth:
                raise InputError("tuplets cannot nest", field=field, value=raw, valid=_VALID)
            depth, token = 1, token[token.index("{") + 1:]
        if token.endswith("}"):
            if not depth:
                raise InputError("a '}' without 'trip{' or 'quad{'", field=field,
                                 value=raw, valid=_VALID)
            depth, token = 0, token[:-1]
        match = _NOTE.match(token) or _REST.match(token)
        digits = re.search(r"\d+", token)
        if not token or not match or (digits and digits.group() not in _DURATIONS):
            raise InputError(f"not a note or rest (token {index + 1})", field=field,
                             value=raw, valid=_VALID)
    if depth:
        raise InputError("a tuplet is not closed with '}'", field=field, value=text,
                         valid=_VALID)
    return text


def parse_notestring(text: str, *, field: str = "notes", name: str = "melody") -> Music:
    """Parse a tinyNotation string into one-part Music (ties merged, rests skipped)."""
    from music21 import converter

    if not isinstance(text, str):
        raise InputError("not a note string", field=field, value=str(text), valid=_VALID)
    text = _check_tokens(text.strip(), field)
    try:
        score = converter.parse("tinyNotation: " + text)
    except Exception as exc:  # noqa: BLE001 - music21's TinyNotationException and others
        reason = " ".join(str(exc).split())[:100] or type(exc).__name__
        raise InputError(f"music21 cannot read the note string: {reason}", field=field,
                         value=text, valid=_VALID) from None
    ts = next(iter(score.recurse().getElementsByClass("TimeSignature")), None)
    try:
        meter = Meter(ts.numerator, ts.denominator) if ts is not None else Meter()
    except InputError as error:
        error.field = field
        raise error.located() from None
    notes: list[list] = []
    tied_from: int | None = None
    for element in score.flatten().notes:
        onset = Fraction(element.offset)
        duration = Fraction(element.duration.quarterLength)
        midi = element.pitch.midi
        if not 0 <= midi <= 127:
            raise InputError("pitch out of the MIDI range", field=field,
                             value=element.pitch.nameWithOctave, valid="C-1 to G9")
        if tied_from is not None and notes[tied_from][2] == midi \
                and notes[tied_from][0] + notes[tied_from][1] == onset:
            notes[tied_from][1] += duration
        else:
            notes.append([onset, duration, midi])
            tied_from = len(notes) - 1
        if element.tie is None or element.tie.type == "stop":
            tied_from = None
    if not notes:
        raise InputError("no notes, only rests", field=field, value=text, valid=_VALID)
    return Music(parts=(Part(name=name, notes=tuple(Note(o, d, p) for o, d, p in notes)),),
                 meter=meter)


# --- formatting ---------------------------------------------------------------------------

_NAMES = ("c", "c#", "d", "e-", "e", "f", "f#", "g", "a-", "a", "b-", "b")
# plain (and dotted) values in quarter notes -> tinyNotation duration text, longest first
_VALUES = sorted(
    [(Fraction(4, int(d)), d) for d in _DURATIONS]
    + [(Fraction(4, int(d)) * Fraction(3, 2), d + ".") for d in _DURATIONS],
    reverse=True)


def _pitch_text(pitch: int) -> str:
    name = _NAMES[pitch % 12]
    octave = pitch // 12 - 1
    if octave >= 4:
        return name + "'" * (octave - 4)
    return name[0].upper() * (4 - octave) + name[1:]


def _pieces(length: Fraction) -> list[str] | None:
    """Durations (tinyNotation texts) adding up to ``length``; None if none do."""
    for scale, wrap in ((Fraction(1), ""), (Fraction(2, 3), "trip"), (Fraction(3, 4), "quad")):
        rest, out = length / scale, []
        for value, text in _VALUES:
            while rest >= value:
                out.append(text)
                rest -= value
        if rest == 0:
            return [f"{wrap}{{{t}" if wrap else t for t in out] if wrap else out
    return None


def format_notestring(music: Music) -> str:
    """One-part music as a tinyNotation string (long values as tied notes)."""
    if len(music.parts) != 1:
        raise InputError("a note string holds one part", field="music",
                         value=f"{len(music.parts)} parts", valid="one part")
    notes = music.parts[0].notes
    cursor = Fraction(0)
    tokens = [str(music.meter)]
    first = notes[0].onset if notes else Fraction(0)
    if first < 0:
        raise InputError("a note string cannot hold a pickup", field="onset",
                         value=str(first), valid="onsets from 0")

    def emit(symbol: str, length: Fraction, tie: bool, at: Fraction) -> None:
        pieces = _pieces(length)
        if pieces is None:
            raise InputError("a length a note string cannot write", field="duration",
                             value=f"{length} quarter notes at {at}",
                             valid="plain, dotted, triplet (trip) or quad values")
        for i, piece in enumerate(pieces):
            tail = "~" if tie and i < len(pieces) - 1 else ""
            if piece.startswith(("trip{", "quad{")):
                tokens.append(f"{piece[:5]}{symbol}{piece[5:]}{tail}}}")
            else:
                tokens.append(f"{symbol}{piece}{tail}")

    for note in notes:
        if note.onset < cursor:
            raise InputError("a note string holds one line: notes overlap", field="onset",
                             value=str(note.onset), valid="no chords or overlapping notes")
        if note.onset > cursor:
            emit("r", note.onset - cursor, False, cursor)
        emit(_pitch_text(note.pitch), note.duration, True, note.onset)
        cursor = note.end
    return " ".join(tokens)


__all__ = ["parse_notestring", "format_notestring"]
