"""Sheet-music editions as MusicXML: a piano solo (two staves braced, one part) and a lead
sheet (one staff, chord symbols as ``<harmony>``), copied as a cue's parts are.

Both are notated by :func:`filmscore.formats.musicxml_score.make_score` (bars, ties,
tempo marks, dynamics), given clefs by range (:func:`~filmscore.formats.
musicxml_shortscore.choose_clefs`: a hand changes clef for a passage only where that saves
the reader ledger lines), written by music21 (the two hands as music21 ``PartStaff``s in
a braced ``StaffGroup``, which music21 writes as one ``<part>`` with ``<staves>2``) and
then copied by :func:`filmscore.formats.musicxml_parts.make_part` like any player's part:
the page-1 header (cue number, title, film, composer, the arranger's credit, a note),
accidentals from the key and the bar, rests and beams by the beat, the final bar line.

Chord symbols are written by us (lxml), not by music21: a ``<harmony>`` with ``<root>``,
``<kind text="...">`` (the symbol as printed after the root: verovio prints the
``text``, MuseScore 3 builds it from the kind and its degrees) and ``<bass>`` for a slash
chord, placed before the note it sounds with (or with an ``<offset>`` inside a held
note).  A 7sus4 is kind ``dominant`` with ``<degree>``s adding the 4th and taking out the
3rd: MuseScore 3 builds "G7sus4" from them (from ``suspended-fourth`` + an added b7 it
prints "Gsus4b7"); verovio (6.4) prints the degrees after the text, so our engraver drops
the degrees of a chord symbol that has its text
(:func:`filmscore.engraving.layout.prepare_for_verovio`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from lxml import etree

from filmscore.album.chords import FLAT_NAMES, SHARP_NAMES, ChordSymbol
from filmscore.orchestration.copying import Header
from filmscore.writing.music import Music

_STEP = {"C": ("C", 0), "C#": ("C", 1), "Db": ("D", -1), "D": ("D", 0), "Eb": ("E", -1),
         "E": ("E", 0), "F": ("F", 0), "F#": ("F", 1), "Gb": ("G", -1), "G": ("G", 0),
         "Ab": ("A", -1), "A": ("A", 0), "Bb": ("B", -1), "B": ("B", 0)}


def _clefs(score, music: Music) -> None:
    from music21 import clef as m21clef

    from filmscore.formats.musicxml_shortscore import CLEFS, _bar_chords, choose_clefs

    for m21part, part in zip(score.parts, music.parts, strict=True):
        measures = list(m21part.getElementsByClass("Measure"))
        chords = [_bar_chords(m) for m in measures]
        clefs = choose_clefs(chords, part.instrument or "piano")
        if not any(chords):  # a hand with nothing to play keeps its hand's clef
            clefs = ["bass" if "left" in part.name.lower() else "treble"] * len(measures)
        previous = None
        for measure, name in zip(measures, clefs, strict=True):
            if name != previous:
                measure.clef = getattr(m21clef, CLEFS[name][0])()
                previous = name


def _music21_bytes(score) -> bytes:
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    from filmscore.formats.musicxml import quiet_music21

    with quiet_music21():
        return GeneralObjectExporter(score).parse()


def _named(score, name: str, abbreviation: str) -> None:
    from music21 import instrument as m21instrument

    for m21part in score.parts:
        for old in list(m21part.getElementsByClass(m21instrument.Instrument)):
            m21part.remove(old)
        inst = m21instrument.Piano() if name == "Piano" else m21instrument.Instrument()
        inst.partName, inst.partAbbreviation = name, abbreviation
        inst.instrumentName = name
        m21part.partName, m21part.partAbbreviation = name, abbreviation
        m21part.insert(0, inst)


def _copied(data: bytes, header: Header) -> bytes:
    from filmscore.formats.musicxml_parts import make_part, parse_score

    doc = parse_score(data, source="<edition>")
    part_id = doc.parts[0][0]
    for per_minute in doc.root.iter("per-minute"):  # printed music: a whole number
        try:
            per_minute.text = str(round(float(per_minute.text or "")))
        except ValueError:
            pass
        direction = next(per_minute.iterancestors("direction"), None)
        if direction is not None:  # above the top staff (MuseScore puts it below else)
            direction.set("placement", "above")
    return make_part(doc, part_id, header=header, letters=[], multirest=False)


def piano_document(music: Music, header: Header) -> bytes:
    """The two hands of ``music`` (right hand first) as one braced piano part."""
    from music21 import layout, stream

    from filmscore.formats.musicxml_score import make_score

    score = make_score(music)
    _clefs(score, music)
    _named(score, "Piano", "Pno.")
    staves = []
    grand = stream.Score()
    grand.metadata = score.metadata
    for m21part in list(score.parts):
        m21part.__class__ = stream.PartStaff  # same data; music21 joins braced PartStaffs
        staves.append(m21part)
        grand.insert(0, m21part)
    grand.insert(0, layout.StaffGroup(staves, name="Piano", abbreviation="Pno.",
                                      symbol="brace", barTogether=True))
    return _copied(_music21_bytes(grand), header)


def _harmony(chord: ChordSymbol, flats: bool, offset: int | None) -> etree._Element:
    names = FLAT_NAMES if flats else SHARP_NAMES
    el = etree.Element("harmony", {"print-frame": "no"})
    root = etree.SubElement(el, "root")
    step, alter = _STEP[names[chord.root]]
    etree.SubElement(root, "root-step").text = step
    if alter:
        etree.SubElement(root, "root-alter").text = str(alter)
    kind = etree.SubElement(el, "kind", text=chord.quality)
    kind.text = chord.kind
    if chord.bass != chord.root:
        bass = etree.SubElement(el, "bass")
        step, alter = _STEP[names[chord.bass]]
        etree.SubElement(bass, "bass-step").text = step
        if alter:
            etree.SubElement(bass, "bass-alter").text = str(alter)
    if chord.quality == "7sus4":
        for value, kind_of in (("4", "add"), ("3", "subtract")):
            degree = etree.SubElement(el, "degree")
            etree.SubElement(degree, "degree-value").text = value
            etree.SubElement(degree, "degree-alter").text = "0"
            etree.SubElement(degree, "degree-type").text = kind_of
    if offset:
        etree.SubElement(el, "offset").text = str(offset)
    return el


def add_harmony(data: bytes, chords: Sequence[tuple[Fraction, ChordSymbol]], *,
                bar_starts: Sequence[Fraction], flats: bool = False) -> bytes:
    """``data`` (one part) with a ``<harmony>`` for each (onset in quarters from bar 1
    beat 1, chord); ``bar_starts`` are the quarters at which its measures start."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                         huge_tree=True))
    part = root.find("part")
    measures = part.findall("measure")
    divisions = 1
    todo = sorted(chords, key=lambda c: c[0])
    for index, measure in enumerate(measures):
        found = measure.findtext("attributes/divisions")
        if found:
            divisions = int(found)
        start = bar_starts[index] if index < len(bar_starts) else None
        end = bar_starts[index + 1] if index + 1 < len(bar_starts) else None
        if start is None:
            break
        mine = [c for c in todo if c[0] >= start and (end is None or c[0] < end)]
        if not mine:
            continue
        # the notes' places in the measure (voice 1, staff 1)
        places: list[tuple[Fraction, Fraction, etree._Element]] = []
        at = Fraction(0)
        for child in measure:
            if child.tag == "backup":
                at -= Fraction(int(child.findtext("duration")), divisions)
            elif child.tag == "forward":
                at += Fraction(int(child.findtext("duration")), divisions)
            elif child.tag == "note":
                if child.find("chord") is not None:
                    continue
                length = Fraction(int(child.findtext("duration") or 0), divisions)
                if (child.findtext("staff") or "1") == "1" and child.find("grace") is None:
                    places.append((at, length, child))
                at += length
        for onset, chord in mine:
            rel = onset - start
            host = next(((a, el) for a, n, el in places if a <= rel < a + n), None)
            if host is None:
                continue
            offset = int((rel - host[0]) * divisions) or None
            host[1].addprevious(_harmony(chord, flats, offset))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def leadsheet_document(music: Music, chords: Sequence[tuple[Fraction, ChordSymbol]],
                       header: Header, *, flats: bool = False) -> bytes:
    """The melody of ``music`` (its one part) on one staff with ``chords`` above it."""
    from filmscore.formats.musicxml_parts import parse_score
    from filmscore.formats.musicxml_score import make_score

    score = make_score(music)
    _clefs(score, music)
    _named(score, "Melody", "Mel.")
    data = _music21_bytes(score)
    doc = parse_score(data, source="<lead sheet>")
    data = add_harmony(data, chords, bar_starts=doc.starts, flats=flats)
    return _copied(data, header)
