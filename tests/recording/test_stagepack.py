"""The run sheet of a session as plain values: recording order, click settings, free time,
hard hits at bar|beat, the entry's own bars, electronics."""

from __future__ import annotations

from fractions import Fraction

from filmscore.recording.stagepack import (
    EntryInput,
    bar_span,
    csv_rows,
    electronic_parts,
    frame_aligned,
    length_mss,
    run_sheet,
)
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.timecode import get_rate
from filmscore.writing.music import Music, Note, Part

RATE = get_rate("24")


def _cue() -> tuple[CueSpec, TempoMap]:
    """Bar 1 at frame 48 after a bar of count-in: bars 1-2 4/4 at 120 (48 frames a bar),
    bar 3 free time (36 frames), bars 4-5 3/4 at 90 (16 frames a beat), on eighths."""
    tmap = TempoMap(RATE, 48, (Segment(2, Meter(4, 4), Fraction(120)),
                               Segment(1, Meter(4, 4), Fraction(120), free_frames=36),
                               Segment(2, Meter(3, 4), Fraction(90))),
                    count_in_bars=1, subdivision=2)
    cue = CueSpec(parse_cue_number("2M4"), "The Storm", 48, 276, sync_points=(
        SyncSpec(66, "mast breaks", "hard"),  # the "and" of 1|2 (beat 2 at frame 60)
        SyncSpec(100, "thunder", "soft"),  # not a hard hit: not on the run sheet
        SyncSpec(150, "lightning", "hard"),  # in the free bar: no click to measure from
        SyncSpec(197, "wave", "hard"),  # 4|2 is frame 196: one frame late
    ))
    return cue, tmap


def _sheet():
    cue, tmap = _cue()
    whole = EntryInput(2, cue, 228, tmap, chairs=("Violin 1", "Horn 1", "Timpani"),
                       difficulty=5, stands=("score v2",), revised="parts revised "
                       "2026-12-05 (orchestration v2)", electronics=True)
    part = EntryInput(1, cue, 96, tmap, part="part 2 of 2", bar_from=4, bar_to=5,
                      chairs=("Violin 1",), pickup="pickup bars 4-5: picture change")
    return run_sheet([whole, part], rate=RATE, film_title="Film", session="Day 1 AM",
                     date="2027-03-01", time="10:00-13:00", stage="Stage A")


def test_entries_come_in_recording_order_with_their_bars_and_lengths():
    sheet = _sheet()
    assert [(e.position, e.part, e.bars) for e in sheet.entries] == [
        (1, "part 2 of 2", "4-5"), (2, "", "all")]
    assert sheet.cue_numbers == ("2M4",)
    assert sheet.total_frames == 324
    assert sheet.entries[0].pickup == "pickup bars 4-5: picture change"
    assert csv_rows(sheet)[1][-1] == "pickup bars 4-5: picture change"
    whole = sheet.entries[1]
    assert whole.cue_label == "2M4 The Storm" and whole.start_timecode == "00:00:02:00"
    assert whole.length == "0:09+12" and whole.length_mss == "0:10"
    assert whole.player_count == 3 and whole.difficulty == 5
    assert whole.revised.startswith("parts revised") and whole.electronics


def test_click_settings_of_the_whole_cue_and_of_a_part():
    whole, part = _sheet().entries[1], _sheet().entries[0]
    click = whole.click
    assert click.tempos == ("120 (12-0)", "90 (16-0)")
    assert click.meters == ("4/4", "3/4")
    assert (click.subdivision, click.count_in_bars, click.pickup_beats) == (2, 1, 0)
    assert click.first_click_frame == 0 and click.first_click_timecode == "00:00:00:00"
    assert click.bar_timecode == "00:00:02:00"
    # the part plays bars 4-5 only: their tempo and meter, from bar 4's timecode
    assert part.click.tempos == ("90 (16-0)",) and part.click.meters == ("3/4",)
    assert part.click.bar_frame == 180 and part.click.bar_timecode == "00:00:07:12"
    assert part.click.first_click_timecode == "00:00:00:00"  # the cue's click file


def test_free_time_and_hard_hits_at_bar_and_beat():
    whole, part = _sheet().entries[1], _sheet().entries[0]
    (free,) = whole.free_time
    assert (free.bar_from, free.bar_to, free.timecode, free.length) == (
        3, 3, "00:00:06:00", "0:01+12")
    assert free.text == "bar 3 free time from 00:00:06:00 (0:01+12)"
    hits = whole.hits
    assert [(h.timecode, h.position, h.description) for h in hits] == [
        ("00:00:02:18", "1|2|2", "mast breaks"),
        ("00:00:06:06", "3|1|640", "lightning"),
        ("00:00:08:05", "4|2|1", "wave")]
    assert (hits[0].bar, hits[0].beat, hits[0].frames_off) == (1, 2, 0)
    assert hits[1].frames_off is None  # free time: no click to be off from
    assert hits[2].frames_off == 1 and hits[2].text == "00:00:08:05 4|2|1 +1.00 fr wave"
    assert [h.description for h in part.hits] == ["wave"]
    assert part.free_time == ()


def test_ramps_read_as_rit_with_the_frame_click_they_end_on():
    tmap = TempoMap(RATE, 0, (Segment(2, Meter(), Fraction(120), end_tempo_bpm=Fraction(96)),))
    cue = CueSpec(parse_cue_number("1M1"), "Slowing", 0, 120)
    (entry,) = run_sheet([EntryInput(1, cue, 120, tmap)], rate=RATE, film_title="F",
                         session="S").entries
    assert entry.click.tempos == ("rit. 120 to 96 (15-0)",)
    assert entry.hits == () and entry.electronics_text == "no prerecorded electronics"


def test_a_cue_without_a_tempo_map_has_no_click_and_the_csv_says_so():
    cue = CueSpec(parse_cue_number("1M5"), "", 0, 48)
    sheet = run_sheet([EntryInput(1, cue, 48, None)], rate=RATE, film_title="F", session="S")
    assert sheet.entries[0].click is None
    rows = csv_rows(sheet)
    header, row = rows
    assert header[:3] == ["order", "cue", "title"] and len(row) == len(header)
    assert row[header.index("tempo")] == "no tempo map"
    assert length_mss(36, RATE) == "0:02" and length_mss(35, RATE) == "0:01"
    assert (bar_span(12, 12), bar_span(9, None), bar_span(None, None)) == ("12", "9-end", "all")


def test_electronic_parts_are_synths_by_program_or_name():
    notes = (Note(Fraction(0), Fraction(1), 60),)
    music = Music((Part("strings pad", notes, program=48),  # a string pad: the orchestra
                   Part("Pad", notes, program=89),  # GM Pad 2 (warm)
                   Part("drone", notes, instrument="synth_pad"),
                   Part("kit", notes, program=90, is_drum=True)))
    assert [p.name for p in electronic_parts(music)] == ["Pad", "drone"]


def test_audio_starting_between_frames_is_padded_to_the_frame_before():
    # a first click half-way through frame 8 at 24 fps: 1000 samples of silence first
    assert frame_aligned(Fraction(17, 48), RATE, 48000) == (8, 1000)
    assert frame_aligned(Fraction(1, 2), RATE, 48000) == (12, 0)  # on a frame: no padding
    ntsc = get_rate("23.976")  # a frame is 2002 samples at 48 kHz
    assert frame_aligned(Fraction(1001, 24000) * 3 + Fraction(1, 48000), ntsc, 48000) == (3, 1)
