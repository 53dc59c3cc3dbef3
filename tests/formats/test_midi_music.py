"""Music as a Standard MIDI File: round trip, note pairing, programs, drums, refusals;
the General MIDI program table."""

from __future__ import annotations

from fractions import Fraction as F

import mido
import pytest

from filmscore.errors import InputError, ParseError
from filmscore.formats.gm_programs import (
    GM_PROGRAMS,
    gm_instrument,
    parse_instrumentation,
    program_for,
)
from filmscore.formats.midi_music import read_music, write_music
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.writing.music import Music, Note, Part


def _piece() -> Music:
    strings = Part("Strings", (Note(0, 4, 60, 90), Note(F(1, 3), F(2, 3), 64),
                               Note(4, 2, 67, 127), Note(F(13, 2), F(1, 480), 72, 1)),
                   program=48)
    horn = Part("Horn", (Note(-1, 1, 55), Note(2, F(3, 2), 55, 100), Note(3, 2, 55, 70)),
                program=60)
    drums = Part("Percussion", (Note(0, F(1, 4), 38), Note(0, F(1, 4), 42)), is_drum=True)
    return Music((strings, horn, drums), meter=Meter(4, 4), title="1M1 Main Title",
                 key="B- major")


def test_midi_music_round_trip_keeps_every_note_per_part(tmp_path):
    music = _piece()
    back = read_music(write_music(music, tmp_path / "cue.mid"))
    assert [p.name for p in back.parts] == ["Strings", "Horn", "Percussion"]
    for ours, theirs in zip(music.parts, back.parts, strict=True):
        assert theirs.notes == ours.notes
        assert (theirs.program, theirs.is_drum) == (ours.program, ours.is_drum)
    assert back.title == "1M1 Main Title" and back.key == "B- major"
    assert back.tempo_map.pickup_beats == 1 and back.tempo_map.segments[0].tempo_bpm == 120


def test_midi_music_round_trip_with_cue_tempo_map_and_count_in(tmp_path):
    tmap = TempoMap("23.976", 86400, (Segment(2, Meter(4, 4), F(1440, 11)),
                                      Segment(2, Meter(6, 8), F(150), F(120))),
                    count_in_bars=1)
    music = Music((Part("Violins", tuple(Note(F(k, 2), F(1, 2), 60 + k % 12)
                                         for k in range(44)), program=40),))
    path = write_music(music, tmp_path / "cue.mid", tempo_map=tmap,
                       markers=[(F(3), "hit")])
    back = read_music(path, rate="23.976")
    assert back.parts[0].notes == music.parts[0].notes
    assert back.tempo_map.count_in_bars == 1
    assert back.tempo_map.start_frame == 86400
    assert back.meter == Meter(4, 4)


def test_midi_music_conductor_track_and_end_of_channel_controllers(tmp_path):
    midi = mido.MidiFile(write_music(_piece(), tmp_path / "cue.mid"))
    assert midi.type == 1 and len(midi.tracks) == 4
    assert {m.type for m in midi.tracks[0]} >= {"set_tempo", "time_signature", "marker"}
    channels = set()
    for track in midi.tracks[1:]:
        controls = [m for m in track if m.type == "control_change"]
        assert [m.control for m in controls] == [123, 120]  # notes off, then sound off
        last_note = max(i for i, m in enumerate(track) if m.type.startswith("note"))
        assert track.index(controls[0]) > last_note
        channels |= {m.channel for m in track if hasattr(m, "channel")}
    assert channels == {0, 1, 9}  # drums on channel 10


def _raw(tmp_path, events, ppq=480, type_=0):
    midi = mido.MidiFile(type=type_, ticks_per_beat=ppq)
    track = mido.MidiTrack()
    track.extend(events)
    midi.tracks.append(track)
    path = tmp_path / "raw.mid"
    midi.save(str(path))
    return path


def test_midi_music_reader_pairs_overlapping_same_pitch_notes_first_in_first_out(tmp_path):
    on = lambda t, v=64, ch=0: mido.Message("note_on", note=60, velocity=v, time=t, channel=ch)  # noqa: E731
    off = lambda t, ch=0: mido.Message("note_off", note=60, time=t, channel=ch)  # noqa: E731
    path = _raw(tmp_path, [
        mido.Message("program_change", program=73, time=0),
        on(0, 100), on(240, 50), off(240), mido.Message("note_on", note=60, velocity=0,
                                                          time=240),
        on(0, 30), off(0),  # zero length: dropped
        on(480, 90, ch=9), off(120, ch=9),
        on(0, 70),  # never ended: ends with the track
        mido.MetaMessage("end_of_track", time=480),
    ])
    music = read_music(path)
    melodic, drums = music.parts
    assert melodic.program == 73 and not melodic.is_drum and drums.is_drum
    assert melodic.notes == (Note(0, 1, 60, 100), Note(F(1, 2), 1, 60, 50),
                             Note(F(11, 4), 1, 60, 70))
    assert drums.notes == (Note(F(5, 2), F(1, 4), 60, 90),)
    assert music.tempo_map.segments[0].tempo_bpm == 120  # SMF default


def test_midi_music_one_part_per_channel_of_a_track(tmp_path):
    path = _raw(tmp_path, [
        mido.MetaMessage("track_name", name="Winds"),
        mido.Message("note_on", note=70, velocity=80, channel=2, time=0),
        mido.Message("note_on", note=50, velocity=80, channel=3, time=0),
        mido.Message("note_off", note=70, channel=2, time=480),
        mido.Message("note_off", note=50, channel=3, time=0),
    ])
    names = [p.name for p in read_music(path).parts]
    assert names == ["Winds (channel 3)", "Winds (channel 4)"]


def test_midi_music_refusals_name_the_file(tmp_path):
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"MThd\x00\x00\x00\x06garbage")
    with pytest.raises(ParseError, match="bad.mid"):
        read_music(bad)
    empty = _raw(tmp_path, [mido.MetaMessage("set_tempo", tempo=400000)])
    with pytest.raises(InputError, match="no notes"):
        read_music(empty)
    with pytest.raises(InputError, match="no notes"):
        write_music(Music((Part("x", ()),)), tmp_path / "none.mid")
    with pytest.raises(InputError, match="more than a bar before"):
        write_music(Music((Part("x", (Note(-5, 1, 60),)),)), tmp_path / "early.mid")
    assert not (tmp_path / "early.mid").exists()


def test_gm_program_table_and_instrument_names():
    assert len(GM_PROGRAMS) == 128
    assert GM_PROGRAMS[60].name == "French Horn" and GM_PROGRAMS[60].family == "Brass"
    assert GM_PROGRAMS[48].family == "Ensemble" and GM_PROGRAMS[127].name == "Gunshot"
    for name, program in [("strings", 48), ("violins", 48), ("horn", 60), ("4 Horns", 60),
                          ("trumpet", 56), ("flute", 73), ("clarinet", 71), ("oboes", 68),
                          ("bassoon", 70), ("tuba", 58), ("trombones", 57), ("harp", 46),
                          ("piano", 0), ("celesta", 8), ("timpani", 47), ("choir", 52),
                          ("glockenspiel", 9), ("xylophone", 13), ("brass", 61),
                          ("full orchestra", 48), ("celli", 48), ("cello", 42)]:
        assert program_for(name) == program, name
    assert gm_instrument("percussion").drum
    assert parse_instrumentation("strings, 2 horns and woodwinds") == [
        "strings", "horn", "flute", "oboe", "clarinet", "bassoon"]


def test_gm_unknown_instrument_lists_close_names():
    with pytest.raises(InputError, match="trumpet") as info:
        program_for("trumpt")
    assert "unknown instrument" in str(info.value)
    with pytest.raises(InputError, match="unknown instrument"):
        parse_instrumentation("strings, kazoo orchestra")
