"""A CD's layout from a release plan, checked against the Red Book (pure but for reading
the mastered files' headers): where every track and pause lies in the disc image, on
CD frames of 1/75 s (588 stereo samples at 44.1 kHz, one 2352-byte sector).

The image is the tracks one after another, each pause (the gap before a track) as
digital silence.  A track after a pause starts exactly on a frame: the track before is
padded with silence to its frame's end (less than 1/75 s), the pause is a whole number
of frames (the gap rounded to the nearest frame) and is the track's INDEX 00.  A track
with no pause (a segue) is not padded, so the music runs on unbroken: its INDEX 01 is the
frame at or before its first sample (never after: the first note is never cut).  The
image ends padded to a whole frame.

The 2-second pause before track 1 (Red Book: the disc's first 150 frames) is neither in
the image nor a ``PREGAP`` command: every CD recorder and DDP tool makes it itself before
the image's first sample (disc time 00:02:00 is the image's 00:00:00), and a CUE sheet
``PREGAP 00:02:00`` on track 1 adds 2 seconds *more* (CDRWIN's meaning, which libcue,
cdrdao and EAC follow).  Only a pause longer than 2 s (an album setting) becomes a
``PREGAP`` of the difference.  The PQ list shows disc times (with the 2 s); the CUE sheet
shows times in the image.

Checked (one clear error each): at most 99 tracks, every track at least 4 s, the disc
within the medium's maximum (79:57 by default), the mastered audio 44.1 kHz 16-bit
stereo, CD-TEXT in ISO-8859-1 without control characters and within one CD-TEXT block
(253 packs of 12 bytes), every ISRC (ISO 3901) and the UPC/EAN (GS1 check digit).
Warned (the work goes on): a CD-TEXT string over 80 characters (CDRWIN's limit: some
recorders cut it), a track without ISRC, two tracks with the same ISRC, no UPC/EAN, a
double quote turned into ``'``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmscore.album.codes import check_isrc, check_upc_ean
from filmscore.album.plan import ReleasePlan
from filmscore.album.release_audio import mastered_audio
from filmscore.album.vocabulary import CD_FRAMES_PER_SECOND
from filmscore.errors import FilmscoreWarning, InputError

CD_SAMPLE_RATE = 44100
SAMPLES_PER_FRAME = CD_SAMPLE_RATE // CD_FRAMES_PER_SECOND  # 588
RED_BOOK_PREGAP_FRAMES = 2 * CD_FRAMES_PER_SECOND  # 150: made by the recorder
CD_TEXT_ADVISED = 80  # characters (CDRWIN's limit for TITLE, PERFORMER, SONGWRITER)
CD_TEXT_PACKS = 253  # text packs in one CD-TEXT block (256 less 3 size-information packs)
CD_TEXT_PACK_BYTES = 12


@dataclass(frozen=True)
class CdTrack:
    number: int
    title: str
    performer: str
    songwriter: str
    isrc: str
    cue: str | None
    source: Path  # the mastered file
    samples: int  # of the mastered file
    pause: int  # INDEX 00, CD frames in the image (== start when there is no pause)
    start: int  # INDEX 01, CD frames in the image
    audio_at: int  # the sample of the image where the file's first sample lies
    end: int  # frames: where the next track's pause or start begins (the image's end)

    @property
    def has_pause(self) -> bool:
        return self.pause < self.start


@dataclass(frozen=True)
class CdLayout:
    title: str
    performer: str
    songwriter: str
    catalog: str  # the checked UPC/EAN, "" when none
    date: str
    tracks: tuple[CdTrack, ...]
    frames: int  # the image's length in CD frames
    pregap_frames: int  # the pause before track 1 on the disc (>= 150)
    max_frames: int | None

    @property
    def image_samples(self) -> int:
        return self.frames * SAMPLES_PER_FRAME

    @property
    def extra_pregap_frames(self) -> int:
        """The part of the first pause the CUE sheet asks for with ``PREGAP``."""
        return self.pregap_frames - RED_BOOK_PREGAP_FRAMES

    @property
    def disc_frames(self) -> int:
        """Lead-out start: the pregap and the image."""
        return self.pregap_frames + self.frames


def msf(frames: int) -> str:
    """CD frames as MM:SS:FF (75 frames a second; minutes past 99 printed as they are)."""
    minutes, rest = divmod(int(frames), 60 * CD_FRAMES_PER_SECOND)
    seconds, frame = divmod(rest, CD_FRAMES_PER_SECOND)
    return f"{minutes:02d}:{seconds:02d}:{frame:02d}"


def frames_of(seconds: Fraction) -> int:
    """Seconds to the nearest CD frame (half up)."""
    return int((Fraction(seconds) * CD_FRAMES_PER_SECOND + Fraction(1, 2)).__floor__())


def cd_text(value: str, field: str) -> str:
    """A CD-TEXT string: ISO-8859-1 without control characters; a double quote (which a
    CUE sheet cannot hold) becomes ``'``, with a warning; over 80 characters, a warning."""
    text = " ".join(str(value or "").split())
    bad = [c for c in text if ord(c) > 0xFF or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0]
    if bad:
        raise InputError(f"CD-TEXT cannot hold the character {bad[0]!r} "
                         f"(U+{ord(bad[0]):04X})", field=field, value=text,
                         valid="ISO-8859-1 (Latin-1) text without control characters")
    if '"' in text:
        text = text.replace('"', "'")
        warnings.warn(FilmscoreWarning(f"{field}: a CUE sheet cannot hold a double quote; "
                                       f"written as {text!r}"), stacklevel=3)
    if len(text) > CD_TEXT_ADVISED:
        warnings.warn(FilmscoreWarning(f"{field}: {len(text)} characters of CD-TEXT "
                                       f"({text[:40]!r}...); some recorders keep only "
                                       f"{CD_TEXT_ADVISED}"), stacklevel=3)
    return text


def _cd_text_packs(strings: list[str]) -> int:
    """Packs one CD-TEXT pack type takes: every string and its terminating NUL, 12 bytes a
    pack (strings run on from pack to pack)."""
    size = sum(len(s.encode("latin-1")) + 1 for s in strings)
    return -(-size // CD_TEXT_PACK_BYTES)


def cd_layout(plan: ReleasePlan, *, date: str = "") -> CdLayout:
    """The CD of ``plan`` laid out and checked (see the module's docstring)."""
    medium = plan.medium
    audio = mastered_audio(plan, sample_rate=CD_SAMPLE_RATE, bits=16, channels=2)
    if medium.max_tracks is not None and len(audio) > medium.max_tracks:
        raise InputError(f"{len(audio)} tracks: a CD holds at most {medium.max_tracks}",
                         field="tracks", value=str(len(audio)),
                         valid=f"1 to {medium.max_tracks} tracks")
    pregap = frames_of(medium.pregap_seconds)
    if pregap < RED_BOOK_PREGAP_FRAMES:
        raise InputError("the pause before track 1 is shorter than the Red Book's 2 s",
                         field="pregap_seconds", value=str(medium.pregap_seconds),
                         valid="2 seconds or more")
    catalog = check_upc_ean(plan.catalog) if plan.catalog.strip() else ""
    if not catalog:
        warnings.warn(FilmscoreWarning(f"album {plan.album_number} has no UPC/EAN: the CD "
                                       "is written without CATALOG"), stacklevel=2)
    title = cd_text(plan.title or plan.film_title, "album title")
    performer = cd_text(plan.artist, "album artist")
    songwriter = cd_text(plan.composer, "composer")
    tracks: list[CdTrack] = []
    cursor = 0  # samples in the image
    no_isrc = []
    for i, item in enumerate(audio):
        track = item.track
        if Fraction(item.frames, item.sample_rate) < medium.min_track_seconds:
            raise InputError(f"track {track.position} {track.title!r} lasts "
                             f"{item.frames / item.sample_rate:.2f} s: a CD track is at "
                             f"least {medium.min_track_seconds} s", source=str(item.path),
                             field="length", value=f"{item.frames} samples",
                             valid=f"at least {medium.min_track_seconds * CD_SAMPLE_RATE} "
                                   "samples")
        isrc = check_isrc(track.isrc, field=f"track {track.position} isrc") \
            if track.isrc.strip() else ""
        if not isrc:
            no_isrc.append(str(track.position))
        gap = 0 if i == 0 else frames_of(track.gap_seconds)
        if i == 0 or gap > 0:
            start_of_pause = -(-cursor // SAMPLES_PER_FRAME)  # pad to the frame's end
            start = start_of_pause + gap
            audio_at = start * SAMPLES_PER_FRAME
        else:  # a segue: the music runs on; the mark at or before the first sample
            start_of_pause = start = cursor // SAMPLES_PER_FRAME
            audio_at = cursor
        if tracks:
            tracks[-1] = _with_end(tracks[-1], start_of_pause)
        tracks.append(CdTrack(
            number=i + 1, title=cd_text(track.title, f"track {track.position} title"),
            performer=performer, songwriter=songwriter, isrc=isrc, cue=track.cue,
            source=item.path, samples=item.frames, pause=start_of_pause, start=start,
            audio_at=audio_at, end=0))
        cursor = audio_at + item.frames
    frames = -(-cursor // SAMPLES_PER_FRAME)
    tracks[-1] = _with_end(tracks[-1], frames)
    packs = sum(_cd_text_packs(s) for s in (
        [title] + [t.title for t in tracks], [performer] * (len(tracks) + 1),
        [songwriter] * (len(tracks) + 1)) if any(s))
    if packs > CD_TEXT_PACKS:
        raise InputError(f"the CD-TEXT needs {packs} packs; one block holds "
                         f"{CD_TEXT_PACKS}", field="CD-TEXT", value=str(packs),
                         valid="shorter titles, artist or composer")
    max_frames = frames_of(medium.max_seconds) if medium.max_seconds is not None else None
    # the capacity is disc time: the pregap before track 1 counts (the lead-out address)
    if max_frames is not None and pregap + frames > max_frames:
        raise InputError(f"the CD lasts {msf(pregap + frames)} (MM:SS:FF) with the pregap, "
                         f"over its maximum of {msf(max_frames)} by "
                         f"{msf(pregap + frames - max_frames)}",
                         field="length", value=msf(pregap + frames),
                         valid=f"at most {msf(max_frames)}: drop or shorten tracks, or "
                               "raise the album's CD max_seconds (an 80-minute disc)")
    seen: dict[str, int] = {}
    for track in tracks:
        if track.isrc and track.isrc in seen:
            warnings.warn(FilmscoreWarning(f"tracks {seen[track.isrc]} and {track.number} "
                                           f"have the same ISRC {track.isrc}: one ISRC "
                                           "names one recording"), stacklevel=2)
        seen.setdefault(track.isrc, track.number)
    if no_isrc:
        warnings.warn(FilmscoreWarning(f"CD track(s) without ISRC: {', '.join(no_isrc)}"),
                      stacklevel=2)
    return CdLayout(title=title, performer=performer, songwriter=songwriter,
                    catalog=catalog, date=date, tracks=tuple(tracks), frames=frames,
                    pregap_frames=pregap, max_frames=max_frames)


def _with_end(track: CdTrack, end: int) -> CdTrack:
    from dataclasses import replace

    return replace(track, end=end)
