"""The digital release's files: FLAC per track (soundfile), MP3 and AAC (M4A) on request
(ffmpeg: libmp3lame at 320 kbit/s CBR, the native AAC encoder at 256 kbit/s), and their
tags with mutagen, from one ``ReleaseTags`` value.

Tags written, per container (the names the players and stores read):

=================  ======================  ===========================  ====================
what               FLAC (Vorbis comment)   MP3 (ID3v2.4)                M4A (MP4 atoms)
=================  ======================  ===========================  ====================
title              TITLE                   TIT2                         ©nam
album              ALBUM                   TALB                         ©alb
artist             ARTIST                  TPE1                         ©ART
album artist       ALBUMARTIST             TPE2                         aART
composer           COMPOSER                TCOM                         ©wrt
track n of N       TRACKNUMBER/TRACKTOTAL  TRCK "n/N"                   trkn
disc n of N        DISCNUMBER/DISCTOTAL    TPOS "n/N"                   disk
ISRC               ISRC                    TSRC                         ----:ISRC
date               DATE                    TDRC                         ©day
label              LABEL (+ ORGANIZATION)  TPUB                         ----:LABEL
catalog number     CATALOGNUMBER           TXXX:CATALOGNUMBER           ----:CATALOGNUMBER
barcode            BARCODE                 TXXX:BARCODE                 ----:BARCODE
cover              PICTURE (front cover)   APIC (front cover)           covr
=================  ======================  ===========================  ====================

(``----`` is the iTunes freeform atom ``----:com.apple.iTunes:NAME``.)  What it loses:
nothing of the tags above; the lossy files lose audio by design.  Every file is written to
a temporary name, tagged there and moved into place.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from filmscore import children
from filmscore.errors import InputError, ToolError
from filmscore.fileio import atomic_path, safe_name

#: lossy formats: suffix and the ffmpeg arguments that encode them
LOSSY_ENCODINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mp3": (".mp3", ("-c:a", "libmp3lame", "-b:a", "320k", "-id3v2_version", "4")),
    "aac": (".m4a", ("-c:a", "aac", "-b:a", "256k", "-movflags", "+faststart")),
}
ITUNES = "----:com.apple.iTunes:"


@dataclass(frozen=True)
class ReleaseTags:
    title: str
    album: str
    artist: str
    album_artist: str
    composer: str
    track: int
    track_total: int
    disc: int = 1
    disc_total: int = 1
    isrc: str = ""
    date: str = ""
    label: str = ""
    catalog_number: str = ""
    barcode: str = ""
    cover: bytes = b""
    cover_mime: str = "image/png"


def safe_file_name(number: int, title: str, suffix: str) -> str:
    """``"01 Title.flac"``: the title made one safe name (:func:`filmscore.fileio.safe_name`:
    no path separators, control or reserved characters, ``.``/``..``, bounded length)."""
    from filmscore.limits import NAME_MAX_BYTES

    prefix = f"{number:02d} "
    return prefix + safe_name(title, fallback="Track", suffix=suffix,
                              max_bytes=NAME_MAX_BYTES - len(prefix))


def _vorbis(tags: ReleaseTags) -> dict[str, str]:
    fields = {"TITLE": tags.title, "ALBUM": tags.album, "ARTIST": tags.artist,
              "ALBUMARTIST": tags.album_artist, "COMPOSER": tags.composer,
              "TRACKNUMBER": str(tags.track), "TRACKTOTAL": str(tags.track_total),
              "TOTALTRACKS": str(tags.track_total), "DISCNUMBER": str(tags.disc),
              "DISCTOTAL": str(tags.disc_total), "ISRC": tags.isrc, "DATE": tags.date,
              "LABEL": tags.label, "ORGANIZATION": tags.label,
              "CATALOGNUMBER": tags.catalog_number, "BARCODE": tags.barcode}
    return {k: v for k, v in fields.items() if v}


def _picture(tags: ReleaseTags):
    from mutagen.flac import Picture

    picture = Picture()
    picture.type = 3  # front cover
    picture.mime = tags.cover_mime
    picture.desc = "Front cover"
    picture.data = tags.cover
    width, height = image_size(tags.cover)
    picture.width, picture.height, picture.depth = width, height, 24
    return picture


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG image (Pillow)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size


def tag_flac(path: str | os.PathLike[str], tags: ReleaseTags) -> None:
    from mutagen.flac import FLAC

    audio = FLAC(str(path))
    audio.delete()
    audio.clear_pictures()
    for key, value in _vorbis(tags).items():
        audio[key] = value
    if tags.cover:
        audio.add_picture(_picture(tags))
    audio.save()


def tag_mp3(path: str | os.PathLike[str], tags: ReleaseTags) -> None:
    from mutagen.id3 import (
        APIC,
        ID3,
        TALB,
        TCOM,
        TDRC,
        TIT2,
        TPE1,
        TPE2,
        TPOS,
        TPUB,
        TRCK,
        TSRC,
        TXXX,
    )

    id3 = ID3()
    frames = [TIT2(encoding=3, text=tags.title), TALB(encoding=3, text=tags.album),
              TPE1(encoding=3, text=tags.artist), TPE2(encoding=3, text=tags.album_artist),
              TCOM(encoding=3, text=tags.composer),
              TRCK(encoding=3, text=f"{tags.track}/{tags.track_total}"),
              TPOS(encoding=3, text=f"{tags.disc}/{tags.disc_total}")]
    if tags.isrc:
        frames.append(TSRC(encoding=3, text=tags.isrc))
    if tags.date:
        frames.append(TDRC(encoding=3, text=tags.date))
    if tags.label:
        frames.append(TPUB(encoding=3, text=tags.label))
    for name, value in (("CATALOGNUMBER", tags.catalog_number), ("BARCODE", tags.barcode)):
        if value:
            frames.append(TXXX(encoding=3, desc=name, text=value))
    if tags.cover:
        frames.append(APIC(encoding=3, mime=tags.cover_mime, type=3, desc="Front cover",
                           data=tags.cover))
    for frame in frames:
        id3.add(frame)
    id3.save(str(path), v2_version=4)


def tag_m4a(path: str | os.PathLike[str], tags: ReleaseTags) -> None:
    from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

    audio = MP4(str(path))
    audio.delete()
    audio["\xa9nam"] = tags.title
    audio["\xa9alb"] = tags.album
    audio["\xa9ART"] = tags.artist
    audio["aART"] = tags.album_artist
    audio["\xa9wrt"] = tags.composer
    audio["trkn"] = [(tags.track, tags.track_total)]
    audio["disk"] = [(tags.disc, tags.disc_total)]
    if tags.date:
        audio["\xa9day"] = tags.date
    for name, value in (("ISRC", tags.isrc), ("LABEL", tags.label),
                        ("CATALOGNUMBER", tags.catalog_number), ("BARCODE", tags.barcode)):
        if value:
            audio[ITUNES + name] = [MP4FreeForm(value.encode("utf-8"))]
    if tags.cover:
        kind = MP4Cover.FORMAT_PNG if tags.cover_mime == "image/png" else MP4Cover.FORMAT_JPEG
        audio["covr"] = [MP4Cover(tags.cover, imageformat=kind)]
    audio.save()


#: the tagger of each suffix (a table, not an if-ladder)
TAGGERS = {".flac": tag_flac, ".mp3": tag_mp3, ".m4a": tag_m4a}


def write_tags(path: str | os.PathLike[str], tags: ReleaseTags) -> None:
    """Tag the file at ``path`` (FLAC, MP3 or M4A, by its suffix)."""
    suffix = Path(path).suffix.lower()
    if suffix not in TAGGERS:
        raise InputError("cannot tag this kind of file", source=str(path), value=suffix,
                         valid=", ".join(TAGGERS))
    TAGGERS[suffix](path, tags)


def write_flac(source: str | os.PathLike[str], path: str | os.PathLike[str],
               tags: ReleaseTags) -> Path:
    """The mastered WAV ``source`` as a tagged FLAC at ``path`` (same rate, 16 or 24 bits
    as the source; atomically)."""
    import soundfile as sf

    path = Path(path)
    with sf.SoundFile(str(source)) as wav:
        subtype = wav.subtype if wav.subtype in ("PCM_16", "PCM_24") else "PCM_24"
        with atomic_path(path) as tmp:
            with sf.SoundFile(str(tmp), "w", wav.samplerate, wav.channels, subtype,
                              format="FLAC") as out:
                for block in wav.blocks(blocksize=1 << 16, dtype="int32", always_2d=True):
                    out.write(block)
            tag_flac(tmp, tags)
    return path


def write_lossy(source: str | os.PathLike[str], path: str | os.PathLike[str], kind: str,
                tags: ReleaseTags) -> Path:
    """``source`` encoded as ``kind`` (``mp3``, ``aac``) with ffmpeg and tagged, at
    ``path`` (atomically).  ffmpeg's own tags are left out (``-map_metadata -1``): mutagen
    writes them all."""
    if kind not in LOSSY_ENCODINGS:
        raise InputError("unknown lossy format", field="lossy", value=kind,
                         valid=", ".join(LOSSY_ENCODINGS))
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise ToolError("ffmpeg is not installed or not on PATH (install ffmpeg)")
    path = Path(path)
    _suffix, arguments = LOSSY_ENCODINGS[kind]
    with atomic_path(path) as tmp:
        args = [ffmpeg, "-v", "error", "-y", "-i", str(source), "-map", "0:a",
                "-map_metadata", "-1", *arguments, str(tmp)]
        try:
            done = children.run(args, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise ToolError(f"cannot run ffmpeg: {exc}") from None
        if done.returncode != 0:
            reason = " ".join(done.stderr.split())[-300:]
            raise ToolError(f"ffmpeg could not encode {source} as {kind}: {reason}")
        write_tags(tmp, tags)
    return path
