"""The CD as a disc image and its CUE sheet (CDRWIN's format, as CD recorders, DDP tools
and libcue read it), written over an ``album.cd.CdLayout``.

The image is one WAV file, 44.1 kHz 16-bit stereo PCM, the mastered tracks copied bit
for bit with the pauses as digital silence (see ``album.cd`` for where everything lies).
The CUE sheet, in ISO-8859-1 with CRLF line ends::

    REM COMMENT "filmscore"
    REM DATE 2026
    CATALOG 4006381333931            the UPC/EAN (Media Catalogue Number), when given
    PERFORMER "..."                  CD-TEXT, disc: artist, title, composer
    TITLE "..."
    SONGWRITER "..."
    FILE "album.wav" WAVE
      TRACK 01 AUDIO
        TITLE "..."                  CD-TEXT, track
        PERFORMER "..."
        SONGWRITER "..."
        ISRC GBAYE0601498
        INDEX 01 00:00:00            MM:SS:FF in the image (75 frames a second)
      TRACK 02 AUDIO
        ...
        INDEX 00 03:10:20            the pause before the track
        INDEX 01 03:12:20

The 2-second pause before track 1 is made by the recorder (no ``PREGAP``: see
``album.cd``).  What it loses: the cue each track comes from and the disc times (those
are in the PQ list); no reader: CUE sheets are read in the tests with libcue (pylibcue).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from filmscore.album.cd import CD_SAMPLE_RATE, SAMPLES_PER_FRAME, CdLayout, msf
from filmscore.fileio import atomic_path, write_atomic

BLOCK = 1 << 16  # samples read and written at a time


def cue_text(layout: CdLayout, image_name: str) -> str:
    """The CUE sheet of ``layout`` for the image file called ``image_name``."""
    lines = ['REM COMMENT "filmscore"']
    if layout.date:
        lines.append(f"REM DATE {layout.date[:4]}")
    if layout.catalog:
        lines.append(f"CATALOG {layout.catalog}")
    lines += [f'PERFORMER "{layout.performer}"', f'TITLE "{layout.title}"']
    if layout.songwriter:
        lines.append(f'SONGWRITER "{layout.songwriter}"')
    lines.append(f'FILE "{image_name}" WAVE')
    for track in layout.tracks:
        lines += [f"  TRACK {track.number:02d} AUDIO", f'    TITLE "{track.title}"',
                  f'    PERFORMER "{track.performer}"']
        if track.songwriter:
            lines.append(f'    SONGWRITER "{track.songwriter}"')
        if track.isrc:
            lines.append(f"    ISRC {track.isrc}")
        if track.number == 1 and layout.extra_pregap_frames > 0:
            lines.append(f"    PREGAP {msf(layout.extra_pregap_frames)}")
        if track.has_pause:
            lines.append(f"    INDEX 00 {msf(track.pause)}")
        lines.append(f"    INDEX 01 {msf(track.start)}")
    return "\r\n".join(lines) + "\r\n"


def write_cue(layout: CdLayout, path: str | os.PathLike[str], image_name: str) -> Path:
    """Write the CUE sheet at ``path`` (ISO-8859-1, atomically)."""
    return write_atomic(Path(path), cue_text(layout, image_name), encoding="latin-1")


def write_cd_image(layout: CdLayout, path: str | os.PathLike[str]) -> str:
    """Write the disc image (WAV, 44.1 kHz 16-bit stereo) at ``path`` atomically, block by
    block; the MD5 of the file written (what a pressing plant checks it against)."""
    import soundfile as sf

    with atomic_path(Path(path)) as tmp:
        with sf.SoundFile(str(tmp), "w", CD_SAMPLE_RATE, 2, "PCM_16", format="WAV") as out:
            written = 0
            for track in layout.tracks:
                out.write(np.zeros((track.audio_at - written, 2), dtype=np.int16))
                written = track.audio_at
                with sf.SoundFile(str(track.source)) as source:
                    for block in source.blocks(blocksize=BLOCK, dtype="int16",
                                               always_2d=True):
                        out.write(block)
                        written += len(block)
            out.write(np.zeros((layout.frames * SAMPLES_PER_FRAME - written, 2),
                               dtype=np.int16))
        digest = hashlib.md5()
        with open(tmp, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()
