"""Theme transformations, each against a hand-checked example."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.errors import InputError
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.transform import (
    TRANSFORMATIONS,
    apply_transformation,
    augment,
    change_meter,
    change_mode,
    change_tempo,
    diminish,
    fragment,
    invert,
    invert_diatonic,
    retrograde,
    revoice,
    transpose,
)

F = Fraction
C_MAJOR = (60, 62, 64, 65, 67, 69, 71, 72)


def _line(pitches, durations=None) -> Music:
    durations = durations or [F(1)] * len(pitches)
    notes, at = [], F(0)
    for pitch, length in zip(pitches, durations, strict=True):
        notes.append(Note(at, length, pitch))
        at += length
    return Music(parts=(Part("melody", tuple(notes)),))


def _pitches(music: Music) -> list[int]:
    return [n.pitch for n in music.parts[0].notes]


def _times(music: Music) -> list[tuple[Fraction, Fraction]]:
    return [(n.onset, n.duration) for n in music.parts[0].notes]


def test_transform_transpose_up_and_out_of_range() -> None:
    music, text = transpose(_line([60, 62, 64]), 3)
    assert _pitches(music) == [63, 65, 67] and text == "transposed up 3 semitones"
    with pytest.raises(InputError, match="MIDI range.*G9 -> MIDI 128"):
        transpose(_line([127]), 1)


def test_transform_change_mode_major_to_minor_and_modes() -> None:
    music, text = change_mode(_line(C_MAJOR), "C major", "minor")
    assert _pitches(music) == [60, 62, 63, 65, 67, 68, 70, 72]  # C D Eb F G Ab Bb C
    assert text == "mode changed from C major to C minor" and music.key == "C minor"
    assert _pitches(change_mode(_line(C_MAJOR), "C major", "dorian").music) == \
        [60, 62, 63, 65, 67, 69, 70, 72]
    assert _pitches(change_mode(_line(C_MAJOR), "C major", "lydian").music)[3] == 66
    # back from D minor to D major: F -> F#, Bb -> B, C -> C#
    assert _pitches(change_mode(_line([62, 65, 70, 72]), "d minor", "major").music) == \
        [62, 66, 71, 73]
    # chromatic notes keep their distance above the degree below: F# (F+1) -> F#, D# -> D
    assert _pitches(change_mode(_line([66, 63]), "C major", "phrygian").music) == [66, 62]
    with pytest.raises(InputError, match="field to_mode: unknown mode.*dorian"):
        change_mode(_line(C_MAJOR), "C major", "bebop")
    with pytest.raises(InputError, match="field from_key: not a key"):
        change_mode(_line(C_MAJOR), "H major", "minor")


def test_transform_invert_chromatic_and_diatonic() -> None:
    music, text = invert(_line([60, 62, 64]))
    assert _pitches(music) == [60, 58, 56] and text == "inverted around C4"  # C Bb Ab
    assert _pitches(invert(_line([60, 62, 64]), axis_pitch=62).music) == [64, 62, 60]
    music, text = invert_diatonic(_line([60, 62, 64, 65]), "C major")
    assert _pitches(music) == [60, 59, 57, 55]  # C B A G
    assert text == "inverted diatonically in C major around C4"
    # E F G in C major around E -> E D C
    assert _pitches(invert_diatonic(_line([64, 65, 67]), "C major").music) == [64, 62, 60]


def test_transform_retrograde_reverses_rhythm() -> None:
    music, text = retrograde(_line([60, 62, 64], [F(1), F(1, 2), F(1, 2)]))  # q e e
    assert _pitches(music) == [64, 62, 60]
    assert _times(music) == [(0, F(1, 2)), (F(1, 2), F(1, 2)), (1, 1)]  # e e q
    assert text == "retrograde"


def test_transform_augment_and_diminish() -> None:
    line = _line([60, 62, 64], [F(1), F(1, 2), F(1, 2)])
    music, text = augment(line)
    assert _times(music) == [(0, 2), (2, 1), (3, 1)] and text == "augmented by 2"
    assert _times(augment(line, "3/2").music) == [(0, F(3, 2)), (F(3, 2), F(3, 4)),
                                                   (F(9, 4), F(3, 4))]
    music, text = diminish(line)
    assert _times(music) == [(0, F(1, 2)), (F(1, 2), F(1, 4)), (F(3, 4), F(1, 4))]
    with pytest.raises(InputError, match="field factor: not a positive number"):
        augment(line, 0)


def test_transform_fragment_first_and_last() -> None:
    music, text = fragment(_line(C_MAJOR), first=3)
    assert _pitches(music) == [60, 62, 64] and text == "fragment: the first 3 notes"
    music, _ = fragment(_line(C_MAJOR), last=2)
    assert _pitches(music) == [71, 72] and _times(music)[0][0] == 6  # stays where it was
    with pytest.raises(InputError, match="1 to 8 notes"):
        fragment(_line(C_MAJOR), first=9)
    with pytest.raises(InputError, match="either first or last"):
        fragment(_line(C_MAJOR))


def test_transform_change_meter_rebar_and_remap() -> None:
    line = _line([60, 62, 64, 65, 67])  # five quarters in 4/4
    music, text = change_meter(line, "3/4")
    assert music.meter == Meter(3, 4) and _times(music) == _times(line)
    assert text == "re-barred from 4/4 to 3/4"
    music, _ = change_meter(line, Meter(3, 4), rhythmic_remap=True)
    # beat k of a 4/4 bar -> quarter 3k/4 of a 3/4 bar; bar 2 starts at 3
    assert _times(music) == [(0, F(3, 4)), (F(3, 4), F(3, 4)), (F(3, 2), F(3, 4)),
                             (F(9, 4), F(3, 4)), (3, F(3, 4))]


def test_transform_change_tempo_and_meter_keep_a_tempo_map() -> None:
    line = _line([60, 62, 64, 65, 67])
    music, text = change_tempo(line, 96)
    assert text == "tempo set to 96 BPM"
    assert music.tempo_map is not None and music.tempo_map.segments[0].tempo_bpm == 96
    assert music.tempo_map.bar_count == 2
    timed = Music(parts=line.parts, tempo_map=TempoMap.constant("24", 0, F(120), 2))
    rebarred = change_meter(timed, "6/8").music
    assert rebarred.tempo_map is not None
    assert rebarred.tempo_map.segments[0].tempo_bpm == 240  # eighths: same quarter tempo
    with pytest.raises(InputError, match="field tempo_bpm"):
        change_tempo(line, "fast")


def test_transform_revoice_into_registers_and_ranges() -> None:
    line = _line([60, 64, 67])  # C4 E4 G4
    assert _pitches(revoice(line, "low").music) == [36, 40, 43]
    assert _pitches(revoice(line, "high").music) == [84, 88, 91]
    music, text = revoice(line, "middle")
    assert _pitches(music) == [60, 64, 67] and text == "kept in its octave into the middle register"
    music, text = revoice(line, -1)
    assert _pitches(music) == [48, 52, 55] and text == "moved down 1 octave"
    assert _pitches(revoice(line, "low", (40, 70)).music) == [48, 52, 55]  # viola-ish
    with pytest.raises(InputError, match="more than the range"):
        revoice(_line([40, 90]), "middle")
    with pytest.raises(InputError, match="leaves the instrument's range"):
        revoice(line, 2, (55, 80))


def test_transform_table_drives_the_cli() -> None:
    assert set(TRANSFORMATIONS) >= {"transpose", "change_mode", "invert", "invert_diatonic",
                                    "retrograde", "augment", "diminish", "fragment",
                                    "change_meter", "change_tempo", "revoice"}
    music, text = apply_transformation("invert", _line([60, 62, 64]))
    assert _pitches(music) == [60, 58, 56]
    music, _ = apply_transformation("change_mode", _line(C_MAJOR),
                                    {"from_key": "C major", "to_mode": "minor"})
    assert _pitches(music)[2] == 63
    music, _ = apply_transformation("revoice", _line([60, 64, 67]),
                                    {"register": "-1", "instrument_range": "36-72"})
    assert _pitches(music) == [48, 52, 55]
    music, _ = apply_transformation("change_meter", _line([60, 62, 64, 65]),
                                    {"meter": "3/4", "rhythmic_remap": "yes"})
    assert _times(music)[1] == (F(3, 4), F(3, 4))
    with pytest.raises(InputError, match="field op: unknown transformation.*transpose"):
        apply_transformation("shuffle", _line([60, 62, 64]))
    with pytest.raises(InputError, match="transpose needs semitones"):
        apply_transformation("transpose", _line([60, 62, 64]))
    with pytest.raises(InputError, match="field semitones: not a whole number"):
        apply_transformation("transpose", _line([60, 62, 64]), {"semitones": "up"})
    with pytest.raises(InputError, match="takes no parameter of that name"):
        apply_transformation("retrograde", _line([60, 62, 64]), {"factor": "2"})


def test_time_transformations_carry_the_marks_and_retrograde_leaves_them():
    from filmscore.writing.music import Mark
    from filmscore.writing.transform import augment, retrograde

    line = Part("Flute", (Note(0, 1, 72, 80, ("staccato",)), Note(1, 1, 74), Note(2, 2, 76)),
                marks=(Mark(0, "dynamic", "p"), Mark(0, "crescendo", "", 2),
                       Mark(0, "slur", "", 2)))
    music = Music((line,))
    stretched = augment(music, 2).music.parts[0]
    assert stretched.marks == (Mark(0, "crescendo", "", 4), Mark(0, "dynamic", "p"),
                               Mark(0, "slur", "", 4))
    assert stretched.notes[0].articulations == ("staccato",)
    assert retrograde(music).music.parts[0].marks == ()
