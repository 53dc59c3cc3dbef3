"""Theme search speed: index two hours of music, run 100 queries; indexed vs exhaustive.

The music is the music21 corpus that ships with the wheel: Beethoven, Mozart and Haydn
string quartets, then Bach chorales, read into Music values (MusicXML by our notes-only
reader, ``formats.musicxml_notes``; the few Humdrum .krn files by music21, cached as
pickles under /tmp) until the pieces last two hours at their own tempo marks (100
quarters a minute where unmarked).  Two hours of orchestral music:
bench/bench_theme_index.py.

100 queries are cut from the corpus (fixed seed): 8 to 12 notes of a random part at a
random place, as they are, transposed, inverted, in retrograde, augmented, or with
passing notes put between their notes.  Each is searched with all five transforms; we
report the index time, the mean query time and whether the cut's own place is found.

The peer is the same matcher without the candidate index (``exhaustive=True``: the
alignment runs over every note of the two hours) on a subset of the queries, timed in
turns with ours on the same queries.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

from _common import Result, measure_side_by_side

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_S = 2 * 3600
N_QUERIES = 100
N_PEER = 8


def _corpus_paths() -> list[Path]:
    from music21 import corpus

    paths: list[Path] = []
    for composer in ("beethoven", "mozart", "haydn"):
        found = [Path(str(p)) for p in corpus.getComposer(composer)]
        mxl = {p.with_suffix("") for p in found if p.suffix == ".mxl"}
        paths += [p for p in found if p.suffix == ".mxl"
                  or (p.suffix == ".krn" and p.with_suffix("") not in mxl)]
    bach = [Path(str(p)) for p in corpus.getComposer("bach")]
    return paths + [p for p in bach if p.suffix in (".mxl", ".xml")]


def load_corpus(target_s: float = TARGET_S):
    """Pieces {name: Music} lasting ``target_s`` seconds in all, and that total."""
    from themesearch_eval import load_score

    pieces, total = {}, 0.0
    for path in _corpus_paths():
        if total >= target_s:
            break
        try:
            music, _, seconds = load_score(path)
        except Exception as error:  # noqa: BLE001 - a corpus file music21 cannot read
            print(f"  skipped {path.name}: {error}")
            continue
        if music.note_count == 0:
            continue
        name = "/".join(path.with_suffix("").parts[-2:])
        pieces[name] = music
        total += seconds
    return pieces, total


def make_queries(pieces, n: int, seed: int = 2026):
    """(theme Music, piece, onset of the cut, what was done to it) x n."""
    from filmscore.writing.music import Music, Note, Part

    rng = random.Random(seed)
    names = sorted(pieces)
    kinds = ("as is", "transposed", "inversion", "retrograde", "augmentation",
             "passing notes")
    out = []
    while len(out) < n:
        music = pieces[rng.choice(names)]
        part = rng.choice(music.parts)
        tops: dict[Fraction, Note] = {}
        for note in part.notes:
            if note.onset not in tops or note.pitch > tops[note.onset].pitch:
                tops[note.onset] = note
        notes = [tops[k] for k in sorted(tops)]
        size = rng.randint(8, 12)
        if len(notes) < size + 1:
            continue
        i = rng.randrange(len(notes) - size)
        cut = notes[i:i + size]
        if len({x.pitch for x in cut}) < 4:
            continue  # a repeated-note accompaniment is not a theme
        kind = kinds[len(out) % len(kinds)]
        t0 = cut[0].onset
        rows = [(x.onset - t0, x.duration, x.pitch) for x in cut]
        shift = rng.choice([-5, -3, 2, 4, 7])
        if kind == "transposed":
            rows = [(o, d, p + shift) for o, d, p in rows]
        elif kind == "inversion":
            rows = [(o, d, 2 * rows[0][2] - p + shift) for o, d, p in rows]
        elif kind == "retrograde":
            end = rows[-1][0] + rows[-1][1]
            rows = sorted((end - o - d, d, p) for o, d, p in rows)
        elif kind == "augmentation":
            rows = [(2 * o, 2 * d, p) for o, d, p in rows]
        elif kind == "passing notes":
            extra = []
            for (o, d, p), (_, _, q) in zip(rows, rows[1:], strict=False):
                if d >= Fraction(1, 2) and abs(q - p) >= 3:
                    extra.append((o + d / 2, d / 2, (p + q) // 2))
                    d = d / 2
                extra.append((o, d, p))
            extra.append(rows[-1])
            rows = sorted(extra)
        theme = Music((Part("theme", tuple(Note(o, d, min(127, max(0, p)))
                                           for o, d, p in rows)),))
        name = next(k for k, v in pieces.items() if v is music)
        out.append((theme, name, cut[0].onset, kind))
    return out


def run(quick: bool = False) -> list[Result]:
    from filmscore.writing.themesearch import (
        MIN_SCORE,
        WIDE_SCORE,
        WIDE_WEIGHTS,
        build_index,
        search,
    )

    target = TARGET_S / 8 if quick else TARGET_S
    n_queries, n_peer = (20, 3) if quick else (N_QUERIES, N_PEER)
    t0 = time.perf_counter()
    pieces, total_s = load_corpus(target)
    load_s = time.perf_counter() - t0
    notes = sum(m.note_count for m in pieces.values())
    t0 = time.perf_counter()
    index = build_index(pieces)
    index_s = time.perf_counter() - t0
    print(f"  {len(pieces)} pieces, {total_s / 3600:.2f} h, {notes:,} notes "
          f"({index.note_count:,} in lines): loaded in {load_s:.1f} s, indexed in {index_s:.2f} s")
    queries = make_queries(pieces, n_queries)
    # searched as the theme report searches (down to the wide reading's threshold), then
    # read as the report reads (from MIN_SCORE); and as the wide reading searches (its
    # weights: the theme's head heard alone too) and reads (every match)
    times, times_wide, found, found_wide = [], [], 0, 0
    by_kind: dict[str, list[int]] = {}
    by_kind_wide: dict[str, list[int]] = {}
    for theme, piece, onset, kind in queries:
        start = time.perf_counter()
        matches = search(index, theme, min_score=WIDE_SCORE)
        times.append(time.perf_counter() - start)
        hit = any(m.piece == piece and abs(m.onset - onset) <= 2 and m.score >= MIN_SCORE
                  for m in matches)
        start = time.perf_counter()
        wide = search(index, theme, min_score=WIDE_SCORE, weights=WIDE_WEIGHTS)
        times_wide.append(time.perf_counter() - start)
        hit_wide = any(m.piece == piece and abs(m.onset - onset) <= 2 for m in wide)
        found += hit
        found_wide += hit_wide
        by_kind.setdefault(kind, []).append(hit)
        by_kind_wide.setdefault(kind, []).append(hit_wide)
    kinds = ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in by_kind.items())
    kinds_wide = ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in by_kind_wide.items())
    print(f"  {n_queries} queries: mean {statistics.mean(times) * 1e3:.0f} ms "
          f"(the wide reading's {statistics.mean(times_wide) * 1e3:.0f} ms), "
          f"own place found {found}/{n_queries} ({kinds}); wide reading "
          f"{found_wide}/{n_queries} ({kinds_wide})")

    subset = queries[:n_peer]
    agree = 0
    for theme, *_ in subset:
        fast = {(m.piece, m.onset, m.part) for m in search(index, theme)[:5]}
        slow = {(m.piece, m.onset, m.part) for m in search(index, theme, exhaustive=True)[:5]}
        agree += len(fast & slow) / max(len(slow), 1)

    def ours():
        for theme, *_ in subset:
            search(index, theme)

    def peer():
        for theme, *_ in subset:
            search(index, theme, exhaustive=True)

    t = measure_side_by_side({"ours": ours, "peer": peer}, repeats=1 if quick else 3,
                             warmups=0)
    mean_q = statistics.mean(times)
    return [
        Result(bench="themesearch", case=f"build_index, {len(pieces)} corpus pieces, "
               f"{total_s / 3600:.2f} h, {notes:,} notes", ours="build_index", ours_s=index_s,
               peer="no peer", peer_s=None,
               note=f"reading (MusicXML by formats.musicxml_notes, .krn by music21, "
                    f"cached under /tmp): {load_s:.0f} s"),
        Result(bench="themesearch", case=f"{n_queries} queries x 5 transforms over "
               f"{total_s / 3600:.2f} h", ours="search", ours_s=sum(times),
               peer="no peer", peer_s=None,
               note=f"mean {mean_q * 1e3:.0f} ms a query (the wide reading's, heads too, "
                    f"{statistics.mean(times_wide) * 1e3:.0f} ms); cut's own place found in "
                    f"{found}/{n_queries} ({kinds}), in the wide reading {found_wide}/"
                    f"{n_queries} ({kinds_wide}); index + queries "
                    f"{index_s + sum(times):.1f} s"),
        Result(bench="themesearch", case=f"{n_peer} queries, indexed vs exhaustive scan",
               ours="search", ours_s=t["ours"].median_s,
               peer="same matcher, exhaustive=True", peer_s=t["peer"].median_s,
               note=f"top-5 agreement {100 * agree / n_peer:.0f}%"),
    ]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r)
