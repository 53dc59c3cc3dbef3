"""Sketch meters: the meter a cue's notes ask for, themes fitted to it, patterns per meter."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.accompaniment import ACCOMPANIMENTS
from filmscore.writing.cuetime import meter_asked, meter_for
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.plans import apply_steps, fit_to_meter
from filmscore.writing.sketch import CuePlan, sketch_cue, use

START = 86400
F = Fraction


def _cue(**fields) -> CueSpec:
    return CueSpec(parse_cue_number("9M1"), "Test", START, START + 480, **fields)


@pytest.mark.parametrize(("text", "meter"), [
    ("swaggering, boastful, bouncy 2/4", Meter(2, 4)),
    ("Sung a cappella or with a thin music-box accompaniment in 3/4", Meter(3, 4)),
    ("a slow waltz for the ballroom", Meter(3, 4)),
    ("a lilting jig", Meter(6, 8)),
    ("in 12/8, swung", Meter(12, 8)),
    ("march alla breve", Meter(2, 2)),
    ("conducted in three", Meter(3, 4)),
])
def test_meter_asked_reads_the_notes(text, meter):
    assert meter_asked(text) == meter


@pytest.mark.parametrize("text", [
    "", "brash, menacing", "locks to the 32-frame wingbeat (45 bpm, or 90 with the half-beat)",
    "1/2 speed", "cue 1M11s at 01:03:52:00", "24/7 panic",
])
def test_meter_asked_is_none_when_nothing_is_asked(text):
    assert meter_asked(text) is None


def test_meter_for_reads_mood_then_notes_and_defaults_to_four_four():
    assert meter_for(_cue(mood="bouncy 2/4", notes="in 3/4")) == Meter(2, 4)
    assert meter_for(_cue(mood="tender", notes="thin accompaniment in 3/4")) == Meter(3, 4)
    assert meter_for(_cue(mood="heroic", notes="builds to the whirlwind")) == Meter()


def _four_four() -> Music:
    # quarter quarter | dotted quarter eighth | eighth eighth quarter | half  (two 4/4 bars)
    rows = [(0, 1, 60), (1, 1, 62), (2, F(3, 2), 64), (F(7, 2), F(1, 2), 62),
            (4, F(1, 2), 60), (F(9, 2), F(1, 2), 62), (5, 1, 64), (6, 2, 65)]
    notes = tuple(Note(F(o), F(d), p) for o, d, p in rows)
    return Music(parts=(Part("t", notes),), meter=Meter(4, 4), key="C major")


def test_a_four_four_theme_becomes_a_waltz_in_three_four():
    line = apply_steps("t", _four_four(), (), Meter(3, 4))
    got = [(n.onset, n.duration, n.pitch) for n in line.notes]
    assert got == [
        (0, 2, 60), (2, 1, 62),  # quarter quarter -> half quarter
        (3, 2, 64), (5, 1, 62),  # dotted quarter and eighth -> half quarter (long-short)
        (6, 1, 60), (7, 1, 62), (8, 1, 64),  # eighth eighth quarter -> three quarters
        (9, 3, 65),  # half -> dotted half
    ]
    assert line.bar == 3 and line.music.meter == Meter(3, 4)
    # every note starts on a beat and no bar line cuts a beat: the waltz is on the grid
    assert all(n.onset.denominator == 1 and n.duration.denominator == 1 for n in line.notes)


def test_a_theme_in_its_own_meter_or_a_simple_one_is_unchanged():
    theme = _four_four()
    for meter in (Meter(4, 4), Meter(2, 4)):
        line = apply_steps("t", theme, (), meter)
        assert [(n.onset, n.duration) for n in line.notes] == \
            [(n.onset, n.duration) for n in theme.parts[0].notes]
    waltz = apply_steps("t", theme, (), Meter(3, 4))
    assert fit_to_meter(waltz, Meter(3, 4)) is waltz  # a 3/4 line stays as it is


def test_waltz_steps_apply_after_the_fitting():
    line = apply_steps("t", _four_four(), ("fragment:2", "augment:2"), Meter(3, 4))
    assert [(n.onset, n.duration) for n in line.notes] == [(0, 4), (4, 2)]


def _map(meter: Meter) -> TempoMap:
    return TempoMap.constant("24", START, F(120), 12, meter=meter)


def _sketch(meter: Meter, accompaniment: str) -> Music:
    cue = CueSpec(parse_cue_number("9M2"), "Waltz", START, START + 6 * 70, mood="tender",
                  instrumentation="music box", sync_points=(
                      SyncSpec(START + 6 * 12, "squeeze", "hard", 1.0),
                      SyncSpec(START + 6 * 66, "button", "end", 1.0)))
    return sketch_cue(cue, _map(meter), {"t": _four_four()},
                      plan=CuePlan(melody=(use("t"),), accompaniment=accompaniment))


def test_a_waltz_sketch_is_in_three_four_with_bass_on_one_and_chords_on_two_and_three():
    music = _sketch(Meter(3, 4), "waltz")
    assert music.meter == Meter(3, 4)
    parts = {p.name: p for p in music.parts}
    hit = F(6)  # the hard hit at 12 eighths
    bass = [n for n in parts["bass"].notes if n.onset != hit]
    pad = [n for n in parts["pad"].notes if n.onset != hit and n.onset < 33]
    assert bass and all(n.onset % 3 == 0 for n in bass)
    assert pad and {n.onset % 3 for n in pad} == {1, 2}
    assert all("staccato" in n.articulations for n in pad)
    # the waltz melody: the theme's four-four bars laid in pairs of three-four bars
    melody = [n for n in parts["melody"].notes if n.onset < 12]
    assert [(n.onset, n.duration) for n in melody][:3] == [(0, 2), (2, 1), (3, 2)]


@pytest.mark.parametrize(("meter", "bass_beats", "pad_beats"), [
    (Meter(2, 4), {0}, {1}), (Meter(4, 4), {0, 2}, {1, 3}), (Meter(3, 4), {0}, {1, 2}),
])
def test_oompah_in_each_meter(meter, bass_beats, pad_beats):
    music = _sketch(meter, "oompah")
    parts = {p.name: p for p in music.parts}
    bar = meter.numerator
    hit, end = F(6), F(33)
    assert {n.onset % bar for n in parts["bass"].notes if n.onset not in (hit, end)} \
        == bass_beats
    assert {n.onset % bar for n in parts["pad"].notes if n.onset not in (hit, end)} \
        == pad_beats


def test_accompaniments_name_patterns_for_the_common_meters():
    waltz = ACCOMPANIMENTS["waltz"]
    assert waltz.bass_on(Meter(3, 4)) == (0,) and waltz.pad_on(Meter(3, 4)) == (1, 2)
    oompah = ACCOMPANIMENTS["oompah"]
    assert oompah.bass_on(Meter(2, 4)) == (0,) and oompah.pad_on(Meter(2, 4)) == (1,)
    assert oompah.pad_on(Meter(6, 8)) == (1, 2, 4, 5)
