"""Run the playability check over real scores and write docs/playability-report.md.

Scores: the MCTL Mozart Symphony 41/ii (tests/data/scores/mozart41_2/sheet.mxl), the
Hauptstimme orchestral movements (bench/data/hauptstimme/*.mxl), and from the music21
corpus: 30 Bach chorales (every n-th of ``corpus.getComposer("bach")`` named bwv*, for SATB
voice ranges), the Beethoven, Haydn and Mozart string quartet movements
(``corpus.getComposer``, .mxl only) and 10 Monteverdi madrigals (five voices).  The corpus
has no orchestral score beyond these.  Deterministic: sorted file lists, no randomness.

    .venv/bin/python bench/check_corpus.py [--out docs/playability-report.md]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from filmscore.errors import FilmscoreError  # noqa: E402
from filmscore.fileio import write_atomic  # noqa: E402
from filmscore.formats.score_survey import read_score_survey  # noqa: E402
from filmscore.orchestration.check import KINDS, check_score  # noqa: E402

FIRST_FLAGS = 4


def corpus_scores() -> list[tuple[str, Path]]:
    from music21 import corpus

    def mxl(composer: str) -> list[Path]:
        return sorted(Path(str(p)) for p in corpus.getComposer(composer)
                      if str(p).endswith((".mxl", ".xml", ".musicxml")))

    out: list[tuple[str, Path]] = []
    chorales = [p for p in mxl("bach") if p.name.startswith("bwv")]
    step = max(1, len(chorales) // 30)
    out += [("Bach chorales (music21)", p) for p in chorales[::step][:30]]
    for composer in ("beethoven", "haydn", "mozart"):
        out += [(f"{composer.title()} string quartets (music21)", p) for p in mxl(composer)]
    out += [("Monteverdi madrigals (music21)", p) for p in mxl("monteverdi")[:10]]
    return out


def label(path: Path) -> str:
    parts = path.parts
    for anchor in ("corpus", "bench", "tests"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1:])
    return path.name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "playability-report.md"))
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    scores: list[tuple[str, Path]] = [
        ("MCTL Mozart (tests/data)", ROOT / "tests/data/scores/mozart41_2/sheet.mxl")]
    scores += [("Hauptstimme", p) for p in sorted((ROOT / "bench/data/hauptstimme").glob("*.mxl"))]
    scores += corpus_scores()
    totals: dict[str, Counter[str]] = {}
    sections: list[str] = []
    started = time.perf_counter()
    for group, path in scores:
        name = label(path)
        try:
            report = check_score(read_score_survey(path))
        except FilmscoreError as error:
            sections.append(f"### {name}\n\nnot checked: {error}\n")
            continue
        totals.setdefault(group, Counter()).update(report.counts)
        totals[group]["scores"] += 1
        counts = ", ".join(f"{k} {n}" for k, n in report.counts.items() if n) or "no flags"
        lines = [f"### {name}", "", f"{len(report.parts_checked)} parts checked, "
                 f"{len(report.parts_skipped)} skipped. {counts}.", ""]
        for part, reason in report.parts_skipped:
            lines.append(f"- skipped {part}: {reason}")
        for note in report.notes:
            lines.append(f"- note: {note}")
        shown: list[str] = []
        for kind in KINDS:  # the first flags of every kind, not only the most common
            shown += [f"- {f.severity}: {f.message}" for f in report.of_kind(kind)[:FIRST_FLAGS]
                      if f.kind not in ("empty_part",)]
        lines += shown
        sections.append("\n".join(lines) + "\n")
        print(f"{name}: {counts}", flush=True)
    elapsed = time.perf_counter() - started
    table = ["| scores | files | " + " | ".join(KINDS) + " |",
             "|---|---|" + "---|" * len(KINDS)]
    for group, counter in totals.items():
        table.append(f"| {group} | {counter['scores']} | "
                     + " | ".join(str(counter[k]) for k in KINDS) + " |")
    text = "\n".join([
        "# Playability report",
        "",
        "Made by `bench/check_corpus.py` (filmscore's `check_score` over real scores; "
        f"{len(scores)} files in {elapsed:.0f} s on this machine). Regenerate it with "
        "`.venv/bin/python bench/check_corpus.py`; only the section *What the flags mean* "
        "is written by hand, in the script.",
        "",
        "## Flags per kind",
        "",
        *table,
        "",
        DISCUSSION,
        "## Per score (first flags of each kind)",
        "",
        *sections,
    ])
    write_atomic(args.out, text)
    print(f"wrote {args.out}")
    return 0


DISCUSSION = """## What the flags mean

Checked by hand in the MusicXML (and the MCTL note tables) for the flags quoted here.

- **Ranges.** No note in the orchestral scores is outside a professional range
  (`out_of_range` 0): the professional-range warnings are real but ordinary demands of
  the period: first violins to F6-C7 (Mozart 41/ii bar 133, Beach), first horn to C5
  sounding (Beethoven 1/i bar 282: written C6 for horn in C basso), cellos to A4, and
  double basses to C1 (Mozart bar 19: the bass line doubled an octave below the cellos,
  which a four-string bass of the time played an octave up; today it needs a C extension).
  So the practical/professional split works as a difficulty marker, not as an error.
- **Chords in string parts** (`too_many_notes`, warning) are true readings of the file:
  Beethoven 1/i opens with pizzicato triple stops, Mozart 41/ii bars 115-117 has triple
  stops in eighths; both are playable as broken chords or divisi, which is what the
  warning says. A double stop flagged "both below the second string" (Mozart viola bar
  107-108, C3+F3) is unplayable by one player: the printed part divides there.
- **Chords in wind parts** (`too_many_notes`, error) appear where one staff of the file
  holds two players and the name gives one (Beach "Oboe 1", bar 163: C#5+E5). The file's
  part is a reduction of a shared staff: a false alarm of the players guess, not of the
  music. Bach chorales give none.
- **String quartets.** Beethoven's quartets give thousands of `professional_range`
  warnings because the table's practical violin top is E6 (MuseScore's amateur range)
  and late Beethoven writes above it all the time: true, but a difficulty marker only.
  Op. 132's one `out_of_range` (cello G6, bar 1005) is not verified by hand: it may be
  the old convention of cello treble clef read an octave low, which the file ignores.
- **Voices.** The chorales' parts are named Soprano/Alto/Tenor/Bass; notes outside the
  practical choir range are flagged as warnings (basses to E2 or D4). False alarms come
  from names: Monteverdi's "Alto" is a low voice (to D3, 70 `out_of_range` errors in
  madrigal 3.10) read as a modern alto, and "Quinto" is not identified at all. Some
  madrigals have a "Canto" (read as soprano) going down to B2: not checked by hand; the
  names and the notes of those files do not agree, whichever is wrong. A part named
  "Basso" in a baroque instrumental score would be read as a bass voice (it is the
  continuo): an alias cannot tell them apart.
- **Transposition.** The music21 corpus stores Bach's horn and trumpet lines at concert
  pitch without `<transpose>` (BWV 1.6 "Horn 2", BWV 171.6 trumpets): `concert_pitch_suspect`
  warns, rightly for a file meant to print parts from; the range warnings that follow
  (trumpet "in B-flat" to B5) are then measured on the wrong instrument, since the
  table has no baroque D trumpet or corno da caccia. BWV 171.6 names its parts
  "Soprano Oboe 1,2 Violin1", "Bass Continuo": combined staves, not identified.
- **Doubles.** None of these scores changes instrument within a part; the only changes
  read are the strings' "con sordini", which the check does not time (strings mute while
  playing on). `impossible_double` is exercised by the fixture only.
- **Unidentified parts.** Beach's Triangle (unpitched, not in the table) is skipped as
  info; music21's Mozart K. 545 is a piano sonata whose only part is named "MusicXML
  Part" (no instrument in the file).

"""

if __name__ == "__main__":
    raise SystemExit(main())
