"""Melodic lines as plain arrays: one top line per part, and a skyline across the parts.

Theme search reads music as monophonic lines.  A part's line keeps the highest note of
each onset (a chord or divisi becomes its top note).  The skyline across the parts keeps,
at each onset, the highest starting note, and drops a note that sounds under a higher
note still held: it follows a melody handed from one part to another, as long as the
melody is the top voice.  Each note remembers the part it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from filmscore.writing.music import Music, Part

SKYLINE = "top line"


@dataclass(frozen=True)
class Line:
    """One monophonic line: exact onsets and durations, and float/int arrays of the same."""

    name: str  # the part's name, or SKYLINE
    onsets: tuple[Fraction, ...]
    durations: tuple[Fraction, ...]
    onset: np.ndarray  # float64 quarter notes
    duration: np.ndarray  # float64 quarter notes
    pitch: np.ndarray  # int16 MIDI pitches
    source: np.ndarray  # int16: index of the part each note comes from

    def __len__(self) -> int:
        return len(self.onsets)


def _line(name: str, rows: list[tuple[Fraction, Fraction, int, int]]) -> Line:
    return Line(
        name=name,
        onsets=tuple(r[0] for r in rows),
        durations=tuple(r[1] for r in rows),
        onset=np.array([float(r[0]) for r in rows], dtype=np.float64),
        duration=np.array([float(r[1]) for r in rows], dtype=np.float64),
        pitch=np.array([r[2] for r in rows], dtype=np.int16),
        source=np.array([r[3] for r in rows], dtype=np.int16),
    )


def part_line(part: Part, index: int = 0, name: str | None = None) -> Line:
    """The top note of each onset of one part."""
    top: dict[Fraction, tuple[Fraction, Fraction, int, int]] = {}
    for note in part.notes:
        best = top.get(note.onset)
        if best is None or note.pitch > best[2]:
            top[note.onset] = (note.onset, note.duration, note.pitch, index)
    return _line(name if name is not None else part.name, [top[k] for k in sorted(top)])


def skyline(music: Music, name: str = SKYLINE) -> Line:
    """The highest line across all pitched parts (drum parts left out)."""
    starts: dict[Fraction, tuple[Fraction, Fraction, int, int]] = {}
    for index, part in enumerate(music.parts):
        if part.is_drum:
            continue
        for note in part.notes:
            best = starts.get(note.onset)
            if best is None or note.pitch > best[2]:
                starts[note.onset] = (note.onset, note.duration, note.pitch, index)
    kept: list[tuple[Fraction, Fraction, int, int]] = []
    held: tuple[Fraction, int] | None = None  # (end, pitch) of the highest note still held
    for onset in sorted(starts):
        row = starts[onset]
        if held is not None and held[0] > onset and held[1] > row[2]:
            continue  # under a higher note still sounding
        kept.append(row)
        held = (row[0] + row[1], row[2])
    return _line(name, kept)


def part_names(music: Music) -> list[str]:
    """Each part's name, made unique ("Violin", "Violin (2)"); unnamed parts numbered."""
    names = []
    seen: dict[str, int] = {}
    for index, part in enumerate(music.parts):
        name = part.name or f"part {index + 1}"
        seen[name] = seen.get(name, 0) + 1
        names.append(f"{name} ({seen[name]})" if seen[name] > 1 else name)
    return names


def music_lines(music: Music, *, with_skyline: bool = True) -> list[Line]:
    """A line per pitched part (named as by ``part_names``), plus the skyline."""
    names = part_names(music)
    lines = [part_line(part, index, names[index]) for index, part in enumerate(music.parts)
             if part.notes and not part.is_drum]
    if with_skyline and len(lines) > 1:
        lines.append(skyline(music))
    return lines


def theme_line(theme: Music) -> Line:
    """A theme as one line: its only part's top notes, or the skyline of its parts."""
    parts = [p for p in theme.parts if p.notes and not p.is_drum]
    if len(parts) == 1:
        return part_line(parts[0])
    return skyline(theme)
