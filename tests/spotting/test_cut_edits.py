"""Edit points of a cut as shot markers, merged with detected shot changes."""

from filmscore.spotting.cut import CutEvent, CutMarker, edit_points, make_cut, merge_shots
from filmscore.timecode import get_rate

RATE = get_rate("24")


def _cut():
    events = [
        CutEvent(index=n, clip_name=f"part{n}.mkv", source_reel=f"PART{n}", source_in=0,
                 source_out=100, record_in=86400 + (n - 1) * 100,
                 record_out=86400 + n * 100)
        for n in (1, 2, 3)
    ]
    return make_cut(name="r1", rate=RATE, events=events, source="t", source_kind="edl")


def test_every_edit_but_the_first_frame_is_a_shot_marker():
    marks = edit_points(_cut())
    assert [m.frame for m in marks] == [86500, 86600]
    assert all(m.kind == "shot" for m in marks)
    assert marks[0].text == "edit 2: part2.mkv"


def test_detected_shots_next_to_an_edit_are_the_same_cut():
    detected = [CutMarker(86501, "shot change", "shot"), CutMarker(86550, "shot change", "shot"),
                CutMarker(86598, "shot change", "shot")]
    merged = merge_shots(edit_points(_cut()), detected)
    assert [m.frame for m in merged] == [86500, 86550, 86598, 86600]
    assert [m.text for m in merged][0] == "edit 2: part2.mkv"
