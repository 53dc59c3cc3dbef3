"""Check a cue's music against the cue: do its tempos land the hits, does it fit in/out?"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from filmscore.spotting.cues import CueSpec
from filmscore.sync.tempomap import Segment, TempoMap
from filmscore.timecode import Rate
from filmscore.writing.music import Music


@dataclass(frozen=True)
class HitCheck:
    frame: int
    description: str
    position: str  # bar|beat|tick in the cue's tempo map
    frames_off: Fraction  # where the music's own tempo puts that position, minus the hit
    landed: bool


@dataclass(frozen=True)
class MusicCheck:
    """What the import found: each hard hit in the music's tempo, and the length."""

    hits: tuple[HitCheck, ...]
    length_frames: int  # the music's length at its tempo (or the cue's map)
    cue_frames: int
    tempo_source: str  # "music" (its own tempos) or "cue" (the cue's tempo map)

    @property
    def missed(self) -> tuple[HitCheck, ...]:
        return tuple(h for h in self.hits if not h.landed)

    @property
    def length_off_frames(self) -> int:
        return self.length_frames - self.cue_frames

    def summary(self) -> str:
        parts = []
        if self.hits:
            parts.append(f"{len(self.hits) - len(self.missed)} of {len(self.hits)} hard hits "
                         f"land in the music's tempo")
        off = self.length_off_frames
        if off:
            parts.append(f"{'longer' if off > 0 else 'shorter'} than the cue by {abs(off)} "
                         f"frames")
        else:
            parts.append("as long as the cue")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {
            "hits": [{"frame": h.frame, "description": h.description, "position": h.position,
                      "frames_off": str(h.frames_off), "landed": h.landed} for h in self.hits],
            "length_frames": self.length_frames, "cue_frames": self.cue_frames,
            "tempo_source": self.tempo_source,
        }


def check_music(music: Music, cue: CueSpec, cue_map: TempoMap | None, *, rate: Rate,
                tolerance_frames: Fraction = Fraction(1)) -> MusicCheck:
    """Each hard hit: its position in the cue's tempo map, and where the music's own tempo
    (bar 1 on the cue map's bar 1) puts that position; the music's length in frames."""
    music_map = music.tempo_map
    ref = cue_map
    if music_map is not None and cue_map is not None:
        music_map = TempoMap(cue_map.rate, cue_map.start_frame, music_map.segments)
    timing = music_map or cue_map
    hits = []
    if cue_map is not None and music_map is not None:
        for s in cue.sync_points:
            if s.kind != "hard":
                continue
            pos = ref.position_at(ref.seconds_of_frame(s.frame))  # floored to the tick
            # the same music position in the music's own map, counted in quarter notes
            # (its meter may differ from the cue map's: a 2/4 sketch on a 4/4 map)
            t = (seconds_at_quarters(music_map, _quarters_at(ref, pos)) if pos.bar >= 1
                 else ref.seconds_of(pos))
            off = music_map.frames_off(s.frame, t)
            hits.append(HitCheck(s.frame, s.description, str(pos), off,
                                 abs(off) <= tolerance_frames))
    if timing is None:
        # no tempo anywhere: MIDI's default, 120 BPM, from the cue's start
        timing = TempoMap(rate, cue.start_frame, (Segment(1, music.meter, Fraction(120)),))
    end = seconds_at_quarters(timing, music.end)
    length = timing.frame_at(end) - timing.start_frame
    return MusicCheck(tuple(hits), length, cue.end_frame - cue.start_frame,
                      "music" if music.tempo_map is not None else "cue")


def _quarters_at(tmap: TempoMap, pos) -> Fraction:
    """Quarter notes from bar 1 to a position (bar >= 1) of ``tmap``."""
    quarters = Fraction(0)
    meter = tmap.segments[0].meter
    for bar in tmap.bars():
        meter = bar.meter
        if bar.number == pos.bar:
            break
        quarters += bar.meter.numerator * bar.meter.beat_quarters
    else:  # past the map's end: its last meter goes on
        quarters += (pos.bar - tmap.bar_count - 1) * meter.numerator * meter.beat_quarters
    return quarters + (pos.beat - 1 + Fraction(pos.tick, meter.ticks_per_beat)) \
        * meter.beat_quarters


def seconds_at_quarters(tmap: TempoMap, quarters: Fraction) -> Fraction:
    """Time of a position given in quarter notes from bar 1 (across meter changes)."""
    remaining = Fraction(quarters)
    for bar in tmap.bars():
        bar_q = bar.meter.numerator * bar.meter.beat_quarters
        if remaining <= bar_q:
            beats = remaining / bar.meter.beat_quarters
            whole = int(beats)
            tick = int((beats - whole) * bar.meter.ticks_per_beat)
            if whole >= bar.meter.numerator:
                return tmap.seconds_of((bar.number + 1, 1))
            return tmap.seconds_of((bar.number, whole + 1, tick))
        remaining -= bar_q
    last = list(tmap.bars())[-1]
    beats = remaining / last.meter.beat_quarters
    return tmap.seconds_of((last.number + 1, 1)) + beats * 60 / last.tempo_bpm
