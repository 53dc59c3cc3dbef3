"""The comp board's layout (pure): bars to scale along the cue's ruler, each take's bars and
audio where they are on the film, the comp's segments and edits over them, flagged takes."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.mixing.board import layout_board
from filmscore.mixing.comp import BarBeat, CompTake, EditPoint, parse_edits
from filmscore.mixing.comps import CompSpec
from filmscore.sync.tempomap import TempoMap

SR = 48000
START = 10 * SR  # the cue starts at 00:00:10:00 (frame 240 at 24 fps)


def _spec(edits: str, samples, points) -> CompSpec:
    return CompSpec(cue="1M1", number=2, segments=parse_edits(edits.split()), edits=points,
                    segment_samples=samples, crossfade_ms=20.0, proposed=False,
                    tempo_map_version=2, flagged="", notes="", author="", files=(),
                    cue_start_sample=START, sample_rate=SR)


def test_bars_takes_and_the_comp_are_drawn_to_scale():
    tmap = TempoMap.constant("24", 240, Fraction(120), bars=16)  # 2 s a bar
    takes = [CompTake(1, "complete", False, None, None, START - SR, 36 * SR, 1),
             CompTake(3, "complete", True, None, None, START - SR, 36 * SR, 2),
             CompTake(4, "pickup", True, 9, 16, START + 14 * SR, 20 * SR, 2),
             CompTake(5, "breakdown", False, 1, 5, None, None, None)]
    edit = EditPoint(BarBeat(9), 16 * SR, START + 16 * SR, 3, 4, 16 * SR - 480, 16 * SR + 480)
    spec = _spec("1-8=3 9-16=4", ((0, 16 * SR), (16 * SR, 32 * SR)), (edit,))
    board = layout_board(tmap, takes, sample_rate=SR, cue_start_sample=START, rate="24",
                         tempo_map_version=2, comp=spec)
    # 36 s from the first take's first sample (1 s before the cue) to the takes' end
    px = 1000 / (36 * SR)
    assert board.bar_count == 16 and len(board.ticks) == 16
    bar = [t.x for t in board.ticks]
    assert bar[0] == pytest.approx(SR * px, abs=0.1)
    steps = [b - a for a, b in zip(bar, bar[1:], strict=False)]
    assert steps == pytest.approx([2 * SR * px] * 15, abs=0.2)
    assert board.end_x == pytest.approx(33 * SR * px, abs=0.1)
    assert [t.label for t in board.ticks][:3] == ["1", "2", "3"]  # 55 px a bar: all labelled
    rows = {r.number: r for r in board.rows}
    assert [r.number for r in board.rows] == [1, 3, 4, 5]
    assert rows[1].flagged == "recorded to tempo map v1, the cue's is v2"
    assert rows[3].flagged == "" and rows[3].circled and rows[3].in_comp
    assert not rows[1].in_comp
    assert rows[4].bars == "9-16" and rows[4].bars_x == pytest.approx(bar[8], abs=0.1)
    assert rows[4].audio_x == pytest.approx(15 * SR * px, abs=0.1)
    assert rows[5].audio_x is None and rows[5].flagged == "recorded before the cue had a tempo map"
    assert "no audio placed on the film" in rows[5].title
    assert [(s.take, s.label, s.row) for s in board.segments] == [(3, "1-8=3", 1),
                                                                  (4, "9-16=4", 2)]
    (mark,) = board.edits
    assert (mark.at, mark.timecode, mark.sample, mark.takes) == ("9", "00:00:26:00",
                                                                 16 * SR, "3 > 4")
    assert mark.x == pytest.approx(bar[8], abs=0.1)
    assert mark.fade_width >= 1.0


def test_a_long_cue_keeps_bars_wide_enough_and_labels_apart():
    tmap = TempoMap.constant("24", 240, Fraction(240), bars=400)  # one second a bar
    board = layout_board(tmap, [], sample_rate=SR, cue_start_sample=START, rate="24",
                         tempo_map_version=1)
    widths = {round(b.x - a.x, 1) for a, b in zip(board.ticks, board.ticks[1:], strict=False)}
    assert min(widths) >= 13.9  # the narrowest bar drawn: the board scrolls sideways
    labelled = [t.bar for t in board.ticks if t.label]
    assert labelled[:3] == [1, 2, 4] and all(b % 2 == 0 for b in labelled[1:])
    assert board.rows == () and board.segments == () and board.edits == ()
