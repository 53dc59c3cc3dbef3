"""MusicXML (.musicxml, .xml, .mxl) to and from Music, through music21.

Reading keeps, per part: every sounding note (transposing instruments are brought to
sounding pitch with music21's ``toSoundingPitch``), chords as one Note per pitch, tied
notes merged into one Note, the part name, the General MIDI program when music21 knows the
instrument, and the expression (``musicxml_expression``: dynamics, hairpins, slurs,
techniques as ``Part.marks``; articulations and tremolo as ``Note.articulations``); for
the piece: the meter and key of the first measure and the tempo marks (as a TempoMap,
else None; a metronome mark shown rounded takes the exact ``<sound tempo>`` beside it).
Onsets count quarter notes from bar 1 beat 1 (the measure numbered 1), so a pickup has
negative onsets.  Unpitched percussion notes that name their drum (an ``<instrument>``
with a ``<midi-unpitched>`` key, as ``write_music`` and notation programs write them) are
read as that General MIDI key.

What reading loses: grace notes (they take no time in the bar: dropped), rests, unpitched
percussion notes that name no drum (no MIDI pitch of their own in music21: dropped unless
``unpitched`` asks for ``DRUM_DISPLAY`` positions), the notation
``musicxml_expression`` lists (each reported as a ``FilmscoreWarning`` line naming the
bars, the part and the element), lyrics and stave text, later meter and key changes (only
the first meter and key are kept in ``Music``; later meter changes do shape the TempoMap's
bars), tempo marks inside a bar (moved to the bar's start), and ramps (accelerando text is
not a tempo mark).  A key signature without a mode is read as major (music21's
``KeySignature.asKey()``).

Writing (``write_music``) makes the composer's short score: in C, clefs by range, staves
named by job and instrument ("Melody (Trumpet)"), percussion on a percussion staff, tempos
as a copyist writes them (``musicxml_shortscore``).  What it loses: note spelling beyond
the key (``spelling``: the key's degrees, then sharps or flats by the key's side),
velocities beyond what music21 writes, ``Part.instrument`` (it is in the staff's name),
ramps in the tempo map (the starting tempo is written) and free-time segments; a staff
whose name is a job ("melody", "pad") is read back under its short-score name ("Melody
(Trumpet)", "Harmony (Strings)").  Overlapping notes in one part are written as voices;
notes sharing onset and duration as chords (one set of articulations for the chord);
notes crossing a barline are split and tied (and merged again when read).  Accidentals
are made by ``musicxml_score``, not by music21's writer (see ``_copyists_accidentals``).

music21 (10.5) notes: parsing is slow (about 5 s for a 17-part, 3.9 MB symphony
movement), so values are extracted once into plain Notes.  Its offsets are floats with
exact binary values or Fractions (for tuplets), so they convert to Fractions exactly; a
value that is not exact (never seen) is rounded to 1/3840 of a quarter.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from lxml import etree

from filmscore.errors import FilmscoreWarning, InputError, ParseError
from filmscore.formats.musicxml_expression import (
    PartScan,
    note_articulations,
    scan_directions,
    slur_marks,
    warning_lines,
)
from filmscore.formats.musicxml_score import SUFFIXES, make_score, spelling, write_score
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.writing.music import Music, Note, Part, require_notes

MAX_DENOMINATOR = 3840  # ticks of a quarter to which an inexact offset is rounded
DEFAULT_VELOCITY = 80


def _frac(value: Any) -> Fraction:
    """music21 offset/quarterLength (float with an exact binary value, or Fraction)."""
    result = Fraction(value)
    if result.denominator > MAX_DENOMINATOR:  # not an exact musical value: round it
        result = result.limit_denominator(MAX_DENOMINATOR)
    return result


# --- reading ------------------------------------------------------------------------------


@contextlib.contextmanager
def quiet_music21() -> Iterator[None]:
    """Keep music21's MusicXMLWarnings (a <dashes> stop without start, an unknown MIDI
    instrument) off the user's terminal: they are about the file's cosmetics, and what
    matters to us is reported as our own errors or flags."""
    from music21.musicxml.xmlToM21 import MusicXMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MusicXMLWarning)
        yield


def _parse(path: Path) -> tuple[Any, bytes]:
    """music21's score of the file and its (expanded) document: read once, within the
    input limits, its values checked against the bounds (``musicxml_input``)."""
    from filmscore.formats.musicxml_input import parse_music21, read_musicxml_file

    if not path.exists():  # a pipe, a device or a folder: refused by read_input
        raise ParseError("no such file", source=str(path), valid="an existing MusicXML file")
    if path.suffix.lower() not in SUFFIXES:
        raise ParseError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    data = read_musicxml_file(path)
    return parse_music21(data, source=str(path)), data


def _zero_offset(part: Any) -> Fraction:
    """Offset of bar 1 beat 1: the first measure numbered 1 (after a pickup bar 0)."""
    measures = list(part.getElementsByClass("Measure"))
    for measure in measures:
        if measure.number == 1:
            return _frac(measure.offset)
    return Fraction(0)


def _part_notes(part: Any, zero: Fraction, *, unpitched: bool = False,
                drums: dict[tuple[str, int, str], int | None] | None = None,
                ) -> tuple[list[Note], int]:
    """(notes, grace notes dropped) of one part, ties merged, chords split; unpitched
    notes as the General MIDI key their place names in ``drums`` (the file's own
    <instrument> of each note, ``PartScan.drums``), else, with ``unpitched``, at a
    DRUM_DISPLAY position."""
    from music21 import chord as m21chord
    from music21 import note as m21note
    from music21 import percussion as m21percussion

    notes: list[list[Any]] = []  # [onset, duration, pitch, velocity, articulations]
    open_ties: dict[int, int] = {}  # pitch -> index in notes of a note still tied on
    graces = 0
    for element in part.flatten().notes:
        if element.duration.isGrace:
            graces += 1
            continue
        if isinstance(element, m21chord.Chord):
            members = [(n.pitch.midi, n.tie or element.tie) for n in element.notes]
        elif isinstance(element, m21note.Note):
            members = [(element.pitch.midi, element.tie)]
        elif (unpitched or drums) and isinstance(element, m21note.Unpitched |
                                                 m21percussion.PercussionChord):
            members = [(key, n.tie or element.tie) for n in
                       (element.notes if isinstance(element, m21percussion.PercussionChord)
                        else [element]) if (key := _named_drum(n, drums, unpitched))
                       is not None]
        else:  # Unpitched percussion: no pitch of its own
            continue
        onset = _frac(element.offset) - zero
        duration = _frac(element.duration.quarterLength)
        if duration <= 0:
            continue
        velocity = element.volume.velocity if element.volume.velocityIsRelative is False \
            else None
        velocity = int(velocity) if velocity else DEFAULT_VELOCITY
        marks = note_articulations(element)
        for midi, tie in members:
            kind = tie.type if tie is not None else None
            held = open_ties.get(midi)
            if kind in ("stop", "continue") and held is not None \
                    and notes[held][0] + notes[held][1] == onset:
                notes[held][1] += duration
                if "tremolo" in marks and "tremolo" not in notes[held][4]:
                    notes[held][4] += ("tremolo",)
                if kind == "stop":
                    del open_ties[midi]
                continue
            notes.append([onset, duration, midi, max(1, min(127, velocity)), marks])
            if kind in ("start", "continue"):
                open_ties[midi] = len(notes) - 1
            else:
                open_ties.pop(midi, None)
    return [Note(o, d, p, v, a) for o, d, p, v, a in notes if 0 <= p <= 127], graces


def _named_drum(element: Any, drums: dict[tuple[str, int, str], int | None] | None,
                unpitched: bool) -> int | None:
    """The General MIDI key of an unpitched note: the one its place names in the file,
    else (with ``unpitched``) the one of its DRUM_DISPLAY position."""
    from filmscore.formats.musicxml_fullscore import _drum_key

    place = (str(element.displayStep).upper(), int(element.displayOctave),
             element.notehead or "normal")
    if drums and drums.get(place) is not None:
        return drums[place]
    return _drum_key(element) if unpitched else None


def _key_name(score: Any) -> str:
    from music21 import key as m21key

    for element in score.parts[0].recurse().getElementsByClass("KeySignature") \
            if score.parts else []:
        found = element if isinstance(element, m21key.Key) else element.asKey("major")
        return f"{found.tonic.name} {found.mode}"
    return ""


def _exact(at: Fraction, bpm: Fraction, sounds: dict[Fraction, Fraction]) -> Fraction:
    """The <sound tempo> at ``at`` when the metronome shows it rounded (within 1 %)."""
    sound = sounds.get(at)
    if sound is not None and abs(sound - bpm) <= bpm / 100:
        return sound.limit_denominator(1000)
    return bpm


def _tempo_map(score: Any, zero: Fraction, rate: str,
               sounds: dict[Fraction, Fraction] | None = None) -> TempoMap | None:
    """Tempo marks to a TempoMap: bars of the first part, a segment per meter/tempo run;
    ``sounds`` (quarters -> <sound tempo>) makes a rounded metronome mark exact."""
    marks = sorted(((at := _frac(mark.getOffsetInHierarchy(score)) - zero,
                     _exact(at, Fraction(mark.getQuarterBPM()).limit_denominator(1000),
                            sounds or {}))
                    for mark in score.recurse().getElementsByClass("MetronomeMark")
                    if mark.getQuarterBPM()), key=lambda m: m[0])
    if not marks or not score.parts:
        return None
    measures = list(score.parts[0].getElementsByClass("Measure"))
    bars: list[tuple[Meter, Fraction]] = []
    meter, tempo, pickup_beats = None, marks[0][1], 0
    for measure in measures:
        if measure.timeSignature is not None:
            ts = measure.timeSignature
            meter = Meter(ts.numerator, ts.denominator)
        meter = meter or Meter()
        start = _frac(measure.offset) - zero
        end = start + _frac(measure.duration.quarterLength)
        for at, bpm in marks:
            if at < end:
                tempo = bpm
        if start < 0:  # a pickup: beats before bar 1, same tempo as bar 1
            beats = -start / meter.beat_quarters
            pickup_beats = int(beats) if beats.denominator == 1 else 0
            continue
        bars.append((meter, tempo * meter.denominator / 4))  # quarter BPM -> beat BPM
    if not bars:
        return None
    segments: list[Segment] = []
    for meter, bpm in bars:
        if segments and segments[-1].meter == meter and segments[-1].tempo_bpm == bpm:
            segments[-1] = Segment(segments[-1].bars + 1, meter, bpm)
        else:
            segments.append(Segment(1, meter, bpm))
    if pickup_beats >= segments[0].meter.numerator:
        pickup_beats = 0
    return TempoMap(rate, 0, tuple(segments), pickup_beats=pickup_beats)


def _scan(path: Path, data: bytes, count: int, unpitched: bool
          ) -> tuple[list[tuple[PartScan, int]], list[str]]:
    """The lxml pass over the file (``musicxml_expression.scan_directions``): for each of
    music21's ``count`` parts (one per staff of a multi-staff part) its scan and staff."""
    try:
        scans, uncarried = scan_directions(data, unpitched=unpitched)
    except (etree.XMLSyntaxError, InputError, OSError):  # music21 read it: keep its notes
        return [], []
    staves = [(scan, staff) for scan in scans for staff in range(1, scan.staves + 1)]
    if len(staves) != count:
        staves = [(scan, 1) for scan in scans] if len(scans) == count else []
    return staves, warning_lines(str(path), uncarried, [scan.name for scan in scans])


def read_music(path: str | os.PathLike[str], *, rate: str = "24",
               unpitched: bool = False) -> Music:
    """Read a MusicXML score as Music: every part's sounding notes (see module docstring).

    ``rate`` is the frame rate given to the TempoMap built from the tempo marks.  With
    ``unpitched``, unpitched percussion notes written at a ``DRUM_DISPLAY`` position (as
    ``write_full_score`` writes them) are read as their General MIDI drum key.
    """
    from music21 import instrument as m21instrument

    path = Path(path)
    score, data = _parse(path)
    try:
        score.toSoundingPitch(inPlace=True)
    except Exception:  # noqa: BLE001 - music21 cannot transpose some oddities: keep written
        pass
    parts_in = list(score.parts)
    zero = _zero_offset(parts_in[0]) if parts_in else Fraction(0)
    staves, notices = _scan(path, data, len(parts_in), unpitched)
    parts: list[Part] = []
    sounds: dict[Fraction, Fraction] = {}
    for index, part in enumerate(parts_in, start=1):
        scan = staves[index - 1][0] if staves else None
        notes, _graces = _part_notes(part, zero, unpitched=unpitched,
                                     drums=scan.drums if scan is not None else None)
        inst = part.getInstrument(returnDefault=False)
        program = getattr(inst, "midiProgram", None)
        name = (part.partName or getattr(inst, "partName", None) or
                getattr(inst, "instrumentName", None) or f"Part {index}").strip()
        # General MIDI channel 10 (music21's 9) is percussion, as write_music writes it
        is_drum = isinstance(inst, m21instrument.UnpitchedPercussion) or \
            getattr(inst, "midiChannel", None) == 9
        marks = slur_marks(part, zero, notes, _frac)
        if staves:
            scan, staff = staves[index - 1]
            starts = [_frac(m.offset) - zero for m in part.getElementsByClass("Measure")]

            def place(at: tuple[int, Fraction], s: list[Fraction] = starts) -> Fraction:
                return s[min(at[0], len(s) - 1)] + at[1]

            marks += scan.marks_of(staff, place)
            if index == 1:
                sounds = {place(at): bpm for at, bpm in scan.tempos}
        parts.append(Part(name=name, notes=tuple(notes),
                          program=program if isinstance(program, int) and 0 <= program <= 127
                          else 0, is_drum=is_drum, marks=tuple(marks)))
    for line in notices:
        warnings.warn(FilmscoreWarning(line), stacklevel=2)
    first_ts = next(iter(score.recurse().getElementsByClass("TimeSignature")), None)
    try:
        meter = Meter(first_ts.numerator, first_ts.denominator) if first_ts else Meter()
    except InputError as error:
        raise error.located(source=str(path)) from None
    title = ""
    if score.metadata is not None:
        title = score.metadata.title or score.metadata.movementName or ""
    music = Music(parts=tuple(parts), meter=meter,
                  tempo_map=_tempo_map(score, zero, rate, sounds), title=title,
                  key=_key_name(score))
    return require_notes(music, source=str(path))


def grace_notes_dropped(path: str | os.PathLike[str]) -> int:
    """How many grace notes reading ``path`` drops (for a report to the user)."""
    score, _data = _parse(Path(path))
    return sum(_part_notes(part, Fraction(0))[1] for part in score.parts)


# --- writing ------------------------------------------------------------------------------


def write_music(music: Music, path: str | os.PathLike[str]) -> Path:
    """Write Music as the composer's short score in MusicXML (.musicxml/.xml uncompressed,
    .mxl compressed), atomically: in C, clefs by range, staves named by job and instrument,
    percussion on a percussion staff, tempos as a copyist writes them
    (:mod:`filmscore.formats.musicxml_shortscore`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    from filmscore.formats.musicxml_shortscore import dress_short_score, finisher

    score = make_score(music)
    dress_short_score(score, music)
    return write_score(score, path, finish=finisher(music))


# the full-score writer and its drum table live in musicxml_fullscore (re-exported here)
from filmscore.formats.musicxml_fullscore import (  # noqa: E402
    DRUM_DISPLAY,
    OTHER_DRUM_DISPLAY,
    write_full_score,
)

_make_score, _write_score = make_score, write_score  # the names before issue 9
__all__ = ["DRUM_DISPLAY", "OTHER_DRUM_DISPLAY", "SUFFIXES", "make_score", "read_music",
           "spelling", "write_full_score", "write_music", "write_score"]
