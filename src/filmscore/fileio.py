"""Writing output files so that nobody ever sees half of one: temporary name, fsync, rename."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from filmscore import children
from filmscore.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, exc: OSError) -> InputError:
    return InputError(f"cannot write the file: {exc.strerror or exc}", source=str(path),
                      valid="a path in an existing folder you may write to")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix) for a tool to write; on success
    it is renamed to ``path``, on any failure removed.  For ffmpeg, OpenTimelineIO, ..."""
    path = Path(path)
    try:
        # the owner in the name: a killed run's part is removed by the next (children.sweep)
        fd, tmp = children.make_scratch_file(dir=path.parent, prefix=f".{path.stem}.",
                                             suffix=f".part{path.suffix}")
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it 0600: give it a file's usual mode
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *,
                 encoding: str = "utf-8") -> Path:
    """Write bytes (or text, encoded as given, newlines untouched) to ``path`` atomically."""
    path = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    return path


def make_folder(path: str | os.PathLike[str]) -> Path:
    """``path`` made as a folder (with its parents) if it is not one; InputError naming it
    when it cannot be."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the folder: {exc.strerror or exc}", source=str(folder),
                         valid="a folder you may write to") from None
    return folder
