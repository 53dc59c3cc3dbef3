"""The performing-rights (PRO) cue sheet as DDEX-shaped XML (written, and read back by
:func:`read_pro_cuesheet_ddex`).

DDEX carries audio-visual cue sheets in its ``CueSheetList`` composite (ERN and the DSR/MWL
messages share it): a ``CueSheet`` with a ``CueSheetReference`` and ``CueSheetType``
(``StandardCueSheet``: each work, with its interested parties, shares and use types,
listed separately), holding one ``Cue`` per use with ``CueUseType`` (allowed values
``Background``, ``OnScreenMusic``, ``Theme``, ``AudioLogo``...), ``CueVocalType``,
``CueOrigin`` (``SpeciallyCommissionedMusic`` for a score), ``ReferencedCreationType``,
``ReferencedCreationTitle``, ``ReferencedCreationContributor``, ``StartTime``,
``Duration`` and ``EndTime`` (ISO 8601 durations: ``PT1H2M3.5S``).  Parties are listed
once in a ``PartyList`` (``PartyReference``, ``PartyName/FullName``, ``PartyId/IPI``,
``Affiliation`` with the society as ``CompanyName`` and ``Type`` ``MusicRightsSociety``)
and referenced from each cue; a contributor's ``Role`` is ``Composer`` or
``MusicPublisher`` and its share ``RightSharePercentage`` (per cent: 25 is a quarter), the
names DDEX uses for right shares.

What is simplified, so this is *DDEX-shaped*, not a message that validates against a
DDEX schema: the root is ``CueSheetMessage`` in filmscore's own namespace (no ERN release,
deal or resource lists around the cue sheet); ``RightSharePercentage`` sits on the cue's
contributor (DDEX keeps right shares in its work messages); and each ``Cue`` carries
filmscore's own ``CueNumber``, ``Use``, ``UsageCode`` (the society's usage code, BI, MT...)
and record ``StartTimecode``/``EndTimecode``.  ``StartTime``/``EndTime`` are real time from
00:00:00:00 in milliseconds (rounded half up); ``Duration`` is the sheet's duration in
whole seconds, rounded up.  What it loses: nothing the CSV and PDF show.  Atomic.
"""

from __future__ import annotations

import datetime as _dt
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from lxml import etree

from filmscore.errors import ParseError
from filmscore.fileio import write_atomic
from filmscore.rights.cuesheet import ProCueSheet
from filmscore.timecode import frame_to_seconds

NAMESPACE = "urn:filmscore:pro-cue-sheet:1"
SCHEMA_VERSION = "filmscore-pro-cue-sheet/1 (DDEX CueSheetList shape)"

#: PRO usage code -> (DDEX CueUseType, CueVocalType)
DDEX_USE: dict[str, tuple[str, str]] = {
    "BI": ("Background", "Instrumental"),
    "BV": ("Background", "Vocal"),
    "VI": ("OnScreenMusic", "Instrumental"),
    "VV": ("OnScreenMusic", "Vocal"),
    "MT": ("Theme", "Unknown"),
    "ET": ("Theme", "Unknown"),
    "OT": ("Theme", "Unknown"),
    "CT": ("Theme", "Unknown"),
    "SRC": ("OnScreenMusic", "Unknown"),
    "LOGO": ("AudioLogo", "Unknown"),
    "TR": ("UserDefined", "Unknown"),
}
ROLES = {"composer": "Composer", "publisher": "MusicPublisher"}


def iso_duration(seconds: Fraction | int) -> str:
    """Seconds as an ISO 8601 duration, milliseconds rounded half up: ``PT1H2M3.5S``."""
    ms = int(Fraction(seconds) * 1000 + Fraction(1, 2))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs = Decimal(rest) / 1000
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + f"{format(secs.normalize(), 'f')}S"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    node = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attrs)
    if text is not None:
        node.text = text
    return node


def write_pro_cuesheet_ddex(sheet: ProCueSheet, path: str | os.PathLike[str], *,
                            created: str | None = None) -> Path:
    """Write the PRO cue sheet as DDEX-shaped XML at ``path`` (atomically)."""
    root = etree.Element(f"{{{NAMESPACE}}}CueSheetMessage", nsmap={None: NAMESPACE},
                         MessageSchemaVersionId=SCHEMA_VERSION, LanguageAndScriptCode="en")
    header = _sub(root, "MessageHeader")
    _sub(header, "MessageId", f"filmscore-cuesheet-{sheet.date}")
    sender = _sub(header, "MessageSender")
    _sub(_sub(sender, "PartyName"), "FullName", "filmscore")
    _sub(header, "MessageCreatedDateTime",
         created or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat())

    work = _sub(root, "AudioVisualWork")
    _sub(_sub(work, "Title"), "TitleText", sheet.title)
    if sheet.composer:
        _sub(work, "Composer", sheet.composer)
    if sheet.picture_version is not None:
        _sub(work, "VersionNumber", str(sheet.picture_version))
    _sub(work, "FrameRate", sheet.rate.name)
    _sub(work, "Date", sheet.date)

    parties = _sub(root, "PartyList")
    refs: dict[str, str] = {}
    for number, holder in enumerate(sheet.holders, start=1):
        refs[holder.name] = f"P{number}"
        party = _sub(parties, "Party")
        _sub(party, "PartyReference", refs[holder.name])
        if holder.ipi:
            _sub(_sub(party, "PartyId"), "IPI", holder.ipi)
        _sub(_sub(party, "PartyName"), "FullName", holder.name)
        if holder.pro:
            affiliation = _sub(party, "Affiliation")
            _sub(affiliation, "CompanyName", holder.pro)
            _sub(affiliation, "Type", "MusicRightsSociety")

    cues = _sub(_sub(root, "CueSheetList"), "CueSheet")
    _sub(cues, "CueSheetReference", "Q1")
    _sub(cues, "CueSheetType", "StandardCueSheet")
    for row in sheet.rows:
        cue = _sub(cues, "Cue", SequenceNumber=str(row.sequence))
        use_type, vocal = DDEX_USE.get(row.usage, ("UserDefined", "Unknown"))
        attrs = ({"Namespace": "filmscore", "UserDefinedValue": row.usage_meaning}
                 if use_type == "UserDefined" else {})
        _sub(cue, "CueUseType", use_type, **attrs)
        _sub(cue, "CueVocalType", vocal)
        _sub(cue, "CueOrigin", "SpeciallyCommissionedMusic")
        _sub(cue, "CueNumber", row.cue)
        _sub(cue, "Use", str(row.use))
        _sub(cue, "UsageCode", row.usage)
        _sub(cue, "ReferencedCreationType", "MusicalWork")
        _sub(_sub(cue, "ReferencedCreationTitle"), "TitleText", row.title or row.cue)
        order = 0
        for role, group in (("composer", row.composers), ("publisher", row.publishers)):
            for share in group:
                order += 1
                contributor = _sub(cue, "ReferencedCreationContributor",
                                   SequenceNumber=str(order))
                _sub(contributor, "ContributorPartyReference", refs[share.holder.name])
                _sub(contributor, "Role", ROLES[role])
                _sub(contributor, "RightSharePercentage", share.text)
        start = frame_to_seconds(row.record_in, sheet.rate)
        _sub(cue, "StartTime", iso_duration(start))
        _sub(cue, "Duration", iso_duration(row.seconds))
        _sub(cue, "EndTime", iso_duration(start + row.exact_seconds))
        _sub(cue, "StartTimecode", row.tc_in)
        _sub(cue, "EndTimecode", row.tc_out)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return write_atomic(Path(path), data)


def read_pro_cuesheet_ddex(path: str | os.PathLike[str]) -> dict:
    """The cue sheet in a file written by :func:`write_pro_cuesheet_ddex`, as plain data:
    ``{"title", "parties": {ref: {name, ipi, pro}}, "cues": [{sequence, cue, use, usage,
    use_type, title, start, duration, end, tc_in, tc_out, contributors: [{name, role,
    share, ipi, pro}]}]}``."""
    ns = {"c": NAMESPACE}
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False,
                                                      no_network=True)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ParseError(f"not readable as XML: {exc}", source=str(path)) from None
    if root.tag != f"{{{NAMESPACE}}}CueSheetMessage":
        raise ParseError("not a filmscore PRO cue sheet", source=str(path), value=root.tag,
                         valid=f"a CueSheetMessage in {NAMESPACE}")

    def text(node, xpath: str) -> str:
        return node.findtext(xpath, default="", namespaces=ns)

    parties = {}
    for party in root.iterfind("c:PartyList/c:Party", ns):
        parties[text(party, "c:PartyReference")] = {
            "name": text(party, "c:PartyName/c:FullName"),
            "ipi": text(party, "c:PartyId/c:IPI"),
            "pro": text(party, "c:Affiliation/c:CompanyName")}
    cues = []
    for cue in root.iterfind("c:CueSheetList/c:CueSheet/c:Cue", ns):
        contributors = []
        for c in cue.iterfind("c:ReferencedCreationContributor", ns):
            party = parties.get(text(c, "c:ContributorPartyReference"), {})
            contributors.append({**party, "role": text(c, "c:Role"),
                                 "share": text(c, "c:RightSharePercentage")})
        cues.append({"sequence": int(cue.get("SequenceNumber")),
                     "cue": text(cue, "c:CueNumber"), "use": int(text(cue, "c:Use")),
                     "usage": text(cue, "c:UsageCode"), "use_type": text(cue, "c:CueUseType"),
                     "title": text(cue, "c:ReferencedCreationTitle/c:TitleText"),
                     "start": text(cue, "c:StartTime"), "duration": text(cue, "c:Duration"),
                     "end": text(cue, "c:EndTime"), "tc_in": text(cue, "c:StartTimecode"),
                     "tc_out": text(cue, "c:EndTimecode"), "contributors": contributors})
    return {"title": text(root, "c:AudioVisualWork/c:Title/c:TitleText"), "parties": parties,
            "cues": cues}
