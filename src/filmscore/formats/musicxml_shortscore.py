"""The composer's short score as MusicXML: dressing the parts ``make_score`` builds.

A short score is read by the composer, the orchestrator and the director as it is, so
``musicxml.write_music`` dresses each part here:

- concert pitch: no ``<transpose>`` (a trumpet staff is written as it sounds, in the
  cue's key); the octave instruments are shown by an octave clef (a double bass on the
  bass clef with an 8 below, a piccolo on the treble clef with an 8 above), never by a
  transposition;
- a clef by the notes' range (:func:`choose_clefs`): treble or bass, the octave clefs for
  the instruments copyists write with them, and a change of clef inside a staff only for
  a passage of several bars that would otherwise sit on three or more ledger lines;
- staff names as composers label a short score: the staff's job, then its instrument
  ("Melody (Trumpet)", "Harmony (Strings)", "Bass (Tuba)", "Percussion (timpani, bass
  drum, cymbal)") and abbreviations that match ("Mel. (Tpt.)", "Harm. (Str.)", ...);
  a staff named otherwise ("Flute", a theme's name) keeps its name;
- percussion as a percussion staff: unpitched notes at a drum-set position per General
  MIDI key (``DRUM_DISPLAY``; one line when one drum plays), each note naming its drum
  (``<instrument>`` of a ``<score-instrument>`` with its ``<midi-unpitched>`` key, which
  ``read_music`` reads back exactly), and a key to the staff above its first bar;
- tempo marks as a copyist writes them: "♩ = 103.95" and the frame-click "(~13-7 fc)"
  above the top staff, the ``<sound tempo>`` kept exact for playback;
- accidentals by the staff's bar memory across its voices (``musicxml_accidentals``),
  rests and beams grouped by the meter's beats (``musicxml_meter``), a final bar line.

The music21 work is :func:`dress_short_score`; what music21 cannot write (per-note
percussion instruments, one-line staves, the metronome's text) is done on the document by
the ``finish`` function :func:`finisher` returns, through lxml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from lxml import etree

from filmscore.formats.musicxml_accidentals import respell_accidentals
from filmscore.formats.musicxml_edit import insert_in_attributes, sub_element
from filmscore.formats.musicxml_fullscore import (
    DRUM_DISPLAY,
    OTHER_DRUM_DISPLAY,
    to_unpitched,
)
from filmscore.formats.musicxml_marks import KEY_ID, add_final_barline
from filmscore.formats.musicxml_meter import regroup_beams, regroup_rests
from filmscore.writing.music import Music, Part

# --- staff names --------------------------------------------------------------------------

#: a staff's job (its name in lower case) -> how a short score labels it, and abbreviated
ROLES: dict[str, tuple[str, str]] = {
    "melody": ("Melody", "Mel."), "tune": ("Melody", "Mel."), "lead": ("Melody", "Mel."),
    "theme": ("Melody", "Mel."), "countermelody": ("Countermelody", "C.mel."),
    "counter melody": ("Countermelody", "C.mel."), "counter": ("Countermelody", "C.mel."),
    "pad": ("Harmony", "Harm."), "harmony": ("Harmony", "Harm."),
    "chords": ("Harmony", "Harm."), "accompaniment": ("Harmony", "Harm."),
    "bass": ("Bass", "Bass"), "bass line": ("Bass", "Bass"), "low": ("Bass", "Bass"),
    "percussion": ("Percussion", "Perc."), "perc": ("Percussion", "Perc."),
    "drums": ("Percussion", "Perc."),
}  # fmt: skip

#: instruments of a sketch that are no single instrument of the table (or are named
#: otherwise in a score in C): label and abbreviation
_LABELS: dict[str, tuple[str, str]] = {
    "strings": ("Strings", "Str."), "violins": ("Violins", "Vns."),
    "woodwinds": ("Woodwinds", "Ww."), "brass": ("Brass", "Br."),
    "horns": ("Horns", "Hns."), "voice": ("Voice", "V."), "choir": ("Choir", "Ch."),
    "music box": ("Music Box", "M. Box"), "concertina": ("Concertina", "Conc."),
    "contrabass": ("Double Bass", "Cb."), "percussion": ("Percussion", "Perc."),
}  # fmt: skip
_PLAYING_WORDS = re.compile(r"\b(tremolo|pizzicato|pizz\.?|trem\.?|muted|con sord\.?)\s*$")


def instrument_label(text: str) -> tuple[str, str]:
    """('Trumpet', 'Tpt.') for 'trumpet': an instrument as a score in C names it (no
    'in B-flat'), from the sketch's words or the instrument table; else the words."""
    from filmscore.errors import InputError
    from filmscore.orchestration.instruments import get_instrument

    words = " ".join(text.split())
    plain = _PLAYING_WORDS.sub("", words.lower()).strip() or words.lower()
    if plain in _LABELS:
        return _LABELS[plain]
    try:
        info = get_instrument(plain)
    except InputError:
        label = words[:1].upper() + words[1:]
        return label, label if len(label) <= 8 else label.split()[0][:4] + "."
    name = re.sub(r"\s+in\s+\S+$", "", info.name)
    abbreviation = info.abbreviation.split()[-1] if info.transposition_semitones \
        else info.abbreviation
    return name, abbreviation


def staff_names(part: Part) -> tuple[str, str]:
    """(name, abbreviation) of a short-score staff: 'Melody (Trumpet)', 'Mel. (Tpt.)' for
    a staff named 'melody' played by a trumpet; a name that is no staff job is kept."""
    name = " ".join(part.name.split())
    base, _, inside = name.partition("(")
    base, inside = base.strip(), inside.rstrip(")").strip()
    role = ROLES.get(base.lower())
    if role is None:  # a staff named for its instrument ("Flute") or anything else
        if part.is_drum and not part.instrument:
            return name, "Perc."
        return name, _abbreviation(base, part.instrument)
    label, short = role
    if part.is_drum or role[0] == "Percussion":
        what = inside or re.sub(r"^percussion\b\s*", "", part.instrument.strip(),
                                flags=re.I).strip(" ()")
        return (f"{label} ({what})" if what else label), short
    what = inside or part.instrument.strip()
    if not what or what.lower() == base.lower():
        return label, short
    full, abbreviation = instrument_label(what)
    return f"{label} ({inside or full})", f"{short} ({abbreviation})"


def _abbreviation(name: str, instrument: str) -> str:
    """'Vn. I' for 'Violin I', 'Fl.' for 'Flute': the instrument's, with the chair's
    number."""
    words = name.split()
    number = words[-1] if len(words) > 1 and re.fullmatch(r"\d+|[IVX]+", words[-1]) else ""
    base = " ".join(words[:-1]) if number else name
    label = instrument_label(instrument or base)[1]
    return f"{label} {number}" if number else label


# --- clefs ---------------------------------------------------------------------------------

#: clef -> (music21 class, diatonic note number of its bottom line, of its top line)
CLEFS: dict[str, tuple[str, int, int]] = {
    "treble": ("TrebleClef", 31, 39), "bass": ("BassClef", 19, 27),  # E4-F5, G2-A3
    "treble_8vb": ("Treble8vbClef", 24, 32), "bass_8vb": ("Bass8vbClef", 12, 20),
    "treble_8va": ("Treble8vaClef", 38, 46),
}
#: instruments copyists write on an octave clef at concert pitch, and their clefs
_OCTAVE_CLEFS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("double bass", "contrabass", "double_bass", "contrabassoon", "electric bass",
      "electric_bass", "bass guitar"), ("bass_8vb", "bass")),
    (("guitar", "tenor", "voice"), ("treble_8vb", "treble", "bass")),
    (("piccolo", "glockenspiel", "xylophone", "celesta", "music box"),
     ("treble_8va", "treble")),
)
OCTAVE_CLEF_COST = Fraction(1, 4)  # per note: a plain clef is the better read at equal ledgers
CLEF_CHANGE_COST = 10  # ledger lines a change of clef must save to be worth making
CLEF_CHANGE_LEDGERS = 3  # ...and only for passages sitting this far off the staff


def ledger_lines(diatonic: int, clef: str) -> int:
    """Ledger lines a note needs on ``clef`` (music21 ``diatonicNoteNum``: C4 = 29)."""
    _, low, high = CLEFS[clef]
    return (diatonic - high) // 2 if diatonic > high else (low - diatonic) // 2 \
        if diatonic < low else 0


def _cost(chords: Sequence[tuple[int, int]], clef: str) -> Fraction:
    """Ledger lines of chords ((lowest, highest) diatonic numbers) on ``clef``; notes far
    off the staff count double, an octave clef a little per note."""
    total = Fraction(0)
    for low, high in chords:
        lines = max(ledger_lines(low, clef), ledger_lines(high, clef))
        total += lines + max(0, lines - 2)
        if "_8" in clef:
            total += OCTAVE_CLEF_COST
    return total


#: staves of more than one instrument (or of none) that may change clef for a passage
_SECTIONS = ("strings", "woodwinds", "winds", "brass", "concertina", "accordion", "organ",
             "keyboard", "synth")


def clef_rules(instrument: str) -> tuple[tuple[str, ...], bool]:
    """The clefs a staff of ``instrument`` may take, and whether it may change clef for a
    passage: an octave clef for the instruments copyists write at the octave; a change
    of clef only where the instrument reads both clefs (horn, piano, harp, celesta), for a
    section and for an unknown staff (an unknown staff takes an octave clef only when its
    range asks for one); a trumpet or a tuba keeps its clef and its ledger lines."""
    from filmscore.errors import InputError
    from filmscore.orchestration.instruments import get_instrument

    text = _PLAYING_WORDS.sub("", " ".join(instrument.lower().split())).strip()
    for words, clefs in _OCTAVE_CLEFS:
        if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
            return clefs, False
    if not text:
        return ("treble", "bass", "treble_8va", "bass_8vb"), True
    if any(re.search(rf"\b{w}\b", text) for w in _SECTIONS):
        return ("treble", "bass"), True
    try:
        own = get_instrument(text).clefs
    except InputError:
        return ("treble", "bass"), True
    return ("treble", "bass"), "treble" in own and "bass" in own


def choose_clefs(bars: Sequence[Sequence[tuple[int, int]]], instrument: str = ""
                 ) -> list[str]:
    """A clef for every bar (``bars``: each bar's chords as (lowest, highest) diatonic
    note numbers): the clef of the fewest ledger lines over the staff, and another plain
    clef for a passage only where that saves more than a change of clef costs the reader
    (``CLEF_CHANGE_COST``) and the passage sits ``CLEF_CHANGE_LEDGERS`` lines off."""
    allowed, changes = clef_rules(instrument)
    chords = [c for bar in bars for c in bar]
    main = min(allowed, key=lambda c: (_cost(chords, c), allowed.index(c)))
    others = [c for c in ("treble", "bass") if c in allowed and c != main and "_8" not in main]
    if not changes or not others or not bars:
        return [main] * len(bars)
    states = [main, *others]
    # Viterbi over bars: cost of each bar on each clef, CLEF_CHANGE_COST per change
    best = {c: (_cost(bars[0], c) if c == main else _cost(bars[0], c) + CLEF_CHANGE_COST,
                [c]) for c in states}
    for bar in bars[1:]:
        step = {}
        for clef in states:
            came = min(states, key=lambda p, c=clef: best[p][0] + (p != c) * CLEF_CHANGE_COST)
            total = best[came][0] + (came != clef) * CLEF_CHANGE_COST + _cost(bar, clef)
            step[clef] = (total, best[came][1] + [clef])
        best = step
    path = min(best.values(), key=lambda v: v[0])[1]
    # a passage on another clef must sit far off the main one, else the main clef stays
    out, index = list(path), 0
    while index < len(out):
        end = index
        while end < len(out) and out[end] == out[index]:
            end += 1
        if out[index] != main:
            span = [c for bar in bars[index:end] for c in bar]
            far = [c for c in span if max(ledger_lines(c[0], main), ledger_lines(c[1], main))
                   >= CLEF_CHANGE_LEDGERS]
            if len(far) * 2 < len(span):
                out[index:end] = [main] * (end - index)
        index = end
    return out


def _bar_chords(measure: Any) -> list[tuple[int, int]]:
    from music21 import chord as m21chord

    out = []
    for element in measure.recurse().notes:
        pitches = element.pitches if isinstance(element, m21chord.Chord) else (element.pitch,)
        numbers = [p.diatonicNoteNum for p in pitches]
        if numbers:
            out.append((min(numbers), max(numbers)))
    return out


# --- percussion ------------------------------------------------------------------------------

#: General MIDI drum key -> (name of the drum, its name in the key to the staff)
DRUM_NAMES: dict[int, tuple[str, str]] = {
    35: ("Acoustic Bass Drum", "B.D."), 36: ("Bass Drum", "B.D."),
    37: ("Side Stick", "S.D. rim"), 38: ("Snare Drum", "S.D."), 39: ("Hand Clap", "Clap"),
    40: ("Electric Snare", "S.D. 2"), 41: ("Low Floor Tom", "Low tom"),
    42: ("Closed Hi-Hat", "Hi-hat"), 43: ("High Floor Tom", "Fl. tom"),
    44: ("Pedal Hi-Hat", "Hi-hat (foot)"), 45: ("Low Tom", "Tom 3"),
    46: ("Open Hi-Hat", "Hi-hat open"), 47: ("Low-Mid Tom", "Tom 2"),
    48: ("Hi-Mid Tom", "Tom 1"), 49: ("Crash Cymbal", "Cr. cym."), 50: ("High Tom", "Hi tom"),
    51: ("Ride Cymbal", "Sus. cym."), 52: ("Chinese Cymbal", "Chin. cym."),
    53: ("Ride Bell", "Bell"), 54: ("Tambourine", "Tamb."), 55: ("Splash Cymbal", "Spl. cym."),
    56: ("Cowbell", "Cowb."), 57: ("Crash Cymbal 2", "Cr. cym. 2"),
    59: ("Ride Cymbal 2", "Sus. cym. 2"), 76: ("Hi Wood Block", "W.bl."),
    77: ("Low Wood Block", "Low w.bl."), 80: ("Mute Triangle", "Tri. (muted)"),
    81: ("Open Triangle", "Tri."),
}  # fmt: skip
#: the drum set's keys keep their ``DRUM_DISPLAY`` places (bass drum in the bottom space,
#: snare drum in the third, cymbals with crossed heads on and above the top line); the
#: small percussion of an orchestra takes, in this order, the first place inside the staff
#: that no drum of the staff holds
_SMALL_PERCUSSION: dict[int, tuple[tuple[str, int, str], ...]] = {
    **{k: (("D", 5, "triangle"), ("B", 4, "triangle"), ("E", 5, "triangle"))
       for k in (80, 81)},
    **{k: (("A", 4, "normal"), ("B", 4, "normal"), ("G", 4, "normal"), ("E", 5, "normal"))
       for k in (76, 77)},
    54: (("E", 5, "x"), ("D", 5, "x"), ("B", 4, "x")),
    56: (("E", 5, "triangle"), ("D", 5, "triangle"), ("B", 4, "triangle")),
}  # fmt: skip
#: free places for drums of no table, in order
_SPARE_PLACES = (("B", 4, "normal"), ("A", 4, "normal"), ("D", 5, "normal"),
                 ("E", 5, "normal"), ("D", 4, "normal"), ("G", 5, "normal"),
                 ("C", 4, "normal"), ("B", 5, "normal"))
_PLACE_NAMES = {("C", 4): "ledger line below", ("D", 4): "below", ("E", 4): "bottom line",
                ("F", 4): "1st space", ("G", 4): "2nd line", ("A", 4): "2nd space",
                ("B", 4): "middle line", ("C", 5): "3rd space", ("D", 5): "4th line",
                ("E", 5): "4th space", ("F", 5): "top line", ("G", 5): "above",
                ("A", 5): "ledger line above", ("B", 5): "above the ledger line"}


def drum_display(keys: Sequence[int]) -> dict[int, tuple[str, int, str]]:
    """Where each General MIDI key of a percussion staff is written (step, octave,
    notehead; each key of the staff its own): the drum set at its ``DRUM_DISPLAY`` place,
    small percussion (triangles, wood blocks, ...) at free places inside the staff, and
    one drum alone on the middle line of a one-line staff."""
    keys = sorted(set(keys))
    if len(keys) == 1:
        return {keys[0]: ("E", 4, DRUM_DISPLAY.get(keys[0], ("E", 4, "normal"))[2])}
    out = {k: DRUM_DISPLAY[k] for k in keys if k in DRUM_DISPLAY and k not in _SMALL_PERCUSSION}
    for key in keys:
        if key not in out:
            taken = {(step, octave) for step, octave, _ in out.values()}
            choices = _SMALL_PERCUSSION.get(key, ()) + _SPARE_PLACES
            out[key] = next((p for p in choices if p[:2] not in taken), OTHER_DRUM_DISPLAY)
    return out


def _legend(places: dict[int, tuple[str, int, str]]) -> str:
    """'Cr. cym. × above, Sus. cym. × top line, S.D. 3rd space, Low tom 2nd line, B.D. 1st
    space': the key to a percussion staff, top to bottom."""
    if len(places) == 1:
        key = next(iter(places))
        return DRUM_NAMES.get(key, (f"drum {key}", f"drum {key}"))[0]
    order = "CDEFGAB"
    items = []
    for key, (step, octave, head) in sorted(
            places.items(), key=lambda kv: -(kv[1][1] * 7 + order.index(kv[1][0]))):
        name = DRUM_NAMES.get(key, ("", f"drum {key}"))[1]
        where = _PLACE_NAMES.get((step, octave), "high" if octave >= 5 else "low")
        sign = {"x": " ×", "circle-x": " ⊗", "triangle": " △", "diamond": " ◇"}.get(head, "")
        items.append(f"{name}{sign} {where}")
    return ", ".join(items)


# --- the music21 pass ------------------------------------------------------------------------


def dress_short_score(score: Any, music: Music) -> None:
    """Concert-pitch instruments, staff names, clefs, and unpitched percussion on the parts
    of ``make_score(music)``."""
    from music21 import clef as m21clef
    from music21 import instrument as m21instrument
    from music21 import key as m21key

    for m21part, part in zip(score.parts, music.parts, strict=True):
        name, abbreviation = staff_names(part)
        for old in list(m21part.getElementsByClass(m21instrument.Instrument)):
            m21part.remove(old)
        if part.is_drum:
            inst = m21instrument.UnpitchedPercussion()
            inst.percMapPitch = part.notes[0].pitch if part.notes else 38
            inst.midiChannel = 9
            inst.instrumentName = "Percussion"
        else:
            inst = m21instrument.Instrument()  # no transposition: a short score is in C
            inst.midiProgram = part.program
            label = re.search(r"\((.*)\)", name)
            inst.instrumentName = label.group(1) if label else name
        inst.partName, inst.partAbbreviation = name, abbreviation
        inst.instrumentAbbreviation = abbreviation
        m21part.partName, m21part.partAbbreviation = name, abbreviation
        m21part.insert(0, inst)
        measures = list(m21part.getElementsByClass("Measure"))
        if part.is_drum:
            if measures:
                measures[0].clef = m21clef.PercussionClef()
            to_unpitched(m21part, drum_display([n.pitch for n in part.notes]))
            for measure in measures:  # unpitched percussion carries no key signature
                for sig in list(measure.getElementsByClass(m21key.KeySignature)):
                    measure.remove(sig)
            continue
        clefs = choose_clefs([_bar_chords(m) for m in measures],
                             part.instrument or _instrument_words(name))
        previous = None
        for measure, clef_name in zip(measures, clefs, strict=True):
            if clef_name != previous:
                measure.clef = getattr(m21clef, CLEFS[clef_name][0])()
                previous = clef_name


def _instrument_words(name: str) -> str:
    """The instrument of a staff named 'Bass (Double Bass)' or 'Double Bass'."""
    inside = re.search(r"\((.*)\)", name)
    return (inside.group(1) if inside else name).lower()


# --- the lxml pass ---------------------------------------------------------------------------


def _tempo_texts(music: Music) -> list[tuple[str, str]]:
    """(per-minute text, frame-click) of each tempo mark ``make_score`` writes, in order."""
    from filmscore.sync.tempomap import format_bpm, format_frameclick

    out = []
    if music.tempo_map is not None:
        for seg in music.tempo_map.segments:
            if not seg.is_free:
                quarter = Fraction(seg.tempo_bpm) * seg.meter.beat_quarters
                try:
                    click = format_frameclick(Fraction(seg.tempo_bpm), music.tempo_map.rate)
                except Exception:  # noqa: BLE001 - a tempo of no frame-click: none shown
                    click = ""
                out.append((format_bpm(quarter), click))
    return out


def _finish_tempos(part: etree._Element, texts: list[tuple[str, str]]) -> None:
    """The metronome marks of the top staff as a copyist writes them, above the staff."""
    index = 0
    for direction in list(part.iter("direction")):
        per_minute = direction.find("direction-type/metronome/per-minute")
        if per_minute is None:
            continue
        direction.set("placement", "above")
        if index < len(texts):
            per_minute.text, click = texts[index]
            if click:
                words = etree.Element("direction", placement="above")
                sub_element(sub_element(words, "direction-type"), "words", f"({click} fc)",
                            **{"font-size": "9"})
                direction.addnext(words)
        index += 1


def _instrument_id(part_id: str, key: int) -> str:
    return f"{part_id}-I{key + 1}"


def _finish_percussion(score_part: etree._Element, part: etree._Element,
                       places: dict[int, tuple[str, int, str]], *,
                       legend_placement: str = "above") -> None:
    """One <score-instrument> per drum (with its <midi-unpitched> key), every note naming
    its drum, a one-line staff for one drum, and the key to the staff above bar 1."""
    part_id = score_part.get("id", "")
    for old in score_part.findall("score-instrument") + score_part.findall("midi-instrument"):
        score_part.remove(old)
    at = len(score_part.findall("part-name") + score_part.findall("part-abbreviation") +
             score_part.findall("part-name-display") +
             score_part.findall("part-abbreviation-display") + score_part.findall("group"))
    for key in sorted(places):
        instrument = etree.Element("score-instrument", id=_instrument_id(part_id, key))
        sub_element(instrument, "instrument-name", DRUM_NAMES.get(key, (f"Drum {key}",))[0])
        score_part.insert(at, instrument)
        at += 1
    for key in sorted(places):
        midi = sub_element(score_part, "midi-instrument", id=_instrument_id(part_id, key))
        sub_element(midi, "midi-channel", "10")
        sub_element(midi, "midi-unpitched", str(key + 1))
    by_place = {place: key for key, place in places.items()}
    for note in part.iter("note"):
        unpitched = note.find("unpitched")
        if unpitched is None:
            continue
        head = (note.findtext("notehead") or "normal").strip()
        place = (unpitched.findtext("display-step", "").strip(),
                 int(unpitched.findtext("display-octave", "0").strip() or 0), head)
        key = by_place.get(place)
        if key is None:
            continue
        anchor = [c for c in note if c.tag in ("duration", "tie")][-1:]
        element = etree.Element("instrument", id=_instrument_id(part_id, key))
        if anchor:
            anchor[0].addnext(element)
        else:
            unpitched.addnext(element)
        _stem_up(note)
    first = part.find("measure")
    if first is None:
        return
    attributes = first.find("attributes")
    if len(places) == 1 and attributes is not None:
        details = etree.Element("staff-details")
        sub_element(details, "staff-lines", "1")
        insert_in_attributes(attributes, details)
    legend = etree.Element("direction", placement=legend_placement, id=KEY_ID)
    sub_element(sub_element(legend, "direction-type"), "words", _legend(places),
                **{"font-size": "8", "font-style": "italic"})
    if attributes is not None:
        attributes.addnext(legend)
    else:
        first.insert(0, legend)


def _stem_up(note: etree._Element) -> None:
    """Stems up on a percussion staff, as drum notation writes the hands: accents and
    dynamics then sit under the staff, not in the staff above's way."""
    for old in note.findall("stem"):
        note.remove(old)
    before = [c for c in note if c.tag in ("type", "dot", "accidental", "time-modification")]
    stem = etree.Element("stem")
    stem.text = "up"
    if before:
        before[-1].addnext(stem)


def edit_document(data: bytes, edit: Callable[[etree._Element], None]) -> bytes:
    """A MusicXML document music21 wrote, parsed, changed in place by ``edit`` and written
    back with its doctype: the lxml pass of a short or a full score."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data, parser)
    edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8",
                          doctype=root.getroottree().docinfo.doctype)


def finisher(music: Music) -> Callable[[bytes], bytes]:
    """The lxml pass over the document music21 writes for ``music``'s short score."""

    def edit(root: etree._Element) -> None:
        score_parts = root.findall("part-list/score-part")
        parts = root.findall("part")
        texts = _tempo_texts(music)
        for index, (score_part, part_el, part) in enumerate(
                zip(score_parts, parts, music.parts, strict=False)):
            if index == 0:
                _finish_tempos(part_el, texts)
            if part.is_drum:
                _finish_percussion(score_part, part_el,
                                   drum_display([n.pitch for n in part.notes]))
            measures = part_el.findall("measure")
            # accidentals once more by the staff's bar memory, across its voices in time
            # order (music21 makes them voice by voice), as the copying stage does
            respell_accidentals(measures)
            regroup_rests(measures)  # rests and beams show the meter's beats
            regroup_beams(measures)
            add_final_barline(measures)

    return lambda data: edit_document(data, edit)


__all__ = ["CLEFS", "DRUM_NAMES", "ROLES", "choose_clefs", "clef_rules", "dress_short_score",
           "drum_display", "finisher", "instrument_label", "ledger_lines", "staff_names"]
