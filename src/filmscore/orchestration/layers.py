"""The values of an orchestration's plan: a chair's job (``Layer``), a technique asked of
instruments (``Modifier``), and the plan itself (``Plan``), made by ``arrange.plan``."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from filmscore.orchestration.brief import Span
from filmscore.orchestration.instruments import get_instrument


@dataclass(frozen=True)
class Layer:
    """One chair's job: how it plays which staff, in which octave, where, how loud, why."""

    chair: str
    instrument: str
    staff: str
    how: str  # book.HOWS, or "drums"
    index: int = 0  # voice index (voice, harmonize)
    section: tuple[str, ...] = ()  # voice: the section's chairs top first; harmonize: lead first
    ref: str = ""  # instrument whose placement anchors the octave ("" the staff as written)
    offset: int = 0  # semitones from the ref's placement (or from the staff, when fixed)
    level: str = ""  # "high": the top of the register
    spans: tuple[Span, ...] | None = None  # None: the whole cue
    balance: int = 0  # dynamic steps
    balance_why: str = ""
    kind: str = "distribute"  # the decision kind of this job
    why: str = ""
    priority: int = 0  # a job in spans beats a whole-cue job of the same chair there
    choose: tuple[str, ...] = ()  # per phrase, the first of these chairs whose register holds it
    fixed: bool = False  # the offset is from the staff as written (an explicit doubling)
    lead: bool = False  # timpani: the bass line's tonics and dominants too
    below: str = ""  # voice: continue the chord downward below this instrument's section
    from_bottom: bool = False  # voice: a section with fewer chairs than tones takes the lowest

    @property
    def polyphonic(self) -> bool:
        return get_instrument(self.instrument).section in ("keyboards", "harp")


@dataclass(frozen=True)
class Modifier:
    """A technique the notes ask of instruments wherever they play inside spans."""

    instruments: tuple[str, ...]
    spans: tuple[Span, ...] | None
    articulation: str = ""
    technique: str = ""
    slurred: bool = False
    words: str = ""


@dataclass
class Plan:
    layers: list[Layer] = field(default_factory=list)
    modifiers: list[Modifier] = field(default_factory=list)
    events: list[tuple[str, Fraction, str, str, str]] = field(default_factory=list)
    players: dict[str, int] = field(default_factory=dict)  # chair -> players (chamber)
    plays: dict[str, str] = field(default_factory=dict)  # chair -> instrument key
    derived: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    reduction: tuple[Fraction, tuple[str, ...]] | None = None
    tune: list[Span] = field(default_factory=list)  # spans where a subject's colour has the tune

    def event(self, kind: str, chair: str, staff: str, text: str,
              onset: Fraction = Fraction(0)) -> None:
        self.events.append((kind, onset, chair, staff, text))
