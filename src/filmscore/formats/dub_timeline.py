"""The delivery's music timeline for the dub: OpenTimelineIO (.otio), AAF (through the
otio-aaf-adapter and pyaaf2, which Pro Tools imports) and CMX 3600 EDL, all written from
one OTIO timeline built over a :class:`~filmscore.mixing.timeline.Delivery`.

The .otio and .aaf timelines count in samples (rate = the sample rate, 48000): a track
per stem and one for the mix, named by their codes (``STR`` ... ``MIX``), each clip a
delivered file (its name without ``.wav``) at its exact first sample from 00:00:00:00
(``global_start_time`` 0, a gap up to the first clip), with an ``ExternalReference`` to
the file by its name relative to the delivery folder and the whole file as its range
(the file is the use as heard, so the source range is the file from its sample 0).
Where two uses overlap (a segue) the second goes on a second track of that stem
(``STR B``): a checkerboard, as a music editor lays segues out; the crossfade is printed
in the files, so the tracks play as they lie.  Each clip's metadata keeps the cue, use,
stem and mix (``metadata["filmscore"]``) and the AAF MobID the adapter needs
(``metadata["AAF"]["MobID"]``: one per delivered file, new on every delivery).

The EDL holds one track (the mix, and a second EDL ``music_MIX_B.edl`` for the segues'
second track) at the picture rate: OpenTimelineIO's cmx_3600 writer writes a single
video track only, so the track is handed to it as video and its events' channel is
rewritten to ``AA`` (audio 1 and 2) afterwards, and its timecodes to our own labels at
the project rate with an ``FCM`` line (the writer takes every 29.97 for drop-frame).
Record and source timecodes are the frames at the project rate where the file is heard,
the in rounded down to the frame the first sample falls in and the out up (an EDL has no
samples: what it loses); the source timecode is the record timecode (the file's
TimeReference).  The AAF's composition has a sound slot per track, named as the track
(OTIO's AAF reader does not give the names back; pyaaf2 shows them).  Lost everywhere:
the fades as edits (they are printed in the files instead).
"""

from __future__ import annotations

import re
from pathlib import Path

from filmscore.errors import ToolError
from filmscore.fileio import atomic_path, write_atomic
from filmscore.mixing.timeline import DeliveredFile, Delivery
from filmscore.mixing.vocabulary import MIX_CODE, STEMS

LETTERS = " BCDEFGH"


def _tracks(delivery: Delivery) -> list[tuple[str, list[DeliveredFile]]]:
    """(track name, its files) in dub order, segues checkerboarded onto further tracks."""
    order = [s.code for s in STEMS] + [MIX_CODE]
    codes = sorted({f.code for f in delivery.files},
                   key=lambda c: (order.index(c) if c in order else len(order), c))
    out = []
    for code in codes:
        lanes: list[list[DeliveredFile]] = []
        for f in sorted((f for f in delivery.files if f.code == code),
                        key=lambda f: (f.start_sample, f.cue, f.use)):
            for lane in lanes:
                last = lane[-1]
                if last.start_sample + last.frames <= f.start_sample:
                    lane.append(f)
                    break
            else:
                lanes.append([f])
        for i, lane in enumerate(lanes):
            out.append((code if i == 0 else f"{code} {LETTERS[i]}", lane))
    return out


def dub_timeline(delivery: Delivery):
    """The music timeline as an ``opentimelineio.schema.Timeline`` in samples."""
    import aaf2
    import opentimelineio as otio

    rt, tr = otio.opentime.RationalTime, otio.opentime.TimeRange
    sr = delivery.sample_rate
    timeline = otio.schema.Timeline(name=f"{delivery.title} music")
    timeline.global_start_time = rt(0, sr)
    timeline.metadata["filmscore"] = {"rate": delivery.rate.name, "sample_rate": sr,
                                      "layout": delivery.layout}
    mobs: dict[str, str] = {}
    for name, files in _tracks(delivery):
        track = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Audio)
        at = 0
        for f in files:
            if f.start_sample > at:
                track.append(otio.schema.Gap(source_range=tr(rt(0, sr),
                                                             rt(f.start_sample - at, sr))))
            whole = tr(rt(0, sr), rt(f.frames, sr))
            reference = otio.schema.ExternalReference(target_url=f.name,
                                                      available_range=whole)
            mob = mobs.setdefault(f.name, str(aaf2.mobid.MobID.new()))
            track.append(otio.schema.Clip(
                name=f.name[:-4], media_reference=reference, source_range=whole,
                metadata={"filmscore": {"cue": f.cue, "use": f.use, "stem": f.stem,
                                        "mix": f.mix, "start_sample": f.start_sample,
                                        "channels": f.channels, "layout": f.layout},
                          "AAF": {"MobID": mob}}))
            at = f.start_sample + f.frames
        timeline.tracks.append(track)
    return timeline


def write_dub_otio(timeline, path: str | Path) -> Path:
    """Write the timeline as .otio (atomically)."""
    import opentimelineio as otio

    return write_atomic(Path(path), otio.adapters.write_to_string(timeline, "otio_json"))


def write_dub_aaf(timeline, path: str | Path) -> Path:
    """Write the timeline as AAF through the otio-aaf-adapter (atomically)."""
    import opentimelineio as otio

    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            tmp.unlink()  # pyaaf2 makes the file itself
            otio.adapters.write_to_file(timeline, str(tmp), adapter_name="AAF")
    except (OSError, ValueError, RuntimeError, AttributeError, KeyError) as exc:
        raise ToolError(f"the AAF adapter could not write {path}: {exc}") from None
    return path


_EVENT = re.compile(r"^(\d{3,}\s+\S+\s+)V(\s+)", re.M)
_TIMES = re.compile(r"^(\d{3,}\s.*?)(\d\d:\d\d:\d\d[:;]\d\d(?:\s+\d\d:\d\d:\d\d[:;]\d\d){3})"
                    r"\s*$", re.M)


def _labels(text: str, spans: list[tuple[int, int]], rate) -> str:
    """The events' four timecodes as our own labels at the project's rate (OTIO's writer
    takes every 29.97 for drop-frame), and the FCM line saying which."""
    from filmscore.timecode import format_label

    events = iter(spans)

    def event(match: re.Match) -> str:
        first, last = next(events)
        labels = [format_label(first, rate), format_label(last, rate)] * 2
        return match.group(1) + " ".join(labels)

    text = _TIMES.sub(event, text)
    fcm = "FCM: DROP FRAME" if rate.drop_frame else "FCM: NON-DROP FRAME"
    head, _sep, rest = text.partition("\n")
    return f"{head}\n{fcm}\n{rest}"


def write_dub_edls(delivery: Delivery, folder: str | Path) -> list[Path]:
    """Write the mix track(s) as CMX 3600 EDLs at the picture rate: ``music_MIX.edl``
    and, for segues, ``music_MIX_B.edl`` (atomically); the paths written."""
    import opentimelineio as otio

    rt, tr = otio.opentime.RationalTime, otio.opentime.TimeRange
    fps = float(delivery.rate.fps)
    written = []
    for name, files in _tracks(delivery):
        if not name.startswith(MIX_CODE):
            continue
        timeline = otio.schema.Timeline(name=f"{delivery.title} music {name}")
        track = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Video)
        at = 0
        spans: list[tuple[int, int]] = []
        for f in files:
            start = max(f.record_in, at)
            if start > at:
                track.append(otio.schema.Gap(source_range=tr(rt(0, fps), rt(start - at, fps))))
            length = f.record_out - start
            spans.append((start, start + length))
            source = tr(rt(start, fps), rt(length, fps))
            track.append(otio.schema.Clip(
                name=f.name[:-4], source_range=source,
                media_reference=otio.schema.ExternalReference(target_url=f.name,
                                                              available_range=source)))
            at = start + length
        timeline.tracks.append(track)
        text = otio.adapters.write_to_string(timeline, adapter_name="cmx_3600", rate=fps,
                                             reelname_len=None)
        text = _EVENT.sub(lambda m: f"{m.group(1)}AA{m.group(2)[1:]}", text)
        text = _labels(text, spans, delivery.rate)
        suffix = "" if name == MIX_CODE else "_" + name.split()[-1]
        written.append(write_atomic(Path(folder) / f"music_{MIX_CODE}{suffix}.edl", text))
    return written
