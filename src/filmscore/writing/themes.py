"""Themes and motifs: a named melody that stands for a character, place or idea.

A theme's music is one line, the melody.  Given music with several parts (or chords), the
melody is its *skyline*: at each onset the highest-sounding note of any part, which is
what a listener hears as the tune in most textures (it can pick an accompaniment note
where the melody rests, so give a theme its melody alone when you can).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.writing.music import Music, Note, Part

THEME_KINDS = ("theme", "motif")
MIN_THEME_NOTES = 3


def melody_line(music: Music, *, name: str = "melody") -> Music:
    """The highest-sounding note at each onset, across all parts, as one-part Music."""
    top: dict[Fraction, Note] = {}
    program = 0
    for _part, note in music.notes():
        held = top.get(note.onset)
        if held is None or note.pitch > held.pitch:
            top[note.onset] = note
    if len(music.parts) == 1:
        name = music.parts[0].name or name
        program = music.parts[0].program
    return music.with_parts([Part(name=name, notes=tuple(top.values()), program=program)])


@dataclass(frozen=True)
class Theme:
    """A theme or motif: a name, what it stands for, and its melody as one-part Music.

    ``parent`` names the theme this one was made from and ``transformation`` says how
    (a description from :mod:`filmscore.writing.transform`).
    """

    name: str
    stands_for: str
    kind: str
    music: Music
    parent: str | None = None
    transformation: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError("a theme needs a name", field="name", value=self.name,
                             valid="a name such as 'Hero' or 'Ring motif'")
        if self.kind not in THEME_KINDS:
            raise InputError("unknown kind of theme", field="kind", value=str(self.kind),
                             valid=", ".join(THEME_KINDS))
        music = self.music
        if len(music.parts) != 1 or _has_chords(music.parts[0]):
            music = melody_line(music)
        if music.note_count < MIN_THEME_NOTES:
            raise InputError("a theme needs at least three notes", field="music",
                             value=f"{music.note_count} notes",
                             valid=f"{MIN_THEME_NOTES} or more notes")
        object.__setattr__(self, "music", music)
        object.__setattr__(self, "name", self.name.strip())

    @property
    def melody(self) -> tuple[Note, ...]:
        return self.music.parts[0].notes

    def derived(self, name: str, music: Music, transformation: str, **changes) -> Theme:
        """A new theme made from this one (``parent`` set to this theme's name)."""
        return replace(self, name=name, music=music, parent=self.name,
                       transformation=transformation, **changes)


def _has_chords(part: Part) -> bool:
    onsets = [n.onset for n in part.notes]
    return len(set(onsets)) != len(onsets)


def _line(theme: Theme | Music) -> tuple[Note, ...]:
    if isinstance(theme, Theme):
        return theme.melody
    music = theme
    if len(music.parts) != 1 or _has_chords(music.parts[0]):
        music = melody_line(music)
    return music.parts[0].notes if music.parts else ()


def theme_intervals(theme: Theme | Music) -> tuple[int, ...]:
    """Semitones from each melody note to the next (C D E -> (2, 2))."""
    notes = _line(theme)
    return tuple(b.pitch - a.pitch for a, b in zip(notes, notes[1:], strict=False))


def theme_contour(theme: Theme | Music) -> tuple[int, ...]:
    """Direction of each step: 1 up, -1 down, 0 repeated (C D D C -> (1, 0, -1))."""
    return tuple((i > 0) - (i < 0) for i in theme_intervals(theme))


def theme_rhythm(theme: Theme | Music) -> tuple[Fraction, ...]:
    """Inter-onset intervals in quarter notes (quarter, eighth, eighth -> (1, 1/2))."""
    notes = _line(theme)
    return tuple(b.onset - a.onset for a, b in zip(notes, notes[1:], strict=False))


__all__ = ["THEME_KINDS", "Theme", "melody_line", "theme_intervals", "theme_contour",
           "theme_rhythm"]
