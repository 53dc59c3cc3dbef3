"""The piano solo reduction: playable hands, the melody on top, the bass kept, at concert
pitch, engraved and checked."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import pytest

from edition_helpers import TUNE, write_score
from filmscore.album.piano import (
    HAND_NOTES,
    HAND_SPAN,
    find_melody,
    piano_music,
    pitched_parts,
    reduce_score,
    simplify_repeats,
)
from filmscore.engraving.check import check_musicxml
from filmscore.engraving.engrave import EngraveJob, engrave
from filmscore.errors import InputError
from filmscore.formats.musicxml import read_music
from filmscore.formats.musicxml_editions import piano_document
from filmscore.orchestration.copying import Header
from filmscore.writing.music import Music, Note, Part

F = Fraction


@pytest.fixture(scope="module")
def score(tmp_path_factory):
    """The test score as the orchestration stage stores it (clarinet written in B-flat),
    read back at concert pitch."""
    path = write_score(tmp_path_factory.mktemp("score") / "cue.musicxml")
    return read_music(path, unpitched=True)


def _chords(notes):
    by_onset = defaultdict(list)
    for n in notes:
        by_onset[n.onset].append(n)
    return by_onset


def test_hands_are_playable(score):
    red = reduce_score(score)
    for hand in (red.right, red.left):
        for onset, chord in _chords(hand).items():
            pitches = [n.pitch for n in chord]
            assert len(pitches) <= HAND_NOTES, (onset, pitches)
            assert max(pitches) - min(pitches) <= HAND_SPAN, (onset, pitches)
            assert len({n.duration for n in chord}) == 1  # one chord at a time in a hand
        # no note of a hand starts while another of its notes still sounds
        ends = {}
        for n in sorted(hand):
            for t, end in ends.items():
                assert not (t < n.onset < end), (t, n)
            ends[n.onset] = max(ends.get(n.onset, n.onset), n.end)
    # the hands do not cross: the left hand sits below the right at every moment
    for n in red.left:
        over = [r.pitch for r in red.right if r.onset < n.end and r.end > n.onset]
        assert not over or n.pitch < min(over)


def test_melody_on_top_at_concert_pitch(score):
    red = reduce_score(score)
    assert [r[2] for r in red.melody_parts] == ["Flute 1"]
    right = _chords(red.right)
    for t, _d, pitch in TUNE:  # the flute's written notes are the tune as it sounds
        assert max(n.pitch for n in right[F(t)]) == pitch, t


def test_bass_kept_in_left_hand(score):
    red = reduce_score(score)
    left = _chords(red.left)
    cello = next(p for p in score.parts if p.name == "Cello")
    for note in cello.notes:  # the double bass doubles it an octave below
        assert min(n.pitch for n in left[note.onset]) % 12 == note.pitch % 12, note.onset
    assert all(28 <= n.pitch <= 55 for n in red.bass)
    # inner voices thinned: the chord's third is there under the long notes
    bar3 = [n.pitch % 12 for n in red.right + red.left if n.onset == 4]
    assert 9 in bar3  # F/A: the A (the third) kept, in the bass
    # the drum part is no pitch source: no D (its snare drum key 38) in the C chord
    assert not any(n.pitch % 12 == 2 for n in red.right + red.left if n.onset < 2)
    assert "Percussion 1" not in [p.name for p in pitched_parts(score)]


def test_transposing_instrument_read_at_concert_pitch(score):
    clarinet = next(p for p in score.parts if p.name == "Clarinet 1")
    assert {n.pitch for n in clarinet.notes if n.onset == 0} == {67, 72}


def test_fast_repeated_notes_and_tremolo_simplified():
    line = [Note(F(k, 4), F(1, 4), 72) for k in range(8)]
    line += [Note(F(2), F(2), 74, articulations=("tremolo",))]
    out, notes = simplify_repeats(line, what="melody", bar=F(4))
    assert out == [Note(F(0), F(2), 72), Note(F(2), F(2), 74)]
    assert notes == ["bar 1: 8 repeated notes of the melody written as one held note",
                     "bar 1: the melody's tremolo written as held notes"]
    # eighths are left as written
    eighths = [Note(F(k, 2), F(1, 2), 72) for k in range(4)]
    assert simplify_repeats(eighths, what="bass", bar=F(4)) == (eighths, [])


def test_melody_octaves_and_named_part():
    high = Part("Piccolo", tuple(Note(F(t), F(1), 98 + t % 2) for t in range(4)))
    low = Part("Cello", tuple(Note(F(t), F(4), 36) for t in range(0, 4, 4)))
    music = Music(parts=(high, low))
    melody, runs, notes = find_melody(music)
    assert [n.pitch for n in melody] == [74, 75, 74, 75]  # below A5 on average
    assert runs == [(1, 1, "Piccolo")]
    assert notes == ["bar 1: the melody (Piccolo) 2 octaves lower than it sounds"]
    melody, runs, _ = find_melody(music, part="cello")
    assert runs == [(1, 1, "Cello")]
    with pytest.raises(InputError, match="no such part in the full score.*Oboe"):
        find_melody(music, part="Oboe")


def test_percussion_only_is_refused():
    drums = Music(parts=(Part("Percussion 1", (Note(F(0), F(1), 38),), is_drum=True),))
    with pytest.raises(InputError, match="no pitched part"):
        reduce_score(drums)


def test_engraved_and_checked(score, tmp_path):
    red = reduce_score(score)
    data = piano_document(piano_music(score, red),
                          Header("Test Film", "1M1", "Main Title", composer="A. Composer"))
    text = data.decode()
    assert "<staves>2</staves>" in text and "<part-name>Piano</part-name>" in text
    assert text.count("<part ") == 1
    assert text.count("<dynamics ") == 2 and "<mf/>" in text and "<f/>" in text
    pdf = tmp_path / "1M1 piano.pdf"
    engrave([EngraveJob(data, pdf, "part")], workers=1)
    assert pdf.stat().st_size > 1000
    report = check_musicxml(data)
    assert report.ok, report.summary()


def test_right_hand_holds_the_chord_where_the_tune_rests_a_bar():
    tune = Part("Violin I", (Note(F(0), F(1), 76), Note(F(1), F(1), 79), Note(F(2), F(2), 77)))
    pad = Part("Viola", (Note(F(0), F(8), 64), Note(F(0), F(8), 67)))
    cello = Part("Cello", (Note(F(0), F(4), 48), Note(F(4), F(4), 48)))
    red = reduce_score(Music(parts=(tune, pad, cello)), prefer=["Violin I"])
    bar2 = sorted(n.pitch for n in red.right if n.onset == 4)
    assert bar2 == [64, 67]  # E and G over the cello's C, above middle C
    assert red.notes == ("bar 2: the right hand holds the chord where the tune rests",)
    assert max(n.pitch for n in red.right if n.onset == 2) == 77  # the tune still on top
