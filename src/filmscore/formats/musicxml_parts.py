"""MusicXML parts and conductor's scores of a cue, copied as a music-preparation house does.

XML in, XML out, through lxml: a partwise MusicXML full score (.musicxml, .xml or
compressed .mxl; ours or anyone's) is parsed once (:func:`load_score`); :func:`make_part`
writes one player's part, :func:`make_score` the conductor's score, :func:`make_parts`
every part.  Each output is a MusicXML 4.0 document (bytes) that an engraver (verovio,
MuseScore) lays out.

Every part, in the score too, is copied: transposed (below), its accidentals rewritten
from the key, the bar and ties (:mod:`filmscore.formats.musicxml_accidentals`), its rests
and beams grouped by the meter's beats (:mod:`filmscore.formats.musicxml_meter`), ended on
a final bar line.  What is added (:mod:`filmscore.formats.musicxml_marks`): the page-1
header (:mod:`filmscore.formats.musicxml_document`), a transposing part named with its
key ("Horn 1 in F"); tempo marks (words, <metronome>, the frame-click '12-0 fc', <sound
tempo>); each sync point's timecode (and footage) at its exact place on a line of its own
(in the score with what happens then); rehearsal letters at the music's structural
points (:func:`rehearsal_marks`); in parts, runs of two or more whole-bar rests as
<measure-style><multiple-rest> (a run starts at meter/key/clef changes and at a bar with
a direction, and ends at double bars, repeats and endings).

Transposition is spelled (step, alter, octave, key <fifths>, chord symbols) by the
interval of the part's <transpose>; where the source is at concert pitch (no <transpose>,
or a MusicXML 4 <concert-score> with <for-part><part-transpose>), or an ``instruments``
entry names the instrument, that instrument's transposition is used.  A written key beyond
seven sharps or flats is respelled enharmonically (G# major as Ab major), its notes with
it.  A score or part "in C" keeps octave transpositions (piccolo, double bass, guitar) as
<transpose> with only an octave-change.

What is lost: in parts, the full score's layout (<print> system and page breaks, measure
widths) and its credits; in both, the source's own title credits (replaced by the film
header) and its accidentals, rest values and (where they cross a beat) beams, which are
written again.  Source tempo directions of the top part are copied into the other parts
only when no film tempo marks are given; when they are, the source's metronome marks and
<sound tempo> give way to them (its tempo words stay).  Positions (``quarters``) count
quarter notes from bar 1 beat 1, bar 1 being the measure numbered "1" (as
:mod:`filmscore.formats.musicxml` reads it); a mark before the first measure goes to its
start, one after the last to its end.  Marks are placed by the measure lengths of the
first part.
"""

from __future__ import annotations

import copy
import os
import re
import zipfile
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from lxml import etree

from filmscore.errors import ParseError
from filmscore.fileio import atomic_path
from filmscore.formats.musicxml_accidentals import respell_accidentals
from filmscore.formats.musicxml_document import document
from filmscore.formats.musicxml_edit import instrument_interval as _instrument_interval
from filmscore.formats.musicxml_edit import interval_of as _interval_of
from filmscore.formats.musicxml_edit import number_of as _num
from filmscore.formats.musicxml_edit import transpose_part as _transpose_part
from filmscore.formats.musicxml_marks import (
    add_final_barline,
    add_marks,
    add_multirests,
    copy_source_tempos,
    source_tempos,
)
from filmscore.formats.musicxml_meter import regroup_beams, regroup_rests
from filmscore.formats.musicxml_structure import source_rehearsals, structure_weights
from filmscore.orchestration.copying import (
    Header,
    Interval,
    SyncMark,
    TempoMark,
    transposition_label,
)
from filmscore.orchestration.rehearsal import film_weights, rehearsal_bars, rehearsal_letter

__all__ = ["Header", "Interval", "ScoreDoc", "SyncMark", "TempoMark", "load_score",
           "make_part", "make_parts", "make_score", "parse_score", "rehearsal_marks",
           "write_musicxml"]

SUFFIXES = (".musicxml", ".xml", ".mxl")


# --- loading -----------------------------------------------------------------------------


@dataclass
class ScoreDoc:
    """A parsed partwise score: its tree, parts and the measures' places in time."""

    source: str
    root: etree._Element
    part_names: dict[str, str]
    starts: list[Fraction]  # per measure index: start, quarters from bar 1 beat 1
    lengths: list[Fraction]  # per measure index: length in quarters
    concert_score: bool = False
    _tempo_cache: list | None = field(default=None, repr=False)
    #: each part as copied (transposed, respelled, regrouped), by (part id, mode, target):
    #: a score and its parts copy every part the same way, so it is done once per document
    _prepared: dict = field(default_factory=dict, repr=False)

    @property
    def parts(self) -> list[tuple[str, str]]:
        """(part id, part name) in score order."""
        return list(self.part_names.items())

    @property
    def measure_count(self) -> int:
        return len(self.starts)

    def part_element(self, part_id: str) -> etree._Element:
        for part in self.root.iterfind("part"):
            if part.get("id") == part_id:
                return part
        raise ParseError("no such part in the score", source=self.source, field="part",
                         value=part_id, valid=", ".join(self.part_names))

    def measure_at(self, quarters: Fraction) -> tuple[int, Fraction]:
        """(measure index, offset in quarters) of a position from bar 1 beat 1."""
        quarters = Fraction(quarters)
        index = bisect_right(self.starts, quarters) - 1
        if index < 0:
            return 0, Fraction(0)
        offset = quarters - self.starts[index]
        if index == len(self.starts) - 1 and offset > self.lengths[index]:
            offset = self.lengths[index]
        return index, offset

    def source_tempos(self) -> list[tuple[int, Fraction, etree._Element]]:
        """Tempo directions of the top part: (measure index, offset in quarters, direction),
        found once."""
        if self._tempo_cache is None:
            self._tempo_cache = source_tempos(self.root)
        return self._tempo_cache


def _read_bytes(path: Path) -> bytes:
    if not path.exists():  # a pipe or a device: refused by read_input
        raise ParseError("no such file", source=str(path), valid="an existing MusicXML file")
    if path.suffix.lower() not in SUFFIXES:
        raise ParseError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    from filmscore.formats.musicxml_input import read_musicxml_file

    return read_musicxml_file(path)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=True, remove_comments=True, remove_pis=True)


def load_score(path: str | os.PathLike[str]) -> ScoreDoc:
    """Parse a partwise MusicXML score (.musicxml, .xml or .mxl)."""
    path = Path(path)
    return parse_score(_read_bytes(path), source=str(path))


def parse_score(data: bytes, *, source: str = "<musicxml>") -> ScoreDoc:
    """Parse MusicXML bytes (uncompressed) as a partwise score; ``source`` names it in errors.
    """
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        reason = " ".join(str(exc.msg or exc).split())[:100]
        raise ParseError(f"not well-formed XML: {reason}", source=source,
                         line=exc.lineno or None, valid="a MusicXML document") from None
    if root.tag == "score-timewise":
        raise ParseError("a timewise MusicXML score is not supported", source=source,
                         valid="a score-partwise document (export it partwise)")
    if root.tag != "score-partwise":
        raise ParseError("not a MusicXML score", source=source, value=str(root.tag),
                         valid="a <score-partwise> document")
    from filmscore.formats.musicxml_input import check_values

    check_values(root, source=source)  # a <beats> of 10^30 would be bars for ever
    parts = root.findall("part")
    if not parts:
        raise ParseError("the score has no parts", source=source,
                         valid="a score with at least one <part> of measures")
    names: dict[str, str] = {}
    entries = {sp.get("id"): sp for sp in root.iterfind("part-list/score-part")}
    for index, part in enumerate(parts, 1):
        pid = part.get("id") or f"P{index}"
        part.set("id", pid)
        if part.find("measure") is None:
            raise ParseError("a part has no measures", source=source, field="part",
                             value=pid, valid="every <part> with <measure>s")
        entry = entries.get(pid)
        name = ""
        if entry is not None:
            name = (entry.findtext("part-name") or "").strip() or \
                (entry.findtext("part-abbreviation") or "").strip()
        names[pid] = name or pid
    starts, lengths = _timeline(parts[0])
    concert = root.find("defaults/concert-score") is not None
    return ScoreDoc(source, root, names, starts, lengths, concert)


def _measure_length(measure: etree._Element, divisions: Fraction, meter: Fraction
                    ) -> tuple[Fraction, Fraction]:
    """(length in quarters, divisions after the measure)."""
    cursor = top = Fraction(0)
    for child in measure:
        tag = child.tag
        if tag == "note":
            if child.find("chord") is None and child.find("grace") is None:
                cursor += _num(child.find("duration"))
                top = max(top, cursor)
        elif tag == "backup":
            cursor -= _num(child.find("duration"))
        elif tag == "forward":
            cursor += _num(child.find("duration"))
            top = max(top, cursor)
        elif tag == "attributes":
            divisions = _num(child.find("divisions"), divisions) or divisions
    if top == 0:
        return meter, divisions
    return top / divisions, divisions


def _timeline(part: etree._Element) -> tuple[list[Fraction], list[Fraction]]:
    lengths: list[Fraction] = []
    divisions, meter = Fraction(1), Fraction(4)
    zero_index = None
    for index, measure in enumerate(part.iterfind("measure")):
        for time in measure.iterfind("attributes/time"):
            beats, beat_type = time.findtext("beats"), time.findtext("beat-type")
            try:
                meter = sum(Fraction(b) for b in (beats or "4").split("+")) * 4 / \
                    Fraction(beat_type or "4")
            except (ValueError, ZeroDivisionError):
                pass
        length, divisions = _measure_length(measure, divisions, meter)
        lengths.append(length)
        if zero_index is None and (measure.get("number") or "").strip() == "1":
            zero_index = index
    starts, at = [], Fraction(0)
    for length in lengths:
        starts.append(at)
        at += length
    zero = starts[zero_index] if zero_index is not None else Fraction(0)
    return [s - zero for s in starts], lengths


# --- documents ------------------------------------------------------------------------------


def _targets(instruments: Mapping[str, str | Interval] | None, part_id: str, name: str
             ) -> Interval | None:
    if not instruments:
        return None
    value = instruments.get(part_id, instruments.get(name))
    return _instrument_interval(value) if value is not None else None


def _prepared_part(doc: ScoreDoc, part_id: str, *, mode: str, target: Interval | None,
                   layout: bool, notes: list[str] | None = None
                   ) -> tuple[etree._Element, list[etree._Element], str]:
    """A copy of a part, transposed, its accidentals, rests and beams as a copyist writes
    them, ending on a final bar line; and its key label ('in B\u266d', or '').  Without
    ``layout`` the source's <print> elements and measure widths are left out (they play no
    part in the copying, so the copy made once with them serves both)."""
    key = (part_id, mode, target)
    cached = doc._prepared.get(key)
    if cached is None:
        part = copy.deepcopy(doc.part_element(part_id))
        measures = part.findall("measure")
        _transpose_part(part, mode=mode, target=target, measures=measures)
        found: list[str] = []
        respell_accidentals(measures, found)
        regroup_rests(measures, found)
        regroup_beams(measures)
        add_final_barline(measures)
        first = part.find("measure/attributes/transpose")
        label = transposition_label(_interval_of(first)) if first is not None else ""
        cached = doc._prepared[key] = (part, tuple(dict.fromkeys(found)), label)
    template, found_lines, label = cached
    if notes is not None:
        name = doc.part_names.get(part_id, part_id)
        notes.extend(f"{doc.source}: part {name}, {line}" for line in found_lines)
    part = copy.deepcopy(template)  # the caller adds its marks to its own copy
    measures = part.findall("measure")
    if not layout:
        for measure in measures:
            for element in measure.findall("print"):
                measure.remove(element)
            measure.attrib.pop("width", None)
    return part, measures, label


def _labelled(name: str, label: str) -> str:
    """'Clarinet 1' + 'in B\u266d' -> 'Clarinet 1 in B\u266d' (a name that says its key
    already is kept)."""
    if not label or _NAMED_KEY.search(name):
        return name
    return f"{name} {label}"


def _played(doc: ScoreDoc, part_id: str, name: str, label: str) -> str:
    """The part's name as its reader sees it: ``_labelled``, and the instrument a chair
    plays when it is one of the usual doubles of the instrument its name says ('Flute 3
    (Piccolo)' for a flute chair on piccolo, its score-instrument; 'Clarinet 2 (Bass
    Clarinet in B\u266d)'): the player must know to pick it up.  The same instrument in
    another key is only its key ('Clarinet 1 in A')."""
    from filmscore.errors import InputError
    from filmscore.orchestration.instruments import get_instrument, is_double

    entry = doc.root.find(f"part-list/score-part[@id='{part_id}']") \
        if "'" not in part_id else None
    played = (entry.findtext("score-instrument/instrument-name") or "").strip() \
        if entry is not None else ""
    base = re.sub(r"\s+(\d+|[IVX]+)$", "", name.strip())
    try:
        chair, instrument = get_instrument(base), get_instrument(played) if played else None
    except InputError:
        return _labelled(name, label)
    if instrument is None or not is_double(chair, instrument):
        return _labelled(name, label)
    shown = re.sub(r"\s+in\s+\S+$", "", instrument.name)
    return f"{name} ({shown}{' ' + label if label else ''})"


_NAMED_KEY = re.compile(r"\bin [A-G]([b#\u266d\u266f]|-flat|-sharp| flat| sharp)?\b")


def rehearsal_marks(doc: ScoreDoc, syncs: Sequence[SyncMark] = (),
                    tempos: Sequence[TempoMark] = ()) -> list[tuple[int, str]]:
    """The rehearsal letters a copyist puts in this score, as (measure index, letter): at
    its structural points (:mod:`filmscore.orchestration.rehearsal`: the music's own,
    :mod:`filmscore.formats.musicxml_structure`, and the film's tempo changes and big
    hits, on the bar nearest them).  None when the score has rehearsal marks of its own
    (they are kept as they are)."""
    if source_rehearsals(doc.root):
        return []
    start = max(0, bisect_right(doc.starts, Fraction(0)) - 1)
    weights = structure_weights(doc.root.findall("part"), start=start)
    for quarters, weight in film_weights(tempos, syncs):
        index, offset = doc.measure_at(quarters)
        if offset * 2 > doc.lengths[index] and index + 1 < len(weights):
            index += 1
        weights[index] += weight
    bars = rehearsal_bars(weights, start=start)
    return [(bar, rehearsal_letter(i)) for i, bar in enumerate(bars)]


def make_part(doc: ScoreDoc, part_id: str, *, header: Header, syncs: Sequence[SyncMark] = (),
              tempos: Sequence[TempoMark] = (), transposed: bool = True, multirest: bool = True,
              instrument: str | Interval | None = None,
              letters: Sequence[tuple[int, str]] | None = None,
              notes: list[str] | None = None) -> bytes:
    """One player's part as a MusicXML document (see the module docstring).

    ``transposed``: written for the instrument (else at concert pitch, octaves kept);
    ``instrument``: an instrument of the table (or an Interval) whose transposition the
    part is written in, when the source does not say it or says another; ``letters``:
    the rehearsal letters ((measure index, letter); default :func:`rehearsal_marks`);
    ``notes`` collects a line for each notation of the source left as written ("FILE: part
    Flute, bar 12: <time> senza-misura ...").
    """
    name = doc.part_names.get(part_id, part_id)
    target = _targets({part_id: instrument} if instrument is not None else None, part_id, name)
    mode = "written" if transposed else "concert"
    part, measures, label = _prepared_part(doc, part_id, mode=mode, target=target,
                                           layout=False, notes=notes)
    if letters is None:
        letters = rehearsal_marks(doc, syncs, tempos)
    add_marks(doc.measure_at, measures, syncs, tempos, letters=letters)
    if not tempos and part_id != next(iter(doc.part_names)):
        copy_source_tempos(measures, doc.source_tempos())
    if multirest:
        add_multirests(measures)
    reader = _played(doc, part_id, name, label)
    return document(doc.root, header, reader, [part_id], [part], doc.part_names, part=True,
                    concert=not transposed, labels={part_id: reader})


def make_parts(doc: ScoreDoc, *, header: Header, syncs: Sequence[SyncMark] = (),
               tempos: Sequence[TempoMark] = (), transposed: bool = True,
               multirest: bool = True, instruments: Mapping[str, str | Interval] | None = None,
               notes: list[str] | None = None) -> list[tuple[str, bytes]]:
    """Every part: (a name unique in the score, MusicXML bytes), in score order.
    ``instruments`` maps part ids (or names) to instruments, as ``make_part``'s."""
    out, seen = [], set()
    letters = rehearsal_marks(doc, syncs, tempos)
    for part_id, name in doc.parts:
        data = make_part(doc, part_id, header=header, syncs=syncs, tempos=tempos,
                         transposed=transposed, multirest=multirest, letters=letters,
                         notes=notes,
                         instrument=(instruments or {}).get(part_id,
                                                            (instruments or {}).get(name)))
        unique = name if name not in seen else f"{name} ({part_id})"
        seen.add(unique)
        out.append((unique, data))
    return out


def make_score(doc: ScoreDoc, *, header: Header, syncs: Sequence[SyncMark] = (),
               tempos: Sequence[TempoMark] = (), concert: bool = False,
               instruments: Mapping[str, str | Interval] | None = None,
               letters: Sequence[tuple[int, str]] | None = None,
               notes: list[str] | None = None) -> bytes:
    """The conductor's score: every part, written transposed (``concert=False``, each
    transposing part labelled with its key) or in C (``concert=True``: sounding pitch,
    octave transpositions kept); the film marks once, over the top staff, with what
    happens at each sync point; labelled "Transposed score" or "Score in C"."""
    parts, labels = [], {}
    if letters is None:
        letters = rehearsal_marks(doc, syncs, tempos)
    for index, (part_id, name) in enumerate(doc.parts):
        target = _targets(instruments, part_id, name)
        part, measures, label = _prepared_part(
            doc, part_id, mode="concert" if concert else "written", target=target,
            layout=True, notes=notes)
        if index == 0:
            add_marks(doc.measure_at, measures, syncs, tempos, letters=letters, describe=True)
        shown = _played(doc, part_id, name, "" if concert else label)
        if shown != name:
            labels[part_id] = shown
        parts.append(part)
    reader = "Score in C" if concert else "Transposed score"
    return document(doc.root, header, reader, [pid for pid, _ in doc.parts], parts,
                    doc.part_names, part=False, concert=concert, labels=labels)


def write_musicxml(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write a document atomically: .musicxml/.xml as is, .mxl compressed with its container.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ParseError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    with atomic_path(path) as tmp:
        if suffix == ".mxl":
            inner = f"{path.stem}.musicxml"
            container = ('<?xml version="1.0" encoding="UTF-8"?><container><rootfiles>'
                         f'<rootfile full-path="{inner}" media-type='
                         '"application/vnd.recordare.musicxml+xml"/></rootfiles></container>')
            with zipfile.ZipFile(tmp, "w") as archive:
                archive.writestr("mimetype", "application/vnd.recordare.musicxml",
                                 compress_type=zipfile.ZIP_STORED)
                archive.writestr("META-INF/container.xml", container,
                                 compress_type=zipfile.ZIP_DEFLATED)
                archive.writestr(inner, data, compress_type=zipfile.ZIP_DEFLATED)
        else:
            tmp.write_bytes(data)
    return path
