"""Note strings (music21 tinyNotation): parsing, errors naming the token, round trip."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.errors import InputError
from filmscore.formats.notestring import format_notestring, parse_notestring
from filmscore.sync.tempomap import Meter
from filmscore.writing.music import Music, Note, Part

F = Fraction


def _triples(music: Music) -> list[tuple[Fraction, Fraction, int]]:
    return [(n.onset, n.duration, n.pitch) for n in music.parts[0].notes]


def test_notestring_parses_the_field_example() -> None:
    music = parse_notestring("4/4 c4 d8 e f g4 a b c'1")
    assert music.meter == Meter(4, 4)
    assert _triples(music) == [(0, 1, 60), (1, F(1, 2), 62), (F(3, 2), F(1, 2), 64),
                               (2, F(1, 2), 65), (F(5, 2), 1, 67), (F(7, 2), 1, 69),
                               (F(9, 2), 1, 71), (F(11, 2), 4, 72)]


def test_notestring_ties_rests_tuplets_octaves() -> None:
    music = parse_notestring("3/4 trip{c8 d e} CC4~ CC8 r8 e-4. c''16 f#2.")
    assert _triples(music) == [(0, F(1, 3), 60), (F(1, 3), F(1, 3), 62), (F(2, 3), F(1, 3), 64),
                               (1, F(3, 2), 36), (3, F(3, 2), 63), (F(9, 2), F(1, 4), 84),
                               (F(19, 4), 3, 66)]


@pytest.mark.parametrize(("text", "token"), [("c4 zz8 e", "zz8"), ("<c e g>4", "<c"),
                                              ("c4 d7", "d7"), ("c4 }", "}")])
def test_notestring_bad_token_is_named(text: str, token: str) -> None:
    with pytest.raises(InputError, match=f"field notes: .*got '{token}'"):
        parse_notestring(text)


def test_notestring_empty_or_rests_only() -> None:
    with pytest.raises(InputError, match="no notes"):
        parse_notestring("  ")
    with pytest.raises(InputError, match="only rests"):
        parse_notestring("4/4 r4 r2", field="theme")


def test_notestring_round_trip() -> None:
    for text in ("4/4 c4 d8 e f g4 a b c'1", "3/4 trip{c8 d e} CC4~ CC8 r8 e-4. c''16 f#2.",
                 "6/8 g8 a b c'4. r4. B4."):
        music = parse_notestring(text)
        assert parse_notestring(format_notestring(music)) == music
    odd = Music(parts=(Part("m", (Note(1, F(5, 4), 61), Note(F(9, 4), 3, 70))),), meter=Meter(3, 4))
    text = format_notestring(odd)
    assert text == "3/4 r4 c#4~ c#16 b-2."  # 5/4 quarter written as a tie
    assert _triples(parse_notestring(text)) == _triples(odd)


def test_notestring_format_refuses_chords_and_parts() -> None:
    chord = Music(parts=(Part("m", (Note(0, 1, 60), Note(0, 1, 64))),))
    with pytest.raises(InputError, match="notes overlap"):
        format_notestring(chord)
    with pytest.raises(InputError, match="one part"):
        format_notestring(Music(parts=(Part("a", ()), Part("b", ()))))
    with pytest.raises(InputError, match="cannot write.*1/5"):
        format_notestring(Music(parts=(Part("m", (Note(0, F(1, 5), 60),)),)))  # quintuplet
