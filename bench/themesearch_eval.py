"""Theme search on real annotated orchestral scores: precision and recall per movement.

Data: bench/data/hauptstimme (five movements of the Hauptstimme corpus: the .mxl score
and its ``_annotations.csv``; see CREDITS.md there).  Each annotation row says where a
main theme (label a, b, ... or i) is carried, by which part, at which bar and beat.

For each label, its first row is the query: the notes of that part from that point until
the next row of any label in the same part, at least 6 and at most 12 notes (the top note
of each onset).  We search the movement for it (``search``, all transforms) and score:

- a *match event*: matches (in any part) grouped by bar, bars at most 1 apart joined, so
  a theme doubled in four parts counts once; events within 1 bar of the query are the
  query itself and are dropped;
- (a) all later rows of the label: recall = rows with a match within +/-1 bar (any part;
  and, stricter, in the annotated part), precision = events within +/-1 bar of a row of
  the label;
- (b) returns only (a row of X after a row of another label since X's previous row):
  recall over the returns; precision = events near a return / events not near a hand-off
  row (matches explained by a hand-off are neither right nor wrong for (b)).

The baseline is an exact transposed match of the query's first 6 notes' 5 intervals,
in any line (same lines as ours: each part and the top line), scored the same way.

    .venv/bin/python bench/themesearch_eval.py [--min-score 0.55] [--write]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import pickle
import sys
import time
from bisect import bisect_right
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))

from _common import replace_between  # noqa: E402

from filmscore.formats.musicxml_notes import read_score_notes  # noqa: E402
from filmscore.sync.tempomap import Meter  # noqa: E402
from filmscore.writing.melody import part_names  # noqa: E402
from filmscore.writing.music import Music, Note, Part  # noqa: E402
from filmscore.writing.themesearch import (  # noqa: E402
    DEFAULT_WEIGHTS,
    TRANSFORMS,
    Match,
    Weights,
    build_index,
    one_theme_per_passage,
    search,
)

DATA = BENCH / "data" / "hauptstimme"
CACHE = Path("/tmp/filmscore-themesearch-cache")
DOC = ROOT / "BENCHMARKS.md"
QUERY_MIN, QUERY_MAX = 6, 12
THRESHOLDS = (0.45, 0.55, 0.65, 0.75, 0.85)
#: the thresholds the leave-one-movement-out fit chooses from (issue 16)
GRID = tuple(round(0.45 + 0.05 * i, 2) for i in range(11))
#: and the weights (themesearch.Weights) it chooses from with them
WEIGHT_GRID = tuple(Weights(bits, info, under, cost, None) for bits in (20.0, 30.0, 40.0)
                    for info in (0.15, 0.3, 0.45) for under in (0.05, 0.1, 0.2)
                    for cost in (0.0, 0.1, 0.2))
#: the report's reading of the product's weights: no theme's head read alone
REPORT_WEIGHTS = DEFAULT_WEIGHTS
assert REPORT_WEIGHTS.head_cost is None
#: the wide reading also reads the theme's head alone (``Weights.head_cost``): the costs
#: its fit chooses from (None: not read), at the report's weights
HEAD_COSTS = (None, 0.05, 0.1, 0.15, 0.2)
#: what the fit of the report's threshold and the weights maximises on the four
#: movements: the issue's three F1 figures, averaged ...
TARGETS = ("ret-any", "ret-same", "all-any")
#: ... and what the wide reading's threshold maximises at those weights: every row, the
#: hand-offs in mid-phrase too (``--min-score``, themesearch.WIDE_SCORE)
WIDE_TARGETS = ("all-any",)


# --- loading ------------------------------------------------------------------------------


def _read_with_music21(path: Path) -> tuple[Music, list[tuple[float, int]], float]:
    """A score as Music (sounding pitch, ties joined, grace notes dropped), its bars, and
    its length in seconds at its own tempo marks (100 quarters a minute where unmarked)."""
    import music21

    score = music21.converter.parse(str(path))
    try:
        score = score.toSoundingPitch()
    except Exception:  # noqa: BLE001 - a score music21 cannot transpose is read as written
        pass
    parts, bars = [], []
    ts = score.recurse().getElementsByClass("TimeSignature").first()
    meter = Meter(ts.numerator, ts.denominator) if ts is not None else Meter()
    for index, part in enumerate(score.parts):
        if index == 0:
            bars = [(float(m.offset), int(m.number))
                    for m in part.getElementsByClass("Measure")]
        notes = []
        for el in part.flatten().stripTies().notes:
            dur = Fraction(el.quarterLength)
            if dur <= 0:
                continue
            onset = Fraction(el.offset)
            pitches = getattr(el, "pitches", ())  # unpitched percussion has none
            for p in pitches:
                notes.append(Note(onset, dur, min(127, max(0, int(round(p.ps))))))
        parts.append(Part(part.partName or f"part {index + 1}", tuple(notes)))
    music = Music(tuple(parts), meter=meter, title=path.stem)
    seconds = 0.0
    try:
        for start, end, mark in score.metronomeMarkBoundaries():
            bpm = mark.getQuarterBPM() or 100.0
            seconds += (end - start) * 60.0 / bpm
    except Exception:  # noqa: BLE001 - no usable marks: 100 quarters a minute
        seconds = 0.0
    if seconds <= 0:
        seconds = float(music.end) * 60.0 / 100.0
    return music, bars, seconds


def load_score(path: Path) -> tuple[Music, list[tuple[float, int]], float]:
    """The score as Music (onsets as music21's offsets, from the first measure), a bar
    table and seconds.  MusicXML is read by ``formats.musicxml_notes`` (music21's notes,
    checked note for note by bench/check_musicxml_notes.py, in a tenth of its time);
    other formats (the corpus's Humdrum .krn) by music21, cached under /tmp by the file's
    bytes."""
    if path.suffix.lower() in (".mxl", ".xml", ".musicxml"):
        got = read_score_notes(path, from_bar_one=False)
        return got.music, [(float(o), n) for o, n in got.bars], got.seconds
    digest = hashlib.sha1(path.read_bytes()).hexdigest()[:16]
    cached = CACHE / f"{path.stem}-{digest}-v2.pkl"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    value = _read_with_music21(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(value))
    tmp.replace(cached)
    return value


# --- annotations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    qstamp: Fraction
    bar: int
    label: str
    part_num: int


def read_rows(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as f:
        return [Row(Fraction(r["qstamp"]).limit_denominator(48), int(r["measure"]), r["label"],
                    int(r["part_num"])) for r in csv.DictReader(f)]


def returns_of(rows: list[Row]) -> set[int]:
    """Indices of rows that are returns: another label was heard since the label's last row."""
    out, last_seen = set(), {}
    for i, row in enumerate(rows):
        if row.label in last_seen:
            between = rows[last_seen[row.label] + 1:i]
            if any(r.label != row.label for r in between):
                out.add(i)
        last_seen[row.label] = i
    return out


def query_for(music: Music, rows: list[Row], first: int) -> Music:
    row = rows[first]
    part = music.parts[row.part_num]
    later = [r.qstamp for r in rows[first + 1:] if r.part_num == row.part_num]
    stop = min(later) if later else None
    tops: dict[Fraction, Note] = {}
    for n in part.notes:
        if n.onset >= row.qstamp and (n.onset not in tops or n.pitch > tops[n.onset].pitch):
            tops[n.onset] = n
    notes = [tops[k] for k in sorted(tops)]
    take = [n for n in notes if stop is None or n.onset < stop][:QUERY_MAX]
    if len(take) < QUERY_MIN:
        take = notes[:QUERY_MIN]
    return Music((Part(part.name, tuple(take)),), meter=music.meter)


# --- scoring ------------------------------------------------------------------------------


def bar_of(bars: list[tuple[float, int]], onset: float) -> int:
    i = bisect_right([b[0] for b in bars], onset + 1e-9) - 1
    return bars[max(i, 0)][1]


@dataclass
class Tally:
    events: int = 0
    events_hit: int = 0
    rows: int = 0
    rows_found: int = 0
    rows_found_part: int = 0
    ret_rows: int = 0
    ret_found: int = 0
    ret_events: int = 0  # events not near a hand-off row
    ret_events_hit: int = 0

    def add(self, other: Tally) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @staticmethod
    def _f(p: float | None, r: float | None) -> float | None:
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def prf(self) -> tuple[float | None, float | None, float | None]:
        p = self.events_hit / self.events if self.events else None
        r = self.rows_found / self.rows if self.rows else None
        return p, r, self._f(p, r)

    def prf_returns(self) -> tuple[float | None, float | None, float | None]:
        p = self.ret_events_hit / self.ret_events if self.ret_events else None
        r = self.ret_found / self.ret_rows if self.ret_rows else None
        return p, r, self._f(p, r)


def score_label(found: list[tuple[int, str]], rows: list[Row], names: list[str], label: str,
                first: int, returns: set[int]) -> Tally:
    """found: (bar, part) of each match of the label's query."""
    q_bar = rows[first].bar
    found = [(b, p) for b, p in found if abs(b - q_bar) > 1]
    mine = [i for i, r in enumerate(rows) if r.label == label and i != first
            and abs(r.bar - q_bar) > 1]
    label_bars = [r.bar for r in rows if r.label == label]
    ret_bars = [rows[i].bar for i in mine if i in returns]
    handoff_bars = [rows[i].bar for i in mine if i not in returns]
    t = Tally()
    events: list[list[int]] = []
    for b in sorted({b for b, _ in found}):
        if events and b - events[-1][-1] <= 1:
            events[-1].append(b)
        else:
            events.append([b])

    def near(ev: list[int], targets: list[int]) -> bool:
        return any(abs(b - x) <= 1 for b in ev for x in targets)

    t.events = len(events)
    t.events_hit = sum(near(ev, label_bars) for ev in events)
    for ev in events:
        if near(ev, handoff_bars) and not near(ev, ret_bars):
            continue
        t.ret_events += 1
        t.ret_events_hit += near(ev, ret_bars)
    for i in mine:
        r = rows[i]
        hit_any = any(abs(b - r.bar) <= 1 for b, _ in found)
        hit_part = any(abs(b - r.bar) <= 1 and names[r.part_num] in p.split(" / ")
                       for b, p in found)
        t.rows += 1
        t.rows_found += hit_any
        t.rows_found_part += hit_part
        if i in returns:
            t.ret_rows += 1
            t.ret_found += hit_any
    return t


@dataclass
class Places:
    """The place protocol (issue 16): every occurrence the search reports is one place,
    as the team reads the report; nothing groups them after the search.  A place is right
    (any-part) when a row of the label is within +/-1 bar, and (same-part) when that row
    is in the place's part.  Rows and returns as for ``Tally``; for the returns'
    precision, places explained only by a hand-off row are left out, as there."""

    places: int = 0
    right_any: int = 0
    right_same: int = 0
    rows: int = 0
    found_any: int = 0
    found_same: int = 0
    ret_places_any: int = 0
    ret_right_any: int = 0
    ret_places_same: int = 0
    ret_right_same: int = 0
    ret_rows: int = 0
    ret_found_any: int = 0
    ret_found_same: int = 0

    def add(self, other: Places) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def prf(self, which: str) -> tuple[float | None, float | None, float | None]:
        """which: all-any, all-same, ret-any, ret-same."""
        rows, mode = which.split("-")
        if rows == "all":
            right, places = getattr(self, f"right_{mode}"), self.places
            found, total = getattr(self, f"found_{mode}"), self.rows
        else:
            right = getattr(self, f"ret_right_{mode}")
            places = getattr(self, f"ret_places_{mode}")
            found, total = getattr(self, f"ret_found_{mode}"), self.ret_rows
        p = right / places if places else None
        r = found / total if total else None
        return p, r, Tally._f(p, r)


def score_places(found: list[tuple[int, str]], rows: list[Row], names: list[str],
                 label: str, first: int, returns: set[int]) -> Places:
    """found: (bar, part) of each place the search reported for the label's query."""
    q_bar = rows[first].bar
    found = [(b, p) for b, p in found if abs(b - q_bar) > 1]
    mine = [i for i, r in enumerate(rows) if r.label == label and i != first
            and abs(r.bar - q_bar) > 1]
    label_rows = [(r.bar, names[r.part_num]) for r in rows if r.label == label]
    ret_rows = [(rows[i].bar, names[rows[i].part_num]) for i in mine if i in returns]
    handoff_rows = [(rows[i].bar, names[rows[i].part_num]) for i in mine if i not in returns]

    def near_row(bar: int, part: str | None, targets: list[tuple[int, str]]) -> bool:
        return any(abs(bar - b) <= 1 and (part is None or q in part.split(" / "))
                   for b, q in targets)

    t = Places(places=len(found))
    for bar, part in found:
        t.right_any += near_row(bar, None, label_rows)
        t.right_same += near_row(bar, part, label_rows)
        for mode, key in ((None, "any"), (part, "same")):
            if near_row(bar, mode, handoff_rows) and not near_row(bar, mode, ret_rows):
                continue
            setattr(t, f"ret_places_{key}", getattr(t, f"ret_places_{key}") + 1)
            setattr(t, f"ret_right_{key}", getattr(t, f"ret_right_{key}")
                    + near_row(bar, mode, ret_rows))
    for i in mine:
        r = rows[i]
        hit_any = any(abs(b - r.bar) <= 1 for b, _ in found)
        hit_same = any(abs(b - r.bar) <= 1 and names[r.part_num] in p.split(" / ")
                       for b, p in found)
        t.rows += 1
        t.found_any += hit_any
        t.found_same += hit_same
        if i in returns:
            t.ret_rows += 1
            t.ret_found_any += hit_any
            t.ret_found_same += hit_same
    return t


#: one theme per passage (``themesearch.heard_as``), as the report shows the places;
#: ``--no-rivals`` scores every label's places alone, as before it
RIVALS = True


def shown_places(found: dict[str, list[Match]]) -> dict[str, list[Match]]:
    """Each label's places that the report shows: a place another label's place names
    better (``themesearch.one_theme_per_passage``) is left out."""
    return one_theme_per_passage(found) if RIVALS else found


def baseline(index, theme: Music) -> list[tuple[int, int]]:
    """Exact transposed match of the first 6 notes (5 intervals): (flat start, line)."""
    q = np.array([n.pitch for n in sorted(theme.parts[0].notes)[:6]], np.int32)
    qi = np.diff(q)
    p = index.pitch.astype(np.int32)
    n = len(p) - len(q) + 1
    if n <= 0:
        return []
    ok = np.ones(n, bool)
    for k, iv in enumerate(qi):
        ok &= (p[k + 1:k + 1 + n] - p[k:k + n]) == iv
    ok &= index.line_of[:n] == index.line_of[len(q) - 1:len(q) - 1 + n]
    return [(int(j), int(index.line_of[j])) for j in np.nonzero(ok)[0]]


# --- the run ------------------------------------------------------------------------------


def movements() -> list[Path]:
    return sorted(p for p in DATA.glob("*.mxl") if not p.stem.endswith("_melody"))


def evaluate(min_score: float = THRESHOLDS[0], transforms: tuple[str, ...] = TRANSFORMS,
             weight_grid: tuple[Weights, ...] = ()) -> dict:
    per: dict[str, dict] = {}
    timing = {"load_s": 0.0, "index_s": 0.0, "search_s": 0.0, "queries": 0}
    for path in movements():
        t0 = time.perf_counter()
        music, bars, _ = load_score(path)
        t1 = time.perf_counter()
        index = build_index({path.stem: music})
        t2 = time.perf_counter()
        timing["load_s"] += t1 - t0
        timing["index_s"] += t2 - t1
        rows = read_rows(path.with_name(path.stem + "_annotations.csv"))
        names = part_names(music)
        rets = returns_of(rows)
        ours = {th: Tally() for th in THRESHOLDS}
        base = Tally()
        places = {(w, th): Places() for w in weight_grid for th in GRID}
        by_label: dict[tuple[Weights, float], list[Places]] = {}  # for the bootstrap
        base_places = Places()
        labels = list(dict.fromkeys(r.label for r in rows))
        firsts = {label: next(i for i, r in enumerate(rows) if r.label == label)
                  for label in labels}
        weighed: dict[Weights, dict[str, list[Match]]] = {w: {} for w in weight_grid}
        for label in labels:
            first = firsts[label]
            theme = query_for(music, rows, first)
            t3 = time.perf_counter()
            matches: list[Match] = search(index, theme, min_score=min_score, max_results=500,
                                          transforms=transforms, weights=REPORT_WEIGHTS)
            timing["search_s"] += time.perf_counter() - t3
            timing["queries"] += 1
            for th in THRESHOLDS:
                found = [(bar_of(bars, float(m.onset)), m.part) for m in matches
                         if m.score >= th]
                ours[th].add(score_label(found, rows, names, label, first, rets))
            for w in weight_grid:
                t4 = time.perf_counter()
                weighed[w][label] = matches if w == REPORT_WEIGHTS else search(
                    index, theme, min_score=GRID[0], max_results=500, transforms=transforms,
                    weights=w)
                timing["grid_s"] = timing.get("grid_s", 0.0) + time.perf_counter() - t4
            bfound = []
            for j, li in baseline(index, theme):
                ref = index.lines[li]
                bfound.append((bar_of(bars, float(index.onset[j])), ref.name))
            base.add(score_label(bfound, rows, names, label, first, rets))
            base_places.add(score_places(bfound, rows, names, label, first, rets))
        for w in weight_grid:
            for th in GRID:
                shown = shown_places({label: [m for m in weighed[w][label] if m.score >= th]
                                      for label in labels})
                for label in labels:
                    found = [(bar_of(bars, float(m.onset)), m.part) for m in shown[label]]
                    scored = score_places(found, rows, names, label, firsts[label], rets)
                    places[w, th].add(scored)
                    by_label.setdefault((w, th), []).append(scored)
        per[path.stem] = {"ours": ours, "base": base, "labels": len(labels),
                          "places": places, "base_places": base_places,
                          "by_label": by_label,
                          "rows": len(rows), "returns": len(rets), "notes": index.note_count}
    return {"per": per, "timing": timing}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def _prf(t: Tally, returns: bool = False) -> str:
    p, r, f = t.prf_returns() if returns else t.prf()
    return f"{_pct(p)} / {_pct(r)} / {_pct(f)}"


def _sweep(result: dict, title: str) -> list[str]:
    lines = ["", f"Threshold sweep, all movements pooled, {title}:", "",
             "| min_score | events | all rows P / R / F1 | returns P / R / F1 |",
             "|---:|---:|---|---|"]
    for th in THRESHOLDS:
        t = Tally()
        for d in result["per"].values():
            t.add(d["ours"][th])
        lines.append(f"| {th} | {t.events} | {_prf(t)} | {_prf(t, True)} |")
    return lines


def report(result: dict, threshold: float, prime_only: dict | None = None) -> str:
    per = result["per"]
    lines = [
        f"Operating point: `min_score={threshold}`.  P / R / F1; \"rows\" = later annotation "
        "rows of the queried labels (rows within 1 bar of the query left out); recall "
        "\"in part\" also requires the match in the annotated part.",
        "",
        "| movement | labels | rows (returns) | ours, all rows P / R / F1 | ours R in part | "
        "ours, returns P / R / F1 | baseline, all P / R / F1 | baseline, returns P / R / F1 |",
        "|---|---:|---:|---|---:|---|---|---|",
    ]
    tot_o, tot_b = Tally(), Tally()
    for name, d in per.items():
        o, b = d["ours"][threshold], d["base"]
        tot_o.add(o)
        tot_b.add(b)
        inpart = _pct(o.rows_found_part / o.rows if o.rows else None)
        lines.append(f"| {name} | {d['labels']} | {o.rows} ({o.ret_rows}) | {_prf(o)} | "
                     f"{inpart} | {_prf(o, True)} | {_prf(b)} | {_prf(b, True)} |")
    inpart = _pct(tot_o.rows_found_part / tot_o.rows if tot_o.rows else None)
    lines.append(f"| **all (pooled)** | {sum(d['labels'] for d in per.values())} | "
                 f"{tot_o.rows} ({tot_o.ret_rows}) | {_prf(tot_o)} | {inpart} | "
                 f"{_prf(tot_o, True)} | {_prf(tot_b)} | {_prf(tot_b, True)} |")
    lines += _sweep(result, "ours, all five transforms")
    lines.append(f"| baseline | {tot_b.events} | {_prf(tot_b)} | {_prf(tot_b, True)} |")
    if prime_only is not None:
        lines += _sweep(prime_only, "ours, prime only (transposed, any rhythm/ornaments)")
    tm = result["timing"]
    lines += ["", f"Search time: {tm['queries']} queries in {tm['search_s']:.2f} s "
              f"({1000 * tm['search_s'] / max(tm['queries'], 1):.0f} ms a query, all five "
              f"transforms, one movement each); index {tm['index_s']:.2f} s for "
              f"{sum(d['notes'] for d in per.values()):,} line notes."]
    return "\n".join(lines) + "\n"


def _quality(per: dict, names: list[str], key: tuple[Weights, float],
             targets: tuple[str, ...]) -> float:
    pooled = Places()
    for name in names:
        pooled.add(per[name]["places"][key])
    return sum(pooled.prf(k)[2] or 0.0 for k in targets) / len(targets)


def _fit(per: dict, names: list[str]) -> tuple[Weights, float]:
    """The weights and the report's threshold with the best mean of the ``TARGETS`` F1s
    (returns any part, returns same part, all rows any part), pooled over the movements
    ``names`` (ties: the higher threshold, the fewer places; then the grid's order); the
    report does not read a theme's head alone (``head_cost`` None: the wide reading
    does, ``_fit_wide``)."""
    keys = [key for key in per[names[0]]["places"] if key[0].head_cost is None]
    return max(keys, key=lambda key: (round(_quality(per, names, key, TARGETS), 6),
                                      key[1], -keys.index(key)))


def _fit_wide(per: dict, names: list[str], weights: Weights) -> tuple[Weights, float]:
    """The wide reading's weights (the report's, with a head cost from ``HEAD_COSTS``)
    and threshold: the best all-rows any-part F1 pooled over ``names`` (ties: the higher
    threshold, then no head reading, then the higher cost)."""
    keys = [(replace(weights, head_cost=c), th) for c in HEAD_COSTS for th in GRID]
    return max(keys, key=lambda key: (round(_quality(per, names, key, WIDE_TARGETS), 6),
                                      key[1], key[0].head_cost is None,
                                      key[0].head_cost or 0.0))


def _with_head_readings(result: dict) -> None:
    """Add the places of the head readings (``HEAD_COSTS``) at every weighting a fit
    chooses for the report (one per held-out movement and the fit on all five): the
    wide reading's fit chooses among them (``_fit_wide``)."""
    per = result["per"]
    names = list(per)
    chosen = {_fit(per, [n for n in names if n != name])[0] for name in names}
    chosen.add(_fit(per, names)[0])
    grid = tuple(replace(w, head_cost=c) for w in sorted(chosen, key=repr)
                 for c in HEAD_COSTS if c is not None)
    extra = evaluate(weight_grid=grid)
    for name in names:
        per[name]["places"].update(extra["per"][name]["places"])
        per[name]["by_label"].update(extra["per"][name]["by_label"])
    result["timing"]["grid_s"] = (result["timing"].get("grid_s", 0.0)
                                  + extra["timing"].get("grid_s", 0.0))


def held_out(result: dict) -> tuple[Places, Places,
                                   dict[str, tuple[Weights, float, Weights, float]]]:
    """Leave one movement out: the weights and the two thresholds (the report's and the
    wide reading's, with its head cost) fitted on the other four, scored on it; the five
    held-out scores pooled, at the report's threshold and in the wide reading."""
    per = result["per"]
    pooled, wide, chosen = Places(), Places(), {}
    for name in per:
        rest = [n for n in per if n != name]
        w, th = _fit(per, rest)
        w_wide, th_wide = _fit_wide(per, rest, w)
        chosen[name] = (w, th, w_wide, th_wide)
        pooled.add(per[name]["places"][w, th])
        wide.add(per[name]["places"][w_wide, th_wide])
    return pooled, wide, chosen


#: resamples of the queried labels for the held-out figures' intervals, and the interval
BOOTSTRAP, BOOTSTRAP_LEVEL = 2000, 0.9


def bootstrap(result: dict, chosen: dict[str, tuple[Weights, float, Weights, float]]
              ) -> dict[str, tuple[float, float]]:
    """How far the held-out F1s could move on other themes like these: the 27 queried
    labels resampled with replacement (each scored at its movement's held-out fit, the
    report's threshold for the returns, the wide reading's for all rows), pooled and
    scored again ``BOOTSTRAP`` times; the central ``BOOTSTRAP_LEVEL`` interval of each.
    The labels are not independent draws of every score a film will bring (five
    movements, two composers), so the interval is, if anything, too narrow."""
    per = result["per"]
    labels = []  # (report's places, wide reading's places) per label
    for name, (w, th, w_wide, th_wide) in chosen.items():
        labels += list(zip(per[name]["by_label"][w, th],
                           per[name]["by_label"][w_wide, th_wide], strict=True))
    rng = np.random.default_rng(16)
    figures: dict[str, list[float]] = {"ret-any": [], "ret-same": [], "all-any": []}
    for _ in range(BOOTSTRAP):
        report, wide = Places(), Places()
        for i in rng.integers(0, len(labels), len(labels)):
            report.add(labels[i][0])
            wide.add(labels[i][1])
        for which, pooled in (("ret-any", report), ("ret-same", report), ("all-any", wide)):
            figures[which].append(pooled.prf(which)[2] or 0.0)
    tail = (1 - BOOTSTRAP_LEVEL) / 2
    return {which: (float(np.quantile(v, tail)), float(np.quantile(v, 1 - tail)))
            for which, v in figures.items()}


def _counts(pooled: Places, wide: Places) -> str:
    """The counts behind the held-out F1s (a figure at its target is one place away)."""
    return ("The counts behind them: returns any part, "
            f"{pooled.ret_right_any} of {pooled.ret_places_any} places right and "
            f"{pooled.ret_found_any} of {pooled.ret_rows} returns found; same part, "
            f"{pooled.ret_right_same} of {pooled.ret_places_same} and {pooled.ret_found_same}"
            f" of {pooled.ret_rows}; all rows any part in the wide reading, "
            f"{wide.right_any} of {wide.places} places right and {wide.found_any} of "
            f"{wide.rows} rows found.")


def _intervals(result: dict, chosen: dict, pooled: Places, wide: Places) -> str:
    spans = bootstrap(result, chosen)
    figures = {"ret-any": (pooled, 0.5), "ret-same": (pooled, 0.4), "all-any": (wide, 0.3)}
    said = "; ".join(
        f"{which} {places.prf(which)[2]:.3f} [{spans[which][0]:.3f}, {spans[which][1]:.3f}]"
        f" (target {target})" for which, (places, target) in figures.items())
    labels = sum(d["labels"] for d in result["per"].values())
    return (f"How sure those held-out figures are (`bootstrap`: the {labels} "
            f"queried labels resampled {BOOTSTRAP:,} times, each at its movement's held-out "
            f"fit; the central {BOOTSTRAP_LEVEL:.0%} of the F1s): {said}.  Five movements "
            "by two composers cannot tell a figure from its target inside its interval.")


def _w(w: Weights) -> str:
    head = "" if w.head_cost is None else f", head {w.head_cost:g}"
    return (f"{w.info_bits:g} bits, {w.info_weight:g}, {w.under_weight:g}, "
            f"{w.transform_cost:g}{head}")


def _head(w: Weights) -> str:
    return "none" if w.head_cost is None else f"{w.head_cost:g}"


def _p3(t: Places, which: str) -> str:
    p, r, f = t.prf(which)
    return f"{_pct(p)} / {_pct(r)} / {'—' if f is None else f'{f:.3f}'}"


def report_places(result: dict) -> str:
    """The place protocol's table (issue 16): held-out figures first."""
    per = result["per"]
    pooled, wide, chosen = held_out(result)
    base = Places()
    for d in per.values():
        base.add(d["base_places"])
    cols = ("ret-any", "ret-same", "all-any", "all-same")
    head = ("| | returns, any part P / R / F1 | returns, same part P / R / F1 | "
            "all rows, any part P / R / F1 | all rows, same part P / R / F1 | places |")
    lines = [
        "Place protocol (issue 16): every occurrence reported is one place (no grouping "
        "after the search); a place is right within +/-1 bar of a row of its label, and "
        "\"same part\" also in that row's part.  The report's threshold and the weights "
        "(`themesearch.Weights`: bits a theme needs, what it loses without them, what a "
        "voice under the melody loses, what a transformed statement pays) are chosen by "
        "leave-one-movement-out: fitted on four movements (best mean F1 of returns any "
        "part, returns same part, all rows any part), scored on the fifth; the wide "
        "reading's threshold "
        "(`themesearch.WIDE_SCORE`, `themes report --wide`) likewise, at those weights "
        "with or without the theme's head read alone (`Weights.head_cost`, one of "
        f"{', '.join('none' if c is None else f'{c:g}' for c in HEAD_COSTS)}; "
        "`themesearch.WIDE_WEIGHTS`), "
        "for the best all-rows any-part F1.  The five held-out scores pooled.  "
        + ("One theme per passage (`themesearch.heard_as`, as the report shows them): a "
           "place another label's place in the same notes matches better is left out."
           if RIVALS else "Every label's places scored alone (`--no-rivals`)."),
        "", head, "|---|---|---|---|---|---:|",
        f"| **ours, held out, the report's threshold** | "
        f"{' | '.join(_p3(pooled, c) for c in cols)} | {pooled.places} |",
        f"| **ours, held out, the wide reading's threshold** | "
        f"{' | '.join(_p3(wide, c) for c in cols)} | {wide.places} |",
        f"| baseline (exact intervals, every line) | "
        f"{' | '.join(_p3(base, c) for c in cols)} | {base.places} |",
        "", _counts(pooled, wide), "", _intervals(result, chosen, pooled, wide),
        "", "Held out, per movement (its thresholds and weights fitted on the other four):",
        "",
        "| movement | threshold | weights (bits, info, under, transform) | returns any F1 | "
        "returns same F1 | wide threshold (head cost) | all any F1 there | places (wide) |",
        "|---|---:|---|---:|---:|---:|---:|---:|"]
    for name, (w, th, w_wide, th_wide) in chosen.items():
        t, tw = per[name]["places"][w, th], per[name]["places"][w_wide, th_wide]
        f = [t.prf(c)[2] for c in ("ret-any", "ret-same")] + [tw.prf("all-any")[2]]
        cells = ["—" if x is None else f"{x:.3f}" for x in f]
        lines.append(f"| {name} | {th} | {_w(w)} | {cells[0]} | {cells[1]} | "
                     f"{th_wide} ({_head(w_wide)}) | "
                     f"{cells[2]} | {t.places} ({tw.places}) |")
    w_all, th_all = _fit(per, list(per))
    w_wide_all, wide_all = _fit_wide(per, list(per), w_all)
    all_wide = Places()
    for d in per.values():
        all_wide.add(d["places"][w_wide_all, wide_all])
    lines += ["", "Fitted on all five (the product's defaults: `DEFAULT_WEIGHTS`, "
              "`WIDE_WEIGHTS` (the same with the head cost), `MIN_SCORE`, `WIDE_SCORE`): "
              "threshold "
              f"{th_all}, weights {_w(w_all)}; wide {wide_all}, head cost "
              f"{_head(w_wide_all)} (there, the five pooled, all rows any part "
              f"{_p3(all_wide, 'all-any')}).",
              "", f"Every threshold at the default weights ({_w(REPORT_WEIGHTS)}: the "
              "report's reading, no head read alone), the "
              "five movements pooled (for reading, not for choosing):",
              "", "| min_score | " + head[4:], "|---:|---|---|---|---|---:|"]
    for th in GRID:
        t = Places()
        for d in per.values():
            t.add(d["places"][REPORT_WEIGHTS, th])
        lines.append(f"| {th} | {' | '.join(_p3(t, c) for c in cols)} | {t.places} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-score", type=float, default=0.55,
                        help=f"operating point for the table, one of {THRESHOLDS}")
    parser.add_argument("--fixed-weights", action="store_true",
                        help="fit the threshold only, at the default weights (quicker)")
    parser.add_argument("--write", action="store_true",
                        help="put the tables into BENCHMARKS.md between the "
                        "themesearch-eval markers")
    parser.add_argument("--no-rivals", action="store_true",
                        help="score each label's places alone, not one theme per passage")
    args = parser.parse_args(argv)
    global RIVALS
    RIVALS = not args.no_rivals
    result = evaluate(weight_grid=(REPORT_WEIGHTS,) if args.fixed_weights else WEIGHT_GRID)
    _with_head_readings(result)
    text = report_places(result) + "\n" + report(result, args.min_score,
                                                 evaluate(transforms=("prime",)))
    print(text)
    if args.write:  # the generated block inside the theme search section
        replace_between(DOC, "<!-- themesearch-eval -->", "<!-- /themesearch-eval -->",
                        "\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
