"""Ensembles: templates as data, chair lookup, custom ensembles, a cue's instrumentation."""

from __future__ import annotations

import json

import pytest

from filmscore.errors import InputError, ValidationError
from filmscore.orchestration.ensembles import (
    TEMPLATES,
    Chair,
    ChairUse,
    CueInstrumentation,
    Ensemble,
    ensemble_from_dict,
    ensemble_to_dict,
    full_instrumentation,
    get_template,
)


def test_every_template_has_its_size() -> None:
    counts = {name: e.player_count for name, e in TEMPLATES.items()}
    assert set(counts) == {"studio", "strings", "chamber", "choir", "band"}
    assert 75 <= counts["studio"] <= 85
    assert counts["strings"] == 50 and counts["choir"] == 32
    assert 15 <= counts["chamber"] <= 20 and 15 <= counts["band"] <= 20
    studio = get_template("Studio")
    assert [c.label for c in studio.chairs_for("horn")] == [f"Horn {i}" for i in range(1, 7)]
    assert studio.chair("flute 3").doubles == ("piccolo",)
    assert studio.chair("Oboe 3").doubles == ("english_horn",)
    assert studio.chair("Bass Trombone").instrument == "bass_trombone"
    assert studio.chair("Violin I").players == 14 and studio.chair("Violin I").divisible
    assert not studio.chair("Horn 1").divisible
    assert [c.label for c in studio.chairs_for("piccolo", doubles=True)] == ["Flute 3"]
    sections = list(studio.by_section())
    assert sections == ["woodwinds", "brass", "percussion", "harp", "keyboards", "strings"]
    assert [c.label for c in get_template("choir").chairs] == ["Soprano", "Alto", "Tenor",
                                                              "Bass"]
    assert {c.instrument for c in get_template("band").chairs} >= {
        "alto_sax", "tenor_sax", "baritone_sax", "trumpet_bb", "trombone", "electric_guitar",
        "double_bass", "snare_drum", "piano"}


def test_unknown_template_and_chair_name_what_is_valid() -> None:
    with pytest.raises(InputError, match=r"unknown ensemble template.*'opera'.*studio, "
                                         r"strings, chamber, choir, band"):
        get_template("opera")
    with pytest.raises(InputError, match=r"no such chair in ensemble strings.*'Horn 1'.*"
                                         r"Violin I, Violin II, Viola, Cello, Double Bass"):
        get_template("strings").chair("Horn 1")


def test_custom_ensemble_round_trips_and_refuses_bad_rows() -> None:
    data = {"name": "trio", "title": "Piano trio", "chairs": [
        {"label": "Violin", "instrument": "vln"},
        {"label": "Cello", "instrument": "violoncello", "doubles": []},
        {"label": "Piano", "instrument": "piano", "doubles": ["celeste"]}]}
    trio = ensemble_from_dict(json.loads(json.dumps(data)))
    assert [c.instrument for c in trio.chairs] == ["violin", "cello", "piano"]
    assert trio.chair("piano").doubles == ("celesta",)
    assert ensemble_from_dict(ensemble_to_dict(trio)) == trio
    for template in TEMPLATES.values():
        assert ensemble_from_dict(json.loads(json.dumps(ensemble_to_dict(template)))) \
            == template
    bad = {"name": "x", "chairs": [{"label": "Kazoo 1", "instrument": "kazoo"}]}
    with pytest.raises(InputError, match=r"trio.json, field instrument: chair Kazoo 1: "
                                         r"unknown instrument"):
        ensemble_from_dict(bad, source="trio.json")
    with pytest.raises(InputError, match="two chairs with one label"):
        Ensemble("x", "x", (Chair("Horn 1", "horn"), Chair("horn 1", "horn", 2)))
    with pytest.raises(InputError, match="list of chairs"):
        ensemble_from_dict({"name": "x"})


def test_instrumentation_round_trips_and_lists_tacet_chairs() -> None:
    studio = get_template("studio")
    cue = CueInstrumentation("studio", (
        ChairUse("Flute 3", ("flute", "piccolo")),
        ChairUse("Horn 1", ("horn",)),
        ChairUse("Violin I", ("violin",), divisi=2, players=12),
    ))
    cue.validate(studio)
    data = json.loads(json.dumps(cue.to_dict()))
    assert CueInstrumentation.from_dict(data) == cue
    assert cue.player_count(studio) == 14
    tacet = cue.tacet(studio)
    assert len(tacet) == len(studio.chairs) - 3
    assert studio.chair("Flute 1") in tacet and studio.chair("Horn 1") not in tacet
    full = full_instrumentation(studio)
    full.validate(studio)
    assert full.tacet(studio) == ()


@pytest.mark.parametrize(("use", "pattern"), [
    (ChairUse("Flute 1", ("piccolo",)), r"chair Flute 1 does not play this instrument.*"
                                        r"'piccolo'.*valid: flute$"),
    (ChairUse("Horn 9", ("horn",)), r"no such chair in ensemble studio.*'Horn 9'.*Horn 6"),
    (ChairUse("Viola", ("viola",), divisi=12), r"chair Viola: divisi more than its players.*"
                                               r"got 12.*1 to 10"),
    (ChairUse("Horn 2", ("horn",), divisi=2), r"chair Horn 2: divisi more than its players"),
    (ChairUse("Cello", ("cello",), players=9), r"chair Cello has 8 players"),
])
def test_instrumentation_validation_names_the_chair(use: ChairUse, pattern: str) -> None:
    with pytest.raises(ValidationError, match=pattern) as info:
        CueInstrumentation("studio", (use,)).validate(get_template("studio"))
    assert "\n" not in str(info.value)
