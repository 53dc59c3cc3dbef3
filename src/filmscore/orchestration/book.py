"""The orchestration books' rules, as data: who doubles what by register, how a section
voices a chord, what a named instrument does, how doubled lines are balanced.

Sources: Rimsky-Korsakov, *Principles of Orchestration* (ch. II-III: the violins carry the
tune, the flute an octave above them, oboe or clarinet in unison in the middle register;
bassoons with the cellos; horns sustaining the harmony; "each group complete in itself");
Adler, *The Study of Orchestration* (horns in pairs, 1 and 3 high, 2 and 4 low, so a
four-part chord reads 1-3-2-4 from the top; timpani on tonic and dominant; the tuba and
contrabassoon with the basses).  Code reads these tables; nothing else decides who plays.

A short-score staff has a *role* (``ROLES``: melody, countermelody, harmony, low,
percussion); ``BOOK`` gives, per role, the layers an orchestra puts on it.  A layer names
its chairs (selectors as in ``groups.GROUP_CHAIRS``: "violin:1", "horn"), how they play the
staff (``HOWS``), the instrument whose placement anchors its octave (``ref``) and the
interval from it (``offset``), the family that must be free to play (``FAMILY``), whether
it is a doubling (off with ``doublings={}``), and its balance in dynamic steps.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: dict[str, str] = {
    "melody": "melody", "countermelody": "countermelody", "harmony": "harmony",
    "low": "low", "percussion": "percussion",
}
"""Staff groups (groups.GROUPS) that are roles of a short score, arranged by the book."""

HOWS = ("line", "bass", "voice", "harmonize", "chord", "timpani", "arpeggio", "runs")
"""line: the staff's top line; bass: its bottom line; voice: one voice of the section's
chord (one tone a chair, top chair first); harmonize: a voice in block harmony under the
section's line; chord: every tone (a keyboard or the harp); timpani: tonic or dominant at
the hits; arpeggio: a rising arpeggio into each hit (a harp's glissando); runs: a scale run
into each hit."""


@dataclass(frozen=True)
class BookLayer:
    """One layer of the book: chairs, how they play the staff, where (octave), why."""

    selectors: tuple[str, ...]
    how: str
    family: str
    ref: str = ""
    offset: int = 0
    double: bool = False
    balance: int = 0
    why: str = ""
    choose: bool = False  # per phrase, the first chair whose middle register holds it (or none)


_L = BookLayer
HORN_ORDER = ("horn:1", "horn:3", "horn:2", "horn:4")
"""Four horns in close harmony, top to bottom: the high pair 1 and 3 above, the low 2 and 4."""

BOOK: dict[str, dict[str, tuple[BookLayer, ...]]] = {
    "*": {
        "melody": (
            _L(("violin:1",), "line", "strings", "violin", why="the violins carry the tune"),
            _L(("flute:1",), "line", "woodwinds", "violin", 12, True,
               why="flute an octave above the violins"),
            _L(("oboe:1", "clarinet_bb:1"), "line", "woodwinds", "violin", 0, True,
               choose=True, why="oboe (or, where the line lies below the oboe's middle "
                                "register, clarinet) in unison with the violins"),
        ),
        "countermelody": (
            _L(("viola",), "line", "strings", "viola", why="the countermelody in the violas"),
            _L(("horn:1",), "line", "horns", "horn", double=True,
               why="the first horn with the violas' countermelody"),
        ),
        "harmony": (
            _L(("violin:1", "violin:2", "viola"), "voice", "strings", "viola", balance=-1,
               why="the upper strings hold the harmony"),
            _L(HORN_ORDER, "voice", "horns", "horn", double=True, balance=-1,
               why="horns sustain the harmony, 1 and 3 high, 2 and 4 low"),
        ),
        "low": (
            _L(("cello",), "bass", "strings", "cello", why="the cellos on the bass line"),
            _L(("double_bass",), "bass", "strings", "cello", -12,
               why="the basses an octave below the cellos"),
            _L(("bassoon:1",), "bass", "woodwinds", "cello", 0, True,
               why="bassoon with the cellos"),
            _L(("bassoon:2",), "bass", "woodwinds", "cello", -12, True,
               why="second bassoon with the basses, an octave below the first"),
            _L(("tuba",), "bass", "tuba", "cello", -12, True, why="tuba with the basses"),
            _L(("timpani",), "timpani", "timpani",
               why="timpani on the tonic and dominant at the hits"),
        ),
    },
    "choir": {
        "melody": (_L(("soprano",), "line", "voices", "soprano", why="sopranos on the tune"),),
        "countermelody": (_L(("alto",), "line", "voices", "alto"),),
        "harmony": (_L(("soprano", "alto", "tenor", "bass"), "voice", "voices", "alto"),),
        "low": (_L(("bass",), "bass", "voices", "bass"),),
    },
    "band": {
        "melody": (
            _L(("alto_sax:1",), "line", "saxes", "alto_sax", why="lead alto on the tune"),
            _L(("trumpet_bb:1",), "line", "trumpets", "alto_sax", 12, True,
               why="lead trumpet an octave above the alto"),
        ),
        "countermelody": (_L(("tenor_sax:1",), "line", "saxes", "tenor_sax"),
                          _L(("trombone:1",), "line", "trombones", "trombone")),
        "harmony": (_L(("piano",), "chord", "rhythm", "piano"),
                    _L(("trombone:2", "trombone:3", "bass_trombone"), "voice", "trombones",
                       "trombone", balance=-1)),
        "low": (_L(("double_bass",), "bass", "rhythm", "double_bass"),
                _L(("baritone_sax",), "bass", "saxes", "double_bass", 12, True)),
    },
}
"""Per template name ("*" for any other), per role, the layers of the book."""

FAMILY: dict[str, str] = {
    "piccolo": "woodwinds", "flute": "woodwinds", "alto_flute": "woodwinds",
    "oboe": "woodwinds", "english_horn": "woodwinds", "clarinet_bb": "woodwinds",
    "clarinet_a": "woodwinds", "bass_clarinet": "woodwinds", "bassoon": "woodwinds",
    "contrabassoon": "woodwinds", "horn": "horns", "trumpet_bb": "trumpets",
    "trumpet_c": "trumpets", "trombone": "trombones", "bass_trombone": "trombones",
    "tuba": "tuba", "timpani": "timpani", "violin": "strings", "viola": "strings",
    "cello": "strings", "double_bass": "strings", "harp": "harp", "piano": "keyboards",
    "celesta": "keyboards", "xylophone": "mallets", "glockenspiel": "mallets",
    "vibraphone": "mallets", "marimba": "mallets", "tubular_bells": "mallets",
    "snare_drum": "percussion", "bass_drum": "percussion", "cymbals": "percussion",
    "soprano": "voices", "alto": "voices", "tenor": "voices", "bass": "voices",
    "alto_sax": "saxes", "tenor_sax": "saxes", "baritone_sax": "saxes",
    "soprano_sax": "saxes", "electric_guitar": "rhythm", "acoustic_guitar": "rhythm",
    "electric_bass": "rhythm", "synth_pad": "keyboards",
}  # fmt: skip
"""Instrument key -> the family the brief's scale makes available (or not)."""

SCALE_FAMILIES: dict[str, tuple[str, ...]] = {
    "full": ("strings", "woodwinds", "horns", "timpani", "voices", "saxes", "rhythm"),
    "chamber": ("strings", "woodwinds", "horns", "voices", "saxes", "rhythm"),
    "strings": ("strings",),
    "": (),
}
"""Families free to play without being named: "full orchestra" makes the tutti available
(the book's doublings, horns on the harmony, timpani at the hits), not every chair; trumpets,
trombones, tuba, harp, keyboards and mallets play when the notes name them."""

NO_BRIEF_SCALE = "full"
"""A short score orchestrated without a cue's notes is treated as for the full orchestra."""

CHAMBER_CHAIRS: dict[str, int] = {"horn": 2}
"""In a chamber-orchestra cue every wind instrument has one chair, except these."""
CHAMBER_STRINGS: dict[str, int] = {"Violin I": 4, "Violin II": 4, "Viola": 3, "Cello": 3,
                                   "Double Bass": 2}
"""Players of the string sections in a chamber-orchestra cue (the rest sit out)."""

# --- what a named instrument does -------------------------------------------------------------

TUTTI_LEADS: tuple[str, ...] = ("trumpet_bb", "trumpet_c", "horn", "violin")
"""Named leads the book's melody doublings (violins, flute an octave up, oboe) may join: a
tutti tune.  A low lead (trombones, tuba) or a solo colour (bassoon, piccolo, xylophone)
keeps the tune to itself."""

FAMILY_LEADS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("trumpet_bb", "horn", "trombone", "bass_trombone", "tuba"): ("trumpet_bb",),
    ("trombone", "bass_trombone", "tuba"): ("trombone",),
    ("trombone", "bass_trombone"): ("trombone",),
    ("violin", "viola", "cello", "double_bass"): ("violin",),
    ("cello", "double_bass"): ("cello", "double_bass"),
    ("flute", "oboe", "clarinet_bb", "bassoon"): ("flute", "oboe", "clarinet_bb"),
}
"""A family named as the lead ("brass lead"): the instruments that take the tune; the
others of the family do their usual job (``USUAL``)."""

LEAD: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, int]] = {
    # instrument: (chairs on the line, chairs harmonizing below it, ref, offset)
    "trumpet_bb": (("trumpet_bb:1",), ("trumpet_bb:2", "trumpet_bb:3"), "", 0),
    "trumpet_c": (("trumpet_c:1",), ("trumpet_c:2", "trumpet_c:3"), "", 0),
    "horn": (("horn:1", "horn:3"), (), "", 0),
    "trombone": (("trombone:1",), ("trombone:2", "bass_trombone"), "", 0),
    "bass_trombone": (("bass_trombone",), (), "", 0),
    "tuba": (("tuba",), (), "", 0),
    "contrabassoon": (("contrabassoon",), (), "", 0),
    "bassoon": (("bassoon:1",), (), "", 0),
    "piccolo": (("piccolo",), (), "", 0),
    "flute": (("flute:1",), ("flute:2",), "violin", 12),
    "oboe": (("oboe:1",), ("oboe:2",), "violin", 0),
    "clarinet_bb": (("clarinet_bb:1",), ("clarinet_bb:2", "clarinet_bb:3"), "violin", 0),
    "violin": (("violin:1",), (), "violin", 0),
    "viola": (("viola",), (), "viola", 0),
    "cello": (("cello",), (), "cello", 0),
    "double_bass": (("double_bass",), (), "cello", -12),
    "xylophone": (("xylophone",), (), "violin", 12),
    "glockenspiel": (("glockenspiel",), (), "violin", 24),
    "celesta": (("celesta",), (), "violin", 12),
    "harp": (("harp",), (), "violin", 0),
    "piano": (("piano",), (), "violin", 0),
}  # fmt: skip
"""A named instrument on the tune: its first chair on the line (the horns a2: 1 and 3),
the next chairs in block harmony under it (trumpets split by register)."""

USUAL: dict[str, str] = {
    "horn": "harmony", "trumpet_bb": "harmony", "trombone": "harmony",
    "bass_trombone": "low", "tuba": "low", "bassoon": "low", "contrabassoon": "low",
    "violin": "melody", "viola": "harmony", "cello": "low", "double_bass": "low",
    "flute": "melody", "oboe": "melody", "clarinet_bb": "melody", "piccolo": "melody",
    "xylophone": "melody", "glockenspiel": "melody", "celesta": "colour", "piano": "colour",
    "harp": "figure:arpeggio", "timpani": "timpani", "snare_drum": "percussion",
    "bass_drum": "percussion", "cymbals": "percussion", "vibraphone": "harmony",
    "marimba": "melody", "tubular_bells": "melody",
}  # fmt: skip
"""What a named instrument does when the notes give it no role: its usual job."""

HARMONY: dict[str, tuple[tuple[str, ...], str, int]] = {
    # instrument: (chairs top to bottom, ref, offset)
    "horn": (HORN_ORDER, "horn", 0),
    "trumpet_bb": (("trumpet_bb:1", "trumpet_bb:2", "trumpet_bb:3"), "trumpet_bb", 0),
    "trombone": (("trombone:1", "trombone:2", "bass_trombone"), "horn", -12),
    "flute": (("flute:1", "flute:2", "flute:3"), "viola", 12),
    "oboe": (("oboe:1", "oboe:2", "oboe:3"), "viola", 0),
    "clarinet_bb": (("clarinet_bb:1", "clarinet_bb:2", "clarinet_bb:3"), "viola", -12),
    "violin": (("violin:2", "viola"), "viola", 0),
    "viola": (("viola",), "viola", 0),
    "vibraphone": (("vibraphone",), "viola", 0),
}  # fmt: skip
"""A named instrument on the harmony: its chairs in voice order and where the chord sits
(trombones an octave below the horns: the families in octaves, not unisons)."""

SECTION_OF: dict[str, str] = {"bass_trombone": "trombone", "trumpet_c": "trumpet_bb",
                              "clarinet_a": "clarinet_bb"}
"""Instruments that sit in another's section on a staff named for a group (the bass
trombone with the trombones); any other instrument is a section of its own."""

STACK_BELOW: dict[str, str] = {"trombone": "horn", "horn": "trumpet_bb"}
"""A section that continues the chord downward below another's voicing at each chord
(the trombones under the horns: the brass stacked, each tone once, no unisons)."""

BASS: dict[str, tuple[tuple[str, str, int], ...]] = {
    # instrument: (chair, ref, offset) per chair on the bass line
    "tuba": (("tuba", "cello", -12),),
    "bassoon": (("bassoon:1", "cello", 0), ("bassoon:2", "cello", -12)),
    "contrabassoon": (("contrabassoon", "cello", -12),),
    "trombone": (("trombone:1", "cello", 0),),
    "bass_trombone": (("bass_trombone", "cello", -12),),
    "cello": (("cello", "cello", 0),),
    "double_bass": (("double_bass", "cello", -12),),
}
"""A named instrument on the bass line (an oom-pah, an ostinato)."""

FIGURE_CHAIRS: dict[str, tuple[tuple[str, int], ...]] = {
    # figure: (chair, semitones below the top of the run) per chair
    "runs": (("flute:1", 0), ("flute:2", -4), ("clarinet_bb:1", -12), ("clarinet_bb:2", -16)),
    "arpeggio": (("harp", 0),),
}
"""The chairs of a written figure: woodwind runs in thirds and octaves; the harp alone."""

# --- balance ------------------------------------------------------------------------------------

BALANCE: dict[str, int] = {
    "lead": 1,  # a solo line one step up
    "under_singer": -1,  # the tune under a vocal line one step down
    "pad": -1,  # a pad (held harmony) one step down: already in the book's harmony layers
    "brass_doubling_strings": -1,  # brass one step softer than the strings they double
    "reduction": -1,  # what plays on under a source cue, one step down
}
"""Dynamic steps (DYNAMICS order, pppp..ffff) added to the staff's marks, by reason."""
BRASS_FAMILIES = ("horns", "trumpets", "trombones", "tuba")
