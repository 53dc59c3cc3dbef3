"""The short score's vocabulary, as data: staff names to groups, groups to chairs per
ensemble template, General MIDI drum keys to chairs; and explicit doublings resolved.

``STAFF_NAMES`` maps a staff's normalised name ("Melody", "Brass", "Low") to a group;
``GROUP_CHAIRS`` gives, per template ("*" for any), the chairs that take a group, high to
low, as instrument selectors ("trumpet", "horn:1").  Code reads these tables; nothing else
hard-codes which instruments play what.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from filmscore.errors import InputError
from filmscore.orchestration.ensembles import Chair, Ensemble
from filmscore.orchestration.instruments import get_instrument

# --- vocabulary, as data -----------------------------------------------------------------

GROUPS: tuple[str, ...] = (
    "melody", "countermelody", "low", "percussion", "brass", "horns", "woodwinds",
    "high_strings", "strings", "harmony", "choir",
)
"""Staff groups, in the order their staves claim chairs."""

STAFF_NAMES: dict[str, str] = {
    "melody": "melody", "tune": "melody", "lead": "melody", "theme": "melody",
    "solo": "melody", "top line": "melody",
    "countermelody": "countermelody", "counter melody": "countermelody",
    "counter": "countermelody", "counterline": "countermelody",
    "harmony": "harmony", "chords": "harmony", "pad": "harmony", "pads": "harmony",
    "accompaniment": "harmony", "comp": "harmony",
    "strings": "strings", "string": "strings", "string section": "strings",
    "high strings": "high_strings", "violins": "high_strings",
    "brass": "brass", "horns": "horns", "horn": "horns",
    "woodwinds": "woodwinds", "woodwind": "woodwinds", "winds": "woodwinds", "wind": "woodwinds",
    "low": "low", "bass": "low", "basses": "low", "bass line": "low", "bassline": "low",
    "low strings": "low", "low brass": "low",
    "percussion": "percussion", "perc": "percussion", "drums": "percussion",
    "drum": "percussion", "kit": "percussion",
    "choir": "choir", "voices": "choir", "chorus": "choir", "vocals": "choir",
}  # fmt: skip
"""Normalised staff name -> group (lower case, no parentheses, no trailing number)."""

# Chair selectors: an instrument key (every chair whose own instrument it is) or key:N
# (that instrument's chair number N).  Listed high to low; "*" serves every ensemble
# whose name has no entry of its own; chairs an ensemble lacks are skipped.
GROUP_CHAIRS: dict[str, dict[str, tuple[str, ...]]] = {
    "*": {
        "melody": ("violin:1", "oboe:1"),
        "countermelody": ("horn:1", "horn:2", "cello"),
        "harmony": ("violin:2", "viola", "cello"),
        "strings": ("violin:1", "violin:2", "viola", "cello", "double_bass"),
        "high_strings": ("violin:1", "violin:2"),
        "brass": ("trumpet_bb", "trumpet_c", "horn", "trombone", "bass_trombone", "tuba"),
        "horns": ("horn",),
        "woodwinds": ("piccolo", "flute", "oboe", "clarinet_bb", "clarinet_a", "bassoon"),
        "low": ("cello", "double_bass", "bassoon:1", "bassoon:2", "bass_trombone", "tuba"),
        "percussion": ("snare_drum", "bass_drum", "cymbals"),
        "choir": ("soprano", "alto", "tenor", "bass"),
    },
    "chamber": {
        "melody": ("violin:1", "oboe"),
        "countermelody": ("horn:1", "cello"),
        "brass": ("trumpet_bb", "horn", "trombone"),
        "low": ("cello", "double_bass", "bassoon"),
    },
    "choir": {
        "melody": ("soprano",), "countermelody": ("alto",),
        "harmony": ("soprano", "alto", "tenor", "bass"), "low": ("bass",),
    },
    "band": {
        "melody": ("alto_sax:1", "trumpet_bb:1"),
        "countermelody": ("tenor_sax:1", "trombone:1"),
        "harmony": ("piano", "electric_guitar"),
        "brass": ("trumpet_bb", "trombone", "bass_trombone"),
        "woodwinds": ("alto_sax", "tenor_sax", "baritone_sax"),
        "low": ("double_bass", "baritone_sax", "bass_trombone"),
    },
}

# General MIDI drum keys -> (what it is, the instrument key of the table that plays it,
# True when that instrument is the thing itself, False when it stands in for it).
DRUM_KEYS: dict[int, tuple[str, str, bool]] = {
    **{k: ("bass drum", "bass_drum", True) for k in (35, 36)},
    **{k: ("snare drum", "snare_drum", True) for k in (37, 38, 40)},
    39: ("hand clap", "snare_drum", False),
    **{k: ("tom-tom", "snare_drum", False) for k in (41, 43, 45, 47, 48, 50)},
    **{k: ("hi-hat (suspended cymbal in orchestra)", "cymbals", False) for k in (42, 44, 46)},
    **{k: ("crash cymbal", "cymbals", True) for k in (49, 52, 55, 57)},
    **{k: ("suspended cymbal", "cymbals", True) for k in (51, 53, 59)},
    54: ("tambourine", "snare_drum", False),
    56: ("cowbell", "snare_drum", False),
    **{k: ("triangle", "cymbals", False) for k in (80, 81)},
    **{k: ("wood block", "snare_drum", False) for k in (76, 77)},
}  # fmt: skip
OTHER_DRUM = ("small percussion", "snare_drum", False)

MAX_DIVISI = 4  # a section divides at most this far

KINDS = ("quantize", "dynamics", "missing", "colour", "reduction", "lead", "distribute",
         "divisi", "double", "unison", "tuning", "balance", "technique", "octave", "reassign",
         "dropped", "shortened", "professional_range", "doubling_used", "resting", "tacet")
"""Kinds of decision, in the order a day's listing shows those of one onset and chair."""

# --- helpers -------------------------------------------------------------------------------


def normalise_staff_name(name: str) -> str:
    text = re.sub(r"\(.*?\)", " ", str(name).lower())
    text = re.sub(r"[^a-z0-9]+", " ", text).split()
    while len(text) > 1 and re.fullmatch(r"\d+|[ivx]+", text[-1]):
        text.pop()
    return " ".join(text)


def staff_group(name: str, overrides: Mapping[str, str] | None = None) -> str:
    """The group of a staff called ``name`` (``overrides``: staff name -> group first)."""
    for staff, group in (overrides or {}).items():
        if normalise_staff_name(staff) == normalise_staff_name(name):
            if group not in GROUPS:
                raise InputError(f"staff {name}: unknown group", field="staff_groups",
                                 value=group, valid=", ".join(GROUPS))
            return group
    found = STAFF_NAMES.get(normalise_staff_name(name))
    if found is None:
        key = _instrument_key(name)
        if key is not None:  # a staff named for an instrument: that instrument's chairs
            return INSTRUMENT_GROUP + key
        raise InputError(f"staff {name}: unknown staff name", field="staff", value=name,
                         valid=", ".join(sorted(STAFF_NAMES)) + ", or an instrument's name"
                         " (or map the staff to a group: --group 'STAFF=GROUP')")
    return found


INSTRUMENT_GROUP = "instrument:"
"""Prefix of the group of a staff named for an instrument ("Oboe", "Horns 1-4")."""


def _instrument_key(name: str) -> str | None:
    plain = normalise_staff_name(name)
    for text in (name, plain, plain[:-1] if plain.endswith("s") else plain):  # "Oboes"
        try:
            return get_instrument(text).key
        except InputError:
            continue
    return None


def group_rank(group: str) -> int:
    """Order in which staves claim chairs: instrument staves first, then GROUPS' order."""
    return -1 if group.startswith(INSTRUMENT_GROUP) else GROUPS.index(group)


def select_chairs(ensemble: Ensemble, selector: str) -> list[Chair]:
    inst, _, number = selector.partition(":")
    key = get_instrument(inst).key
    return [c for c in ensemble.chairs
            if c.instrument == key and (not number or c.number == int(number))]


def group_chairs(ensemble: Ensemble, group: str) -> tuple[Chair, ...]:
    """Chairs of ``ensemble`` that take ``group``, high to low (GROUP_CHAIRS); for a staff
    named for an instrument, the chairs of that instrument (else those doubling on it)."""
    if group.startswith(INSTRUMENT_GROUP):
        key = group[len(INSTRUMENT_GROUP):]
        return ensemble.chairs_for(key) or ensemble.chairs_for(key, doubles=True)
    table = GROUP_CHAIRS.get(ensemble.name, {})
    selectors = table.get(group, GROUP_CHAIRS["*"].get(group, ()))
    out: list[Chair] = []
    for selector in selectors:
        out += [c for c in select_chairs(ensemble, selector) if c not in out]
    return tuple(out)


def resolve_doublings(ensemble: Ensemble, staves: Sequence[tuple[str, str]],
                      doublings: Mapping[str, Sequence[tuple[str, int]]] | None,
                      ) -> list[tuple[str, Chair, str, int]]:
    """(staff name, chair, instrument key, semitones) for every doubling asked for
    (``staves``: (staff name, group)); refused with the valid staves, chairs, intervals."""
    explicit = doublings is not None
    table = doublings if explicit else {}
    out: list[tuple[str, Chair, str, int]] = []
    used: set[str] = set()
    for target, items in (table or {}).items():
        wanted = normalise_staff_name(target)
        sources = [p for p, g in staves if normalise_staff_name(p) == wanted] or \
                  [p for p, g in staves if g == target]
        if not sources:
            if explicit:
                raise InputError("doubling of a staff or group the short score lacks",
                                 field="doublings", value=target,
                                 valid=", ".join([p for p, _ in staves] +
                                                 sorted({g for _, g in staves})))
            continue
        for spec in items:
            name, semitones = spec
            if isinstance(semitones, bool) or not isinstance(semitones, int) \
                    or semitones % 12 or abs(semitones) > 24:
                raise InputError("a doubling is at the unison or one or two octaves",
                                 field="doublings", value=str(semitones),
                                 valid="0, 12, -12, 24, -24")
            chair, inst = doubling_chair(ensemble, str(name), used)
            used.add(chair.label)
            out += [(src, chair, inst, semitones) for src in sources[:1]]
    return out


def doubling_chair(ensemble: Ensemble, name: str, used: set[str]) -> tuple[Chair, str]:
    if ensemble.has_chair(name):
        chair = ensemble.chair(name)
        return chair, chair.instrument
    try:
        chairs = select_chairs(ensemble, name)
        key = get_instrument(name.partition(":")[0]).key
    except (InputError, ValueError):
        raise InputError(f"doubling: no such chair or instrument in ensemble {ensemble.name}",
                         field="doublings", value=name,
                         valid=", ".join(ensemble.labels)) from None
    chairs = chairs or list(ensemble.chairs_for(key, doubles=True))
    if not chairs:
        raise InputError(f"doubling: no chair of ensemble {ensemble.name} plays it",
                         field="doublings", value=name, valid=", ".join(ensemble.labels))
    chair = next((c for c in chairs if c.label not in used), chairs[0])
    return chair, key
