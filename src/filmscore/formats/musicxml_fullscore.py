"""Orchestrated full scores as MusicXML (music21): parts named by chair, instruments,
clefs by register, transpositions, and drum parts as unpitched notes.

The music itself (notes, marks, ties, voices) is written by
:func:`filmscore.formats.musicxml.make_score`; this module dresses each part.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from filmscore.errors import InputError
from filmscore.writing.music import Music, Part

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


def _unpitched_of(element: Any, places: Mapping[int, tuple[str, int, str]]) -> Any:
    from music21 import note as m21note

    step, octave, head = places.get(element.pitch.midi, OTHER_DRUM_DISPLAY)
    out = m21note.Unpitched(quarterLength=element.duration.quarterLength)
    out.displayStep, out.displayOctave = step, octave
    if head != "normal":
        out.notehead = head
    return out


def to_unpitched(m21part: Any, places: Mapping[int, tuple[str, int, str]] | None = None
                 ) -> None:
    """Every note of a drum part as an Unpitched at its place in ``places`` (General MIDI
    key -> display step, octave, notehead; ``DRUM_DISPLAY`` by default)."""
    from music21 import chord as m21chord
    from music21 import percussion as m21percussion

    places = DRUM_DISPLAY if places is None else places
    for element in list(m21part.recurse().notes):
        site = element.activeSite
        if isinstance(element, m21chord.Chord):
            new = m21percussion.PercussionChord([_unpitched_of(n, places)
                                                 for n in element.notes])
            new.duration.quarterLength = element.duration.quarterLength
        else:
            new = _unpitched_of(element, places)
        new.tie = element.tie
        new.volume.velocity = element.volume.velocity
        new.articulations = list(element.articulations)
        new.expressions = list(element.expressions)
        for spanner in element.getSpannerSites():  # slurs keep their notes
            spanner.replaceSpannedElement(element, new)
        site.replace(element, new)


def _dress_part(m21part: Any, part: Part, *, concert: bool, source: str, channel: int
                ) -> dict[int, tuple[str, int, str]] | None:
    """Instrument, names, clef and transposition of one full-score part; for a percussion
    part, where each drum is written (``drum_display``), else None."""
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
        from filmscore.formats.musicxml_shortscore import drum_display

        inst = m21instrument.UnpitchedPercussion()
        inst.percMapPitch = part.notes[0].pitch if part.notes else 38
        inst.midiChannel = 9
    else:
        inst = m21instrument.Instrument()
        inst.midiProgram = info.gm_program
        inst.midiChannel = channel  # parts share channels past 15 (music21 would complain)
    inst.partName = part.name
    # a percussion chair plays whatever drums the cue asks: 'Perc. 1', not its first one's
    inst.partAbbreviation = _abbreviation(part.name, "Perc." if drum and part.name.lower()
                                          .startswith("perc") else info.abbreviation)
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
    places = drum_display([n.pitch for n in part.notes]) if drum else None
    if places is not None:
        to_unpitched(m21part, places)
        # unpitched percussion carries no key signature (music21 copies the score's)
        from music21 import key as m21key

        for measure in m21part.getElementsByClass("Measure"):
            for sig in list(measure.getElementsByClass(m21key.KeySignature)):
                measure.remove(sig)
    return places


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
    placed as the short score places them (``drum_display``: the drum set at its
    ``DRUM_DISPLAY`` place, one drum alone on a one-line staff), each note naming its drum
    (``<instrument>``), the key to the staff above bar 1; ``read_music`` reads them back.

    What it loses besides ``write_music``'s losses: a part's instrument changes (one
    instrument per part: a chair that switches to a double needs its own part), grand
    staves (a piano or harp part is one staff) and clef changes inside a part.
    """
    from filmscore.formats.musicxml_score import SUFFIXES, make_score, write_score

    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    if not music.parts:
        raise InputError("a full score needs at least one part", source=str(path),
                         valid="an orchestration with at least one playing chair")
    score = make_score(music)
    drums = []
    for index, (m21part, part) in enumerate(zip(score.parts, music.parts, strict=True)):
        channel = [c for c in range(16) if c != 9][index % 15]
        drums.append(_dress_part(m21part, part, concert=concert, source=str(path),
                                 channel=channel))
    return write_score(score, path, finish=_percussion_finisher(drums))


def _percussion_finisher(drums: list[dict[int, tuple[str, int, str]] | None]):
    """The lxml pass over a full score: each percussion part (``drums``: where its drums
    are written, None for a pitched part) names its drums as the short score does (a
    <score-instrument> per drum, each note its own, one line for a single drum, the key
    to the staff: 'Cr. cym. × above, B.D. 1st space'), so that the player's part says
    what to strike, and every drum reads back by its name."""
    from filmscore.formats.musicxml_shortscore import _finish_percussion, edit_document

    def edit(root) -> None:
        for score_part, part_el, places in zip(root.findall("part-list/score-part"),
                                               root.findall("part"), drums, strict=False):
            if places:
                # the key under the staff: above it, the film's timecodes and sync texts
                # of the player's part would have to give way to it
                _finish_percussion(score_part, part_el, places, legend_placement="below")

    return lambda data: edit_document(data, edit)
