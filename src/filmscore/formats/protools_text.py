"""Pro Tools "Export Session Info as Text": tracks, clips and markers -> cues and sync points.

The document structure is parsed by ptulsconv (``ptulsconv.docparser``), the field's own
parser; clip and marker names are split into a clean name and tags with ptulsconv's tag
grammar (``{Key=any text}``, ``$KEY=word``, ``[flag]``, and a leading ``@``/``&``/``!``
mode).  Times are read by filmscore's own timecode code at the session's rate.

Where ptulsconv falls short, and what this module does about it:

* its header grammar knows only 23.976/24/25/29.97/30/59.94/60 (no 47.952, 48, 50) and
  reads "30 Drop Frame", which we have no rate for.  We read the TIMECODE FORMAT line
  ourselves (``PROTOOLS_RATES``) and hand ptulsconv a placeholder it accepts.
* it needs ``\\n`` line ends and a final newline; Windows (CRLF) or old Mac (CR) exports
  and a missing last newline are normalised first.  A UTF-8 BOM is dropped; text that is
  not UTF-8 is read as Mac Roman (Pro Tools' legacy encoding).
* its timecode arithmetic works in float-free seconds but we want frames: we use only
  the label strings it returns and convert with ``filmscore.timecode.parse_label``.
* its parse errors carry no file name; its document model carries no line numbers.  We
  wrap the errors in our ParseError and find each clip's line ourselves.
* its tag grammar drops plain words that follow the first tag ("1M1 Title $CUE=1M1
  more" loses "more"), and fails outright on a stray ``{`` or ``$``: such a name is kept
  whole, with no tags.

What this adapter loses: files, online clips and plug-in listings, track state, user
delay, channel numbers (a stereo clip appears once per channel in the export; we keep
one clip per event) and marker track types.  It only reads; there is no writer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Literal

from filmscore.errors import InputError, ParseError, ValidationError
from filmscore.inputs import read_input_text
from filmscore.limits import check, is_digits
from filmscore.spotting.cues import (
    CueNumber,
    CueSpec,
    SyncSpec,
    next_cue_number,
    parse_cue_number,
    parse_sync_kind,
)
from filmscore.timecode import Rate, format_label, get_rate, parse_label

#: Pro Tools TIMECODE FORMAT values -> filmscore rate names (vocabulary as data).
PROTOOLS_RATES: dict[str, str] = {
    "23.976 Frame": "23.976",
    "24 Frame": "24",
    "25 Frame": "25",
    "29.97 Frame": "29.97",
    "29.97 Drop Frame": "29.97df",
    "30 Frame": "30",
    "47.952 Frame": "47.952",
    "48 Frame": "48",
    "50 Frame": "50",
    "59.94 Frame": "59.94",
    "59.94 Drop Frame": "59.94df",
    "60 Frame": "60",
}

#: Tag keys (case-insensitive) that fill a cue's fields when a clip becomes a cue.
CUE_TAG_FIELDS: dict[str, str] = {
    "cue": "number", "sc": "title", "title": "title", "mood": "mood",
    "inst": "instrumentation", "instr": "instrumentation",
    "instrumentation": "instrumentation", "temp": "temp_track", "note": "notes",
    "notes": "notes",
}
#: Flags ([SOURCE]) that mark a clip as source music.
SOURCE_FLAGS = frozenset({"source", "src", "s"})

_FORMAT_LINE = re.compile(r"^(TIMECODE FORMAT:\t)([^\n]*)$", re.MULTILINE)
_PLACEHOLDER_FORMAT = "25 Frame"


@dataclass(frozen=True)
class Clip:
    """A clip on a track: clean name, [start, end) frames, tags, and where it was read."""

    name: str
    start: int
    end: int
    tags: dict[str, str] = field(default_factory=dict)
    raw_name: str = ""
    mode: str = ""  # ptulsconv's leading mark: "@" timespan, "&" append, "!" directive
    muted: bool = False
    line: int | None = None


@dataclass(frozen=True)
class Track:
    name: str
    comments: str
    clips: tuple[Clip, ...]
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Marker:
    frame: int
    name: str
    comment: str
    tags: dict[str, str] = field(default_factory=dict)
    raw_name: str = ""


@dataclass(frozen=True)
class SessionText:
    """A Pro Tools session as its text export describes it; frames at the session rate."""

    name: str
    rate: Rate
    session_start: int
    tracks: tuple[Track, ...]
    markers: tuple[Marker, ...]
    sample_rate: Fraction = Fraction(48000)
    source: str = ""

    def track(self, name: str) -> Track:
        for track in self.tracks:
            if track.name == name:
                return track
        raise InputError("no such track in the session", source=self.source or None,
                         field="track", value=name,
                         valid=", ".join(t.name for t in self.tracks) or "(no tracks)")


# --- reading ---------------------------------------------------------------------------------


def split_tags(text: str) -> tuple[str, dict[str, str], str]:
    """Split a ptulsconv-tagged name into (clean name, tags, mode mark)."""
    from parsimonious.exceptions import ParsimoniousError
    from ptulsconv.docparser.tagged_string_parser_visitor import TagPreModes, parse_tags

    try:
        result = parse_tags(text)
    except (ParsimoniousError, RecursionError):
        return text.strip(), {}, ""
    marks = {TagPreModes.TIMESPAN: "@", TagPreModes.APPEND: "&",
             TagPreModes.DIRECTIVE: "!"}
    return (result.content or "").strip(), dict(result.tag_dict), marks.get(result.mode, "")


def read_protools_text(path: str | os.PathLike[str]) -> SessionText:
    """Read a Pro Tools session text export (exported with times as Timecode)."""
    path = Path(path)
    # a regular file within its limit (not a FIFO); Pro Tools on a Mac writes Mac Roman
    text = read_input_text(path, "protools", fallback="mac_roman")
    return parse_protools_text(text, source=str(path))


def parse_protools_text(text: str, *, source: str = "<text>") -> SessionText:
    """Parse the text of a session export (see ``read_protools_text``)."""
    from parsimonious.exceptions import ParsimoniousError
    from ptulsconv.docparser import parse_document

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    lines = text.split("\n")
    match = _FORMAT_LINE.search(text)
    if not text.startswith("SESSION NAME:") or not match:
        raise ParseError("not a Pro Tools session text export", source=source, line=1,
                         value=lines[0][:60],
                         valid="a file from File > Export > Session Info as Text")
    format_name = match.group(2).strip()
    format_line = text.count("\n", 0, match.start()) + 1
    if format_name not in PROTOOLS_RATES:
        raise ParseError("unknown timecode format", source=source, line=format_line,
                         field="TIMECODE FORMAT", value=format_name,
                         valid=", ".join(PROTOOLS_RATES))
    rate = get_rate(PROTOOLS_RATES[format_name])
    text = text[:match.start(2)] + _PLACEHOLDER_FORMAT + text[match.end(2):]
    try:
        doc = parse_document(text)
    except ParsimoniousError as exc:
        line = exc.line() if hasattr(exc, "line") else None
        bad = lines[line - 1] if line and line <= len(lines) else ""
        raise ParseError("cannot read the session export from this line on", source=source,
                         line=line, value=bad.replace("\t", " | ")[:80],
                         valid="an unedited Session Info as Text export (times as "
                               "Timecode)") from None
    except (ValueError, IndexError, TypeError) as exc:
        raise ParseError(f"ptulsconv could not read the export ({exc})",
                         source=source) from None

    locate = _LineFinder(lines)

    def label(value: str, what: str, line: int | None) -> int:
        try:
            return parse_label(value.strip(), rate, field=what)
        except InputError as exc:
            raise ParseError(exc.reason, source=source, line=line, field=what,
                             value=value.strip(),
                             valid=f"{exc.valid or 'a timecode'} at {format_name} (export "
                                   "with the time format set to Timecode)") from None

    header = doc.header
    start_line = locate.find("SESSION START TIMECODE:")
    session_start = label(header.start_timecode, "SESSION START TIMECODE", start_line)
    tracks = []
    for track in doc.tracks or []:
        locate.find(f"TRACK NAME:\t{track.name}")
        clips = []
        seen_events: set[int] = set()
        for clip in track.clips:
            line = locate.find_clip(clip.clip_name, clip.start_timecode)
            if clip.event in seen_events:
                continue  # another channel of the same event
            seen_events.add(clip.event)
            start = label(clip.start_timecode, "START TIME", line)
            end = label(clip.finish_timecode, "END TIME", line)
            if end < start:
                raise ParseError("clip ends before it starts", source=source, line=line,
                                 field="END TIME", value=clip.finish_timecode.strip(),
                                 valid=f"{clip.start_timecode.strip()} or later")
            name, tags, mode = split_tags(clip.clip_name)
            clips.append(Clip(name, start, end, tags, clip.clip_name, mode,
                              clip.state == "Muted", line))
        _, track_tags, _ = split_tags(track.comments)
        tracks.append(Track(track.name, track.comments, tuple(clips), track_tags))
    markers = []
    sample_rate = Fraction(str(header.sample_rate))
    for marker in doc.markers or []:
        line = locate.find_marker(marker.location)
        try:
            frame = parse_label(marker.location.strip(), rate)
        except InputError:
            if marker.units.strip().lower() != "samples" or not sample_rate:
                raise ParseError("marker location is not a timecode", source=source,
                                 line=line, field="LOCATION", value=marker.location,
                                 valid=f"a timecode at {format_name}") from None
            frame = session_start + (Fraction(marker.time_reference) * rate.fps
                                     / sample_rate).__floor__()
        name, tags, _ = split_tags(marker.name)
        _, comment_tags, _ = split_tags(marker.comments)
        markers.append(Marker(frame, name, marker.comments, comment_tags | tags, marker.name))
    return SessionText(header.session_name, rate, session_start, tuple(tracks),
                       tuple(markers), sample_rate, source)


class _LineFinder:
    """Finds the (1-based) line of each record, scanning forward through the file."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor = 0

    def find(self, prefix: str) -> int | None:
        for i in range(self.cursor, len(self.lines)):
            if self.lines[i].startswith(prefix):
                self.cursor = i + 1
                return i + 1
        return None

    def find_clip(self, name: str, start: str) -> int | None:
        for i in range(self.cursor, len(self.lines)):
            cells = self.lines[i].split("\t")
            if len(cells) > 3 and cells[2].strip(" ") == name and cells[3].strip() == \
                    start.strip():
                self.cursor = i + 1
                return i + 1
        return None

    def find_marker(self, location: str) -> int | None:
        for i in range(self.cursor, len(self.lines)):
            cells = self.lines[i].split("\t")
            if len(cells) > 1 and cells[1].strip() == location.strip():
                self.cursor = i + 1
                return i + 1
        return None


# --- to cues ---------------------------------------------------------------------------------


def _tag(tags: dict[str, str], *keys: str) -> str | None:
    lowered = {k.lower(): v for k, v in tags.items()}
    for key in keys:
        if key in lowered:
            return lowered[key]
    return None


def reel_starts(session: SessionText) -> list[tuple[int, int]]:
    """(frame, reel) for every marker tagged ``$Reel=R2`` (or ``$Reel=2``), in order."""
    starts = []
    for marker in session.markers:
        value = _tag(marker.tags, "reel")
        if value is None:
            continue
        digits = re.sub(r"^[Rr](?:eel)?\s*", "", value.strip())
        if is_digits(digits):
            # the reel becomes the first digits of cue numbers (1M1 to 99M999)
            reel = int(digits[:4000])  # int() reads no more than 4,300 digits
            check("reel", reel, source=session.source or None,
                  field=f"marker at {format_label(marker.frame, session.rate)}",
                  what="reel number ($Reel tag)")
            starts.append((marker.frame, reel))
    return sorted(starts)


def _reel_of(frame: int, session: SessionText, starts: list[tuple[int, int]],
             reels: str) -> int:
    if reels == "markers" or (reels == "auto" and starts):
        reel = starts[0][1] if starts else 1
        if starts and frame < starts[0][0]:
            return max(starts[0][1] - 1, 1) if starts[0][1] > 1 else starts[0][1]
        for start, number in starts:
            if start <= frame:
                reel = number
        return reel
    return int(format_label(frame, session.rate)[:2])  # the hour of the timecode


def _cue_fields(name: str, tags: dict[str, str], where: str) -> tuple[CueNumber | None,
                                                                       dict[str, str]]:
    number: CueNumber | None = None
    title = name
    explicit = _tag(tags, "cue")
    if explicit is not None:
        try:
            number = parse_cue_number(explicit, field="CUE tag")
        except InputError as exc:
            raise exc.located(source=where) from None
    else:
        head, _, rest = name.partition(" ")
        try:
            number = parse_cue_number(head)
            title = rest.strip()
        except InputError:
            number = None
    fields = {"title": title, "notes": "", "mood": "", "instrumentation": "",
              "temp_track": ""}
    extra = []
    for key, value in tags.items():
        target = CUE_TAG_FIELDS.get(key.lower())
        if target == "number":
            continue
        if key.lower() in SOURCE_FLAGS and value == key:
            continue
        if target and not fields[target]:
            fields[target] = value
        elif value == key:
            extra.append(f"[{key}]")
        else:
            extra.append(f"{key}: {value}")
    if extra:
        fields["notes"] = "; ".join(filter(None, [fields["notes"], *extra]))
    if number is not None and any(k.lower() in SOURCE_FLAGS and v == k
                                  for k, v in tags.items()):
        number = CueNumber(number.reel, number.number, number.insert, True)
    return number, fields


def _sync_from(name: str, tags: dict[str, str], frame: int, where: str) -> SyncSpec:
    kind = "hard"
    given = _tag(tags, "sync", "kind")
    flags = [k for k, v in tags.items() if k == v]
    try:
        if given is not None:
            kind = parse_sync_kind(given, field="SYNC tag")
        else:
            for flag in flags:
                try:
                    kind = parse_sync_kind(flag)
                    break
                except InputError:
                    continue
        weight = 1.0
        text = _tag(tags, "weight")
        if text is not None:
            try:
                weight = float(text)
            except ValueError:
                weight = -1.0
            if not 0 <= weight < float("inf"):
                raise InputError("bad sync weight", field="WEIGHT tag", value=text,
                                 valid="a number >= 0")
            check("sync_weight", weight, field="WEIGHT tag", what="sync weight")
    except InputError as exc:
        raise exc.located(source=where) from None
    return SyncSpec(frame, name, kind, weight)


def to_cues(
    session: SessionText,
    *,
    cue_tracks: Sequence[str] | None,
    sync_tracks: Sequence[str] | None = None,
    markers_as: Literal["sync", "cues", "ignore"] = "ignore",
    reels: Literal["auto", "hour", "markers"] = "auto",
) -> list[CueSpec]:
    """Turn chosen tracks' clips (and optionally markers) into cues with sync points.

    * Clips on ``cue_tracks`` become cues.  A clip's number comes from a ``$CUE=1M1`` tag,
      else from a name that starts with a cue number ("1M1 Main Title"); other cues are
      numbered in picture order after the highest number in their reel.  The reel is
      taken from ``$Reel=R2`` markers when the session has them (``reels="auto"``) or from
      the hour of the timecode (``reels="hour"``: 01:xx is reel 1).  Title: the clean
      name, else the ``{Sc=...}``/``{Title=...}`` tag; ``$MOOD``, ``$INST``, ``$TEMP``,
      ``{Note=...}`` fill those fields, other tags go to the notes; a ``[SOURCE]`` flag
      marks source music.
    * Clips on ``sync_tracks`` become sync points at their start (kind from ``$SYNC=soft``
      or a ``[soft]`` flag, default hard; ``$WEIGHT=2``), each given to the cue that
      contains it; a sync clip inside no cue is an error.
    * ``markers_as``: "sync" makes markers inside a cue its sync points (others are
      skipped: reel and title markers are common); "cues" makes each marker a cue that
      runs to the next marker (the last to the end of the last clip); "ignore".  Reel
      markers (``$Reel=R2``) are never cues or sync points.
    """
    if markers_as not in ("sync", "cues", "ignore"):
        raise InputError("unknown choice for markers", field="markers_as", value=markers_as,
                         valid="sync, cues, ignore")
    if reels not in ("auto", "hour", "markers"):
        raise InputError("unknown choice for reels", field="reels", value=reels,
                         valid="auto, hour, markers")
    where = session.source or session.name
    starts = reel_starts(session)
    raw: list[tuple[int, int, CueNumber | None, dict[str, str], str]] = []
    for track_name in cue_tracks or []:
        track = session.track(track_name)
        for clip in track.clips:
            at = f"{where}, track {track.name}" + (f", line {clip.line}" if clip.line else "")
            number, fields = _cue_fields(clip.name, clip.tags, at)
            raw.append((clip.start, clip.end, number, fields, at))
    if markers_as == "cues":
        markers = sorted((m for m in session.markers if _tag(m.tags, "reel") is None),
                         key=lambda m: m.frame)
        last_end = max((c.end for t in session.tracks for c in t.clips), default=None)
        for i, marker in enumerate(markers):
            end = markers[i + 1].frame if i + 1 < len(markers) else last_end
            at = f"{where}, marker {marker.raw_name or marker.name!r}"
            if end is None or end <= marker.frame:
                raise ValidationError("the last marker has no end (no clip ends after it)",
                                      source=at, field="marker",
                                      value=format_label(marker.frame, session.rate),
                                      valid="a clip or marker after the last cue marker")
            number, fields = _cue_fields(marker.name, marker.tags, at)
            if marker.comment and not fields["notes"]:
                fields["notes"] = marker.comment
            raw.append((marker.frame, end, number, fields, at))

    raw.sort(key=lambda r: (r[0], r[1]))
    used = [r[2] for r in raw if r[2] is not None]
    numbered = []
    for start, end, number, fields, _at in raw:
        if number is None:
            reel = _reel_of(start, session, starts, reels)
            number = next_cue_number(used, reel)
            used.append(number)
        numbered.append([CueSpec(number, fields["title"], start, end, fields["notes"],
                                 fields["mood"], fields["instrumentation"],
                                 fields["temp_track"]), []])

    def owner(frame: int) -> list | None:
        for entry in numbered:
            if entry[0].start_frame <= frame < entry[0].end_frame:
                return entry
        for entry in numbered:
            if frame == entry[0].end_frame:
                return entry
        return None

    for track_name in sync_tracks or []:
        track = session.track(track_name)
        for clip in track.clips:
            at = f"{where}, track {track.name}" + (f", line {clip.line}" if clip.line else "")
            entry = owner(clip.start)
            if entry is None:
                raise ValidationError(
                    f"sync clip {clip.name or clip.raw_name!r} is inside no cue", source=at,
                    field="START TIME", value=format_label(clip.start, session.rate),
                    valid="a time inside one of the cues")
            entry[1].append(_sync_from(clip.name, clip.tags, clip.start, at))
    if markers_as == "sync":
        for marker in session.markers:
            entry = owner(marker.frame)
            if entry is not None and _tag(marker.tags, "reel") is None:
                at = f"{where}, marker {marker.raw_name!r}"
                entry[1].append(_sync_from(marker.name or marker.raw_name, marker.tags,
                                           marker.frame, at))
    return [replace(cue, sync_points=tuple(sorted(syncs, key=lambda s: s.frame)))
            for cue, syncs in numbered]


def read_session_for_spotting(path: str | Path, rate: Rate | None = None) -> SessionText:
    """Registry reader (kind "spotting"): the session, to be turned into cues by
    :func:`to_cues` with the user's choice of tracks.  ``rate`` is checked by the caller."""
    return read_protools_text(path)
