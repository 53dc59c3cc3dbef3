"""Rehearsal letters at structural points (orchestration.rehearsal, formats.musicxml_structure,
musicxml_parts.rehearsal_marks): spacing, the film's hits and tempo changes, the music's
own sections, a composer's letters kept."""

from __future__ import annotations

import random
from fractions import Fraction

from lxml import etree

from filmscore.formats.musicxml_parts import (
    Header,
    SyncMark,
    TempoMark,
    make_part,
    parse_score,
    rehearsal_marks,
)
from filmscore.formats.musicxml_structure import source_rehearsals, structure_weights
from filmscore.orchestration.rehearsal import film_weights, rehearsal_bars, rehearsal_letter

F = Fraction
HEADER = Header("Film", "2M1", "The Chase")


def test_letters_leave_out_i_and_o():
    letters = [rehearsal_letter(i) for i in range(26)]
    assert letters[:9] == ["A", "B", "C", "D", "E", "F", "G", "H", "J"]
    assert "I" not in letters and "O" not in letters
    assert letters[24:] == ["AA", "BB"]


def test_chosen_bars_keep_their_distance_and_take_the_heavy_ones():
    rng = random.Random(9)
    for _ in range(200):
        n = rng.randint(1, 120)
        weights = [rng.choice([0.0, 0.1, 0.3, 0.6, 2.0, 3.0]) for _ in range(n)]
        bars = rehearsal_bars(weights)
        gaps = [b - a for a, b in zip(bars, bars[1:], strict=False)]
        assert all(8 <= g <= 24 for g in gaps), (weights, bars)
        assert all(4 <= b <= n - 3 for b in bars)
        if bars:
            assert bars[0] <= 24 and n - bars[-1] <= 24
        elif n > 28:
            raise AssertionError(f"{n} bars without a letter")
    weights = [0.0] * 40
    weights[9], weights[10], weights[25] = 3.0, 2.0, 3.0
    assert rehearsal_bars(weights) == [9, 25]  # never two within 8 bars: the heavier
    assert rehearsal_bars([0.0] * 12) == []  # a short cue needs none


def test_film_structure_is_tempo_changes_and_big_hits():
    tempos = [TempoMark(F(0), F(120)), TempoMark(F(32), F(90))]
    syncs = [SyncMark(F(8), "A", "01:00:04:00", weight=2.0, kind="hard"),
             SyncMark(F(12), "B", "01:00:06:00", weight=1.0, kind="hard"),
             SyncMark(F(16), "C", "01:00:08:00", weight=2.0, kind="soft"),
             SyncMark(F(20), "D", "01:00:10:00", weight=2.0, kind="downbeat")]
    assert film_weights(tempos, syncs) == [(F(32), 3.0), (F(8), 2.0), (F(20), 2.5)]


def _score(bars: int, *, meter_at: int = 0, key_at: int = 0, double_after: int = 0,
           enter_at: int = 0, letter_at: int = 0) -> bytes:
    """Two parts of ``bars`` bars: the first plays throughout, the second rests until
    ``enter_at`` (with a meter change, key change, double bar, a composer's letter)."""
    parts = []
    for pid in ("P1", "P2"):
        measures = []
        for index in range(bars):
            attrs = ""
            if index == 0:
                attrs = ("<attributes><divisions>1</divisions><key><fifths>0</fifths></key>"
                         "<time><beats>4</beats><beat-type>4</beat-type></time></attributes>")
            elif index == meter_at:
                attrs = "<attributes><time><beats>3</beats><beat-type>4</beat-type></time>" \
                        "</attributes>"
            elif index == key_at:
                attrs = "<attributes><key><fifths>2</fifths></key></attributes>"
            length = 3 if meter_at and index >= meter_at else 4
            plays = pid == "P1" or (enter_at and index >= enter_at)
            note = ("<note><pitch><step>C</step><octave>5</octave></pitch>" if plays else
                    "<note><rest measure='yes'/>") + f"<duration>{length}</duration></note>"
            letter = ("<direction><direction-type><rehearsal>X</rehearsal></direction-type>"
                      "</direction>") if letter_at and index == letter_at and pid == "P1" \
                else ""
            barline = ("<barline location='right'><bar-style>light-light</bar-style>"
                       "</barline>") if double_after and index == double_after else ""
            measures.append(f"<measure number='{index + 1}'>{attrs}{letter}{note}{barline}"
                            "</measure>")
        parts.append(f"<part id='{pid}'>{''.join(measures)}</part>")
    return ("<score-partwise version='4.0'><part-list><score-part id='P1'><part-name>Vn"
            "</part-name></score-part><score-part id='P2'><part-name>Hn</part-name>"
            "</score-part></part-list>" + "".join(parts) + "</score-partwise>").encode()


def test_the_music_says_where_its_sections_start():
    root = etree.fromstring(_score(40, meter_at=12, key_at=20, double_after=29, enter_at=6))
    weights = structure_weights(root.findall("part"))
    heavy = sorted(range(40), key=lambda i: -weights[i])[:4]
    assert sorted(heavy) == [6, 12, 20, 30]  # the entrance, meter, key, after the double bar
    doc = parse_score(_score(40, meter_at=12, key_at=20, double_after=29, enter_at=6))
    letters = rehearsal_marks(doc)
    assert [bar for bar, _ in letters] == [12, 20, 30]  # 8 bars apart at least
    assert [label for _, label in letters] == ["A", "B", "C"]
    part = etree.fromstring(make_part(doc, "P2", header=HEADER))
    found = [(i, d.findtext("direction-type/rehearsal"))
             for i, m in enumerate(part.findall("part/measure")) for d in m.iterfind("direction")
             if d.find("direction-type/rehearsal") is not None]
    assert found == [(12, "A"), (20, "B"), (30, "C")]  # every part has them, at bar starts
    for index, _ in found:
        first = part.findall("part/measure")[index]
        assert next(c for c in first if c.tag in ("note", "direction")).tag == "direction"


def test_a_hit_of_the_film_brings_its_letter_and_a_composers_letters_are_kept():
    doc = parse_score(_score(40))
    hit = SyncMark(F(4 * 17 + 1), "A", "01:00:30:00", weight=3.0, kind="hard")  # bar 18 b2
    assert 17 in [bar for bar, _ in rehearsal_marks(doc, [hit])]
    late = SyncMark(F(4 * 17 + 3), "A", "01:00:30:00", weight=3.0, kind="hard")  # beat 4
    assert 18 in [bar for bar, _ in rehearsal_marks(doc, [late])]  # the next bar line
    own = parse_score(_score(40, letter_at=10))
    assert source_rehearsals(own.root) and rehearsal_marks(own, [hit]) == []
    part = etree.fromstring(make_part(own, "P1", header=HEADER))
    assert [r.text for r in part.iter("rehearsal")] == ["X"]
