"""Music as a music21 Score and as a MusicXML file: measures, voices, ties, key and
spelling, tempo marks and expression marks (``musicxml_expression.MarkWriter``).

:func:`make_score` builds the notation both writers share (the short score of
``musicxml.write_music`` and the full score of ``musicxml_fullscore``); each then dresses
its parts; :func:`write_score` makes the accidentals as a copyist writes them and writes
the file atomically.  What writing loses is listed in :mod:`filmscore.formats.musicxml`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmscore.errors import InputError
from filmscore.fileio import atomic_path
from filmscore.formats.musicxml_edit import unzip_musicxml
from filmscore.formats.musicxml_expression import MarkWriter
from filmscore.writing.music import Music, Note

SUFFIXES = (".musicxml", ".xml", ".mxl")


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


def _mxl(data: bytes, inner: str) -> bytes:
    """A compressed MusicXML container (.mxl) holding the score document ``data``."""
    import io
    import zipfile

    container = ('<?xml version="1.0" encoding="UTF-8"?><container><rootfiles>'
                 f'<rootfile full-path="{inner}" media-type='
                 '"application/vnd.recordare.musicxml+xml"/></rootfiles></container>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.recordare.musicxml",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container,
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(inner, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_score(score: Any, path: Path, *, finish: Callable[[bytes], bytes] | None = None
                ) -> Path:
    """Write a music21 Score as MusicXML at ``path`` (by suffix), atomically; ``finish``
    edits the uncompressed document (lxml work music21 cannot do) before it is stored."""
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
            if finish is None:
                score.write("mxl" if suffix == ".mxl" else "musicxml", fp=str(tmp),
                            makeNotation=False)  # made above
            else:
                score.write("musicxml", fp=str(tmp), makeNotation=False)
                # music21 compresses by the file's suffix whatever the format asked
                data = finish(unzip_musicxml(tmp.read_bytes(), source=str(path)))
                tmp.write_bytes(_mxl(data, f"{path.stem}.musicxml") if suffix == ".mxl"
                                else data)
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
