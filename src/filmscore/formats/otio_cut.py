"""Read and write picture cuts (CMX 3600 EDL, FCP7/Premiere/Hiero XML, .otio) via OpenTimelineIO.

What this adapter keeps: every clip of every track (video "V", "V2"...; audio "A1",
"A2"... as the cmx adapter names them, "V1"/"A1"... for XML) as a CutEvent with exact
integer frames, absolute record times, the EDL event number, reel, clip name and the
transition into it (cut, dissolve, wipe, with its length); EDL ``* LOC:`` locators and
XML/OTIO markers as CutMarker.

What it loses: effects (speed changes, freeze frames, resizes: the event keeps its source
in/out as written and its record in/out), colour decisions (ASC CDL), audio levels and
channel patching, media file paths, gaps (holes between events are implicit in the
absolute record times) and any comment other than locators.  ``write_edl`` writes the
first video track only (OpenTimelineIO's EDL writer handles one video track); ``write_otio``
writes every track.

Work-arounds for the cmx_3600 adapter (pre-processing the EDL text, ``formats.edl_scan``):

* an event whose source and record durations differ without a speed (M2) or freeze-frame
  line makes the adapter refuse the whole EDL.  Avid writes this for off-speed (48 fps)
  clips and for audio events with 00:00:00:00 sources; for film work the record times are
  what matter, so the text given to OTIO has the source out set to source in + record
  duration.  The CutEvent keeps the source in/out as the EDL states them.
* the adapter's timeline starts at the first record in without saying where that is
  (its global_start_time is None); record times are made absolute from the tracks'
  offsets.
* at 29.97/59.94 with ``FCM: DROP FRAME`` the labels are rewritten with ';' so that OTIO
  counts them as drop-frame.
* a source timecode that is not one at the EDL's rate (a 30 fps audio source in a 24 fps
  Avid EDL) no longer refuses the EDL: the event keeps its record times, its source is
  left out (0 to 0), and ``Cut.warnings`` names those events in one line.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path

from filmscore.errors import FilmscoreError, InputError, ParseError, ValidationError
from filmscore.fileio import atomic_path, write_atomic
from filmscore.formats.edl_scan import (
    _TC,
    EditLine,
    lines_per_track,
    prepare_edl,
    scan_edl,
    unreadable_sources,
)
from filmscore.inputs import check_json_depth, decode_text, read_input
from filmscore.limits import bound, check, check_finite, is_digits
from filmscore.spotting.cut import Cut, CutEvent, CutMarker, make_cut
from filmscore.timecode import RATES, Rate, format_label, get_rate, parse_label

_FCM_DF = re.compile(r"^\s*FCM:\s*DROP\s+FRAME", re.IGNORECASE | re.MULTILINE)
EDL_SUFFIXES = (".edl",)
XML_SUFFIXES = (".xml",)
OTIO_SUFFIXES = (".otio", ".otioz")
_VALID_SUFFIXES = ".edl, .xml, .otio, .otioz"


# --- reading ---------------------------------------------------------------------------


def read_cut(path: str | Path, rate: Rate | str | None = None) -> Cut:
    """Read a cut from an EDL (rate required: EDLs do not state it), FCP XML or .otio file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in EDL_SUFFIXES:
        return _read_edl(path, rate)
    if suffix in XML_SUFFIXES or suffix in OTIO_SUFFIXES:
        return _read_otio_file(path, rate)
    raise ParseError("not a cut file this adapter reads", source=str(path), value=suffix,
                     valid=_VALID_SUFFIXES)


def _read_text(path: Path, kind: str = "edl") -> str:
    data = read_input(path, kind)  # a regular file within its limit (not a FIFO, /dev/zero)
    if b"\x00" in data:
        what = "an FCP XML" if kind == "fcpxml" else "a text EDL"
        raise ParseError(f"binary data, not {what}", source=str(path),
                         value=f"a NUL byte at offset {data.index(0)}",
                         valid="a text file with no NUL bytes")
    # Avid and Premiere write Windows-1252/Latin-1
    return decode_text(data, source=str(path), fallback="latin-1")


def _read_edl(path: Path, rate: Rate | str | None) -> Cut:
    if rate is None:
        raise InputError("an EDL does not state its frame rate: pass it with --fps",
                         source=str(path), field="rate", valid=", ".join(RATES))
    rate = get_rate(rate)
    text = _read_text(path)
    drop = _FCM_DF.search(text)
    if drop and rate.nominal not in (30, 60):
        # drop frame exists only at 29.97 and 59.94: the EDL is not of this project's rate
        raise ValidationError("the EDL says FCM: DROP FRAME, which only a 29.97 or 59.94 "
                              f"fps cut has; this project is {rate.name} fps",
                              source=str(path), line=text.count("\n", 0, drop.start()) + 1,
                              field="FCM", value=drop.group(0).strip(),
                              valid=f"FCM: NON-DROP FRAME (or no FCM line) at {rate.name} fps")
    if drop and not rate.drop_frame:
        rate = get_rate(f"{rate.name}df")
    lines = scan_edl(text, rate, path)
    if not lines:
        raise ParseError("no event lines (NNN REEL TRACK C SRC-IN SRC-OUT REC-IN REC-OUT)",
                         source=str(path), valid="a CMX 3600 EDL")
    prepared, lines = prepare_edl(text, lines, rate, path)
    import opentimelineio as otio

    try:
        timeline = otio.adapters.read_from_string(
            prepared, adapter_name="cmx_3600", rate=float(rate.fps))
    except FilmscoreError:
        raise
    except AttributeError as exc:  # the adapter's own bug, not a message about the file
        raise ParseError("an event line the cmx_3600 adapter cannot pair with its "
                         "transition line", source=str(path), value=_one_line(exc),
                         valid="a CMX 3600 EDL whose transition lines repeat the event "
                               "number of the line before them") from None
    except Exception as exc:  # OTIO raises EDLParseError, ValueError, IndexError...
        raise ParseError(f"cmx_3600 adapter refused it: {_one_line(exc)}", source=str(path),
                         valid="a CMX 3600 EDL") from None
    name = timeline.name or path.stem
    cut = _cut_from_timeline(timeline, rate, path, "edl", name, lines)
    warning = unreadable_sources(lines, rate, path)
    return replace(cut, warnings=(*cut.warnings, warning)) if warning else cut


def _read_otio_file(path: Path, rate: Rate | str | None) -> Cut:
    import opentimelineio as otio

    suffix = path.suffix.lower()
    kind = "otio" if suffix in OTIO_SUFFIXES else "fcp_xml"
    text = _otio_text(path, kind)
    try:
        if kind == "fcp_xml":
            result = otio.adapters.read_from_string(text, adapter_name="fcp_xml")
        else:
            result = otio.adapters.read_from_string(_otio_json_checked(text, path),
                                                    adapter_name="otio_json")
    except FilmscoreError:
        raise
    except Exception as exc:
        raise _adapter_error(exc, kind, path) from None
    timeline = _first_timeline(result, path)
    file_rate = _timeline_rate(timeline, path)
    if file_rate is None:
        if rate is None:
            raise InputError("the file states no frame rate: pass it with --fps",
                             source=str(path), field="rate", valid=", ".join(RATES))
        use = get_rate(rate)
    else:
        use = file_rate
        if kind == "fcp_xml" and _xml_says_drop_frame(text) and use.nominal in (30, 60):
            use = get_rate(f"{use.name}df")
        if rate is not None and get_rate(rate).fps != use.fps:
            asked = get_rate(rate).name
            raise InputError(f"the file states {use.name} fps, not {asked}", source=str(path),
                             field="rate", value=use.name,
                             valid=f"a cut at {asked} fps (or a project at {use.name})")
    source_kind = "fcp7xml" if kind == "fcp_xml" else kind  # the model's name for it
    try:
        return _cut_from_timeline(timeline, use, path, source_kind,
                                  timeline.name or path.stem, None)
    except FilmscoreError:
        raise
    except Exception as exc:  # OTIO computing a range of a clip the file left incomplete
        raise _adapter_error(exc, kind, path) from None


def _otio_text(path: Path, kind: str) -> str:
    """The text of an XML, .otio or .otioz file, read through the input gate (a regular
    file within its kind's limit) and, for OTIO JSON, held to a sane nesting depth before
    OpenTimelineIO's recursive reader sees it (100,000 levels crash it without a word)."""
    if kind == "fcp_xml":
        return _read_text(path, "fcpxml")
    data = read_input(path, "otio")
    if path.suffix.lower() == ".otioz":
        import zipfile

        from filmscore.inputs import unzip_bounded

        try:
            data = unzip_bounded(data, "content.otio", source=str(path), kind="otio")
        except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError) as exc:
            raise ParseError(f"not an .otioz bundle: {_one_line(exc)}", source=str(path),
                             valid="a zip holding content.otio") from None
    check_json_depth(data, source=str(path))
    return decode_text(data, source=str(path), valid="an OTIO JSON file (UTF-8)")


#: OpenTimelineIO's JSON reader (C++) kills the process, with no exception and no word,
#: on some files: text that is not JSON (an object left open), a clip whose schema version
#: is older than its fields ("Clip.1" holding Clip.2's media_references, which its upgrade
#: function reads as something else).  A file is therefore read first by a child process
#: of its own, which writes back what it read as OTIO's own JSON, and the parent reads
#: that; a crash of the child is a one-line error.  (OpenTimelineIO 0.18.1.)
_OTIO_CHILD = """
import json, sys
import opentimelineio as otio
text = sys.stdin.buffer.read().decode("utf-8")
try:
    out = otio.adapters.write_to_string(
        otio.adapters.read_from_string(text, adapter_name="otio_json"), "otio_json")
except Exception as exc:
    sys.stdout.write(json.dumps({"type": type(exc).__name__, "text": str(exc)}))
    sys.exit(3)
sys.stdout.write(out)
"""


class _ChildError(Exception):
    """An OpenTimelineIO exception raised in the reading child, by its type's name."""

    def __init__(self, type_name: str, text: str) -> None:
        super().__init__(text)
        self.type_name = type_name


def _otio_json_checked(text: str, path: Path) -> str:
    """``text`` as OpenTimelineIO writes it, once a child process has read it whole (see
    ``_OTIO_CHILD``); refused first when it is not JSON at all, at the line it breaks."""
    import json
    import sys

    from filmscore import children

    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not JSON ({exc.msg})", source=str(path), line=exc.lineno,
                         valid="an OTIO JSON file") from None
    done = children.run([sys.executable, "-c", _OTIO_CHILD], input=text.encode("utf-8"),
                        capture_output=True)
    if done.returncode == 3:
        said = json.loads(done.stdout)
        raise _ChildError(said["type"], said["text"])
    if done.returncode != 0:
        how = (f"signal {-done.returncode}" if done.returncode < 0
               else f"exit status {done.returncode}")
        raise ParseError(f"OpenTimelineIO crashed reading it ({how})", source=str(path),
                         valid="an OTIO file whose objects and schema versions agree, as "
                               "OpenTimelineIO writes them")
    return done.stdout.decode("utf-8")


def _adapter_error(exc: BaseException, kind: str, path: Path) -> ParseError:
    """OTIO's exception as a one-line ParseError saying what is wrong with the file.

    The adapters' own messages can be about their code, not the file: the fcp_xml adapter
    fails with "'ClipHandler' object has no attribute 'transaction_id'" on a clip item
    it cannot place, and a clip with neither a source range nor media gives
    CannotComputeAvailableRangeError; those are said in the file's terms here.
    """
    import opentimelineio as otio

    text = _one_line(exc)
    named = exc.type_name if isinstance(exc, _ChildError) else type(exc).__name__
    if isinstance(exc, AttributeError | KeyError | TypeError | IndexError) and kind == "fcp_xml":
        reason = ("a clip item the fcp_xml adapter cannot place (a missing or broken "
                  "<start>, <end>, <in>, <out> or <file> element)")
    elif (isinstance(exc, otio.exceptions.CannotComputeAvailableRangeError)
          or named == "CannotComputeAvailableRangeError"):
        reason = "a clip with neither a source range nor media of known length"
    elif isinstance(exc, OverflowError) or named == "OverflowError":
        reason = "a time too large for OpenTimelineIO"
    else:
        reason = f"{kind} adapter refused it: {text}"
    valid = ("an FCP7/Premiere XML (xmeml) with whole start, end, in and out on each clip"
             if kind == "fcp_xml" else "an OTIO file whose clips have source ranges")
    return ParseError(reason, source=str(path), value=None if text in reason else text,
                      valid=valid)


def _first_timeline(result, path: Path):
    import opentimelineio as otio

    if isinstance(result, otio.schema.Timeline):
        return result
    if isinstance(result, otio.schema.SerializableCollection):
        for item in result.find_children(descended_from_type=otio.schema.Timeline):
            return item
        for item in result:
            if isinstance(item, otio.schema.Timeline):
                return item
    raise ParseError("holds no timeline (sequence)", source=str(path),
                     valid="a file with one sequence")


def _timeline_rate(timeline, path: Path) -> Rate | None:
    candidates: list[float] = []
    if timeline.global_start_time is not None:
        candidates.append(timeline.global_start_time.rate)
    for track in timeline.tracks:
        for item in track:
            if hasattr(item, "source_range") and item.source_range is not None:
                candidates.append(item.source_range.duration.rate)
                break
    if not candidates:
        return None
    value = candidates[0]
    try:
        return get_rate(float(value), field="rate")
    except InputError as exc:
        raise exc.located(source=str(path)) from None


def _xml_says_drop_frame(text: str) -> bool:
    match = re.search(r"<displayformat>\s*(\w+)\s*</displayformat>", text)
    return bool(match and match.group(1).upper() == "DF")


def _cut_from_timeline(timeline, rate: Rate, path: Path, kind: str, name: str,
                       lines: list[EditLine] | None) -> Cut:
    import opentimelineio as otio

    fps = float(rate.fps)
    where = str(path)
    global_start = 0
    if timeline.global_start_time is not None:
        global_start = _frames(timeline.global_start_time, fps, where, "global start")
    per_track = lines_per_track(lines) if lines is not None else {}
    events: list[CutEvent] = []
    markers: list[CutMarker] = []
    counters: dict[str, int] = {}
    for track in timeline.tracks:
        track_name = _track_name(track, counters, kind)
        offset = global_start
        if track.source_range is not None:
            offset -= _frames(track.source_range.start_time, fps, where, "track start")
        clips = [c for c in track if isinstance(c, otio.schema.Clip)]
        scanned = per_track.get(track.name or "", [])
        use_scan = lines is not None and len(scanned) == len(clips)
        transition = None
        n = 0
        for item in track:
            if isinstance(item, otio.schema.Transition):
                transition = item
                continue
            if not isinstance(item, otio.schema.Clip):
                transition = None
                continue
            rng = track.range_of_child(item)
            rec_in = offset + _frames(rng.start_time, fps, where, f"record in of {item.name}")
            rec_out = rec_in + _frames(rng.duration, fps, where, f"duration of {item.name}")
            src = item.source_range or item.available_range()
            meta = item.metadata.get("cmx_3600", {}) if item.metadata else {}
            ev_kind, trans_frames = "cut", 0
            if transition is not None:
                ev_kind = _transition_kind(transition)
                trans_frames = _frames(transition.in_offset + transition.out_offset, fps,
                                       where, "transition")
            if use_scan:
                scan = scanned[n]
                index, reel = scan.event, scan.reel
                src_in, src_out = scan.source_in, scan.source_out
                if scan.transition != "C":
                    ev_kind = "wipe" if scan.transition.startswith("W") else (
                        "dissolve" if scan.transition == "D" else "key")
                    trans_frames = scan.transition_frames
            else:
                ours = item.metadata.get("filmscore", {}) if item.metadata else {}
                index = _meta_int(ours.get("index", n + 1), "event_number", where,
                                  f"metadata filmscore.index of {item.name}")
                reel = str(meta.get("reel") or _reel_of(item) or "AX")
                src_in = _frames(src.start_time, fps, where, f"source in of {item.name}")
                src_out = src_in + _frames(src.duration, fps, where,
                                           f"source duration of {item.name}")
                if "source_out" in ours:
                    src_out = _meta_int(ours["source_out"], "frame", where,
                                        f"metadata filmscore.source_out of {item.name}")
            events.append(CutEvent(index=index, clip_name=item.name or "", source_reel=reel,
                                   source_in=src_in, source_out=src_out, record_in=rec_in,
                                   record_out=rec_out, track=track_name, kind=ev_kind,
                                   transition_frames=trans_frames))
            for marker in item.markers:
                at = _frames(marker.marked_range.start_time, fps, where, "marker")
                if kind != "edl":  # OTIO clip markers are in the clip's source time
                    at = rec_in + at - _frames(src.start_time, fps, where, "source in")
                markers.append(_marker(marker, at, fps, where))
            transition = None
            n += 1
        for marker in track.markers:
            at = offset + _frames(marker.marked_range.start_time, fps, where, "marker")
            markers.append(_marker(marker, at, fps, where))
    for marker in timeline.tracks.markers:
        at = global_start + _frames(marker.marked_range.start_time, fps, where, "marker")
        markers.append(_marker(marker, at, fps, where))
    if not events:
        raise ParseError("holds no clips: an empty sequence", source=where,
                         valid="a cut with at least one clip")
    unique = {(m.frame, m.text, m.kind, m.end_frame): m for m in markers}
    return make_cut(name=name, rate=rate, events=events, markers=unique.values(),
                    source=str(path), source_kind=kind)


def _marker(marker, at: int, fps: float, where: str) -> CutMarker:
    meta = marker.metadata.get("filmscore", {}) if marker.metadata else {}
    length = _frames(marker.marked_range.duration, fps, where, "marker duration")
    text = marker.name or str(marker.color or "")  # an unnamed EDL locator: its colour
    if meta.get("text") is not None:
        text = str(meta["text"])
    return CutMarker(frame=at, text=text, kind=str(meta.get("kind", "marker")),
                     end_frame=at + length if length else None)


def _track_name(track, counters: dict[str, int], kind: str) -> str:
    prefix = "A" if str(track.kind) == "Audio" else "V"
    counters[prefix] = counters.get(prefix, 0) + 1
    if kind in ("edl", "otio") and track.name:
        return track.name
    return f"{prefix}{counters[prefix]}"


def _transition_kind(transition) -> str:
    label = f"{transition.transition_type} {transition.name}".lower()
    meta = transition.metadata.get("cmx_3600", {}) if transition.metadata else {}
    if "wipe" in label or str(meta.get("transition", "")).startswith("W"):
        return "wipe"
    if "dissolve" in label:
        return "dissolve"
    return "transition"


def _reel_of(item) -> str | None:
    ref = item.media_reference
    name = getattr(ref, "name", None) if ref is not None else None
    return name or None


def _frames(rt, fps: float, where: str, what: str) -> int:
    """An OTIO RationalTime as an exact integer frame count at ``fps``; refuses fractions,
    NaN, infinities and times beyond a day (an OTIO value of 1e300 is a float OTIO keeps,
    and an integer SQLite cannot)."""
    rate, raw = rt.rate, rt.value
    if not (math.isfinite(rate) and rate > 0):
        raise ParseError("no usable rate", source=where, field=what, value=repr(rate),
                         valid="a rate above 0 frames a second")
    check_finite(raw, source=where, field=what, what="time")
    value = raw if abs(rate - fps) < 1e-9 else raw * fps / rate
    # within a day either side of zero (a clip's source times may run from a negative
    # start), in seconds so that the bound is a day at any rate
    if not bound("seconds").holds(abs(raw / rate)):
        raise ValidationError("time beyond a day", source=where, field=what,
                              value=f"{raw:g} frames at {rate:g} fps",
                              valid=f"{bound('seconds').valid} either side of zero")
    whole = round(value)
    if abs(value - whole) > 1e-6:
        raise ParseError(f"{what} is not a whole number of frames at {fps:g} fps",
                         source=where, value=f"{rt.value}/{rt.rate:g}",
                         valid="times on frame boundaries")
    return int(whole)


def _meta_int(value, bound: str, where: str, what: str) -> int:
    """A whole number from an OTIO file's metadata, within ``bound`` (limits.BOUNDS)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ParseError(f"{what} is not a number", source=where, value=repr(value)[:40],
                         valid="a whole number")
    try:
        number = float(value) if isinstance(value, str) else value
    except ValueError:
        raise ParseError(f"{what} is not a number", source=where, value=value,
                         valid="a whole number") from None
    check(bound, number, source=where, field=what, what=what)
    if number != int(number):
        raise ParseError(f"{what} is not a whole number", source=where, value=repr(value),
                         valid="a whole number")
    return int(number)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


# --- writing ---------------------------------------------------------------------------


def to_timeline(cut: Cut, tracks: tuple[str, ...] | None = None):
    """The cut as an OpenTimelineIO Timeline starting at the cut's first record frame."""
    import opentimelineio as otio

    fps = float(cut.rate.fps)

    def rt(frames: int):
        return otio.opentime.RationalTime(frames, fps)

    timeline = otio.schema.Timeline(name=cut.name, global_start_time=rt(cut.start_frame))
    for name in tracks or cut.tracks:
        kind = otio.schema.TrackKind.Audio if name.startswith("A") else otio.schema.TrackKind.Video
        track = otio.schema.Track(name=name, kind=kind)
        position = cut.start_frame
        for event in cut.events_on(name):
            if event.kind == "gap":
                continue
            if event.record_in < position:
                raise InputError("events overlap on one track", source=cut.source,
                                 field=f"event {event.index}", value=str(event.record_in),
                                 valid=f"record in >= {position}")
            if event.record_in > position:
                track.append(otio.schema.Gap(duration=rt(event.record_in - position)))
            if event.kind in ("dissolve", "wipe", "transition") and len(track):
                ttype = (otio.schema.TransitionTypes.SMPTE_Dissolve if event.kind != "wipe"
                         else otio.schema.TransitionTypes.Custom)
                meta = {"cmx_3600": {"transition": "W001"}} if event.kind == "wipe" else {}
                track.append(otio.schema.Transition(
                    name=event.kind, transition_type=ttype, in_offset=rt(0),
                    out_offset=rt(event.transition_frames or 0), metadata=meta))
            clip = otio.schema.Clip(
                name=event.clip_name,
                source_range=otio.opentime.TimeRange(rt(event.source_in),
                                                     rt(event.duration_frames)),
                metadata={"cmx_3600": {"reel": event.source_reel},
                          "filmscore": {"index": event.index,
                                        "source_out": event.source_out}},
            )
            track.append(clip)
            position = event.record_out
        timeline.tracks.append(track)
    for marker in cut.markers:
        length = (marker.end_frame - marker.frame) if marker.end_frame is not None else 0
        timeline.tracks.markers.append(otio.schema.Marker(
            name=marker.text,
            marked_range=otio.opentime.TimeRange(rt(marker.frame - cut.start_frame), rt(length)),
            metadata={"filmscore": {"kind": marker.kind, "text": marker.text}}))
    return timeline


def write_otio(cut: Cut, path: str | Path) -> Path:
    """Write the whole cut (every track, markers) as an OpenTimelineIO file (.otio/.otioz)."""
    import opentimelineio as otio

    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            otio.adapters.write_to_file(to_timeline(cut), str(tmp))
    except FilmscoreError:
        raise
    except Exception as exc:
        raise ParseError(f"cannot write OTIO: {_one_line(exc)}", source=str(path)) from None
    return path


def write_edl(cut: Cut, path: str | Path) -> Path:
    """Write the first video track as a CMX 3600 EDL with absolute record timecodes.

    Locators inside a clip's record span are written as ``* LOC:`` comments.  Audio
    tracks, markers outside the events and effects are not written.
    """
    import opentimelineio as otio

    path = Path(path)
    video = [t for t in cut.tracks if t.startswith("V")]
    if not video:
        raise InputError("an EDL needs a video track; this cut has none", source=cut.source,
                         value=", ".join(cut.tracks), valid="a cut with a V track")
    timeline = to_timeline(cut, tracks=(video[0],))
    # locators go on the clip they fall in; the cmx writer prints their value as record TC
    track = timeline.tracks[0]
    clips = [c for c in track if isinstance(c, otio.schema.Clip)]
    events = [e for e in cut.events_on(video[0]) if e.kind != "gap"]
    fps = float(cut.rate.fps)
    for marker in cut.markers:
        for clip, event in zip(clips, events, strict=True):
            if event.record_in <= marker.frame < event.record_out:
                clip.markers.append(otio.schema.Marker(
                    name=marker.text, marked_range=otio.opentime.TimeRange(
                        otio.opentime.RationalTime(marker.frame, fps),
                        otio.opentime.RationalTime(0, fps))))
                break
    try:
        text = otio.adapters.write_to_string(timeline, adapter_name="cmx_3600",
                                             rate=fps, reelname_len=None)
    except Exception as exc:
        raise ParseError(f"cmx_3600 adapter cannot write it: {_one_line(exc)}",
                         source=str(path)) from None
    return write_atomic(path, _absolute_record_times(text, cut))


def _absolute_record_times(text: str, cut: Cut) -> str:
    """Shift the writer's record timecodes (which start at 00:00:00:00) to the cut's start."""
    shift = cut.start_frame
    if not shift:
        return text
    out = []
    for row in text.splitlines():
        if is_digits(row[:1]):
            spans = list(re.finditer(_TC, row))
            if len(spans) == 4:
                for m in reversed(spans[2:]):
                    frame = parse_label(_norm_sep(m.group(0), cut.rate), cut.rate) + shift
                    row = row[:m.start()] + format_label(frame, cut.rate) + row[m.end():]
        out.append(row)
    return "\n".join(out) + "\n"


def _norm_sep(label: str, rate: Rate) -> str:
    if rate.drop_frame:
        return label[:-3] + ";" + label[-2:]
    return label.replace(";", ":")
