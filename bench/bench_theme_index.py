"""Theme index speed (issue 16): read, index and search two hours of orchestral music.

The music: the orchestral scores the repository has, the five Hauptstimme movements
(bench/data/hauptstimme: Beethoven's first symphony and Beach's Gaelic symphony, 2nd
movement) and Mozart's 41st symphony, 2nd movement (tests/data/scores), read again and
again (each reading a fresh read of the file, each copy a piece of its own) until the
pieces last two hours at their own tempo marks.  music21's corpus has no orchestral
score (quartets, chorales, songs), so the six are repeated rather than padded with
chamber music, which has a tenth of the notes an hour.

Measured in one run, one after the other:

- reading: our notes-only reader (``formats.musicxml_notes.read_score_notes``) on every
  piece; music21 as the theme search read before (``themesearch_eval._read_with_music21``:
  converter.parse, toSoundingPitch, flatten().stripTies()) on each distinct file once,
  asserted to give the same notes, its time counted once for each copy;
- ``build_index`` over the pieces;
- searching: the eval's queries (the first row of each annotated theme of the five
  movements, as bench/themesearch_eval.py cuts them) and 100 queries cut from the corpus
  (bench_themesearch.make_queries: as is, transposed, inverted, retrograde, augmented,
  with passing notes), each with ``search`` (all transforms) and with the plain baseline
  (``themesearch_eval.baseline``: exact intervals of the first six notes, every line).

    .venv/bin/python bench/bench_theme_index.py [--quick] [--write]

``--quick``: a quarter of an hour and 20 cut queries; ``--write`` puts the table into
BENCHMARKS.md between the theme-index markers.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from _common import replace_between  # noqa: E402
from bench_themesearch import make_queries  # noqa: E402
from check_musicxml_notes import ORCHESTRAL, compare  # noqa: E402
from themesearch_eval import baseline, query_for, read_rows  # noqa: E402

from filmscore.formats.musicxml_notes import read_score_notes  # noqa: E402
from filmscore.writing.themesearch import WIDE_SCORE, build_index, search  # noqa: E402

DOC = ROOT / "BENCHMARKS.md"
START, END = "<!-- themeindex:start -->", "<!-- themeindex:end -->"
TARGET_S = 2 * 3600


def corpus(target_s: float) -> list[tuple[str, Path]]:
    """(piece name, file) until the pieces last ``target_s`` seconds."""
    seconds = {p: read_score_notes(p).seconds for p in ORCHESTRAL}
    out, total, copy = [], 0.0, 1
    while total < target_s:
        for path in ORCHESTRAL:
            if total >= target_s:
                break
            out.append((f"{path.parent.name}/{path.stem} #{copy}", path))
            total += seconds[path]
        copy += 1
    return out


def eval_queries():
    """The eval's queries: the first row of each label of the five annotated movements."""
    out = []
    for path in ORCHESTRAL:
        rows_file = path.with_name(path.stem + "_annotations.csv")
        if not rows_file.exists():
            continue
        music = read_score_notes(path, from_bar_one=False).music
        rows = read_rows(rows_file)
        for label in dict.fromkeys(r.label for r in rows):
            first = next(i for i, r in enumerate(rows) if r.label == label)
            out.append(query_for(music, rows, first))
    return out


def timed_search(index, queries) -> tuple[float, float, int, int]:
    """(search s, baseline s, matches, baseline matches) over ``queries``."""
    ours_s = base_s = 0.0
    found = base_found = 0
    for theme in queries:
        t0 = time.perf_counter()
        found += len(search(index, theme, min_score=WIDE_SCORE))  # as the report searches
        t1 = time.perf_counter()
        base_found += len(baseline(index, theme))
        base_s += time.perf_counter() - t1
        ours_s += t1 - t0
    return ours_s, base_s, found, base_found


def run(quick: bool = False) -> str:
    target = TARGET_S / 8 if quick else TARGET_S
    pieces_files = corpus(target)
    # music21 on each distinct file once, checked against ours note for note
    m21_of: dict[Path, float] = {}
    for path in dict.fromkeys(p for _, p in pieces_files):
        m21_s, _, _, problems = compare(path)
        if problems:
            raise SystemExit(f"{path.name}: our reader differs from music21: {problems[0]}")
        m21_of[path] = m21_s
    gc.collect()  # music21's garbage (graphs of cycles) is not ours to walk
    t0 = time.perf_counter()
    read = {name: read_score_notes(path) for name, path in pieces_files}
    read_s = time.perf_counter() - t0
    m21_s = sum(m21_of[path] for _, path in pieces_files)
    pieces = {name: got.music for name, got in read.items()}
    hours = sum(got.seconds for got in read.values()) / 3600
    notes = sum(m.note_count for m in pieces.values())
    t0 = time.perf_counter()
    index = build_index(pieces)
    index_s = time.perf_counter() - t0
    themes = eval_queries()
    cuts = [q[0] for q in make_queries(pieces, 20 if quick else 100)]
    e_ours, e_base, e_found, e_bfound = timed_search(index, themes)
    c_ours, c_base, c_found, c_bfound = timed_search(index, cuts)
    lines = [
        f"{len(pieces)} pieces ({len(m21_of)} scores, read again for each copy), "
        f"{hours:.2f} h at their tempo marks, {notes:,} notes ({index.note_count:,} in the "
        "index's lines).",
        "",
        "| step | ours | peer | peer time | note |",
        "|---|---:|---|---:|---|",
        f"| read {len(pieces)} scores | {read_s:.1f} s | music21 (parse, toSoundingPitch, "
        f"stripTies) | {m21_s:.0f} s | same notes on every score; "
        f"{m21_s / read_s:.0f}x faster |",
        f"| build_index | {index_s:.1f} s | — | — | |",
        f"| search: the eval's {len(themes)} queries | {e_ours:.1f} s | plain baseline "
        f"(exact intervals) | {e_base:.2f} s | {1000 * e_ours / len(themes):.0f} ms a query; "
        f"{e_found:,} matches (baseline {e_bfound:,}) |",
        f"| search: {len(cuts)} cut queries | {c_ours:.1f} s | plain baseline | "
        f"{c_base:.2f} s | {1000 * c_ours / len(cuts):.0f} ms a query; {c_found:,} matches "
        f"(baseline {c_bfound:,}) |",
        f"| read + index + the eval's {len(themes)} queries | "
        f"{read_s + index_s + e_ours:.1f} s | music21 read + index + baseline | "
        f"{m21_s + index_s + e_base:.0f} s | target: under a minute |",
        f"| read + index + {len(cuts)} cut queries | {read_s + index_s + c_ours:.1f} s | "
        f"music21 read + index + baseline | {m21_s + index_s + c_base:.0f} s | "
        f"target: under a minute |",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a quarter hour, 20 queries")
    parser.add_argument("--write", action="store_true",
                        help="put the table into BENCHMARKS.md between the markers")
    args = parser.parse_args(argv)
    text = run(args.quick)
    print(text)
    if args.write:
        replace_between(DOC, START, END, "\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
