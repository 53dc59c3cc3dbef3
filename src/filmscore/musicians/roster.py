"""The roster as plain values: a musician, the instruments they play (their own first, then
their doubles, all from the instrument table), union and contact; and the checks a
booking makes of them (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from filmscore.errors import InputError, ValidationError
from filmscore.orchestration.instruments import get_instrument

#: what a booked musician is in a session
ROLES = ("player", "orchestra manager", "leader")


def instrument_word(key: str) -> str:
    """An instrument as a word in a sentence: 'flute', 'english horn', 'clarinet in b♭'."""
    return get_instrument(key).name.lower()


def instruments_text(keys: Iterable[str]) -> str:
    """'flute, piccolo' (or 'nothing')."""
    words = [instrument_word(k) for k in keys]
    return ", ".join(words) if words else "nothing"


def instrument_keys(names: Iterable[str], *, field: str = "instruments",
                    who: str = "") -> tuple[str, ...]:
    """Instrument names (keys, names, usual aliases) as keys, each once, in order."""
    out: list[str] = []
    for name in names:
        if not str(name).strip():
            continue
        try:
            key = get_instrument(str(name).strip()).key
        except InputError as error:
            raise InputError(f"{who}unknown instrument" if who else "unknown instrument",
                             field=field, value=str(name).strip(), valid=error.valid) from None
        if key not in out:
            out.append(key)
    return tuple(out)


@dataclass(frozen=True)
class MusicianSpec:
    """A player on the roster as plain values (instruments are keys, own instrument first)."""

    name: str
    instruments: tuple[str, ...]
    union: str = ""
    contact: str = ""
    notes: str = ""
    id: int | None = None

    @property
    def label(self) -> str:
        return f"musician {self.name!r}"

    @property
    def own(self) -> str:
        return self.instruments[0]

    @property
    def doubles(self) -> tuple[str, ...]:
        return self.instruments[1:]

    def plays(self, instrument: str) -> bool:
        return get_instrument(instrument).key in self.instruments


def make_musician(name: str, instruments: Iterable[str], *, union: str = "",
                  contact: str = "", notes: str = "") -> MusicianSpec:
    """A checked MusicianSpec: a name, and at least one instrument of the table."""
    name = " ".join(str(name).split())
    if not name:
        raise InputError("a musician needs a name", field="name", value=name,
                         valid="e.g. 'Ann Lee'")
    keys = instrument_keys(instruments, who=f"musician {name!r}: ")
    if not keys:
        raise InputError(f"musician {name!r} plays no instrument", field="instruments",
                         valid="one or more instruments, own first: 'flute; piccolo'")
    return MusicianSpec(name, keys, str(union).strip(), str(contact).strip(),
                        str(notes).strip())


def check_plays(musician: MusicianSpec, instruments: Iterable[str]) -> tuple[str, ...]:
    """The keys of ``instruments``; ValidationError when the musician does not play one:
    "musician 'Ann Lee' does not play oboe; plays: flute, piccolo"."""
    keys = instrument_keys(instruments)
    for key in keys:
        if key not in musician.instruments:
            raise ValidationError(
                f"musician {musician.name!r} does not play {instrument_word(key)}; plays: "
                f"{instruments_text(musician.instruments)}")
    return keys


def check_role(role: str) -> str:
    role = " ".join(str(role).lower().split())
    if role not in ROLES:
        raise InputError("unknown role", field="role", value=role, valid=", ".join(ROLES))
    return role


def check_unique_names(specs: Iterable[MusicianSpec]) -> None:
    seen: set[str] = set()
    for spec in specs:
        key = spec.name.casefold()
        if key in seen:
            raise ValidationError("a musician listed twice", field="name", value=spec.name,
                                  valid="each name once")
        seen.add(key)
