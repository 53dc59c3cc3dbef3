"""Chairs whose labels clean up to one file name ("Horn 1/2" and "Horn 1:2"), and one chair
spelled two ways by two ensembles ("Perc" and "Perc."): every chair's part and book is its
own file, each holding that chair's music, and a chair has one book for the session."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

from filmscore.formats.midi_music import write_music
from filmscore.orchestration.ensembles import ensemble_from_dict
from filmscore.orchestration.service import copy_cue, orchestrate_cue, session_books
from filmscore.project import init_project, open_project
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.sync.service import set_map_by_hand
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.service import import_version


def _ensemble(name: str, perc: str) -> object:
    return ensemble_from_dict({"name": name, "chairs": [
        {"label": "Horn 1/2", "instrument": "horn"},
        {"label": "Horn 1:2", "instrument": "horn"},
        {"label": perc, "instrument": "glockenspiel"}]})


def _first_page(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())


def test_chairs_named_alike_get_a_part_and_a_book_each(tmp_path):
    init_project(tmp_path / "p", title="Chairs", fps="24")
    tmap = TempoMap.constant("24", 24, Fraction(120), bars=1)
    with open_project(tmp_path / "p") as pctx:
        for n, perc in ((1, "Perc"), (2, "Perc.")):
            number = f"1M{n}"
            add_cue(pctx, CueSpec(parse_cue_number(number), "", 24 + 96 * n, 96 + 96 * n))
            set_map_by_hand(pctx, number, tempo="120")
            music = Music((Part("horns", tuple(Note(Fraction(q), Fraction(1), 60 + q)
                                                for q in range(4)), program=60),),
                          tempo_map=tmap)
            import_version(pctx, number, write_music(music, tmp_path / f"{n}.mid",
                                                     tempo_map=tmap))
            orchestrate_cue(pctx, number, ensemble=_ensemble(f"ensemble {n}", perc))
        done = copy_cue(pctx, "1M1", tmp_path / "copy", score=False)
        files = sorted(p.name for p in (*done.parts, *done.tacets))
        assert len(files) == 3 and len({f.casefold() for f in files}) == 3, files
        assert {label for label, _ in done.by_chair} == {"Horn 1/2", "Horn 1:2", "Perc"}
        for label, pdf in done.by_chair:  # each file is its own chair's
            assert label in _first_page(pdf), (label, pdf.name)
        assert done.chair_pdf("perc.") == done.chair_pdf("Perc")
        books = session_books(pctx, ["1M1", "1M2"], tmp_path / "books", session="Day 1")
    names = sorted(p.name for p in books.books)
    assert names == ["Horn 1 2 (2).pdf", "Horn 1 2.pdf", "Perc.pdf"]  # one book for Perc
    assert "Horn 1:2" in _first_page(books.books[1])
    assert "Horn 1/2" in _first_page(books.books[0])
