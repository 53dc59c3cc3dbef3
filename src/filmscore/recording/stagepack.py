"""The run sheet of a session on the scoring stage, as plain values (pure).

For every plan entry in recording order: the cue (number and title), the part of it and
its bars, its length (timecode duration and m:ss), the players called (chairs and their
count), the click (tempos in BPM and frame-clicks, meters, subdivision, count-in bars,
pickup, the timecode of the first click and of bar 1), the free-time passages (tempo-map
segments without a click: a fermata, a senza misura passage), the hard hits (timecode and
bar|beat on the click grid, offset from the click), the parts and books to put on the
stands, and the revision mark ("parts revised ...") when the parts changed after takes.

Only the entry's bars are described: a plan entry of bars 9-16 lists the tempos, meters,
free time and hits of those bars (the click file still covers the whole cue, and the
sheet gives the timecode of the entry's first bar).  The tempo map holds free time and
ramps, so both are described; what it does not hold is a *conducted* passage inside a
clicked bar (colla voce over a click), nor where the click is muted for the players
(a "click off" cue): neither is in the model, and the sheet cannot show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from filmscore.spotting.cues import CueSpec
from filmscore.sync.clicksheet import place
from filmscore.sync.tempomap import TempoMap, format_bpm, format_frameclick
from filmscore.timecode import format_duration, format_label


@dataclass(frozen=True)
class EntryInput:
    """What the run sheet needs of one plan entry (the service reads it from the store)."""

    position: int
    cue: CueSpec
    duration_frames: int
    tempo_map: TempoMap | None
    part: str = ""
    bar_from: int | None = None
    bar_to: int | None = None
    group: str = "orchestra"
    difficulty: int = 1
    chairs: tuple[str, ...] = ()
    stands: tuple[str, ...] = ()  # the parts and books on the stands
    revised: str = ""  # "parts revised 2026-12-05 (orchestration v2)", or ""
    electronics: bool = False  # the cue has prerecorded electronics to play back
    pickup: str = ""  # 'pickup bars 5-8: picture change' for a pickup entry


@dataclass(frozen=True)
class ClickSettings:
    """The click of an entry, as the engineer sets it up and the conductor hears it."""

    tempos: tuple[str, ...]  # '120 (12-0)', 'rit. 120 to 96 (15-0)' in order, no repeats
    meters: tuple[str, ...]  # '4/4', '3/4' in order, no repeats
    subdivision: int  # the grid the map was solved on (1 beats, 2 eighths in 4/4)
    count_in_bars: int
    pickup_beats: int
    first_click_frame: int  # the cue's first click (count-in included)
    first_click_timecode: str
    bar_frame: int  # the entry's first bar (bar 1 for a whole cue)
    bar_timecode: str


@dataclass(frozen=True)
class FreeTime:
    """A passage without click: bars ``bar_from``..``bar_to``, from ``timecode`` on."""

    bar_from: int
    bar_to: int
    frame: int
    timecode: str
    length_frames: int
    length: str  # m:ss+ff

    @property
    def text(self) -> str:
        bars = (f"bar {self.bar_from}" if self.bar_from == self.bar_to
                else f"bars {self.bar_from}-{self.bar_to}")
        return f"{bars} free time from {self.timecode} ({self.length})"


@dataclass(frozen=True)
class HardHit:
    """A hard hit: its timecode, where it lands on the click grid and how far off it."""

    frame: int
    timecode: str
    bar: int
    beat: int
    position: str  # '3|2' or '3|2|2' on a subdivided grid; bar|beat|tick in free time
    frames_off: Fraction | None  # hit minus click (None in free time)
    description: str = ""

    @property
    def text(self) -> str:
        off = "" if self.frames_off in (None, 0) else f" {float(self.frames_off):+.2f} fr"
        words = f" {self.description}" if self.description else ""
        return f"{self.timecode} {self.position}{off}{words}"


@dataclass(frozen=True)
class RunSheetEntry:
    position: int
    cue_number: str
    cue_title: str
    part: str
    bars: str  # 'all', '9-16'
    start_frame: int  # the cue's first frame
    start_timecode: str
    length_frames: int
    length: str  # m:ss+ff (format_duration)
    length_mss: str  # m:ss, rounded to the second
    group: str
    difficulty: int
    chairs: tuple[str, ...]
    click: ClickSettings | None  # None: the cue has no tempo map
    free_time: tuple[FreeTime, ...] = ()
    hits: tuple[HardHit, ...] = ()
    stands: tuple[str, ...] = ()
    revised: str = ""
    electronics: bool = False
    pickup: str = ""

    @property
    def player_count(self) -> int:
        return len(self.chairs)

    @property
    def cue_label(self) -> str:
        return " ".join(t for t in (self.cue_number, self.cue_title) if t)

    @property
    def electronics_text(self) -> str:
        return ("prerecorded electronics: play back" if self.electronics
                else "no prerecorded electronics")


@dataclass(frozen=True)
class RunSheet:
    film_title: str
    session: str
    date: str  # the session's day, ISO
    time: str  # '10:00-13:00'
    stage: str
    rate_name: str
    entries: tuple[RunSheetEntry, ...] = field(default_factory=tuple)

    @property
    def total_frames(self) -> int:
        return sum(e.length_frames for e in self.entries)

    @property
    def cue_numbers(self) -> tuple[str, ...]:
        """The session's cues in recording order, each once."""
        return tuple(dict.fromkeys(e.cue_number for e in self.entries))


def bar_span(bar_from: int | None, bar_to: int | None) -> str:
    """'9-16', '12' (one bar), '9-end', 'all' (no bars given)."""
    if bar_from is None and bar_to is None:
        return "all"
    first = bar_from or 1
    if bar_to == first:
        return str(first)
    return f"{first}-{bar_to if bar_to is not None else 'end'}"


def length_mss(frames: int, rate) -> str:
    """'1:05': a length in minutes and seconds, rounded to the nearest second."""
    seconds = (Fraction(frames) / rate.fps + Fraction(1, 2)).__floor__()
    return f"{seconds // 60}:{seconds % 60:02d}"


def _tempo_text(seg, rate) -> str:
    if seg.is_ramp:
        word = "accel." if seg.end_tempo_bpm > seg.tempo_bpm else "rit."
        return (f"{word} {format_bpm(seg.tempo_bpm)} to {format_bpm(seg.end_tempo_bpm)} "
                f"({format_frameclick(seg.end_tempo_bpm, rate)})")
    return f"{format_bpm(seg.tempo_bpm)} ({format_frameclick(seg.tempo_bpm, rate)})"


def _in_bars(first: int, count: int, lo: int, hi: int) -> bool:
    return first <= hi and first + count - 1 >= lo


def click_settings(tmap: TempoMap, bar_from: int, bar_to: int) -> ClickSettings:
    """The click of bars ``bar_from``..``bar_to`` of ``tmap`` (free time gives no tempo)."""
    rate = tmap.rate
    tempos: list[str] = []
    meters: list[str] = []
    bar = 1
    for seg in tmap.segments:
        if _in_bars(bar, seg.bars, bar_from, bar_to):
            if not seg.is_free:
                tempos.append(_tempo_text(seg, rate))
            meters.append(str(seg.meter))
        bar += seg.bars
    first = tmap.frame_at(tmap.first_beat_seconds)
    at = tmap.frame_at(tmap.seconds_of((max(bar_from, 1), 1)))
    return ClickSettings(tuple(dict.fromkeys(tempos)), tuple(dict.fromkeys(meters)),
                         tmap.subdivision, tmap.count_in_bars, tmap.pickup_beats, first,
                         format_label(max(first, 0), rate), at, format_label(at, rate))


def free_passages(tmap: TempoMap, bar_from: int, bar_to: int) -> tuple[FreeTime, ...]:
    """The free-time segments of ``tmap`` that touch bars ``bar_from``..``bar_to``."""
    out = []
    bar = 1
    for seg in tmap.segments:
        if seg.is_free and _in_bars(bar, seg.bars, bar_from, bar_to):
            frame = tmap.frame_at(tmap.seconds_of((bar, 1)))
            out.append(FreeTime(bar, bar + seg.bars - 1, frame, format_label(frame, tmap.rate),
                                seg.free_frames, format_duration(seg.free_frames, tmap.rate)))
        bar += seg.bars
    return tuple(out)


def hard_hits(tmap: TempoMap, cue: CueSpec, bar_from: int, bar_to: int
              ) -> tuple[HardHit, ...]:
    """The cue's hard hits in bars ``bar_from``..``bar_to``, placed on the click grid."""
    out = []
    free = {b.number for b in tmap.bars() if b.free}
    for point in sorted(cue.sync_points, key=lambda s: s.frame):
        if point.kind != "hard":
            continue
        hit = place(tmap, point.frame, point.kind, point.description, free_bars=free)
        if not bar_from <= hit.position.bar <= bar_to:
            continue
        out.append(HardHit(point.frame, format_label(point.frame, tmap.rate),
                           hit.position.bar, hit.position.beat, hit.label, hit.frames_off,
                           point.description))
    return tuple(out)


def entry_of(item: EntryInput, rate) -> RunSheetEntry:
    """One run-sheet line from a plan entry's values."""
    cue = item.cue
    tmap = item.tempo_map
    click, free, hits = None, (), ()
    if tmap is not None:
        lo = item.bar_from if item.bar_from is not None else -10**6
        hi = item.bar_to if item.bar_to is not None else 10**6
        click = click_settings(tmap, max(lo, 1), hi)
        free = free_passages(tmap, lo, hi)
        hits = hard_hits(tmap, cue, lo, hi)
    if item.bar_from is None and item.bar_to is None:
        bars = "all"
    else:
        bars = bar_span(item.bar_from, item.bar_to)
    return RunSheetEntry(
        item.position, str(cue.number), cue.title, item.part, bars, cue.start_frame,
        format_label(cue.start_frame, rate), item.duration_frames,
        format_duration(item.duration_frames, rate), length_mss(item.duration_frames, rate),
        item.group, item.difficulty, tuple(item.chairs), click, free, hits,
        tuple(item.stands), item.revised, item.electronics, item.pickup)


def run_sheet(items: Sequence[EntryInput], *, rate, film_title: str, session: str,
              date: str = "", time: str = "", stage: str = "") -> RunSheet:
    """The session's run sheet: its entries in recording order (by ``position``)."""
    entries = tuple(entry_of(i, rate) for i in sorted(items, key=lambda i: i.position))
    return RunSheet(film_title, session, date, time, stage, rate.name, entries)


#: the run sheet as CSV: (column, how a line fills it)
CSV_COLUMNS: tuple[tuple[str, object], ...] = (
    ("order", lambda e: e.position),
    ("cue", lambda e: e.cue_number),
    ("title", lambda e: e.cue_title),
    ("part", lambda e: e.part),
    ("bars", lambda e: e.bars),
    ("cue start", lambda e: e.start_timecode),
    ("length", lambda e: e.length),
    ("length m:ss", lambda e: e.length_mss),
    ("group", lambda e: e.group),
    ("difficulty", lambda e: e.difficulty),
    ("players", lambda e: e.player_count),
    ("chairs", lambda e: "; ".join(e.chairs)),
    ("tempo", lambda e: "; ".join(e.click.tempos) if e.click else "no tempo map"),
    ("meter", lambda e: "; ".join(e.click.meters) if e.click else ""),
    ("subdivision", lambda e: e.click.subdivision if e.click else ""),
    ("count-in bars", lambda e: e.click.count_in_bars if e.click else ""),
    ("pickup beats", lambda e: e.click.pickup_beats if e.click else ""),
    ("first click", lambda e: e.click.first_click_timecode if e.click else ""),
    ("first bar at", lambda e: e.click.bar_timecode if e.click else ""),
    ("free time", lambda e: "; ".join(f.text for f in e.free_time)),
    ("hard hits", lambda e: "; ".join(h.text for h in e.hits)),
    ("on the stands", lambda e: "; ".join(e.stands)),
    ("electronics", lambda e: e.electronics_text),
    ("revised", lambda e: e.revised),
    ("pickup", lambda e: e.pickup),
)


def csv_rows(sheet: RunSheet) -> list[list[str]]:
    """The run sheet as CSV rows, the header first."""
    rows = [[name for name, _ in CSV_COLUMNS]]
    for entry in sheet.entries:
        rows.append([str(get(entry)) for _, get in CSV_COLUMNS])  # type: ignore[operator]
    return rows


# --- prerecorded electronics ---------------------------------------------------------------

#: General MIDI programs (0-based) of synthesizers: Synth Lead, Synth Pad, Synth Effects
ELECTRONIC_PROGRAMS = range(80, 104)
#: words in a part's name or instrument that make it electronic (prerecorded)
ELECTRONIC_WORDS = ("synth", "electronic", "sampler")


def frame_aligned(seconds: Fraction, rate, sample_rate: int) -> tuple[int, int]:
    """(frame, samples): the frame at or before ``seconds`` (absolute, exact) and how many
    samples of silence put a file starting at ``seconds`` on that frame's start."""
    frame = (Fraction(seconds) * rate.fps).__floor__()
    pad = ((Fraction(seconds) - frame / rate.fps) * sample_rate + Fraction(1, 2)).__floor__()
    return frame, pad


def is_electronic(part) -> bool:
    """A part the composer prerecords (synth, electronics): by its GM program, or by its
    name or instrument."""
    words = f"{part.name} {part.instrument}".lower()
    return (not part.is_drum and part.program in ELECTRONIC_PROGRAMS) or any(
        w in words for w in ELECTRONIC_WORDS)


def electronic_parts(music) -> tuple:
    """The parts of ``music`` that are prerecorded electronics (may be none)."""
    return tuple(p for p in music.parts if is_electronic(p) and p.notes)
