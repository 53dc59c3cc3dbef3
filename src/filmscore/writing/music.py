"""Music as plain values: notes in quarter notes from bar 1, parts, and the whole piece.

The formats (MIDI through mido, MusicXML through music21) read and write these; the
writing stage (themes, transformations, theme search, mockups) computes on them.  Time is
exact: onsets and durations are Fractions of a quarter note, counted from bar 1 beat 1
(a pickup has negative onsets); seconds come from a tempo map.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.sync.tempomap import Meter, TempoMap


@dataclass(frozen=True, order=True)
class Note:
    """One note: onset and duration in quarter notes, MIDI pitch (60 = middle C)."""

    onset: Fraction
    duration: Fraction
    pitch: int
    velocity: int = 80

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

    @property
    def end(self) -> Fraction:
        return self.onset + self.duration


@dataclass(frozen=True)
class Part:
    """One instrument's line (or a section's): its notes in time order."""

    name: str
    notes: tuple[Note, ...]
    program: int = 0  # General MIDI program, 0-127 (0 = acoustic grand piano)
    is_drum: bool = False  # General MIDI percussion (channel 10)
    instrument: str = ""  # our instrument name when known ("horn", "violin")

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", tuple(sorted(self.notes)))
        if not 0 <= self.program <= 127:
            raise InputError("General MIDI program out of range", field="program",
                             value=str(self.program), valid="0 to 127")

    @property
    def end(self) -> Fraction:
        return max((n.end for n in self.notes), default=Fraction(0))


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
             "notes": [[str(n.onset), str(n.duration), n.pitch, n.velocity] for n in p.notes]}
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
                 notes=tuple(Note(Fraction(o), Fraction(d), int(pitch), int(v))
                             for o, d, pitch, v in p["notes"]))
            for p in data["parts"]
        ),
        meter=parse_meter(data.get("meter", "4/4")),
        tempo_map=TempoMap.from_dict(tempo) if tempo else None,
        title=data.get("title", ""),
        key=data.get("key", ""),
    )
