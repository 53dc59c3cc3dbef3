"""A cue's tempo map as a Standard MIDI File (mido): the conductor track DAWs and notation
programs import, and reading one back.

Writing (type 1, one conductor track): the track name is the cue label; ``set_tempo``,
``time_signature`` at every meter change, a ``marker`` for each sync point and one at
bar 1; a ``text`` event ``filmscore: count_in_bars=C pickup_beats=P`` so that our reader
finds bar 1 again; and ``smpte_offset``, the timecode of the file's first tick, so that
Pro Tools, Digital Performer, Logic, Cubase, Dorico and Sibelius place it at picture.

- **The file starts at the first click.**  Tick 0 is the first count-in (or pickup)
  click; count-in bars are whole bars of the first meter; a pickup without a count-in is
  a first bar of ``P/denominator`` (as notation programs write an anacrusis).  A DAW
  therefore numbers bars from the count-in: its bar 1 is our first count-in bar.  The
  marker "bar 1" shows where our bar 1 is.
- **SMPTE offset.**  The offset's frame rate is one of 24, 25, 29.97 (drop) and 30;
  23.976 is written as 24 and 29.97 non-drop as 30 (the same labels), and the doubled
  rates (47.952, 48, 50, 59.94, 60) as their halves, the odd frame in the sub-frames.
  The first click rarely starts on a frame: its offset is given to 1/100 frame (the
  field's resolution, 0.42 ms at 24 fps), rounded so that bar 1 lands within 1/200
  frame of its frame (our reader rounds it back to the frame).
- **Precision.**  MIDI stores tempo as whole microseconds per quarter note: 180 BPM is
  333,333 µs and comes back as 180.00018 BPM (FIELD-NOTES).  A constant segment is
  written with its tempo rounded, so its beats drift by at most 0.5 µs per quarter per
  beat (0.6 ms after ten minutes at 180 BPM: far below a frame); ``read_tempo_midi``
  returns the exact tempo of the integer in the file.  Event positions are whole ticks
  (``ppq`` per quarter).
- **Ramps** are written as one tempo per beat: each beat's average tempo, rounded with
  the rounding error carried to the next beat, so every beat of a ramp lands within
  0.5 µs per quarter of its exact time (between beats the tempo is a step, not a curve).
- **Free time** has no click, but a MIDI file needs a tempo: it is written as its bars
  of its meter at the tempo that makes them last exactly its frames.

Reading: constant segments from ``set_tempo`` and ``time_signature`` (bars of equal meter
and tempo are merged); a bar whose tempo changes inside (a ramp, or a DAW's tempo curve)
becomes a one-bar ramp with its exact length and first beat (our ramps come back within
a few microseconds per beat: 5 µs in the tests).  A file without tempo is
120 BPM and without time signature 4/4, as the MIDI standard says.  Bar 1 is at tick 0
unless the file carries our count-in text.  ``start_frame`` (bar 1's frame) is taken
from the argument, else from ``smpte_offset``, else 0.  What a round trip loses: free
time (it becomes clicked bars at the same length), ramps as single segments (one ramp
segment per bar), tempos finer than a microsecond per quarter, marker times finer than a
tick.  Marker text is Latin-1 (the SMF default); other characters become '?'.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmscore.errors import InputError, ParseError, TimecodeError
from filmscore.fileio import atomic_path
from filmscore.inputs import read_input
from filmscore.limits import BOUNDS, check
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.timecode import Rate, format_label, get_rate, parse_label

MIDI_DEFAULT_USPQ = 500_000  # 120 BPM: the SMF default when a file has no set_tempo
MAX_USPQ = 0xFFFFFF
_LEAD_TAG = re.compile(r"^filmscore: count_in_bars=(\d+) pickup_beats=(\d+)$")

#: How each of our rates is written in an SMPTE offset: (MIDI frame rate, our frames per
#: MIDI frame).  Vocabulary as data.
SMPTE_RATES: dict[str, tuple[float, int]] = {
    "23.976": (24, 1), "24": (24, 1), "25": (25, 1), "29.97df": (29.97, 1),
    "29.97": (30, 1), "30": (30, 1), "47.952": (24, 2), "48": (24, 2), "50": (25, 2),
    "59.94df": (29.97, 2), "59.94": (30, 2), "60": (30, 2),
}
_MIDI_NOMINAL = {24: 24, 25: 25, 29.97: 30, 30: 30}

Marker = tuple[Fraction, str]


@dataclass(frozen=True)
class _Tempo:
    tick: int
    uspq: int


def _uspq(seconds_per_quarter: Fraction, what: str) -> int:
    value = round(seconds_per_quarter * 1_000_000)
    if not 1 <= value <= MAX_USPQ:
        raise InputError("tempo cannot be written to MIDI", field="tempo", value=what,
                         valid="a quarter note of 1 µs to 16.7 s")
    return value


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


class _Clock:
    """Written time (exact seconds) of a tick under a list of tempo events."""

    def __init__(self, tempos: Sequence[_Tempo], ppq: int) -> None:
        self.ppq = ppq
        self.ticks = [t.tick for t in tempos]
        self.uspq = [t.uspq for t in tempos]
        self.starts = [Fraction(0)]
        for i in range(1, len(tempos)):
            self.starts.append(self.starts[-1] + self._span(i - 1, self.ticks[i]))

    def _span(self, i: int, tick: int) -> Fraction:
        return Fraction((tick - self.ticks[i]) * self.uspq[i], self.ppq * 1_000_000)

    def _index(self, tick: int) -> int:
        lo, hi = 0, len(self.ticks) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.ticks[mid] <= tick:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def seconds(self, tick: int) -> Fraction:
        i = self._index(tick)
        return self.starts[i] + self._span(i, tick)

    def tick(self, seconds: Fraction) -> int:
        """Nearest tick to a written time (seconds from tick 0)."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= seconds:
                lo = mid
            else:
                hi = mid - 1
        exact = self.ticks[lo] + (seconds - self.starts[lo]) * self.ppq * 1_000_000 / self.uspq[lo]
        return max(0, (exact + Fraction(1, 2)).__floor__())


def _plan(tmap: TempoMap, ppq: int) -> tuple[list[_Tempo], list[tuple[int, Meter]], int, int]:
    """Tempo events, meter events, the tick of bar 1 and the tick of the end."""

    def beat_ticks(meter: Meter) -> int:
        ticks = ppq * meter.beat_quarters
        if ticks.denominator != 1:
            raise InputError("ppq too coarse for the meter", field="ppq", value=str(ppq),
                             valid=f"a multiple of {meter.denominator // 4} for {meter}")
        return int(ticks)

    first = tmap.segments[0]
    lead = tmap.lead_beats
    bt0 = beat_ticks(first.meter)
    lead_ticks = lead * bt0
    meters: list[tuple[int, Meter]] = []
    if lead and lead % first.meter.numerator:
        meters.append((0, Meter(lead, first.meter.denominator)))  # the pickup bar
    elif lead:
        meters.append((0, first.meter))  # whole count-in bars
    tempos: list[_Tempo] = []

    def add_tempo(tick: int, uspq: int) -> None:
        if tempos and tempos[-1].uspq == uspq:
            return
        if tempos and tempos[-1].tick == tick:
            tempos[-1] = _Tempo(tick, uspq)
        else:
            tempos.append(_Tempo(tick, uspq))

    lead_exact = -tmap.first_beat_seconds  # exact seconds from the first click to bar 1
    tick = lead_ticks
    if lead:
        add_tempo(0, _uspq(first.beat_seconds(tmap.rate) / first.meter.beat_quarters,
                           f"{first.tempo_bpm} BPM"))
    written = Fraction(lead * (tempos[0].uspq if tempos else 0) * first.meter.beat_quarters,
                       1_000_000)
    seg_start = Fraction(0)  # seconds from bar 1 to the segment's start
    for seg in tmap.segments:
        bt = beat_ticks(seg.meter)
        if not meters or meters[-1][1] != seg.meter:
            meters.append((tick, seg.meter))
        bq = seg.meter.beat_quarters
        if seg.is_ramp:
            for b in range(seg.beats):
                target = lead_exact + seg_start + seg.time_at(Fraction(b + 1), tmap.rate)
                uspq = _uspq((target - written) / bq, f"{seg.tempo_bpm} > {seg.end_tempo_bpm}")
                add_tempo(tick + b * bt, uspq)
                written += Fraction(uspq, 1_000_000) * bq
        else:
            beat_s = seg.duration(tmap.rate) / seg.beats
            uspq = _uspq(beat_s / bq, "free time" if seg.is_free else f"{seg.tempo_bpm} BPM")
            add_tempo(tick, uspq)
            written += Fraction(uspq, 1_000_000) * bq * seg.beats
        tick += seg.beats * bt
        seg_start += seg.duration(tmap.rate)
    return tempos, meters, lead_ticks, tick


def _smpte(tmap: TempoMap, clock: _Clock, lead_ticks: int) -> dict:
    """The smpte_offset fields for the file's first tick, so that bar 1 is on its frame."""
    midi_rate, factor = SMPTE_RATES[tmap.rate.name]
    start = Fraction(tmap.start_frame) - clock.seconds(lead_ticks) * tmap.rate.fps
    if start < 0:
        raise InputError("the count-in would start before 00:00:00:00", field="start",
                         value=format_label(tmap.start_frame, tmap.rate),
                         valid="a cue whose first click is at or after 00:00:00:00")
    whole = start.__floor__()
    hh, mm, ss, ff = (int(x) for x in re.split(r"[:;]", format_label(whole, tmap.rate)))
    sub = round(((ff % factor) + (start - whole)) * 100 / factor)
    if sub >= 100:  # rounding up would carry into the next frame: stay 1/100 early
        sub = 99
    return {"frame_rate": midi_rate, "hours": hh, "minutes": mm, "seconds": ss,
            "frames": ff // factor, "sub_frames": sub}


def write_tempo_midi(tmap: TempoMap, path: str | os.PathLike[str], *,
                     markers: Sequence[Marker] = (), ppq: int = 960,
                     cue_label: str = "") -> Path:
    """Write ``tmap`` (and ``markers``: (seconds from bar 1, text)) as a type 1 SMF."""
    midi = conductor_midi(tmap, markers=markers, ppq=ppq, cue_label=cue_label)
    path = Path(path)
    with atomic_path(path) as tmp:
        midi.save(str(tmp))
    return path


def conductor_midi(tmap: TempoMap, *, markers: Sequence[Marker] = (), ppq: int = 960,
                   cue_label: str = ""):
    """The type 1 ``mido.MidiFile`` that ``write_tempo_midi`` writes: its one track is the
    conductor track (tempos, meters, markers, SMPTE offset); ``midi_music.write_music``
    adds the parts' tracks to it."""
    import mido

    if not 24 <= ppq <= 32767:
        raise InputError("ppq out of range", field="ppq", value=str(ppq), valid="24 to 32767")
    tempos, meters, lead_ticks, end_tick = _plan(tmap, ppq)
    clock = _Clock(tempos, ppq)
    lead_written = clock.seconds(lead_ticks)
    events: list[tuple[int, int, mido.MetaMessage]] = []  # (tick, order, message)

    def add(tick: int, order: int, kind: str, **fields) -> None:
        events.append((tick, order, mido.MetaMessage(kind, **fields)))

    if cue_label:
        add(0, 0, "track_name", name=_latin1(cue_label))
    add(0, 1, "smpte_offset", **_smpte(tmap, clock, lead_ticks))
    add(0, 2, "text", text=f"filmscore: count_in_bars={tmap.count_in_bars} "
                           f"pickup_beats={tmap.pickup_beats}")
    for tick, meter in meters:
        add(tick, 3, "time_signature", numerator=meter.numerator,
            denominator=meter.denominator, clocks_per_click=int(24 * meter.beat_quarters)
            if (24 * meter.beat_quarters).denominator == 1 else 24,
            notated_32nd_notes_per_beat=8)
    for t in tempos:
        add(t.tick, 4, "set_tempo", tempo=t.uspq)
    add(lead_ticks, 5, "marker", text="bar 1")
    for seconds, text in markers:
        tick = clock.tick(Fraction(seconds) + lead_written)
        add(tick, 6, "marker", text=_latin1(str(text)))
    events.sort(key=lambda e: (e[0], e[1]))
    track = mido.MidiTrack()
    now = 0
    for tick, _, message in events:
        track.append(message.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=max(end_tick, now) - now))
    midi = mido.MidiFile(type=1, ticks_per_beat=ppq)
    midi.tracks.append(track)
    return midi


def _start_frame_from_smpte(message, rate: Rate, source: str) -> Fraction:
    midi_rate = message.frame_rate
    nominal = _MIDI_NOMINAL.get(midi_rate)
    factor = Fraction(rate.nominal, nominal) if nominal else Fraction(0)
    if factor not in (1, 2):
        raise ParseError("the SMPTE offset's frame rate does not fit the project rate",
                         source=source, field="smpte_offset", value=str(midi_rate),
                         valid=f"an offset at {rate.nominal // (2 if rate.nominal > 30 else 1)}"
                               f" fps for a {rate.name} project")
    ff = message.frames * int(factor)
    label = (f"{message.hours:02d}:{message.minutes:02d}:{message.seconds:02d}"
             f"{rate.separator}{ff:02d}")
    try:
        frame = parse_label(label, rate, field="smpte_offset")
    except TimecodeError as error:
        raise error.located(source=source) from None
    return frame + Fraction(message.sub_frames, 100) * factor


def has_smpte_offset(midi) -> bool:
    """Whether a parsed MIDI file (``load_midi``) says where it starts in picture: an
    ``smpte_offset`` event.  DAWs leave it out when their session starts at 00:00:00:00."""
    return any(message.type == "smpte_offset" for track in midi.tracks for message in track)


def load_midi(path: str | os.PathLike[str]):
    """The parsed MIDI file at ``path`` (a ``mido.MidiFile``), read through
    :func:`filmscore.inputs.read_input` (a regular file within the "midi" size limit,
    never a pipe or a device); ParseError naming the file for anything mido cannot read."""
    import io

    import mido

    source = str(path)
    data = read_input(path, "midi")
    if not data.startswith((b"MThd", b"RIFF")):
        raise ParseError("not a MIDI file", source=source, value=data[:4].hex(" ") or "empty",
                         valid="a Standard MIDI File (.mid), which starts with 'MThd'")
    try:
        return mido.MidiFile(file=io.BytesIO(data))
    # mido (1.3) raises many kinds for a damaged file (EOFError for a cut file, OSError
    # for a bad chunk, ValueError/KeyError/IndexError for a bad event, and more): each is
    # a file it cannot read, none is ours
    except Exception as exc:  # noqa: BLE001
        reason = " ".join(str(exc).split())[:80] or type(exc).__name__
        raise ParseError(f"the MIDI file is damaged or cut short ({reason})", source=source,
                         valid="a Standard MIDI File (.mid)") from None


def read_tempo_midi(path: str | os.PathLike[str], rate: Rate | str,
                    start_frame: int | None = None, *, midi=None
                    ) -> tuple[TempoMap, list[Marker]]:
    """Read a MIDI file's tempo map and markers (seconds from bar 1, text); ``midi``: the
    file already parsed by :func:`load_midi` (else it is read here)."""
    import mido

    rate = get_rate(rate)
    source = str(path)
    if midi is None:
        midi = load_midi(path)
    try:
        merged = list(mido.merge_tracks(midi.tracks))
    except Exception as exc:  # noqa: BLE001 - mido's own failure on a damaged track
        reason = " ".join(str(exc).split())[:80] or type(exc).__name__
        raise ParseError(f"the MIDI file is damaged ({reason})", source=source,
                         valid="a Standard MIDI File (.mid)") from None
    try:
        return _tempo_map_of(midi, merged, rate, start_frame, source)
    except InputError as error:  # a value of the file, wrong for a tempo map: name the file
        raise error.located(source=source) from None


def _tempo_map_of(midi, merged, rate: Rate, start_frame: int | None, source: str
                  ) -> tuple[TempoMap, list[Marker]]:
    ppq = midi.ticks_per_beat
    if not ppq or ppq & 0x8000:  # the top bit of the division: SMPTE frames, not ticks
        raise ParseError("SMPTE-timed MIDI files are not supported", source=source,
                         field="division", value=str(ppq), valid="ticks per quarter")
    check("midi_ticks_per_beat", ppq, source=source, field="division",
          what="ticks per quarter")
    tempos: list[_Tempo] = []
    meters: list[tuple[int, Meter]] = []
    markers: list[tuple[int, str]] = []
    smpte = None
    ours = False
    count_in_bars = pickup_beats = 0
    tick = 0
    for message in merged:
        tick += message.time
        if message.type == "set_tempo":
            # 0 would be an infinite tempo (a division by zero below), 1 a million BPM
            check("midi_tempo", message.tempo, source=source,
                  field=f"set_tempo at tick {tick}", what="tempo")
            if tempos and tempos[-1].tick == tick:
                tempos[-1] = _Tempo(tick, message.tempo)
            else:
                tempos.append(_Tempo(tick, message.tempo))
        elif message.type == "time_signature":
            try:
                meter = Meter(message.numerator, message.denominator)
            except InputError as error:
                error.field = f"time_signature at tick {tick}"
                raise error.located(source=source) from None
            meters = [m for m in meters if m[0] != tick] + [(tick, meter)]
        elif message.type == "marker":
            markers.append((tick, message.text))
        elif message.type == "smpte_offset" and smpte is None:
            smpte = message
        elif message.type == "text" and (match := _LEAD_TAG.match(message.text)):
            count_in_bars, pickup_beats, ours = int(match[1]), int(match[2]), True
    end_tick = tick
    if not tempos or tempos[0].tick != 0:
        tempos.insert(0, _Tempo(0, MIDI_DEFAULT_USPQ))
    if not meters or meters[0][0] != 0:
        meters.insert(0, (0, Meter()))
    clock = _Clock(tempos, ppq)

    def meter_at(t: int) -> Meter:
        return [m for at, m in meters if at <= t][-1]

    def beat_ticks(meter: Meter) -> int:
        return max(1, round(ppq * meter.beat_quarters))

    first_meter = meter_at(0)
    lead_beats = count_in_bars * first_meter.numerator if count_in_bars else pickup_beats
    lead_ticks = lead_beats * beat_ticks(first_meter)
    if lead_ticks > end_tick:
        raise ParseError("the count-in is longer than the file", source=source,
                         field="text", value=f"{count_in_bars} bars, {pickup_beats} beats")
    max_bars = BOUNDS["bars"].high
    # a huge delta time makes millions of empty bars, no film's: refused before they are
    # counted one by one (the shortest bar of the file gives the most bars it can have)
    shortest = min(m.numerator * beat_ticks(m) for _, m in meters)
    too_long = end_tick - lead_ticks > max_bars * shortest
    segments: list[Segment] = []
    bars = 0
    t = lead_ticks
    while t < end_tick or not segments:
        bars += 1
        if too_long or bars > max_bars:
            raise ParseError("the file is too long", source=source, field="end of track",
                             value=f"tick {end_tick:,} at {ppq} ticks a quarter",
                             valid=f"at most {max_bars:,} bars")
        meter = meter_at(t)
        bt = beat_ticks(meter)
        beats = [clock.seconds(t + b * bt) for b in range(meter.numerator + 1)]
        length = beats[-1] - beats[0]
        inside = any(t < x.tick < t + meter.numerator * bt for x in tempos)
        seg = Segment(1, meter, Fraction(60 * meter.numerator) / length)
        if inside and meter.numerator > 1:
            d0 = beats[1] - beats[0]
            n = meter.numerator
            slope = 2 * (length - n * d0) / (n * (n - 1))
            s0 = d0 - slope / 2
            s1 = s0 + slope * n
            tempo_bound = BOUNDS["tempo_bpm"]
            # a ramp only when both ends are tempos a film has; else the bar's average
            if s0 > 0 and s1 > 0 and tempo_bound.holds(60 / s0) \
                    and tempo_bound.holds(60 / s1):
                seg = Segment(1, meter, 60 / s0, 60 / s1)
        last = segments[-1] if segments else None
        if (last is not None and not seg.is_ramp and not last.is_ramp
                and last.meter == seg.meter and last.tempo_bpm == seg.tempo_bpm):
            segments[-1] = Segment(last.bars + 1, meter, last.tempo_bpm)
        else:
            segments.append(seg)
        t += meter.numerator * bt
    lead_written = clock.seconds(lead_ticks)
    if start_frame is None:
        start_frame = 0
        if smpte is not None:
            at = _start_frame_from_smpte(smpte, rate, source) + lead_written * rate.fps
            start_frame = (at + Fraction(1, 2)).__floor__()
    tmap = TempoMap(rate, start_frame, tuple(segments), count_in_bars=count_in_bars,
                    pickup_beats=pickup_beats)
    out = [(clock.seconds(m_tick) - lead_written, text) for m_tick, text in markers
           if not (ours and m_tick == lead_ticks and text == "bar 1")]
    return tmap, out
