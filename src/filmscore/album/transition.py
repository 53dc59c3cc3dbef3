"""Listening across a transition of an album: the last seconds of a track, the gap before
the next as silence, and the first seconds of the next, as one Broadcast WAV.

:func:`join` is pure (two blocks of samples and a gap in, the transition out, sample for
sample); :func:`render_transition` reads only the two ends of the two files and writes the
WAV atomically; :func:`transition_file` finds the two tracks on an album's medium, picks
their audio and keeps the result in a cache folder named by what it is made of (the media
hashes are content hashes: a new master or a changed gap makes a new file).

Which audio: the masters when both tracks are mastered, else the candidates' audio of
both (a mastered track beside an unmastered one would jump in level at the join, and the
two may not share a sample rate).  The samples are copied, never converted: both files
must have the same rate (else a one-line error naming both), a mono track beside a
stereo one is played on both channels, and 16- or 24-bit files come out as 24-bit WAV
(16-bit values are exact in 24 bits).  The gap is the nearest whole number of samples to
``gap_seconds * sample_rate`` (exact for the gaps an album uses: whole seconds, CD frames
at 44.1 and 48 kHz).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from filmscore.errors import InputError, NotFoundError
from filmscore.fileio import inside, safe_name

#: seconds of each track played either side of a transition unless asked otherwise
TRANSITION_SECONDS = 6
#: the longest an end may be asked for (seconds)
MAX_TRANSITION_SECONDS = 30
#: soundfile subtypes whose samples are copied exactly (held as 24-bit integers)
EXACT_SUBTYPES = ("PCM_16", "PCM_24")


def gap_frames(gap_seconds: Fraction, sample_rate: int) -> int:
    """The gap in samples: the nearest (half up) to ``gap_seconds * sample_rate``."""
    value = Fraction(gap_seconds) * sample_rate
    if value < 0:
        raise InputError("a gap cannot be negative", field="gap_seconds",
                         value=str(gap_seconds), valid="0 or more seconds")
    return (value + Fraction(1, 2)).__floor__()


def join(tail: np.ndarray, gap: int, head: np.ndarray) -> np.ndarray:
    """``tail``, then ``gap`` samples of silence, then ``head`` ((n, channels) integers of
    the same channels; a mono block beside a wider one is repeated on every channel)."""
    tail, head = np.asarray(tail), np.asarray(head)
    if tail.ndim == 1:
        tail = tail[:, None]
    if head.ndim == 1:
        head = head[:, None]
    channels = max(tail.shape[1], head.shape[1])
    blocks = []
    for block in (tail, head):
        if block.shape[1] != channels:
            if block.shape[1] != 1:
                raise InputError("the two tracks have different channels",
                                 field="channels", value=f"{tail.shape[1]} and "
                                 f"{head.shape[1]}", valid="the same channels, or mono")
            block = np.repeat(block, channels, axis=1)
        blocks.append(block.astype(np.int32, copy=False))
    silence = np.zeros((gap, channels), dtype=np.int32)
    return np.concatenate([blocks[0], silence, blocks[1]])


@dataclass(frozen=True)
class _End:
    samples: np.ndarray  # (n, channels) 24-bit integers in int32
    sample_rate: int


def _read_end(path: Path, seconds: int, *, last: bool, label: str) -> _End:
    """The first (or last) ``seconds`` of a file (all of it when shorter)."""
    import soundfile

    try:
        handle = soundfile.SoundFile(str(path))
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise InputError(f"cannot read the audio of {label}: {exc}", source=str(path),
                         valid="a WAV or FLAC file soundfile can read") from None
    with handle:
        if handle.subtype not in EXACT_SUBTYPES:
            raise InputError(f"the audio of {label} is not 16- or 24-bit PCM",
                             source=str(path), field="subtype", value=handle.subtype,
                             valid=", ".join(EXACT_SUBTYPES))
        want = min(seconds * handle.samplerate, handle.frames)
        if last:
            handle.seek(handle.frames - want)
        data = handle.read(want, dtype="int32", always_2d=True)
        # soundfile gives every width left-justified in 32 bits: back to 24-bit values
        return _End(data >> 8, handle.samplerate)


def render_transition(out_audio: Path, in_audio: Path, gap_seconds: Fraction, target: Path,
                      *, seconds: int = TRANSITION_SECONDS,
                      labels: tuple[str, str] = ("the first track", "the next track"),
                      description: str = "") -> Path:
    """Write the last ``seconds`` of ``out_audio``, the gap, and the first ``seconds`` of
    ``in_audio`` to ``target`` (a 24-bit Broadcast WAV at their sample rate)."""
    from filmscore.formats.bwf import Bext, BwfWriter

    tail = _read_end(Path(out_audio), seconds, last=True, label=labels[0])
    head = _read_end(Path(in_audio), seconds, last=False, label=labels[1])
    if tail.sample_rate != head.sample_rate:
        raise InputError(f"{labels[0]} is at {tail.sample_rate} Hz and {labels[1]} at "
                         f"{head.sample_rate} Hz", field="sample_rate",
                         value=f"{tail.sample_rate} and {head.sample_rate}",
                         valid="one sample rate for both (master or convert them)")
    samples = join(tail.samples, gap_frames(gap_seconds, tail.sample_rate), head.samples)
    target.parent.mkdir(parents=True, exist_ok=True)
    with BwfWriter(target, tail.sample_rate, samples.shape[1],
                   bext=Bext(description=description[:256])) as out:
        out.write(samples)
    return target


def transition_file(pctx, album: int, medium: str, position: int, folder: Path, *,
                    seconds: int = TRANSITION_SECONDS) -> Path:
    """The transition from track ``position`` of ``album`` on ``medium`` into the next
    track of its side, rendered into ``folder`` on the first request."""
    from filmscore.album.board import check_album, layout_medium
    from filmscore.album.plan import release_plan

    if not 1 <= seconds <= MAX_TRANSITION_SECONDS:
        raise InputError("not a length to play either side", field="seconds",
                         value=str(seconds), valid=f"1 to {MAX_TRANSITION_SECONDS} seconds")
    check_album(pctx, album)
    plan = release_plan(pctx, album, medium)
    view = layout_medium(plan)
    found = [t for t in view.transitions if t.out_position == position]
    if not found:
        listed = ", ".join(f"{t.out_position}" for t in view.transitions) or "none"
        raise NotFoundError(f"album {album} has no transition after {medium} track "
                            f"{position} (transitions after tracks: {listed})")
    move = found[0]
    a = next(t for t in plan.tracks if t.position == move.out_position)
    b = next(t for t in plan.tracks if t.position == move.in_position)
    if move.mastered:
        paths, hashes = (a.mastered_audio, b.mastered_audio), (
            a.mastered["media_hash"], b.mastered["media_hash"])
    else:
        paths = (a.audio, b.audio)
        # the media store keeps a file under its content hash: its path names its content
        hashes = (str(a.audio), str(b.audio))
    for track, path, label in ((a, paths[0], move.out_label), (b, paths[1], move.in_label)):
        if path is None:
            raise NotFoundError(f"{medium} track {label} {track.title!r} of album {album} "
                                "has no audio yet")
    key = hashlib.sha256(json.dumps([album, medium, move.out_position, move.in_position,
                                     str(move.gap), seconds, *hashes]).encode()).hexdigest()
    name = f"album{album}_{medium}_{move.out_label}-{move.in_label}_{seconds}s_{key[:16]}.wav"
    path = inside(folder, safe_name(re.sub(r"[^A-Za-z0-9_.-]+", "_", name),
                                    fallback="transition.wav"))
    if path.is_file():
        return path
    labels = (f"{medium} track {move.out_label} {a.title!r}",
              f"{medium} track {move.in_label} {b.title!r}")
    what = "masters" if move.mastered else "candidates' audio"
    return render_transition(
        paths[0], paths[1], move.gap, path, seconds=seconds, labels=labels,
        description=f"album {album} {medium}: {move.out_label} > {move.in_label}, "
                    f"{seconds} s either side of a {move.gap_text} gap ({what})")


__all__ = ["EXACT_SUBTYPES", "MAX_TRANSITION_SECONDS", "TRANSITION_SECONDS", "gap_frames",
           "join", "render_transition", "transition_file"]
