"""Pages as we engrave them (engraving.layout, systems, clearance, pagehead): no stretched
single bar, bar numbers where they belong, film marks that never print over each other,
page 1's header, and every dynamic, hairpin, slur and articulation carried to the page."""

from __future__ import annotations

import re
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

from filmscore.engraving.clearance import overlaps, text_boxes
from filmscore.engraving.engrave import engrave
from filmscore.engraving.layout import engraved_pages
from filmscore.engraving.systems import choose_breaks
from filmscore.formats.musicxml_marks import apply_layout
from filmscore.formats.musicxml_parts import (
    Header,
    SyncMark,
    TempoMark,
    make_part,
    make_score,
    parse_score,
)

F = Fraction
HEADER = Header("The Long Night", "1M4", "Flight of the Roc", composer="A. Composer",
                orchestrator="B. Orchestrator", length="0:30+16",
                span="01:02:00:00 \u2013 01:02:30:16")
SVG = "{http://www.w3.org/2000/svg}"


def _dense(bars: int, *, parts: int = 1, name: str = "Horn 1") -> bytes:
    """A busy 4/4 line (eighth, two 16ths, eighths, 16ths) in every bar, as 1M4's horns."""
    cell = [("E", 5, 2, "eighth"), ("G", 4, 1, "16th"), ("A", 4, 1, "16th"),
            ("F", 4, 2, "eighth"), ("B", 4, 2, "eighth"), ("C", 5, 1, "16th"),
            ("D", 5, 1, "16th"), ("G", 4, 1, "16th"), ("A", 4, 1, "16th"),
            ("B", 4, 2, "eighth"), ("C", 5, 2, "eighth"), ("E", 5, 1, "16th"),
            ("F", 5, 1, "16th")]
    body = []
    for pid in range(1, parts + 1):
        measures = []
        for index in range(bars):
            attrs = ("<attributes><divisions>4</divisions><key><fifths>0</fifths></key><time>"
                     "<beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign>"
                     "<line>2</line></clef></attributes>") if index == 0 else ""
            notes = "".join(f"<note><pitch><step>{s}</step><octave>{o}</octave></pitch>"
                            f"<duration>{d}</duration><type>{t}</type></note>"
                            for s, o, d, t in cell)
            measures.append(f"<measure number='{index + 1}'>{attrs}{notes}</measure>")
        body.append(f"<part id='P{pid}'>{''.join(measures)}</part>")
    entries = "".join(f"<score-part id='P{p}'><part-name>{name if p == 1 else f'Part {p}'}"
                      "</part-name></score-part>" for p in range(1, parts + 1))
    return (f"<score-partwise version='4.0'><part-list>{entries}</part-list>{''.join(body)}"
            "</score-partwise>").encode()


def _systems(pages: list[str]) -> list[list[tuple[str, bool]]]:
    """Per system, its bars as (bar's first MusicXML number or '', has a bar number)."""
    out = []
    for svg in pages:
        root = etree.fromstring(svg.encode())
        for system in root.iter(f"{SVG}g"):
            if (system.get("class") or "").split()[:1] != ["system"]:
                continue
            bars = []
            for measure in system.iter(f"{SVG}g"):
                if (measure.get("class") or "").split()[:1] != ["measure"]:
                    continue
                numbers = [t for g in measure.iter(f"{SVG}g")
                           if (g.get("class") or "").startswith("mNum")
                           for t in g.itertext() if t.strip()]
                bars.append((numbers[0] if numbers else "", bool(numbers)))
            out.append(bars)
    return out


def test_breaks_never_leave_one_bar_stretched():
    # thirteen bars of which three fill a system: 3+3+3+2+2 or 3+3+3+3+1 left ragged,
    # never a lone bar stretched in the middle (what verovio's own breaking did to 1M4)
    breaks = choose_breaks([5000.0] * 13, 1200.0, 17000.0)
    sizes = [b - a for a, b in zip([0, *breaks], [*breaks, 13], strict=True)]
    assert sum(sizes) == 13 and all(size <= 3 for size in sizes)
    assert all(size >= 2 for size in sizes[:-1])
    assert choose_breaks([20000.0, 3000.0, 3000.0], 1000.0, 17000.0) == [1]  # too wide alone
    assert choose_breaks([], 0.0, 17000.0) == []


def test_part_systems_are_full_and_numbered_at_every_start():
    doc = parse_score(_dense(13))
    letters = [(4, "A")]  # a letter on a bar: verovio would drop that bar's number
    data = make_part(doc, "P1", header=HEADER, letters=letters)
    systems = _systems(engraved_pages(data, "part").pages)
    assert sum(len(s) for s in systems) == 13
    assert all(len(s) >= 2 for s in systems[:-1]), [len(s) for s in systems]
    for system in systems[1:]:
        assert system[0][1], system  # every system after the first starts numbered
    starts = [s[0][0] for s in systems[1:]]
    assert all(n.isdigit() for n in starts)


def test_score_numbers_every_bar_even_a_lettered_one():
    doc = parse_score(_dense(12, parts=3))
    data = make_score(doc, header=HEADER, letters=[(4, "A"), (9, "B")])
    systems = _systems(engraved_pages(data, "score").pages)
    numbered = [n for system in systems for n, _ in system]
    assert numbered == [str(n) for n in range(1, 13)]


def _words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [(m.group(5), *(float(m.group(i)) for i in range(1, 5))) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html)]


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A part with sync points a beat apart and a letter among them, engraved."""
    doc = parse_score(_dense(8))
    syncs = [SyncMark(F(q), chr(65 + i), f"01:02:{i:02d}:{(7 * i) % 24:02d}", "hit",
                      2.0 if i % 3 == 0 else 1.0, "hard")
             for i, q in enumerate([0, 1, 2, 3, 5, 6, 9, 13, 14, 15, 20, 24])]
    data = make_part(doc, "P1", header=HEADER, syncs=syncs,
                     tempos=[TempoMark(F(0), F(98), click="14-6")], letters=[(4, "A")])
    pdf = tmp_path_factory.mktemp("crowd") / "part.pdf"
    result = engrave([(data, pdf, "part")], workers=1)[0]
    return data, pdf, result


def test_timecodes_never_overprint_on_the_page(crowded):
    data, pdf, result = crowded
    words = _words(pdf)
    header = next(w for w in words if w[0] == "Length")  # its line has the cue's span
    stamps = [w for w in words if re.fullmatch(r"01:02:\d\d:\d\d", w[0]) and w[2] > header[4]]
    assert stamps
    for i, a in enumerate(stamps):
        for b in stamps[i + 1:]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (a, b)
    # the MusicXML says what was printed: staggered marks on their line, the rest left out
    printed = apply_layout(data, result.marks)
    kept = re.findall(rb">(01:02:\d\d:\d\d)<", printed)
    assert sorted(k.decode() for k in kept) == sorted(w[0] for w in stamps)
    assert set(result.marks.values()) <= {"staggered", "dropped"}
    assert "dropped" in result.marks.values() or "staggered" in result.marks.values()
    # at most two texts a bar, the heavier sync points first
    root = etree.fromstring(data)
    for measure in root.iter("measure"):
        texts = [w for w in measure.iter("words") if re.match(r"01:", w.text or "")]
        assert len(texts) <= 2


def test_no_mark_touches_another_in_our_svg(crowded):
    data, _pdf, _result = crowded
    for svg in engraved_pages(data, "part").pages:
        film = [p for p in overlaps(text_boxes(svg))
                if any(b.text.startswith(("01:", "A")) for b in p)]
        assert film == []


def test_page_one_heads_like_a_copying_house(crowded, tmp_path):
    _data, pdf, _result = crowded
    words: dict[str, tuple] = {}
    for word in _words(pdf):
        words.setdefault(word[0], word)  # the first: the page's footer repeats some
    cue, title, part = words["1M4"], words["Flight"], words["Horn"]
    assert cue[1] < 60 and cue[2] < 80  # top left
    assert (cue[4] - cue[2]) > 1.3 * (title[4] - title[2])  # the cue number is the largest
    assert part[1] > 400  # the part name at top right
    for text in ("Music:", "Orchestration:", "0:30+16"):
        assert text in words
    svg = engraved_pages(crowded[0], "part").pages[0]
    head = re.search(r'<g class="pgHead">(.*?)</g>', svg).group(1)
    assert "<rect " in head  # the cue number's box
    # and the header stays above the music
    staff_top = float(re.search(r'class="staff"><path d="M[\d.]+ ([\d.]+) ', svg).group(1))
    bottoms = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', head)]
    assert max(bottoms) < staff_top
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(pdf), str(png)],
                   check=True)
    assert png.with_suffix(".png").stat().st_size > 5000


def _expressive(bars_of_rest: int = 3) -> bytes:
    """A clarinet line at concert pitch with a dynamic, a hairpin, a slur, articulations,
    rests with an mp before the entry, and a fermata; a flute doubling it."""
    def note(step, dur, kind, notations=""):
        extra = f"<notations>{notations}</notations>" if notations else ""
        return (f"<note><pitch><step>{step}</step><octave>5</octave></pitch>"
                f"<duration>{dur}</duration><type>{kind}</type>{extra}</note>")

    def direction(inner):
        return f"<direction placement='below'><direction-type>{inner}</direction-type>" \
               "</direction>"

    bars = [direction("<dynamics><p/></dynamics>") + direction("<wedge type='crescendo'/>")
            + note("C", 2, "quarter", "<slur type='start'/><articulations><staccato/>"
                   "</articulations>")
            + note("D", 2, "quarter", "<articulations><accent/></articulations>")
            + note("E", 2, "quarter") + note("F", 2, "quarter", "<slur type='stop'/>"),
            note("G", 4, "half") + direction("<wedge type='stop'/>")
            + direction("<dynamics><f/></dynamics>")
            + note("A", 4, "half", "<articulations><tenuto/></articulations>")]
    bars += ["<note><rest measure='yes'/><duration>8</duration></note>"] * bars_of_rest
    bars += ["<note><rest/><duration>6</duration><type>half</type><dot/></note>"
             + direction("<dynamics><mp/></dynamics>")
             + "<note><rest/><duration>2</duration><type>quarter</type></note>",
             note("B", 8, "whole", "<fermata type='upright'/>")]
    parts = []
    for pid in ("P1", "P2"):
        measures = "".join(
            f"<measure number='{i + 1}'>"
            + ("<attributes><divisions>2</divisions><key><fifths>0</fifths></key><time>"
               "<beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign><line>2"
               "</line></clef></attributes>" if i == 0 else "") + bar + "</measure>"
            for i, bar in enumerate(bars))
        parts.append(f"<part id='{pid}'>{measures}</part>")
    return ("<score-partwise version='4.0'><part-list><score-part id='P1'><part-name>"
            "Clarinet 1</part-name></score-part><score-part id='P2'><part-name>Flute"
            "</part-name></score-part></part-list>" + "".join(parts)
            + "</score-partwise>").encode()


MARKS = {"dynamics": "dynam", "wedge": "hairpin", "slur": "slur", "staccato": "artic",
         "accent": "artic", "tenuto": "artic", "fermata": "fermata"}


def _counts(svg: str) -> dict[str, int]:
    return {c: len(re.findall(rf'class="{c}[" ]', svg)) for c in set(MARKS.values())}


def test_expression_is_carried_to_every_part_and_the_score():
    source = _expressive()
    doc = parse_score(source)
    in_part = {"dynam": 3, "hairpin": 1, "slur": 1, "artic": 3, "fermata": 1}
    clarinet = make_part(doc, "P1", header=HEADER, instrument="clarinet_bb")
    root = etree.fromstring(clarinet)
    src = etree.fromstring(source).find("part")
    for tag in MARKS:  # every mark of the source part is in the written part
        assert len(list(root.iter(tag))) == len(list(src.iter(tag))), tag
    # the rests run 3 bars; the bar with the mp before the entry stands on its own
    styles = [(m.get("number"), m.findtext("attributes/measure-style/multiple-rest"))
              for m in root.iter("measure") if m.find("attributes/measure-style") is not None]
    assert styles == [("3", "3")]
    mp_bar = next(m for m in root.iter("measure") if m.find(".//mp") is not None)
    assert mp_bar.get("number") == "6"
    assert _counts("".join(engraved_pages(clarinet, "part").pages)) == in_part
    score = make_score(doc, header=HEADER)
    assert _counts("".join(engraved_pages(score, "score").pages)) == \
        {k: 2 * v for k, v in in_part.items()}
