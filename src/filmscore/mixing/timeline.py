"""The film's music as one timeline: every use of every cue placed on the current picture.

This module holds the shared shape (pure dataclasses) that fitting, delivery and the cue
sheet all read; :func:`music_timeline` builds it from the project.  A cue's placement
follows the picture: with no explicit ``start_frame`` its music starts at the cue's own
start, which the spotting (and a conform) keeps on the current picture version.

Positions are exact integers: frames at the project rate for what the cue sheet and an
EDL say, samples at the project's sample rate for what the audio does.  ``record_in`` /
``record_out`` are the frames where the music is heard (after the head and tail trims);
``start_sample`` / ``end_sample`` the same span in samples, counted from 00:00:00:00.
"""

from __future__ import annotations

from dataclasses import dataclass

from filmscore.timecode import Rate


@dataclass(frozen=True)
class Placed:
    """One use of a cue on the film's timeline."""

    cue: str  # "1M3"
    title: str
    use: int  # 1 for the cue at its own place, 2, 3 ... for further uses
    record_in: int  # frame where the music is first heard (after the head trim)
    record_out: int  # frame where it has ended (exclusive; after the tail trim)
    start_sample: int  # the same span in samples from 00:00:00:00
    end_sample: int
    usage: str  # cue-sheet usage code (mixing.vocabulary.USAGES)
    mix: int | None  # the mix version heard (None: not mixed yet)
    head_trim: int = 0  # samples cut from the mix's head / tail
    tail_trim: int = 0
    fade_in: int = 0  # samples
    fade_out: int = 0
    source: bool = False  # a source cue (heard in the scene)
    layout: str | None = None  # the mix's channel layout ("stereo", "5.1"; None: no mix)
    origin: int = 0  # sample 0 of the cue's audio (its start: start_sample - head_trim)
    length: int = 0  # samples of the mix (0: not mixed)
    reel: int = 0  # the cue's reel

    @property
    def frames(self) -> int:
        return self.record_out - self.record_in

    @property
    def name(self) -> str:
        return self.cue if self.use == 1 else f"{self.cue} (use {self.use})"


@dataclass(frozen=True)
class MusicTimeline:
    """Every use of every cue in film order, on one picture version."""

    title: str
    rate: Rate
    sample_rate: int
    picture_version: int | None
    placements: tuple[Placed, ...]

    def overlaps(self) -> list[tuple[Placed, Placed]]:
        """Pairs of neighbouring uses that sound at once (segues), in film order."""
        pairs = []
        for a, b in zip(self.placements, self.placements[1:], strict=False):
            if b.start_sample < a.end_sample:
                pairs.append((a, b))
        return pairs


@dataclass(frozen=True)
class DeliveredFile:
    """One Broadcast WAV of a delivery to the dub: a use of a cue, one stem or the mix,
    as heard on the film (trims, fades and segue crossfades printed in)."""

    name: str  # file name in the delivery folder: 1M3_v2_STR.wav
    cue: str
    title: str
    use: int
    stem: str  # a stem name, or "mix"
    code: str  # STR ... MIX
    mix: int  # the mix version
    layout: str
    channels: int
    sample_rate: int
    start_sample: int  # where it is heard, samples from 00:00:00:00 (its TimeReference)
    frames: int  # samples long
    record_in: int  # frames at the project rate (the EDL's, rounded to whole frames)
    record_out: int
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    measured_by: str = ""  # "mix v2" (the mix's own values) or "ffmpeg ebur128"


@dataclass(frozen=True)
class Delivery:
    """What a delivery to the dub wrote: the folder, every audio file, the timelines and
    the reports (file names in the folder)."""

    folder: object  # pathlib.Path
    title: str
    rate: Rate
    sample_rate: int
    layout: str
    files: tuple[DeliveredFile, ...]
    timelines: tuple[str, ...]  # .otio, .aaf, .edl
    reports: tuple[str, ...]  # .pdf, .csv
