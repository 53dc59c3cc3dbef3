"""MusicXML (.musicxml, .xml, .mxl) to and from Music, through music21.

Reading keeps, per part: every sounding note (transposing instruments are brought to
sounding pitch with music21's ``toSoundingPitch``), chords as one Note per pitch, tied
notes merged into one Note, the part name, the General MIDI program when music21 knows the
instrument; for the piece: the meter and key of the first measure and the tempo marks
(as a TempoMap, else None).  Onsets count quarter notes from bar 1 beat 1 (the measure
numbered 1), so a pickup has negative onsets.

What reading loses: grace notes (they take no time in the bar: dropped), rests, unpitched
percussion notes (no MIDI pitch of their own in music21: dropped), dynamics except a
note's explicit velocity, articulations, slurs, lyrics and stave text, later meter and key
changes (only the first meter and key are kept in ``Music``; later meter changes do shape
the TempoMap's bars), tempo marks inside a bar (moved to the bar's start), and ramps
(accelerando text is not a tempo mark).  A key signature without a mode is read as major
(music21's ``KeySignature.asKey()``).

What writing loses: note spelling (music21 chooses enharmonics), velocities beyond what
music21 writes, ramps in the tempo map (the starting tempo is written) and free-time
segments.  Overlapping notes in one part are written as voices; notes sharing onset and
duration as chords; notes crossing a barline are split and tied (and merged again when
read).

music21 (10.5) notes: parsing is slow (about 5 s for a 17-part, 3.9 MB symphony
movement), so values are extracted once into plain Notes.  Its offsets are floats with
exact binary values or Fractions (for tuplets), so they convert to Fractions exactly; a
value that is not exact (never seen) is rounded to 1/3840 of a quarter.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmscore.errors import InputError, ParseError
from filmscore.fileio import atomic_path
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

    notes: list[list[Any]] = []  # [onset, duration, pitch, velocity]
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
        for midi, tie in members:
            kind = tie.type if tie is not None else None
            held = open_ties.get(midi)
            if kind in ("stop", "continue") and held is not None \
                    and notes[held][0] + notes[held][1] == onset:
                notes[held][1] += duration
                if kind == "stop":
                    del open_ties[midi]
                continue
            notes.append([onset, duration, midi, max(1, min(127, velocity))])
            if kind in ("start", "continue"):
                open_ties[midi] = len(notes) - 1
            else:
                open_ties.pop(midi, None)
    return [Note(o, d, p, v) for o, d, p, v in notes if 0 <= p <= 127], graces


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
        parts.append(Part(name=name, notes=tuple(notes),
                          program=program if isinstance(program, int) and 0 <= program <= 127
                          else 0, is_drum=is_drum))
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


def _make_score(music: Music) -> Any:
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
    end = max(music.end, Fraction(bar))
    # bar boundaries: [start, start+pickup) is the pickup bar when pickup > 0
    bounds = [start]
    cursor = start + (pickup if pickup else bar)
    while cursor < end:
        bounds.append(cursor)
        cursor += bar
    bounds.append(cursor)
    key_obj = _key_object(music.key)

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
                        obj = m21note.Note(members[0].pitch, quarterLength=seg_end - seg_start)
                    else:
                        obj = m21chord.Chord([m.pitch for m in members],
                                             quarterLength=seg_end - seg_start)
                    obj.volume.velocity = members[0].velocity
                    starts, ends = onset >= m_start, n_end <= m_end
                    if not (starts and ends):
                        obj.tie = m21tie.Tie("stop" if starts is False and ends else
                                             "start" if starts else "continue")
                    container.insert(seg_start - m_start, obj)
                    cursor = seg_end
                if cursor < m_end and (lane_no == 0 or cursor > m_start):
                    container.insert(cursor - m_start, m21note.Rest(quarterLength=m_end - cursor))
                if container is not measure and container.notesAndRests:
                    containers.append(container)
            for voice in containers:
                measure.insert(0, voice)
            m21part.append(measure)
        score.insert(0, m21part)
    return score


def write_music(music: Music, path: str | os.PathLike[str]) -> Path:
    """Write Music as MusicXML (.musicxml/.xml uncompressed, .mxl compressed), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    return _write_score(_make_score(music), path)


def _write_score(score: Any, path: Path) -> Path:
    from music21.musicxml import m21ToXml

    suffix = path.suffix.lower()
    # music21 10.5 warns "out of midi channels" on stderr for a score of more than 15
    # pitched parts even when the parts share channels on purpose: keep that one quiet.
    warn = m21ToXml.environLocal.warn

    def quiet(msg: Any, *args: Any, **kwargs: Any) -> None:
        if "midi channels" not in str(msg):
            warn(msg, *args, **kwargs)

    with atomic_path(path) as tmp:
        try:
            m21ToXml.environLocal.warn = quiet
            score.write("mxl" if suffix == ".mxl" else "musicxml", fp=str(tmp))
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
    return path


# --- full scores ----------------------------------------------------------------------------

# General MIDI drum key -> (display step, display octave, notehead) on a five-line
# percussion staff, after common drum-set notation; every position+notehead is unique so
# that a key is read back from where its note sits.  Keys not listed are written at
# OTHER_DRUM_DISPLAY and cannot be read back.
DRUM_DISPLAY: dict[int, tuple[str, int, str]] = {
    35: ("E", 4, "normal"), 36: ("F", 4, "normal"), 37: ("C", 5, "x"),
    38: ("C", 5, "normal"), 39: ("C", 5, "slash"), 40: ("C", 5, "diamond"),
    41: ("G", 4, "normal"), 43: ("A", 4, "normal"), 45: ("B", 4, "normal"),
    47: ("D", 5, "normal"), 48: ("E", 5, "normal"), 50: ("F", 5, "normal"),
    42: ("G", 5, "x"), 44: ("D", 4, "x"), 46: ("G", 5, "circle-x"),
    49: ("A", 5, "x"), 51: ("F", 5, "x"), 52: ("A", 5, "circle-x"),
    53: ("F", 5, "diamond"), 54: ("E", 5, "diamond"), 55: ("A", 5, "diamond"),
    56: ("E", 5, "triangle"), 57: ("B", 5, "x"), 59: ("E", 5, "x"),
    76: ("D", 5, "triangle"), 77: ("D", 5, "x"), 80: ("B", 5, "triangle"),
    81: ("A", 5, "triangle"),
}  # fmt: skip
OTHER_DRUM_DISPLAY = ("C", 4, "normal")
_DRUM_BY_DISPLAY = {v: k for k, v in DRUM_DISPLAY.items()}

# clef -> (music21 class name, the written MIDI span it suits); clefs of the instrument
# table.  A part takes the first of its instrument's clefs whose span holds the median of
# its written notes, else the clef whose span's middle is nearest.
_CLEFS: dict[str, tuple[str, int, int]] = {
    "treble": ("TrebleClef", 60, 96), "bass": ("BassClef", 24, 64),
    "alto": ("AltoClef", 50, 74), "tenor": ("TenorClef", 48, 70),
    "treble_8vb": ("Treble8vbClef", 40, 84), "percussion": ("PercussionClef", 0, 127),
}


def _drum_key(element: Any) -> int | None:
    head = element.notehead or "normal"
    return _DRUM_BY_DISPLAY.get((element.displayStep, element.displayOctave, head))


def _choose_clef(clefs: tuple[str, ...], written: list[int]) -> str:
    if not written:
        return clefs[0]
    median = sorted(written)[len(written) // 2]
    for name in clefs:
        if _CLEFS[name][1] <= median <= _CLEFS[name][2]:
            return name
    return min(clefs, key=lambda c: abs((_CLEFS[c][1] + _CLEFS[c][2]) / 2 - median))


def _abbreviation(label: str, abbreviation: str) -> str:
    """'Hn. 1' for chair 'Horn 1', 'Vn. I' for 'Violin I', else the instrument's own."""
    words = label.split()
    if len(words) > 1 and re.fullmatch(r"\d+|[IVX]+", words[-1]):
        return f"{abbreviation} {words[-1]}"
    return abbreviation


def _unpitched_of(element: Any) -> Any:
    from music21 import note as m21note

    step, octave, head = DRUM_DISPLAY.get(element.pitch.midi, OTHER_DRUM_DISPLAY)
    out = m21note.Unpitched(quarterLength=element.duration.quarterLength)
    out.displayStep, out.displayOctave = step, octave
    if head != "normal":
        out.notehead = head
    return out


def _to_unpitched(m21part: Any) -> None:
    """Every note of a drum part as an Unpitched at its DRUM_DISPLAY position."""
    from music21 import chord as m21chord
    from music21 import percussion as m21percussion

    for element in list(m21part.recurse().notes):
        if isinstance(element, m21chord.Chord):
            new = m21percussion.PercussionChord([_unpitched_of(n) for n in element.notes])
            new.duration.quarterLength = element.duration.quarterLength
        else:
            new = _unpitched_of(element)
        new.tie = element.tie
        new.volume.velocity = element.volume.velocity
        element.activeSite.replace(element, new)


def _dress_part(m21part: Any, part: Part, *, concert: bool, source: str, channel: int) -> None:
    """Instrument, names, clef and transposition of one full-score part."""
    from music21 import clef as m21clef
    from music21 import instrument as m21instrument
    from music21 import interval as m21interval

    from filmscore.orchestration.instruments import get_instrument

    try:
        info = get_instrument(part.instrument or part.name)
    except InputError as error:
        error.reason = f"part {part.name}: {error.reason}"
        raise error.located(source=source) from None
    for old in list(m21part.getElementsByClass(m21instrument.Instrument)):
        m21part.remove(old)
    drum = part.is_drum or info.is_unpitched
    if drum:
        inst = m21instrument.UnpitchedPercussion()
        inst.percMapPitch = part.notes[0].pitch if part.notes else 38
        inst.midiChannel = 9
    else:
        inst = m21instrument.Instrument()
        inst.midiProgram = info.gm_program
        inst.midiChannel = channel  # parts share channels past 15 (music21 would complain)
    inst.partName = part.name
    inst.partAbbreviation = _abbreviation(part.name, info.abbreviation)
    inst.instrumentName = info.name
    inst.instrumentAbbreviation = info.abbreviation
    m21part.partName, m21part.partAbbreviation = inst.partName, inst.partAbbreviation
    semis = 0 if concert or drum else info.transposition_semitones
    if semis:
        steps = info.transposition_diatonic
        generic = steps + 1 if steps >= 0 else steps - 1
        inst.transposition = m21interval.intervalFromGenericAndChromatic(generic, semis)
    m21part.insert(0, inst)
    clef_name = "percussion" if drum else _choose_clef(
        info.clefs, [n.pitch - semis for n in part.notes])
    first = next(iter(m21part.getElementsByClass("Measure")), None)
    if first is not None:
        first.clef = getattr(m21clef, _CLEFS[clef_name][0])()
    if drum:
        _to_unpitched(m21part)
        # unpitched percussion carries no key signature (music21 copies the score's)
        from music21 import key as m21key

        for measure in m21part.getElementsByClass("Measure"):
            for sig in list(measure.getElementsByClass(m21key.KeySignature)):
                measure.remove(sig)


def write_full_score(music: Music, path: str | os.PathLike[str], *,
                     concert: bool = False) -> Path:
    """Write an orchestrated full score as MusicXML, atomically.

    Each part is named by its chair label (``Part.name``), abbreviated from its instrument
    (``Part.instrument``, a key of the instrument table, else the part name is looked up),
    on the instrument's clef chosen by register.  Transposing instruments are written at
    written pitch with a ``<transpose>`` element (key signature transposed), octave
    transposers (piccolo, double bass, guitar, glockenspiel, ...) at the octave; with
    ``concert`` everything is at sounding pitch and nothing has a ``<transpose>``.  Drum
    parts (``is_drum`` or an unpitched instrument) are unpitched notes on a percussion clef
    at their ``DRUM_DISPLAY`` position; ``read_music(path, unpitched=True)`` reads them back.

    What it loses besides ``write_music``'s losses: a part's instrument changes (one
    instrument per part: a chair that switches to a double needs its own part), grand
    staves (a piano or harp part is one staff), clef changes inside a part, and drum keys
    without a ``DRUM_DISPLAY`` position (written at C4, read back as nothing).  Percussion
    parts carry one MIDI drum key for the whole part (``<midi-unpitched>``, music21 writes
    no per-note ``<instrument>``), so players of MusicXML hear one drum sound per part.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    if not music.parts:
        raise InputError("a full score needs at least one part", source=str(path),
                         valid="an orchestration with at least one playing chair")
    score = _make_score(music)
    for index, (m21part, part) in enumerate(zip(score.parts, music.parts, strict=True)):
        channel = [c for c in range(16) if c != 9][index % 15]
        _dress_part(m21part, part, concert=concert, source=str(path), channel=channel)
    return _write_score(score, path)
