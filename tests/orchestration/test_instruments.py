"""The instrument table: every row valid, transpositions, aliases, score order, and a real score."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from filmscore.errors import InputError
from filmscore.orchestration import (
    INSTRUMENTS,
    SECTIONS,
    get_instrument,
    in_range,
    score_order,
    sounding_pitch,
    written_pitch,
)

MOZART = Path(__file__).resolve().parents[1] / "data" / "scores" / "mozart41_2" / "note"

REQUIRED = [
    "piccolo", "flute", "alto_flute", "oboe", "english_horn", "clarinet_bb", "clarinet_a",
    "bass_clarinet", "bassoon", "contrabassoon", "soprano_sax", "alto_sax", "tenor_sax",
    "baritone_sax", "horn", "trumpet_bb", "trumpet_c", "trombone", "bass_trombone", "tuba",
    "timpani", "xylophone", "marimba", "glockenspiel", "vibraphone", "tubular_bells",
    "celesta", "piano", "harp", "snare_drum", "bass_drum", "cymbals", "soprano", "alto",
    "tenor", "bass", "acoustic_guitar", "electric_guitar", "electric_bass", "synth_pad",
    "violin", "viola", "cello", "double_bass",
]  # fmt: skip


def test_table_covers_the_orchestra_and_its_extras():
    keys = [i.key for i in INSTRUMENTS]
    assert len(keys) == len(set(keys))
    assert set(REQUIRED) <= set(keys)


@pytest.mark.parametrize("inst", INSTRUMENTS, ids=lambda i: i.key)
def test_every_entry_is_valid(inst):
    assert inst.section in SECTIONS
    assert inst.name and inst.abbreviation and inst.clefs and inst.source
    if inst.is_unpitched:
        assert inst.practical_low <= inst.practical_high
        assert inst.transposition_semitones == 0
        assert inst.clefs == ("percussion",)
    else:
        assert inst.practical_low < inst.practical_high
        assert inst.professional_low < inst.professional_high
    assert inst.professional_low <= inst.practical_low
    assert inst.practical_high <= inst.professional_high
    assert 0 <= inst.professional_low and inst.professional_high <= 127
    assert 0 <= inst.gm_program <= 127
    for double in inst.usual_doubles:
        assert get_instrument(double).key == double != inst.key
    # the diatonic steps agree in direction and octave with the semitones
    assert (inst.transposition_semitones > 0) == (inst.transposition_diatonic > 0)
    assert abs(inst.transposition_semitones) // 12 == abs(inst.transposition_diatonic) // 7


@pytest.mark.parametrize(
    ("name", "written", "sounding"),
    [
        ("Bb clarinet", 74, 72),  # written D5 sounds C5
        ("horn", 72, 65),  # written C5 sounds F4
        ("double bass", 48, 36),  # written C3 sounds C2
        ("piccolo", 72, 84),  # written C5 sounds C6
        ("glockenspiel", 72, 96),  # two octaves up
        ("xylophone", 72, 84),
        ("celesta", 60, 72),
        ("contrabassoon", 48, 36),
        ("guitar", 64, 52),
        ("electric bass", 40, 28),
        ("bass clarinet", 62, 48),
        ("baritone sax", 57, 36),
        ("tenor sax", 62, 48),
        ("alto sax", 69, 60),
        ("english horn", 67, 60),
        ("trumpet in Bb", 62, 60),
        ("clarinet in A", 63, 60),
        ("alto flute", 65, 60),
        ("tenor", 60, 48),
        ("flute", 72, 72),
    ],
)
def test_transposition_spot_checks(name, written, sounding):
    assert sounding_pitch(name, written) == sounding
    assert written_pitch(name, sounding) == written


def test_written_and_sounding_round_trip_for_every_instrument():
    for inst in INSTRUMENTS:
        for midi in (inst.professional_low, inst.professional_high):
            assert sounding_pitch(inst, written_pitch(inst, midi)) == midi


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("horn", "horn"), ("French horn", "horn"), ("Hn", "horn"), ("Hn.", "horn"),
        ("Horn in F", "horn"), ("Bb clarinet", "clarinet_bb"), ("B\u266d Clarinet", "clarinet_bb"),
        ("clarinet in B-flat", "clarinet_bb"), ("cello", "cello"), ("violoncello", "cello"),
        ("Vc.", "cello"), ("contrabass", "double_bass"), ("Double Bass", "double_bass"),
        ("cor anglais", "english_horn"), ("English horn", "english_horn"),
        ("bari sax", "baritone_sax"), ("glock", "glockenspiel"), ("chimes", "tubular_bells"),
        ("double_bass", "double_bass"), ("  PICCOLO ", "piccolo"), ("Vla", "viola"),
    ],
)  # fmt: skip
def test_aliases_resolve(alias, key):
    assert get_instrument(alias).key == key


def test_unknown_name_error_names_close_ones():
    with pytest.raises(InputError) as err:
        get_instrument("clarinnet")
    assert err.value.field == "instrument"
    assert err.value.value == "clarinnet"
    assert "clarinet_bb" in err.value.valid
    assert "clarinet_bb" in str(err.value)


def test_bad_pitch_and_level_are_input_errors():
    with pytest.raises(InputError):
        in_range("violin", 128)
    with pytest.raises(InputError):
        written_pitch("violin", -1)
    with pytest.raises(InputError) as err:
        in_range("violin", 60, level="heroic")
    assert err.value.field == "level"


def test_in_range_levels():
    assert in_range("violin", 55) and not in_range("violin", 54)
    assert not in_range("violin", 100) and in_range("violin", 100, level="professional")
    assert in_range("double bass", 24, level="professional")
    assert not in_range("double bass", 24)


def test_score_order_puts_sections_in_full_score_order():
    order = [i.key for i in score_order()]
    assert order == [i.key for i in INSTRUMENTS]

    def pos(key):
        return get_instrument(key).score_order

    assert pos("piccolo") < pos("flute") < pos("oboe") < pos("clarinet_bb") < pos("bassoon")
    assert pos("horn") < pos("trumpet_bb") < pos("trombone") < pos("tuba")
    assert pos("contrabassoon") < pos("horn")
    assert pos("tuba") < pos("timpani") < pos("snare_drum") < pos("harp")
    assert pos("harp") < pos("celesta") < pos("piano") < pos("soprano")
    assert pos("bass") < pos("violin") < pos("viola") < pos("cello") < pos("double_bass")
    ranks = {s: n for n, s in enumerate(SECTIONS)}
    sections = [ranks[i.section] for i in score_order()]
    assert sections == sorted(sections)
    assert (
        ranks["woodwinds"] < ranks["brass"] < ranks["percussion"]
        < min(ranks["harp"], ranks["keyboards"])
        < ranks["voices"] < ranks["strings"]
    )  # fmt: skip
    assert [i.key for i in score_order(["cello", "Fl.", "horn"])] == ["flute", "horn", "cello"]


def _mozart_parts():
    return sorted(MOZART.glob("*.csv"))


def test_mozart_oracle_is_present():
    assert len(_mozart_parts()) == 12


@pytest.mark.parametrize("path", _mozart_parts(), ids=lambda p: p.stem)
def test_mozart_notes_lie_in_professional_range(path):
    inst = get_instrument(re.sub(r"\d+$", "", path.stem))
    with path.open(newline="") as fh:
        pitches = [int(row["midi_number"]) for row in csv.DictReader(fh)]
    assert pitches
    outside = sorted({p for p in pitches if not in_range(inst, p, level="professional")})
    assert outside == [], f"{path.stem} ({inst.key}) notes outside {inst.range('professional')}"
