"""Theme search: find every occurrence of a theme in the cues, however it is varied.

``build_index`` reads every piece once into monophonic lines (one per part, plus a
skyline across the parts to follow a melody handed between parts) and lays them end to
end in flat numpy arrays.  ``search`` matches a theme against them; ``concordance``
searches many themes and files the matches by theme and by piece; ``heard_as`` names a
passage that several themes match by the one that matches it best.

The matcher is an alignment over notes, vectorised over the whole index with numpy:

- Query note i is aligned to target note j, query note i-1 to an earlier target note
  k = j-1-g of the same line: up to ``MAX_SKIP`` target notes may be skipped between
  them (ornaments, passing notes, repeated notes), at a cost that grows with the share of
  the time they take (a short grace note is nearly free, a long note is not).  A query
  note may be missing from the target (the target goes straight to the next one).
- Each step scores the target interval P[j]-P[k] against the query interval (so the
  match is transposition-invariant and tolerates the ornament between them): the same
  interval scores 1, a semitone off (the same theme moved within the key, major for minor
  third) 0.5, a contrary direction -1.  The rhythm adds a bonus when the time between the
  two notes is the query's, scaled, and a penalty that grows with the log of the ratio:
  changed rhythm costs a little, not everything.
- Transforms: inversion negates the query's intervals, retrograde reverses it,
  augmentation and diminution scale its durations by 2 and 1/2.
- A match's score is its alignment score over the best possible (every step exact, in
  rhythm), from -inf to 1.  Overlapping matches in one line keep the best one.

Candidate retrieval keeps the search fast: every line's four-note groups (with up to one
skipped note between each two, to see through ornaments) are keyed by their three
intervals, each put in a coarse class (unison, step, third, fourth-to-fifth, sixth to
octave, wider, with direction), so that a theme moved within the key still finds its
key.  A query looks up its own groups, votes for target regions, and the alignment runs
only on the regions with enough votes.  ``search(..., exhaustive=True)`` aligns against
everything instead (for checks and the benchmark).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from filmscore.errors import InputError
from filmscore.sync.tempomap import Meter
from filmscore.writing.melody import SKYLINE, Line, music_lines, part_names, theme_line
from filmscore.writing.music import Music

TRANSFORMS = ("prime", "inversion", "retrograde", "augmentation", "diminution")
_TRANSFORM_SHAPE = {  # name -> (interval sign, reversed, time scale)
    "prime": (1, False, 1.0),
    "inversion": (-1, False, 1.0),
    "retrograde": (1, True, 1.0),
    "augmentation": (1, False, 2.0),
    "diminution": (1, False, 0.5),
}
MAX_SKIP = 3  # target notes that may be skipped between two aligned notes
MIN_THEME_NOTES = 4
#: the head of a theme (its first notes), searched for on its own where the theme is
#: long enough (``Weights.head_cost``)
HEAD_NOTES = 6
_HEAD_NAMES = {"prime": "head", "inversion": "head inverted", "retrograde": "head retrograde",
               "augmentation": "head augmented", "diminution": "head diminished"}
MAX_THEME_NOTES = 24


def is_head(transform: str) -> bool:
    """Whether a match's transformation names a theme's head heard alone."""
    return transform in _HEAD_NAMES.values()


# step scores
_RHYTHM_BONUS = 0.25  # an interval in the query's rhythm earns up to this
_RHYTHM_SLOPE = 0.35  # lost per doubling/halving of the time between the two notes
_SKIP_NOTE = 0.1  # cost of each skipped target note ...
_SKIP_TIME = 0.6  # ... plus this times the share of the time the skipped notes take
_MISSING_NOTE = 0.7  # a query note absent from the target
# half that when the note is one a variant commonly leaves out: a repeated note, or the
# first (a pickup)
_MISSING_REPEAT = _MISSING_FIRST = _MISSING_NOTE / 2
#: an interval an octave off the query's (a note of the line moved by an octave):
#: tolerated, not rewarded, as a whole tone off is
_OCTAVE_OFF = 0.0
_BEST_STEP = 1.0 + _RHYTHM_BONUS


@dataclass(frozen=True)
class Weights:
    """What a match is worth beyond its alignment.

    A theme whose intervals and rhythm carry fewer than ``info_bits`` bits against the
    music searched is common enough there to be matched by chance (repeated notes, scale
    steps, alternations, even notes): its matches lose up to ``info_weight``, in
    proportion to the bits it lacks.  A match whose notes sound under another part's
    melody loses up to ``under_weight`` (all its notes under).  A statement found
    inverted, in retrograde, augmented or diminished pays ``transform_cost``: composers
    restate a theme as it is far more often, and the transforms of a short theme are
    found by chance in scales and arpeggios; a clean transformed statement still scores
    ``1 - transform_cost``.  Where the whole theme is not heard (no statement of it scores
    ``HEAD_YIELD``, the wide reading's threshold), its head, the first ``HEAD_NOTES``
    notes, is searched for alone and pays ``head_cost`` (None: the head is not read
    alone): a theme comes back by its
    opening, then goes its own way (a development, a film cue quoting a theme), and such
    a match is reported as "head" (or "head inverted", ...); the wide reading reads it
    (``WIDE_WEIGHTS``), the report's does not (``DEFAULT_WEIGHTS``).  The defaults, with
    ``MIN_SCORE`` and ``WIDE_SCORE``, are the ones chosen on the five annotated movements
    of ``bench/themesearch_eval.py`` from a small grid (20, 30 or 40 bits; 0.15, 0.3 or
    0.45; 0.05, 0.1 or 0.2; 0, 0.1 or 0.2; for the wide reading, a head cost of none,
    0.05, 0.1, 0.15 or 0.2); the figures reported for them are leave-one-movement-out
    (BENCHMARKS.md, theme search).
    """

    info_bits: float = 40.0
    info_weight: float = 0.15
    under_weight: float = 0.2
    transform_cost: float = 0.1
    head_cost: float | None = None


DEFAULT_WEIGHTS = Weights()
#: the wide reading's: the same, with the theme's head read alone
WIDE_WEIGHTS = replace(DEFAULT_WEIGHTS, head_cost=0.05)
#: the score a match needs to be reported by default: fitted with ``Weights`` on the
#: five annotated movements (BENCHMARKS.md, theme search), for the returns of a theme
MIN_SCORE = 0.7
#: the wide reading's: every place the theme is heard, its hand-offs from part to part
#: in mid-phrase and its head heard alone too (``Weights.head_cost``, read by this
#: reading only), with more false places (fitted the same way, for all the rows)
WIDE_SCORE = 0.5
#: a statement of the whole theme scoring this (one the wide reading shows) keeps its
#: head from being read alone there
HEAD_YIELD = WIDE_SCORE

_CLIP = 48  # intervals clipped to +/- this for table lookups


def _pitch_table() -> np.ndarray:
    """Score of target interval t against query interval q: table[q + CLIP, t + CLIP]."""
    r = np.arange(-_CLIP, _CLIP + 1)
    q, t = np.meshgrid(r, r, indexing="ij")
    d = np.abs(q - t)
    table = np.where(d == 0, 1.0, np.where(d == 1, 0.5, np.where(d == 2, 0.0, -0.6)))
    table = np.where(np.sign(q) * np.sign(t) < 0, -1.0, table)
    # a note of the line moved by an octave (a violin taking the top note down, a bass
    # line up): the interval into it and out of it are an octave off, whatever their
    # direction now; each scores _OCTAVE_OFF
    return np.where((d % 12 == 0) & (d > 0) & (d <= 24), _OCTAVE_OFF, table)


_PITCH = _pitch_table().astype(np.float32)


def _interval_class(intervals: np.ndarray) -> np.ndarray:
    """Coarse signed interval class 0..10 (5 = unison)."""
    a = np.abs(intervals)
    c = np.select([a == 0, a <= 2, a <= 4, a <= 7, a <= 12], [0, 1, 2, 3, 4], 5)
    return (5 + np.sign(intervals) * c).astype(np.int32)


# --- the index ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _LineRef:
    piece: str
    name: str  # part name or SKYLINE
    start: int  # first position in the flat arrays
    line: Line
    source_names: tuple[str, ...]  # the piece's part names, for skyline notes


@dataclass
class ThemeIndex:
    """Every piece's lines laid end to end, with what the matcher needs precomputed."""

    meters: dict[str, Meter]
    lines: list[_LineRef]
    pitch: np.ndarray  # int16, flat over all lines
    onset: np.ndarray  # float64
    line_of: np.ndarray  # int32: index into lines
    # per skip g (0..MAX_SKIP), for target note j and k = j-1-g:
    step_interval: list[np.ndarray] = field(repr=False)  # P[j]-P[k], clipped
    step_logspan: list[np.ndarray] = field(repr=False)  # log2(O[j]-O[k])
    step_skip_cost: list[np.ndarray] = field(repr=False)  # cost of the g skipped notes
    step_valid: list[np.ndarray] = field(repr=False)  # j and k on the same line
    gram_keys: np.ndarray = field(repr=False)  # sorted four-note-group keys
    gram_pos: np.ndarray = field(repr=False)  # position of each group's first note
    # -log2 of how often each interval (clipped, + _CLIP) is heard from note to note in
    # the index, and each change of pace (_rhythm_class): what a query's intervals and
    # rhythm say, against this music's own background
    interval_bits: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    rhythm_bits: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    # on_top_before[j]: how many of the notes before flat position j are the top of the
    # texture when they start (or double it at the octave; the others sound under
    # another part: a voice under the melody), n + 1 values, so that any span's share
    # is two lookups
    on_top_before: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))

    @property
    def note_count(self) -> int:
        return len(self.pitch)

    @property
    def pieces(self) -> list[str]:
        return list(self.meters)


def _shift(a: np.ndarray, by: int, fill) -> np.ndarray:
    out = np.full_like(a, fill)
    if by < len(a):
        out[by:] = a[:len(a) - by]
    return out


def build_index(pieces: Mapping[str, Music]) -> ThemeIndex:
    """Read every piece once into lines and precompute steps and four-note-group keys."""
    refs: list[_LineRef] = []
    meters: dict[str, Meter] = {}
    start = 0
    for piece, music in pieces.items():
        meters[piece] = music.meter
        names = tuple(part_names(music))
        for line in music_lines(music):
            if len(line) < 2:
                continue
            refs.append(_LineRef(piece, line.name, start, line, names))
            start += len(line)
    if refs:
        pitch = np.concatenate([r.line.pitch for r in refs]).astype(np.int32)
        onset = np.concatenate([r.line.onset for r in refs])
        line_of = np.concatenate([np.full(len(r.line), i, np.int32) for i, r in enumerate(refs)])
    else:
        pitch, onset, line_of = (np.zeros(0, np.int32), np.zeros(0), np.zeros(0, np.int32))
    n = len(pitch)
    intervals, logspans, costs, valids = [], [], [], []
    for g in range(MAX_SKIP + 1):
        k_pitch = _shift(pitch, g + 1, 0)
        k_onset = _shift(onset, g + 1, 0.0)
        valid = _shift(line_of, g + 1, -1) == line_of
        span = np.where(valid, onset - k_onset, 1.0)
        valid &= span > 0
        span = np.maximum(span, 1e-6)
        intervals.append((np.clip(pitch - k_pitch, -_CLIP, _CLIP) + _CLIP).astype(np.uint8))
        logspans.append(np.log2(span).astype(np.float32))
        if g:
            first_skipped = _shift(onset, g, 0.0)  # onset of note k+1
            share = np.clip((onset - first_skipped) / span, 0.0, 1.0)
            costs.append((_SKIP_NOTE * g + _SKIP_TIME * share).astype(np.float32))
        else:
            costs.append(np.zeros(n, np.float32))
        valids.append(valid)
    keys, pos = _gram_table(pitch, line_of)
    heard = np.bincount(intervals[0][valids[0]], minlength=2 * _CLIP + 1).astype(float)
    bits = -np.log2((heard + 1.0) / (heard.sum() + len(heard)))  # add-one: none is free
    paced = valids[0][1:] & valids[0][:-1]  # notes j-1 and j both reached within a line
    paces = np.bincount(_rhythm_class(np.diff(logspans[0])[paced]),
                        minlength=2 * _RHYTHM_CLASSES + 1).astype(float)
    rhythm = -np.log2((paces + 1.0) / (paces.sum() + len(paces)))
    return ThemeIndex(meters, refs, pitch.astype(np.int16), onset, line_of, intervals,
                      logspans, costs, valids, keys, pos, bits, rhythm,
                      np.concatenate([[0.0], np.cumsum(_on_top(refs, n))]))


_RHYTHM_CLASSES = 6  # changes of pace in half-octaves of tempo: -3 to +3 doublings


def _rhythm_class(change: np.ndarray) -> np.ndarray:
    """A change of pace (log2 of one time between notes over the one before) in classes
    0 .. 2 * _RHYTHM_CLASSES (the middle one: the same pace)."""
    return (np.clip(np.rint(2 * change), -_RHYTHM_CLASSES, _RHYTHM_CLASSES)
            + _RHYTHM_CLASSES).astype(np.int64)


def _on_top(refs: list[_LineRef], n: int) -> np.ndarray:
    """For every flat note: does it carry the top line at its onset (the top line's
    pitch class then; the top line itself always does)?"""
    out = np.ones(n)
    tops = {r.piece: r.line for r in refs if r.name == SKYLINE}
    for ref in refs:
        top = tops.get(ref.piece)
        if ref.name == SKYLINE or top is None or len(top) == 0:
            continue
        at = np.clip(np.searchsorted(top.onset, ref.line.onset + 1e-9) - 1, 0, len(top) - 1)
        same = (top.pitch[at].astype(np.int32) - ref.line.pitch.astype(np.int32)) % 12 == 0
        out[ref.start:ref.start + len(ref.line)] = same
    return out


_SKIP_PATTERNS = [(a, b, c) for a in (1, 2) for b in (1, 2) for c in (1, 2)]


def _gram_key(c1: np.ndarray, c2: np.ndarray, c3: np.ndarray) -> np.ndarray:
    return (c1 * 121 + c2 * 11 + c3).astype(np.int32)


def _gram_table(pitch: np.ndarray, line_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(pitch)
    all_keys, all_pos = [], []
    idx = np.arange(n)
    for a, b, c in _SKIP_PATTERNS:
        last = a + b + c
        if n <= last:
            continue
        j = idx[:n - last]
        ok = line_of[j] == line_of[j + last]
        j = j[ok]
        p0, p1, p2, p3 = pitch[j], pitch[j + a], pitch[j + a + b], pitch[j + last]
        all_keys.append(_gram_key(_interval_class(p1 - p0), _interval_class(p2 - p1),
                                  _interval_class(p3 - p2)))
        all_pos.append(j.astype(np.int32))
    if not all_keys:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    keys = np.concatenate(all_keys)
    pos = np.concatenate(all_pos)
    order = np.argsort(keys, kind="stable")
    return keys[order], pos[order]


# --- matches ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One occurrence of a theme: where, in which part, how it was transformed, how well."""

    piece: str
    part: str  # a part's name, or "A / B" when the theme passes from part A to part B
    onset: Fraction  # quarter notes from bar 1 beat 1
    end: Fraction
    bar: int
    beat: Fraction  # 1 = the downbeat, in the meter's beats
    transform: str
    transposition: int  # semitones from the theme (first note to first note)
    score: float  # 1 = every interval and every duration ratio as in the theme
    notes: int = 0  # target notes spanned
    doubled_by: tuple[str, ...] = ()  # the parts playing it with ``part`` (doubling it)


def bar_beat(onset: Fraction, meter: Meter) -> tuple[int, Fraction]:
    """Bar and beat of an onset (onset 0 = bar 1 beat 1; a pickup is bar 0)."""
    bar_length = meter.numerator * meter.beat_quarters
    bar_index = math.floor(onset / bar_length)
    beat = (onset - bar_index * bar_length) / meter.beat_quarters + 1
    return bar_index + 1, beat


@dataclass(frozen=True)
class _Query:
    transform: str
    pitch: np.ndarray  # the transformed query's pitches (first note as in the theme)
    interval: np.ndarray  # interval[i] = pitch[i] - pitch[i-1] (interval[0] unused)
    interval2: np.ndarray  # pitch[i] - pitch[i-2]
    logspan: np.ndarray  # log2 of the scaled time from note i-1 to i
    logspan2: np.ndarray  # from note i-2 to i
    first_pitch: int  # the theme's pitch that the first query note stands for


def _queries(line: Line, transforms: Sequence[str]) -> list[_Query]:
    pitch = line.pitch.astype(np.int32)
    ioi = np.diff(line.onset, append=line.onset[-1] + line.duration[-1])
    ioi = np.maximum(ioi, 1e-3)
    out = []
    for name in transforms:
        if name not in _TRANSFORM_SHAPE:
            raise InputError("unknown transform", field="transforms", value=name,
                             valid=", ".join(TRANSFORMS))
        sign, backwards, scale = _TRANSFORM_SHAPE[name]
        p = pitch[::-1] if backwards else pitch
        d = ioi[::-1] if backwards else ioi
        p = p[0] + sign * (p - p[0])
        onsets = np.concatenate([[0.0], np.cumsum(d[:-1])]) * scale
        iv = np.diff(p, prepend=p[0])
        iv2 = np.concatenate([[0, 0], p[2:] - p[:-2]]) if len(p) > 2 else np.zeros(len(p))
        span = np.maximum(np.diff(onsets, prepend=onsets[0]), 1e-3)
        span2 = np.concatenate([[1.0, 1.0], onsets[2:] - onsets[:-2]]) if len(p) > 2 \
            else np.ones(len(p))
        out.append(_Query(name, p, iv.astype(np.int32), np.asarray(iv2, np.int32),
                          np.log2(span), np.log2(np.maximum(span2, 1e-3)),
                          int(pitch[-1] if backwards else pitch[0])))
    return out


def _step(steps: tuple[np.ndarray, np.ndarray, np.ndarray], q_interval: int,
          q_logspan: float) -> np.ndarray:
    """Score of aligning a query step to (k = j-1-g, j) for every target j, from the
    target's steps of skip g: (interval + _CLIP, log2 of the time, skip cost)."""
    iv, ls, cost = steps
    q = min(max(q_interval, -_CLIP), _CLIP) + _CLIP
    score = _PITCH[q].take(iv)
    # score + (_RHYTHM_BONUS - _RHYTHM_SLOPE * |ls - q_logspan|) - cost, in place (the
    # same operations in the same order: the same floats, fewer temporary arrays)
    rhythm = np.subtract(ls, q_logspan)
    np.abs(rhythm, out=rhythm)
    rhythm *= _RHYTHM_SLOPE
    np.subtract(_RHYTHM_BONUS, rhythm, out=rhythm)
    score += rhythm
    score -= cost
    return score


def _align(index: ThemeIndex, query: _Query, sel: np.ndarray | None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Best alignment score ending at each target note, and the start of that alignment.

    ``sel`` restricts the alignment to those flat positions (sorted); a step from k to j
    counts only when both are selected and k = j-1-g in the full arrays.
    """
    positions = np.arange(index.note_count) if sel is None else sel
    n = len(positions)
    m = len(query.pitch)
    neg = -np.inf
    contiguous = []
    for g in range(MAX_SKIP + 1):
        if sel is None:
            contiguous.append(None)
        else:
            prev = _shift(positions, g + 1, -10**9)
            contiguous.append(prev == positions - (g + 1))
    # the target's steps of each skip g, gathered once for the selection (not once for
    # every query step: the gathers were half of a search's time)
    target = []
    for g in range(MAX_SKIP + 1):
        arrays = (index.step_interval[g], index.step_logspan[g], index.step_skip_cost[g])
        valid = index.step_valid[g]
        if sel is not None:
            arrays = tuple(a[sel] for a in arrays)
            valid = valid[sel] & contiguous[g]
        target.append((arrays, ~valid))
    steps = {}  # (g, i, skip2) -> score, -inf where the step is not there

    def step(g: int, i: int, two: bool) -> np.ndarray:
        key = (g, i, two)
        if key not in steps:
            arrays, missing = target[g]
            if two:  # query note i-1 missing from the target
                s = _step(arrays, int(query.interval2[i]), float(query.logspan2[i]))
                s -= _MISSING_REPEAT if query.interval[i - 1] == 0 else _MISSING_NOTE
            else:
                s = _step(arrays, int(query.interval[i]), float(query.logspan[i]))
            np.copyto(s, neg, where=missing)
            steps[key] = s
        return steps[key]

    zero = np.zeros(n, np.float32)
    d_prev2 = None  # D for query note i-2
    d_prev = zero  # D for query note 0: start anywhere
    s_prev2 = None
    s_prev = positions.astype(np.int64)
    for i in range(1, m):
        best = np.full(n, neg, np.float32)
        start = np.zeros(n, np.int64)
        if i == 1:  # the target may begin at query note 1 (first note missing)
            # a pickup (a first note shorter than the next) is often left out
            pickup = m > 2 and query.logspan[1] < query.logspan[2]
            best = np.full(n, -(_MISSING_FIRST if pickup else _MISSING_NOTE), np.float32)
            start = positions.astype(np.int64)
        for g in range(MAX_SKIP + 1):
            k = g + 1  # target note j after note j-k: the first k have no such step
            if n <= k:
                continue
            # on views of the arrays' tails: no shifted copies, no full-length selects
            for prev, prev_start, two in ((d_prev, s_prev, False), (d_prev2, s_prev2, True)):
                if prev is None:
                    continue
                cand = prev[:n - k] + step(g, i, two)[k:]
                better = cand > best[k:]
                np.copyto(best[k:], cand, where=better)
                np.copyto(start[k:], prev_start[:n - k], where=better)
        d_prev2, s_prev2 = d_prev, s_prev
        d_prev, s_prev = best, start
        steps = {k: v for k, v in steps.items() if k[1] > i}
    # the target may also end one query note early
    final, final_start = d_prev, s_prev
    if d_prev2 is not None and m > 3:
        cand = d_prev2 - _MISSING_NOTE
        better = cand > final
        final = np.where(better, cand, final)
        final_start = np.where(better, s_prev2, final_start)
    return final / (_BEST_STEP * (m - 1)), final_start


def _candidates(index: ThemeIndex, query: _Query, min_votes: int) -> np.ndarray | None:
    """Flat positions worth aligning: regions where enough of the query's groups occur."""
    m = len(query.pitch)
    if m < 4 or len(index.gram_keys) == 0:
        return np.zeros(0, np.int64)
    p = query.pitch
    cls = _interval_class(np.diff(p))
    qkeys = _gram_key(cls[:-2], cls[1:-1], cls[2:])
    lo = np.searchsorted(index.gram_keys, qkeys, side="left")
    hi = np.searchsorted(index.gram_keys, qkeys, side="right")
    counts = hi - lo
    if counts.sum() == 0:
        return np.zeros(0, np.int64)
    q_of = np.repeat(np.arange(len(qkeys)), counts)
    hits = index.gram_pos[np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])]
    hits = hits.astype(np.int64)
    # a region: the estimated start (the group's position less its place in the query,
    # allowing for ornaments doubling the notes), in buckets of `width` notes
    width = max(8, m)
    est = hits - q_of
    bucket = est // width
    votes = np.unique(bucket * (m + 1) + q_of) // (m + 1)
    ids, n_votes = np.unique(votes, return_counts=True)
    # a bucket's neighbours vote too (an ornamented theme spreads over two buckets)
    neighbours = np.zeros(len(ids), n_votes.dtype)
    for step in (-1, 1):
        at = np.clip(np.searchsorted(ids, ids + step), 0, len(ids) - 1)
        there = ids[at] == ids + step
        neighbours = np.maximum(neighbours, np.where(there, n_votes[at], 0))
    good = ids[n_votes + neighbours >= min_votes]
    if len(good) == 0:
        return np.zeros(0, np.int64)
    keep = np.isin(bucket, good)
    hits, q_of = hits[keep], q_of[keep]
    n = index.note_count
    lo_w = np.clip(hits - (MAX_SKIP + 1) * q_of - 2, 0, n)
    hi_w = np.clip(hits + (MAX_SKIP + 1) * (m - q_of) + 2, 0, n)
    diff = np.zeros(n + 1, np.int32)
    np.add.at(diff, lo_w, 1)
    np.add.at(diff, hi_w, -1)
    return np.nonzero(np.cumsum(diff[:-1]) > 0)[0]


def _min_votes(m: int) -> int:
    return max(2, (m - 3) // 4)


def search(index: ThemeIndex, theme: Music, *, transforms: Iterable[str] = TRANSFORMS,
           max_results: int = 200, min_score: float = MIN_SCORE, exhaustive: bool = False,
           pieces: Iterable[str] | None = None, weights: Weights = DEFAULT_WEIGHTS
           ) -> list[Match]:
    """Every place the theme occurs, best first (at most ``max_results``).

    The theme is read as one line (its part, or the top line of its parts), at most
    ``MAX_THEME_NOTES`` notes.  ``exhaustive`` aligns against every note instead of the
    candidate regions.  ``pieces`` limits the search to some pieces.
    """
    line = theme_line(theme)
    if len(line) < MIN_THEME_NOTES:
        raise InputError("a theme needs more notes to be searched for", field="theme",
                         value=f"{len(line)} notes",
                         valid=f"at least {MIN_THEME_NOTES} notes in one line")
    if len(line) > MAX_THEME_NOTES:
        line = _head(line, MAX_THEME_NOTES)
    transforms = tuple(transforms)
    wanted = set(pieces) if pieces is not None else None
    # reading the head: the whole theme's matches down to HEAD_YIELD whatever
    # ``min_score`` is (the same statements and doublings at any threshold), and its head
    # read alone only where the whole theme is not heard at all
    heads = weights.head_cost is not None and len(line) >= HEAD_NOTES + 3
    floor = min(min_score, HEAD_YIELD) if heads else min_score
    whole = _found(index, _queries(line, transforms), exhaustive, wanted, weights,
                   floor, 0.0)
    heard = _select(index, whole)
    matches = [m for m in heard if m.score >= min_score]
    if heads:
        head_queries = [replace(q, transform=_HEAD_NAMES[q.transform])
                        for q in _queries(_head(line, HEAD_NOTES), transforms)]
        found_heads = _found(index, head_queries, exhaustive, wanted, weights, min_score,
                             weights.head_cost)
        shown = [w for w in heard if w.score >= HEAD_YIELD]
        matches += [m for m in _select(index, found_heads)
                    if not any(_within(w, m) for w in shown)]
        matches.sort(key=lambda m: -m.score)
    return matches[:max_results]


def _found(index: ThemeIndex, queries: list[_Query], exhaustive: bool,
           wanted: set[str] | None, weights: Weights, min_score: float, cost: float
           ) -> list[tuple[float, int, int, str, int]]:
    """(score, start, end, transform, transposition) of every alignment of the queries
    scoring ``min_score``, after the weights, the transform cost and ``cost``."""
    found: list[tuple[float, int, int, str, int]] = []
    for query in queries:
        if exhaustive:
            sel = None
        else:
            sel = _candidates(index, query, _min_votes(len(query.pitch)))
            if len(sel) == 0:
                continue
        scores, starts = _align(index, query, sel)
        ends = np.arange(index.note_count) if sel is None else sel
        scores = scores - _weights(index, query, starts, ends, weights) - cost
        if query.transform not in ("prime", "head"):
            scores = scores - weights.transform_cost
        ok = scores >= min_score
        if wanted is not None:
            ok &= np.isin(index.line_of[ends], [i for i, r in enumerate(index.lines)
                                                if r.piece in wanted])
        for s, a, b in zip(scores[ok].tolist(), starts[ok].tolist(), ends[ok].tolist(),
                           strict=True):
            transp = int(index.pitch[a]) - query.first_pitch
            found.append((s, a, b, query.transform, transp))
    return found


def _within(whole: Match, head: Match) -> bool:
    """The head's match is heard inside a statement of the whole theme (in any part)."""
    return whole.piece == head.piece and (
        _same_statement(whole, head) or whole.onset <= head.onset < whole.end)


def _bits(index: ThemeIndex, query: _Query) -> float:
    """The information in a query's intervals and in its changes of pace (bits)."""
    steps = np.clip(query.interval[1:], -_CLIP, _CLIP) + _CLIP
    bits = float(index.interval_bits[steps].sum())
    if len(index.rhythm_bits) and len(query.logspan) > 2:
        # the rhythm counts as much as it counts in a step's score (its bonus's share)
        bits += _RHYTHM_BONUS / _BEST_STEP * float(
            index.rhythm_bits[_rhythm_class(np.diff(query.logspan[1:]))].sum())
    return bits


def _weights(index: ThemeIndex, query: _Query, starts: np.ndarray, ends: np.ndarray,
             weights: Weights) -> np.ndarray:
    """What each match loses: a theme that says little, a voice under the melody."""
    lacking = 0.0
    if len(index.interval_bits):
        lacking = weights.info_weight * max(0.0, 1.0 - _bits(index, query)
                                            / weights.info_bits)
    cum = index.on_top_before
    if len(cum) <= 1 or len(ends) == 0:
        return np.full(len(ends), lacking)
    a = np.clip(starts, 0, len(cum) - 2)
    b = np.maximum(ends, a)
    share = (cum[b + 1] - cum[a]) / (b - a + 1)
    return lacking + weights.under_weight * (1.0 - share)


def _head(line: Line, n: int) -> Line:
    return Line(line.name, line.onsets[:n], line.durations[:n], line.onset[:n],
                line.duration[:n], line.pitch[:n], line.source[:n])


def _select(index: ThemeIndex, found: list[tuple[float, int, int, str, int]]
            ) -> list[Match]:
    """Best first; in each line, drop a match overlapping a better one; then one match per
    statement: the theme heard at once in several parts (unison, octaves, in parallel) is
    one occurrence, named by its leading part with the doubling parts beside it."""
    found.sort(key=lambda f: (-f[0], f[1]))
    taken = np.zeros(index.note_count, bool)
    per_line: list[tuple[Match, float]] = []  # the match, its mean pitch
    for score, a, b, transform, transp in found:
        if taken[a:b + 1].any():
            continue
        taken[a:b + 1] = True
        per_line.append((_match(index, a, b, transform, transp, score),
                         float(index.pitch[a:b + 1].mean())))
    statements: list[list[tuple[Match, float]]] = []
    # a piece's statements by the whole quarter their first match starts in: a doubling
    # starts within _DOUBLING_ONSET of it, so only the quarters within _REACH are
    # compared (the statement made first wins, as in a scan of them all)
    near: dict[tuple[str, int], list[int]] = {}
    for match, height in per_line:  # best first: a statement's first match is its best
        quarter = math.floor(match.onset)
        made = sorted(i for q in range(quarter - _REACH, quarter + _REACH + 1)
                      for i in near.get((match.piece, q), ()))
        for i in made:
            if _same_statement(statements[i][0][0], match):
                statements[i].append((match, height))
                break
        else:
            near.setdefault((match.piece, quarter), []).append(len(statements))
            statements.append([(match, height)])
    return [_lead(group) for group in statements]


#: a doubling starts within this of the statement it doubles (quarter notes; an
#: ornament or an upbeat added in one part moves its first matched note)
_DOUBLING_ONSET = Fraction(1)
_REACH = math.ceil(_DOUBLING_ONSET)  # in whole quarters, for finding a doubling's statement
#: a doubling part's match within this of the best one may lead the statement
_LEAD_SCORE_SLACK = 0.1
#: the part that leads a doubled statement when it is among the doubling parts: the first
#: violins, whose line the orchestra's melody is written in (a flute an octave above them
#: or an oboe in unison colours it); otherwise the highest-sounding part.  Names as they
#: are written in scores: "Violin 1", "Violino I", "Vln. 1", "1st Violins", "1. Violine",
#: "Violins".
LEAD_PART = re.compile(
    r"^(?:1st\s+|first\s+|(?:1|i)\.\s*)?(?:violin[oei]?s?|violons?|violinen|vln?s?|vn|vl|vni)\.?"
    r"\s*(?:1|i)?$", re.IGNORECASE)


def _same_statement(first: Match, other: Match) -> bool:
    """``other`` (in the same piece) plays with ``first``: starting together and mostly
    overlapping, in unison, octaves or in parallel (thirds, sixths: the theme harmonised
    is still one statement; a canon or a sequence one bar later is another)."""
    if abs(other.onset - first.onset) > _DOUBLING_ONSET:
        return False
    return _mostly_overlapping(first.onset, first.end, other.onset, other.end)


def _mostly_overlapping(a_onset: Fraction, a_end: Fraction, b_onset: Fraction,
                        b_end: Fraction) -> bool:
    """Two spans that share at least half of the shorter one."""
    overlap = min(a_end, b_end) - max(a_onset, b_onset)
    shorter = min(a_end - a_onset, b_end - b_onset)
    return shorter > 0 and overlap >= shorter / 2


def _lead(group: list[tuple[Match, float]]) -> Match:
    """The statement's match, in the part that carries it most prominently: of the
    part matches about as good as the best, the first violins (``LEAD_PART``), else the
    highest sounding (the top of the texture, where a doubled melody is heard); a line
    passed between parts (the top line across several parts) leads only when it matches
    clearly better than any one part."""
    best = group[0][0].score
    parts = [(m, h) for m, h in group if m.part.count(" / ") == 0]
    if parts and best - max(m.score for m, _ in parts) <= _LEAD_SCORE_SLACK / 2:
        close = [(m, h) for m, h in parts if m.score >= best - _LEAD_SCORE_SLACK]
        lead = max(close, key=lambda mh: (LEAD_PART.match(mh[0].part.strip()) is not None,
                                          mh[1], mh[0].score))[0]
    else:
        lead = group[0][0]
    others: list[str] = []
    for match, _ in group:
        for name in match.part.split(" / "):
            if name not in lead.part.split(" / ") and name not in others:
                others.append(name)
    return replace(lead, score=best, doubled_by=tuple(others))


def _match(index: ThemeIndex, a: int, b: int, transform: str, transp: int,
           score: float) -> Match:
    ref = index.lines[int(index.line_of[a])]
    i, j = a - ref.start, b - ref.start
    line = ref.line
    if ref.name == SKYLINE:
        names: list[str] = []
        for s in line.source[i:j + 1].tolist():
            if ref.source_names[s] not in names:
                names.append(ref.source_names[s])
        part = " / ".join(names)
    else:
        part = ref.name
    onset = line.onsets[i]
    bar, beat = bar_beat(onset, index.meters[ref.piece])
    return Match(ref.piece, part, onset, line.onsets[j] + line.durations[j], bar, beat,
                 transform, transp, round(float(score), 4), j - i + 1)


# --- concordance --------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A theme's occurrence as the concordance weighs it against the other themes'."""

    theme: str
    piece: str
    parts: frozenset[str]  # the part carrying it, the parts of a line passed between
    #                        parts, and the parts doubling it
    onset: Fraction
    end: Fraction
    score: float
    fixed: bool = False  # confirmed by the composer: shown whatever else matches there

    @classmethod
    def of(cls, theme: str, piece: str, found, fixed: bool = False) -> Place:
        """``found``: a ``Match``, or anything with its part, doubled_by, onset, end and
        score (the report's rows)."""
        return cls(theme, piece, frozenset(found.part.split(" / ")) | frozenset(found.doubled_by),
                   found.onset, found.end, found.score, fixed)


def heard_as(places: Sequence[Place]) -> list[int | None]:
    """One theme per passage: for each place, None when it is shown, else the index of
    the place of another theme that names the same notes.

    Two themes that match the same notes (a theme and another that opens the same way, a
    motif and the theme it starts, a theme and its variant) are one statement: it is
    named by the theme that matches it better, as a statement doubled by several parts
    is reported once.  The places are taken best first (a confirmed one before any
    other); one is hidden by a place already shown of another theme, in the same piece,
    with a part in common (carrying or doubling it) and sharing at least half of the
    shorter one's time, that scores more or was confirmed.  Themes heard together in
    different parts (counterpoint) are both shown, and so are two that match equally
    well."""
    order = sorted(range(len(places)), key=lambda i: (not places[i].fixed, -places[i].score))
    shown: dict[str, list[int]] = {}
    out: list[int | None] = [None] * len(places)
    for i in order:
        p = places[i]
        if not p.fixed:
            for j in shown.get(p.piece, ()):
                q = places[j]
                if (q.theme != p.theme and (q.fixed or q.score > p.score)
                        and q.parts & p.parts
                        and _mostly_overlapping(p.onset, p.end, q.onset, q.end)):
                    out[i] = j
                    break
        if out[i] is None:
            shown.setdefault(p.piece, []).append(i)
    return out


def one_theme_per_passage(found: Mapping[str, Sequence[Match]]) -> dict[str, list[Match]]:
    """Each theme's matches (theme -> matches) less those another theme's match names
    better (``heard_as``; none confirmed: the composer's verdicts are the report's)."""
    flat = [(theme, m) for theme, matches in found.items() for m in matches]
    hidden = heard_as([Place.of(theme, m.piece, m) for theme, m in flat])
    out: dict[str, list[Match]] = {theme: [] for theme in found}
    for (theme, m), by in zip(flat, hidden, strict=True):
        if by is None:
            out[theme].append(m)
    return out


@dataclass(frozen=True)
class Occurrence:
    """One theme heard in one piece: the theme's name and the match."""

    theme: str
    match: Match


@dataclass(frozen=True)
class Concordance:
    """Every theme's occurrences, by theme and by piece (both in time order)."""

    by_theme: dict[str, tuple[Match, ...]]
    by_piece: dict[str, tuple[Occurrence, ...]]


def concordance(index: ThemeIndex, themes: Mapping[str, Music], **options) -> Concordance:
    """Search every theme (``options`` as for ``search``) and file the matches."""
    by_theme: dict[str, tuple[Match, ...]] = {}
    by_piece: dict[str, list[Occurrence]] = {p: [] for p in index.pieces}
    for name, theme in themes.items():
        matches = sorted(search(index, theme, **options),
                         key=lambda m: (m.piece, m.onset, m.part))
        by_theme[name] = tuple(matches)
        for match in matches:
            by_piece[match.piece].append(Occurrence(name, match))
    return Concordance(by_theme, {p: tuple(sorted(o, key=lambda o: (o.match.onset, o.theme)))
                                  for p, o in by_piece.items()})
