"""Picture files through ffprobe/ffmpeg: probe, shot changes, a file as a Cut, and concat.

What it loses as a cut: a video file is one event covering the whole file (shot
changes are markers of kind "shot", not events); audio and subtitle streams are ignored.
Frames are counted exactly (packets of the first video stream) and times are integer
frames from pts and time_base, never float seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmscore import children
from filmscore.errors import InputError, ParseError, ToolError
from filmscore.fileio import atomic_path
from filmscore.inputs import check_input
from filmscore.limits import check, is_digits
from filmscore.spotting.cut import Cut, CutEvent, CutMarker, make_cut
from filmscore.timecode import Rate, format_label, get_rate, parse_label


@dataclass(frozen=True)
class VideoInfo:
    """What ffprobe says about a picture file, in exact units."""

    path: str
    rate: Rate
    duration_frames: int
    start_frame: int
    width: int
    height: int
    codec: str
    #: the first frame's timestamp in seconds (exact: start_pts x time_base); not always 0,
    #: e.g. a stream placed after the container's start (audio priming, an offset)
    start_seconds: Fraction = Fraction(0)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ToolError(f"{name} is not installed or not on PATH (install ffmpeg)")
    return found


def _run(args: list[str], path: Path) -> subprocess.CompletedProcess:
    try:
        # a corrupted file makes ffmpeg print its garbage bytes: not UTF-8, so decode
        # with replacement rather than fail in the decoding
        return children.run(args, capture_output=True, text=True, encoding="utf-8",
                            errors="replace", check=False)
    except OSError as exc:
        raise ToolError(f"cannot run {args[0]}: {exc}") from None


def _ffprobe(path: Path) -> dict:
    if not path.exists():
        raise ParseError("no such file", source=str(path))
    check_input(path, "video")  # a regular file: a FIFO or /dev/zero would never end
    proc = _run([_tool("ffprobe"), "-v", "error", "-count_packets", "-select_streams", "v:0",
                 "-show_streams", "-show_format", "-of", "json", str(path)], path)
    if proc.returncode != 0:
        # "[mov,mp4,... @ 0x55...] moov atom not found x.mov: Invalid data ..." -> the words
        reason = re.sub(r"\[[^\]]* @ 0x[0-9a-f]+\]\s*", "", proc.stderr).replace(f"{path}:", "")
        reason = " ".join(reason.split())[-200:] or "ffprobe failed"
        raise ParseError(f"not a video file ffprobe can read: {reason}", source=str(path),
                         valid="a video file (.mkv .mov .mp4 .mxf .webm .avi)")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise ToolError(f"ffprobe gave no JSON for {path}") from None


def comment_of(path: str | Path) -> str:
    """The file's comment tag ("" when it has none, or is no video ffprobe can read)."""
    path = Path(path)
    if not path.is_file():
        return ""
    proc = _run([_tool("ffprobe"), "-v", "error", "-show_entries", "format_tags=comment",
                 "-of", "default=noprint_wrappers=1:nokey=1", str(path)], path)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def probe(path: str | Path) -> VideoInfo:
    """Rate, exact frame count, start timecode (as a frame), size and codec of a video file."""
    path = Path(path)
    data = _ffprobe(path)
    streams = data.get("streams") or []
    if not streams:
        raise ParseError("has no video stream", source=str(path), valid="a video file")
    stream = streams[0]
    fps = _fps(stream, path)
    try:
        rate = get_rate(fps, field="frame rate")
    except InputError as exc:
        raise exc.located(source=str(path)) from None
    frames = _frame_count(stream)
    timecode = (stream.get("tags") or {}).get("timecode") or \
        (data.get("format", {}).get("tags") or {}).get("timecode")
    start = 0
    if timecode:
        if ";" in timecode and rate.nominal in (30, 60):
            rate = get_rate(f"{rate.name}df")
        try:
            start = parse_label(timecode, rate, field="timecode tag")
        except InputError as exc:
            raise exc.located(source=str(path)) from None
    return VideoInfo(path=str(path), rate=rate, duration_frames=frames, start_frame=start,
                     width=int(stream.get("width") or 0), height=int(stream.get("height") or 0),
                     codec=str(stream.get("codec_name") or ""), start_seconds=_start(stream))


def _start(stream: dict) -> Fraction:
    """The stream's first timestamp in seconds, 0 when ffprobe gives none."""
    try:
        return Fraction(int(stream["start_pts"])) * Fraction(str(stream["time_base"]))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return Fraction(0)


def _fps(stream: dict, path: Path) -> Fraction:
    for key in ("r_frame_rate", "avg_frame_rate"):
        text = stream.get(key) or "0/0"
        num, _, den = text.partition("/")
        if is_digits(num) and is_digits(den) and int(den) and int(num):
            return Fraction(int(num), int(den))
    raise ParseError("no frame rate in the video stream", source=str(path),
                     value=stream.get("r_frame_rate"), valid="a constant frame rate")


def _frame_count(stream: dict) -> int:
    for key in ("nb_frames", "nb_read_packets"):
        value = stream.get(key)
        if value and is_digits(str(value)) and int(value) > 0:
            return int(value)
    return 0


#: x264 settings of every picture we render (a reel assembled from its parts, a re-cut,
#: streamers): a reference picture to play to, not a master.  ``superfast`` rather than
#: ``veryfast``: 1.5x faster to encode here, files about 1.5x as large (the demo's reel
#: 46 MB against 31 MB), the same look at one CRF (docs/notes.md)
X264_PRESET = "superfast"
X264_CRF = 20

_SHOWINFO = re.compile(r"\bn:\s*\d+\s+pts:\s*(-?\d+)\s+pts_time:")
_TIME_BASE = re.compile(r"config in time_base:\s*(\d+)/(\d+)")


def detect_shots(path: str | Path, threshold: float = 0.3,
                 info: VideoInfo | None = None) -> list[CutMarker]:
    """Shot changes found by ffmpeg's scene score, as markers of kind "shot".

    The frame of each change is exact: pts * time_base * rate, rounded to the nearest
    frame, counted from the file's first frame (add ``probe(path).start_frame`` for TC).
    ``info`` is the file's ``probe`` result when the caller has it (probing reads the
    whole file to count frames, so it is worth not doing twice).
    """
    path = Path(path)
    if not 0 < threshold < 1:
        raise InputError("scene threshold out of range", field="threshold",
                         value=str(threshold), valid="between 0 and 1, e.g. 0.3")
    info = info or probe(path)
    proc = _run([_tool("ffmpeg"), "-hide_banner", "-nostats", "-i", str(path), "-map", "0:v:0",
                 "-vf", f"select='gt(scene,{threshold})',showinfo", "-an", "-f", "null", "-"],
                path)
    if proc.returncode != 0:
        raise ToolError(f"ffmpeg scene detection failed on {path}: "
                        f"{' '.join(proc.stderr.split())[-200:]}")
    base = _TIME_BASE.search(proc.stderr)
    if not base:
        raise ToolError(f"ffmpeg showinfo printed no time base for {path}")
    time_base = Fraction(int(base.group(1)), int(base.group(2)))
    markers = []
    for match in _SHOWINFO.finditer(proc.stderr):
        seconds = int(match.group(1)) * time_base
        frame = round(seconds * info.rate.fps)
        markers.append(CutMarker(frame=frame, text="shot change", kind="shot"))
    return markers


def read_cut(path: str | Path, rate: Rate | str | None = None,
             threshold: float = 0.3, shots: bool = True) -> Cut:
    """A video file as a Cut: one event over the whole file, shot changes as markers."""
    path = Path(path)
    info = probe(path)
    if rate is not None and get_rate(rate).fps != info.rate.fps:
        asked = get_rate(rate).name
        raise InputError(f"the file runs at {info.rate.name} fps, not {asked}",
                         source=str(path), field="rate", value=info.rate.name,
                         valid=f"a video at {asked} fps (or a project at {info.rate.name})")
    use = info.rate if rate is None else get_rate(rate)
    # a file truncated to one frame (or none ffprobe could count) is no picture to spot
    check("picture_frames", info.duration_frames, source=str(path), field="frames",
          what="the video's length in frames")
    start = info.start_frame
    event = CutEvent(index=1, clip_name=path.name, source_reel=path.stem, source_in=start,
                     source_out=start + info.duration_frames, record_in=start,
                     record_out=start + info.duration_frames)
    shots = [CutMarker(frame=start + m.frame, text=m.text, kind="shot")
             for m in (detect_shots(path, threshold, info) if shots else [])]
    return make_cut(name=path.stem, rate=use, events=[event], markers=shots,
                    source=str(path), source_kind="video")


def concat(paths: list[str | Path], out_path: str | Path, *,
           size: tuple[int, int] | None = None, timecode: str | None = None) -> list[int]:
    """Join clips of one rate into ``out_path``; returns each input's frame count.

    Stream copy through the concat demuxer when codecs and sizes match and no ``size`` is
    asked for; otherwise a re-encode (H.264) with every clip scaled to ``size`` (default:
    the first clip's size), e.g. to assemble a reel from parts a pixel apart.
    ``timecode`` ('01:00:00:00') is written as the output's start timecode (MOV/MP4).
    The output is written to a temporary name and renamed.
    """
    if not paths:
        raise InputError("nothing to join", field="paths", valid="one or more video files")
    infos = [probe(p) for p in paths]
    first = infos[0]
    for info in infos[1:]:
        if info.rate.fps != first.rate.fps:
            raise InputError("clips differ in frame rate", source=info.path,
                             value=info.rate.name, valid=first.rate.name)
    out = Path(out_path)
    sizes = {(i.width, i.height) for i in infos}
    copyable = size is None and len(sizes) == 1 and all(i.codec == first.codec for i in infos)
    width, height = size or (first.width, first.height)
    tc = ["-timecode", timecode] if timecode else []
    fd, name = children.make_scratch_file(suffix=".txt")
    with open(fd, "w") as listing:
        for p in paths:
            escaped = str(Path(p).resolve()).replace("'", "'\\''")
            listing.write(f"file '{escaped}'\n")
    try:
        with atomic_path(out) as tmp:
            _join(paths, tmp, name, copyable=copyable, tc=tc, size=(width, height),
                  rate=first.rate, out=out)
    finally:
        Path(name).unlink(missing_ok=True)
    return [i.duration_frames for i in infos]


def _join(paths, tmp: Path, listing: str, *, copyable: bool, tc: list[str],
          size: tuple[int, int], rate: Rate, out: Path) -> None:
    """Stream-copy through the concat demuxer when possible, else re-encode scaled clips."""
    proc = None
    if copyable:
        proc = _run([_tool("ffmpeg"), "-v", "error", "-y", "-f", "concat", "-safe", "0",
                     "-i", listing, "-map", "0:v:0", "-c", "copy", *tc, str(tmp)], out)
    if proc is None or proc.returncode != 0:
        width, height = size
        inputs: list[str] = []
        chains = []
        for n, p in enumerate(paths):
            inputs += ["-i", str(p)]
            chains.append(f"[{n}:v:0]scale={width}:{height},setsar=1,format=yuv420p[v{n}]")
        joined = "".join(f"[v{n}]" for n in range(len(paths)))
        graph = ";".join(chains) + f";{joined}concat=n={len(paths)}:v=1:a=0[out]"
        proc = _run([_tool("ffmpeg"), "-v", "error", "-y", *inputs,
                     "-filter_complex", graph, "-map", "[out]", "-c:v", "libx264",
                     "-preset", X264_PRESET, "-crf", str(X264_CRF),
                     "-r", f"{rate.fps.numerator}/{rate.fps.denominator}", *tc, str(tmp)], out)
    if proc.returncode != 0:
        raise ToolError(f"ffmpeg could not join the clips into {out}: "
                        f"{' '.join(proc.stderr.split())[-200:]}")


def assemble(segments: list[tuple[str | Path, int, int]], out_path: str | Path, *,
             size: tuple[int, int], timecode: str | None = None) -> int:
    """A cut rendered from its sources: each ``(file, first, end)`` the file's frames
    ``first`` to ``end`` (exclusive, file frame indexes, frame-exact with ``trim``), scaled
    to ``size`` and joined in order (H.264); returns the frame count.  The output is
    written to a temporary name and renamed.  (A re-cut picture for the conform: the
    editor's own render is what a film delivers; this stands in for it.)"""
    if not segments:
        raise InputError("nothing to assemble", field="segments",
                         valid="one or more (file, first frame, end frame)")
    sources = list(dict.fromkeys(Path(p) for p, _, _ in segments))
    infos = {p: probe(p) for p in sources}
    rate = infos[sources[0]].rate
    for path, first, end in segments:
        info = infos[Path(path)]
        if info.rate.fps != rate.fps:
            raise InputError("clips differ in frame rate", source=str(path),
                             value=info.rate.name, valid=rate.name)
        if not 0 <= first < end <= info.duration_frames:
            raise InputError("frames outside the video", source=str(path), field="frames",
                             value=f"{first}-{end}",
                             valid=f"within 0 to {info.duration_frames} frames")
    width, height = size
    inputs: list[str] = []
    for p in sources:
        inputs += ["-i", str(p)]
    chains = []
    for n, (path, first, end) in enumerate(segments):
        k = sources.index(Path(path))
        chains.append(f"[{k}:v:0]trim=start_frame={first}:end_frame={end},"
                      f"setpts=PTS-STARTPTS,scale={width}:{height},setsar=1,"
                      f"format=yuv420p[v{n}]")
    joined = "".join(f"[v{n}]" for n in range(len(segments)))
    graph = ";".join(chains) + f";{joined}concat=n={len(segments)}:v=1:a=0[out]"
    tc = ["-timecode", timecode] if timecode else []
    out = Path(out_path)
    with atomic_path(out) as tmp:
        proc = _run([_tool("ffmpeg"), "-v", "error", "-y", *inputs,
                     "-filter_complex", graph, "-map", "[out]", "-c:v", "libx264",
                     "-preset", X264_PRESET, "-crf", str(X264_CRF),
                     "-r", f"{rate.fps.numerator}/{rate.fps.denominator}", *tc, str(tmp)],
                    out)
        if proc.returncode != 0:
            raise ToolError(f"ffmpeg could not assemble {out}: "
                            f"{' '.join(proc.stderr.split())[-200:]}")
    return sum(end - first for _, first, end in segments)


def extract(path: str | Path, first: int, count: int, out_path: str | Path, *,
            crf: int = 16) -> Path:
    """Frames ``first`` to ``first + count`` (file frame indexes) of a video into a new file,
    frame-exact (the ``trim`` filter counts decoded frames; no keyframe seeking).

    Encoded as H.264 at a high quality, for drawing on afterwards.
    """
    path, out = Path(path), Path(out_path)
    info = probe(path)
    if first < 0 or count < 1 or first + count > info.duration_frames:
        raise InputError("frames outside the video", source=str(path), field="frames",
                         value=f"{first}+{count}",
                         valid=f"within 0 to {info.duration_frames} frames")
    fps = info.rate.fps
    # seek to a second before the part wanted (fast), then trim exactly from there
    lead = max(0, first - 2 * int(fps))
    seek = ["-ss", f"{float(Fraction(lead) / fps):.6f}"] if lead else []
    vf = (f"trim=start_frame={first - lead}:end_frame={first - lead + count},"
          "setpts=PTS-STARTPTS")
    label = format_label(info.start_frame + first, info.rate)
    with atomic_path(out) as tmp:
        proc = _run([_tool("ffmpeg"), "-v", "error", "-y", *seek, "-i", str(path),
                     "-map", "0:v:0", "-vf", vf, "-c:v", "libx264", "-preset", "veryfast",
                     "-crf", str(crf), "-pix_fmt", "yuv420p", "-map_metadata", "-1",
                     "-timecode", label,
                     "-r", f"{fps.numerator}/{fps.denominator}", str(tmp)], path)
        if proc.returncode != 0:
            raise ToolError(f"ffmpeg could not cut frames {first}+{count} from {path}: "
                            f"{' '.join(proc.stderr.split())[-200:]}")
    return out
