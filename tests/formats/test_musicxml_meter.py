"""Rests and beams grouped by the meter's beats (formats.musicxml_meter), on bars in code."""

from __future__ import annotations

from fractions import Fraction

import pytest
from lxml import etree

from filmscore.formats.musicxml_meter import Meter, regroup_beams, regroup_rests, rest_pieces

F = Fraction
DIV = 4  # divisions a quarter


def _bar(meter: tuple[int, int], items: list[tuple[str, Fraction]], *,
         between: dict[int, str] | None = None) -> etree._Element:
    """One measure: ('n' note or 'r' rest, quarters) items; ``between`` puts a direction
    before item i."""
    beats, beat_type = meter
    notes = []
    for index, (kind, length) in enumerate(items):
        if between and index in between:
            notes.append(f"<direction><direction-type><words>{between[index]}</words>"
                         "</direction-type></direction>")
        body = "<rest/>" if kind == "r" else "<pitch><step>C</step><octave>5</octave></pitch>"
        notes.append(f"<note>{body}<duration>{int(length * DIV)}</duration><voice>1</voice>"
                     "<type>quarter</type></note>")
    xml = (f"<part><measure number='1'><attributes><divisions>{DIV}</divisions><time>"
           f"<beats>{beats}</beats><beat-type>{beat_type}</beat-type></time></attributes>"
           + "".join(notes) + "</measure></part>")
    return etree.fromstring(xml).find("measure")


def _rests(measure) -> list[tuple[Fraction, str]]:
    """(length in quarters, type with dots or 'bar') of each rest, in order."""
    out = []
    for note in measure.iterfind("note"):
        rest = note.find("rest")
        if rest is None:
            out.append(("note", F(int(note.findtext("duration")), DIV)))
            continue
        kind = "bar" if rest.get("measure") == "yes" else \
            note.findtext("type") + "." * len(note.findall("dot"))
        out.append((kind, F(int(note.findtext("duration")), DIV)))
    return out


@pytest.mark.parametrize(("meter", "start", "end", "pieces"), [
    ((4, 4), F(1, 2), F(2), [(F(1, 2), F(1)), (F(1), F(2))]),   # never a dotted quarter
    ((4, 4), F(1), F(3), [(F(1), F(2)), (F(2), F(3))]),          # beat 3 shown
    ((4, 4), F(1), F(4), [(F(1), F(2)), (F(2), F(4))]),          # half rest on beats 3-4
    ((4, 4), F(0), F(3), [(F(0), F(2)), (F(2), F(3))]),
    ((4, 4), F(1, 4), F(1), [(F(1, 4), F(1, 2)), (F(1, 2), F(1))]),
    ((3, 4), F(0), F(2), [(F(0), F(2))]),                        # 3/4: beats 1-2 join
    ((3, 4), F(1), F(3), [(F(1), F(2)), (F(2), F(3))]),          # ... 2-3 do not
    ((2, 4), F(1, 2), F(2), [(F(1, 2), F(1)), (F(1), F(2))]),
    ((6, 8), F(1, 2), F(3), [(F(1, 2), F(1)), (F(1), F(3, 2)), (F(3, 2), F(3))]),
    ((6, 8), F(0), F(1), [(F(0), F(1))]),                        # first two eighths join
    ((12, 8), F(0), F(3), [(F(0), F(3))]),                       # beats 1-2: dotted half
    ((5, 8), F(1, 2), F(5, 2), [(F(1, 2), F(1)), (F(1), F(3, 2)), (F(3, 2), F(5, 2))]),
])
def test_rest_pieces_show_the_beats(meter, start, end, pieces):
    assert rest_pieces(start, end, Meter.of(str(meter[0]), str(meter[1]))) == pieces


def test_a_dotted_quarter_rest_across_the_middle_of_4_4_is_rewritten():
    bar = _bar((4, 4), [("n", F(3, 2)), ("r", F(3, 2)), ("n", F(1))])
    assert regroup_rests([bar]) == 1
    assert _rests(bar) == [("note", F(3, 2)), ("eighth", F(1, 2)), ("quarter", F(1)),
                           ("note", F(1))]


def test_a_silent_bar_is_one_bar_rest_and_good_rests_stay():
    bar = _bar((3, 4), [("r", F(1)), ("r", F(2))])
    regroup_rests([bar])
    assert _rests(bar) == [("bar", F(3))]
    good = _bar((4, 4), [("n", F(1)), ("r", F(1)), ("r", F(2))])
    before = etree.tostring(good)
    assert regroup_rests([good]) == 0 and etree.tostring(good) == before
    compound = _bar((6, 8), [("n", F(1, 2)), ("r", F(5, 2))])
    regroup_rests([compound])
    # 6/8: the last two eighths of a beat are not joined; the next beat is one rest
    assert _rests(compound) == [("note", F(1, 2)), ("eighth", F(1, 2)), ("eighth", F(1, 2)),
                                ("quarter.", F(3, 2))]


def test_a_direction_between_rests_keeps_its_place():
    bar = _bar((4, 4), [("n", F(1)), ("r", F(1, 2)), ("r", F(3, 2)), ("n", F(1))],
               between={2: "cresc."})
    regroup_rests([bar])
    children = [c.tag if c.tag != "note" else _rests_one(c) for c in bar
                if c.tag != "attributes"]
    # the words stay at beat 2.5: the rests before it and after it are grouped apart
    assert children == ["note", "eighth", "direction", "eighth", "quarter", "note"]


def _rests_one(note) -> str:
    return "note" if note.find("rest") is None else note.findtext("type")


def test_rests_under_tuplets_or_with_fermatas_are_left_alone():
    bar = _bar((4, 4), [("n", F(1)), ("r", F(2)), ("n", F(1))])
    bar.findall("note")[1].append(etree.fromstring("<notations><fermata/></notations>"))
    before = etree.tostring(bar)
    assert regroup_rests([bar]) == 0 and etree.tostring(bar) == before


def _beamed(meter, lengths: list[Fraction], beams: list[list[str]]) -> etree._Element:
    bar = _bar(meter, [("n", length) for length in lengths])
    types = {F(1, 2): "eighth", F(1, 4): "16th", F(1): "quarter"}
    for note, length, states in zip(bar.findall("note"), lengths, beams, strict=True):
        note.find("type").text = types.get(length, "eighth")
        for number, state in enumerate(states, 1):
            beam = etree.SubElement(note, "beam", number=str(number))
            beam.text = state
    return bar


def _beams(bar) -> list[list[str]]:
    return [[b.text for b in n.iterfind("beam")] for n in bar.iterfind("note")]


def test_beams_across_beat_3_of_4_4_are_rebeamed_by_the_beat():
    e, s = F(1, 2), F(1, 4)
    # a beam from beat 2 over beat 3 (eighths 2.5 to 3.5): crosses the middle of the bar
    bar = _beamed((4, 4), [F(1), e, e, e, e, F(1)],
                  [[], ["begin"], ["continue"], ["continue"], ["end"], []])
    assert regroup_beams([bar]) == 1
    assert _beams(bar) == [[], ["begin"], ["end"], ["begin"], ["end"], []]
    # four eighths on beats 1-2 may stay one group; sixteenths by the beat with hooks
    fine = _beamed((4, 4), [e, e, e, e, F(3, 4), s, F(1)],
                   [["begin"], ["continue"], ["continue"], ["end"], [], [], []])
    fine.findall("note")[4].find("type").text = "eighth"
    fine.findall("note")[4].append(etree.fromstring("<dot/>"))
    assert regroup_beams([fine]) == 1  # the dotted eighth and 16th were flagged
    assert _beams(fine)[:6] == [["begin"], ["continue"], ["continue"], ["end"],
                                ["begin"], ["end", "backward hook"]]


def test_good_beams_and_tuplets_are_left_alone():
    e = F(1, 2)
    bar = _beamed((3, 4), [e, e, e, e, e, e], [["begin"], ["end"], ["begin"], ["end"],
                                               ["begin"], ["end"]])
    assert regroup_beams([bar]) == 0
    triplet = _beamed((2, 4), [F(1, 3)] * 3 + [F(1)], [["begin"], ["continue"], ["end"], []])
    for note in triplet.findall("note")[:3]:
        note.append(etree.fromstring("<time-modification><actual-notes>3</actual-notes>"
                                     "<normal-notes>2</normal-notes></time-modification>"))
    before = etree.tostring(triplet)
    assert regroup_beams([triplet]) == 0 and etree.tostring(triplet) == before
