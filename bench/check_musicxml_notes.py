"""Our notes-only MusicXML reader against music21, note for note, and their parsing times.

For each score: music21's notes as the theme search reads them
(``themesearch_eval._read_with_music21``: converter.parse, toSoundingPitch,
flatten().stripTies()) and ours (``formats.musicxml_notes.read_score_notes``, music21's
offsets); every part's (onset, duration, pitch) must be the same, and its name, and the
bar table.  Both are timed in the same run, one after the other (ours first, each after
a garbage collection), each file once.

The scores: the five Hauptstimme movements (bench/data/hauptstimme), Mozart's 41st
symphony, 2nd movement (tests/data/scores), and with ``--corpus`` the MusicXML files of
the bench corpus of bench_themesearch.py (music21's corpus: Beethoven, Mozart and Haydn
quartets, then Bach chorales) up to two hours.

    .venv/bin/python bench/check_musicxml_notes.py [--corpus]

Exit status 1 when any score differs.
"""

from __future__ import annotations

import gc
import sys
import time
import warnings
from fractions import Fraction
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from themesearch_eval import _read_with_music21, movements  # noqa: E402

from filmscore.formats.musicxml_notes import read_score_notes  # noqa: E402

ORCHESTRAL = [*movements(), ROOT / "tests/data/scores/mozart41_2/sheet.mxl"]


def corpus_files(target_s: float = 2 * 3600) -> list[Path]:
    """The MusicXML files bench_themesearch's corpus reads, up to ``target_s`` seconds."""
    from bench_themesearch import _corpus_paths

    out, total = [], 0.0
    for path in _corpus_paths():
        if total >= target_s:
            break
        if path.suffix.lower() not in (".mxl", ".xml", ".musicxml"):
            continue
        out.append(path)
        total += read_score_notes(path, from_bar_one=False).seconds
    return out


def compare(path: Path) -> tuple[float, float, int, list[str]]:
    """(music21 s, ours s, notes, differences) for one score."""
    # ours first, after a collection: music21's score is a large graph of cycles, and
    # reading after it, ours paid for the garbage collector's walks over it
    gc.collect()
    t0 = time.perf_counter()
    ours = read_score_notes(path, from_bar_one=False)
    t1 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, bars, _ = _read_with_music21(path)
    t2 = time.perf_counter()
    gc.collect()
    problems = []
    if len(theirs.parts) != len(ours.music.parts):
        problems.append(f"{len(theirs.parts)} parts in music21, {len(ours.music.parts)} ours")
    for index, (a, b) in enumerate(zip(theirs.parts, ours.music.parts, strict=False)):
        # music21's partName or "part N" (the eval's fallback) against ours ("Part N")
        if a.name.lower() != b.name.lower():
            problems.append(f"part {index + 1}: name {a.name!r} / {b.name!r}")
        if a.notes != b.notes:
            only_a = sorted(set(a.notes) - set(b.notes))[:3]
            only_b = sorted(set(b.notes) - set(a.notes))[:3]
            problems.append(f"part {index + 1} {a.name}: music21 only {only_a}, ours only "
                            f"{only_b}")
    if [(Fraction(o), n) for o, n in bars] != list(ours.bars):
        problems.append("bar tables differ")
    return t2 - t1, t1 - t0, theirs.note_count, problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    files = ORCHESTRAL + (corpus_files() if "--corpus" in argv else [])
    total_m21 = total_ours = 0.0
    bad = 0
    print("| score | notes | music21 | ours | speed-up | same notes |")
    print("|---|---:|---:|---:|---:|---|")
    for path in files:
        m21_s, ours_s, notes, problems = compare(path)
        total_m21 += m21_s
        total_ours += ours_s
        bad += bool(problems)
        name = "/".join(path.parts[-2:])
        print(f"| {name} | {notes:,} | {m21_s:.2f} s | {ours_s:.2f} s | "
              f"{m21_s / ours_s:.1f}x | {'yes' if not problems else 'NO'} |")
        for line in problems:
            print(f"    {line}")
    print(f"| **all {len(files)}** | | {total_m21:.1f} s | {total_ours:.1f} s | "
          f"{total_m21 / total_ours:.1f}x | {len(files) - bad}/{len(files)} |")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
