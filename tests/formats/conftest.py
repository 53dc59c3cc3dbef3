"""Helpers to look at the PDFs the format tests write: word boxes and rendered pages.

``pdf_words(path)`` is every page's words with their boxes (``pdftotext -bbox``, in
points from the top left); ``pdf_gray(path, page, dpi)`` renders one page with
``pdftoppm -gray`` and returns it as a 2-D array of 0 (black) .. 255 (white).
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>", re.S)


def words_of(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [[(float(a), float(b), float(c), float(d), html.unescape(w))
             for a, b, c, d, w in _WORD.findall(page)] for page in _PAGE.findall(out)]


def overlaps(words: list[tuple[float, float, float, float, str]], slack: float = 0.5
             ) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than ``slack`` points both ways."""
    found = []
    for i, (a0, b0, a1, b1, w) in enumerate(words):
        for c0, d0, c1, d1, v in words[i + 1:]:
            if min(a1, c1) - max(a0, c0) > slack and min(b1, d1) - max(b0, d0) > slack:
                found.append((w, v))
    return found


def gray_page(path: Path, page: int = 1, dpi: int = 60) -> np.ndarray:
    stem = path.with_name(f"{path.stem}_p{page}_{dpi}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", "-f", str(page),
                    "-l", str(page), str(path), str(stem)], check=True)
    data = stem.with_suffix(".pgm").read_bytes()
    head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
    assert head, "pdftoppm wrote no PGM"
    width, height = int(head.group(1)), int(head.group(2))
    return np.frombuffer(data[head.end():], dtype=np.uint8).reshape(height, width)


@pytest.fixture
def pdf_words():
    return words_of


@pytest.fixture
def word_overlaps():
    return overlaps


@pytest.fixture
def pdf_gray():
    return gray_page
