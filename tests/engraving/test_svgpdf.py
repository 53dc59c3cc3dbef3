"""verovio SVG -> PDF (engraving.svgpdf): real Mozart 41/ii pages against rsvg-convert.

rsvg-convert is the oracle: the same SVG page goes through ``rsvg-convert -f pdf`` and
through our writer, both PDFs are rasterised by ``pdftoppm -r 72 -gray``, and the two
images must agree.  Thresholds (0..255 grey levels), with what we measured on these
pages when they were set (part page 1, part page 2, score page 1, score page 2):

- mean absolute difference per pixel < 3.0 (measured 0.9 - 1.3: hairlines that round to
  the neighbouring pixel row, and FreeSerif against rsvg's Nimbus Roman);
- ink coverage (pixels darker than 128) within 6 % of rsvg's (measured ours 1.5 - 3.5 %
  lighter: verovio's CSS draws a 1-unit hairline around every glyph that we leave out);
- no 8 x 8 pixel block whose mean differs by 40 or more (measured at most 24, at the
  bold tempo text: FreeSerif Bold against Nimbus Roman Bold);
- on the second pages (no title or tempo text, whose fonts differ) at 144 dpi, fewer than
  40 dark pixels (< 96) of either image with no darkish pixel (< 192) of the other within
  one pixel (measured 14 and 0; leaving out one notehead of the part page makes 59 - 98,
  so a missing element class, a wrong scale or a shift fails at once).
"""

from __future__ import annotations

import re
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from filmscore.engraving import engrave as eng
from filmscore.engraving.layout import engraved_pages
from filmscore.engraving.svgpdf import path_ops, svg_pages_to_pdf, svg_pages_to_pdf_bytes
from filmscore.errors import ParseError, ToolError
from filmscore.formats.musicxml_parts import (
    Header,
    SyncMark,
    TempoMark,
    load_score,
    make_part,
    make_score,
)

MOZART = Path(__file__).resolve().parents[1] / "data" / "scores" / "mozart41_2" / "sheet.mxl"
HEADER = Header("Popeye the Sailor (1936)", "1M3", "The Fight", composer="W. A. Mozart")
SYNCS = [SyncMark(Fraction(24), "A", "01:00:12:05", "punch")]
TEMPOS = [TempoMark(Fraction(0), Fraction(80), beat_unit="eighth", click="18-0")]
LEIPZIG = re.compile(r'<tspan font-family="Leipzig"[^>]*>[^<]*</tspan>')

MAD_MAX, INK_TOLERANCE, BLOCK, BLOCK_MAX, UNMATCHED_MAX = 3.0, 0.06, 8, 40.0, 40


@pytest.fixture(scope="module")
def pages():
    """verovio's SVG of pages 1 and 2 of the flute part and of the score, with footers."""
    doc = load_score(MOZART)
    flute = next(pid for pid, name in doc.parts if name == "flute")
    out = {}
    for kind, data in (("part", make_part(doc, flute, header=HEADER, syncs=SYNCS,
                                          tempos=TEMPOS)),
                       ("score", make_score(doc, header=HEADER, syncs=SYNCS, tempos=TEMPOS))):
        width, height = eng.PAPER_MM[eng.DEFAULT_PAPER[kind]]
        laid = engraved_pages(data, kind).pages  # as the PDF is engraved: page 1 headed
        svgs = [eng._add_footer(laid[p - 1], width_mm=width, height_mm=height,
                                footer=f"1M3 The Fight — page {p}/2") for p in (1, 2)]
        out[kind] = (svgs, width, height)
    return out


def _gray(pdf: Path, dpi: int = 72) -> np.ndarray:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True)
    data = pdf.with_suffix(".pgm").read_bytes()
    head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
    width, height = int(head.group(1)), int(head.group(2))
    return np.frombuffer(data[head.end():], dtype=np.uint8).reshape(height, width).astype(float)


def _rsvg(svg: str, width: float, height: float, pdf: Path) -> Path:
    """rsvg-convert's PDF of a verovio page; rsvg-convert trims no-break spaces at the
    ends of a <tspan> (verovio writes "\u00a0=\u00a0" in a tempo mark), so they become
    spaces it keeps (xml:space="preserve")."""
    sized = svg.replace("<svg viewBox=", f'<svg width="{width}mm" height="{height}mm" '
                        "viewBox=", 1)
    sized = sized.replace("\u00a0", " ").replace("<text ", '<text xml:space="preserve" ')
    pdf.with_suffix(".svg").write_text(sized, encoding="utf-8")
    subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(pdf), str(pdf.with_suffix(".svg"))],
                   check=True)
    return pdf


def _blocks(img: np.ndarray) -> np.ndarray:
    h, w = (s // BLOCK * BLOCK for s in img.shape)
    return img[:h, :w].reshape(h // BLOCK, BLOCK, w // BLOCK, BLOCK).mean(axis=(1, 3))


def _unmatched(a: np.ndarray, b: np.ndarray) -> int:
    """Dark pixels of ``b`` with no darkish pixel of ``a`` within one pixel."""
    near = a < 192
    grown = near.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            grown |= np.roll(np.roll(near, dy, 0), dx, 1)
    return int(((b < 96) & ~grown).sum())


@pytest.mark.parametrize("kind", ["part", "score"])
@pytest.mark.parametrize("page", [0, 1])
def test_pages_look_like_rsvg_convert(pages, kind, page, tmp_path):
    svgs, width, height = pages[kind]
    # rsvg-convert has no Leipzig text font (it prints a box): compare without the tempo
    # mark's note, which the next test checks
    svg = LEIPZIG.sub("", svgs[page])
    ours_pdf = tmp_path / "ours.pdf"
    svg_pages_to_pdf([svg], ours_pdf, width_mm=width, height_mm=height)
    ours = _gray(ours_pdf)
    oracle = _gray(_rsvg(svg, width, height, tmp_path / "rsvg.pdf"))
    assert ours.shape == oracle.shape
    assert np.abs(ours - oracle).mean() < MAD_MAX
    ink, ink_oracle = (ours < 128).mean(), (oracle < 128).mean()
    assert ink_oracle > 0.005  # a page of music, not a blank
    assert abs(ink / ink_oracle - 1) < INK_TOLERANCE
    assert np.abs(_blocks(ours) - _blocks(oracle)).max() < BLOCK_MAX
    if page == 1:
        fine, fine_oracle = _gray(ours_pdf, 144), _gray(tmp_path / "rsvg.pdf", 144)
        assert _unmatched(fine, fine_oracle) < UNMATCHED_MAX
        assert _unmatched(fine_oracle, fine) < UNMATCHED_MAX
    text = subprocess.run(["pdftotext", "-layout", str(ours_pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert f"1M3 The Fight — page {page + 1}/2" in text
    if page == 0:  # the heading is on page 1
        for field in ("Popeye the Sailor (1936)", "1M3", "The Fight", "Music: W. A. Mozart",
                      "(18-0 fc)", "= 80", "Andante cantabile", "01:00:12:05"):
            assert field in text, field
        assert ("punch" in text) == (kind == "score")


def test_tempo_note_is_drawn_from_verovios_glyphs(pages, tmp_path):
    svgs, width, height = pages["part"]
    assert LEIPZIG.search(svgs[0])
    full = tmp_path / "full.pdf"
    bare = tmp_path / "bare.pdf"
    full.write_bytes(svg_pages_to_pdf_bytes([svgs[0]], width_mm=width, height_mm=height))
    bare.write_bytes(svg_pages_to_pdf_bytes([LEIPZIG.sub("", svgs[0])], width_mm=width,
                                            height_mm=height))
    with_note, without = _gray(full), _gray(bare)
    rows, _cols = np.nonzero(np.abs(with_note - without) > 64)
    assert rows.max() < 130  # only the tempo mark above the first system changes
    # the note's ink (the text after it moves by the note's width: same ink)
    extra = (with_note[:130] < 96).sum() - (without[:130] < 96).sum()
    assert 8 <= extra < 80


def test_glyphs_are_made_once_and_drawn_inline(pages, monkeypatch):
    """Each glyph's outline is read once per document and written where it is drawn, not
    as a Form XObject: poppler showed a page of forms 2.6 to 4 times slower."""
    from filmscore.engraving import pdfwriter

    outlines = []
    real = pdfwriter.path_ops
    monkeypatch.setattr(pdfwriter, "path_ops", lambda d, m: outlines.append(d) or real(d, m))
    svgs, width, height = pages["score"]
    pdf = svg_pages_to_pdf_bytes(svgs, width_mm=width, height_mm=height, title="Score")
    assert pdf.startswith(b"%PDF-")
    glyphs, notes = set(), set()
    for svg in svgs:
        defs = re.search(r"<defs>(.*?)</defs>", svg).group(1)
        glyphs |= set(re.findall(r' d="([^"]*)"', defs))
        notes |= set("".join(re.findall(r'<tspan font-family="Leipzig"[^>]*>([^<]*)<', svg)))
    assert len(notes) == 1  # the tempo mark's eighth note, from verovio's Leipzig outlines
    assert glyphs <= set(outlines) and len(outlines) == len(set(outlines)) == len(glyphs) + 1
    assert b"/Subtype /Form" not in pdf
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 2


SHAPES = """<svg xmlns="http://www.w3.org/2000/svg" width="101.6mm" height="63.5mm"
 viewBox="0 0 1000 625">
<style type="text/css">#s g.big {font-weight:bold} #s rect {stroke:currentColor}</style>
<defs><g id="dot"><path transform="scale(1,-1)" d="M0 0a30 30 0 1 0 60 0a30 30 0 1 0 -60 0z"/></g>
</defs>
<g color="#0000ff" fill="#00ff00"><rect x="20" y="20" width="200" height="100"
 stroke-width="12" fill="currentColor"/></g>
<ellipse cx="400" cy="80" rx="100" ry="50" fill="none" stroke="black" stroke-width="10"/>
<circle cx="600" cy="80" r="40" fill="#f00"/>
<line x1="700" y1="20" x2="980" y2="140" stroke="black" stroke-width="16"
 stroke-linecap="round"/>
<polyline points="20,200 120,300 220,200" fill="none" stroke="black" stroke-width="8"
 stroke-linejoin="round"/>
<polygon points="300,200 400,300 500,200" fill-opacity="0.5"/>
<path d="M600 200 q50 -80 100 0 t100 0 s50 80 100 0 c20 -40 40 -40 60 0 H 980 V 320 h-20
 v-20 l-20 20 L600 320 Z" fill="black"/>
<g transform="matrix(1 0 0 1 0 0) rotate(0) translate(0, 0)">
<use href="#dot" transform="translate(100, 450) scale(1.5)"/>
<use href="#dot" x="200" y="450"/></g>
<svg x="300" y="380" width="200" height="200" viewBox="0 0 10 10">
<rect x="0" y="0" width="10" height="10"/></svg>
<g class="big"><text x="750" y="420" font-size="60" text-anchor="middle">Mid<tspan
 font-style="italic">dle</tspan></text></g>
<text x="980" y="520" font-size="50" text-anchor="end">End</text>
<text x="520" y="560" font-size="40">  Spaced   out  </text>
</svg>"""


@pytest.mark.not_looked("a test sheet drawn to the paper's edge on purpose, compared "
                        "with rsvg pixel by pixel")
def test_every_drawn_feature_against_rsvg(tmp_path):
    svg = SHAPES.replace("<svg xmlns", '<svg id="s" xmlns', 1)
    ours_pdf = tmp_path / "ours.pdf"
    ours_pdf.write_bytes(svg_pages_to_pdf_bytes([svg], width_mm=101.6, height_mm=63.5))
    oracle_pdf = tmp_path / "rsvg.pdf"
    (tmp_path / "rsvg.svg").write_text(svg, encoding="utf-8")
    subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(oracle_pdf),
                    str(tmp_path / "rsvg.svg")], check=True)
    ours, oracle = _gray(ours_pdf), _gray(oracle_pdf)
    assert ours.shape == oracle.shape == (180, 288)
    assert np.abs(ours - oracle).mean() < MAD_MAX
    assert abs((ours < 128).mean() / (oracle < 128).mean() - 1) < INK_TOLERANCE
    assert np.abs(_blocks(ours) - _blocks(oracle)).max() < BLOCK_MAX
    text = subprocess.run(["pdftotext", str(ours_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Middle" in text and "End" in text and "Spaced out" in text


def test_path_data_all_commands():
    ops, box = path_ops("M10 10 h5 v5 H0 V0 l2 2 L4 4 z")
    assert ops == "10 10 m 15 10 l 15 15 l 0 15 l 0 0 l 2 2 l 4 4 l h"
    assert box == (0, 0, 15, 15)
    # S reflects the last C control point, T the last Q's; relative m continues as l
    ops, _ = path_ops("m1 1 2 0 c1 1 2 1 3 0 s2 -1 3 0")
    assert ops == "1 1 m 3 1 l 4 2 5 2 6 1 c 7 0 8 0 9 1 c"
    ops, _ = path_ops("M0 0 Q3 3 6 0 T12 0")
    assert ops.startswith("0 0 m 2 2 4 2 6 0 c 8 -2 10 -2 12 0 c")
    # a half circle of radius 10 as two quarter arcs of cubic Béziers, flipped by a matrix
    ops, box = path_ops("M0 0 A10 10 0 0 1 20 0", (1.0, 0.0, 0.0, -1.0, 0.0, 0.0))
    assert ops.count(" c") == 2 and ops.endswith("20 0 c")
    assert box[3] == pytest.approx(10, abs=0.01)  # the top of the circle, y flipped
    for bad in ("10 10 L5 5", "M10", "M1 1 X2 2", "M1 1 z 3"):
        with pytest.raises(ToolError, match="cannot draw the SVG path"):
            path_ops(bad)


@pytest.mark.parametrize("body, named", [
    ('<image href="x.png" width="10" height="10"/>', "<image>"),
    ('<rect width="10" height="10" fill="url(#grad)"/>', "url(#grad)"),
    ('<path d="M0 0 L9 9" stroke="black" stroke-dasharray="2 2"/>', "stroke-dasharray"),
    ('<g opacity="0.5"><rect width="5" height="5"/></g>', "group opacity"),
    ('<use href="#nowhere"/>', "#nowhere"),
    ('<rect width="5" height="5" rx="2"/>', "rounded"),
    ('<text x="1" y="1"><textPath href="#p">a</textPath></text>', "<textPath>"),
    ('<style>g > rect {fill: red}</style>', "selector"),
    ('<style>rect {text-decoration: underline}</style>', "text-decoration"),
])
def test_unsupported_svg_is_refused_not_dropped(body, named, tmp_path):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{body}</svg>'
    with pytest.raises(ToolError) as info:
        svg_pages_to_pdf([svg], tmp_path / "x.pdf", width_mm=50, height_mm=50)
    assert named in str(info.value) and "\n" not in str(info.value)
    assert not list(tmp_path.iterdir())  # nothing written, not even a temporary file


def test_bad_pages(tmp_path):
    with pytest.raises(ParseError, match="page 2 is not well-formed"):
        svg_pages_to_pdf_bytes(['<svg xmlns="http://www.w3.org/2000/svg"/>', "<svg"],
                               width_mm=10, height_mm=10)
    with pytest.raises(ParseError, match="not an SVG"):
        svg_pages_to_pdf_bytes(["<html/>"], width_mm=10, height_mm=10)
    with pytest.raises(ToolError, match="no SVG page"):
        svg_pages_to_pdf_bytes([], width_mm=10, height_mm=10)
