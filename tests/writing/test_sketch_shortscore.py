"""The demo's sketches as the composer's short score (``write_music``): 1M2 and 1M11s as the
demo writes them, read as a composer, an orchestrator or a director would."""

from __future__ import annotations

import pytest
from lxml import etree

from writing.test_sketch_demo import demo_sketches


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, tuple]:
    from filmscore.formats.musicxml import write_music

    folder = tmp_path_factory.mktemp("sketches")
    out = {}
    sketches = demo_sketches(("1M2", "1M11s"))  # as the demo sketches them
    for number in ("1M2", "1M11s"):
        music = sketches[number][2]
        path = write_music(music, folder / f"{number}.musicxml")
        out[number] = (music, path, etree.parse(str(path)).getroot())
    return out


def test_1m2_is_a_short_score_in_c_with_its_clefs_and_names(written):
    music, _, root = written["1M2"]
    assert music.parts[0].instrument == "trumpet"
    assert root.find(".//transpose") is None
    assert {k.findtext("fifths") for k in root.iter("key")} == {"-1"}  # one flat, every staff
    names = [sp.findtext("part-name") for sp in root.findall("part-list/score-part")]
    assert names[:3] == ["Melody (Trumpet)", "Harmony (Strings)", "Bass (Tuba)"]
    assert names[3].startswith("Percussion")
    signs = [[c.findtext("sign") for c in p.iter("clef")] for p in root.findall("part")]
    assert signs == [["G"], ["G"], ["F"], ["percussion"]]
    assert root.findtext(".//time/beats") == "2"  # still the bouncy 2/4


def test_1m2_percussion_and_tempo_as_a_copyist_writes_them(written):
    music, _, root = written["1M2"]
    drums = root.findall("part")[3]
    assert drums.find(".//pitch") is None and drums.find(".//unpitched") is not None
    assert all(n.find("instrument") is not None for n in drums.iter("note")
               if n.find("unpitched") is not None)
    top = root.findall("part")[0]
    bpm = music.tempo_map.segments[0].tempo_bpm
    per_minute = top.findtext(".//metronome/per-minute")
    assert per_minute == f"{float(bpm):.2f}".rstrip("0").rstrip(".")
    assert len(per_minute.split(".")[-1]) <= 2
    assert any(w.text.endswith("fc)") for w in top.iter("words"))


def test_the_sketches_read_back_exactly(written):
    from filmscore.formats.musicxml import read_music

    for number, (music, path, _) in written.items():
        back = read_music(path)
        assert back.meter == music.meter, number
        assert back.tempo_map.segments[0].tempo_bpm == music.tempo_map.segments[0].tempo_bpm
        for ours, theirs in zip(music.parts, back.parts, strict=True):
            # velocities are the mockup's, not the page's: the page carries the marks
            assert [(n.onset, n.duration, n.pitch, n.articulations) for n in theirs.notes] \
                == [(n.onset, n.duration, n.pitch, n.articulations) for n in ours.notes], \
                (number, ours.name)
            assert theirs.marks == ours.marks, (number, ours.name)
            assert theirs.is_drum == ours.is_drum


def test_1m11s_lullaby_in_three_with_its_music_box_and_triangles(written):
    _, _, root = written["1M11s"]
    assert root.findtext(".//time/beats") == "3"
    legend = root.findall("part")[3].find("measure/direction/direction-type/words").text
    assert "Tri." in legend and "W.bl." in legend
    places = {(u.findtext("display-step"), u.findtext("display-octave"))
              for u in root.findall("part")[3].iter("unpitched")}
    assert all(octave in ("4", "5") for _, octave in places)  # inside the staff
