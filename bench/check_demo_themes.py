"""The theme report on the demo's sketches against the plans they were made from.

Each demo cue's sketch is made by a plan naming the themes it states
(``writing.demo_plans.DEMO_PLANS``), so the cue-theme pairs a concordance should find are
known.  This sketches every cue as the demo does (its tempo map solved as in
``tests/writing/test_sketch_demo.py``), searches the four themes as the report does, and
counts the planned pairs found and the pairs reported that no plan states, in the
report's reading (``MIN_SCORE``, no head heard alone) and in the wide reading
(``WIDE_SCORE``, heads too).  The demo's variant "sindbad inverted" is found where sindbad
is and is left out here.

    .venv/bin/python bench/check_demo_themes.py
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "writing"))

from test_sketch_demo import DEMO, demo_sketches  # noqa: E402

from filmscore.writing.demo_plans import DEMO_PLANS  # noqa: E402
from filmscore.writing.plans import load_demo_themes  # noqa: E402
from filmscore.writing.themesearch import (  # noqa: E402
    DEFAULT_WEIGHTS,
    MIN_SCORE,
    WIDE_SCORE,
    WIDE_WEIGHTS,
    build_index,
    concordance,
    is_head,
    one_theme_per_passage,
)

#: one theme per passage (``themesearch.heard_as``) as the report shows them;
#: ``--no-rivals``: every theme's places alone
RIVALS = "--no-rivals" not in sys.argv


def main() -> int:
    themes = load_demo_themes(DEMO / "themes")
    pieces = {number: music for number, (_, _, music, _) in demo_sketches().items()}
    planned = {(number, u.theme) for number in pieces
               for u in DEMO_PLANS[number].melody + DEMO_PLANS[number].counter}
    index = build_index(pieces)
    for label, floor, weights in (("report", MIN_SCORE, DEFAULT_WEIGHTS),
                                  ("wide", WIDE_SCORE, WIDE_WEIGHTS)):
        found = concordance(index, themes, min_score=WIDE_SCORE, weights=weights)
        heads = weights.head_cost is not None
        shown = {name: [m for m in matches
                        if m.score >= floor and (heads or not is_head(m.transform))]
                 for name, matches in found.by_theme.items()}
        if RIVALS:  # one theme per passage, as the report shows them
            shown = one_theme_per_passage(shown)
        pairs = {(m.piece, name) for name, matches in shown.items() for m in matches}
        right, wrong = pairs & planned, pairs - planned
        print(f"{label} (from {floor:g}{', heads too' if heads else ''}): "
              f"{len(right)} of {len(planned)} planned cue-theme pairs found; "
              f"not planned: {sorted(wrong) or 'none'}; missed: {sorted(planned - pairs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
