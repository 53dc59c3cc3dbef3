"""Expression marks in MusicXML, both ways: dynamics, hairpins, slurs, articulations,
single-note tremolo and playing techniques; and the notation of a file that Music does not
carry, reported as one warning line per part and kind.

Reading (:func:`scan_directions`, :func:`note_articulations`, :func:`slur_marks`):
directions (``<dynamics>``, ``<wedge>``, technique ``<words>``, ``<string-mute>``) are
read with lxml at their exact place (the cursor through ``<backup>``/``<forward>`` plus
the direction's ``<offset>``), because music21 (10.5) moves a wedge's ends to the notes
next to them; articulations, tremolo and slurs belong to notes and come from music21's
notes.  A hairpin runs from its ``<wedge type="crescendo|diminuendo">`` to its
``<wedge type="stop">`` (by ``number``); a slur from its first note's onset to its last
note's onset (a tied last note: the onset of the note it belongs to).  The same pass
notes each ``<sound tempo>`` (the exact tempo, where the metronome shows it rounded) and
the General MIDI key of every unpitched note that names its drum (an ``<instrument>`` whose
``<midi-instrument>`` has a ``<midi-unpitched>``), by its place and notehead.

Writing (:class:`MarkWriter`, called by ``musicxml.make_score``): music21 objects, so that
music21 places them: a ``Dynamic`` and hairpins (``Crescendo``/``Diminuendo`` between two
``SpannerAnchor`` at their exact places) below the staff, as copyists write them; technique
words above; ``Slur`` spanners from the first note to the last note (its last tied
segment); articulations on the note's first segment, a tremolo on every tied segment.

What is not carried, reported by :func:`scan_directions` as ``Uncarried`` (the reader
turns them into warnings): grace notes, unpitched notes (unless read as drums: named by
their <instrument>, or asked for), fermatas, arpeggios, glissandos and slides, ornaments
other than a single-note tremolo (trills, turns, mordents, two-note tremolos), technical
marks that change the sound (harmonics, stopped, snap pizzicato, bends, ...),
articulations we have no name for (breath marks, caesuras, falls, doits, ...), dynamics
outside ``DYNAMICS`` (n, pf, pppppp, other dynamics), pedal and harp pedal marks, chord
symbols and figured bass, repeats, endings, segno and coda (the music is read once, as
written). Silently ignored: lyrics, fingerings, bowings, string numbers, rehearsal marks,
tempo words and other stave text (dolce, a 2, timecodes): they do not change the notes a
mockup plays.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from lxml import etree

from filmscore.limits import is_digits
from filmscore.writing.music import ARTICULATIONS, DYNAMICS, Mark, Note

#: stave words a copyist writes for a technique -> our ``TECHNIQUES`` spelling
TECHNIQUE_WORDS: dict[str, str] = {
    "pizz.": "pizz.", "pizz": "pizz.", "pizzicato": "pizz.",
    "arco": "arco", "con sord.": "con sord.", "con sord": "con sord.",
    "con sordino": "con sord.", "con sordini": "con sord.", "mute": "con sord.",
    "senza sord.": "senza sord.", "senza sord": "senza sord.", "senza sordino": "senza sord.",
    "senza sordini": "senza sord.", "open": "senza sord.", "trem.": "trem.", "trem": "trem.",
    "tremolo": "trem.", "ord.": "ord.", "ord": "ord.", "ordinario": "ord.", "nat.": "ord.",
    "naturale": "ord.", "normale": "ord.",
}
#: notations we carry or ignore on purpose (see the module docstring); other children of
#: <notations>, <ornaments>, <technical> and <articulations> are reported
_QUIET_NOTATIONS = {"tied", "slur", "tuplet", "articulations", "ornaments", "technical",
                    "accidental-mark"}
_QUIET_TECHNICAL = {"up-bow", "down-bow", "fingering", "string", "fret", "thumb-position",
                    "open-string", "double-tongue", "triple-tongue", "heel", "toe",
                    "fingernails", "pluck", "hole", "handbell"}
_QUIET_DIRECTIONS = {"dynamics", "wedge", "words", "metronome", "rehearsal", "string-mute",
                     "dashes", "bracket", "octave-shift", "principal-voice", "staff-divide",
                     "image", "other-direction", "eyeglasses"}
_REPORTED_DIRECTIONS = {"pedal", "harp-pedals", "damp", "damp-all", "accordion-registration",
                        "percussion", "scordatura", "segno", "coda"}
_SINGLE_TREMOLO = ("single", "unmeasured")


@dataclass(frozen=True)
class Uncarried:
    """Notation of the source that reading does not carry: where, and what."""

    part: str
    bar: str  # the measure's number as the file writes it
    element: str  # e.g. "<arpeggiate>", "<dynamics> n"


Place = tuple[int, Fraction]  # (index of the measure in its part, quarters into it)


@dataclass(frozen=True)
class RawMark:
    """A mark as found in the file: on a staff, at a place in a measure (and to one)."""

    staff: int
    kind: str
    value: str
    at: Place
    end: Place | None = None


@dataclass
class PartScan:
    """What the lxml pass found in one <part>: its name, staves and marks."""

    name: str
    staves: int = 1
    marks: list[RawMark] = field(default_factory=list)
    tempos: list[tuple[Place, Fraction]] = field(default_factory=list)  # <sound tempo>s
    #: (display step, display octave, notehead) -> General MIDI key of the unpitched notes
    #: that name their drum (<instrument> of a <midi-unpitched> instrument); None: two keys
    drums: dict[tuple[str, int, str], int | None] = field(default_factory=dict)

    def marks_of(self, staff: int, place: Callable[[Place], Fraction]) -> list[Mark]:
        """The marks of one staff as Marks, ``place`` turning a Place into quarters."""
        out = []
        for raw in self.marks:
            if raw.staff == staff:
                end = place(raw.end) if raw.end is not None else None
                at = place(raw.at)
                if end is None or end > at:
                    out.append(Mark(at, raw.kind, raw.value, end))
        return out


def _number(element: Any, default: Fraction = Fraction(0)) -> Fraction:
    if element is None or not (element.text or "").strip():
        return default
    try:
        return Fraction(element.text.strip())
    except ValueError:
        return Fraction(float(element.text.strip())).limit_denominator(3840)


def _part_names(root: Any) -> dict[str, str]:
    names = {}
    for score_part in root.iterfind("part-list/score-part"):
        name = " ".join((score_part.findtext("part-name") or "").split())
        names[score_part.get("id", "")] = name or score_part.get("id", "")
    return names


def _drum_instruments(root: Any) -> dict[str, dict[str, int]]:
    """part id -> {instrument id: General MIDI key} of its <midi-unpitched> instruments."""
    out: dict[str, dict[str, int]] = {}
    for score_part in root.iterfind("part-list/score-part"):
        keys = {}
        for midi in score_part.iterfind("midi-instrument"):
            text = (midi.findtext("midi-unpitched") or "").strip()
            if is_digits(text) and 1 <= int(text) <= 128:
                keys[midi.get("id", "")] = int(text) - 1
        out[score_part.get("id", "")] = keys
    return out


def _drum_of(note: Any, keys: dict[str, int], scan: PartScan) -> bool:
    """Note the key of an unpitched note that names its drum; False when it names none."""
    unpitched = note.find("unpitched")
    instrument = note.find("instrument")
    key = keys.get(instrument.get("id", "")) if instrument is not None else None
    if unpitched is None or key is None:
        return False
    try:
        octave = int((unpitched.findtext("display-octave") or "").strip())
    except ValueError:
        return False
    place = ((unpitched.findtext("display-step") or "").strip().upper(), octave,
             (note.findtext("notehead") or "normal").strip())
    if scan.drums.get(place, key) != key:
        key = None  # two drums on one place and head: which one cannot be told
    scan.drums[place] = key
    return True


def _note_notations(note: Any, part: str, bar: str, out: list[Uncarried],
                    unpitched: bool) -> None:
    if note.find("grace") is not None:
        out.append(Uncarried(part, bar, "<grace> note"))
    if note.find("unpitched") is not None and not unpitched:
        out.append(Uncarried(part, bar, "<unpitched> note"))
    for notations in note.iterfind("notations"):
        for child in notations:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in _QUIET_NOTATIONS:
                out.append(Uncarried(part, bar, f"<{tag}>"))
        for orn in notations.iterfind("ornaments/*"):
            if orn.tag == "tremolo" and orn.get("type", "single") in _SINGLE_TREMOLO:
                continue
            if isinstance(orn.tag, str) and orn.tag != "accidental-mark":
                kind = f" {orn.get('type')}" if orn.tag == "tremolo" else ""
                out.append(Uncarried(part, bar, f"<{orn.tag}>{kind}"))
        for tech in notations.iterfind("technical/*"):
            if isinstance(tech.tag, str) and tech.tag not in _QUIET_TECHNICAL:
                out.append(Uncarried(part, bar, f"<{tech.tag}>"))
        for art in notations.iterfind("articulations/*"):
            if isinstance(art.tag, str) and art.tag not in ARTICULATIONS:
                out.append(Uncarried(part, bar, f"<{art.tag}>"))


def _direction_marks(direction: Any, at: Place, scan: PartScan, staff: int,
                     open_wedges: dict[str, tuple[str, Place, int]], bar: str,
                     out: list[Uncarried]) -> None:
    sound = direction.find("sound[@tempo]")
    tempo = sound is not None
    if tempo:
        with contextlib.suppress(ValueError, ZeroDivisionError):
            scan.tempos.append((at, Fraction(sound.get("tempo", "").strip())))
    for kind in direction.iterfind("direction-type/*"):
        tag = kind.tag if isinstance(kind.tag, str) else ""
        if tag == "dynamics":
            for value in kind:
                name = value.tag if isinstance(value.tag, str) else ""
                if name in DYNAMICS:
                    scan.marks.append(RawMark(staff, "dynamic", name, at))
                elif name:
                    text = (value.text or "").strip() if name == "other-dynamics" else name
                    out.append(Uncarried(scan.name, bar, f"<dynamics> {text}".rstrip()))
        elif tag == "wedge":
            number, kind_of = kind.get("number", "1"), kind.get("type", "")
            if kind_of in ("crescendo", "diminuendo"):
                open_wedges[number] = (kind_of, at, staff)
            elif kind_of == "stop" and number in open_wedges:
                name, start, where = open_wedges.pop(number)
                scan.marks.append(RawMark(where, name, "", start, at))
        elif tag == "words" and not tempo:
            text = " ".join((kind.text or "").split()).lower()
            if text in TECHNIQUE_WORDS:
                scan.marks.append(RawMark(staff, "technique", TECHNIQUE_WORDS[text], at))
        elif tag == "string-mute":
            word = "con sord." if kind.get("type") == "on" else "senza sord."
            scan.marks.append(RawMark(staff, "technique", word, at))
        elif tag in _REPORTED_DIRECTIONS or (tag and tag not in _QUIET_DIRECTIONS):
            out.append(Uncarried(scan.name, bar, f"<{tag}>"))


def scan_directions(xml: bytes, *, unpitched: bool = False
                    ) -> tuple[list[PartScan], list[Uncarried]]:
    """The marks of every <part> of a score-partwise document at their exact places
    (measure index and quarters into it, per staff) and the notation that reading does
    not carry.  A score-timewise document gives no parts."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(xml, parser)
    names = _part_names(root)
    drum_keys = _drum_instruments(root)
    scans: list[PartScan] = []
    uncarried: list[Uncarried] = []
    for part in root.iterfind("part"):
        scan = PartScan(names.get(part.get("id", ""), part.get("id", "")))
        keys = drum_keys.get(part.get("id", ""), {})
        divisions = Fraction(1)
        open_wedges: dict[str, tuple[str, Place, int]] = {}
        for index, measure in enumerate(part.iterfind("measure")):
            bar = measure.get("number", "?")
            cursor = Fraction(0)
            for child in measure:
                tag = child.tag
                if tag == "attributes":
                    divisions = _number(child.find("divisions"), divisions) or divisions
                    scan.staves = max(scan.staves, int(_number(child.find("staves"), 1)))
                elif tag == "note":
                    named = _drum_of(child, keys, scan)
                    _note_notations(child, scan.name, bar, uncarried, unpitched or named)
                    if child.find("grace") is not None:
                        continue
                    duration = _number(child.find("duration")) / divisions
                    if child.find("chord") is None:  # a chord's notes share one step
                        cursor += duration
                elif tag == "backup":
                    cursor -= _number(child.find("duration")) / divisions
                elif tag == "forward":
                    cursor += _number(child.find("duration")) / divisions
                elif tag == "direction":
                    at = (index, cursor + _number(child.find("offset")) / divisions)
                    staff = int(_number(child.find("staff"), 1))
                    _direction_marks(child, at, scan, staff, open_wedges, bar, uncarried)
                elif tag in ("harmony", "figured-bass"):
                    uncarried.append(Uncarried(scan.name, bar, f"<{tag}>"))
                elif tag == "barline":
                    for what in ("repeat", "ending", "segno", "coda"):
                        if child.find(what) is not None:
                            uncarried.append(Uncarried(scan.name, bar, f"<{what}>"))
        scans.append(scan)
    return scans, uncarried


def warning_lines(source: str, uncarried: Iterable[Uncarried], parts: Sequence[str], *,
                  most: int = 6) -> list[str]:
    """One line per element and bars, naming the parts: 'FILE bar 12, part Flute:
    <arpeggiate> not carried' (bars and parts listed up to ``most``, then how many more;
    'every part' when all the score's ``parts`` have it in the same bars)."""
    bars: dict[tuple[str, str], list[str]] = {}
    for item in uncarried:
        seen = bars.setdefault((item.part, item.element), [])
        if item.bar not in seen:
            seen.append(item.bar)
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for (part, element), where in bars.items():
        grouped.setdefault((element, tuple(where)), []).append(part)

    def listed(items: Sequence[str]) -> str:
        more = f" and {len(items) - most} more" if len(items) > most else ""
        return ", ".join(items[:most]) + more

    lines = []
    for (element, where), who in grouped.items():
        label = "bar" if len(where) == 1 else "bars"
        whom = (f"part {who[0]}" if len(who) == 1 else "every part"
                if len(who) == len(set(parts)) and len(who) > 2 else f"parts {listed(who)}")
        lines.append(f"{source} {label} {listed(where)}, {whom}: {element} not carried")
    return lines


# --- reading from music21 notes -------------------------------------------------------------


def _m21_articulation_names() -> dict[type, str]:
    from music21.musicxml.xmlObjects import ARTICULATION_MARKS

    return {cls: name for name, cls in ARTICULATION_MARKS.items() if name in ARTICULATIONS}


def note_articulations(element: Any) -> tuple[str, ...]:
    """Our articulation names of a music21 note or chord (its tremolo as "tremolo")."""
    from music21 import expressions

    names = _m21_articulation_names()
    found = [names[type(a)] for a in element.articulations if type(a) in names]
    if any(isinstance(e, expressions.Tremolo) for e in element.expressions):
        found.append("tremolo")
    return tuple(dict.fromkeys(found))


def _onset_of(notes: Sequence[Note], at: Fraction) -> Fraction | None:
    """The onset of the note starting at ``at``, else of the one sounding then."""
    sounding = None
    for note in notes:
        if note.onset == at:
            return at
        if note.onset < at < note.end:
            sounding = note.onset if sounding is None else max(sounding, note.onset)
    return sounding


def slur_marks(part: Any, zero: Fraction, notes: Sequence[Note], frac) -> list[Mark]:
    """Slurs of a music21 part as Marks from the first note's onset to the last note's."""
    from music21 import spanner

    marks = []
    for slur in part.spannerBundle.getByClass(spanner.Slur):
        try:
            first = frac(slur.getFirst().getOffsetInHierarchy(part)) - zero
            last = frac(slur.getLast().getOffsetInHierarchy(part)) - zero
        except Exception:  # noqa: BLE001 - an element outside this part (cross-staff)
            continue
        start, end = _onset_of(notes, first), _onset_of(notes, last)
        if start is not None and end is not None and end > start:
            marks.append(Mark(start, "slur", "", end))
    return marks


# --- writing ---------------------------------------------------------------------------------


class MarkWriter:
    """Puts one Part's expression on the music21 part ``make_score`` builds: call
    :meth:`note` for every note segment it writes, :meth:`measure` for every measure, and
    :meth:`finish` once (it inserts the slur and hairpin spanners)."""

    def __init__(self, marks: Sequence[Mark]) -> None:
        self.marks = list(marks)
        self.first: dict[tuple[int, Fraction], Any] = {}  # (lane, onset) -> first segment
        self.last: dict[tuple[int, Fraction], Any] = {}  # (lane, onset) -> last segment
        self.anchors: dict[Fraction, Any] = {}
        self.spanners: list[Any] = []

    def note(self, obj: Any, onset: Fraction, members: Sequence[Note], *, lane: int,
             first: bool) -> None:
        from music21 import expressions
        from music21.musicxml.xmlObjects import ARTICULATION_MARKS

        names = tuple(dict.fromkeys(a for m in members for a in m.articulations))
        if first:
            self.first[(lane, onset)] = obj
            for name in names:
                if name != "tremolo":
                    obj.articulations.append(ARTICULATION_MARKS[name]())
        if "tremolo" in names:
            obj.expressions.append(expressions.Tremolo())  # three slashes
        self.last[(lane, onset)] = obj

    def _anchor(self, measure: Any, offset: Fraction, at: Fraction) -> Any:
        from music21 import spanner

        if at not in self.anchors:
            anchor = spanner.SpannerAnchor()
            measure.insert(offset, anchor)
            self.anchors[at] = anchor
        return self.anchors[at]

    def measure(self, measure: Any, start: Fraction, end: Fraction, *, last: bool) -> None:
        """Insert the dynamics, technique words and hairpin ends placed in [start, end)
        (and at ``end`` itself in the last measure)."""
        from music21 import dynamics, expressions

        def inside(at: Fraction) -> bool:
            return start <= at < end or (last and at == end)

        for mark in self.marks:
            if mark.kind == "dynamic" and inside(mark.onset):
                dynamic = dynamics.Dynamic(mark.value)
                dynamic.placement = "below"
                measure.insert(mark.onset - start, dynamic)
            elif mark.kind == "technique" and inside(mark.onset):
                words = expressions.TextExpression(mark.value)
                words.placement = "above"
                measure.insert(mark.onset - start, words)
            elif mark.kind in ("crescendo", "diminuendo"):
                for at in (mark.onset, mark.end):
                    if inside(at):
                        self._anchor(measure, at - start, at)

    def finish(self, m21part: Any) -> None:
        from music21 import dynamics, spanner

        for mark in self.marks:
            if mark.kind in ("crescendo", "diminuendo"):
                cls = dynamics.Crescendo if mark.kind == "crescendo" else dynamics.Diminuendo
                wedge = cls(self.anchors[mark.onset], self.anchors[mark.end])
                wedge.placement = "below"
                m21part.insert(0, wedge)
            elif mark.kind == "slur":
                lane = next((lane for lane, onset in sorted(self.first)
                             if onset == mark.onset and (lane, mark.end) in self.last), None)
                if lane is not None:
                    m21part.insert(0, spanner.Slur(self.first[(lane, mark.onset)],
                                                   self.last[(lane, mark.end)]))
