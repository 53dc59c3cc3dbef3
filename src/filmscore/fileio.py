"""Writing output files so that nobody ever sees half of one: temporary name, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
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
    it is renamed to ``path``, on any failure removed.  For ffmpeg, OpenTimelineIO, ...

    Only a file is replaced: ``path`` naming a device, a pipe or a folder is refused
    before anything is written (renamed over, ``--out /dev/null`` run as root would put a
    plain file in the place of the device).  A symbolic link is followed: the file it
    points to is written and the link stays."""
    path = Path(path)
    try:
        if path.is_symlink():
            path = Path(os.path.realpath(path))
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a name too long, a folder we may not look into
        raise _cannot_write(path, exc) from None
    if mode is not None and not stat.S_ISREG(mode):
        what = ("a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket")
        raise InputError(f"cannot write the file: it is {what}, not a file", source=str(path),
                         valid="the path of a new or existing file")
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


# --- output names ----------------------------------------------------------------------

#: characters never kept in a name: path separators, NUL, and the ones Windows reserves
#: (a project folder is often on a shared disk a Windows machine reads)
_UNSAFE = re.compile(r'[/\\:*?"<>|]')
#: bidirectional controls: they make ``evil\u202Efdp.exe`` show as ``evilexe.pdf``
_BIDI = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: device names Windows refuses as a file name, with or without an extension
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                      *(f"LPT{i}" for i in range(1, 10))})


def safe_name(text: object, *, fallback: str, suffix: str = "",
              max_bytes: int | None = None) -> str:
    """``text`` (a cue title, a session, a part, an album title, a player: any user data)
    as ONE safe file or folder name, with ``suffix`` (``".pdf"``) appended.

    Every writer that names a file or a folder after data goes through here, so that no
    name can leave the output folder or overwrite something beside it: path separators,
    NUL, control and bidirectional characters and Windows' reserved characters become a
    space; runs of spaces become one; leading dots, dashes and spaces and trailing dots
    and spaces are dropped (no ``.``, ``..``, hidden files or names read as options);
    Windows device names (``con``, ``nul``, ...) get a ``_``; the name is cut (on a
    character) to ``max_bytes`` (:data:`filmscore.limits.NAME_MAX_BYTES`) of UTF-8 with
    the suffix; a writer that adds more to the name asks for less.  Readable Unicode
    (accents, Hebrew, emoji) is kept.  A name left empty is ``fallback`` (made safe too).
    """
    from filmscore.limits import NAME_MAX_BYTES

    name = unicodedata.normalize("NFC", str(text))
    name = "".join(" " if ch in _BIDI or unicodedata.category(ch) == "Cc" else ch
                   for ch in _UNSAFE.sub(" ", name))
    name = " ".join(name.split()).lstrip(" .-").rstrip(" .")
    room = (max_bytes or NAME_MAX_BYTES) - len(suffix.encode("utf-8"))
    name = name.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .")
    if not name:
        if not fallback:
            raise ValueError("safe_name needs a fallback that is a name")
        return safe_name(fallback, fallback="", suffix=suffix, max_bytes=max_bytes)
    if name.split(".")[0].rstrip().upper() in _DEVICES:
        name = f"{name}_"
    return name + suffix


class UniqueNames:
    """The names one batch writes into one folder (a part per chair, a file per stem),
    each made by :func:`safe_name` and given once: two data values that clean up to one
    name ("Horn 1/2" and "Horn 1:2"), or to names a case-insensitive disk (macOS,
    Windows) takes for one ("Flute" and "FLUTE"), would otherwise write one file over the
    other.  A name already given gets " (2)", " (3)", ... before its ending.  ``taken``:
    names the batch writes itself (a score beside the parts).  Only the batch's own names
    count, so a batch written again into the same folder gives the same names."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._given = {name.casefold() for name in taken}

    def stem(self, text: object, *, fallback: str, endings: Iterable[str] = ("",),
             max_bytes: int | None = None) -> str:
        """A name without its ending, free in this batch with each of ``endings`` (a
        part's ``.pdf`` and ``.musicxml``); they are all given at once.  ``max_bytes``
        bounds the stem (the tag counted in it)."""
        endings = tuple(endings)
        base = safe_name(text, fallback=fallback, max_bytes=max_bytes)
        stem, count = base, 1
        while any((stem + ending).casefold() in self._given for ending in endings):
            count += 1
            stem = safe_name(base, fallback=fallback, suffix=f" ({count})",
                             max_bytes=max_bytes)
        self._given.update((stem + ending).casefold() for ending in endings)
        return stem

    def name(self, text: object, *, fallback: str, suffix: str = "",
             max_bytes: int | None = None) -> str:
        """:func:`safe_name` (with ``suffix``), free in this batch."""
        from filmscore.limits import NAME_MAX_BYTES

        room = (max_bytes or NAME_MAX_BYTES) - len(suffix.encode("utf-8"))
        return self.stem(text, fallback=fallback, endings=(suffix,), max_bytes=room) + suffix


def inside(folder: str | os.PathLike[str], name: str | os.PathLike[str]) -> Path:
    """``folder / name``, checked to stay inside ``folder`` once ``..`` and links are
    resolved; InputError otherwise.  ``name`` may hold sub-folders the writer chose
    (``"tacet/1M1 Flute TACET.pdf"``); each component made from data goes through
    :func:`safe_name` first."""
    base = Path(folder)
    path = base / name
    root = base.resolve()
    where = path.resolve()
    if where == root or not where.is_relative_to(root):
        raise InputError("an output name would leave its folder", field="name",
                         value=str(name), source=str(base),
                         valid="a name inside the output folder")
    return path
