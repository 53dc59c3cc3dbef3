"""MusicXML parts and conductor's scores of a cue, with its film marks, through lxml.

XML in, XML out: a partwise MusicXML score (.musicxml, .xml or compressed .mxl) is parsed
once (:func:`load_score`); :func:`make_part` writes one player's part, :func:`make_score`
the conductor's score, :func:`make_parts` every part.  Each output is a MusicXML 4.0
document (bytes) that an engraver (verovio, MuseScore) lays out.

What is added: a page-1 header as <credit>s (part name top left, film title and cue number
and title centred, composer right, a note under the part name) and <work>/<movement-*>;
tempo marks as a <direction> with words, <metronome>, the frame-click ('12-0 fc') and
<sound tempo>; each sync mark as a square <rehearsal> mark at the start of its bar and
a <words> direction with its timecode (and text) at its exact place (before the note it
falls on, or with an <offset> when it falls inside a note); in parts, runs of two or more
whole-bar rests as <measure-style><multiple-rest> (a run starts at meter/key/clef changes
and ends at double bars, repeats and endings; a bar with any direction - a sync or tempo
mark, a dynamic - is never in a run, because verovio 6.4 drops every direction of a
multi-rest's bars).

Transposition is spelled (step, alter, octave, key <fifths>, <accidental> glyphs, chord
symbols) by the interval of the part's <transpose>; where the source is at concert pitch
(no <transpose>, or a MusicXML 4 <concert-score> with <for-part><part-transpose>), or an
``instruments`` entry names the instrument, that instrument's transposition is used.  A
written key beyond seven sharps or flats is respelled enharmonically (G# major as Ab
major), its notes with it.  A score or part "in C" keeps octave transpositions (piccolo,
double bass, guitar) as <transpose> with only an octave-change.

What is lost: in parts, the full score's layout (<print> system and page breaks, measure
widths) and its credits; in both, the source's own title credits (replaced by the film
header).  Source tempo directions of the top part are copied into the other parts only
when no film tempo marks are given; when they are, the source's metronome marks and
<sound tempo> give way to them (its tempo words stay).  Positions (``quarters``) count
quarter notes from bar 1 beat 1, bar 1 being the measure numbered "1" (as
:mod:`filmscore.formats.musicxml` reads it); a mark before the first measure goes to
its start, one after the last to its end.  Marks are placed by the measure lengths of the
first part.  The marks and multi-bar rests are written by
:mod:`filmscore.formats.musicxml_marks`, transposition by
:mod:`filmscore.formats.musicxml_edit`.
"""

from __future__ import annotations

import copy
import os
import zipfile
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from lxml import etree

from filmscore.errors import ParseError
from filmscore.fileio import atomic_path
from filmscore.formats.musicxml_edit import instrument_interval as _instrument_interval
from filmscore.formats.musicxml_edit import number_of as _num
from filmscore.formats.musicxml_edit import sub_element as _sub
from filmscore.formats.musicxml_edit import transpose_part as _transpose_part
from filmscore.formats.musicxml_edit import unzip_musicxml
from filmscore.formats.musicxml_marks import (
    add_marks,
    add_multirests,
    copy_source_tempos,
    source_tempos,
)
from filmscore.orchestration.copying import Header, Interval, SyncMark, TempoMark

__all__ = ["Header", "Interval", "ScoreDoc", "SyncMark", "TempoMark", "load_score",
           "make_part", "make_parts", "make_score", "parse_score", "write_musicxml"]

SUFFIXES = (".musicxml", ".xml", ".mxl")
DOCTYPE = ('<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
           '"http://www.musicxml.org/dtds/partwise.dtd">')
PART_MILLIMETERS = "7"  # staff space 1.75 mm: a part's usual size
PART_PAGE = ("1697.14", "1200", "85")  # A4 in tenths at 7 mm / 40 tenths: height, width, margin


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
    if not path.is_file():
        raise ParseError("no such file", source=str(path), valid="an existing MusicXML file")
    if path.suffix.lower() not in SUFFIXES:
        raise ParseError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    return unzip_musicxml(path.read_bytes(), source=str(path))


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


def _defaults(doc: ScoreDoc, *, part: bool, concert: bool) -> etree._Element:
    source = doc.root.find("defaults")
    defaults = copy.deepcopy(source) if source is not None else etree.Element("defaults")
    if part:
        for tag in ("scaling", "page-layout", "system-layout", "staff-layout"):
            for element in defaults.findall(tag):
                defaults.remove(element)
    if defaults.find("scaling") is None:
        scaling = etree.Element("scaling")
        _sub(scaling, "millimeters", PART_MILLIMETERS)
        _sub(scaling, "tenths", "40")
        defaults.insert(0, scaling)
    if defaults.find("page-layout") is None:
        height, width, margin = PART_PAGE
        layout = etree.Element("page-layout")
        _sub(layout, "page-height", height)
        _sub(layout, "page-width", width)
        margins = _sub(layout, "page-margins", type="both")
        for side in ("left", "right", "top", "bottom"):
            _sub(margins, f"{side}-margin", margin)
        defaults.find("scaling").addnext(layout)
    for element in defaults.findall("concert-score"):
        defaults.remove(element)
    if concert:
        defaults.find("scaling").addnext(etree.Element("concert-score"))
    return defaults


def _page(defaults: etree._Element) -> tuple[float, float, float, float, float]:
    layout = defaults.find("page-layout")

    def number(path: str, default: float) -> float:
        try:
            return float(layout.findtext(path) or default)
        except ValueError:
            return default

    height, width = number("page-height", 1697.14), number("page-width", 1200)
    left = number("page-margins/left-margin", 85)
    right = number("page-margins/right-margin", 85)
    top = number("page-margins/top-margin", 85)
    return height, width, left, right, top


def _credit(root: etree._Element, kind: str, text: str, x: float, y: float, justify: str,
            size: str, **attrs: str) -> None:
    credit = _sub(root, "credit", page="1")
    _sub(credit, "credit-type", kind)
    _sub(credit, "credit-words", text, default_x=f"{x:.2f}", default_y=f"{y:.2f}",
         justify=justify, valign="top", font_size=size, **attrs)


def _document(doc: ScoreDoc, header: Header, part_label: str, part_ids: Sequence[str],
              parts: Sequence[etree._Element], *, part: bool, concert: bool) -> bytes:
    root = etree.Element("score-partwise", version="4.0")
    work = _sub(root, "work")
    _sub(work, "work-title", header.film_title)
    if header.cue_number:
        _sub(root, "movement-number", header.cue_number)
    _sub(root, "movement-title", header.cue_label or header.film_title)
    ident = _sub(root, "identification")
    if header.composer:
        _sub(ident, "creator", header.composer, type="composer")
    for rights in doc.root.iterfind("identification/rights"):
        ident.append(copy.deepcopy(rights))
    encoding = _sub(ident, "encoding")
    _sub(encoding, "software", "filmscore")
    defaults = _defaults(doc, part=part, concert=concert)
    root.append(defaults)
    height, width, left, right, top = _page(defaults)
    y = height - top
    if part_label:
        _credit(root, "part name", part_label, left, y, "left", "12", font_weight="bold")
    if header.note:
        _credit(root, "note", header.note, left, y - 25, "left", "9", font_style="italic")
    _credit(root, "title", header.film_title, width / 2, y, "center", "18")
    if header.cue_label:
        _credit(root, "subtitle", header.cue_label, width / 2, y - 40, "center", "13")
    if header.composer:
        _credit(root, "composer", header.composer, width - right, y - 40, "right", "10")
    part_list = _sub(root, "part-list")
    source_list = doc.root.find("part-list")
    if part:
        for entry in source_list.iterfind("score-part") if source_list is not None else ():
            if entry.get("id") in part_ids:
                part_list.append(copy.deepcopy(entry))
    elif source_list is not None:
        for entry in source_list:
            part_list.append(copy.deepcopy(entry))
    listed = {entry.get("id") for entry in part_list.iterfind("score-part")}
    for pid in part_ids:
        if pid not in listed:
            entry = _sub(part_list, "score-part", id=pid)
            _sub(entry, "part-name", doc.part_names.get(pid, pid))
    for element in parts:
        root.append(element)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, doctype=DOCTYPE)


def _targets(instruments: Mapping[str, str | Interval] | None, part_id: str, name: str
             ) -> Interval | None:
    if not instruments:
        return None
    value = instruments.get(part_id, instruments.get(name))
    return _instrument_interval(value) if value is not None else None


def _prepared_part(doc: ScoreDoc, part_id: str, *, mode: str, target: Interval | None,
                   layout: bool) -> tuple[etree._Element, list[etree._Element]]:
    part = copy.deepcopy(doc.part_element(part_id))
    measures = part.findall("measure")
    if not layout:
        for measure in measures:
            for element in measure.findall("print"):
                measure.remove(element)
            measure.attrib.pop("width", None)
    _transpose_part(part, mode=mode, target=target, measures=measures)
    return part, measures


def make_part(doc: ScoreDoc, part_id: str, *, header: Header, syncs: Sequence[SyncMark] = (),
              tempos: Sequence[TempoMark] = (), transposed: bool = True, multirest: bool = True,
              instrument: str | Interval | None = None) -> bytes:
    """One player's part as a MusicXML document (see the module docstring).

    ``transposed``: written for the instrument (else at concert pitch, octaves kept);
    ``instrument``: an instrument of the table (or an Interval) whose transposition the
    part is written in, when the source does not say it or says another.
    """
    name = doc.part_names.get(part_id, part_id)
    target = _targets({part_id: instrument} if instrument is not None else None, part_id, name)
    mode = "written" if transposed else "concert"
    part, measures = _prepared_part(doc, part_id, mode=mode, target=target, layout=False)
    add_marks(doc.measure_at, measures, syncs, tempos)
    if not tempos and part_id != next(iter(doc.part_names)):
        copy_source_tempos(measures, doc.source_tempos())
    if multirest:
        add_multirests(measures)
    return _document(doc, header, name, [part_id], [part], part=True, concert=not transposed)


def make_parts(doc: ScoreDoc, *, header: Header, syncs: Sequence[SyncMark] = (),
               tempos: Sequence[TempoMark] = (), transposed: bool = True,
               multirest: bool = True, instruments: Mapping[str, str | Interval] | None = None
               ) -> list[tuple[str, bytes]]:
    """Every part: (a name unique in the score, MusicXML bytes), in score order.
    ``instruments`` maps part ids (or names) to instruments, as ``make_part``'s."""
    out, seen = [], set()
    for part_id, name in doc.parts:
        data = make_part(doc, part_id, header=header, syncs=syncs, tempos=tempos,
                         transposed=transposed, multirest=multirest,
                         instrument=(instruments or {}).get(part_id,
                                                            (instruments or {}).get(name)))
        unique = name if name not in seen else f"{name} ({part_id})"
        seen.add(unique)
        out.append((unique, data))
    return out


def make_score(doc: ScoreDoc, *, header: Header, syncs: Sequence[SyncMark] = (),
               tempos: Sequence[TempoMark] = (), concert: bool = False,
               instruments: Mapping[str, str | Interval] | None = None) -> bytes:
    """The conductor's score: every part, written transposed (``concert=False``) or in C
    (``concert=True``: sounding pitch, octave transpositions kept); the film marks once,
    over the top staff."""
    parts = []
    for index, (part_id, name) in enumerate(doc.parts):
        target = _targets(instruments, part_id, name)
        part, measures = _prepared_part(doc, part_id, mode="concert" if concert else "written",
                                        target=target, layout=True)
        if index == 0:
            add_marks(doc.measure_at, measures, syncs, tempos)
        parts.append(part)
    return _document(doc, header, "", [pid for pid, _ in doc.parts], parts, part=False,
                     concert=concert)


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
