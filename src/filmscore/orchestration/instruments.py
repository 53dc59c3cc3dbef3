"""The instrument table: ranges, transpositions, clefs, score order, doubles, GM programs.

Vocabulary is data (DESIGN rule 7): every instrument the orchestration stage knows is one
row of ``_ROWS`` below, and code reads the table; nothing else hard-codes a range.

Pitches are MIDI note numbers (middle C = C4 = 60).  Ranges are at **concert (sounding)
pitch**.  ``practical`` is what any working player manages (MuseScore's "amateur" range);
``professional`` is the extreme a session/orchestral professional can be asked for.

Transposition sign, precisely::

    sounding = written + transposition_semitones
    written  = sounding - transposition_semitones

so an instrument that sounds *lower* than written has a negative value: clarinet in B-flat
is -2 (written D5 = 74 sounds C5 = 72), horn in F -7, double bass -12; piccolo +12
(written C5 sounds C6), glockenspiel +24.  ``transposition_diatonic`` is the same interval
counted in staff steps (clarinet in B-flat -1, horn -4, piccolo +7, glockenspiel +14), so
a spelling-aware transposer can keep letter names right; it uses MuseScore's convention.

Sources.  Ranges and transpositions come from MuseScore 4's ``share/instruments/
instruments.xml`` (``aPitchRange`` = practical, ``pPitchRange`` = professional, both in
sounding MIDI numbers; ``transposeChromatic``/``transposeDiatonic``) unless the row's
``source`` says otherwise.  music21's ranges are incomplete and some are wrong, so they are
not used (FIELD-NOTES, Notation).  Where MuseScore's figure looked wrong (celesta:
48-113) or is missing (electric bass, unpitched percussion) the row says what it uses.

Unpitched percussion (``is_unpitched``) has no range as such: its low/high are the span of
the General MIDI percussion keys (channel 10) the instrument is played on in a mockup, and
``gm_program`` is the drum-kit program (48 = GM2 Orchestra Kit).  Other ``gm_program``
values are General MIDI melodic programs, 0-based (0 = Acoustic Grand Piano).

Clefs are those of the written part, in order of use: ``treble``, ``bass``, ``alto``,
``tenor``, ``treble_8vb`` (tenor voice, guitar), ``percussion``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from filmscore.errors import InputError

SECTIONS: tuple[str, ...] = (
    "woodwinds",
    "brass",
    "percussion",
    "harp",
    "keyboards",
    "guitars",
    "synths",
    "voices",
    "strings",
)
"""Sections in the order they appear in a film full score (top to bottom)."""

MSCORE = "MuseScore 4 instruments.xml"
GM_DRUMS = "General MIDI percussion key map (channel 10)"


@dataclass(frozen=True)
class Instrument:
    """One instrument: what it is called, where it sits in the score, what it can play."""

    key: str
    name: str
    abbreviation: str
    section: str
    score_order: int
    clefs: tuple[str, ...]
    transposition_semitones: int
    transposition_diatonic: int
    practical_low: int
    practical_high: int
    professional_low: int
    professional_high: int
    gm_program: int
    is_unpitched: bool
    usual_doubles: tuple[str, ...]
    source: str

    @property
    def is_transposing(self) -> bool:
        """True when the part is written at another pitch than it sounds."""
        return self.transposition_semitones != 0

    def range(self, level: str = "practical") -> tuple[int, int]:
        """(low, high) sounding MIDI numbers for ``level`` "practical" or "professional"."""
        if level == "practical":
            return (self.practical_low, self.practical_high)
        if level == "professional":
            return (self.professional_low, self.professional_high)
        raise InputError(
            "unknown range level", field="level", value=level, valid="practical, professional"
        )


# One row per instrument, in score order (top of the page first).  Columns:
# key, name, abbreviation, section, clefs, transposition (semitones, diatonic steps),
# practical (low, high), professional (low, high), GM program, unpitched, doubles, source.
_Row = tuple[
    str, str, str, str, tuple[str, ...], tuple[int, int],
    tuple[int, int], tuple[int, int], int, bool, tuple[str, ...], str,
]  # fmt: skip

_T, _B, _A, _TN, _T8, _P = "treble", "bass", "alto", "tenor", "treble_8vb", "percussion"

_ROWS: tuple[_Row, ...] = (
    # --- woodwinds
    ("piccolo", "Piccolo", "Picc.", "woodwinds", (_T,), (12, 7),
     (74, 105), (74, 108), 72, False, ("flute",), MSCORE),
    ("flute", "Flute", "Fl.", "woodwinds", (_T,), (0, 0),
     (60, 93), (59, 98), 73, False, ("piccolo", "alto_flute"), MSCORE),
    ("alto_flute", "Alto Flute", "A. Fl.", "woodwinds", (_T,), (-5, -3),
     (55, 88), (55, 91), 73, False, ("flute",), MSCORE),
    ("oboe", "Oboe", "Ob.", "woodwinds", (_T,), (0, 0),
     (58, 87), (58, 96), 68, False, ("english_horn",), MSCORE),
    ("english_horn", "English Horn", "E. Hn.", "woodwinds", (_T,), (-7, -4),
     (52, 81), (52, 83), 69, False, ("oboe",), MSCORE),
    ("clarinet_bb", "Clarinet in B\u266d", "B\u266d Cl.", "woodwinds", (_T,), (-2, -1),
     (50, 89), (50, 94), 71, False, ("clarinet_a", "bass_clarinet"), MSCORE),
    ("clarinet_a", "Clarinet in A", "A Cl.", "woodwinds", (_T,), (-3, -2),
     (49, 88), (49, 93), 71, False, ("clarinet_bb",), MSCORE),
    ("bass_clarinet", "Bass Clarinet", "B. Cl.", "woodwinds", (_T, _B), (-14, -8),
     (37, 75), (34, 79), 71, False, ("clarinet_bb",), MSCORE),
    ("bassoon", "Bassoon", "Bsn.", "woodwinds", (_B, _TN), (0, 0),
     (34, 69), (34, 76), 70, False, ("contrabassoon",), MSCORE),
    ("contrabassoon", "Contrabassoon", "Cbsn.", "woodwinds", (_B,), (-12, -7),
     (22, 57), (22, 60), 70, False, ("bassoon",), MSCORE),
    ("soprano_sax", "Soprano Saxophone", "S. Sax.", "woodwinds", (_T,), (-2, -1),
     (56, 89), (56, 94), 64, False, ("alto_sax", "clarinet_bb"), MSCORE),
    ("alto_sax", "Alto Saxophone", "A. Sax.", "woodwinds", (_T,), (-9, -5),
     (49, 82), (49, 87), 65, False, ("soprano_sax", "flute", "clarinet_bb"), MSCORE),
    ("tenor_sax", "Tenor Saxophone", "T. Sax.", "woodwinds", (_T,), (-14, -8),
     (44, 77), (44, 82), 66, False, ("clarinet_bb", "flute"), MSCORE),
    ("baritone_sax", "Baritone Saxophone", "Bar. Sax.", "woodwinds", (_T,), (-21, -12),
     (37, 70), (36, 75), 67, False, ("bass_clarinet",), MSCORE),
    # --- brass
    ("horn", "Horn in F", "Hn.", "brass", (_T, _B), (-7, -4),
     (41, 69), (31, 77), 60, False, (), MSCORE),
    ("trumpet_bb", "Trumpet in B\u266d", "B\u266d Tpt.", "brass", (_T,), (-2, -1),
     (52, 80), (52, 85), 56, False, ("trumpet_c",), MSCORE),
    ("trumpet_c", "Trumpet in C", "C Tpt.", "brass", (_T,), (0, 0),
     (54, 82), (54, 85), 56, False, ("trumpet_bb",), MSCORE),
    ("trombone", "Trombone", "Tbn.", "brass", (_B, _TN), (0, 0),
     (40, 71), (36, 74), 57, False, (), MSCORE),
    ("bass_trombone", "Bass Trombone", "B. Tbn.", "brass", (_B,), (0, 0),
     (32, 68), (27, 72), 57, False, ("trombone",), MSCORE),
    ("tuba", "Tuba", "Tba.", "brass", (_B,), (0, 0),
     (28, 58), (22, 72), 58, False, (), MSCORE),
    # --- percussion (timpani first, then mallets, then unpitched)
    ("timpani", "Timpani", "Timp.", "percussion", (_B,), (0, 0),
     (38, 60), (36, 62), 47, False, (), MSCORE),
    ("glockenspiel", "Glockenspiel", "Glock.", "percussion", (_T,), (24, 14),
     (79, 108), (76, 108), 9, False, ("xylophone", "vibraphone"), MSCORE),
    ("xylophone", "Xylophone", "Xyl.", "percussion", (_T,), (12, 7),
     (65, 96), (60, 108), 13, False, ("glockenspiel", "marimba"), MSCORE),
    ("vibraphone", "Vibraphone", "Vib.", "percussion", (_T,), (0, 0),
     (53, 89), (48, 96), 11, False, ("marimba", "glockenspiel"), MSCORE),
    ("marimba", "Marimba", "Mrm.", "percussion", (_T, _B), (0, 0),
     (45, 96), (36, 96), 12, False, ("xylophone", "vibraphone"), MSCORE),
    ("tubular_bells", "Tubular Bells", "T. Bells", "percussion", (_T,), (0, 0),
     (60, 79), (53, 79), 14, False, ("glockenspiel",), MSCORE),
    ("snare_drum", "Snare Drum", "S.D.", "percussion", (_P,), (0, 0),
     (38, 38), (37, 40), 48, True, ("bass_drum", "cymbals"),
     f"{GM_DRUMS}: 37 side stick, 38 acoustic snare, 40 electric snare"),
    ("bass_drum", "Bass Drum", "B.D.", "percussion", (_P,), (0, 0),
     (35, 35), (35, 36), 48, True, ("snare_drum", "cymbals"),
     f"{GM_DRUMS}: 35 acoustic bass drum, 36 bass drum 1"),
    ("cymbals", "Cymbals", "Cym.", "percussion", (_P,), (0, 0),
     (49, 57), (49, 57), 48, True, ("snare_drum", "bass_drum"),
     f"{GM_DRUMS}: 49 crash 1, 51 ride, 52 china, 55 splash, 57 crash 2"),
    # --- harp, keyboards
    ("harp", "Harp", "Hp.", "harp", (_T, _B), (0, 0),
     (23, 104), (23, 104), 46, False, (), MSCORE),
    ("celesta", "Celesta", "Cel.", "keyboards", (_T, _B), (12, 7),
     (60, 108), (60, 108), 8, False, ("piano",),
     "Adler, The Study of Orchestration: written C3-C7, sounding an octave higher "
     "(MuseScore 4 instruments.xml has 48-113, which is neither written nor sounding)"),
    ("piano", "Piano", "Pno.", "keyboards", (_T, _B), (0, 0),
     (21, 108), (21, 108), 0, False, ("celesta", "synth_pad"), MSCORE),
    # --- guitars, synths
    ("acoustic_guitar", "Acoustic Guitar", "A. Gtr.", "guitars", (_T8,), (-12, -7),
     (40, 83), (40, 84), 25, False, ("electric_guitar",), MSCORE),
    ("electric_guitar", "Electric Guitar", "E. Gtr.", "guitars", (_T8,), (-12, -7),
     (40, 86), (40, 88), 27, False, ("acoustic_guitar",), MSCORE),
    ("electric_bass", "Electric Bass", "E. Bass", "guitars", (_B,), (-12, -7),
     (28, 60), (28, 67), 33, False, ("double_bass",),
     "standard 4-string bass tuned E1-A1-D2-G2, written an octave higher; practical to "
     "the 17th fret of the G string (C4), professional to the 24th (G4)"),
    ("synth_pad", "Synth Pad", "Synth", "synths", (_T, _B), (0, 0),
     (36, 96), (21, 108), 89, False, ("piano",),
     f"{MSCORE} (synthesizers: 36-96 practical, 21-108 professional); GM 89 = Pad 2 (warm)"),
    # --- voices
    ("soprano", "Soprano", "S.", "voices", (_T,), (0, 0),
     (60, 79), (60, 84), 52, False, (), MSCORE),
    ("alto", "Alto", "A.", "voices", (_T,), (0, 0),
     (55, 74), (52, 77), 52, False, (), MSCORE),
    ("tenor", "Tenor", "T.", "voices", (_T8,), (-12, -7),
     (48, 69), (48, 72), 52, False, (), MSCORE),
    ("bass", "Bass", "B.", "voices", (_B,), (0, 0),
     (41, 60), (38, 62), 52, False, (), MSCORE),
    # --- strings
    ("violin", "Violin", "Vn.", "strings", (_T,), (0, 0),
     (55, 88), (55, 103), 40, False, (), MSCORE),
    ("viola", "Viola", "Va.", "strings", (_A, _T), (0, 0),
     (48, 79), (48, 93), 41, False, (), MSCORE),
    ("cello", "Violoncello", "Vc.", "strings", (_B, _TN, _T), (0, 0),
     (36, 67), (36, 90), 42, False, (), MSCORE),
    ("double_bass", "Double Bass", "Cb.", "strings", (_B,), (-12, -7),
     (28, 62), (24, 67), 43, False, ("electric_bass",),
     f"{MSCORE} (professional low C1 = five strings or C extension)"),
)  # fmt: skip


# Where a line sounds best (sounding MIDI, low to high): the register an orchestrator puts
# a melody or a doubling in when there is a choice of octave.  From the ranges of "most
# effective" or "strongest" registers in Adler, *The Study of Orchestration* (3rd ed.),
# and Rimsky-Korsakov, *Principles of Orchestration* (ch. I-II), rounded to whole notes;
# an instrument not listed uses its practical range.  ``HIGH_REGISTERS`` is the top of
# the range, for a line the notes ask to be "shrieking" or "brilliant".
REGISTERS: dict[str, tuple[int, int]] = {
    "piccolo": (79, 100), "flute": (67, 91), "alto_flute": (55, 79), "oboe": (62, 84),
    "english_horn": (52, 76), "clarinet_bb": (55, 86), "clarinet_a": (54, 85),
    "bass_clarinet": (38, 67), "bassoon": (38, 65), "contrabassoon": (26, 50),
    "horn": (50, 72), "trumpet_bb": (58, 79), "trumpet_c": (60, 81), "trombone": (43, 67),
    "bass_trombone": (34, 58), "tuba": (29, 53), "timpani": (40, 55),
    "xylophone": (72, 96), "glockenspiel": (79, 103), "vibraphone": (53, 89),
    "marimba": (48, 84), "tubular_bells": (60, 77), "harp": (36, 91), "celesta": (72, 100),
    "piano": (36, 96), "violin": (62, 91), "viola": (50, 76), "cello": (41, 69),
    "double_bass": (28, 50), "soprano": (62, 77), "alto": (55, 70), "tenor": (50, 67),
    "bass": (41, 60),
}  # fmt: skip
HIGH_REGISTERS: dict[str, tuple[int, int]] = {
    "piccolo": (86, 105), "flute": (79, 93), "oboe": (74, 87), "clarinet_bb": (77, 91),
    "clarinet_a": (76, 90), "trumpet_bb": (70, 82), "horn": (62, 74), "violin": (76, 96),
    "xylophone": (84, 103),
}  # fmt: skip


def register(instrument: str | Instrument, level: str = "") -> tuple[int, int]:
    """(low, high) sounding MIDI where the instrument's line sounds best; ``level`` "high"
    for the top of its range (shrieking clarinets)."""
    inst = get_instrument(instrument)
    if level == "high" and inst.key in HIGH_REGISTERS:
        return HIGH_REGISTERS[inst.key]
    return REGISTERS.get(inst.key, (inst.practical_low, inst.practical_high))


def _build() -> tuple[Instrument, ...]:
    out = []
    for order, row in enumerate(_ROWS, start=1):
        (key, name, abbr, section, clefs, (semis, steps),
         (plo, phi), (xlo, xhi), gm, unpitched, doubles, source) = row  # fmt: skip
        out.append(
            Instrument(
                key=key,
                name=name,
                abbreviation=abbr,
                section=section,
                score_order=order * 10,
                clefs=clefs,
                transposition_semitones=semis,
                transposition_diatonic=steps,
                practical_low=plo,
                practical_high=phi,
                professional_low=xlo,
                professional_high=xhi,
                gm_program=gm,
                is_unpitched=unpitched,
                usual_doubles=doubles,
                source=source,
            )
        )
    return tuple(out)


INSTRUMENTS: tuple[Instrument, ...] = _build()
"""Every instrument, in score order."""

_BY_KEY: dict[str, Instrument] = {i.key: i for i in INSTRUMENTS}

# Other names players, copyists and scores use; normalised like user input (see _norm).
_ALIASES: dict[str, str] = {
    "picc": "piccolo", "flauto piccolo": "piccolo", "ottavino": "piccolo",
    "fl": "flute", "flauto": "flute", "flöte": "flute",
    "alto fl": "alto_flute", "afl": "alto_flute", "flute in g": "alto_flute",
    "ob": "oboe", "oboe 1": "oboe", "oboe 2": "oboe",
    "cor anglais": "english_horn", "corno inglese": "english_horn", "eh": "english_horn",
    "e hn": "english_horn",
    "clarinet": "clarinet_bb", "bb clarinet": "clarinet_bb", "b flat clarinet": "clarinet_bb",
    "clarinet in b flat": "clarinet_bb", "clarinet in bb": "clarinet_bb", "cl": "clarinet_bb",
    "bb cl": "clarinet_bb", "a clarinet": "clarinet_a", "a cl": "clarinet_a",
    "bcl": "bass_clarinet", "b cl": "bass_clarinet", "bass clarinet in bb": "bass_clarinet",
    "bsn": "bassoon", "fagott": "bassoon", "fagotto": "bassoon", "bassoon 1": "bassoon",
    "bassoon 2": "bassoon",
    "cbsn": "contrabassoon", "double bassoon": "contrabassoon", "contrafagotto": "contrabassoon",
    "soprano saxophone": "soprano_sax", "s sax": "soprano_sax",
    "alto saxophone": "alto_sax", "a sax": "alto_sax",
    "tenor saxophone": "tenor_sax", "t sax": "tenor_sax",
    "baritone saxophone": "baritone_sax", "bari sax": "baritone_sax", "bar sax": "baritone_sax",
    "horn in f": "horn", "french horn": "horn", "f horn": "horn", "hn": "horn", "corno": "horn",
    "f hn": "horn",
    "trumpet": "trumpet_bb", "bb trumpet": "trumpet_bb", "trumpet in bb": "trumpet_bb",
    "trumpet in b flat": "trumpet_bb", "tpt": "trumpet_bb", "c trumpet": "trumpet_c",
    "c tpt": "trumpet_c",
    "tbn": "trombone", "tenor trombone": "trombone", "posaune": "trombone",
    "b tbn": "bass_trombone",
    "tba": "tuba", "bass tuba": "tuba",
    "timp": "timpani", "kettledrums": "timpani", "timpano": "timpani",
    "glock": "glockenspiel", "orchestra bells": "glockenspiel",
    "xyl": "xylophone", "vib": "vibraphone", "vibes": "vibraphone", "mrm": "marimba",
    "chimes": "tubular_bells", "bells": "tubular_bells",
    "snare": "snare_drum", "sd": "snare_drum", "side drum": "snare_drum",
    "bd": "bass_drum", "gran cassa": "bass_drum", "cymbal": "cymbals", "cym": "cymbals",
    "crash cymbals": "cymbals", "piatti": "cymbals",
    # the General MIDI drum names a percussion part names its drums by (DRUM_NAMES)
    "crash cymbal": "cymbals", "crash cymbal 2": "cymbals", "ride cymbal": "cymbals",
    "ride cymbal 2": "cymbals", "suspended cymbal": "cymbals", "splash cymbal": "cymbals",
    "chinese cymbal": "cymbals", "acoustic bass drum": "bass_drum",
    "electric snare": "snare_drum", "side stick": "snare_drum",
    "hp": "harp", "arpa": "harp", "cel": "celesta", "celeste": "celesta",
    "pno": "piano", "pianoforte": "piano", "grand piano": "piano",
    "guitar": "acoustic_guitar", "gtr": "acoustic_guitar", "classical guitar": "acoustic_guitar",
    "steel guitar": "acoustic_guitar", "e gtr": "electric_guitar", "bass guitar": "electric_bass",
    "e bass": "electric_bass",
    "synth": "synth_pad", "pad": "synth_pad", "synthesizer": "synth_pad",
    "s": "soprano", "sopranos": "soprano", "a": "alto", "altos": "alto", "contralto": "alto",
    "t": "tenor", "tenors": "tenor", "b": "bass", "basses voice": "bass", "bass voice": "bass",
    "vn": "violin", "vln": "violin", "violins": "violin", "violin 1": "violin",
    "violin 2": "violin", "violin i": "violin", "violin ii": "violin",
    "va": "viola", "vla": "viola", "violas": "viola",
    "violoncello": "cello", "vc": "cello", "vlc": "cello", "cellos": "cello",
    "contrabass": "double_bass", "string bass": "double_bass", "upright bass": "double_bass",
    "cb": "double_bass", "db": "double_bass", "kontrabass": "double_bass",
    "doublebass": "double_bass", "basses": "double_bass",
    # Italian, German and French orchestral names (classical and romantic full scores)
    "flauti": "flute", "flöten": "flute", "flûte": "flute", "flûtes": "flute",
    "grande flûte": "flute", "flauto traverso": "flute", "querflöte": "flute",
    "kleine flöte": "piccolo", "petite flûte": "piccolo", "piccolo flute": "piccolo",
    "oboi": "oboe", "oboen": "oboe", "hautbois": "oboe", "hoboe": "oboe",
    "englischhorn": "english_horn", "englisch horn": "english_horn",
    "clarinetto": "clarinet_bb", "clarinetti": "clarinet_bb", "klarinette": "clarinet_bb",
    "klarinetten": "clarinet_bb", "clarinette": "clarinet_bb", "clarinettes": "clarinet_bb",
    "clarinets": "clarinet_bb", "clarinetto basso": "bass_clarinet",
    "clarinetto basso in b": "bass_clarinet", "bassklarinette": "bass_clarinet",
    "clarinette basse": "bass_clarinet",
    "fagotti": "bassoon", "fagotte": "bassoon", "basson": "bassoon", "bassons": "bassoon",
    "bassoons": "bassoon", "fg": "bassoon", "fag": "bassoon", "fgt": "bassoon",
    "kontrafagott": "contrabassoon", "contrebasson": "contrabassoon",
    "corni": "horn", "horn": "horn", "horns": "horn", "hörner": "horn", "cor": "horn",
    "cors": "horn", "waldhorn": "horn", "waldhörner": "horn", "natural horn": "horn",
    "cor en fa": "horn", "corno in f": "horn", "cn": "horn",
    "tromba": "trumpet_bb", "trombe": "trumpet_bb", "trompete": "trumpet_bb",
    "trompeten": "trumpet_bb", "trompette": "trumpet_bb", "trompettes": "trumpet_bb",
    "trumpets": "trumpet_bb", "clarino": "trumpet_c", "clarini": "trumpet_c",
    "trombone basso": "bass_trombone", "bassposaune": "bass_trombone",
    "tromboni": "trombone", "trombones": "trombone", "posaunen": "trombone",
    "tuba bassa": "tuba", "basstuba": "tuba",
    "timpani": "timpani", "pauken": "timpani", "pauke": "timpani", "timbales": "timpani",
    "tymp": "timpani", "timpani in c and g": "timpani",
    "arpe": "harp", "harfe": "harp", "harpe": "harp",
    "soprani": "soprano", "sopran": "soprano", "canto": "soprano", "cantus": "soprano",
    "discantus": "soprano",
    "alti": "alto", "altus": "alto", "tenore": "tenor", "tenori": "tenor", "ténor": "tenor",
    "basso": "bass", "bassi": "double_bass", "bassus": "bass", "baritone": "bass",
    "baritono": "bass",
    "violino": "violin", "violini": "violin", "violine": "violin", "violinen": "violin",
    "violon": "violin", "violons": "violin", "violino i": "violin", "violino ii": "violin",
    "violino primo": "violin", "violino secondo": "violin", "vl": "violin", "vni": "violin",
    "viola": "viola", "viole": "viola", "bratsche": "viola", "bratschen": "viola",
    "altos violas": "viola", "vle": "viola",
    "violoncelli": "cello", "violoncellos": "cello", "violoncelle": "cello",
    "violoncelles": "cello", "violoncell": "cello", "celli": "cello",
    "vcl": "cello", "violoncello e basso": "cello",
    "contrabbasso": "double_bass", "contrabbassi": "double_bass", "kontrabässe": "double_bass",
    "contrebasse": "double_bass", "contrebasses": "double_bass", "contrabasses": "double_bass",
    "contrabasso": "double_bass", "double basses": "double_bass",
    "kb": "double_bass", "bs": "double_bass",
}  # fmt: skip


def _norm(text: str) -> str:
    """Lower case; ♭ -> b; dots, hyphens, underscores and runs of spaces -> one space."""
    text = text.strip().lower().replace("\u266d", "b").replace("-flat", " flat")
    text = re.sub(r"[._\-/]+", " ", text)
    return " ".join(text.split())


_LOOKUP: dict[str, str] = {}
for _inst in INSTRUMENTS:
    _LOOKUP[_norm(_inst.key)] = _inst.key
    _LOOKUP[_norm(_inst.name)] = _inst.key
    _LOOKUP.setdefault(_norm(_inst.abbreviation), _inst.key)
for _alias, _key in _ALIASES.items():
    _LOOKUP[_norm(_alias)] = _key


def get_instrument(name: str | Instrument) -> Instrument:
    """The instrument called ``name`` (key, full name, abbreviation or a usual alias).

    Raises InputError naming the closest valid names when there is no such instrument.
    """
    if isinstance(name, Instrument):
        return name
    key = _LOOKUP.get(_norm(str(name)))
    if key is None:
        close = difflib.get_close_matches(_norm(str(name)), list(_LOOKUP), n=5, cutoff=0.6)
        suggestions = sorted({_BY_KEY[_LOOKUP[c]].key for c in close})
        valid = ", ".join(suggestions) if suggestions else ", ".join(_BY_KEY)
        raise InputError("unknown instrument", field="instrument", value=str(name), valid=valid)
    return _BY_KEY[key]


def _midi(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 127:
        raise InputError(
            "not a MIDI note number", field=field, value=value, valid="an integer 0-127"
        )
    return value


def is_double(own: str | Instrument, other: str | Instrument) -> bool:
    """``other`` is one of the usual doubles of ``own`` (a flute's piccolo, a clarinet's
    bass clarinet), not the same instrument in another key (a clarinet's clarinet in A:
    the same first word of the name)."""
    own, other = get_instrument(own), get_instrument(other)
    return other.key in own.usual_doubles and other.name.split()[0] != own.name.split()[0]


def written_pitch(instrument: str | Instrument, sounding_midi: int) -> int:
    """The written (part) pitch of a note that sounds at ``sounding_midi``."""
    inst = get_instrument(instrument)
    return _midi(sounding_midi, "sounding_midi") - inst.transposition_semitones


def sounding_pitch(instrument: str | Instrument, written_midi: int) -> int:
    """The concert pitch of a note written at ``written_midi`` in the instrument's part."""
    inst = get_instrument(instrument)
    return _midi(written_midi, "written_midi") + inst.transposition_semitones


def in_range(
    instrument: str | Instrument,
    sounding_midi: int,
    level: Literal["practical", "professional"] = "practical",
) -> bool:
    """True when the concert pitch ``sounding_midi`` lies in the instrument's range."""
    low, high = get_instrument(instrument).range(level)
    return low <= _midi(sounding_midi, "sounding_midi") <= high


def score_order(keys: list[str] | None = None) -> list[Instrument]:
    """Instruments (all, or those named in ``keys``) sorted top-to-bottom as in a full score."""
    chosen = INSTRUMENTS if keys is None else tuple(get_instrument(k) for k in keys)
    return sorted(chosen, key=lambda i: i.score_order)
