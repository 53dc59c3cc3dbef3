"""Broadcast WAV (EBU Tech 3285): PCM WAV with a ``bext`` chunk, written by hand.

soundfile (libsndfile) writes PCM WAV but no ``bext`` chunk, and the ``bext`` time
reference is how a DAW spots a file to picture (FIELD-NOTES, Audio), so this module
writes the RIFF layout itself (``struct``, a few dozen lines): ``RIFF``/``WAVE``, the
``bext`` chunk (602 bytes of fixed fields, then the coding history), ``fmt `` (PCM,
format tag 1) and ``data``, each chunk padded to an even length.  The samples are
written bit for bit (24-bit integers held in int32, or 16-bit in int16).

``TimeReference`` is the file's first sample counted in samples since midnight: the
picture time of the first sample (frames at the project rate made exact seconds by
``timecode.frame_to_seconds``: at 23.976 and 29.97 that is real time, 01:00:00:00 being
3603.6 s) times the sample rate, rounded half up.  ffprobe shows it as the
``time_reference`` tag, wavinfo as ``bext.time_reference``.

What it loses: nothing of the samples; no RF64 (a file past 4 GiB is refused: about 7
hours of 24-bit stereo at 48 kHz), no iXML, no UMID and no loudness values (the chunk
is version 1: those bytes are zero).  Writing is atomic.
"""

from __future__ import annotations

import datetime as _dt
import os
import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from filmscore.errors import InputError, ParseError
from filmscore.fileio import atomic_path

BEXT_VERSION = 1
MAX_BYTES = 2**32 - 1
SAMPLE_WIDTHS = {16: np.int16, 24: np.int32}  # bits -> dtype the samples come in


@dataclass(frozen=True)
class Bext:
    """The fields of a ``bext`` chunk that we set (strings are ASCII, cut to size)."""

    time_reference: int = 0  # samples since midnight of the first sample
    description: str = ""  # 256 characters
    originator: str = "filmscore"  # 32
    originator_reference: str = ""  # 32
    origination_date: str = ""  # 'yyyy-mm-dd' (today when empty)
    origination_time: str = ""  # 'hh:mm:ss' (now when empty)
    coding_history: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.time_reference, int) or not 0 <= self.time_reference < 2**64:
            raise InputError("time reference out of range", field="time_reference",
                             value=str(self.time_reference), valid="0 to 2**64 - 1 samples")


def time_reference(seconds: Fraction | int, sample_rate: int) -> int:
    """Samples since midnight of a time given in exact seconds since midnight (half up);
    a time before midnight (a count-in before 00:00:00:00) wraps to the day before."""
    samples = (Fraction(seconds) * sample_rate + Fraction(1, 2)).__floor__()
    return samples % (86400 * sample_rate)


def _text(value: str, size: int) -> bytes:
    return value.encode("ascii", "replace")[:size].ljust(size, b"\0")


def bext_chunk(bext: Bext) -> bytes:
    """The ``bext`` chunk's body (602 bytes of fields, then the coding history)."""
    now = _dt.datetime.now()
    date = bext.origination_date or now.strftime("%Y-%m-%d")
    clock = bext.origination_time or now.strftime("%H:%M:%S")
    body = (_text(bext.description, 256) + _text(bext.originator, 32)
            + _text(bext.originator_reference, 32) + _text(date, 10) + _text(clock, 8)
            + struct.pack("<IIH", bext.time_reference & 0xFFFFFFFF, bext.time_reference >> 32,
                          BEXT_VERSION)
            + b"\0" * 64  # UMID: none
            + b"\0" * 10  # loudness fields (version 2): not set
            + b"\0" * 180)  # reserved
    history = bext.coding_history
    if history and not history.endswith("\r\n"):
        history += "\r\n"
    return body + history.encode("ascii", "replace")


def _chunk(kind: bytes, body: bytes) -> bytes:
    pad = b"\0" if len(body) % 2 else b""
    return kind + struct.pack("<I", len(body)) + body + pad


def write_bwf(path: str | os.PathLike[str], samples: np.ndarray, sample_rate: int, *,
              bits: int = 24, bext: Bext | None = None) -> Path:
    """Write ``samples`` ((n,) mono or (n, channels) integers at ``bits``) as a Broadcast
    WAV at ``path`` with ``bext`` (atomically)."""
    if bits not in SAMPLE_WIDTHS:
        raise InputError("unsupported sample width", field="bits", value=str(bits),
                         valid=", ".join(map(str, SAMPLE_WIDTHS)))
    data = np.asarray(samples)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or not np.issubdtype(data.dtype, np.integer) or data.shape[1] < 1:
        raise InputError("samples must be integers, one column a channel", field="samples",
                         value=f"{data.dtype}, shape {data.shape}",
                         valid=f"an (n,) or (n, channels) array of {bits}-bit integers")
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    if data.size and (int(data.min()) < low or int(data.max()) > high):
        raise InputError(f"samples exceed {bits} bits", field="samples",
                         value=f"{int(data.min())} .. {int(data.max())}",
                         valid=f"{low} .. {high}")
    channels = data.shape[1]
    if bits == 24:
        wide = data.astype("<i4", copy=False).reshape(-1)
        pcm = wide.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()  # little-endian low 3 bytes
    else:
        pcm = data.astype("<i2", copy=False).tobytes()
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", 1, channels, sample_rate, sample_rate * block, block, bits)
    # the header chunks, then the samples written as they are: joining them into one
    # bytes object first would copy a 10-minute click (86 MB) twice more
    head = b"WAVE" + _chunk(b"bext", bext_chunk(bext or Bext())) + _chunk(b"fmt ", fmt)
    pad = b"\0" if len(pcm) % 2 else b""
    size = len(head) + 8 + len(pcm) + len(pad)
    if size > MAX_BYTES:
        raise InputError("too long for a WAV file (4 GiB)", source=str(path),
                         field="samples", value=f"{size} bytes",
                         valid="a shorter file (RF64 is not written)")
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(b"RIFF" + struct.pack("<I", size) + head
                     + b"data" + struct.pack("<I", len(pcm)))
        handle.write(pcm)
        handle.write(pad)
    return path


def read_bext(path: str | os.PathLike[str]) -> Bext | None:
    """The ``bext`` chunk of a WAV file (None when it has none)."""
    path = Path(path)
    try:
        # chunk headers only: the samples (gigabytes in a long take) are skipped, not read
        with path.open("rb") as f:
            head = f.read(12)
            if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                raise ParseError("not a WAV file", source=str(path), valid="a RIFF/WAVE file")
            while len(header := f.read(8)) == 8:
                kind, size = header[:4], struct.unpack("<I", header[4:])[0]
                if kind == b"bext":
                    body = f.read(size)
                    return _bext_of(body) if len(body) >= 602 else None
                f.seek(size + (size % 2), os.SEEK_CUR)
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror or exc}", source=str(path)
                         ) from None
    return None


def _bext_of(body: bytes) -> Bext:
    low, high = struct.unpack("<II", body[338:346])

    def text(a: int, b: int | None = None) -> str:
        return body[a:b].split(b"\0", 1)[0].decode("ascii", "replace")

    return Bext(time_reference=low + (high << 32), description=text(0, 256),
                originator=text(256, 288), originator_reference=text(288, 320),
                origination_date=text(320, 330), origination_time=text(330, 338),
                coding_history=text(602))


#: channel masks of WAVE_FORMAT_EXTENSIBLE by channel count (speaker positions in file
#: order: 5.1 is L R C LFE Ls Rs = FL FR FC LFE BL BR, 0x3F; stereo FL FR)
CHANNEL_MASKS = {1: 0x4, 2: 0x3, 6: 0x3F}
_EXTENSIBLE = 0xFFFE
_PCM_GUID = bytes.fromhex("0100000000001000800000aa00389b71")


def _fmt_chunk(channels: int, sample_rate: int, bits: int) -> bytes:
    block = channels * bits // 8
    if channels <= 2:
        return struct.pack("<HHIIHH", 1, channels, sample_rate, sample_rate * block, block,
                           bits)
    mask = CHANNEL_MASKS.get(channels, 0)
    return (struct.pack("<HHIIHH", _EXTENSIBLE, channels, sample_rate, sample_rate * block,
                        block, bits)
            + struct.pack("<HHI", 22, bits, mask) + _PCM_GUID)


class BwfWriter:
    """A Broadcast WAV written block by block (a whole cue or film never in memory), to a
    temporary name moved into place by :meth:`close` (an error or an exception inside the
    ``with`` leaves nothing behind).  More than two channels are written as
    WAVE_FORMAT_EXTENSIBLE with the speaker mask (5.1: L R C LFE Ls Rs).  ``extra_chunks``
    (e.g. ``[(b"iXML", xml)]``) are written after the samples, where readers look for
    them too; they can still be set before :meth:`close`.

        with BwfWriter(path, 48000, 6, bext=Bext(...)) as out:
            for block in blocks:       # (n, 6) int32 of 24-bit samples
                out.write(block)
            out.extra_chunks.append((b"iXML", xml))
    """

    def __init__(self, path: str | os.PathLike[str], sample_rate: int, channels: int, *,
                 bits: int = 24, bext: Bext | None = None,
                 extra_chunks: list[tuple[bytes, bytes]] | None = None) -> None:
        if bits not in SAMPLE_WIDTHS:
            raise InputError("unsupported sample width", field="bits", value=str(bits),
                             valid=", ".join(map(str, SAMPLE_WIDTHS)))
        if channels < 1:
            raise InputError("a WAV file needs a channel", field="channels",
                             value=str(channels), valid="1 or more")
        self.path = Path(path)
        self.sample_rate, self.channels, self.bits = sample_rate, channels, bits
        self.extra_chunks = list(extra_chunks or [])
        self.frames = 0
        self._low, self._high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        self._context = atomic_path(self.path)
        self._tmp = self._context.__enter__()
        self._file = open(self._tmp, "wb")  # noqa: SIM115 - closed in close()/abort()
        head = (b"WAVE" + _chunk(b"bext", bext_chunk(bext or Bext()))
                + _chunk(b"fmt ", _fmt_chunk(channels, sample_rate, bits)))
        self._file.write(b"RIFF\0\0\0\0" + head + b"data\0\0\0\0")
        self._data_at = 12 + len(head)  # "RIFF", its size, head, "data": the data size
        self._data_bytes = 0

    def write(self, block: np.ndarray) -> None:
        """Append ``block`` ((n, channels) integers at the file's width, or (n,) mono)."""
        data = np.asarray(block)
        if data.ndim == 1:
            data = data[:, None]
        if data.ndim != 2 or data.shape[1] != self.channels or not np.issubdtype(
                data.dtype, np.integer):
            raise InputError("a block must be integers, one column a channel",
                             source=str(self.path), field="samples",
                             value=f"{data.dtype}, shape {data.shape}",
                             valid=f"(n, {self.channels}) integers")
        if data.size and (int(data.min()) < self._low or int(data.max()) > self._high):
            raise InputError(f"samples exceed {self.bits} bits", source=str(self.path),
                             field="samples", value=f"{int(data.min())} .. {int(data.max())}",
                             valid=f"{self._low} .. {self._high}")
        if self.bits == 24:
            wide = np.ascontiguousarray(data, dtype="<i4").reshape(-1)
            pcm = wide.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
        else:
            pcm = np.ascontiguousarray(data, dtype="<i2").tobytes()
        if 4 + self._data_at + self._data_bytes + len(pcm) > MAX_BYTES:
            raise InputError("too long for a WAV file (4 GiB)", source=str(self.path),
                             field="samples", valid="a shorter file (RF64 is not written)")
        self._file.write(pcm)
        self._data_bytes += len(pcm)
        self.frames += data.shape[0]

    def close(self) -> Path:
        """Finish the file (sizes, padding, the extra chunks) and move it into place."""
        f = self._file
        if self._data_bytes % 2:
            f.write(b"\0")
        for kind, body in self.extra_chunks:
            f.write(_chunk(kind, body))
        end = f.tell()
        f.seek(4)
        f.write(struct.pack("<I", end - 8))
        f.seek(self._data_at)
        f.write(struct.pack("<I", self._data_bytes))
        f.flush()
        os.fsync(f.fileno())
        f.close()
        self._context.__exit__(None, None, None)
        return self.path

    def abort(self) -> None:
        """Drop the file being written (nothing is left at the path)."""
        if not self._file.closed:
            self._file.close()
        err = RuntimeError("aborted")
        try:
            self._context.__exit__(RuntimeError, err, None)
        except RuntimeError:
            pass

    def __enter__(self) -> BwfWriter:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
