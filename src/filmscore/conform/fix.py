"""Fixes a music editor would make to a cue the new cut flagged (pure): re-solve the tempo
map keeping the bars, cut or insert whole bars (or beats) at bar lines, move the cue's
start, or keep the music; each with every hit's frames off after it.

The music now is the cue's tempo map as the apply left it: bar 1 moved with the cue's
start (``cue_start_new - flag.old_start`` frames), so a hit's place in the music is the
time its old frame had, moved as the cue moved.  The picture now puts the hit at
``hit.new_frame``; a fix changes where the music puts it (``music frame``), and the hit
is ``new_frame - music frame`` frames off (positive: the music is early).

Frames are exact: a hit's place in the music is a bar|beat|tick position of the map
(``TempoMap.position_at``), and the fixed map's ``seconds_of`` and ``frame_at`` give its
frame.  Proposals are sorted by their worst hit, then by how much of the music they
change (``detail["music_changed"]``: the share of the bars whose notes or tempo change).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.conform.changes import Flag, Proposal
from filmscore.sync.tempomap import Meter, Position, Segment, TempoMap, format_bpm

#: the largest tempo change a re-solve may propose (the solver's default)
MAX_TEMPO_CHANGE = Fraction(15, 100)
#: order of the kinds when two proposals are as good (least disruptive first)
_KIND_ORDER = ("keep", "move_start", "resolve_tempo", "cut_bars", "insert_bars")


@dataclass(frozen=True)
class Edit:
    """A change to the picture inside the cue: at ``old_frame`` of the old cut the new
    cut has ``frames`` more (+) or fewer (-) frames than the old one."""

    old_frame: int
    frames: int


@dataclass(frozen=True)
class _Hit:
    sync_id: int | None
    label: str
    weight: float
    position: Position  # where the music has it
    seconds: Fraction  # from bar 1, in the map as it is
    target: int | None  # the frame the new picture has it at


# --- the music as bars ------------------------------------------------------------------


def _units(tmap: TempoMap) -> list[Segment]:
    """The map as one segment per bar (a free-time segment stays whole): a ramp split at
    its bar lines keeps every beat's time (its beat length is linear across the bars)."""
    out: list[Segment] = []
    for seg in tmap.segments:
        if seg.is_free or seg.bars == 1:
            out.append(seg)
            continue
        n = seg.meter.numerator
        for i in range(seg.bars):
            if seg.is_ramp:
                out.append(Segment(1, seg.meter, seg.tempo_at(Fraction(i * n)),
                                   seg.tempo_at(Fraction((i + 1) * n))))
            else:
                out.append(Segment(1, seg.meter, seg.tempo_bpm))
    return out


def _merge(units: Sequence[Segment]) -> tuple[Segment, ...]:
    """Consecutive bars of one meter and one steady tempo as one segment."""
    out: list[Segment] = []
    for u in units:
        last = out[-1] if out else None
        if (last is not None and not last.is_free and not u.is_free and not last.is_ramp
                and not u.is_ramp and last.meter == u.meter
                and last.tempo_bpm == u.tempo_bpm):
            out[-1] = Segment(last.bars + u.bars, last.meter, last.tempo_bpm)
        else:
            out.append(u)
    return tuple(out)


def _bar_frames(tmap: TempoMap, bar: int) -> Fraction:
    """Length of a bar in frames (past the end: the last bar's)."""
    bar = min(max(bar, 1), tmap.bar_count)
    end = tmap.seconds_of((bar + 1, 1)) if bar < tmap.bar_count else tmap.end_seconds
    return (end - tmap.seconds_of((bar, 1))) * tmap.rate.fps


def _meter_at(tmap: TempoMap, bar: int) -> Meter:
    bar = min(max(bar, 1), tmap.bar_count)
    return next(b.meter for b in tmap.bars() if b.number == bar)


def _music_frame(tmap: TempoMap, position: Position) -> int:
    return tmap.frame_at(tmap.seconds_of(position))


def _offs(hits: Sequence[_Hit], frames: Sequence[int | None]
          ) -> tuple[tuple[int | None, int | None], ...]:
    return tuple((h.sync_id, None if h.target is None or f is None else h.target - f)
                 for h, f in zip(hits, frames, strict=True))


def _worst(offs) -> int:
    return max((abs(o) for _, o in offs if o is not None), default=0)


def _hit_frames(hits: Sequence[_Hit], offs) -> list[dict]:
    """Each hit after a fix, for the detail: label, picture frame, music frame, off."""
    return [{"sync_id": h.sync_id, "label": h.label, "frame": h.target,
             "music_frame": None if o is None else h.target - o, "off_frames": o}
            for h, (_, o) in zip(hits, offs, strict=True)]


# --- the proposals --------------------------------------------------------------------


def propose(flag: Flag, tmap: TempoMap, *, cue_start_new: int, cue_end_new: int,
            weights: Mapping[int | None, float] | None = None,
            edits: Sequence[Edit] = (), tolerance_frames: int = 1,
            max_tempo_change: Fraction = MAX_TEMPO_CHANGE) -> list[Proposal]:
    """Every fix worth proposing for a flagged cue, best first (see the module doc).

    ``tmap`` is the cue's map with bar 1 moved as the cue's start was; ``weights`` the
    sync points' weights by id (default 1); ``edits`` where the picture changed inside
    the cue (old-cut frames; when none are given they are read from the hits: between
    two hits whose frames off differ).  ``tolerance_frames``: a hit this near is landed.
    """
    weights = weights or {}
    shift = cue_start_new - flag.old_start
    hits = []
    for h in sorted(flag.hits, key=lambda h: h.old_frame):
        seconds = tmap.seconds_of_frame(h.old_frame + shift)
        hits.append(_Hit(h.sync_id, h.description or h.kind,
                         float(weights.get(h.sync_id, 1.0)), tmap.position_at(seconds),
                         seconds, h.new_frame))
    now = [tmap.frame_at(h.seconds) for h in hits]
    keep_offs = _offs(hits, now)
    out = [Proposal("keep", "Keep the music as it is", {
        "music_changed": 0, "hits": _hit_frames(hits, keep_offs)}, keep_offs)]
    live = [(h, f) for h, f in zip(hits, now, strict=True) if h.target is not None]
    if not live or _worst(keep_offs) == 0:
        return out
    moved = _move_start(hits, now, tmap, cue_start_new, cue_end_new)
    if moved is not None:
        out.append(moved)
    resolved = _resolve_tempo(hits, tmap, tolerance_frames, Fraction(max_tempo_change))
    if resolved is not None:
        out.append(resolved)
    points = [(tmap.seconds_of_frame(e.old_frame + shift), Fraction(e.frames))
              for e in edits if e.frames]
    if not edits:
        points = _edits_from_hits(hits, now)
    out.extend(_cut_or_insert(hits, tmap, points))
    out.sort(key=lambda p: (p.worst_off, p.detail.get("music_changed", 0),
                            _KIND_ORDER.index(p.kind)))
    return out


def _move_start(hits, now, tmap: TempoMap, start: int, end: int) -> Proposal | None:
    """Slide the whole cue so the heaviest hits land: the weighted median of the hits'
    frames off (ties: the heaviest hit exact)."""
    pairs = [(h.target - f, h.weight, h) for h, f in zip(hits, now, strict=True)
             if h.target is not None]

    def score(shift: int):  # weighted frames off, then the weight landed, then the move
        return (sum(w * abs(off - shift) for off, w, _ in pairs),
                -sum(w for off, w, _ in pairs if off == shift), abs(shift))

    shift = min({off for off, _, _ in pairs}, key=score)
    if shift == 0:
        return None
    landed = sorted((p for p in pairs if p[0] == shift), key=lambda p: -p[1])
    frames = [f + shift for f in now]
    offs = _offs(hits, frames)
    new_map = replace(tmap, start_frame=tmap.start_frame + shift)
    way = "later" if shift > 0 else "earlier"
    names = ", ".join(p[2].label for p in landed[:3]) + (" ..." if len(landed) > 3 else "")
    return Proposal("move_start", f"Move the cue {_plural(abs(shift), 'frame')} {way} "
                    f"(start at frame {start + shift}); lands {names}", {
                        "shift_frames": shift, "start_frame": start + shift,
                        "end_frame": end + shift, "tempo_map": new_map.to_dict(),
                        "music_changed": 0, "hits": _hit_frames(hits, offs)}, offs)


def _resolve_tempo(hits, tmap: TempoMap, tol: int, max_change: Fraction
                   ) -> Proposal | None:
    """Keep every bar, meter and hit's bar|beat; scale the tempo so the hits land.

    First one scale for the whole cue (a single small tempo change) when it lands every
    hit within ``tol`` frames; else a scale per stretch of bars between each hit the music
    has off and the hit before it, so each hit lands on its new frame (see
    ``_stretch_factors``)."""
    fps = tmap.rate.fps
    anchors = [(h.seconds, Fraction(h.target) / fps - tmap.start_seconds)
               for h in hits if h.target is not None and h.seconds > 0]
    if not anchors:
        return None
    units = _units(tmap)
    bar_starts = [b.seconds for b in tmap.bars()]  # old times of each unit's first bar
    unit_first_bar = []
    bar = 1
    for u in units:
        unit_first_bar.append(bar)
        bar += u.bars
    # one scale: the interval of factors landing every hit within tol
    lo, hi = Fraction(0), None
    for old, new in anchors:
        a, b = (new - Fraction(tol) / fps) / old, (new + Fraction(tol) / fps) / old
        lo, hi = max(lo, a), b if hi is None else min(hi, b)
    factors: list[Fraction]
    if hi is not None and lo <= hi and lo > 0:
        exact = sorted(new / old for old, new in anchors)
        mid = exact[len(exact) // 2]
        factors = [min(max(mid, lo), hi)] * len(units)
    else:
        factors = _stretch_factors(anchors, units, unit_first_bar, bar_starts, tmap,
                                   tol)
        if factors is None:
            return None
    change = max(abs(1 / f - 1) for f in factors)
    if change > max_change or change == 0:
        return None
    new_units = [_scaled(u, f, tmap) for u, f in zip(units, factors, strict=True)]
    new_map = tmap.with_segments(_merge(new_units))
    frames = [_music_frame(new_map, h.position) for h in hits]
    offs = _offs(hits, frames)
    changed = [unit_first_bar[i] + k for i, (u, f) in enumerate(zip(units, factors,
                                                                    strict=True))
               for k in range(u.bars) if f != 1]
    tempos = sorted({format_bpm(u.tempo_bpm) for u in new_units if not u.is_free})
    return Proposal("resolve_tempo", f"Re-solve the tempo keeping the {tmap.bar_count} bars "
                    f"(largest tempo change {float(change) * 100:.1f}%; "
                    f"{', '.join(tempos[:4])}{'...' if len(tempos) > 4 else ''} BPM)", {
                        "tempo_map": new_map.to_dict(), "max_change_percent":
                        round(float(change) * 100, 2), "bars": [min(changed), max(changed)],
                        "music_changed": round(len(changed) / tmap.bar_count, 4),
                        "hits": _hit_frames(hits, offs)}, offs)


def _stretch_factors(anchors, units, unit_first_bar, bar_starts, tmap, tol=1
                     ) -> list | None:
    """A scale per stretch, hit by hit in the music's order: a hit the bars as scaled so
    far put more than half a frame from its frame gets one scale for the bars from the
    bar of the hit before it (the bar after, when scaling that bar moves the hit before
    more than ``tol`` frames; never a bar scaled already) to the bar the hit is in (the
    bar before, when the hit is on its downbeat or scaling the rest of its bar would move
    what follows by more than half a frame), landing it exactly.  So the change spreads
    over the whole stretch between the two hits, not only the bars after the first one's
    bar line, and no later stretch has to make up for it.  A hit no free bar can land
    stays when it is within ``tol`` frames (else None); bars after the last change keep
    their tempo."""
    fps = tmap.rate.fps
    lines = [*bar_starts, tmap.end_seconds]  # old times of every bar line
    count = len(lines) - 1
    factors: list[Fraction | None] = [None] * count  # by bar (0-based)

    def bar_of(old: Fraction) -> int:  # 0-based bar an old time is in
        return max(0, min(count - 1, next((i for i in range(count) if lines[i + 1] > old),
                                          count - 1)))

    def new_time(old: Fraction) -> Fraction:
        b = bar_of(old)
        before = sum(((lines[i + 1] - lines[i]) * (factors[i] or 1) for i in range(b)),
                     Fraction(0))
        return before + (old - lines[b]) * (factors[b] or 1)

    def tried(lo: int, last: int, old: Fraction, new: Fraction, prev, strict: bool
              ) -> bool:
        """Scale bars lo..last to land the hit at ``old`` on ``new``; False (nothing
        changed) when that cannot be or moves the hit before too far, or (``strict``)
        drifts the rest of the hit's bar by more than half a frame."""
        if lo > last or lo < 0:
            return False
        start_new = new_time(lines[lo])
        span = min(old, lines[last + 1]) - lines[lo]
        rest = old - lines[last + 1] if old > lines[last + 1] else Fraction(0)
        if span <= 0 or new - rest <= start_new:
            return False
        f = (new - rest - start_new) / span
        saved = factors[lo:last + 1]
        factors[lo:last + 1] = [f] * (last + 1 - lo)
        ok = prev is None or lo > bar_of(prev[0]) or abs(new_time(prev[0]) - prev[1]) * fps <= tol
        if ok and strict and old < lines[last + 1]:  # the rest of the hit's bar drifts
            ok = (lines[last + 1] - old) * abs(f - 1) * fps <= Fraction(1, 2)
        if not ok:
            factors[lo:last + 1] = saved
        return ok

    prev = None
    for old, new in sorted(anchors):
        if abs(new_time(old) - new) * fps <= Fraction(1, 2):
            prev = (old, new)
            continue
        b = bar_of(old)
        free = max((i + 1 for i in range(count) if factors[i] is not None), default=0)
        first = bar_of(prev[0]) if prev is not None else 0
        lasts = (b, b - 1) if old > lines[b] else (b - 1,)
        ranges = [(max(lo, free), last) for lo in (first, first + 1) for last in lasts]
        done = any(tried(lo, last, old, new, prev, True) for lo, last in ranges) or any(
            tried(lo, last, old, new, prev, False) for lo, last in ranges)
        if not done and abs(new_time(old) - new) * fps > tol:
            return None  # no bar free to land it (and it is not near enough)
        prev = (old, new)
    return [factors[first - 1] or Fraction(1) for first in unit_first_bar]


def _scaled(u: Segment, f: Fraction, tmap: TempoMap) -> Segment:
    """A bar (or free passage) lasting ``f`` times as long."""
    if f == 1:
        return u
    if u.is_free:
        return replace(u, free_frames=max(1, round(u.free_frames * f)))
    return Segment(u.bars, u.meter, u.tempo_bpm / f,
                   None if u.end_tempo_bpm is None else u.end_tempo_bpm / f)


def _edits_from_hits(hits, now) -> list[tuple[Fraction, Fraction]]:
    """Where the picture changed, read from the hits: between two hits (in the music's
    order) whose frames off differ, halfway between them."""
    live = [(h, h.target - f) for h, f in zip(hits, now, strict=True) if h.target is not None]
    out = []
    for (a, off_a), (b, off_b) in zip(live, live[1:], strict=False):
        if off_a != off_b:
            out.append(((a.seconds + b.seconds) / 2, Fraction(off_b - off_a)))
    return out


def _cut_or_insert(hits, tmap: TempoMap, points) -> list[Proposal]:
    """Whole bars, and whole beats when they come nearer, cut or inserted at each place
    the picture changed, on bar lines between the hits around it."""
    if not points:
        return []
    out = []
    for unit in ("bars", "beats"):
        plan = []
        for t, frames in points:
            bar = tmap.position_at(max(t, Fraction(0))).bar
            bar = min(max(bar, 1), tmap.bar_count)
            meter = _meter_at(tmap, bar)
            size = _bar_frames(tmap, bar)
            if unit == "beats":
                size /= meter.numerator
            count = round(frames / size)
            if count == 0:
                continue
            plan.append((t, count, unit))
        if not plan:
            continue
        made = _apply_cuts(hits, tmap, plan)
        if made is not None and all(p.detail["edits"] != made.detail["edits"] for p in out):
            out.append(made)
    return out


def _free_window(hits, tmap: TempoMap, t: Fraction) -> tuple[int, int]:
    """Bars strictly after the last hit before ``t`` and up to the first hit at or after
    it: (first bar that may change, first bar that must stay)."""
    live = [h for h in hits if h.target is not None]  # a hit cut out does not hold a bar
    before = [h.position for h in live if h.seconds < t]
    after = [h.position for h in live if h.seconds >= t]
    first = 1
    if before:
        p = max(before, key=lambda p: (p.bar, p.beat, p.tick))
        first = p.bar + 1
    stop = tmap.bar_count + 1
    if after:  # the bar of the next hit stays whole (on its downbeat or in it)
        stop = min(after, key=lambda p: (p.bar, p.beat, p.tick)).bar
    return first, stop


def _apply_cuts(hits, tmap: TempoMap, plan) -> Proposal | None:
    """Cut (count < 0) or insert (count > 0) at each place, latest first so the bar
    numbers of the earlier places hold; hits move with their bars."""
    units = _units(tmap)
    if any(u.bars != 1 for u in units):
        return None  # free time is kept whole: not cut or repeated here
    positions = [h.position for h in hits]
    edits = []
    kinds = set()
    for t, count, unit in sorted(plan, key=lambda p: -p[0]):
        bar = min(max(tmap.position_at(max(t, Fraction(0))).bar, 1), tmap.bar_count)
        first, stop = _free_window(hits, tmap, t)
        meter = units[bar - 1].meter
        beats = abs(count) * (meter.numerator if unit == "bars" else 1)
        whole, rest = divmod(beats, meter.numerator)
        span = whole + (1 if rest else 0)
        if count < 0:
            # the bars to cut: from the bar of the change, kept inside the free window
            start = min(max(bar, first), stop - span)
            if start < first or start < 1 or start + span - 1 > len(units):
                return None
            if rest and units[start + whole - 1].meter != meter:
                return None
            removed = list(range(start, start + whole))
            del units[start - 1:start - 1 + whole]
            shortened = None
            if rest:
                keep = units[start - 1]
                units[start - 1] = Segment(1, Meter(meter.numerator - rest, meter.denominator),
                                           keep.tempo_bpm, keep.end_tempo_bpm)
                shortened = start
            positions = [_after_cut(p, start, whole, shortened, rest) for p in positions]
            kinds.add("cut_bars")
            edits.append({"kind": "cut", "bar": start, "bars": whole, "beats": rest,
                          "old_bars": [start, start + span - 1] if not rest or whole
                          else [start, start],
                          "text": _cut_text(start, whole, rest, meter, removed)})
        else:
            # insert before the downbeat of the bar after the change (a repeat of it)
            at = min(max(bar + 1, first), stop)
            if at < first and unit == "beats" and beats < meter.numerator:
                # no bar line between the hits around the change: beats inserted at the
                # beat line there, inside the bar of the next hit
                made = _insert_in_bar(hits, tmap, units, positions, t, beats)
                if made is None:
                    return None
                units, positions, edit = made
                kinds.add("insert_bars")
                edits.append(edit)
                continue
            if at < first or at > len(units) + 1:
                return None
            model = units[at - 2] if at >= 2 else units[0]  # the bar before: repeated
            meter = model.meter
            tempo = model.end_tempo_bpm or model.tempo_bpm
            whole, rest = divmod(beats, meter.numerator)
            span = whole + (1 if rest else 0)
            new = [Segment(1, meter, tempo)] * whole
            if rest:
                new.append(Segment(1, Meter(rest, meter.denominator), tempo))
            units[at - 1:at - 1] = new
            positions = [replace(p, bar=p.bar + span) if p.bar >= at else p
                         for p in positions]
            kinds.add("insert_bars")
            edits.append({"kind": "insert", "bar": at, "bars": whole, "beats": rest,
                          "new_bars": [at, at + span - 1],
                          "text": _insert_text(at, whole, rest, meter, tempo)})
    if len(kinds) != 1:
        return None
    new_map = tmap.with_segments(_merge(units))
    frames = [None if p is None else _music_frame(new_map, p) for p in positions]
    offs = _offs(hits, frames)
    changed = sum(e["bars"] + (1 if e["beats"] else 0) for e in edits)
    kind = kinds.pop()
    edits.reverse()
    return Proposal(kind, "; ".join(e["text"] for e in edits) + f" ({new_map.bar_count} "
                    f"bars, was {tmap.bar_count})", {
                        "edits": edits, "tempo_map": new_map.to_dict(),
                        "music_changed": round(changed / tmap.bar_count, 4),
                        "hits": _hit_frames(hits, offs)}, offs)


def _insert_in_bar(hits, tmap: TempoMap, units, positions, t: Fraction, beats: int):
    """``beats`` beats inserted inside one bar, at the beat line nearest ``t`` after the
    hit before it and at or before the hit after it (both in that bar, or the one before
    on the bar's downbeat); the bar grows by them (4/4 becomes 6/4).  The bars before it
    are still ``tmap``'s (the places are done latest first).  Returns the units,
    the hits' positions and the edit, or None when no beat line is free."""
    live = [(h, p) for h, p in zip(hits, positions, strict=True) if h.target is not None]
    before = [p for h, p in live if h.seconds < t]
    after = [p for h, p in live if h.seconds >= t]
    if not after:
        return None
    nxt = min(after, key=lambda p: (p.bar, p.beat, p.tick))
    k = nxt.bar
    if not 1 <= k <= len(units) or units[k - 1].is_free or units[k - 1].is_ramp:
        return None
    seg = units[k - 1]
    n = seg.meter.numerator
    lo = 2  # the beat lines inside the bar (its downbeat is a bar line)
    if before:
        prev = max(before, key=lambda p: (p.bar, p.beat, p.tick))
        if prev.bar == k:
            lo = prev.beat + 1
    hi = nxt.beat  # a line at or before the next hit
    if lo > hi or hi > n:
        return None
    line = min(range(lo, hi + 1), key=lambda b: abs(tmap.seconds_of((k, b)) - t))
    meter = Meter(n + beats, seg.meter.denominator)
    units = [*units[:k - 1], Segment(1, meter, seg.tempo_bpm), *units[k:]]
    positions = [replace(p, beat=p.beat + beats) if p is not None and p.bar == k
                 and p.beat >= line else p for p in positions]
    text = (f"Insert {_plural(beats, 'beat')} at {format_bpm(seg.tempo_bpm)} BPM after "
            f"beat {line - 1} of bar {k} (it becomes a bar of {meter})")
    return units, positions, {"kind": "insert", "bar": k, "bars": 0, "beats": beats,
                              "after_beat": line - 1, "new_bars": [k, k], "text": text}


def _after_cut(p: Position | None, start: int, whole: int, shortened: int | None,
               rest: int) -> Position | None:
    """Where a position is after bars ``start``.. (``whole`` of them) were cut and the
    next bar lost its first ``rest`` beats; None when it was cut out."""
    if p is None or p.bar < start:
        return p
    if p.bar < start + whole:
        return None
    p = replace(p, bar=p.bar - whole)
    if shortened is not None and p.bar == shortened:
        if p.beat <= rest:
            return None
        return replace(p, beat=p.beat - rest)
    return p


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _cut_text(start: int, whole: int, rest: int, meter: Meter, removed) -> str:
    parts = []
    if whole:
        bars = f"bar {start}" if whole == 1 else f"bars {start}-{start + whole - 1}"
        parts.append(f"Cut {bars} ({_plural(whole, 'bar')} of {meter})")
    if rest:
        first = "beat" if rest == 1 else _plural(rest, "beat")
        parts.append(f"cut the first {first} of bar {start + whole} "
                     f"(it becomes a bar of {meter.numerator - rest}/{meter.denominator})")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _insert_text(at: int, whole: int, rest: int, meter: Meter, tempo: Fraction) -> str:
    parts = []
    if whole:
        parts.append(_plural(whole, "bar") + f" of {meter}")
    if rest:
        parts.append(f"a bar of {rest}/{meter.denominator}")
    last = at + whole + (1 if rest else 0) - 1
    bars = f"new bar {at}" if last == at else f"new bars {at}-{last}"
    return f"Insert {' and '.join(parts)} at {format_bpm(tempo)} BPM before bar {at} ({bars})"
