"""The vinyl sides for the cutting engineer, from a release plan (pure but for reading the
mastered files): per side its tracks with start, length and running time, the side's
total against its maximum, each track's loudness, true peak and share of bass, and notes
where the cutting room will want to know: a side too long for full level, bass-heavy or
loud music late on a side (the inner grooves, at the smallest radius, hold it worst), a
true peak over the ceiling, sides far apart in length.

Loudness and true peak are mastering's (``PlanTrack.mastered``), measured again here
only when mastering did not record them.  The bass share is the part of a track's energy
below ``BASS_HZ`` (a 4th-order Butterworth low pass, streamed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from filmscore.album.plan import ReleasePlan
from filmscore.album.release_audio import TrackAudio, mastered_audio
from filmscore.album.vocabulary import SIDE_LETTERS
from filmscore.errors import InputError

BASS_HZ = 150.0
#: a track this much of whose energy lies below BASS_HZ is bass-heavy
BASS_HEAVY_SHARE = 0.45
#: a track starting past this share of its side counts as "late" (inner grooves)
LATE_FROM = Fraction(1, 2)
#: a side longer than this share of its maximum is cut at a lower level (about 18 of 22
#: minutes on a 12-inch LP at 33 1/3)
LONG_SIDE_SHARE = Fraction(9, 11)
#: louder than the side's median by this many LU counts as loud
LOUD_LU = 3.0
#: sides further apart than this (seconds) are noted as unbalanced
UNBALANCED_SECONDS = 180


@dataclass(frozen=True)
class SideTrack:
    label: str  # "A1"
    position: int
    title: str
    cue: str | None
    source: Path
    start: Fraction  # seconds from the side's start
    length: Fraction
    gap: Fraction  # silence (the band) before it on the side
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    bass_share: float
    notes: tuple[str, ...]

    @property
    def end(self) -> Fraction:
        return self.start + self.length


@dataclass(frozen=True)
class Side:
    letter: str
    tracks: tuple[SideTrack, ...]
    max_seconds: Fraction | None
    notes: tuple[str, ...]

    @property
    def total(self) -> Fraction:
        return self.tracks[-1].end if self.tracks else Fraction(0)


@dataclass(frozen=True)
class SideSheet:
    title: str
    artist: str
    catalog: str
    label: str
    sample_rate: int
    bits: int
    sides: tuple[Side, ...]
    notes: tuple[str, ...]


def clock(seconds: Fraction | float, tenths: bool = True) -> str:
    """Seconds as M:SS.s (tenths rounded half up) or M:SS."""
    if tenths:
        whole = int(Fraction(seconds) * 10 + Fraction(1, 2))
        minutes, rest = divmod(whole, 600)
        return f"{minutes}:{rest // 10:02d}.{rest % 10}"
    whole = int(Fraction(seconds) + Fraction(1, 2))
    return f"{whole // 60}:{whole % 60:02d}"


def bass_share(path: Path, *, block: int = 1 << 16) -> float:
    """The share of ``path``'s energy below ``BASS_HZ`` (0 for silence)."""
    import soundfile as sf
    from scipy import signal

    with sf.SoundFile(str(path)) as audio:
        sos = signal.butter(4, BASS_HZ, "low", fs=audio.samplerate, output="sos")
        state = np.zeros((sos.shape[0], 2, audio.channels))
        low = total = 0.0
        for data in audio.blocks(blocksize=block, dtype="float64", always_2d=True):
            filtered, state = signal.sosfilt(sos, data, axis=0, zi=state)
            low += float(np.sum(filtered ** 2))
            total += float(np.sum(data ** 2))
    return low / total if total > 0 else 0.0


def _loudness(item: TrackAudio) -> tuple[float | None, float | None]:
    mastered = item.track.mastered or {}
    lufs, peak = mastered.get("loudness_lufs"), mastered.get("true_peak_dbtp")
    if lufs is None or peak is None:
        from filmscore.mixing.meter import measure_file

        measured = measure_file(item.path)
        lufs = measured.loudness_lufs if lufs is None else lufs
        peak = measured.true_peak_dbtp if peak is None else peak
    finite = [None if v is None or not np.isfinite(v) else float(v) for v in (lufs, peak)]
    return finite[0], finite[1]


def side_sheet(plan: ReleasePlan) -> SideSheet:
    """The sides of ``plan`` with their timings and notes; InputError for a track without
    a side, or mastered audio not at the medium's rate."""
    medium = plan.medium
    audio = mastered_audio(plan, sample_rate=medium.sample_rate)
    by_side: dict[str, list[TrackAudio]] = defaultdict(list)
    for item in audio:
        letter = (item.track.side or "").upper()
        if letter not in SIDE_LETTERS[:max(medium.sides, 1)] or not letter:
            raise InputError(f"vinyl track {item.track.position} {item.track.title!r} is "
                             "on no side the record has", field="side",
                             value=item.track.side,
                             valid=", ".join(SIDE_LETTERS[:max(medium.sides, 1)]))
        by_side[letter].append(item)
    ceiling = medium.ceiling_dbtp
    sides = []
    for letter in sorted(by_side):
        items = by_side[letter]
        measured = [(_loudness(i), bass_share(i.path)) for i in items]
        louds = sorted(m[0][0] for m in measured if m[0][0] is not None)
        median = louds[len(louds) // 2] if louds else None
        cursor = Fraction(0)
        raw = []
        for k, (item, ((lufs, peak), bass)) in enumerate(zip(items, measured, strict=True)):
            gap = Fraction(0) if k == 0 else Fraction(item.track.gap_seconds)
            start = cursor + gap
            length = Fraction(item.frames, item.sample_rate)
            cursor = start + length
            raw.append((item, start, length, gap, lufs, peak, bass))
        total = cursor
        tracks = []
        for n, (item, start, length, gap, lufs, peak, bass) in enumerate(raw, 1):
            notes = []
            late = len(raw) > 1 and start >= total * LATE_FROM
            if bass >= BASS_HEAVY_SHARE and late:
                notes.append(f"bass-heavy ({bass:.0%} below {BASS_HZ:.0f} Hz) late on the "
                             "side: better early, at the outer grooves")
            if lufs is not None and median is not None and late and len(raw) > 2 \
                    and lufs >= median + LOUD_LU:
                notes.append(f"loud ({lufs:.1f} LUFS, side median {median:.1f}) late on "
                             "the side: inner-groove distortion")
            if peak is not None and peak > ceiling:
                notes.append(f"true peak {peak:.1f} dBTP over the {ceiling:.1f} ceiling")
            tracks.append(SideTrack(
                label=f"{letter}{n}", position=item.track.position, title=item.track.title,
                cue=item.track.cue, source=item.path, start=start, length=length, gap=gap,
                loudness_lufs=lufs, true_peak_dbtp=peak, bass_share=bass,
                notes=tuple(notes)))
        side_notes = []
        limit = medium.max_seconds
        if limit is not None and total > limit:
            side_notes.append(f"over the side's maximum of {clock(limit, False)} by "
                              f"{clock(total - limit)}: cut at a lower level, or move a "
                              "track to another side")
        elif limit is not None and total > limit * LONG_SIDE_SHARE:
            side_notes.append(f"a long side ({clock(total)} of {clock(limit, False)}): the "
                              "cut level may have to come down")
        sides.append(Side(letter, tuple(tracks), limit, tuple(side_notes)))
    notes = []
    totals = [s.total for s in sides]
    if len(totals) > 1 and max(totals) - min(totals) > UNBALANCED_SECONDS:
        notes.append(f"sides unbalanced: {clock(min(totals))} to {clock(max(totals))}")
    return SideSheet(title=plan.title, artist=plan.artist, catalog=plan.catalog,
                     label=plan.label_name, sample_rate=medium.sample_rate,
                     bits=medium.bits, sides=tuple(sides), notes=tuple(notes))
