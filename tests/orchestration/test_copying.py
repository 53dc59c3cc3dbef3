"""Copying arithmetic: a cue's tempo and sync marks in quarters, labels, rest runs, intervals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.errors import InputError
from filmscore.orchestration.copying import (
    Header,
    Interval,
    SyncMark,
    TempoMark,
    beat_unit_quarters,
    cue_marks,
    quarters_at,
    rehearsal_label,
    rest_runs,
    transposition_label,
)
from filmscore.spotting.cues import SyncSpec
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.timecode import parse_label

F = Fraction


def test_rehearsal_labels_go_past_z():
    assert [rehearsal_label(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA"]


def test_transposed_parts_are_labelled_with_their_key():
    assert transposition_label(Interval(-1, -2)) == "in B\u266d"  # clarinet, trumpet
    assert transposition_label(Interval(-4, -7)) == "in F"  # horn
    assert transposition_label(Interval(-5, -9)) == "in E\u266d"  # alto saxophone
    assert transposition_label(Interval(-2, -3)) == "in A"  # clarinet in A
    assert transposition_label(Interval(-8, -14)) == "in B\u266d"  # bass clarinet, tenor sax
    assert transposition_label(Interval(-7, -12)) == ""  # double bass: an octave only
    assert transposition_label(Interval()) == ""


def test_header_credits_say_who():
    header = Header("Film", "1M1", "Main Title", composer="Ann Score",
                    orchestrator="Music by nobody")
    assert header.credits == ("Music: Ann Score", "Music by nobody")
    assert Header("Film", "1M1", "").credits == ()
    assert header.cue_label == "1M1 Main Title"


def test_beat_units():
    assert beat_unit_quarters("quarter") == 1
    assert beat_unit_quarters("eighth") == F(1, 2)
    assert beat_unit_quarters("quarter.") == F(3, 2)
    assert beat_unit_quarters("half..") == F(7, 2)
    with pytest.raises(InputError, match="beat_unit"):
        beat_unit_quarters("crotchet")
    assert TempoMark(F(0), F(60), "quarter.").quarter_bpm == 90


def test_sync_points_become_marks_in_quarters_with_timecodes():
    start = parse_label("01:00:00:00", "24")
    tmap = TempoMap("24", start, (Segment(4, Meter(4, 4), F(120)),
                                  Segment(4, Meter(3, 4), F(60)),
                                  Segment(2, Meter(6, 8), F(120))))
    # 120 BPM: a quarter is 12 frames; bar 2 beat 1 is 48 frames on
    points = [SyncSpec(frame=start + 54, description="door slams"),  # 2|1 + half a beat
              (start + 192 + 24 * 4, "soft", ""),                     # 4/4 done, 4 beats of 60
              (F(20) + F(1, 2), "hard", "the end")]                   # seconds: 6/8, 2nd eighth
    tempos, syncs = cue_marks(tmap, points)
    assert syncs == (
        SyncMark(F(9, 2), "A", "01:00:02:06", "door slams", 1.0, "hard"),
        SyncMark(F(20), "B", "01:00:12:00", "soft", 1.0, "soft"),
        SyncMark(F(57, 2), "C", "01:00:20:12", "the end", 1.0, "hard"),
    )
    assert [s.stamp for s in syncs] == ["01:00:02:06", "01:00:12:00", "01:00:20:12"]
    # footage from the cue's first frame, when the project asks for it (16 frames a foot)
    _, footed = cue_marks(tmap, points, feet_from=start)
    assert [s.feet for s in footed] == ["3+06", "18+00", "30+12"]
    assert footed[0].stamp == "01:00:02:06\u00a0\u00a03+06"
    _, weighed = cue_marks(tmap, [SyncSpec(frame=start + 54, kind="downbeat", weight=2.0)])
    assert (weighed[0].weight, weighed[0].kind) == (2.0, "downbeat")
    assert [(t.quarters, t.bpm, t.beat_unit, t.click) for t in tempos] == [
        (F(0), F(120), "quarter", "12-0"), (F(16), F(60), "quarter", "24-0"),
        (F(28), F(120), "eighth", "12-0")]
    _, by_bar = cue_marks(tmap, points, labels="bars")
    assert [s.label for s in by_bar] == ["2", "6", "9"]
    _, numbered = cue_marks(tmap, points, labels="numbers")
    assert [s.label for s in numbered] == ["1", "2", "3"]
    with pytest.raises(InputError, match="labels"):
        cue_marks(tmap, points, labels="roman")


def test_pickup_ramp_and_free_time_marks():
    tmap = TempoMap("25", 0, (Segment(2, Meter(4, 4), F(120), F(60)),
                              Segment(1, Meter(4, 4), F(90), free_frames=100),
                              Segment(2, Meter(4, 4), F(150))), pickup_beats=1)
    tempos, syncs = cue_marks(tmap, [(F(-1, 2), "hard", "pickup hit")])
    assert tempos[0].quarters == -1 and tempos[0].text == "rit. to 60 (25-0)"
    assert tempos[1].quarters == 8 and tempos[1].click == "" and "free" in tempos[1].text
    assert tempos[2].quarters == 12 and tempos[2].text == "a tempo" and tempos[2].click == \
        "10-0"
    assert syncs[0].quarters == -1 and syncs[0].timecode == ""  # before frame 0: no timecode
    # inside the ramp: exact to the tick, and monotonic
    assert quarters_at(tmap, tmap.seconds_of((2, 1))) == 4
    assert quarters_at(tmap, tmap.seconds_of((2, 3, 480))) == F(6, 1) + F(1, 2)
    # past the end the last tempo goes on
    assert quarters_at(tmap, tmap.end_seconds + F(2, 5)) == 20 + 1


def test_rest_runs_break_where_told():
    rest = [False, True, True, True, True, True, False, True, True]
    none = [False] * len(rest)
    assert rest_runs(rest, none, none) == [(1, 5), (7, 2)]
    before = list(none)
    before[3] = True  # a rehearsal mark on bar index 3: it starts a run
    assert rest_runs(rest, before, none) == [(1, 2), (3, 3), (7, 2)]
    after = list(none)
    after[2] = True  # a double bar after index 2: it ends one
    assert rest_runs(rest, none, after) == [(1, 2), (3, 3), (7, 2)]
    assert rest_runs(rest, none, none, minimum=3) == [(1, 5)]
    assert rest_runs([], [], []) == []


def test_intervals_round_trip_musicxml():
    bass_clarinet = Interval.from_musicxml(-1, -2, -1)
    assert bass_clarinet == Interval(-8, -14)
    assert bass_clarinet.to_musicxml() == (-1, -2, -1)
    assert bass_clarinet.octaves == Interval(-7, -12)
    assert Interval(-1, -2).fifths == -2 and Interval(4, 7).fifths == 1
    assert not Interval() and -Interval(1, 2) == Interval(-1, -2)
