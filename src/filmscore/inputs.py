"""Opening an input file safely: only a regular file, never more than its kind's limit
(:data:`filmscore.limits.INPUT_LIMITS`), compressed MusicXML checked for its expanded size
before it is expanded, JSON nesting bounded before a parser recurses into it.

Every reader opens its file through :func:`read_input` (bytes) or, when a library wants a
path, checks it first with :func:`check_input`.  A named pipe, a device (``/dev/zero``) or
a folder is refused at once, without a read that would wait or run for ever: the file is
opened non-blocking and looked at with ``fstat`` before a byte is read.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

from filmscore.errors import InputError, ParseError
from filmscore.limits import JSON_MAX_DEPTH, input_limit, show_bytes


def _kind_of_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse(path: Path, reason: str, kind: str, value=None) -> InputError:
    return InputError(reason, source=str(path), value=value,
                      valid=f"a regular {kind} file of at most {show_bytes(input_limit(kind))}"
                            " (FILMSCORE_INPUT_LIMITS sets the limit)")


def _checked_stat(path: Path, st: os.stat_result, kind: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, f"{_kind_of_file(st.st_mode)}, not a file", kind)
    limit = input_limit(kind)
    if st.st_size > limit:
        raise _refuse(path, f"the file is too large ({show_bytes(st.st_size)})", kind)


def check_input(path: str | os.PathLike[str], kind: str) -> Path:
    """``path`` when it is a regular file within ``kind``'s size limit, else an InputError
    naming it; for readers that hand the path to a library (ffprobe, music21, OTIO)."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", source=str(path),
                         valid=f"an existing {kind} file") from None
    _checked_stat(path, st, kind)
    return path


def read_input(path: str | os.PathLike[str], kind: str) -> bytes:
    """The bytes of ``path``: a regular file of at most ``kind``'s limit."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", source=str(path),
                         valid=f"an existing {kind} file you may read") from None
    try:
        _checked_stat(path, os.fstat(fd), kind)
        limit = input_limit(kind)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:  # grew while read
                raise _refuse(path, "the file is too large", kind)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", source=str(path),
                         valid=f"a readable {kind} file") from None
    finally:
        os.close(fd)


def decode_text(data: bytes, *, source: str, fallback: str | None = None,
                valid: str = "a UTF-8 text file") -> str:
    """``data`` as text: UTF-8 (a BOM dropped); else ``fallback`` when given, else a
    ParseError naming ``source`` and the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fallback:
            return data.decode(fallback)
        raise ParseError("not UTF-8 text", source=source,
                         value=f"byte {data[exc.start]:#04x} at offset {exc.start}",
                         valid=valid) from None


def read_input_text(path: str | os.PathLike[str], kind: str, *,
                    fallback: str | None = "latin-1",
                    valid: str = "a UTF-8 text file") -> str:
    """The text of ``path`` (UTF-8, a BOM dropped; else ``fallback`` when given)."""
    return decode_text(read_input(path, kind), source=str(path), fallback=fallback,
                       valid=valid)


_JSON_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def check_json_depth(data: bytes | str, *, source: str,
                     limit: int = JSON_MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before a recursive parser sees it (the
    OTIO reader crashes, without a message, near 100,000 levels).  Strings are blanked
    first, so brackets inside them do not count."""
    import numpy as np

    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return
    bare = np.frombuffer(_JSON_STRINGS.sub(b'""', raw), dtype=np.uint8)
    step = (np.isin(bare, (ord("["), ord("{"))).astype(np.int32)
            - np.isin(bare, (ord("]"), ord("}"))).astype(np.int32))
    deepest = int(np.cumsum(step).max()) if len(step) else 0
    if deepest > limit:
        raise ParseError("JSON nested too deeply", source=source,
                         value=f"{deepest:,} levels",
                         valid=f"at most {limit} levels of arrays and objects")


def unzip_bounded(data: bytes, inner: str, *, source: str, kind: str = "musicxml") -> bytes:
    """The file ``inner`` of the zip ``data``, refused before it is expanded when its
    stated size passes ``kind``'s limit, and while expanding when the stated size lied."""
    limit = input_limit(kind)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(inner)
        if info.file_size > limit:
            raise ParseError("the compressed file expands too large", source=source,
                             value=f"{inner}: {show_bytes(info.file_size)}",
                             valid=f"at most {show_bytes(limit)} expanded "
                                   "(FILMSCORE_INPUT_LIMITS sets the limit)")
        out, total = [], 0
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise ParseError("the compressed file expands too large", source=source,
                                     value=f"{inner}: more than {show_bytes(limit)}",
                                     valid=f"at most {show_bytes(limit)} expanded")
                out.append(chunk)
        return b"".join(out)
