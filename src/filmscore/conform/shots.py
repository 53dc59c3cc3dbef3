"""The shots of a cut as the compare sees them (pure): each picture event with its
identity (reel or clip name, a VFX version suffix taken off), its source in and record
range, through-edits healed, and a cut at another rate converted by timecode seconds.

Identity: the source reel names the material a source timecode counts in, so it is the
shot's name; when the reel says nothing (``AX``, ``AUX`` or empty: Premiere, Resolve) the
clip name is used.  A media suffix (``.mov``, ``.mxf``, ``.exr``...) is dropped, then a
VFX version (``SH010_comp_v11``: ``conform.vocabulary.VFX_VERSION_PATTERN``), and the
rest compared without regard to case.  Black (``BL``, ``BLK``, ``BLACK``) has no
identity: it never matches.

Source range: the frame showing at record ``r`` is ``source_in + (r - record_in)``.  An
event whose source and record lengths differ (a speed change without an M2 line, or an
EDL edited by hand) is compared the same way, by its source in and its record length,
and named in a warning: the record side is what the picture shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from filmscore.conform.vocabulary import VFX_VERSION_PATTERN
from filmscore.spotting.cut import Cut, CutEvent
from filmscore.timecode import Rate, format_label, parse_label

_VFX = re.compile(VFX_VERSION_PATTERN, re.IGNORECASE)
_MEDIA_SUFFIX = re.compile(
    r"\.(mov|mxf|mp4|m4v|avi|mkv|r3d|ari|arx|braw|crm|mts|dng|dpx|exr|tif|tiff|jpg|jpeg|"
    r"png|cine|wav|aif|aiff)$", re.IGNORECASE)
#: reels that name no material: the clip name is the shot's name then
_AUX_REELS = frozenset({"", "AX", "AUX"})
#: black and filler: never the same shot as anything
_BLACK = frozenset({"BL", "BLK", "BLACK"})


def split_version(name: str) -> tuple[str, int | None]:
    """``("SH010_comp", 11)`` for ``"SH010_comp_v11.exr"``; ``(name, None)`` when there is
    no version suffix (the media suffix is dropped either way)."""
    bare = _MEDIA_SUFFIX.sub("", name.strip())
    match = _VFX.match(bare)
    if match is None:
        return bare, None
    return match.group("shot"), int(match.group("version"))


@dataclass(frozen=True)
class Shot:
    """One picture event of a cut (through-edits healed into one) as the compare sees it:
    record frames ``[rec_in, rec_out)`` show source frames ``src_in`` on."""

    index: int  # the (first) event number
    clip: str  # the clip name without media suffix or VFX version
    reel: str
    key: str | None  # identity (None: black, never matched)
    version: int | None  # the VFX version, when the name has one
    src_in: int
    rec_in: int
    rec_out: int
    events: tuple[int, ...] = ()  # every event number healed into it

    @property
    def length(self) -> int:
        return self.rec_out - self.rec_in

    @property
    def src_out(self) -> int:
        return self.src_in + self.length


def identity(event: CutEvent) -> tuple[str | None, str, int | None]:
    """(key, shown clip name, VFX version) of an event."""
    reel = event.source_reel.strip()
    clip = event.clip_name.strip() or reel
    shown, clip_version = split_version(clip)
    if reel.upper() in _BLACK or clip.upper() in _BLACK:
        return None, shown or "black", None
    name = reel if reel.upper() not in _AUX_REELS else clip
    base, version = split_version(name)
    if not base:
        return None, shown, None
    return base.upper(), shown or base, version if version is not None else clip_version


def timecode_seconds(frame: int, rate: Rate) -> Fraction:
    """The seconds a frame's timecode label names (HH*3600 + MM*60 + SS + FF/nominal),
    days counted past 24 hours.  At a non-drop rate that is ``frame / nominal``; at a
    drop-frame rate the label's own reading."""
    days, rest = divmod(frame, rate.frames_per_day)
    label = format_label(rest, rate)
    h, m, s, f = (int(label[i:i + 2]) for i in (0, 3, 6, 9))
    return Fraction(days * 86400 + h * 3600 + m * 60 + s) + Fraction(f, rate.nominal)


def convert_frame(frame: int, source: Rate, target: Rate) -> int:
    """The frame at ``target`` whose timecode names the same time as ``frame`` at
    ``source`` (timecode seconds), rounded to the nearest frame, halves up; at a
    drop-frame target a dropped label becomes the first label of its minute."""
    seconds = timecode_seconds(frame, source)
    days, seconds = divmod(seconds, 86400)
    whole = int(seconds)
    ff = int((seconds - whole) * target.nominal + Fraction(1, 2))
    if ff >= target.nominal:
        whole, ff = whole + 1, ff - target.nominal
    if whole >= 86400:
        days, whole = days + 1, whole - 86400
    h, m, s = whole // 3600, (whole // 60) % 60, whole % 60
    if target.drop_frame and s == 0 and m % 10 and ff < target.drop_count:
        ff = target.drop_count
    label = f"{h:02d}:{m:02d}:{s:02d}{target.separator}{ff:02d}"
    return int(days) * target.frames_per_day + parse_label(label, target)


def shots_of(cut: Cut, *, side: str, warnings: list[str], name: str = "",
             convert_to: Rate | None = None) -> list[Shot]:
    """The cut's first picture track as shots in record order: gaps left out, events that
    overlap clipped (the later one wins), through-edits healed, and, with ``convert_to``,
    every in and out point converted to that rate by timecode seconds."""
    name = name or cut.name
    tracks = [t for t in cut.tracks if t.startswith("V")]
    if not tracks:
        return []
    if len(tracks) > 1:
        warnings.append(f"the {side} cut {name}: only its track {tracks[0]} is compared "
                        f"(not {', '.join(tracks[1:])})")
    events = [e for e in cut.events_on(tracks[0]) if e.kind != "gap"]
    raw: list[Shot] = []
    odd: list[str] = []
    for event in events:
        key, clip, version = identity(event)
        rec_in, rec_out, src_in = event.record_in, event.record_out, event.source_in
        if event.source_out - event.source_in != rec_out - rec_in:
            odd.append(f"{event.index} ({clip}: source {event.source_out - event.source_in}"
                       f", record {rec_out - rec_in})")
        if convert_to is not None:
            rec_in, rec_out, src_in = (convert_frame(f, cut.rate, convert_to)
                                       for f in (rec_in, rec_out, src_in))
        raw.append(Shot(event.index, clip, event.source_reel, key, version, src_in, rec_in,
                        rec_out, (event.index,)))
    if odd:
        warnings.append(f"the {side} cut {name}: the source and record lengths differ in "
                        f"event{'s' if len(odd) > 1 else ''} {'; '.join(odd)} (a speed change "
                        "or an EDL edited by hand): compared by source in and record length")
    raw.sort(key=lambda s: (s.rec_in, s.index))
    clipped: list[Shot] = []
    for shot in raw:
        if clipped and shot.rec_in < clipped[-1].rec_out:
            last = clipped.pop()
            warnings.append(f"the {side} cut {name}: event {last.index} overlaps event "
                            f"{shot.index}; the earlier is taken to end where the later "
                            "starts")
            if shot.rec_in > last.rec_in:
                clipped.append(_with(last, rec_out=shot.rec_in))
        if shot.length > 0:
            clipped.append(shot)
    return _heal(clipped)


def _with(shot: Shot, **changes) -> Shot:
    values = {**shot.__dict__, **changes}
    return Shot(**values)


def _heal(shots: list[Shot]) -> list[Shot]:
    """Through-edits joined: consecutive events of one shot whose record and source both
    continue unbroken are one shot."""
    out: list[Shot] = []
    for shot in shots:
        last = out[-1] if out else None
        if (last is not None and shot.key is not None and shot.key == last.key
                and shot.rec_in == last.rec_out and shot.src_in == last.src_out):
            out[-1] = _with(last, rec_out=shot.rec_out, events=(*last.events, shot.index))
        else:
            out.append(shot)
    return out
