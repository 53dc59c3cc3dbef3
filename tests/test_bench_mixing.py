"""The comp-and-mix benchmark's own parts, at a tiny size: the generated score of takes
(bench/mixing_data.py) is what its edit lists say, and the ffmpeg peer
(bench/mixing_ffmpeg.py) does the comp and mix the edit list defines, to the LSB."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import soundfile

from filmscore.formats.bwf import read_bext

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def score(tmp_path_factory):
    data = _module("mixing_data")
    folder = tmp_path_factory.mktemp("bench") / "score"
    data.generate(folder, minutes=0.4, seed=3, cue_seconds=(8, 10), progress=lambda _: None)
    return folder, json.loads((folder / "score.json").read_text())


def test_the_generated_takes_are_what_the_edit_lists_say(score):
    folder, doc = score
    assert doc["sample_rate"] == 48000 and doc["crossfade_samples"] == 960
    assert [s["name"] for s in doc["stems"]] == ["strings", "woodwinds", "brass",
                                                 "percussion", "harp_keys"]
    assert doc["cues"] and all(len(c["comp"]["edits"]) >= 2 for c in doc["cues"])
    for cue in doc["cues"]:
        bars = cue["bar_samples"]
        assert len(bars) == cue["bars"] + 1 and bars == sorted(bars)
        edits = cue["comp"]["edits"]
        covered = [b for e in edits for b in range(e["bar_from"], e["bar_to"] + 1)]
        assert covered == list(range(1, cue["bars"] + 1))  # every bar once, in order
        assert cue["comp"]["edit_samples"] == [bars[e["bar_from"] - 1] for e in edits[1:]]
        for take in cue["takes"]:
            for name, path in take["files"].items():
                info = soundfile.info(str(folder / path))
                assert (info.samplerate, info.channels, info.subtype) == (48000, 2, "PCM_24")
                assert info.frames == take["frames"], (cue["cue"], take["take"], name)
                assert read_bext(folder / path).time_reference == take["time_reference"]


def test_the_ffmpeg_peer_comps_and_mixes_to_the_definition(score, tmp_path):
    folder, doc = score
    peer = _module("mixing_ffmpeg")
    result = peer.run_ffmpeg(folder, tmp_path / "out")
    assert result["cues"] == len(doc["cues"]) and result["files"] == 6 * len(doc["cues"])
    assert result["seconds"] > 0 and result["peak_rss_kib"] > 0
    for cue in doc["cues"]:
        length = cue["comp"]["end_sample"] - cue["comp"]["start_sample"]
        assert soundfile.info(str(tmp_path / "out" / f"{cue['cue']}_MIX.wav")).frames == length
    for line in peer.check(folder, tmp_path / "out", len(doc["cues"])):
        worst = [float(part.split()[-1]) for part in line.split(": ", 1)[1]
                 .removesuffix(" LSB").split(", ")]
        assert max(worst) <= 2.0, line  # the peer's rounding to 24 bits, nothing more
    # our side on the same score: every stem comped, then mixed (stems in the layout and
    # the mix), the edit points checked against the generator's inside it
    _module("mixing_filmscore")
    ours = peer.run_filmscore(folder)
    assert ours["cues"] == result["cues"] and ours["music_seconds"] == result["music_seconds"]
    assert ours["files"] == 11 * len(doc["cues"]) and ours["peak_rss_kib"] > 0
