"""Click tracks as 24-bit PCM WAV files (soundfile), written atomically.

Samples are 24-bit integers held in ``int32`` (as ``sync.click.render_click`` makes
them); they are written bit for bit, so a click's onset sample survives the file.
What it loses: nothing of the samples; no timecode is stored in the file.  soundfile
(libsndfile) cannot write a Broadcast WAV ``bext`` chunk (its time reference is how a DAW
would spot the file to picture): that is a later issue (see FIELD-NOTES, Audio).  Until
then the file's start is given to the user as a timecode to spot it to.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from filmscore.errors import InputError, ParseError
from filmscore.fileio import atomic_path

_SHIFT = 8  # 24-bit values sit in the top 24 bits of the int32 that libsndfile expects


def write_click_wav(samples: np.ndarray, path: str | os.PathLike[str],
                    sample_rate: int = 48000) -> Path:
    """Write mono 24-bit ``samples`` (int32, -2**23 .. 2**23 - 1) as a WAV at ``path``."""
    import soundfile

    samples = np.asarray(samples)
    if samples.ndim != 1 or not np.issubdtype(samples.dtype, np.integer):
        raise InputError("click samples must be a mono array of integers", field="samples",
                         value=f"{samples.dtype}, shape {samples.shape}",
                         valid="int32 24-bit samples from render_click")
    if samples.size and (samples.min() < -(2**23) or samples.max() > 2**23 - 1):
        raise InputError("click samples exceed 24 bits", field="samples",
                         value=f"{samples.min()} .. {samples.max()}",
                         valid="-8388608 .. 8388607")
    data = np.left_shift(samples, _SHIFT, dtype=np.int32)  # one copy
    path = Path(path)
    with atomic_path(path) as tmp:
        soundfile.write(str(tmp), data, sample_rate, subtype="PCM_24", format="WAV")
    return path


def read_click_wav(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """Read a mono (or first channel of a) WAV back as 24-bit int32 samples and its rate."""
    import soundfile

    try:
        data, sample_rate = soundfile.read(str(path), dtype="int32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise ParseError(f"cannot read the WAV file: {exc}", source=str(path),
                         valid="a PCM WAV file") from None
    return data[:, 0] >> _SHIFT, int(sample_rate)
