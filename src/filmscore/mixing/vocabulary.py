"""The mixing stage's vocabulary, declared once as data (DESIGN rule 7): the stems a cue is
mixed in and the channel layouts (the cue sheet's usages are in rights.vocabulary).

Every name here is what the dub stage and the cue-sheet services already use; add a row
here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stem:
    """A stem: its name in filmscore, the code in delivered file names (1M3_v2_STR.wav),
    and the orchestra sections (``orchestration.instruments.SECTIONS``) that go into it."""

    name: str
    code: str
    sections: tuple[str, ...]
    description: str


#: the stems of a cue, in the order a dub stage lays them out
STEMS: tuple[Stem, ...] = (
    Stem("strings", "STR", ("strings",), "violins, violas, cellos, basses"),
    Stem("woodwinds", "WW", ("woodwinds",), "flutes, oboes, clarinets, bassoons, saxophones"),
    Stem("brass", "BR", ("brass",), "horns, trumpets, trombones, tuba"),
    Stem("percussion", "PERC", ("percussion",), "timpani and percussion"),
    Stem("harp_keys", "KEYS", ("harp", "keyboards", "guitars"),
         "harp, piano, celesta, organ, guitars"),
    Stem("choir", "CHOIR", ("voices",), "choir and solo voices"),
    Stem("electronics", "ELEC", ("synths",),
         "the composer's prerecorded synths (from the mockup stems)"),
)
STEM_NAMES = tuple(s.name for s in STEMS)
STEM_BY_NAME = {s.name: s for s in STEMS}
#: the stem each orchestra section is mixed in
STEM_OF_SECTION = {section: s.name for s in STEMS for section in s.sections}
#: the code of the mix itself in file names (1M3_v2_MIX.wav)
MIX_CODE = "MIX"

#: channel layouts: (name, channel labels in file order).  5.1 is SMPTE/ITU order
#: (L R C LFE Ls Rs), the order WAVE_FORMAT_EXTENSIBLE and Pro Tools' "film" import expect
LAYOUTS: dict[str, tuple[str, ...]] = {
    "stereo": ("L", "R"),
    "5.1": ("L", "R", "C", "LFE", "Ls", "Rs"),
}

#: the crossfade at every edit of a comp unless chosen otherwise (milliseconds)
DEFAULT_CROSSFADE_MS = 20
#: the true-peak ceiling of a mix unless chosen otherwise (dBTP)
DEFAULT_CEILING_DBTP = -1.0
#: the fade curves a delivery may use (their shapes are in ``mixing.fit.FADE_SHAPES``)
FADE_SHAPE_NAMES = ("equal_power", "linear")
#: the delivery format of the dub (Broadcast WAV)
DELIVERY_SAMPLE_RATE = 48000
DELIVERY_BITS = 24
