"""MusicXML (.musicxml, .xml, .mxl) to and from Music, through music21.

Reading keeps, per part: every sounding note (transposing instruments are brought to
sounding pitch with music21's ``toSoundingPitch``), chords as one Note per pitch, tied
notes merged into one Note, the part name, the General MIDI program when music21 knows the
instrument, and the expression (``musicxml_expression``: dynamics, hairpins, slurs,
techniques as ``Part.marks``; articulations and tremolo as ``Note.articulations``); for
the piece: the meter and key of the first measure and the tempo marks (as a TempoMap,
else None).  Onsets count quarter notes from bar 1 beat 1 (the measure numbered 1), so a
pickup has negative onsets.

What reading loses: grace notes (they take no time in the bar: dropped), rests, unpitched
percussion notes (no MIDI pitch of their own in music21: dropped), the notation
``musicxml_expression`` lists (each reported as a ``FilmscoreWarning`` line naming the
bars, the part and the element), lyrics and stave text, later meter and key changes (only
the first meter and key are kept in ``Music``; later meter changes do shape the TempoMap's
bars), tempo marks inside a bar (moved to the bar's start), and ramps (accelerando text is
not a tempo mark).  A key signature without a mode is read as major (music21's
``KeySignature.asKey()``).

What writing loses: note spelling beyond the key (``spelling``: the key's degrees, then
sharps or flats by the key's side), velocities beyond what music21 writes, ramps in the
tempo map (the starting tempo is written) and free-time segments.  Overlapping notes in
one part are written as voices; notes sharing onset and duration as chords; notes
crossing a barline are split and tied (and merged again when read).  Accidentals are
made here, not by music21's writer (see ``_copyists_accidentals``).

music21 (10.5) notes: parsing is slow (about 5 s for a 17-part, 3.9 MB symphony
movement), so values are extracted once into plain Notes.  Its offsets are floats with
exact binary values or Fractions (for tuplets), so they convert to Fractions exactly; a
value that is not exact (never seen) is rounded to 1/3840 of a quarter.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from lxml import etree

from filmscore.errors import FilmscoreWarning, InputError, ParseError
from filmscore.fileio import atomic_path
from filmscore.formats.musicxml_expression import (
    MarkWriter,
    PartScan,
    note_articulations,
    scan_directions,
    slur_marks,
    warning_lines,
)
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.writing.music import Music, Note, Part, require_notes

SUFFIXES = (".musicxml", ".xml", ".mxl")
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


def _parse(path: Path) -> Any:
    from music21 import converter

    if not path.is_file():
        raise ParseError("no such file", source=str(path), valid="an existing MusicXML file")
    if path.suffix.lower() not in SUFFIXES:
        raise ParseError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    try:
        with quiet_music21():
            parsed = converter.parse(str(path), format="musicxml", forceSource=True)
    except Exception as exc:  # music21 raises many kinds (XML, zip, its own exceptions)
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise ParseError(f"cannot read the file as MusicXML: {reason}", source=str(path),
                         valid="a MusicXML 1.0-4.0 file (.musicxml, .xml or compressed .mxl)"
                         ) from None
    from music21 import stream

    if not isinstance(parsed, stream.Score):
        raise ParseError("the file is not a score", source=str(path),
                         valid="a MusicXML score-partwise or score-timewise document")
    return parsed


def _zero_offset(part: Any) -> Fraction:
    """Offset of bar 1 beat 1: the first measure numbered 1 (after a pickup bar 0)."""
    measures = list(part.getElementsByClass("Measure"))
    for measure in measures:
        if measure.number == 1:
            return _frac(measure.offset)
    return Fraction(0)


def _part_notes(part: Any, zero: Fraction, *, unpitched: bool = False,
                ) -> tuple[list[Note], int]:
    """(notes, grace notes dropped) of one part, ties merged, chords split; with
    ``unpitched``, unpitched notes at a DRUM_DISPLAY position as their General MIDI key."""
    from music21 import chord as m21chord
    from music21 import note as m21note
    from music21 import percussion as m21percussion

    from filmscore.formats.musicxml_fullscore import _drum_key

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
        elif unpitched and isinstance(element, m21note.Unpitched | m21percussion.PercussionChord):
            members = [(key, n.tie or element.tie) for n in
                       (element.notes if isinstance(element, m21percussion.PercussionChord)
                        else [element]) if (key := _drum_key(n)) is not None]
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


def _key_name(score: Any) -> str:
    from music21 import key as m21key

    for element in score.parts[0].recurse().getElementsByClass("KeySignature") \
            if score.parts else []:
        found = element if isinstance(element, m21key.Key) else element.asKey("major")
        return f"{found.tonic.name} {found.mode}"
    return ""


def _tempo_map(score: Any, zero: Fraction, rate: str) -> TempoMap | None:
    """Tempo marks to a TempoMap: bars of the first part, a segment per meter/tempo run."""
    marks = sorted(((_frac(mark.getOffsetInHierarchy(score)) - zero,
                     Fraction(mark.getQuarterBPM()).limit_denominator(1000))
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


def _scan(path: Path, count: int, unpitched: bool
          ) -> tuple[list[tuple[PartScan, int]], list[str]]:
    """The lxml pass over the file (``musicxml_expression.scan_directions``): for each of
    music21's ``count`` parts (one per staff of a multi-staff part) its scan and staff."""
    from filmscore.formats.musicxml_edit import unzip_musicxml

    try:
        scans, uncarried = scan_directions(unzip_musicxml(path.read_bytes(), source=str(path)),
                                           unpitched=unpitched)
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
    score = _parse(path)
    try:
        score.toSoundingPitch(inPlace=True)
    except Exception:  # noqa: BLE001 - music21 cannot transpose some oddities: keep written
        pass
    parts_in = list(score.parts)
    zero = _zero_offset(parts_in[0]) if parts_in else Fraction(0)
    staves, notices = _scan(path, len(parts_in), unpitched)
    parts: list[Part] = []
    for index, part in enumerate(parts_in, start=1):
        notes, _graces = _part_notes(part, zero, unpitched=unpitched)
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
            marks += scan.marks_of(staff, lambda place, s=starts: s[min(place[0], len(s) - 1)]
                                   + place[1])
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
    music = Music(parts=tuple(parts), meter=meter, tempo_map=_tempo_map(score, zero, rate),
                  title=title, key=_key_name(score))
    return require_notes(music, source=str(path))


def grace_notes_dropped(path: str | os.PathLike[str]) -> int:
    """How many grace notes reading ``path`` drops (for a report to the user)."""
    score = _parse(Path(path))
    return sum(_part_notes(part, Fraction(0))[1] for part in score.parts)


# --- writing ------------------------------------------------------------------------------


def _lanes(notes: tuple[Note, ...]) -> list[list[tuple[Fraction, Fraction, list[Note]]]]:
    """Group notes into chords (same onset and duration), chords into non-overlapping lanes."""
    chords: dict[tuple[Fraction, Fraction], list[Note]] = defaultdict(list)
    for n in notes:
        chords[(n.onset, n.duration)].append(n)
    lanes: list[list[tuple[Fraction, Fraction, list[Note]]]] = []
    for (onset, duration), members in sorted(chords.items()):
        for lane in lanes:
            if lane[-1][0] + lane[-1][1] <= onset:
                lane.append((onset, duration, members))
                break
        else:
            lanes.append([(onset, duration, members)])
    return lanes


def _key_object(text: str) -> Any:
    from music21 import key as m21key

    words = text.split()
    if not words:
        return None
    mode = words[1].lower() if len(words) > 1 else "major"
    try:
        return m21key.Key(words[0], mode)
    except Exception:  # noqa: BLE001
        raise InputError("not a key", field="key", value=text,
                         valid="a tonic and mode such as 'C major', 'f# minor', 'D dorian'"
                         ) from None


#: how music21 spells a pitch class by itself (and we in C major / A minor)
_PLAIN_NAMES = ("C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B")
_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_FLAT_NAMES = ("C", "D-", "D", "E-", "E", "F", "G-", "G", "A-", "A", "B-", "B")


def spelling(key: Any) -> tuple[str, ...]:
    """The name of each pitch class (0 = C) in ``key`` (a music21 Key, or None): the
    degrees of its scale (in minor also the raised sixth and seventh), the others with
    sharps in a sharp key, flats in a flat key, as music21 does in C major.  (A copyist
    spells by line and harmony too; this gets the key right and never writes G# in E-flat.)"""
    if key is None:
        return _PLAIN_NAMES
    sharps = key.sharps
    names = list(_SHARP_NAMES if sharps > 0 else _FLAT_NAMES if sharps < 0 else _PLAIN_NAMES)
    try:
        degrees = list(key.getScale().pitches)
    except Exception:  # noqa: BLE001 - a mode music21 has no scale for: the key's own
        degrees = list(key.getScale("major").pitches)
    if key.mode == "minor":
        degrees += [key.tonic.transpose("M6"), key.tonic.transpose("M7")]
    for degree in degrees:
        names[degree.pitchClass] = degree.name
    return tuple(names)


def _pitch(midi: int, names: tuple[str, ...]) -> Any:
    """A music21 Pitch of ``midi`` spelled by ``names``, with no accidental object on a
    natural note: music21 then shows an accidental only where the key and the bar need one
    (a Pitch made from a number carries an explicit natural, written on every note)."""
    from music21 import pitch as m21pitch

    out = m21pitch.Pitch(names[midi % 12])
    out.octave = 4
    out.octave += (midi - round(out.ps)) // 12
    if out.accidental is not None and out.accidental.alter == 0:
        out.accidental = None
    return out


def make_score(music: Music) -> Any:
    """Music as a music21 Score: measures, voices, ties, key, meter, tempo marks and the
    expression marks (``musicxml_expression.MarkWriter``)."""
    from music21 import chord as m21chord
    from music21 import instrument as m21instrument
    from music21 import metadata as m21metadata
    from music21 import meter as m21meter
    from music21 import note as m21note
    from music21 import stream
    from music21 import tempo as m21tempo
    from music21 import tie as m21tie

    meter = music.meter
    bar = meter.numerator * meter.beat_quarters
    first = min((n.onset for _, n in music.notes()), default=Fraction(0))
    start = Fraction(0)
    pickup = Fraction(0)
    if first < 0:
        pickup = (-first) % bar
        start = -((-first) // bar) * bar - pickup  # a partial pickup bar, then whole bars
    marked = [m.end if m.end is not None else m.onset for p in music.parts for m in p.marks]
    end = max(music.end, Fraction(bar), *marked)
    # bar boundaries: [start, start+pickup) is the pickup bar when pickup > 0
    bounds = [start]
    cursor = start + (pickup if pickup else bar)
    while cursor < end:
        bounds.append(cursor)
        cursor += bar
    bounds.append(cursor)
    key_obj = _key_object(music.key)
    names = spelling(key_obj)

    score = stream.Score()
    score.metadata = m21metadata.Metadata(title=music.title or "")
    tempo_marks: list[tuple[Fraction, Fraction]] = []
    if music.tempo_map is not None:
        at = Fraction(0)
        for seg in music.tempo_map.segments:
            if not seg.is_free:
                tempo_marks.append((at, Fraction(seg.tempo_bpm) * seg.meter.beat_quarters))
            at += seg.bars * seg.meter.numerator * seg.meter.beat_quarters
    for index, part in enumerate(music.parts):
        m21part = stream.Part(id=f"P{index + 1}")
        m21part.partName = part.name
        m21part.atSoundingPitch = True  # our pitches sound; music21 writes written pitch
        try:
            inst = m21instrument.instrumentFromMidiProgram(part.program)
        except Exception:  # noqa: BLE001 - music21 does not know every GM program
            inst = m21instrument.Instrument()
            inst.midiProgram = part.program
        inst.partName = part.name
        if part.is_drum:
            inst.midiChannel = 9
        m21part.insert(0, inst)
        lanes = _lanes(part.notes) or [[]]
        writer = MarkWriter(part.marks)
        first_number = 1 - sum(1 for b in bounds[:-1] if b < 0)
        for i, (m_start, m_end) in enumerate(zip(bounds, bounds[1:], strict=False)):
            measure = stream.Measure(number=first_number + i)
            if i == 0:
                measure.timeSignature = m21meter.TimeSignature(str(meter))
                if key_obj is not None:
                    measure.keySignature = key_obj.__class__(key_obj.tonic, key_obj.mode)
                if pickup and m_end - m_start < bar:
                    measure.paddingLeft = float(bar - (m_end - m_start))
            if index == 0:
                for at, qbpm in tempo_marks:
                    if m_start <= at < m_end:
                        measure.insert(at - m_start, m21tempo.MetronomeMark(number=float(qbpm)))
            containers = []
            for lane_no, lane in enumerate(lanes):
                container = stream.Voice(id=str(lane_no + 1)) if len(lanes) > 1 else measure
                cursor = m_start
                for onset, duration, members in lane:
                    n_end = onset + duration
                    if n_end <= m_start or onset >= m_end:
                        continue
                    seg_start, seg_end = max(onset, m_start), min(n_end, m_end)
                    if seg_start > cursor:
                        container.insert(cursor - m_start,
                                         m21note.Rest(quarterLength=seg_start - cursor))
                    if len(members) == 1:
                        obj = m21note.Note(_pitch(members[0].pitch, names),
                                           quarterLength=seg_end - seg_start)
                    else:
                        obj = m21chord.Chord([_pitch(m.pitch, names) for m in members],
                                             quarterLength=seg_end - seg_start)
                    obj.volume.velocity = members[0].velocity
                    starts, ends = onset >= m_start, n_end <= m_end
                    if not (starts and ends):
                        obj.tie = m21tie.Tie("stop" if starts is False and ends else
                                             "start" if starts else "continue")
                    writer.note(obj, onset, members, lane=lane_no, first=starts)
                    container.insert(seg_start - m_start, obj)
                    cursor = seg_end
                if cursor < m_end and (lane_no == 0 or cursor > m_start):
                    container.insert(cursor - m_start, m21note.Rest(quarterLength=m_end - cursor))
                if container is not measure and container.notesAndRests:
                    containers.append(container)
            for voice in containers:
                measure.insert(0, voice)
            writer.measure(measure, m_start, m_end, last=i == len(bounds) - 2)
            m21part.append(measure)
        writer.finish(m21part)
        score.insert(0, m21part)
    return score


def write_music(music: Music, path: str | os.PathLike[str]) -> Path:
    """Write Music as MusicXML (.musicxml/.xml uncompressed, .mxl compressed), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    return write_score(make_score(music), path)


def _copyists_accidentals(score: Any) -> None:
    """Accidentals as a copyist writes them, made here rather than by music21's writer:
    at written pitch, from the key signature, the bar's earlier notes (an accidental holds
    to the barline; a repeat in the bar gets none) and ties (none on a tied-over note),
    with a courtesy accidental in the bar after an alteration.  music21's writer would
    repeat an accidental on every non-adjacent recurrence in a bar
    (``cautionaryNotImmediateRepeat``), and it makes notation on a copy that forgets what
    was made before: so we make it (durations split, accidentals, ties, beams, tuplets)
    and write with ``makeNotation=False``."""
    score.toWrittenPitch(inPlace=True)
    score.makeNotation(inPlace=True, cautionaryNotImmediateRepeat=False)
    for part in score.parts:  # then what music21's writer does (we write without it)
        part.splitAtDurations(recurse=True)


def write_score(score: Any, path: Path) -> Path:
    """Write a music21 Score as MusicXML at ``path`` (by suffix), atomically."""
    from music21 import defaults
    from music21.musicxml import m21ToXml

    suffix = path.suffix.lower()
    # music21 10.5 warns "out of midi channels" on stderr for a score of more than 15
    # pitched parts even when the parts share channels on purpose: keep that one quiet.
    warn = m21ToXml.environLocal.warn

    def quiet(msg: Any, *args: Any, **kwargs: Any) -> None:
        if "midi channels" not in str(msg):
            warn(msg, *args, **kwargs)

    _copyists_accidentals(score)
    author = defaults.author  # else music21 credits "Music21" as the composer
    with atomic_path(path) as tmp:
        try:
            m21ToXml.environLocal.warn = quiet
            defaults.author = ""
            score.write("mxl" if suffix == ".mxl" else "musicxml", fp=str(tmp),
                        makeNotation=False)  # made above
        except InputError:
            raise
        except Exception as exc:  # music21 cannot notate some durations (e.g. 7/24 quarter)
            reason = " ".join(str(exc).split())[:120] or type(exc).__name__
            raise InputError(f"music21 cannot write this music as MusicXML: {reason}",
                             source=str(path),
                             valid="durations made of plain, dotted and tuplet values"
                             ) from None
        finally:
            m21ToXml.environLocal.warn = warn
            defaults.author = author
    return path


# the full-score writer and its drum table live in musicxml_fullscore (re-exported here)
from filmscore.formats.musicxml_fullscore import (  # noqa: E402
    DRUM_DISPLAY,
    OTHER_DRUM_DISPLAY,
    write_full_score,
)

_make_score, _write_score = make_score, write_score  # the names before issue 9
__all__ = ["DRUM_DISPLAY", "OTHER_DRUM_DISPLAY", "SUFFIXES", "make_score", "read_music",
           "spelling", "write_full_score", "write_music", "write_score"]
