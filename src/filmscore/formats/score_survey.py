"""Read any full-score MusicXML (.musicxml, .xml, .mxl) once into plain values for checks.

``read_score_survey(path)`` parses the file with music21 once and returns a
:class:`ScoreSurvey`: per part its id, name, abbreviation, the instrument of our table it
is (``None`` when no name matches), the transposition the file *declares*
(MusicXML ``<transpose>``, read from the XML itself so that music21's guesses from
instrument names never creep in), key signatures per measure, every pitched note at
**sounding** pitch (written pitch + the declared transposition in force in that measure)
with its exact onset (Fraction quarters from the start of the first measure), duration,
measure number and beat, chord size and grace flag; mid-part instrument changes (music21
instrument objects inside a part, and stave text such as "muta in piccolo", "to Picc.",
"Piccolo"); tempo marks (quarter-note BPM; 120 when the file has none, and
``tempo_defaulted`` says so); and the players a part holds, guessed from its name.

What it loses: unpitched percussion notes (counted, not kept), rests, dynamics,
articulations, lyrics, slurs; tied notes are merged into one note (a tie that does not
join in time starts a new note); a multi-staff part (piano, harp) becomes one part.  Stave
text that names an instrument but is not a change (a cue such as "Fl." over cue notes)
is read as a change.  Text tempo marks without a number get music21's default for the
word.  ``<transpose><double/>`` (doubling an octave lower) is ignored.
"""

from __future__ import annotations

import os
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmscore.errors import InputError, ParseError
from filmscore.limits import is_digits
from filmscore.orchestration.instruments import get_instrument, is_double
from filmscore.orchestration.survey import (
    DEFAULT_TEMPO_BPM,
    InstrumentChange,
    PartSurvey,
    ScoreSurvey,
    SurveyNote,
)

SUFFIXES = (".musicxml", ".xml", ".mxl")
MAX_DENOMINATOR = 3840


def _frac(value: Any) -> Fraction:
    result = Fraction(value)
    if result.denominator > MAX_DENOMINATOR:
        result = result.limit_denominator(MAX_DENOMINATOR)
    return result


# --- identifying instruments and players from names -------------------------------------

_PITCH_CLASS = {
    "c": 0, "cis": 1, "c#": 1, "c sharp": 1, "db": 1, "des": 1, "d flat": 1, "d": 2,
    "eb": 3, "es": 3, "e flat": 3, "mib": 3, "e": 4, "f": 5, "f#": 6, "fis": 6, "gb": 6,
    "g": 7, "ab": 8, "as": 8, "a flat": 8, "a": 9, "bb": 10, "b flat": 10, "b": 10,
    "sib": 10, "si b": 10, "h": 11, "b natural": 11, "ut": 0, "re": 2, "mi": 4, "fa": 5,
    "sol": 7, "la": 9,
}  # fmt: skip
"""Key names in instrument names ("Clarinet in A", "Corno in Es", "Bb Trumpet").  A bare
"B" is B-flat, as in German and in most English scores ("Clarinet in B"); "H" is B."""

_KEY_WORD = "|".join(sorted((re.escape(k) for k in _PITCH_CLASS), key=len, reverse=True))
_IN_KEY = re.compile(rf"\b(?:in|en)\s+({_KEY_WORD})(?:\s|$)")
_LEADING_KEY = re.compile(rf"^({_KEY_WORD})\s+(?=\w{{3,}})")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}
_NUMBER_TOKEN = re.compile(r"^(?:\d+|i{1,3}|iv|vi{0,3}|v)$")
_PLURAL_WORDS = {
    "flutes", "flauti", "flöten", "floten", "oboes", "oboi", "oboen", "clarinets", "clarinetti",
    "klarinetten", "bassoons", "fagotti", "fagotte", "horns", "corni", "hörner", "horner",
    "cors", "trumpets", "trombe", "trompeten", "trombones", "tromboni", "posaunen",
}  # fmt: skip


def _norm(text: str) -> str:
    text = text.strip().lower().replace("\u266d", "b").replace("\u266f", "#")
    text = text.replace("-flat", " flat").replace("-sharp", " sharp")
    text = re.sub(r"[._\-/,;:()\[\]&+]+", " ", text)
    text = re.sub(r"(?<=[a-zäöüé])(?=\d)", " ", text)  # "oboe1" -> "oboe 1"
    return " ".join(text.split())


def _strip_numbers(text: str) -> tuple[str, list[int], int | None]:
    """("flauto", [1, 2], None) for "flauto 1 2"; ("flutes", [], 2) for "2 flutes"."""
    words = text.split()
    leading = None
    if len(words) > 1 and is_digits(words[0]):
        leading = int(words[0])
        words = words[1:]
    numbers: list[int] = []
    while len(words) > 1 and (_NUMBER_TOKEN.match(words[-1]) or words[-1] in ("e", "and",
                                                                              "und", "et")):
        token = words.pop()
        if is_digits(token):
            numbers.insert(0, int(token))
        elif token in _ROMAN:
            numbers.insert(0, _ROMAN[token])
    for filler in ("solo", "soli"):
        if len(words) > 1 and words[-1] == filler:
            words.pop()
    return " ".join(words), numbers, leading


def _resolve(base: str) -> str | None:
    try:
        return get_instrument(base).key
    except InputError:
        pass
    if base.endswith("s") and len(base) > 4:  # English plural not in the alias table
        try:
            return get_instrument(base[:-1]).key
        except InputError:
            return None
    return None


def identify(text: str) -> tuple[str | None, int | None]:
    """(instrument key, pitch class of the named key) of a part or instrument name.

    "Clarinetto in A" -> ("clarinet_a", 9); "C Horn 1" -> ("horn", 0); "Violino I" ->
    ("violin", None); "Triangle" -> (None, None).
    """
    norm = _norm(text)
    if not norm:
        return None, None
    pitch_class: int | None = None
    match = _IN_KEY.search(norm)
    if match:
        pitch_class = _PITCH_CLASS[match.group(1)]
        norm = (norm[: match.start()] + " " + norm[match.end():]).strip()
    else:
        lead = _LEADING_KEY.match(norm)
        if lead and _resolve(norm.split(" ", 1)[0]) in (None, "alto", "bass", "soprano",
                                                       "tenor"):
            candidate = _strip_numbers(norm[lead.end():])[0]
            if _resolve(candidate) is not None and _resolve(
                    _strip_numbers(norm)[0]) in (None, "clarinet_a", "bass_clarinet"):
                pitch_class = _PITCH_CLASS[lead.group(1)]
                norm = norm[lead.end():]
    norm = " ".join(norm.split())
    base = _strip_numbers(norm)[0]
    key = _resolve(norm) or _resolve(base)
    if key is None:
        return None, None
    if pitch_class is not None:
        if key in ("clarinet_bb", "clarinet_a"):
            key = "clarinet_a" if pitch_class == 9 else "clarinet_bb"
        elif key in ("trumpet_bb", "trumpet_c"):
            key = "trumpet_bb" if pitch_class in (10, 11) else "trumpet_c"
    return key, pitch_class


def guess_players(name: str, section: str | None, has_a2: bool) -> tuple[int | None, str]:
    """Players a part holds, from its name: (count or None for a string section, how)."""
    norm = _norm(name)
    if section == "strings" and "solo" not in norm.split():
        return None, "string section"
    _base, numbers, leading = _strip_numbers(norm)
    if leading:
        return leading, f"count in the name {name!r}"
    if len(numbers) == 2 and numbers[1] > numbers[0] + 1 and "-" in name:
        return numbers[1] - numbers[0] + 1, f"range in the name {name!r}"
    if numbers:
        return len(numbers), f"numbers in the name {name!r}"
    if any(word in _PLURAL_WORDS for word in norm.split()):
        return 2, f"plural name {name!r}"
    if has_a2:
        return 2, "'a 2' marked in the part"
    return 1, "no number in the name"


_CHANGE_TEXT = re.compile(
    r"^(?:muta\s+(?:in\s+)?|to\s+|take\s+|change\s+to\s+|nimmt\s+|nach\s+|prendre\s+(?:le\s+|la\s+)?"
    r"|prende\s+(?:il\s+|l\s+)?)(?P<name>.+)$")
_MUTE_ON = re.compile(r"^(?:con\s+sord|mit\s+d[äa]mpfer|avec\s+sourdine|mute\b|muted\b|"
                      r"straight\s+mute|cup\s+mute|harmon)")
_MUTE_OFF = re.compile(r"^(?:senza\s+sord|ohne\s+d[äa]mpfer|sans\s+sourdine|open\b|"
                       r"remove\s+mute|via\s+sord)")
_A2 = re.compile(r"^(?:a|à|zu)\s*2\b")


def _text_change(text: str, current: str | None) -> tuple[str | None, bool] | None:
    """(new instrument key or None, is a mute change) for stave text, else None."""
    norm = _norm(text)
    if not norm or current is None:
        return None
    if _MUTE_ON.match(norm) or _MUTE_OFF.match(norm):
        return None, True
    match = _CHANGE_TEXT.match(norm)
    candidate = match.group("name") if match else norm
    if not match and (len(candidate) < 4 or len(candidate.split()) > 3):
        return None  # a bare name must look like a name ("Picc." is 4 with the dot gone)
    key, _pc = identify(candidate)
    if key is None or key == current:
        return None
    current_inst = get_instrument(current)
    new_inst = get_instrument(key)
    if not match and key not in current_inst.usual_doubles and current not in \
            new_inst.usual_doubles:
        return None  # "Solo", "Viola" over a cello cue...: not a change of instrument
    if new_inst.section != current_inst.section:
        return None
    return key, False


# --- the XML itself: root, part list, <transpose> per measure ------------------------------


def _xml_bytes(path: Path) -> bytes:
    from filmscore.formats.musicxml_input import read_musicxml_file

    return read_musicxml_file(path)


def _xml_facts(path: Path, data: bytes) -> dict[str, Any]:
    from lxml import etree

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False,
                                                                  no_network=True,
                                                                  huge_tree=True))
    except etree.XMLSyntaxError as exc:
        reason = " ".join(str(getattr(exc, "msg", "") or exc).split())
        raise ParseError(f"not well-formed XML: {reason}", source=str(path),
                         line=getattr(exc, "lineno", None), valid="a MusicXML file") from None
    tag = etree.QName(root).localname
    if tag == "score-timewise":
        raise ParseError("a score-timewise MusicXML document is not supported",
                         source=str(path), valid="score-partwise MusicXML (convert it with "
                                                 "the MusicXML timewise-to-partwise XSLT)")
    if tag != "score-partwise":
        raise ParseError("not a MusicXML score", source=str(path), value=tag,
                         valid="a score-partwise document")
    parts_info: list[dict[str, Any]] = []
    for score_part in root.iter("score-part"):
        names = [(si.findtext("instrument-name") or "").strip()
                 for si in score_part.iter("score-instrument")]
        sounds = [(si.findtext("instrument-sound") or "").strip()
                  for si in score_part.iter("instrument-sound")]
        parts_info.append({
            "id": score_part.get("id", ""),
            "name": " ".join((score_part.findtext("part-name") or "").split()),
            "abbreviation": " ".join((score_part.findtext("part-abbreviation") or "").split()),
            "instrument_names": [n for n in names if n],
            "sounds": [s for s in sounds if s],
        })
    by_id = {info["id"]: info for info in parts_info}
    for part in root.iter("part"):
        info = by_id.get(part.get("id", ""))
        if info is None:
            continue
        staves = 1
        transposes: list[tuple[int, int]] = []  # (measure ordinal, semitones)
        for ordinal, measure in enumerate(part.iter("measure")):
            for attributes in measure.iter("attributes"):
                count = attributes.findtext("staves")
                if count and is_digits(count.strip()):
                    staves = max(staves, int(count))
                transpose = attributes.find("transpose")
                if transpose is not None:
                    chromatic = int(float(transpose.findtext("chromatic") or 0))
                    octaves = int(float(transpose.findtext("octave-change") or 0))
                    transposes.append((ordinal, chromatic + 12 * octaves))
        info["staves"] = staves
        info["transposes"] = transposes
    return {"parts": [p for p in parts_info if "staves" in p]}


# --- music21 ---------------------------------------------------------------------------


def _parse(path: Path, data: bytes) -> Any:
    from filmscore.formats.musicxml_input import parse_music21

    return parse_music21(data, source=str(path))


def _measure_label(measure: Any, ordinal: int) -> str:
    number = getattr(measure, "measureNumberWithSuffix", None)
    label = number() if callable(number) else str(measure.number)
    return label or str(ordinal + 1)


def _collect(staves: list[Any], transposes: list[tuple[int, int]]) -> dict[str, Any]:
    """Notes, texts, keys, instruments of one part (one or more staves) at sounding pitch."""
    from music21 import chord as m21chord
    from music21 import expressions, instrument, key, note, stream

    raw: list[list[Any]] = []  # onset, duration, sounding, written, label, beat, size, grace,
    # tie type
    texts: list[tuple[Fraction, str, str, Fraction]] = []
    keys: list[tuple[str, int]] = []
    instruments: list[tuple[Fraction, str, Fraction, Any]] = []
    unpitched = graces = 0
    measures_out: list[tuple[str, Fraction, Fraction]] = []
    for staff_index, staff in enumerate(staves):
        beat_quarters = Fraction(1)
        semitones = 0
        t_index = 0
        for ordinal, measure in enumerate(staff.getElementsByClass(stream.Measure)):
            while t_index < len(transposes) and transposes[t_index][0] <= ordinal:
                semitones = transposes[t_index][1]
                t_index += 1
            label = _measure_label(measure, ordinal)
            m_start = _frac(measure.offset)
            if staff_index == 0:
                measures_out.append((label, m_start, _frac(measure.duration.quarterLength)))
            if measure.timeSignature is not None:
                beat_quarters = _frac(measure.timeSignature.beatDuration.quarterLength) or 1
            containers = [(measure, Fraction(0))] + [
                (v, _frac(v.offset)) for v in measure.getElementsByClass(stream.Voice)]
            for container, base in containers:
                for element in container:
                    within = base + _frac(element.offset)
                    onset = m_start + within
                    beat = 1 + within / beat_quarters
                    if isinstance(element, expressions.TextExpression) and staff_index == 0:
                        if element.content:
                            texts.append((onset, str(element.content), label, beat))
                    elif isinstance(element, key.KeySignature) and staff_index == 0:
                        if not keys or keys[-1][1] != element.sharps:
                            keys.append((label, int(element.sharps)))
                    elif isinstance(element, instrument.Instrument) and staff_index == 0:
                        instruments.append((onset, label, beat, element))
                    elif isinstance(element, note.Unpitched | note.Rest):
                        unpitched += isinstance(element, note.Unpitched)
                    elif isinstance(element, m21chord.Chord | note.Note):
                        grace = bool(element.duration.isGrace)
                        graces += grace
                        duration = Fraction(0) if grace else _frac(
                            element.duration.quarterLength)
                        if isinstance(element, m21chord.Chord):
                            members = [(n.pitch.midi, n.tie or element.tie)
                                       for n in element.notes]
                            if any(isinstance(n, note.Unpitched) for n in element.notes):
                                unpitched += len(element.notes)
                                continue
                        else:
                            members = [(element.pitch.midi, element.tie)]
                        size = len({m for m, _ in members})
                        for written, tie in members:
                            raw.append([onset, duration, written + semitones, written, label,
                                        beat, size, grace, tie.type if tie else None])
    raw.sort(key=lambda r: (r[0], r[2]))
    merged: list[list[Any]] = []
    open_ties: dict[int, int] = {}
    for row in raw:
        onset, duration, pitch = row[0], row[1], row[2]
        kind = row[8]
        held = open_ties.get(pitch)
        if kind in ("stop", "continue") and held is not None and not row[7] \
                and merged[held][0] + merged[held][1] == onset:
            merged[held][1] += duration
            if kind == "stop":
                del open_ties[pitch]
            continue
        merged.append(row)
        if kind in ("start", "continue") and not row[7]:
            open_ties[pitch] = len(merged) - 1
        else:
            open_ties.pop(pitch, None)
    notes = tuple(SurveyNote(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])
                  for r in merged if 0 <= r[2] <= 127)
    return {"notes": notes, "texts": texts, "keys": keys, "instruments": instruments,
            "unpitched": unpitched, "graces": graces, "measures": measures_out}


def _tempo_marks(score: Any) -> list[tuple[Fraction, Fraction]]:
    from music21 import tempo

    marks: dict[Fraction, Fraction] = {}
    for part in score.parts:
        for mark in part.recurse().getElementsByClass(tempo.MetronomeMark):
            try:
                bpm = mark.getQuarterBPM()
            except Exception:  # noqa: BLE001 - a mark music21 cannot turn into a number
                bpm = None
            if not bpm or bpm <= 0:
                continue
            at = _frac(mark.getOffsetInHierarchy(part))
            marks.setdefault(at, Fraction(bpm).limit_denominator(1000))
    return sorted(marks.items())


def read_score_survey(path: str | os.PathLike[str], *,
                      allow_empty_parts: bool = True) -> ScoreSurvey:
    """Read a MusicXML full score into a :class:`ScoreSurvey` (see the module docstring).

    Raises ParseError for a file that is missing, not MusicXML, timewise or unreadable,
    and InputError for a score without parts or without a single note.  A part without
    notes (a tacet part) is kept with no notes, unless ``allow_empty_parts`` is False:
    then it is an InputError naming the part.
    """
    path = Path(path)
    source = str(path)
    if not path.exists():  # a pipe or a device: refused by read_input
        raise ParseError("no such file", source=source, valid="an existing MusicXML file")
    if path.suffix.lower() not in SUFFIXES:
        raise ParseError("not a MusicXML file name", source=source, value=path.suffix,
                         valid=", ".join(SUFFIXES))
    data = _xml_bytes(path)
    facts = _xml_facts(path, data)
    if not facts["parts"]:
        raise InputError("the score has no parts", source=source,
                         valid="a score-partwise document with <part-list> and <part>s")
    score = _parse(path, data)
    m21_parts = list(score.parts)
    parts: list[PartSurvey] = []
    measures: tuple[tuple[str, Fraction, Fraction], ...] = ()
    cursor = 0
    for index, info in enumerate(facts["parts"]):
        staves = m21_parts[cursor: cursor + info["staves"]]
        cursor += info["staves"]
        if not staves:
            break
        data = _collect(staves, info["transposes"])
        if index == 0:
            measures = tuple(data["measures"])
        m21_inst = staves[0].getInstrument(returnDefault=False)
        candidates = [info["name"], *info["instrument_names"], info["abbreviation"]]
        if m21_inst is not None:
            candidates += [m21_inst.instrumentName or "", m21_inst.partName or ""]
        candidates += [s.split(".")[-1].replace("-", " ") for s in info["sounds"]]
        key = pitch_class = None
        found_in = ""
        for text in candidates:
            if text:
                key, pitch_class = identify(text)
                if key is not None:
                    found_in = text
                    break
        for text in info["instrument_names"]:  # a chair on its double for the whole part:
            double, _ = identify(text)            # "Flute 3" whose instrument is a Piccolo
            if key is not None and double is not None and double != key and \
                    is_double(key, double):  # not "Trumpet" for "C Trumpet"
                key, found_in = double, text
                break
        if key is not None and pitch_class is None:  # the key may be in another name
            for text in candidates:
                if text and identify(text)[0] is not None and identify(text)[1] is not None:
                    pitch_class = identify(text)[1]
                    break
        name = info["name"] or info["abbreviation"] or (info["instrument_names"] or [""])[0] \
            or info["id"]
        section = get_instrument(key).section if key else None
        has_a2 = any(_A2.match(_norm(t)) for _, t, _, _ in data["texts"])
        players, players_from = guess_players(name, section, has_a2)
        changes: list[InstrumentChange] = []
        current = key
        for onset, label, beat, inst in data["instruments"]:
            if onset == 0:
                continue
            new_key = None
            for text in (inst.instrumentName, inst.partName):
                if text:
                    new_key = identify(text)[0]
                    if new_key:
                        break
            if new_key and new_key != current:
                changes.append(InstrumentChange(onset, label, beat, new_key,
                                                inst.instrumentName or inst.partName or ""))
                current = new_key
        for onset, text, label, beat in data["texts"]:
            found = _text_change(text, current)
            if found is None:
                continue
            new_key, mute = found
            changes.append(InstrumentChange(onset, label, beat, new_key, text.strip(), mute))
            if new_key:
                current = new_key
        changes.sort(key=lambda c: c.onset)
        transposes = info["transposes"]
        labels = [m[0] for m in data["measures"]]
        declared = transposes[0][1] if transposes and transposes[0][0] == 0 else None
        part = PartSurvey(
            id=info["id"], name=name, abbreviation=info["abbreviation"],
            instrument_key=key, identified_from=found_in, nominal_key=pitch_class,
            declared_transposition=declared,
            transpositions=tuple((labels[o] if o < len(labels) else str(o + 1), s)
                                 for o, s in transposes),
            key_signatures=tuple(data["keys"]), notes=data["notes"],
            unpitched_notes=data["unpitched"], grace_notes=data["graces"],
            changes=tuple(changes), players=players, players_from=players_from,
            texts=tuple((o, t) for o, t, _, _ in data["texts"]))
        if not part.notes and not part.unpitched_notes and not allow_empty_parts:
            raise InputError(f"part {name!r} ({info['id']}) has no notes", source=source,
                             valid="a part with at least one note (or allow tacet parts)")
        parts.append(part)
    if not any(p.notes or p.unpitched_notes for p in parts):
        raise InputError("the score has no notes", source=source,
                         valid="a score with at least one note")
    marks = _tempo_marks(score)
    title = ""
    if score.metadata is not None:
        title = score.metadata.title or score.metadata.movementName or ""
    return ScoreSurvey(source=source, title=title, parts=tuple(parts),
                       tempo_marks=tuple(marks) or ((Fraction(0), DEFAULT_TEMPO_BPM),),
                       tempo_defaulted=not marks, measures=measures)
