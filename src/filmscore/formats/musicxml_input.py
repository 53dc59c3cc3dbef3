"""Reading a MusicXML file safely, once, for every MusicXML reader (music import, themes,
short scores, score survey, parts, engraving).

:func:`read_musicxml_file` opens the file through :mod:`filmscore.inputs` (a regular file
within the size limit of "musicxml", or of "mxl" for a compressed one) and expands a
compressed .mxl with its expanded size checked before a byte is expanded
(:func:`filmscore.formats.musicxml_edit.unzip_musicxml`).  :func:`check_values` refuses
numbers no score has (a duration of -4 or 10^30 quarters, octave 99, divisions 0, a
tempo of 10^9) against :data:`filmscore.limits.BOUNDS`, naming the line of the element,
before music21 sees them: music21 (10.5) takes them as they are and fails later, far from
the file ("float division by zero"), or makes notes that start before bar 1.
:func:`parse_music21` hands the checked bytes to music21, so that music21 never opens the
file itself (its own .mxl reader expands the archive with no limit).
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Any

from lxml import etree

from filmscore.errors import ParseError
from filmscore.inputs import read_input
from filmscore.limits import check, is_digits

SUFFIXES = (".musicxml", ".xml", ".mxl")


def read_musicxml_file(path: str | os.PathLike[str]) -> bytes:
    """The score document of the file ``path`` (uncompressed), read within the limits."""
    path = Path(path)
    kind = "mxl" if path.suffix.lower() == ".mxl" else "musicxml"
    return score_document(read_input(path, kind), source=str(path))


def score_document(data: bytes, *, source: str) -> bytes:
    """The score document of MusicXML ``data``: as it is, or a compressed .mxl's root
    file, expanded within the limits."""
    if not data.startswith(b"PK"):  # not a zip: as it is
        return data
    # imported only for a zip: musicxml_edit brings the orchestration package with it,
    # which an engraving worker would otherwise import for nothing
    from filmscore.formats.musicxml_edit import unzip_musicxml

    return unzip_musicxml(data, source=source)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=True)


def read_number(element: etree._Element, source: str, what: str) -> Fraction:
    """The number an element holds (a decimal or a fraction); ParseError naming the
    element, its line and its text otherwise."""
    text = (element.text or "").strip()
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ParseError(f"<{element.tag}> is not a number", source=source,
                         line=element.sourceline, field=what, value=text[:40],
                         valid="a decimal number") from None


def check_values(document: bytes | etree._Element, *, source: str) -> None:
    """Refuse a value outside its bound (limits.BOUNDS), naming the line and element:
    divisions, note/backup/forward durations (in quarters), octaves, alterations, meters
    and tempos.  ``document``: the bytes, or the root an lxml reader has parsed already.
    A document that is not well-formed XML is left to the parser that reads it next (its
    message names the line)."""
    if isinstance(document, bytes | bytearray):
        try:
            root = etree.fromstring(document, _parser())
        except etree.XMLSyntaxError:
            return
    else:
        root = document
    for part in root.iter("part"):
        divisions = Fraction(1)
        longest = 1024  # the longest duration in divisions (the bound of duration_quarters)
        for element in part.iter("divisions", "duration", "octave", "alter", "beats",
                                 "beat-type", "sound", "per-minute"):
            tag = element.tag
            if tag in ("duration", "octave"):
                # the common case, a plain whole number inside its bound, without a
                # Fraction (this loop was a third of the notes-only reader's time)
                text = (element.text or "").strip()
                if is_digits(text) and (int(text) <= 9 if tag == "octave"
                                       else int(text) <= longest):
                    continue
            line = element.sourceline
            if tag == "sound":
                tempo = element.get("tempo")
                if tempo is not None:
                    try:
                        bpm = float(tempo)
                    except ValueError:
                        raise ParseError("<sound tempo> is not a number", source=source,
                                         line=line, field="sound tempo", value=tempo[:40],
                                         valid="a tempo in quarter notes a minute") from None
                    check("tempo_bpm", bpm, source=source, line=line, field="sound tempo",
                          what="tempo")
                continue
            if tag == "per-minute":  # free text ("c. 120"): checked when it is a number
                try:
                    bpm = float((element.text or "").strip())
                except ValueError:
                    continue
                check("tempo_bpm", bpm, source=source, line=line, field="per-minute",
                      what="metronome mark")
                continue
            if tag in ("beats", "beat-type"):
                for piece in (element.text or "").replace("+", " ").split():
                    try:
                        count = int(piece)
                    except ValueError:
                        raise ParseError(f"<{tag}> is not a whole number", source=source,
                                         line=line, field=tag, value=piece[:40],
                                         valid="e.g. 3, 4, or 3+2") from None
                    check("beats_per_bar", count, source=source, line=line, field=tag,
                          what="time signature")
                continue
            value = read_number(element, source, tag)
            if tag == "divisions":
                divisions = check("musicxml_divisions", value, source=source, line=line,
                                  field="divisions")
                longest = 1024 * divisions
            elif tag == "duration":
                if value:  # 0: a note of no length, which reading drops
                    check("duration_quarters", value / divisions, source=source, line=line,
                          field="duration", what="duration in quarter notes")
            elif tag == "octave":
                check("octave", value, source=source, line=line, field="octave")
            elif tag == "alter":
                check("pitch_alter", value, source=source, line=line, field="alter",
                      what="alteration")


def require_partwise(root: etree._Element, *, source: str) -> None:
    """Refuse a document that is not a partwise MusicXML score (both readers read only
    that: music21's importer and ``musicxml_notes``)."""
    if root.tag == "score-timewise":
        raise ParseError("a score-timewise MusicXML document is not supported",
                         source=source, valid="a score-partwise document (export it partwise)")
    if root.tag != "score-partwise":
        raise ParseError("not a MusicXML score", source=source, value=str(root.tag)[:40],
                         valid="a <score-partwise> document")


def parse_music21(data: bytes, *, source: str) -> Any:
    """music21's Score of the (uncompressed, checked) MusicXML ``data``; ParseError with
    the file's name for what music21 cannot read.  The file name becomes the movement
    name when the score has no title, as music21's own file reader does."""
    import xml.etree.ElementTree as ET

    from music21 import stream
    from music21.musicxml import xmlToM21

    from filmscore.formats.musicxml import quiet_music21

    check_values(data, source=source)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise ParseError("not well-formed XML", source=source, line=line,
                         valid="a MusicXML 1.0-4.0 file (.musicxml, .xml or compressed .mxl)"
                         ) from None
    except (LookupError, ValueError) as exc:  # expat: an encoding Python does not know
        reason = " ".join(str(exc).split())[:80]
        raise ParseError(f"cannot decode the XML: {reason}", source=source, line=1,
                         valid="a MusicXML 1.0-4.0 file (.musicxml, .xml or compressed .mxl)"
                         ) from None
    require_partwise(root, source=source)
    importer = xmlToM21.MusicXMLImporter()
    try:
        with quiet_music21():
            importer.xmlRootToScore(root, importer.stream)
    except Exception as exc:  # noqa: BLE001 - music21 raises many kinds of exception
        from music21.exceptions21 import Music21Exception

        # music21's own exceptions say what is wrong with the score; any other (a
        # ZeroDivisionError, an AttributeError) is its internals: not shown to a user
        reason = " ".join(str(exc).split())[:120] if isinstance(exc, Music21Exception) \
            else ""
        raise ParseError(f"music21 cannot read the score{': ' + reason if reason else ''}",
                         source=source,
                         valid="a MusicXML 1.0-4.0 file (.musicxml, .xml or compressed .mxl)"
                         ) from None
    score = importer.stream
    if not isinstance(score, stream.Score):
        raise ParseError("the file is not a score", source=source,
                         valid="a MusicXML score-partwise document")
    if score.metadata is not None and score.metadata.movementName is None:
        score.metadata.movementName = Path(source).name
    return score


__all__ = ["SUFFIXES", "check_values", "parse_music21", "read_musicxml_file"]
