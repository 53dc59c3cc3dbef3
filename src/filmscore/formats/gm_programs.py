"""General MIDI programs as data, and the orchestral names a composer writes mapped to them.

``GM_PROGRAMS`` is the General MIDI Level 1 sound set (program 0-127, the MIDI 1.0
specification's names, its 16 families of 8).  ``INSTRUMENTS`` maps the instrument and
section names of a cue's instrumentation ("strings", "4 horns", "woodwinds") to a GM
program (and, for "percussion", the channel-10 drum kit); ``ENSEMBLES`` expands the
section words that stand for several instruments ("woodwinds", "full orchestra") into
instrument names.  Vocabulary as data: add a name here, nowhere else.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from filmscore.errors import InputError


@dataclass(frozen=True)
class GMProgram:
    """One General MIDI program: number (0-127; the spec counts 1-128), name, family."""

    program: int
    name: str
    family: str


_FAMILIES = ("Piano", "Chromatic Percussion", "Organ", "Guitar", "Bass", "Strings",
             "Ensemble", "Brass", "Reed", "Pipe", "Synth Lead", "Synth Pad", "Synth Effects",
             "Ethnic", "Percussive", "Sound Effects")

_NAMES = (
    "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
    "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavi",
    "Celesta", "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone",
    "Tubular Bells", "Dulcimer",
    "Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ", "Reed Organ",
    "Accordion", "Harmonica", "Tango Accordion",
    "Acoustic Guitar (nylon)", "Acoustic Guitar (steel)", "Electric Guitar (jazz)",
    "Electric Guitar (clean)", "Electric Guitar (muted)", "Overdriven Guitar",
    "Distortion Guitar", "Guitar harmonics",
    "Acoustic Bass", "Electric Bass (finger)", "Electric Bass (pick)", "Fretless Bass",
    "Slap Bass 1", "Slap Bass 2", "Synth Bass 1", "Synth Bass 2",
    "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings", "Pizzicato Strings",
    "Orchestral Harp", "Timpani",
    "String Ensemble 1", "String Ensemble 2", "SynthStrings 1", "SynthStrings 2",
    "Choir Aahs", "Voice Oohs", "Synth Voice", "Orchestra Hit",
    "Trumpet", "Trombone", "Tuba", "Muted Trumpet", "French Horn", "Brass Section",
    "SynthBrass 1", "SynthBrass 2",
    "Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn",
    "Bassoon", "Clarinet",
    "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle",
    "Ocarina",
    "Lead 1 (square)", "Lead 2 (sawtooth)", "Lead 3 (calliope)", "Lead 4 (chiff)",
    "Lead 5 (charang)", "Lead 6 (voice)", "Lead 7 (fifths)", "Lead 8 (bass + lead)",
    "Pad 1 (new age)", "Pad 2 (warm)", "Pad 3 (polysynth)", "Pad 4 (choir)",
    "Pad 5 (bowed)", "Pad 6 (metallic)", "Pad 7 (halo)", "Pad 8 (sweep)",
    "FX 1 (rain)", "FX 2 (soundtrack)", "FX 3 (crystal)", "FX 4 (atmosphere)",
    "FX 5 (brightness)", "FX 6 (goblins)", "FX 7 (echoes)", "FX 8 (sci-fi)",
    "Sitar", "Banjo", "Shamisen", "Koto", "Kalimba", "Bag pipe", "Fiddle", "Shanai",
    "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock", "Taiko Drum", "Melodic Tom",
    "Synth Drum", "Reverse Cymbal",
    "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet", "Telephone Ring",
    "Helicopter", "Applause", "Gunshot",
)

#: The 128 General MIDI programs, by number.
GM_PROGRAMS: tuple[GMProgram, ...] = tuple(
    GMProgram(i, name, _FAMILIES[i // 8]) for i, name in enumerate(_NAMES))


@dataclass(frozen=True)
class GMInstrument:
    """What an instrument name plays as: a GM program, or the channel-10 drum kit."""

    program: int
    drum: bool = False


_I = GMInstrument
#: Instrument and section names (singular, lower case) -> General MIDI sound.
INSTRUMENTS: dict[str, GMInstrument] = {
    # strings
    "strings": _I(48), "string orchestra": _I(48), "string section": _I(48),
    "violin": _I(40), "violins": _I(48), "viola": _I(41), "violas": _I(48),
    "cello": _I(42), "violoncello": _I(42), "cellos": _I(48), "celli": _I(48),
    "double bass": _I(43), "contrabass": _I(43), "bass": _I(43), "basses": _I(43),
    "tremolo strings": _I(44), "pizzicato strings": _I(45), "pizzicato": _I(45),
    "harp": _I(46), "timpani": _I(47),
    # brass
    "horn": _I(60), "french horn": _I(60), "trumpet": _I(56), "cornet": _I(56),
    "muted trumpet": _I(59), "trombone": _I(57), "bass trombone": _I(57), "tuba": _I(58),
    "brass": _I(61), "brass section": _I(61),
    # woodwinds
    "flute": _I(73), "piccolo": _I(72), "alto flute": _I(73), "recorder": _I(74),
    "oboe": _I(68), "english horn": _I(69), "cor anglais": _I(69), "clarinet": _I(71),
    "bass clarinet": _I(71), "bassoon": _I(70), "contrabassoon": _I(70),
    "saxophone": _I(65), "alto sax": _I(65), "tenor sax": _I(66), "soprano sax": _I(64),
    "baritone sax": _I(67),
    # keyboards and tuned percussion
    "piano": _I(0), "grand piano": _I(0), "electric piano": _I(4), "harpsichord": _I(6),
    "celesta": _I(8), "celeste": _I(8), "glockenspiel": _I(9), "bells": _I(9),
    "vibraphone": _I(11), "marimba": _I(12), "xylophone": _I(13), "tubular bells": _I(14),
    "chimes": _I(14), "organ": _I(19), "church organ": _I(19), "accordion": _I(21),
    # voices
    "choir": _I(52), "chorus": _I(52), "voices": _I(52), "voice": _I(53),
    "soprano": _I(52), "alto": _I(52), "tenor": _I(52), "boys choir": _I(53),
    # plucked
    "guitar": _I(24), "acoustic guitar": _I(24), "electric guitar": _I(27),
    "electric bass": _I(33), "bass guitar": _I(33), "banjo": _I(105), "mandolin": _I(25),
    # percussion and the rest
    "percussion": _I(0, drum=True), "drums": _I(0, drum=True), "drum kit": _I(0, drum=True),
    "orchestra hit": _I(55), "synth pad": _I(89), "synthesizer": _I(81),
    "orchestra": _I(48), "full orchestra": _I(48), "woodwinds": _I(71), "winds": _I(71),
}

#: Section words that stand for several instruments, expanded in this order when a cue's
#: instrumentation is spread over its parts (the single-program entry in INSTRUMENTS is
#: what ``program_for`` answers for the word itself).
ENSEMBLES: dict[str, tuple[str, ...]] = {
    "woodwinds": ("flute", "oboe", "clarinet", "bassoon"),
    "winds": ("flute", "oboe", "clarinet", "bassoon"),
    "full orchestra": ("strings", "horn", "flute", "clarinet", "trumpet", "trombone",
                       "oboe", "bassoon", "timpani", "harp"),
    "orchestra": ("strings", "horn", "flute", "clarinet", "trumpet", "trombone",
                  "oboe", "bassoon", "timpani", "harp"),
}

_PLURALS = (("ves", "f"), ("es", ""), ("s", ""), ("i", "o"))  # oboes, horns, celli->cello
_COUNT = re.compile(r"^\s*(?:\d+|a|an|one|two|three|four|five|six|eight|solo)\s+")
_SPLIT = re.compile(r"\s*(?:,|;|\+|&|/|\band\b|\bwith\b)\s*")


def _normal(name: str) -> str:
    text = " ".join(str(name).lower().replace("-", " ").split())
    text = _COUNT.sub("", text)
    return text.strip(" .")


def _lookup(name: str) -> str | None:
    key = _normal(name)
    if key in INSTRUMENTS:
        return key
    for ending, replacement in _PLURALS:
        if key.endswith(ending) and key[: -len(ending)] + replacement in INSTRUMENTS:
            return key[: -len(ending)] + replacement
    return None


def _unknown(name: str, field: str) -> InputError:
    close = difflib.get_close_matches(_normal(name), list(INSTRUMENTS), n=5, cutoff=0.6)
    valid = (f"did you mean {', '.join(close)}?" if close else
             "an instrument or section such as " + ", ".join(
                 ("strings", "horn", "trumpet", "flute", "clarinet", "piano", "choir",
                  "percussion", "woodwinds", "full orchestra")))
    return InputError("unknown instrument", field=field, value=str(name), valid=valid)


def gm_instrument(name: str, *, field: str = "instrument") -> GMInstrument:
    """The GM sound of an instrument or section name ('horns', '2 flutes', 'Strings')."""
    key = _lookup(name)
    if key is None:
        raise _unknown(name, field)
    return INSTRUMENTS[key]


def program_for(name: str, *, field: str = "instrument") -> int:
    """The General MIDI program (0-127) of an instrument name; InputError with close
    valid names for an unknown one.  'percussion' answers 0 (the standard drum kit on
    channel 10): use :func:`gm_instrument` to know it is a drum kit."""
    return gm_instrument(name, field=field).program


def parse_instrumentation(text: str, *, field: str = "instrumentation") -> list[str]:
    """A cue's instrumentation ('strings, 4 horns and woodwinds') as instrument names, with
    ensembles expanded in order: ['strings', 'horn', 'flute', 'oboe', 'clarinet', ...]."""
    names: list[str] = []
    for item in _SPLIT.split(str(text)):
        if not _normal(item):
            continue
        key = _lookup(item)
        if key is None:
            raise _unknown(item, field)
        names.extend(ENSEMBLES.get(key, (key,)))
    if not names:
        raise InputError("no instrument named", field=field, value=str(text),
                         valid="instrument names separated by commas, e.g. 'strings, horn'")
    return names


def program_name(program: int) -> str:
    """The General MIDI name of a program number (0-127)."""
    return GM_PROGRAMS[program].name
