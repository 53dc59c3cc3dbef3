"""Fixtures to look at the PDFs the format tests write (see ``tests/looking.py``):
``pdf_words`` (word boxes), ``word_overlaps`` and ``pdf_gray`` (a page rendered to PNG)."""

from __future__ import annotations

import pytest

from looking import page_gray, pdf_words, word_overlaps


@pytest.fixture(name="pdf_words")
def _pdf_words():
    return pdf_words


@pytest.fixture(name="word_overlaps")
def _word_overlaps():
    return word_overlaps


@pytest.fixture
def pdf_gray():
    return page_gray
