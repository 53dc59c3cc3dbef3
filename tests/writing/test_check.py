"""The import check: the music's own tempo against the cue's hits, and its length."""

from fractions import Fraction as F

from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.sync.tempomap import TempoMap
from filmscore.timecode import get_rate
from filmscore.writing.check import check_music
from filmscore.writing.music import Music, Note, Part, music_from_dict, music_to_dict

RATE = get_rate("24")
CUE = CueSpec(parse_cue_number("1M1"), "Hits", 86400, 86400 + 240, sync_points=(
    SyncSpec(86400 + 48, "bar 2", "hard"), SyncSpec(86400 + 60, "bar 2 beat 2", "hard"),
    SyncSpec(86400 + 30, "soft one", "soft")))
CUE_MAP = TempoMap.constant(RATE, 86400, F(120), bars=5)


def _music(tempo=None, quarters=20):
    notes = (Note(0, 4, 60), Note(4, quarters - 4, 62))
    tmap = TempoMap.constant(RATE, 0, F(tempo), bars=5) if tempo else None
    return Music((Part("melody", notes),), tempo_map=tmap)


def test_music_at_the_cue_tempo_lands_every_hard_hit_and_fits():
    check = check_music(_music(120), CUE, CUE_MAP, rate=RATE)
    assert [h.position for h in check.hits] == ["2|1", "2|2"]
    assert all(h.landed and h.frames_off == 0 for h in check.hits)
    assert check.length_off_frames == 0
    assert check.summary() == "2 of 2 hard hits land in the music's tempo; as long as the cue"


def test_music_at_another_tempo_reports_each_missed_hit_in_frames():
    check = check_music(_music(118), CUE, CUE_MAP, rate=RATE)
    # bar 2 beat 1 is 4 beats in: at 118 BPM 4 * 60/118 s = 48.81 frames, 0.81 late
    assert check.hits[0].frames_off == F(4 * 60 * 24, 118) - 48 and check.hits[0].landed
    assert check.hits[1].frames_off == F(5 * 60 * 24, 118) - 60 and not check.hits[1].landed
    assert check.missed == (check.hits[1],)
    assert check.length_off_frames > 0 and "longer than the cue" in check.summary()


def test_music_without_tempo_is_timed_by_the_cue_map_or_midi_default():
    assert check_music(_music(None, 16), CUE, CUE_MAP, rate=RATE).length_off_frames == -48
    assert check_music(_music(None, 20), CUE, None, rate=RATE).length_off_frames == 0


def test_music_round_trips_through_json_exactly():
    music = _music(F(5760, 49))
    assert music_from_dict(music_to_dict(music)) == music
