"""MusicXML editing through lxml: spelled transposition of a part, and the small element
helpers the parts and scores of :mod:`filmscore.formats.musicxml_parts` are made with.

Transposition is spelled (step, alter, octave, key <fifths>, <accidental> glyphs, chord
symbol roots and basses) by an :class:`~filmscore.orchestration.copying.Interval`; a key
beyond seven sharps or flats is respelled enharmonically with its notes.  What it loses:
clefs are not changed (a bass clarinet part written at concert pitch keeps its clef).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache

from lxml import etree

from filmscore.errors import ParseError
from filmscore.orchestration.copying import Interval, transpose_pitch

ACCIDENTALS = {Fraction(0): "natural", Fraction(1): "sharp", Fraction(-1): "flat",
               Fraction(2): "double-sharp", Fraction(-2): "flat-flat",
               Fraction(3): "triple-sharp", Fraction(-3): "triple-flat",
               Fraction(1, 2): "quarter-sharp", Fraction(-1, 2): "quarter-flat",
               Fraction(3, 2): "three-quarters-sharp", Fraction(-3, 2): "three-quarters-flat"}
ATTRIBUTE_ORDER = ("footnote", "level", "divisions", "key", "time", "staves", "part-symbol",
                    "instruments", "clef", "staff-details", "transpose", "for-part",
                    "directive", "measure-style")


def unzip_musicxml(data: bytes, *, source: str) -> bytes:
    """The score document of MusicXML ``data``: as it is, or, for a compressed ``.mxl``
    (a zip), the root file its ``META-INF/container.xml`` names (else its first .xml).
    Every file is expanded through :func:`filmscore.inputs.unzip_bounded`: refused before
    expanding when its stated size passes the "musicxml" limit (an .mxl of 100 KB can
    hold a 400 MB document), and while expanding when the stated size lied."""
    import io
    import zipfile
    import zlib

    from filmscore.inputs import unzip_bounded

    if not data.startswith(b"PK"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
        inner = None
        if "META-INF/container.xml" in names:
            container = etree.fromstring(
                unzip_bounded(data, "META-INF/container.xml", source=source),
                etree.XMLParser(resolve_entities=False, no_network=True))
            rootfile = container.find(".//rootfile")
            inner = rootfile.get("full-path") if rootfile is not None else None
        if inner is None or inner not in names:
            inner = next((n for n in names if not n.startswith("META-INF/")
                          and n.lower().endswith((".xml", ".musicxml"))), None)
        if inner is None:
            raise ParseError("the compressed MusicXML holds no score", source=source,
                             valid="an .mxl with META-INF/container.xml and a score")
        return unzip_bounded(data, inner, source=source)
    # zipfile raises these for a damaged archive (a bad CRC, an unknown compression
    # method, an encrypted member, a truncated stream); none is a filmscore error
    except (zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError, KeyError, OSError,
            EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:100] or type(exc).__name__
        raise ParseError(f"cannot read the compressed MusicXML: {reason}", source=source,
                         valid="a MusicXML file (.musicxml, .xml or compressed .mxl)"
                         ) from None


def number_of(element: etree._Element | None, default: Fraction = Fraction(0)) -> Fraction:
    if element is None or not (element.text or "").strip():
        return default
    try:
        return _fraction(element.text.strip())
    except (ValueError, ZeroDivisionError):
        return default


@lru_cache(maxsize=4096)
def _fraction(text: str) -> Fraction:
    # a score repeats a handful of durations thousands of times, and Fraction's parsing of
    # a string (a regular expression) was a tenth of copying a score
    return Fraction(text)


# --- transposition ------------------------------------------------------------------------


def interval_of(element: etree._Element | None) -> Interval:
    if element is None:
        return Interval()

    def whole(tag: str) -> int:
        try:
            return int(float(element.findtext(tag) or 0))
        except ValueError:
            return 0

    return Interval.from_musicxml(whole("diatonic"), whole("chromatic"), whole("octave-change"))


def instrument_interval(value: str | Interval) -> Interval:
    if isinstance(value, Interval):
        return value
    from filmscore.orchestration.instruments import get_instrument

    inst = get_instrument(value)
    return Interval(inst.transposition_diatonic, inst.transposition_semitones)


def fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def sub_element(parent: etree._Element, tag: str, text: str | None = None, **attrs: str
                ) -> etree._Element:
    child = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        child.text = text
    return child


def insert_ordered(parent: etree._Element, child: etree._Element,
                   order: Sequence[str]) -> None:
    """Put ``child`` into ``parent`` where the schema's ``order`` of its children wants it
    (before the first child that comes later; children the order does not name stay)."""
    rank = order.index(child.tag)
    for index, existing in enumerate(parent):
        if existing.tag in order and order.index(existing.tag) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def insert_in_attributes(attributes: etree._Element, child: etree._Element) -> None:
    """Put ``child`` into <attributes> where the schema's order wants it."""
    insert_ordered(attributes, child, ATTRIBUTE_ORDER)


def transpose_element(interval: Interval) -> etree._Element:
    element = etree.Element("transpose")
    diatonic, chromatic, octaves = interval.to_musicxml()
    sub_element(element, "diatonic", str(diatonic))
    sub_element(element, "chromatic", str(chromatic))
    if octaves:
        sub_element(element, "octave-change", str(octaves))
    return element


def move_pitch(pitch: etree._Element, interval: Interval, prefix: str = "",
                octave_tag: str | None = "octave") -> Fraction | None:
    step_el = pitch.find(f"{prefix}step")
    if step_el is None or (step_el.text or "").strip() not in "CDEFGAB":
        return None
    alter_el = pitch.find(f"{prefix}alter")
    octave_el = pitch.find(octave_tag) if octave_tag else None
    octave = int(number_of(octave_el, Fraction(4)))
    step, alter, new_octave = transpose_pitch(step_el.text.strip(), number_of(alter_el), octave,
                                              interval)
    step_el.text = step
    if octave_el is not None:
        octave_el.text = str(new_octave)
    if alter:
        if alter_el is None:
            alter_el = etree.Element(f"{prefix}alter")
            step_el.addnext(alter_el)
        alter_el.text = fraction_text(alter)
    elif alter_el is not None:
        pitch.remove(alter_el)
    return alter


def respelling(fifths: int) -> Interval:
    """A diminished second that brings a key beyond 7 sharps or flats back (G# -> Ab)."""
    if fifths > 7:
        return Interval(1, 0)
    if fifths < -7:
        return Interval(-1, 0)
    return Interval()


def transpose_part(part: etree._Element, *, mode: str, target: Interval | None,
                    measures: list[etree._Element]) -> None:
    """Bring a part's notes to ``mode`` ('written': the instrument's transposition;
    'concert': sounding pitch but octaves).  ``target``: the instrument's interval when
    the source does not say it (or is to be overridden)."""
    source = Interval()
    emitted: Interval | None = None
    shift = Interval()
    for index, measure in enumerate(measures):
        if index == 0 and measure.find("attributes") is None:
            measure.insert(0, etree.Element("attributes"))
        for child in measure:
            tag = child.tag
            if tag == "note":
                if not shift:
                    continue
                pitch = child.find("pitch")
                if pitch is None:
                    continue
                alter = move_pitch(pitch, shift)
                accidental = child.find("accidental")
                if accidental is not None and alter is not None and alter in ACCIDENTALS:
                    accidental.text = ACCIDENTALS[alter]
            elif tag == "attributes":
                for element in child.findall("transpose"):
                    source = interval_of(element)
                    child.remove(element)
                for element in child.findall("for-part"):
                    target = interval_of(element.find("part-transpose"))
                    child.remove(element)
                instrument = target if target is not None else source
                wanted = instrument if mode == "written" else instrument.octaves
                if wanted != emitted and (wanted or emitted is not None):
                    insert_in_attributes(child, transpose_element(wanted))
                    emitted = wanted
                base = source - wanted
                keys = [k for k in child.iterfind("key") if k.find("fifths") is not None]
                if keys or base != shift:
                    respell = Interval()
                    for key in keys:
                        fifths_el = key.find("fifths")
                        fifths = int(number_of(fifths_el)) + base.fifths
                        respell = respelling(fifths)
                        fifths_el.text = str(fifths + respell.fifths)
                    shift = Interval(base.diatonic + respell.diatonic,
                                     base.chromatic + respell.chromatic)
            elif tag == "harmony" and shift:
                for root in child.iterfind("root"):
                    move_pitch(root, shift, "root-", None)
                for bass in child.iterfind("bass"):
                    move_pitch(bass, shift, "bass-", None)
