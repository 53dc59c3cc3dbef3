"""Tempo maps as MIDI files: round trip within MIDI's microsecond, SMPTE offset, errors."""

from __future__ import annotations

from fractions import Fraction as F

import mido
import pytest

from filmscore.errors import InputError, ParseError
from filmscore.formats.midi_tempo import read_tempo_midi, write_tempo_midi
from filmscore.sync.tempomap import Meter, Segment, TempoMap, parse_tempo
from filmscore.timecode import parse_label

US = F(1, 1_000_000)


def beat_errors(a: TempoMap, b: TempoMap):
    """(beats from bar 1, quarters from bar 1, |time difference|) for every clicked beat."""
    out, n, quarters = [], 0, F(0)
    for bar in a.bars():
        for beat in range(1, bar.meter.numerator + 1):
            n += 1
            quarters += bar.meter.beat_quarters
            if not bar.free:
                out.append((n, quarters, abs(a.seconds_of((bar.number, beat))
                                             - b.seconds_of((bar.number, beat)))))
    return out


def conductor(path):
    return list(mido.MidiFile(str(path)).tracks[0])


def test_constant_round_trip_within_microsecond_rounding(tmp_path):
    rate = "29.97df"
    tmap = TempoMap(rate, parse_label("01:00:10;02", rate), (
        Segment(8, Meter(4, 4), F(180)), Segment(2, Meter(3, 4), F(180)),
        Segment(4, Meter(6, 8), F(5760, 49)), Segment(3, Meter(4, 4), F(72))),
        count_in_bars=2)
    markers = [(F(3), "door slams"), (F(-1, 2), "count-in hit"), (F(20), "cut to the café")]
    path = write_tempo_midi(tmap, tmp_path / "1M1.mid", markers=markers, cue_label="1M1 Main")
    back, read_markers = read_tempo_midi(path, rate)
    assert back.start_frame == tmap.start_frame
    assert (back.count_in_bars, back.pickup_beats) == (2, 0)
    assert [s.meter for s in back.segments] == [s.meter for s in tmap.segments]
    assert back.segments[0].tempo_bpm == F(60_000_000, 333_333)  # 180.00018: MIDI's limit
    assert f"{float(back.segments[0].tempo_bpm):.5f}" == "180.00018"
    for n, quarters, error in beat_errors(tmap, back):
        assert error <= quarters * US / 2, n  # 0.5 µs per quarter, accumulated
    # a marker is on the nearest tick: half a tick of the slowest quarter (6/8 at 117.55)
    tick = max(60 / s.tempo_bpm / s.meter.beat_quarters for s in tmap.segments) / 960
    markers.sort()
    assert [t for _, t in read_markers] == [t for _, t in markers]  # in time order
    for (s, _), (r, _) in zip(read_markers, markers, strict=True):
        assert abs(s - r) <= tick / 2 + 30 * US
    messages = conductor(path)
    names = [m.type for m in messages]
    assert names[:3] == ["track_name", "smpte_offset", "text"]
    assert messages[0].name == "1M1 Main"
    assert sum(m.type == "time_signature" for m in messages) == 4


def test_smpte_offset_is_the_first_click(tmp_path):
    tmap = TempoMap.constant("24", parse_label("01:00:10:00", "24"), F(120), 4,
                             count_in_bars=1)
    path = write_tempo_midi(tmap, tmp_path / "c.mid")
    smpte = next(m for m in conductor(path) if m.type == "smpte_offset")
    assert (smpte.frame_rate, smpte.hours, smpte.minutes, smpte.seconds, smpte.frames,
            smpte.sub_frames) == (24, 1, 0, 8, 0, 0)  # 2 s of count-in before bar 1
    # 23.976 is written as 24 (same labels); a count-in not on a frame uses sub-frames
    odd = TempoMap.constant("23.976", parse_label("01:00:00:00", "23.976"),
                            parse_tempo("12-2", "23.976"), 2,
                            count_in_bars=1)
    smpte = next(m for m in conductor(write_tempo_midi(odd, tmp_path / "o.mid"))
                 if m.type == "smpte_offset")
    assert (smpte.frame_rate, smpte.hours, smpte.minutes, smpte.seconds) == (24, 0, 59, 57)
    assert (smpte.frames, smpte.sub_frames) == (23, 0)  # 49 frames = 4 beats of 12-2 frames
    assert read_tempo_midi(tmp_path / "o.mid", "23.976")[0].start_frame == odd.start_frame
    # 59.94 DF: the odd frame goes to the sub-frames
    hi = TempoMap.constant("59.94df", parse_label("01:00:00;01", "59.94df"), F(120), 2)
    smpte = next(m for m in conductor(write_tempo_midi(hi, tmp_path / "h.mid"))
                 if m.type == "smpte_offset")
    assert (smpte.frame_rate, smpte.frames, smpte.sub_frames) == (29.97, 0, 50)
    assert read_tempo_midi(tmp_path / "h.mid", "59.94df")[0].start_frame == hi.start_frame


def test_ramp_and_free_time_round_trip(tmp_path):
    tmap = TempoMap("24", 86400, (Segment(2, Meter(4, 4), F(120)),
                                  Segment(4, Meter(4, 4), F(120), F(84)),
                                  Segment(1, free_frames=60), Segment(2, Meter(3, 4), F(90))),
                    count_in_bars=1)
    back, _ = read_tempo_midi(write_tempo_midi(tmap, tmp_path / "r.mid"), "24")
    assert back.start_frame == tmap.start_frame and back.bar_count == tmap.bar_count
    # every beat of the ramp within 5 µs (one tempo per beat, rounding carried)
    assert max(e for _, _, e in beat_errors(tmap, back)) <= 5 * US
    # free time comes back as clicked bars of the same length
    bars = {b.number: b for b in back.bars()}
    assert bars[8].seconds - bars[7].seconds == F(60, 24)
    ramp = [m for m in conductor(tmp_path / "r.mid") if m.type == "set_tempo"]
    assert len(ramp) >= 16


def test_pickup_without_count_in_is_a_short_first_bar(tmp_path):
    tmap = TempoMap.constant("25", 90000, F(100), 3, meter=Meter(3, 4), pickup_beats=1)
    path = write_tempo_midi(tmap, tmp_path / "p.mid", ppq=480)
    signatures = [(m.numerator, m.denominator) for m in conductor(path)
                  if m.type == "time_signature"]
    assert signatures == [(1, 4), (3, 4)]
    back, markers = read_tempo_midi(path, "25")
    assert (back.pickup_beats, back.count_in_bars, back.start_frame) == (1, 0, 90000)
    assert markers == []  # our "bar 1" marker is not a sync point


def test_daw_file_without_our_text_or_tempo(tmp_path):
    midi = mido.MidiFile(type=1, ticks_per_beat=480)
    track = mido.MidiTrack([mido.MetaMessage("marker", text="hit", time=960),
                            mido.MetaMessage("end_of_track", time=960 * 7)])
    midi.tracks.append(track)
    midi.save(str(tmp_path / "daw.mid"))
    tmap, markers = read_tempo_midi(tmp_path / "daw.mid", "24", start_frame=1000)
    assert tmap.segments == (Segment(4, Meter(4, 4), F(120)),)  # MIDI's default 120, 4/4
    assert tmap.start_frame == 1000 and markers == [(F(1), "hit")]
    tmap, _ = read_tempo_midi(tmp_path / "daw.mid", "24")
    assert tmap.start_frame == 0


def test_corrupt_and_missing_midi_files_name_the_file(tmp_path):
    bad = tmp_path / "broken.mid"
    bad.write_bytes(b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0MTrk\x00\x00\x00\x20\x00")
    with pytest.raises(ParseError, match="broken.mid"):
        read_tempo_midi(bad, "24")
    junk = tmp_path / "junk.mid"
    junk.write_bytes(b"not midi at all")
    with pytest.raises(ParseError, match="junk.mid"):
        read_tempo_midi(junk, "24")
    with pytest.raises(InputError, match="missing.mid: cannot read the file"):
        read_tempo_midi(tmp_path / "missing.mid", "24")  # the input gate's message


def test_midi_writer_refusals(tmp_path):
    early = TempoMap.constant("24", 10, F(60), 2, count_in_bars=1)
    with pytest.raises(InputError, match="before 00:00:00:00"):
        write_tempo_midi(early, tmp_path / "e.mid")
    fine = TempoMap.constant("24", 1000, F(120), 2, meter=Meter(7, 32))
    with pytest.raises(InputError, match="ppq"):
        write_tempo_midi(fine, tmp_path / "f.mid", ppq=25)
    assert not list(tmp_path.iterdir())
