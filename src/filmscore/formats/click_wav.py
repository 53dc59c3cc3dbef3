"""Click tracks as 24-bit Broadcast WAV files (``formats.bwf``), written atomically.

Samples are 24-bit integers held in ``int32`` (as ``sync.click.render_click`` makes
them); they are written bit for bit, so a click's onset sample survives the file.  The
``bext`` chunk's time reference is where the file belongs: its first sample (the first
click's frame, count-in included) in samples since midnight, so a DAW spots it to
picture on import.  What it loses: nothing of the samples.  Reading is soundfile's
(libsndfile reads the samples of a Broadcast WAV and skips its ``bext``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from filmscore.errors import InputError, ParseError
from filmscore.formats.bwf import Bext, write_bwf

_SHIFT = 8  # libsndfile reads 24-bit values into the top 24 bits of an int32


def write_click_wav(samples: np.ndarray, path: str | os.PathLike[str],
                    sample_rate: int = 48000, *, time_reference: int = 0,
                    description: str = "", reference: str = "") -> Path:
    """Write mono 24-bit ``samples`` (int32, -2**23 .. 2**23 - 1) as a Broadcast WAV at
    ``path``, its first sample at ``time_reference`` samples since midnight."""
    samples = np.asarray(samples)
    if samples.ndim != 1 or not np.issubdtype(samples.dtype, np.integer):
        raise InputError("click samples must be a mono array of integers", field="samples",
                         value=f"{samples.dtype}, shape {samples.shape}",
                         valid="int32 24-bit samples from render_click")
    if samples.size and (samples.min() < -(2**23) or samples.max() > 2**23 - 1):
        raise InputError("click samples exceed 24 bits", field="samples",
                         value=f"{samples.min()} .. {samples.max()}",
                         valid="-8388608 .. 8388607")
    bext = Bext(time_reference=time_reference, description=description or "click",
                originator_reference=reference,
                coding_history=f"A=PCM,F={sample_rate},W=24,M=mono,T=filmscore click")
    return write_bwf(path, samples, sample_rate, bits=24, bext=bext)


def read_click_wav(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """Read a mono (or first channel of a) WAV back as 24-bit int32 samples and its rate."""
    import soundfile

    try:
        data, sample_rate = soundfile.read(str(path), dtype="int32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise ParseError(f"cannot read the WAV file: {exc}", source=str(path),
                         valid="a PCM WAV file") from None
    return data[:, 0] >> _SHIFT, int(sample_rate)
