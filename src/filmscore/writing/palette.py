"""The sketch's instruments, chosen from a cue's instrumentation text (vocabulary as data).

``choose_instruments(text)`` gives the melody, pad and bass instruments: the instrument
named in the clause holding "lead" takes the melody, pad and bass take the first entry of
their tables found in the text.  An instrument carries its General MIDI program and
range, and how it is played when that is part of its name: ``technique`` "pizz." for
pizzicato strings, ``articulation`` "tremolo" (unmeasured tremolo) for string tremolo.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# --- instruments, as data -----------------------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    name: str
    program: int  # General MIDI
    low: int  # MIDI range
    high: int
    technique: str = ""  # a playing technique written at its first note ("pizz.")
    articulation: str = ""  # an articulation of its sustained notes ("tremolo")


INSTRUMENTS: dict[str, Instrument] = {i.name: i for i in (
    Instrument("trumpet", 56, 55, 82),
    Instrument("trombone", 57, 40, 72),
    Instrument("bass trombone", 57, 34, 65),
    Instrument("horn", 60, 41, 77),
    Instrument("tuba", 58, 28, 58),
    Instrument("bassoon", 70, 34, 75),
    Instrument("contrabassoon", 70, 22, 53),
    Instrument("piccolo", 72, 74, 108),
    Instrument("flute", 73, 60, 96),
    Instrument("clarinet", 71, 50, 91),
    Instrument("woodwinds", 71, 50, 91),
    Instrument("xylophone", 13, 65, 108),
    Instrument("celesta", 8, 60, 108),
    Instrument("music box", 10, 60, 96),
    Instrument("voice", 53, 40, 67),
    Instrument("violins", 40, 55, 100),
    Instrument("strings", 48, 43, 88),
    Instrument("strings tremolo", 44, 43, 88, articulation="tremolo"),
    Instrument("strings pizzicato", 45, 43, 88, technique="pizz."),
    Instrument("concertina", 21, 53, 93),
    Instrument("harp", 46, 24, 103),
    Instrument("contrabass", 43, 28, 55),
    Instrument("contrabass pizzicato", 45, 28, 55, technique="pizz."),
)}

#: Words in the instrumentation text -> instrument, per role.  The melody is the
#: instrument mentioned first in the clause holding "lead" (else in the whole text);
#: pad and bass take the first entry of their table found in the text.
MELODY_WORDS: tuple[tuple[str, str], ...] = (
    ("low brass", "trombone"), ("muted trombone", "trombone"), ("trombone", "trombone"),
    ("trumpet", "trumpet"), ("horn", "horn"), ("brass", "trumpet"), ("tuba", "tuba"),
    ("contrabassoon", "contrabassoon"), ("bassoon", "bassoon"), ("piccolo", "piccolo"),
    ("clarinet", "clarinet"), ("woodwind", "clarinet"), ("flute", "flute"),
    ("xylophone", "xylophone"), ("vocal", "voice"), ("music box", "music box"),
    ("celeste", "celesta"), ("strings", "violins"),
)
PAD_WORDS: tuple[tuple[str, str], ...] = (
    ("string tremolo", "strings tremolo"), ("tremolo", "strings tremolo"),
    ("concertina", "concertina"), ("pizzicato strings", "strings pizzicato"),
    ("strings", "strings"), ("string pedal", "strings"), ("music box", "music box"),
    ("celeste", "celesta"), ("harp", "harp"), ("woodwind", "woodwinds"),
)
BASS_WORDS: tuple[tuple[str, str], ...] = (
    ("tuba", "tuba"), ("contrabassoon", "contrabassoon"), ("low strings", "contrabass"),
    ("pizzicato", "contrabass pizzicato"), ("bassoon", "bassoon"),
    ("low brass", "bass trombone"), ("celeste", "celesta"), ("music box", "celesta"),
)
DEFAULTS = {"melody": "violins", "pad": "strings", "bass": "contrabass"}
PERCUSSION_WORDS = ("timpani", "bass drum", "cymbal", "snare")

#: General MIDI drum notes for each strength of hit; "light" for small (non-orchestral)
#: ensembles such as a music box.
HIT_SOUNDS: dict[str, dict[str, tuple[int, ...]]] = {
    "orchestra": {"big": (49, 36, 41), "hit": (36, 38), "soft": (51,), "button": (49, 36)},
    "light": {"big": (81, 76), "hit": (81,), "soft": (80,), "button": (81, 76)},
}

# --- instruments from the text ---------------------------------------------------------------


def _earliest(text: str, table: Sequence[tuple[str, str]]) -> str | None:
    found = [(text.find(word), -len(word), name) for word, name in table if word in text]
    return min(found)[2] if found else None


def _first(text: str, table: Sequence[tuple[str, str]], avoid: str) -> str | None:
    return next((name for word, name in table if word in text and name != avoid), None)


def choose_instruments(instrumentation: str) -> dict[str, Instrument]:
    """Melody, pad and bass instruments for a cue's instrumentation text."""
    text = " ".join(instrumentation.lower().split())
    lead = next((c for c in re.split(r"[,;]", text) if re.search(r"\blead\b", c)), "")
    melody = _earliest(lead, MELODY_WORDS) or _earliest(text, MELODY_WORDS) \
        or DEFAULTS["melody"]
    pad = _first(text, PAD_WORDS, melody) or DEFAULTS["pad"]
    bass = _first(text, BASS_WORDS, melody) or DEFAULTS["bass"]
    return {"melody": INSTRUMENTS[melody], "pad": INSTRUMENTS[pad], "bass": INSTRUMENTS[bass]}
