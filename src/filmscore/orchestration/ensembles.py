"""Ensembles (chairs in score order, as data tables) and a cue's instrumentation.

A ``Chair`` is one seat of an ensemble: a wind player ("Horn 1", one player), or a whole
string or choir section ("Violin I", 14 players, divisi allowed).  It plays its
``instrument`` and may switch to its ``doubles`` (Flute 3 doubles piccolo).  ``TEMPLATES``
holds the usual film ensembles as data (DESIGN rule 7); ``ensemble_from_dict`` builds a
custom one from JSON/TOML data.  A ``CueInstrumentation`` says which chairs a cue uses,
on which instruments, how divided; everything else of the ensemble is tacet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from filmscore.errors import InputError, ValidationError
from filmscore.orchestration.instruments import Instrument, get_instrument

DIVISIBLE_SECTIONS = ("strings", "voices")
"""Sections whose multi-player chairs may divide (divisi)."""


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[._\-]+", " ", str(text)).lower().split())


def chair_key(label: str) -> str:
    """What chair labels are compared by: 'Perc.', 'perc' and 'Perc' are one chair."""
    return _norm(label)


@dataclass(frozen=True)
class Chair:
    """One seat: its label, instrument key, number within the instrument, players, doubles."""

    label: str
    instrument: str
    number: int = 1
    players: int = 1
    doubles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not str(self.label).strip():
            raise InputError("a chair needs a label", field="label", value=self.label,
                             valid="e.g. 'Horn 1', 'Violin I'")
        try:
            key = get_instrument(self.instrument).key
            doubles = tuple(get_instrument(d).key for d in self.doubles)
        except InputError as error:
            error.reason = f"chair {self.label}: {error.reason}"
            raise error.located() from None
        object.__setattr__(self, "instrument", key)
        object.__setattr__(self, "doubles", doubles)
        for name, low in (("number", 1), ("players", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise InputError(f"chair {self.label}: not a whole number of at least {low}",
                                 field=name, value=value, valid=f"an integer >= {low}")
        if key in doubles:
            raise InputError(f"chair {self.label}: doubles its own instrument", field="doubles",
                             value=key, valid="other instruments than the chair's own")

    @property
    def info(self) -> Instrument:
        """The instrument table's row of the chair's own instrument."""
        return get_instrument(self.instrument)

    @property
    def section(self) -> str:
        return self.info.section

    @property
    def instruments(self) -> tuple[str, ...]:
        """Every instrument the chair plays: its own first, then its doubles."""
        return (self.instrument, *self.doubles)

    @property
    def divisible(self) -> bool:
        """True for a string or choir section of several players (divisi allowed)."""
        return self.players > 1 and self.section in DIVISIBLE_SECTIONS


@dataclass(frozen=True)
class Ensemble:
    """A named ensemble: its chairs in score order (top of the page first)."""

    name: str
    title: str
    chairs: tuple[Chair, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "chairs", tuple(self.chairs))
        seen: dict[str, str] = {}
        for chair in self.chairs:
            key = _norm(chair.label)
            if key in seen:
                raise InputError(f"ensemble {self.name}: two chairs with one label",
                                 field="label", value=chair.label,
                                 valid="a different label for every chair")
            seen[key] = chair.label

    @property
    def player_count(self) -> int:
        return sum(c.players for c in self.chairs)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.chairs)

    def chair(self, label: str) -> Chair:
        """The chair called ``label`` (case and punctuation ignored)."""
        wanted = _norm(label)
        for chair in self.chairs:
            if _norm(chair.label) == wanted:
                return chair
        raise InputError(f"no such chair in ensemble {self.name}", field="chair",
                         value=str(label), valid=", ".join(self.labels))

    def has_chair(self, label: str) -> bool:
        return any(_norm(c.label) == _norm(label) for c in self.chairs)

    def chairs_for(self, instrument: str, *, doubles: bool = False) -> tuple[Chair, ...]:
        """Chairs whose own instrument is ``instrument`` (with ``doubles``: or a double)."""
        key = get_instrument(instrument).key
        return tuple(c for c in self.chairs
                     if c.instrument == key or (doubles and key in c.doubles))

    def chairs_in_section(self, section: str) -> tuple[Chair, ...]:
        return tuple(c for c in self.chairs if c.section == section)

    def by_section(self) -> dict[str, tuple[Chair, ...]]:
        """Chairs grouped by section, sections in the order of first appearance."""
        out: dict[str, list[Chair]] = {}
        for chair in self.chairs:
            out.setdefault(chair.section, []).append(chair)
        return {k: tuple(v) for k, v in out.items()}

    def index(self, label: str) -> int:
        """Position of the chair in score order."""
        return self.chairs.index(self.chair(label))


# --- templates, as data -------------------------------------------------------------------

# (label, instrument, players, doubles); the number is counted per instrument in order.
_ChairRow = tuple[str, str, int, tuple[str, ...]]


def _numbered(label: str, instrument: str, count: int,
              doubles_last: tuple[str, ...] = ()) -> list[_ChairRow]:
    """count chairs 'label 1'..'label N'; the last one plays ``doubles_last``."""
    return [(f"{label} {i}", instrument, 1, doubles_last if i == count else ())
            for i in range(1, count + 1)]


_STRINGS_FULL: list[_ChairRow] = [
    ("Violin I", "violin", 14, ()), ("Violin II", "violin", 12, ()),
    ("Viola", "viola", 10, ()), ("Cello", "cello", 8, ()),
    ("Double Bass", "double_bass", 6, ()),
]

_TEMPLATE_ROWS: dict[str, tuple[str, list[_ChairRow]]] = {
    "studio": ("Full studio orchestra (about 80 players)", [
        *_numbered("Flute", "flute", 3, ("piccolo",)),
        *_numbered("Oboe", "oboe", 3, ("english_horn",)),
        *_numbered("Clarinet", "clarinet_bb", 3, ("bass_clarinet",)),
        *_numbered("Bassoon", "bassoon", 3, ("contrabassoon",)),
        *_numbered("Horn", "horn", 6),
        *_numbered("Trumpet", "trumpet_bb", 3),
        *_numbered("Trombone", "trombone", 2),
        ("Bass Trombone", "bass_trombone", 1, ("trombone",)),
        ("Tuba", "tuba", 1, ()),
        ("Timpani", "timpani", 1, ()),
        ("Percussion 1", "snare_drum", 1, ("glockenspiel", "xylophone")),
        ("Percussion 2", "bass_drum", 1, ("tubular_bells", "vibraphone")),
        ("Percussion 3", "cymbals", 1, ("marimba", "glockenspiel")),
        ("Percussion 4", "xylophone", 1, ("glockenspiel", "vibraphone", "marimba")),
        ("Harp", "harp", 1, ()),
        ("Piano", "piano", 1, ("celesta",)),
        *_STRINGS_FULL,
    ]),
    "strings": ("String orchestra", list(_STRINGS_FULL)),
    "chamber": ("Chamber orchestra (about 20 players)", [
        ("Flute", "flute", 1, ("piccolo", "alto_flute")),
        ("Oboe", "oboe", 1, ("english_horn",)),
        ("Clarinet", "clarinet_bb", 1, ("bass_clarinet",)),
        ("Bassoon", "bassoon", 1, ()),
        *_numbered("Horn", "horn", 2),
        ("Trumpet", "trumpet_bb", 1, ()),
        ("Trombone", "trombone", 1, ()),
        ("Percussion", "snare_drum", 1, ("bass_drum", "cymbals", "glockenspiel")),
        ("Harp", "harp", 1, ()),
        ("Piano", "piano", 1, ("celesta",)),
        ("Violin I", "violin", 2, ()), ("Violin II", "violin", 2, ()),
        ("Viola", "viola", 2, ()), ("Cello", "cello", 2, ()),
        ("Double Bass", "double_bass", 1, ()),
    ]),
    "choir": ("Mixed choir (SATB)", [
        ("Soprano", "soprano", 8, ()), ("Alto", "alto", 8, ()),
        ("Tenor", "tenor", 8, ()), ("Bass", "bass", 8, ()),
    ]),
    "band": ("Big band with rhythm section", [
        ("Alto Sax 1", "alto_sax", 1, ("flute", "soprano_sax")),
        ("Alto Sax 2", "alto_sax", 1, ("flute", "clarinet_bb")),
        ("Tenor Sax 1", "tenor_sax", 1, ("clarinet_bb",)),
        ("Tenor Sax 2", "tenor_sax", 1, ("clarinet_bb",)),
        ("Baritone Sax", "baritone_sax", 1, ("bass_clarinet",)),
        *_numbered("Trumpet", "trumpet_bb", 4),
        *_numbered("Trombone", "trombone", 3),
        ("Bass Trombone", "bass_trombone", 1, ()),
        ("Drums", "snare_drum", 1, ("bass_drum", "cymbals")),
        ("Piano", "piano", 1, ()),
        ("Guitar", "electric_guitar", 1, ("acoustic_guitar",)),
        ("Bass", "double_bass", 1, ("electric_bass",)),
    ]),
}


def _build(name: str, title: str, rows: list[_ChairRow]) -> Ensemble:
    counts: dict[str, int] = {}
    chairs = []
    for label, inst, players, doubles in rows:
        counts[inst] = counts.get(inst, 0) + 1
        chairs.append(Chair(label, inst, counts[inst], players, doubles))
    return Ensemble(name, title, tuple(chairs))


TEMPLATES: dict[str, Ensemble] = {
    name: _build(name, title, rows) for name, (title, rows) in _TEMPLATE_ROWS.items()
}
"""The built-in ensembles by name: studio, strings, chamber, choir, band."""


def get_template(name: str) -> Ensemble:
    """The built-in ensemble called ``name``; InputError naming the valid names."""
    found = TEMPLATES.get(_norm(name).replace(" ", "_"))
    if found is None:
        raise InputError("unknown ensemble template", field="template", value=str(name),
                         valid=", ".join(TEMPLATES))
    return found


def ensemble_to_dict(ensemble: Ensemble) -> dict[str, Any]:
    return {
        "name": ensemble.name,
        "title": ensemble.title,
        "chairs": [{"label": c.label, "instrument": c.instrument, "number": c.number,
                    "players": c.players, "doubles": list(c.doubles)}
                   for c in ensemble.chairs],
    }


def ensemble_from_dict(data: Mapping[str, Any], *, source: str | None = None) -> Ensemble:
    """An ensemble from data (JSON/TOML); ``number`` defaults to the count per instrument."""
    try:
        if not isinstance(data, Mapping) or not isinstance(data.get("chairs"), list):
            raise InputError("an ensemble needs a list of chairs", field="chairs",
                             valid="{'name': ..., 'chairs': [{'label': ..., "
                                   "'instrument': ...}, ...]}")
        counts: dict[str, int] = {}
        chairs = []
        for i, row in enumerate(data["chairs"], start=1):
            if not isinstance(row, Mapping) or "label" not in row or "instrument" not in row:
                raise InputError(f"chair {i} needs a label and an instrument",
                                 field=f"chairs[{i}]", value=str(row)[:60],
                                 valid="{'label': 'Horn 1', 'instrument': 'horn'}")
            try:
                inst = get_instrument(str(row["instrument"])).key
            except InputError as error:
                error.reason = f"chair {row['label']}: {error.reason}"
                raise error.located() from None
            counts[inst] = counts.get(inst, 0) + 1
            doubles = row.get("doubles", [])
            if isinstance(doubles, str) or not isinstance(doubles, list | tuple):
                raise InputError(f"chair {row['label']}: doubles must be a list",
                                 field="doubles", value=str(doubles),
                                 valid="a list of instrument names")
            chairs.append(Chair(str(row["label"]), inst, row.get("number", counts[inst]),
                                row.get("players", 1), tuple(str(d) for d in doubles)))
        name = str(data.get("name", "custom")).strip() or "custom"
        return Ensemble(name, str(data.get("title", name)), tuple(chairs))
    except InputError as error:
        raise error.located(source=source) from None


# --- a cue's instrumentation --------------------------------------------------------------


@dataclass(frozen=True)
class ChairUse:
    """One chair in one cue: the instruments it plays there, its divisi, players used.

    ``players`` None means all the chair's players.
    """

    chair: str
    instruments: tuple[str, ...]
    divisi: int = 1
    players: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "instruments", tuple(self.instruments))

    def to_dict(self) -> dict[str, Any]:
        return {"chair": self.chair, "instruments": list(self.instruments),
                "divisi": self.divisi, "players": self.players}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChairUse:
        if not isinstance(data, Mapping) or "chair" not in data:
            raise ValidationError("a chair use needs a chair", field="uses",
                                  value=str(data)[:60], valid="{'chair': 'Horn 1', ...}")
        players = data.get("players")
        return cls(str(data["chair"]), tuple(str(i) for i in data.get("instruments", ())),
                   int(data.get("divisi", 1)), None if players is None else int(players))


@dataclass(frozen=True)
class CueInstrumentation:
    """Which chairs of an ensemble a cue uses, in score order; the others are tacet."""

    ensemble: str
    uses: tuple[ChairUse, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "uses", tuple(self.uses))

    def use(self, label: str) -> ChairUse | None:
        for item in self.uses:
            if _norm(item.chair) == _norm(label):
                return item
        return None

    def tacet(self, ensemble: Ensemble) -> tuple[Chair, ...]:
        """Chairs of ``ensemble`` this cue does not use, in score order."""
        used = {_norm(u.chair) for u in self.uses}
        return tuple(c for c in ensemble.chairs if _norm(c.label) not in used)

    def player_count(self, ensemble: Ensemble) -> int:
        return sum(u.players if u.players is not None else ensemble.chair(u.chair).players
                   for u in self.uses)

    def validate(self, ensemble: Ensemble) -> None:
        """ValidationError (one line, naming the chair and what is valid) for a bad use."""
        if _norm(self.ensemble) != _norm(ensemble.name):
            raise ValidationError("instrumentation is for another ensemble", field="ensemble",
                                  value=self.ensemble, valid=ensemble.name)
        seen: set[str] = set()
        for item in self.uses:
            if not ensemble.has_chair(item.chair):
                raise ValidationError(f"no such chair in ensemble {ensemble.name}",
                                      field="chair", value=item.chair,
                                      valid=", ".join(ensemble.labels))
            chair = ensemble.chair(item.chair)
            if chair.label in seen:
                raise ValidationError("chair listed twice", field="chair", value=chair.label,
                                      valid="each chair once")
            seen.add(chair.label)
            if not item.instruments:
                raise ValidationError(f"chair {chair.label} plays no instrument",
                                      field="instruments", valid=", ".join(chair.instruments))
            for name in item.instruments:
                try:
                    key = get_instrument(name).key
                except InputError:
                    key = None
                if key not in chair.instruments:
                    raise ValidationError(f"chair {chair.label} does not play this instrument",
                                          field="instruments", value=name,
                                          valid=", ".join(chair.instruments))
            players = chair.players if item.players is None else item.players
            if not 1 <= players <= chair.players:
                raise ValidationError(f"chair {chair.label} has {chair.players} players",
                                      field="players", value=item.players,
                                      valid=f"1 to {chair.players}")
            if not 1 <= item.divisi <= players:
                raise ValidationError(f"chair {chair.label}: divisi more than its players",
                                      field="divisi", value=item.divisi,
                                      valid=f"1 to {players}")
            if item.divisi > 1 and not chair.divisible:
                raise ValidationError(f"chair {chair.label} cannot play divisi",
                                      field="divisi", value=item.divisi,
                                      valid="1 (only string and choir sections divide)")

    def to_dict(self) -> dict[str, Any]:
        return {"ensemble": self.ensemble, "uses": [u.to_dict() for u in self.uses]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CueInstrumentation:
        if not isinstance(data, Mapping) or not isinstance(data.get("uses"), list):
            raise ValidationError("an instrumentation needs an ensemble and a list of uses",
                                  field="uses", valid="{'ensemble': 'studio', 'uses': [...]}")
        return cls(str(data.get("ensemble", "")),
                   tuple(ChairUse.from_dict(u) for u in data["uses"]))


def full_instrumentation(ensemble: Ensemble) -> CueInstrumentation:
    """Every chair on its own instrument, undivided: the tutti."""
    return CueInstrumentation(ensemble.name,
                              tuple(ChairUse(c.label, (c.instrument,)) for c in ensemble.chairs))
