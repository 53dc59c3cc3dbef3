"""iXML take metadata in a WAV file: read the ``iXML`` chunk, write it into a copy.

iXML (www.ixml.info) is the XML document location recorders and DAWs write into a WAV
(or Broadcast WAV) file's ``iXML`` chunk: ``<BWFXML>`` with ``IXML_VERSION``,
``PROJECT``, ``SCENE``, ``TAKE``, ``TAPE``, ``CIRCLED`` (TRUE/FALSE), ``TAKE_TYPE``
(one or more of DEFAULT, NO_GOOD, FALSE_START, WILD_TRACK, PICKUP, REHEARSAL,
ANNOUNCEMENT, SOUND_GUIDE, comma-separated), ``NOTE`` and ``TRACK_LIST``
(``TRACK_COUNT``, then a ``TRACK`` with ``CHANNEL_INDEX``, ``INTERLEAVE_INDEX``,
``NAME`` and, when given, ``FUNCTION`` per channel).  On a scoring stage SCENE is the
cue number and TAKE the take number; in a delivery to the dub SCENE is the cue and TAKE
the mix version.

``FUNCTION`` takes the spec's values (:data:`TRACK_FUNCTIONS`): a stereo mix is
``L-MIX``/``R-MIX``, a stereo track ``LEFT``/``RIGHT``, a 5.1 track ``L-5.1``,
``R-5.1``, ``C-5.1``, ``LFE-5.1``, ``Ls-5.1``, ``Rs-5.1`` (the channel's own name, in
the file's channel order: SMPTE L R C LFE Ls Rs).

Our take types (``recording.vocabulary.TAKE_TYPES``) and the spec's TAKE_TYPE::

    ours          written          read back from a file another program wrote
    complete      DEFAULT          DEFAULT (or no TAKE_TYPE)        -> complete
    false start   FALSE_START      FALSE_START                      -> false start
    breakdown     NO_GOOD          NO_GOOD                          -> breakdown
    pickup        PICKUP           PICKUP                           -> pickup
    alternate     DEFAULT          (no spec value)
    wild          WILD_TRACK       WILD_TRACK                       -> wild
                                   REHEARSAL, ANNOUNCEMENT,
                                   SOUND_GUIDE                      -> wild

Where a file says several (``NO_GOOD,PICKUP``) the first of FALSE_START, PICKUP,
WILD_TRACK, NO_GOOD, REHEARSAL, ANNOUNCEMENT, SOUND_GUIDE decides (a pickup that is no
good stays a pickup; CIRCLED FALSE says the rest).

What is lost: the spec has no "alternate" (written as DEFAULT) and no breakdown apart
from NO_GOOD; REHEARSAL, ANNOUNCEMENT and SOUND_GUIDE have no take type of ours.  So
that our own files come back exactly, the writer adds a vendor element
``<FILMSCORE><TAKE_KIND>alternate</TAKE_KIND></FILMSCORE>`` (vendor elements are allowed
by the spec, as Steinberg's are, though the spec asks for vendor names to be registered
with it and ours is not yet); other readers ignore it.  Bars, section, timecode and
the stems' names beyond TRACK_LIST are not written (the take log keeps them).

Writing copies the source file to a new file chunk by chunk, every chunk other than
``iXML`` byte for byte (``fmt``, ``bext``, ``data``, anything else, in order); an
existing ``iXML`` chunk is replaced in place with the recorder's other elements kept
(SPEED, HISTORY, ...) and ours set, otherwise the chunk is added at the end.  Writing
is atomic.  RF64 (files past 4 GiB) is refused.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from filmscore.errors import InputError, ParseError
from filmscore.fileio import atomic_path
from filmscore.limits import is_digits

IXML_VERSION = "2.10"
#: the spec's TAKE_TYPE values
SPEC_TAKE_TYPES = ("DEFAULT", "NO_GOOD", "FALSE_START", "WILD_TRACK", "PICKUP", "REHEARSAL",
                   "ANNOUNCEMENT", "SOUND_GUIDE")
#: our take type -> the spec's TAKE_TYPE written
KIND_TO_TAKE_TYPE = {
    "complete": "DEFAULT",
    "false start": "FALSE_START",
    "breakdown": "NO_GOOD",
    "pickup": "PICKUP",
    "alternate": "DEFAULT",
    "wild": "WILD_TRACK",
}
#: the spec's TAKE_TYPE read -> our take type, in the order that decides a list
TAKE_TYPE_TO_KIND = {
    "FALSE_START": "false start",
    "PICKUP": "pickup",
    "WILD_TRACK": "wild",
    "NO_GOOD": "breakdown",
    "REHEARSAL": "wild",
    "ANNOUNCEMENT": "wild",
    "SOUND_GUIDE": "wild",
    "DEFAULT": "complete",
}
VENDOR = "FILMSCORE"
#: the spec's TRACK FUNCTION of each channel, by what the file holds and its layout
#: (channel order as ``mixing.vocabulary.LAYOUTS``)
TRACK_FUNCTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("mix", "stereo"): ("L-MIX", "R-MIX"),
    ("track", "stereo"): ("LEFT", "RIGHT"),
    ("mix", "5.1"): ("L-5.1", "R-5.1", "C-5.1", "LFE-5.1", "Ls-5.1", "Rs-5.1"),
    ("track", "5.1"): ("L-5.1", "R-5.1", "C-5.1", "LFE-5.1", "Ls-5.1", "Rs-5.1"),
}
MAX_BYTES = 2**32 - 1


@dataclass(frozen=True)
class IxmlTake:
    """The take metadata of one file, as plain values (empty text: not given)."""

    project: str = ""
    scene: str = ""  # the cue number on a scoring stage
    take: str = ""
    tape: str = ""
    circled: bool | None = None  # None: the file does not say
    take_type: tuple[str, ...] = ()  # the spec's values, as written in the file
    note: str = ""
    tracks: tuple[str, ...] = ()  # channel names in channel order
    functions: tuple[str, ...] = ()  # the spec's FUNCTION of each track (or none)
    kind: str | None = None  # our take type (our vendor element, else mapped)
    extra: dict = field(default_factory=dict, compare=False)  # other top-level text elements


def take_type_of(kind: str) -> str:
    """The spec's TAKE_TYPE for one of our take types."""
    try:
        return KIND_TO_TAKE_TYPE[kind]
    except KeyError:
        raise InputError("unknown take type", field="kind", value=kind,
                         valid=", ".join(KIND_TO_TAKE_TYPE)) from None


def kind_of(take_types: tuple[str, ...] | list[str]) -> str | None:
    """Our take type for a file's TAKE_TYPE values (None when it gives none we know)."""
    given = {t.strip().upper() for t in take_types}
    for spec, kind in TAKE_TYPE_TO_KIND.items():
        if spec in given:
            return kind
    return None


# -- RIFF chunks ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chunk:
    kind: bytes
    offset: int  # of the chunk header
    size: int  # of the body (without the pad byte)


def _chunks(path: Path) -> list[_Chunk]:
    """The chunks of a RIFF/WAVE file, checked to lie inside it."""
    try:
        total = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(12)
            if len(head) < 12 or head[8:12] != b"WAVE" or head[:4] not in (b"RIFF", b"RF64"):
                raise ParseError("not a WAV file", source=str(path), value=head[:12].hex(),
                                 valid="a RIFF/WAVE file")
            if head[:4] == b"RF64":
                raise ParseError("RF64 (a WAV past 4 GiB) is not read", source=str(path),
                                 valid="a RIFF/WAVE file under 4 GiB")
            out, at = [], 12
            while at + 8 <= total:
                handle.seek(at)
                kind, size = struct.unpack("<4sI", handle.read(8))
                if at + 8 + size > total:
                    name = kind.decode("ascii", "replace")
                    raise ParseError(f"chunk {name!r} at byte {at} runs past the end of the "
                                     "file", source=str(path), field=name,
                                     value=f"{size} bytes", valid=f"at most {total - at - 8}")
                out.append(_Chunk(kind, at, size))
                at += 8 + size + (size % 2)
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror or exc}", source=str(path)
                         ) from None
    if not any(c.kind == b"fmt " for c in out) or not any(c.kind == b"data" for c in out):
        raise ParseError("a WAV file needs a 'fmt ' and a 'data' chunk", source=str(path),
                         value=", ".join(c.kind.decode("ascii", "replace") for c in out),
                         valid="a RIFF/WAVE file with fmt and data")
    return out


def _body(path: Path, chunk: _Chunk) -> bytes:
    with path.open("rb") as handle:
        handle.seek(chunk.offset + 8)
        return handle.read(chunk.size)


def _parse(xml: bytes, path: Path):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml.rstrip(b"\0 \r\n\t") or b"<empty/>", parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"the iXML chunk is not well-formed XML ({exc.msg})",
                         source=str(path), line=exc.lineno, field="iXML",
                         valid="an XML document <BWFXML>...</BWFXML>") from None
    if root.tag != "BWFXML":
        raise ParseError("the iXML chunk's root element is not BWFXML", source=str(path),
                         field="iXML", value=str(root.tag), valid="<BWFXML>")
    return root


def _text(root, path: str) -> str:
    found = root.find(path)
    return (found.text or "").strip() if found is not None else ""


def _take_of(root, path: Path) -> IxmlTake:
    circled_text = _text(root, "CIRCLED").upper()
    if not circled_text:
        circled = None
    elif circled_text in ("TRUE", "1", "YES"):
        circled = True
    elif circled_text in ("FALSE", "0", "NO"):
        circled = False
    else:
        raise ParseError("CIRCLED is neither TRUE nor FALSE", source=str(path),
                         field="CIRCLED", value=circled_text, valid="TRUE, FALSE")
    take_type = tuple(t.strip().upper() for t in _text(root, "TAKE_TYPE").split(",")
                      if t.strip())
    vendor = _text(root, f"{VENDOR}/TAKE_KIND")
    from filmscore.recording.vocabulary import TAKE_TYPES

    kind = vendor if vendor in TAKE_TYPES else kind_of(take_type)
    tracks = []
    for track in root.findall("TRACK_LIST/TRACK"):
        index = _text(track, "CHANNEL_INDEX")
        tracks.append((int(index) if is_digits(index) else len(tracks) + 1,
                       _text(track, "NAME"), _text(track, "FUNCTION")))
    extra = {child.tag: (child.text or "").strip() for child in root
             if isinstance(child.tag, str) and len(child) == 0}
    return IxmlTake(project=_text(root, "PROJECT"), scene=_text(root, "SCENE"),
                    take=_text(root, "TAKE"), tape=_text(root, "TAPE"), circled=circled,
                    take_type=take_type, note=_text(root, "NOTE"),
                    tracks=tuple(name for _i, name, _f in sorted(tracks)),
                    functions=tuple(f for _i, _n, f in sorted(tracks))
                    if any(f for _i, _n, f in tracks) else (), kind=kind, extra=extra)


def read_ixml(path: str | os.PathLike[str]) -> IxmlTake | None:
    """The iXML take metadata of a WAV file (None when it has no iXML chunk)."""
    path = Path(path)
    for chunk in _chunks(path):
        if chunk.kind == b"iXML":
            return _take_of(_parse(_body(path, chunk), path), path)
    return None


def _set(root, tag: str, text: str) -> None:
    element = root.find(tag)
    if element is None:
        element = etree.SubElement(root, tag)
    element.text = text


def ixml_document(take: IxmlTake, existing: bytes | None = None, *,
                  source: str = "iXML") -> bytes:
    """The iXML document for ``take``: ``existing`` (a recorder's) with our fields set,
    or a new one.  Empty text fields and ``circled=None`` leave the element as it was."""
    root = (_parse(existing, Path(source)) if existing else etree.Element("BWFXML"))
    _set(root, "IXML_VERSION", IXML_VERSION)
    for tag, value in (("PROJECT", take.project), ("SCENE", take.scene),
                       ("TAKE", take.take), ("TAPE", take.tape), ("NOTE", take.note)):
        if value:
            _set(root, tag, value)
    if take.circled is not None:
        _set(root, "CIRCLED", "TRUE" if take.circled else "FALSE")
    take_type = take.take_type or ((take_type_of(take.kind),) if take.kind else ())
    for value in take_type:
        if value not in SPEC_TAKE_TYPES:
            raise InputError("unknown iXML TAKE_TYPE", field="TAKE_TYPE", value=value,
                             valid=", ".join(SPEC_TAKE_TYPES))
    if take_type:
        _set(root, "TAKE_TYPE", ",".join(take_type))
    if take.kind:
        vendor = root.find(VENDOR)
        if vendor is None:
            vendor = etree.SubElement(root, VENDOR)
        _set(vendor, "TAKE_KIND", take.kind)
    if take.functions and len(take.functions) != len(take.tracks):
        raise InputError("a FUNCTION for each track", field="FUNCTION",
                         value=f"{len(take.functions)} for {len(take.tracks)} tracks",
                         valid="as many functions as tracks")
    if take.tracks:
        old = root.find("TRACK_LIST")
        if old is not None:
            root.remove(old)
        tracks = etree.SubElement(root, "TRACK_LIST")
        etree.SubElement(tracks, "TRACK_COUNT").text = str(len(take.tracks))
        for i, name in enumerate(take.tracks, 1):
            track = etree.SubElement(tracks, "TRACK")
            etree.SubElement(track, "CHANNEL_INDEX").text = str(i)
            etree.SubElement(track, "INTERLEAVE_INDEX").text = str(i)
            etree.SubElement(track, "NAME").text = name
            if take.functions:
                etree.SubElement(track, "FUNCTION").text = take.functions[i - 1]
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _copy_range(src, dst, offset: int, size: int) -> None:
    src.seek(offset)
    left = size
    while left:
        block = src.read(min(left, 1 << 20))
        if not block:
            raise OSError("the file got shorter while it was copied")
        dst.write(block)
        left -= len(block)


def write_ixml(source: str | os.PathLike[str], target: str | os.PathLike[str],
               take: IxmlTake) -> Path:
    """Copy the WAV ``source`` to ``target`` with the iXML chunk set from ``take``
    (every other chunk byte for byte); atomic.  ``target`` may be ``source``."""
    source, target = Path(source), Path(target)
    chunks = _chunks(source)
    old = next((c for c in chunks if c.kind == b"iXML"), None)
    xml = ixml_document(take, _body(source, old) if old else None, source=str(source))
    new_chunk = b"iXML" + struct.pack("<I", len(xml)) + xml + (b"\0" if len(xml) % 2 else b"")
    size = 4 + sum(8 + c.size + c.size % 2 for c in chunks if c is not old) + len(new_chunk)
    if size > MAX_BYTES:
        raise InputError("too long for a WAV file (4 GiB) with its iXML", source=str(target),
                         value=f"{size} bytes", valid="a shorter file (RF64 is not written)")
    with atomic_path(target) as tmp:
        with source.open("rb") as src, tmp.open("wb") as out:
            out.write(b"RIFF" + struct.pack("<I", size) + b"WAVE")
            for chunk in chunks:
                if chunk is old:
                    out.write(new_chunk)
                    continue
                _copy_range(src, out, chunk.offset, 8 + chunk.size)
                if chunk.size % 2:
                    out.write(b"\0")
            if old is None:
                out.write(new_chunk)
            out.flush()
            os.fsync(out.fileno())
    return target

