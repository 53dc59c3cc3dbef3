"""A MusicXML score read for the engraving check: each part's bars with their notes, rests,
directions and key changes as plain values, at the times and spellings the page shows.

Read with lxml rather than music21: music21 takes seconds per orchestral score and
re-spells what it reads (it decides accidentals itself), while the check must see the
file's own ``<accidental>`` elements, measure numbers and rest types exactly as written.
Times are exact Fractions of a quarter note from the bar's start (``<backup>``,
``<forward>``, chords and grace notes followed as MusicXML defines them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from lxml import etree

from filmscore.errors import ParseError
from filmscore.limits import is_digits

#: the order sharps and flats enter a key signature
SHARPS = "FCGDAEB"
FLATS = "BEADGCF"


@dataclass(frozen=True)
class Meter:
    """A time signature: ``beats`` as written ("4", "3+2") over ``beat_type``."""

    beats: str
    beat_type: int

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(int(x) for x in self.beats.split("+"))

    @property
    def bar(self) -> Fraction:
        """The bar's length in quarter notes."""
        return Fraction(4 * sum(self.counts), self.beat_type)

    def __str__(self) -> str:
        return f"{self.beats}/{self.beat_type}"


@dataclass(frozen=True)
class Note:
    """A note or rest as printed, at ``onset`` quarters from its bar's start."""

    order: int  # position in the document, for stable sorting
    onset: Fraction
    duration: Fraction  # quarters (0 for grace notes)
    staff: int
    voice: str
    rest: bool
    step: str = ""  # "" for rests and unpitched notes
    octave: int = 0
    alter: Fraction = Fraction(0)
    accidental: str | None = None  # the <accidental> shown, e.g. "natural"
    tie_stop: bool = False  # continues a tie from an earlier note
    tie_start: bool = False  # tied to the next note
    grace: bool = False
    chord: bool = False
    measure_rest: bool = False
    type: str | None = None  # "quarter", "half", ...
    dots: int = 0
    tuplet: bool = False  # has a <time-modification>
    tuplet_start: bool = False  # carries <tuplet type="start">
    hidden: bool = False  # print-object="no"


@dataclass(frozen=True)
class Direction:
    """A ``<direction>``: what it shows (words, rehearsal, metronome, dynamics...)."""

    order: int
    onset: Fraction
    staff: int
    words: str  # the words' text, joined ("" when none)
    rehearsal: str  # the rehearsal mark's text ("" when none)
    metronome: bool
    dynamics: bool


@dataclass(frozen=True)
class KeyChange:
    onset: Fraction
    staff: int | None  # None: every staff of the part
    alters: dict[str, Fraction]


@dataclass
class Bar:
    """One ``<measure>`` of a part."""

    index: int  # 0-based position in the part
    number: str  # as the file numbers it
    meter: Meter | None  # in force in this bar (None: senza misura or unreadable)
    meter_changed: bool = False
    length: Fraction = Fraction(0)  # quarters its content fills
    implicit: bool = False
    notes: list[Note] = field(default_factory=list)
    directions: list[Direction] = field(default_factory=list)
    keys: list[KeyChange] = field(default_factory=list)
    barline: str | None = None  # the right barline's bar-style

    @property
    def pickup(self) -> Fraction:
        """How much shorter than its meter an upbeat bar is (its notes sit at the end)."""
        if self.meter is None or not (self.index == 0 or self.implicit):
            return Fraction(0)
        return max(Fraction(0), self.meter.bar - self.length)


@dataclass
class PartBars:
    id: str
    name: str
    staves: int
    bars: list[Bar]


@dataclass
class Score:
    parts: list[PartBars]

    @property
    def staff_parts(self) -> list[str]:
        """The part name of each staff, in score order (verovio numbers staves so)."""
        out: list[str] = []
        for part in self.parts:
            out += [part.name] * part.staves
        return out


def key_alters(key: etree._Element) -> dict[str, Fraction]:
    """The alteration a key signature gives each step (steps it leaves alone: absent)."""
    fifths = key.findtext("fifths")
    if fifths is not None:
        try:
            n = int(fifths.strip())
        except ValueError:
            return {}
        if n >= 0:
            return {s: Fraction(1) for s in SHARPS[:min(n, 7)]}
        return {s: Fraction(-1) for s in FLATS[:min(-n, 7)]}
    out: dict[str, Fraction] = {}
    steps = key.findall("key-step")
    alters = key.findall("key-alter")
    for step, alter in zip(steps, alters, strict=False):
        value = _number(alter.text)
        if step.text and value is not None:
            out[step.text.strip().upper()] = value
    return out


def _number(text: str | None) -> Fraction | None:
    try:
        return Fraction((text or "").strip())
    except (ValueError, ZeroDivisionError):
        return None


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _meter(time: etree._Element) -> Meter | None:
    beats = time.findall("beats")
    types = time.findall("beat-type")
    if len(beats) != 1 or len(types) != 1:
        return None  # senza misura or a composite signature: not checked
    text = (beats[0].text or "").strip()
    try:
        beat_type = int((types[0].text or "").strip())
        counts = [int(x) for x in text.split("+")]
    except ValueError:
        return None
    if beat_type <= 0 or not counts or min(counts) <= 0:
        return None
    return Meter(text, beat_type)


def _direction(el: etree._Element, order: int, onset: Fraction, divisions: int) -> Direction:
    offset = _number(el.findtext("offset")) or Fraction(0)
    words = " ".join(_text(w) for w in el.iter("words") if _text(w))
    rehearsal = " ".join(_text(r) for r in el.iter("rehearsal") if _text(r))
    staff = _number(el.findtext("staff")) or Fraction(1)
    return Direction(order, onset + offset / divisions, int(staff), words, rehearsal,
                     el.find("direction-type/metronome") is not None,
                     el.find("direction-type/dynamics") is not None)


def _note(el: etree._Element, order: int, onset: Fraction, duration: Fraction) -> Note:
    pitch = el.find("pitch")
    rest = el.find("rest")
    ties = [t.get("type") for t in el.findall("tie")]
    ties += [t.get("type") for t in el.findall("notations/tied")]
    dots = len(el.findall("dot"))
    accidental = el.find("accidental")
    shown = None
    if accidental is not None and accidental.get("print-object", "yes") != "no":
        shown = (accidental.text or "").strip() or None
    staff = _number(el.findtext("staff")) or Fraction(1)
    common = dict(order=order, onset=onset, duration=duration, staff=int(staff),
                  voice=(el.findtext("voice") or "1").strip(),
                  grace=el.find("grace") is not None, chord=el.find("chord") is not None,
                  type=(el.findtext("type") or "").strip() or None, dots=dots,
                  tuplet=el.find("time-modification") is not None,
                  tuplet_start=any(t.get("type") == "start"
                                   for t in el.findall("notations/tuplet")),
                  hidden=el.get("print-object") == "no", tie_stop="stop" in ties,
                  tie_start="start" in ties)
    if rest is not None:
        return Note(rest=True, measure_rest=rest.get("measure") == "yes", **common)
    if pitch is None:
        return Note(rest=False, **common)  # unpitched (percussion)
    step = (pitch.findtext("step") or "").strip().upper()
    octave = _number(pitch.findtext("octave"))
    return Note(rest=False, step=step if step in "ABCDEFG" and step else "",
                octave=int(octave or 0), alter=_number(pitch.findtext("alter")) or Fraction(0),
                accidental=shown, **common)


def _read_part(part: etree._Element, name: str) -> PartBars:
    divisions = Fraction(1)
    meter: Meter | None = None
    staves = 1
    bars: list[Bar] = []
    order = 0
    for index, measure in enumerate(part.iter("measure")):
        bar = Bar(index, measure.get("number", str(index + 1)), meter,
                  implicit=measure.get("implicit") == "yes")
        pos = end = Fraction(0)
        last_onset = Fraction(0)
        for el in measure:
            order += 1
            tag = el.tag
            if tag == "note":
                grace = el.find("grace") is not None
                duration = Fraction(0) if grace else \
                    (_number(el.findtext("duration")) or Fraction(0)) / divisions
                if el.find("chord") is not None:
                    onset = last_onset
                else:
                    onset = last_onset = pos
                    pos += duration
                bar.notes.append(_note(el, order, onset, duration))
            elif tag == "backup":
                pos -= (_number(el.findtext("duration")) or Fraction(0)) / divisions
            elif tag == "forward":
                pos += (_number(el.findtext("duration")) or Fraction(0)) / divisions
            elif tag == "direction":
                bar.directions.append(_direction(el, order, pos, divisions))
            elif tag == "attributes":
                value = _number(el.findtext("divisions"))
                if value and value > 0:
                    divisions = value
                staves = int(_number(el.findtext("staves")) or staves)
                for key in el.findall("key"):
                    number = key.get("number")
                    bar.keys.append(KeyChange(pos, int(number) if number and is_digits(number)
                                              else None, key_alters(key)))
                time = el.find("time")
                if time is not None:
                    meter = _meter(time)
                    if not bar.notes:  # a change at the bar's start governs the bar
                        bar.meter, bar.meter_changed = meter, True
            elif tag == "barline" and el.get("location", "right") == "right":
                bar.barline = (el.findtext("bar-style") or "").strip() or "regular"
            end = max(end, pos)
        bar.length = end
        bars.append(bar)
    return PartBars(part.get("id", ""), name, staves, bars)


def read_score(data: bytes, *, source: str) -> Score:
    """Every part of a partwise MusicXML document, bar by bar."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             huge_tree=True, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not well-formed XML: {' '.join(str(exc).split())}",
                         source=source, valid="a MusicXML file") from None
    if root.tag != "score-partwise":
        raise ParseError("not a partwise MusicXML score", source=source, value=root.tag,
                         valid="a MusicXML <score-partwise> document")
    from filmscore.formats.musicxml_input import check_values

    # values no score has (a <beats> of 10^30 made bars until memory ran out), refused
    check_values(root, source=source)
    names = {}
    for sp in root.iter("score-part"):
        names[sp.get("id", "")] = (_text(sp.find("part-name")) if sp.find("part-name")
                                   is not None else "") or sp.get("id", "")
    parts = [_read_part(p, names.get(p.get("id", ""), p.get("id", "") or f"part {i + 1}"))
             for i, p in enumerate(root.findall("part"))]
    if not parts or not any(p.bars for p in parts):
        raise ParseError("the MusicXML has no part with a bar", source=source,
                         valid="a score with at least one <part> and <measure>")
    return Score(parts)

