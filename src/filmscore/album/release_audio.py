"""The mastered audio of a release plan's tracks, checked before any release file is
written: every track mastered, each file readable, at the medium's sample rate, bit depth
and channel count."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmscore.album.plan import PlanTrack, ReleasePlan
from filmscore.errors import InputError

#: soundfile's PCM subtypes and their bits
PCM_BITS = {"PCM_16": 16, "PCM_24": 24, "PCM_32": 32}


@dataclass(frozen=True)
class TrackAudio:
    """A track with the facts of its mastered file (read from the file's header)."""

    track: PlanTrack
    path: Path
    frames: int
    sample_rate: int
    channels: int
    bits: int

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


def master_hint(plan: ReleasePlan) -> str:
    return f"run 'filmscore master {plan.album_number} --medium {plan.medium.name}' first"


def mastered_audio(plan: ReleasePlan, *, sample_rate: int | None = None,
                   bits: int | None = None, channels: int | None = None) -> list[TrackAudio]:
    """Every track's mastered file with its facts; InputError for a track without one
    (telling to run ``filmscore master``), a file that cannot be read, or one at another
    sample rate, bit depth or channel count than asked."""
    import soundfile as sf

    if not plan.tracks:
        raise InputError(f"album {plan.album_number} has no tracks on {plan.medium.title}",
                         field="medium", value=plan.medium.name,
                         valid="a medium the album has been sequenced for")
    missing = [t for t in plan.tracks if t.mastered_audio is None]
    if missing:
        names = ", ".join(f"{t.position} {t.title!r}" for t in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise InputError(f"{len(missing)} track(s) of album {plan.album_number} on "
                         f"{plan.medium.title} have no mastered audio: {names}{more}; "
                         f"{master_hint(plan)}", field="mastered")
    out = []
    for track in plan.tracks:
        path = Path(track.mastered_audio)
        try:
            info = sf.info(str(path))
        except (RuntimeError, OSError, sf.LibsndfileError) as exc:
            raise InputError(f"cannot read track {track.position}'s mastered audio: {exc}",
                             source=str(path), valid=f"a WAV file; {master_hint(plan)}"
                             ) from None
        got_bits = PCM_BITS.get(info.subtype, 0)
        if sample_rate is not None and info.samplerate != sample_rate:
            raise InputError(f"track {track.position} {track.title!r}: the mastered audio "
                             f"is at {info.samplerate} Hz; {plan.medium.title} needs "
                             f"{sample_rate} Hz", source=str(path), field="sample_rate",
                             value=str(info.samplerate),
                             valid=f"{sample_rate}; {master_hint(plan)}")
        if bits is not None and got_bits != bits:
            raise InputError(f"track {track.position} {track.title!r}: the mastered audio "
                             f"is {info.subtype}; {plan.medium.title} needs {bits}-bit PCM",
                             source=str(path), field="bits", value=info.subtype,
                             valid=f"PCM_{bits}; {master_hint(plan)}")
        if channels is not None and info.channels != channels:
            raise InputError(f"track {track.position} {track.title!r}: the mastered audio "
                             f"has {info.channels} channel(s); {plan.medium.title} needs "
                             f"{channels}", source=str(path), field="channels",
                             value=str(info.channels), valid=str(channels))
        out.append(TrackAudio(track, path, int(info.frames), int(info.samplerate),
                              int(info.channels), got_bits))
    return out
