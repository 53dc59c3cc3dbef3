"""A synthetic film score's album candidates, for bench/bench_album.py (fixed seed).

``make_score(seed, cues=150)`` gives the candidates as the sequencer sees them
(``album.sequence.Item``), in four kinds, like a real album's candidate list:

- **cues**: ``cues`` cues over 10 reels ("1M1" ... "10M15"), in film order.  Lengths are
  log-normal (median 75 s; a film score is mostly short cues and a few long set pieces)
  kept within 0:20-6:00, sample-exact at 48 kHz; the main title (1M1, 2:30-3:30) and the
  end credits (the last cue, 5:00-6:00) are rated 5 and pinned first and last.
- **alternates** (a tenth of the cues): another take or mix of a cue, within 10% of its
  length, rated one point either side of it.
- **album versions** (one cue in fifteen): a longer, fuller arrangement, rated a point
  higher.
- **suites** (one in fifteen): two to four consecutive short cues (under 1:30 each) joined
  with 40 ms crossfades, rated a point above the best of them.
  Alternates, album versions and suites share cues with the cues they are made from, so
  they are alternatives of them.

Ratings are 0-5 (mostly 2-3; a long cue is a little likelier to be rated higher).  12
themes are spread over the cues with a long tail (the main theme in about a third of
the cues, the rarest in a handful), 0-3 per cue.  Loudness -30 to -12 LUFS, bass share
5-50%, tempo 50-170 BPM.

    .venv/bin/python bench/album_data.py [--seed 1936] [--cues 150]   (prints a summary)
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

SEED = 1936
THEMES = ("Main", "Love", "Villain", "Journey", "Home", "Storm", "Chase", "Loss",
          "Friendship", "Secret", "Sea", "Triumph")
RATE = 48000
CROSSFADE = Fraction(40, 1000)


def _seconds(value: float) -> Fraction:
    return Fraction(round(value * RATE), RATE)


def make_score(seed: int = SEED, cues: int = 150) -> list:
    from filmscore.album.sequence import Item

    rng = random.Random(seed)
    weights = [1 / (k + 1) ** 0.9 for k in range(len(THEMES))]
    per_reel = math.ceil(cues / 10)
    out: list[Item] = []
    base: list[Item] = []
    for i in range(cues):
        reel, seq = divmod(i, per_reel)
        number = f"{reel + 1}M{seq + 1}"
        seconds = min(360.0, max(20.0, math.exp(rng.gauss(math.log(75), 0.75))))
        count = rng.choices((0, 1, 2, 3), (25, 45, 22, 8))[0]
        themes: set[str] = set()
        while len(themes) < count:
            themes.add(rng.choices(THEMES, weights)[0])
        rating = rng.choices((0, 1, 2, 3, 4, 5), (5, 15, 28, 30, 16, 6))[0]
        if seconds > 120 and rating < 5 and rng.random() < 0.3:
            rating += 1
        pinned = ""
        if i == 0:
            seconds, rating, pinned = rng.uniform(150, 210), 5, "first"
            themes = {"Main", "Journey"}
        elif i == cues - 1:
            seconds, rating, pinned = rng.uniform(300, 360), 5, "last"
            themes = {"Main", "Love", "Triumph"}
        item = Item(
            key=number, seconds=_seconds(seconds), rating=rating,
            themes=frozenset(themes), film_order=10 * i,
            loudness_lufs=round(min(-12.0, max(-30.0, rng.gauss(-20, 4))), 1),
            bass_share=round(min(0.5, max(0.05, rng.betavariate(2, 5) * 0.8)), 3),
            tempo_bpm=float(rng.randint(50, 170)), cues=frozenset({number}),
            pinned=pinned)
        base.append(item)
        out.append(item)
    middle = base[1:-1]
    for item in rng.sample(middle, len(base) // 10):
        out.append(_variant(item, f"{item.key} alt", rng.uniform(0.9, 1.1),
                            max(0, min(5, item.rating + rng.choice((-1, 0, 1)))), 1, rng))
    for item in rng.sample(middle, len(base) // 15):
        out.append(_variant(item, f"{item.key} album", rng.uniform(1.1, 1.4),
                            min(5, item.rating + 1), 2, rng))
    def short(n: int) -> bool:
        return base[n].seconds < 90

    used: set[int] = set()
    for _ in range(len(base) // 15):
        starts = [n for n in range(1, len(base) - 5) if short(n) and short(n + 1)
                  and not used & set(range(n - 1, n + 5))]
        if not starts:
            break
        n = rng.choice(starts)
        size = 2
        while size < rng.randint(2, 4) and short(n + size):
            size += 1
        parts = base[n:n + size]
        used |= set(range(n, n + size))
        seconds = sum(p.seconds for p in parts) - CROSSFADE * (len(parts) - 1)
        out.append(Item(
            key=f"Suite {parts[0].key}-{parts[-1].key}", seconds=seconds,
            rating=min(5, max(p.rating for p in parts) + 1),
            themes=frozenset().union(*(p.themes for p in parts)),
            film_order=parts[0].film_order + 3,
            loudness_lufs=max(p.loudness_lufs for p in parts),
            bass_share=round(sum(p.bass_share for p in parts) / len(parts), 3),
            tempo_bpm=parts[0].tempo_bpm, cues=frozenset(p.key for p in parts)))
    return out


def _variant(item, key: str, stretch: float, rating: int, offset: int, rng):
    from dataclasses import replace

    return replace(item, key=key, seconds=_seconds(min(360.0, float(item.seconds) * stretch)),
                   rating=rating, film_order=item.film_order + offset, pinned="",
                   loudness_lufs=round(item.loudness_lufs + rng.uniform(-1.5, 1.5), 1))


def summary(items: list) -> str:
    from filmscore.album.sequence import clock

    cues = [i for i in items if len(i.cues) == 1 and " " not in i.key]
    total = sum(i.seconds for i in cues)
    lengths = sorted(i.seconds for i in cues)
    themes = {t: sum(t in i.themes for i in cues) for t in THEMES}
    ratings = {r: sum(i.rating == r for i in items) for r in range(6)}
    return (f"{len(items)} candidates: {len(cues)} cues ({clock(total)} of music; shortest "
            f"{clock(lengths[0])}, median {clock(lengths[len(lengths) // 2])}, longest "
            f"{clock(lengths[-1])}), {sum(i.key.endswith(' alt') for i in items)} "
            f"alternates, {sum(i.key.endswith(' album') for i in items)} album versions, "
            f"{sum('uite' in i.key for i in items)} suites; ratings "
            f"{', '.join(f'{r}: {n}' for r, n in ratings.items())}; cues per theme "
            f"{', '.join(f'{t} {n}' for t, n in themes.items())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--cues", type=int, default=150)
    args = parser.parse_args()
    print(summary(make_score(args.seed, args.cues)))
