"""The comp board: a cue's takes laid out by bars with its comp drawn over them, as the
web workspace's mixing page shows it.

:func:`layout_board` is pure (the tempo map, the takes as comping sees them and a comp
version in, positions in pixels and labels out); :func:`comp_board` reads them from the
project.  Everything is placed in comp samples (0 = the cue's start on the film, as in
:mod:`filmscore.mixing.comp`) and drawn to scale: ``x = (sample - first) * px_per_sample``,
the one float step, for the screen only (the samples and timecodes shown are exact).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from filmscore.mixing.comp import BarBeat, CompTake, film_sample
from filmscore.mixing.placing import frame_of_sample
from filmscore.sync.tempomap import TempoMap

#: the drawing's width for the whole cue, in pixels (wider when a bar would be too narrow)
BOARD_PX = 1000
#: the narrowest a bar is drawn (a long cue scrolls sideways)
MIN_BAR_PX = 14
#: the room a bar number's label needs on the ruler
LABEL_PX = 26


@dataclass(frozen=True)
class BarTick:
    bar: int
    x: float
    label: str  # "" where there is no room for the number


@dataclass(frozen=True)
class TakeRow:
    """One take's row: where its bars and its audio are, and what it is."""

    number: int
    kind: str
    circled: bool
    bars: str  # "1-20", "5-8"
    bars_x: float
    bars_width: float
    audio_x: float | None  # None: no audio (or no place on the film)
    audio_width: float
    flagged: str  # why the take is flagged ("" when it is not)
    in_comp: bool

    @property
    def title(self) -> str:
        text = f"take {self.number}: {self.kind}, bars {self.bars}"
        if self.circled:
            text += ", circled"
        if self.audio_x is None:
            text += ", no audio placed on the film"
        if self.flagged:
            text += f"; {self.flagged}"
        return text


@dataclass(frozen=True)
class SegmentBox:
    take: int
    label: str  # "1-12=4"
    x: float
    width: float
    row: int  # the index of the take's row


@dataclass(frozen=True)
class EditMark:
    index: int  # 0-based, in the comp's order
    at: str  # "13" or "12.3"
    timecode: str
    sample: int  # comp sample (from the cue's start)
    film_sample: int
    takes: str  # "4 > 7"
    x: float
    fade_x: float
    fade_width: float


@dataclass(frozen=True)
class Board:
    """The whole drawing: ``width`` pixels, the bar ruler, a row per take, the comp."""

    width: float
    bar_count: int
    ticks: tuple[BarTick, ...]
    end_x: float  # the end of the last bar
    rows: tuple[TakeRow, ...]
    segments: tuple[SegmentBox, ...]
    edits: tuple[EditMark, ...]


def _bars_text(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


def layout_board(tmap: TempoMap, takes: list[CompTake] | tuple[CompTake, ...], *,
                 sample_rate: int, cue_start_sample: int, rate, tempo_map_version: int | None,
                 comp=None) -> Board:
    """Lay out the takes (``CompTake``, their audio placed on the film) and ``comp`` (a
    ``comps.CompSpec`` or None) along the cue's bars."""
    from filmscore.timecode import format_label

    n = tmap.bar_count
    bar_at = [film_sample(tmap, BarBeat(b, 1), sample_rate) - cue_start_sample
              for b in range(1, n + 2)]  # bar_at[b - 1]: bar b's downbeat; [n]: the end
    spans = [(bar_at[0], bar_at[n])]
    for take in takes:
        if take.start_sample is not None and take.frames:
            begin = take.start_sample - cue_start_sample
            spans.append((begin, begin + take.frames))
    if comp is not None and comp.frames:
        spans.append((0, comp.frames))
    first = min(0, *(a for a, _ in spans))
    last = max(b for _, b in spans)
    total = max(last - first, 1)
    narrowest = min((bar_at[i + 1] - bar_at[i] for i in range(n)), default=total) or 1
    px = max(Fraction(BOARD_PX, total), Fraction(MIN_BAR_PX, narrowest))

    def x(sample: int) -> float:
        return round(float((sample - first) * px), 1)

    every = 1
    while every * float(narrowest * px) < LABEL_PX:
        every = {1: 2, 2: 4, 4: 5, 5: 10}.get(every, every * 2)
    ticks = tuple(BarTick(b, x(bar_at[b - 1]), str(b) if b == 1 or b % every == 0 else "")
                  for b in range(1, n + 1))
    used = {s.take for s in comp.segments} if comp is not None else set()
    ordered = sorted(takes, key=lambda t: t.number)
    rows = []
    for take in ordered:
        lo, hi = take.bars(n)
        lo, hi = max(lo, 1), min(hi, n)
        if take.start_sample is not None and take.frames:
            begin = take.start_sample - cue_start_sample
            audio_x, audio_w = x(begin), round(float(take.frames * px), 1)
        else:
            audio_x, audio_w = None, 0.0
        if tempo_map_version is None:
            flag = ""
        elif take.tempo_map_version is None:
            flag = "recorded before the cue had a tempo map"
        elif take.tempo_map_version < tempo_map_version:
            flag = (f"recorded to tempo map v{take.tempo_map_version}, the cue's is "
                    f"v{tempo_map_version}")
        else:
            flag = ""
        rows.append(TakeRow(take.number, take.kind, take.circled, _bars_text(lo, hi),
                            x(bar_at[lo - 1]), round(x(bar_at[hi]) - x(bar_at[lo - 1]), 1),
                            audio_x, audio_w, flag, take.number in used))
    index = {t.number: i for i, t in enumerate(ordered)}
    segments: list[SegmentBox] = []
    edits: list[EditMark] = []
    if comp is not None:
        for seg, (a, b) in zip(comp.segments, comp.segment_samples, strict=False):
            segments.append(SegmentBox(seg.take, seg.label, x(a), round(x(b) - x(a), 1),
                                       index.get(seg.take, -1)))
        for i, e in enumerate(comp.edits):
            edits.append(EditMark(
                i, str(e.at), format_label(frame_of_sample(e.film_sample, rate, sample_rate),
                                           rate),
                e.sample, e.film_sample, f"{e.out_take} > {e.in_take}", x(e.sample),
                x(e.fade_start), max(round(x(e.fade_end) - x(e.fade_start), 1), 1.0)))
    return Board(x(last) + 1, n, ticks, x(bar_at[n]), tuple(rows), tuple(segments),
                 tuple(edits))


def comp_board(pctx, cue: str, comp=None) -> Board:
    """The board of ``cue``'s takes (read from the take log and their audio's bext) with
    ``comp`` (a ``CompSpec``) drawn over them."""
    from filmscore.mixing.comps import cue_takes  # the placement the comp is cut on

    got = cue_takes(pctx, cue)
    return layout_board(got.tmap, list(got.takes), sample_rate=pctx.sample_rate,
                        cue_start_sample=got.start_sample, rate=pctx.rate,
                        tempo_map_version=got.tempo_map_version, comp=comp)


__all__ = ["Board", "BarTick", "EditMark", "SegmentBox", "TakeRow", "comp_board",
           "layout_board"]
