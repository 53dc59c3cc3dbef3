"""Music as plain values: notes in quarter notes from bar 1, parts, and the whole piece.

The formats (MIDI through mido, MusicXML through music21) read and write these; the
writing stage (themes, transformations, theme search, mockups) computes on them.  Time is
exact: onsets and durations are Fractions of a quarter note, counted from bar 1 beat 1
(a pickup has negative onsets); seconds come from a tempo map.

Expression is part of the music: a note carries its articulations (``ARTICULATIONS``), a
part its marks (``Mark``: dynamics, hairpins, slurs and playing techniques, vocabulary in
``MARK_KINDS``, ``DYNAMICS`` and ``TECHNIQUES``).  The MIDI velocity of a note is what
a performance (or a MIDI file) gives; the marks are what a copyist writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.sync.tempomap import Meter, TempoMap

#: Dynamic marks, soft to loud, with the MIDI velocity each plays at (MuseScore's
#: values; sf, sfz, fp and the like are accents of one note: their velocity is the attack).
DYNAMICS: dict[str, int] = {
    "pppp": 10, "ppp": 16, "pp": 33, "p": 49, "mp": 64, "mf": 80, "f": 96, "ff": 112,
    "fff": 126, "ffff": 127, "sf": 112, "sfz": 112, "sffz": 126, "sfp": 112, "fp": 96,
    "fz": 112, "rf": 96, "rfz": 96,
}
#: Articulations a note can carry (MusicXML <articulations> names, and "tremolo": an
#: unmeasured tremolo, three slashes through the stem).
ARTICULATIONS: tuple[str, ...] = (
    "accent", "strong-accent", "staccato", "staccatissimo", "tenuto", "detached-legato",
    "spiccato", "stress", "unstress", "tremolo",
)
#: Playing techniques, as the text a copyist writes; each holds until the next.
TECHNIQUES: tuple[str, ...] = ("pizz.", "arco", "con sord.", "senza sord.", "trem.", "ord.")
#: What a Mark can be: a dynamic at ``onset``; a hairpin or slur from ``onset`` to ``end``;
#: a technique from ``onset`` on.
MARK_KINDS: tuple[str, ...] = ("dynamic", "crescendo", "diminuendo", "slur", "technique")


@dataclass(frozen=True, order=True)
class Note:
    """One note: onset and duration in quarter notes, MIDI pitch (60 = middle C), MIDI
    velocity, and its articulations (names of ``ARTICULATIONS``)."""

    onset: Fraction
    duration: Fraction
    pitch: int
    velocity: int = 80
    articulations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "onset", Fraction(self.onset))
        object.__setattr__(self, "duration", Fraction(self.duration))
        if self.duration <= 0:
            raise InputError("a note needs a length", field="duration",
                             value=str(self.duration), valid="more than 0 quarter notes")
        if not 0 <= self.pitch <= 127:
            raise InputError("pitch out of MIDI range", field="pitch", value=str(self.pitch),
                             valid="0 to 127 (60 is middle C)")
        if not 1 <= self.velocity <= 127:
            raise InputError("velocity out of range", field="velocity",
                             value=str(self.velocity), valid="1 to 127")
        object.__setattr__(self, "articulations", tuple(self.articulations))
        for name in self.articulations:
            if name not in ARTICULATIONS:
                raise InputError("not an articulation", field="articulation", value=name,
                                 valid=", ".join(ARTICULATIONS))

    @property
    def end(self) -> Fraction:
        return self.onset + self.duration


@dataclass(frozen=True, order=True)
class Mark:
    """An expression mark of a part: a ``dynamic`` (``value`` a key of ``DYNAMICS``) or a
    ``technique`` (``value`` one of ``TECHNIQUES``) at ``onset``; a ``crescendo`` or
    ``diminuendo`` hairpin, or a ``slur``, from ``onset`` to ``end`` (quarters from bar 1;
    a slur runs from the note starting at ``onset`` to the note starting at ``end``)."""

    onset: Fraction
    kind: str
    value: str = ""
    end: Fraction | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "onset", Fraction(self.onset))
        if self.end is not None:
            object.__setattr__(self, "end", Fraction(self.end))
        if self.kind not in MARK_KINDS:
            raise InputError("not a kind of mark", field="mark", value=self.kind,
                             valid=", ".join(MARK_KINDS))
        if self.kind == "dynamic" and self.value not in DYNAMICS:
            raise InputError("not a dynamic", field="dynamic", value=self.value,
                             valid=", ".join(DYNAMICS))
        if self.kind == "technique" and self.value not in TECHNIQUES:
            raise InputError("not a playing technique", field="technique", value=self.value,
                             valid=", ".join(TECHNIQUES))
        spans = self.kind in ("crescendo", "diminuendo", "slur")
        if spans and (self.end is None or self.end <= self.onset):
            raise InputError(f"a {self.kind} needs an end after its start", field="mark",
                             value=f"{self.onset} to {self.end}",
                             valid="an end later than the start, in quarters")
        if not spans and self.end is not None:
            raise InputError(f"a {self.kind} has no end", field="mark", value=str(self.end),
                             valid="no end (it holds until the next)")


@dataclass(frozen=True)
class Part:
    """One instrument's line (or a section's): its notes in time order."""

    name: str
    notes: tuple[Note, ...]
    program: int = 0  # General MIDI program, 0-127 (0 = acoustic grand piano)
    is_drum: bool = False  # General MIDI percussion (channel 10)
    instrument: str = ""  # our instrument name when known ("horn", "violin")
    marks: tuple[Mark, ...] = ()  # dynamics, hairpins, slurs, techniques, in time order

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", tuple(sorted(self.notes)))
        object.__setattr__(self, "marks", tuple(sorted(self.marks)))
        if not 0 <= self.program <= 127:
            raise InputError("General MIDI program out of range", field="program",
                             value=str(self.program), valid="0 to 127")

    @property
    def end(self) -> Fraction:
        return max((n.end for n in self.notes), default=Fraction(0))

    def dynamic_at(self, onset: Fraction) -> str | None:
        """The dynamic in force at ``onset`` (the last dynamic mark at or before it)."""
        found = None
        for mark in self.marks:
            if mark.onset > onset:
                break
            if mark.kind == "dynamic":
                found = mark.value
        return found

    def technique_at(self, onset: Fraction) -> str | None:
        """The playing technique in force at ``onset``, if any was marked."""
        found = None
        for mark in self.marks:
            if mark.onset > onset:
                break
            if mark.kind == "technique":
                found = mark.value
        return found


@dataclass(frozen=True)
class Music:
    """A piece of music (a cue's version, a theme): parts, meter, and optionally tempos."""

    parts: tuple[Part, ...]
    meter: Meter = field(default_factory=Meter)
    tempo_map: TempoMap | None = None  # when the music carries its own tempos
    title: str = ""
    key: str = ""  # e.g. "C major", "d minor" (music21's spelling), when known

    @property
    def end(self) -> Fraction:
        return max((p.end for p in self.parts), default=Fraction(0))

    @property
    def note_count(self) -> int:
        return sum(len(p.notes) for p in self.parts)

    def notes(self) -> Iterable[tuple[Part, Note]]:
        for part in self.parts:
            for note in part.notes:
                yield part, note

    def with_parts(self, parts: Iterable[Part]) -> Music:
        return replace(self, parts=tuple(parts))


def require_notes(music: Music, *, source: str) -> Music:
    """Refuse music without a single note (an empty file, a wrong track)."""
    if music.note_count == 0:
        raise InputError("the file has no notes", source=source,
                         valid="a MIDI or MusicXML file with at least one note")
    return music


def music_to_dict(music: Music) -> dict:
    """Music as JSON-ready data, exactly (fractions as strings)."""
    return {
        "title": music.title,
        "key": music.key,
        "meter": str(music.meter),
        "tempo_map": music.tempo_map.to_dict() if music.tempo_map is not None else None,
        "parts": [
            {"name": p.name, "program": p.program, "is_drum": p.is_drum,
             "instrument": p.instrument,
             "notes": [[str(n.onset), str(n.duration), n.pitch, n.velocity,
                        *([list(n.articulations)] if n.articulations else [])]
                       for n in p.notes],
             **({"marks": [[str(m.onset), m.kind, m.value,
                            None if m.end is None else str(m.end)] for m in p.marks]}
                if p.marks else {})}
            for p in music.parts
        ],
    }


def music_from_dict(data: dict) -> Music:
    from filmscore.sync.tempomap import parse_meter

    tempo = data.get("tempo_map")
    return Music(
        parts=tuple(
            Part(name=p["name"], program=int(p.get("program", 0)),
                 is_drum=bool(p.get("is_drum", False)), instrument=p.get("instrument", ""),
                 notes=tuple(Note(Fraction(n[0]), Fraction(n[1]), int(n[2]), int(n[3]),
                                  tuple(n[4]) if len(n) > 4 else ())
                             for n in p["notes"]),
                 marks=tuple(Mark(Fraction(o), kind, value,
                                  None if end is None else Fraction(end))
                             for o, kind, value, end in p.get("marks", ())))
            for p in data["parts"]
        ),
        meter=parse_meter(data.get("meter", "4/4")),
        tempo_map=TempoMap.from_dict(tempo) if tempo else None,
        title=data.get("title", ""),
        key=data.get("key", ""),
    )
