"""Themes: validation, melody of several parts, intervals, contour and rhythm."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.errors import InputError
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.themes import (
    Theme,
    melody_line,
    theme_contour,
    theme_intervals,
    theme_rhythm,
)

F = Fraction


def _line(*pairs: tuple[Fraction | int, int], length: Fraction | None = None) -> Music:
    length = F(1, 2) if length is None else length
    return Music(parts=(Part("melody", tuple(Note(o, length, p) for o, p in pairs)),))


def test_theme_helpers_on_a_simple_line() -> None:
    theme = Theme("Hero", "the hero", "theme", _line((0, 60), (1, 62), (F(3, 2), 62), (2, 59)))
    assert theme_intervals(theme) == (2, 0, -3)
    assert theme_contour(theme) == (1, 0, -1)
    assert theme_rhythm(theme) == (F(1), F(1, 2), F(1, 2))
    assert theme.parent is None and theme.transformation == ""


def test_theme_needs_three_notes_and_a_known_kind() -> None:
    with pytest.raises(InputError, match="a theme needs at least three notes.*got '2 notes'"):
        Theme("Hero", "the hero", "theme", _line((0, 60), (1, 62)))
    with pytest.raises(InputError, match="field kind: unknown kind.*theme, motif"):
        Theme("Hero", "the hero", "leitmotif", _line((0, 60), (1, 62), (2, 64)))
    with pytest.raises(InputError, match="field name"):
        Theme("  ", "x", "motif", _line((0, 60), (1, 62), (2, 64)))


def test_theme_of_several_parts_takes_the_highest_line() -> None:
    upper = Part("violins", (Note(0, 1, 72), Note(2, 1, 74)))
    lower = Part("cellos", (Note(0, 1, 48), Note(1, 1, 50), Note(2, 1, 52)))
    theme = Theme("Love", "the couple", "motif", Music(parts=(upper, lower)))
    assert len(theme.music.parts) == 1
    assert [n.pitch for n in theme.melody] == [72, 50, 74]  # the cellos fill the gap
    chords = Music(parts=(Part("piano", (Note(0, 1, 60), Note(0, 1, 67), Note(1, 1, 65),
                                          Note(2, 1, 64))),))
    assert [n.pitch for n in melody_line(chords).parts[0].notes] == [67, 65, 64]


def test_theme_derived_records_parent_and_transformation() -> None:
    hero = Theme("Hero", "the hero", "theme", _line((0, 60), (1, 62), (2, 64)))
    dark = hero.derived("Hero (dark)", _line((0, 60), (1, 62), (2, 63)), "mode changed")
    assert dark.parent == "Hero" and dark.transformation == "mode changed"
    assert theme_intervals(dark.music) == (2, 1)
