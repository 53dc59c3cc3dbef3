"""Burn an overlay plan (streamers, punches, flutters, timecode, bar|beat, cue) into video.

One ffmpeg run over a generated filter script, which can also cut the plan's frames out
of a whole reel and pad them with black where the plan reaches past the picture (a cue
at the head of a reel: its count-in over black).  What it loses: the output is a new
H.264 (yuv420p) encode of the first video stream; audio is copied (re-encoded to AAC
only when the container will not take it) when the input is the plan's clip, and left
out when the plan is cut from a longer video; subtitle, data and timecode tracks are
dropped (the start timecode is written again with ``-timecode``).

Frame exactness, and why this technique: ``drawbox`` evaluates its x/y/w/h expressions
once when the graph is configured (in ffmpeg 5.1 they know no ``n`` or ``t``), so a
moving streamer is an ``overlay`` of a one-frame solid bar whose x is an expression
evaluated every frame.  We do not use ``n`` there: ``overlay``'s own ``n`` counts from 1
(the frame has been taken from the link when x is evaluated) while the timeline's ``n``
in ``enable`` counts from 0.  Instead the picture is renumbered first with
``settb=1/fps,setpts=N`` (pts = the frame's index in the clip, exactly), and every
expression uses ``F = round(t*fps)``: ``t`` is that pts in seconds, so ``F`` is the clip
frame index exactly whatever timestamps the input had.  Punches are ``overlay`` of a
circle PNG (written here, zlib+struct) and flutters ``drawbox`` bands, both switched by
``enable`` on ``F``.  All text, the timecode included, is one ASS file rendered by
libass, with one event per span whose start and end times sit halfway between frames
(rounded to ASS's centiseconds, at most 5 ms off), so each label is on exactly its
frames; the timecode labels are our own ``format_label`` (drop-frame included), not
drawtext's timecode counter.  Frames pass through one to one (``-fps_mode
passthrough``), so the output has the input's frame count and rate.
"""

from __future__ import annotations

import struct
import subprocess
import tempfile
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from filmscore import children
from filmscore.errors import ToolError, ValidationError
from filmscore.fileio import atomic_path
from filmscore.formats.video import X264_CRF, X264_PRESET, VideoInfo, _tool, probe
from filmscore.limits import is_digits
from filmscore.sync.streamers import COLORS, OverlayPlan, streamer_width
from filmscore.timecode import format_label

#: Frames per enable expression of one flutter drawbox (keeps each expression short).
FLUTTER_CHUNK = 64


def flutter_height(height: int) -> int:
    """Height in pixels of the flutter band across the top of the picture."""
    return max(4, height // 24)


def punch_diameter(width: int, height: int) -> int:
    """Diameter in pixels of the punch circle, centred in the picture (even, >= 8)."""
    return max(8, (min(width, height) // 4) & ~1)


def circle_png(diameter: int, rgb: tuple[int, int, int]) -> bytes:
    """A filled circle of ``rgb`` on transparent, as RGBA PNG bytes (no imaging library)."""
    r = diameter / 2
    ink, clear = bytes((*rgb, 255)), b"\x00\x00\x00\x00"
    rows = []
    for y in range(diameter):
        dy = y + 0.5 - r
        # a row of a circle is one run of ink: find where it starts (the pixel centre
        # inside the circle), mirror it for the end (x and diameter-1-x are symmetric)
        left = next((x for x in range(diameter) if (x + 0.5 - r) * (x + 0.5 - r) + dy * dy
                     <= r * r), diameter)
        inside = max(diameter - 2 * left, 0)
        rows.append(b"\x00" + clear * left + ink * inside  # b"\x00": PNG filter type none
                    + clear * (diameter - left - inside))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", diameter, diameter, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


# --- ASS text --------------------------------------------------------------------------


def _ass_time(index: int, fps: Fraction) -> str:
    """ASS time (centiseconds) halfway between clip frames ``index - 1`` and ``index``."""
    if index <= 0:
        return "0:00:00.00"
    cs = ((Fraction(2 * index - 1, 2) / fps) * 100 + Fraction(1, 2)).__floor__()
    s, c = divmod(cs, 100)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}.{c:02d}"


def _ass_text(text: str) -> str:
    return (text.replace("\\", "/").replace("{", "(").replace("}", ")")
            .replace("\r\n", "\n").replace("\n", "\\N"))


def _ass_colour(name: str) -> str:
    r, g, b = COLORS[name]
    return f"&H00{b:02X}{g:02X}{r:02X}"


def _text_metrics(width: int, height: int) -> tuple[int, int, int, int]:
    """Font size, top margin, side margin and box border of the burned-in text."""
    size = max(10, height // 14)
    return size, flutter_height(height) + max(2, height // 60), max(4, width // 60), \
        max(1, size // 8)


def ass_script(plan: OverlayPlan, width: int, height: int, *, labels: bool = True,
               timecode: bool = True) -> str:
    """The plan's text (timecode, bar|beat tracks, cue label) as an ASS script; without
    ``labels`` the cue label and bar|beat tracks are left out, without ``timecode`` the
    timecode.

    Events are in clip time (the clip's first frame is 0:00:00.00); each is shown on the
    frames of its span and no others (see the module docstring).
    """
    fps = plan.rate.fps
    size, top, side, box = _text_metrics(width, height)
    style = ("Style: {name},DejaVu Sans Mono,{size},{colour},&H000000FF,&H00000000,"
             "&H00000000,-1,0,0,0,100,100,0,0,3,{box},0,{align},{side},{side},{margin},1")
    lines = [
        "[Script Info]", "ScriptType: v4.00+", f"PlayResX: {width}", f"PlayResY: {height}",
        "WrapStyle: 2", "ScaledBorderAndShadow: yes", "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        style.format(name="TC", size=size, colour=_ass_colour("white"), box=box, align=2,
                     side=side, margin=max(2, height // 60)),
        style.format(name="Cue", size=size, colour=_ass_colour("white"), box=box, align=7,
                     side=side, margin=top),
        style.format(name="Beat", size=size, colour=_ass_colour("yellow"), box=box, align=9,
                     side=side, margin=top),
        "", "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]

    def event(first: int, stop: int, style_name: str, text: str, margin: int = 0) -> None:
        a, b = max(first - plan.first_frame, 0), min(stop, plan.end_frame) - plan.first_frame
        if a < b and text:
            lines.append(f"Dialogue: 0,{_ass_time(a, fps)},{_ass_time(b, fps)},{style_name},,"
                         f"0,0,{margin},,{_ass_text(text)}")

    if plan.cue_label and labels:
        event(plan.first_frame, plan.end_frame, "Cue", plan.cue_label)
    for n, track in enumerate(plan.texts if labels else ()):
        for first, stop, text in track.spans:
            # a second, third ... track stacks below the first, one line further down
            event(first, stop, "Beat", text, margin=top + n * (size + 2 * box + 2))
    if plan.show_timecode and timecode:
        for frame in range(plan.first_frame, plan.end_frame):
            event(frame, frame + 1, "TC", format_label(frame, plan.rate))
    return "\n".join(lines) + "\n"


def label_changes(plan: OverlayPlan) -> list[int]:
    """The clip frames where the cue label or a bar|beat text starts or ends (and 0): the
    only frames on which the labels' picture changes."""
    edges = {0}
    for track in plan.texts:
        for first, stop, _text in track.spans:
            edges.update((first - plan.first_frame, stop - plan.first_frame))
    return sorted(f for f in edges if 0 <= f < plan.frame_count)


def label_band(plan: OverlayPlan, width: int, height: int) -> int:
    """Height in pixels of the band at the top of the picture that holds the cue label and
    the bar|beat tracks (generous: a line is given twice the font size), even."""
    size, top, _side, box = _text_metrics(width, height)
    texts = [plan.cue_label, *(text for t in plan.texts for _a, _b, text in t.spans)]
    lines = max(text.count("\n") + 1 for text in texts)
    step = size + 2 * box + 2
    band = top + max(len(plan.texts) - 1, 0) * step + lines * 2 * size + 2 * box
    return min(height, band + band % 2)


# --- the filter graph ------------------------------------------------------------------


def filter_script(plan: OverlayPlan, width: int, height: int,
                  punch_files: dict[str, str], ass_file: str | None,
                  window: tuple[int, int, int, int] | None = None,
                  labels_file: str | None = None) -> str:
    """The ffmpeg filter graph for ``plan`` on a ``width`` x ``height`` picture.

    ``punch_files`` maps a colour to the input index (as '1', '2', ...) of its circle PNG.
    ``ass_file`` is drawn on every frame (the timecode); ``labels_file`` (the cue label
    and bar|beat tracks, which change a few times a bar) is drawn only on the frames where
    they change, onto a transparent band that is laid over the picture.  Drawing them on
    every frame cost more than the rest of the overlays together: libass's images are
    blended again on every frame, in plain C, even when nothing changed (0.2 s of CPU
    for 474 frames of 720x536), where ``overlay``'s blend of the band is SIMD.  The
    brightness is the same byte for byte; the colour of a box's edge pixel may be a few
    levels off (blended in two steps, the half-size alpha rounds differently).
    ``window`` (skip, count, lead, tail) takes the plan's picture out of a longer input:
    ``count`` frames after ``skip`` decoded ones, with ``lead`` black frames before them
    and ``tail`` after (the plan's frames beyond the video's ends).
    """
    fps = plan.rate.fps
    num, den = fps.numerator, fps.denominator
    frame_index = f"round(t*{num}/{den})"
    first = plan.first_frame
    head = ""
    if window is not None:
        skip, count, lead, tail = window
        trim = f"start_frame={skip}:end_frame={skip + count}" if skip else f"end_frame={count}"
        head = (f"trim={trim},setpts=PTS-STARTPTS,"
                + (f"tpad=start={lead}:stop={tail}:color=black," if lead or tail else ""))
    chains = [f"[0:v:0]{head}settb={den}/{num},setpts=N,format=yuv420p[v0]"]
    label = 0

    def add(filters: str, extra_input: str = "") -> None:
        nonlocal label
        chains.append(f"[v{label}]{extra_input}{filters}[v{label + 1}]")
        label += 1

    def frames_enable(frames: list[int]) -> str:
        return _sum([f"eq({frame_index},{f})" for f in frames])

    # flutters: a white band across the top, chunks of FLUTTER_CHUNK frames per drawbox
    flutter_frames = sorted({f.frame - first for f in plan.flutters
                             if first <= f.frame < plan.end_frame})
    band = flutter_height(height)
    for i in range(0, len(flutter_frames), FLUTTER_CHUNK):
        part = flutter_frames[i:i + FLUTTER_CHUNK]
        add(f"drawbox=x=0:y=0:w=iw:h={band}:color=white:t=fill"
            f":enable='{frames_enable(part)}'")

    # streamers: a one-frame solid bar, repeated by overlay, x per frame from F.  Streamers
    # of one colour that are never on screen together share a lane: one overlay whose x
    # is the sum of each streamer's x times its window (one window at a time is open), so
    # the graph has as many overlays as streamers on screen at once, not one a streamer
    # (every overlay costs on every frame, switched on or not)
    bar = streamer_width(width)
    lanes: list[tuple[str, list[tuple[int, int, str]]]] = []
    for s in plan.streamers:
        a = max(s.start_frame - first, 0)
        b = min(s.end_frame - first, plan.frame_count - 1)
        if a > b:
            continue
        start, length = s.start_frame - first, s.length_frames
        lead = f"floor((2*({frame_index}-({start}))*{width - 1}+{length})/{2 * length})"
        lane = next((items for color, items in lanes
                     if color == s.color and items[-1][1] < a), None)
        if lane is None:
            lanes.append((s.color, lane := []))
        lane.append((a, b, lead))
    for k, (color, items) in enumerate(lanes):
        r, g, bl = COLORS[color]
        chains.append(f"color=c=0x{r:02X}{g:02X}{bl:02X}:s={bar}x{height}:r={num}/{den}"
                      f",trim=end_frame=1,format=yuv420p[bar{k}]")
        windows = [f"between({frame_index},{a},{b})" for a, b, _lead in items]
        x = _sum([f"{w}*{lead}" for w, (_a, _b, lead) in zip(windows, items, strict=True)])
        add(f"overlay=x='{x}-{bar - 1}':y=0:eval=frame:enable='{_sum(windows)}'",
            extra_input=f"[bar{k}]")

    # punches: one overlay of the circle per colour, switched on its frames
    punch_frames: dict[str, list[int]] = defaultdict(list)
    for p in plan.punches:
        for f in range(p.frame, p.frame + p.frames):
            if first <= f < plan.end_frame:
                punch_frames[p.color].append(f - first)
    for color, frames in sorted(punch_frames.items()):
        add(f"overlay=x=(W-w)/2:y=(H-h)/2:enable='{frames_enable(sorted(set(frames)))}'",
            extra_input=f"[{punch_files[color]}:v]")

    if labels_file:
        # one transparent frame per change of the labels, at its clip frame; overlay
        # shows each until the next one (framesync keeps the latest frame of an input)
        changes = label_changes(plan)
        pts = _sum([f"{b - a}*gte(N,{i})" for i, (a, b)
                    in enumerate(zip([0, *changes], changes, strict=False)) if b - a])
        chains.append(
            f"color=c=black@0:s={width}x{height}:r={num}/{den},trim=end_frame=1,"
            f"format=yuva420p,loop=loop={len(changes) - 1}:size=1,settb={den}/{num},"
            f"setpts='{pts}',ass=filename={labels_file}:alpha=1,"
            f"crop={width}:{label_band(plan, width, height)}:0:0[labels]")
        add("overlay=x=0:y=0", extra_input="[labels]")
    if ass_file:
        add(f"ass=filename={ass_file}")
    chains[-1] = chains[-1].rsplit("[", 1)[0] + "[out]"
    return ";\n".join(chains) + "\n"


def _sum(terms: list[str]) -> str:
    """``terms`` added up as a balanced tree of parentheses.  ffmpeg 5.1's expression
    parser refuses ("Cannot allocate memory") a flat sum of more than about a hundred
    terms; nested by halves, thousands parse (depth log2 of their number)."""
    if not terms:
        return "0"
    if len(terms) == 1:
        return terms[0]
    half = len(terms) // 2
    return f"({_sum(terms[:half])}+{_sum(terms[half:])})"


def _check_plan(plan: OverlayPlan, info: VideoInfo) -> None:
    if plan.rate.fps != info.rate.fps:
        raise ValidationError("the plan's rate is not the picture's", source=info.path,
                              field="rate", value=plan.rate.name,
                              valid=f"a plan at {info.rate.name} fps")
    if info.duration_frames and plan.frame_count != info.duration_frames:
        raise ValidationError("the plan's frame count is not the picture's", source=info.path,
                              field="frame_count", value=plan.frame_count,
                              valid=f"{info.duration_frames} frames")


def _window(plan: OverlayPlan, info: VideoInfo, video_first: int
            ) -> tuple[list[str], tuple[int, int, int, int]]:
    """The seek arguments and (skip, count, lead, tail) of the plan's frames in a video
    whose first frame is project frame ``video_first``.

    The seek is ffmpeg's accurate input seek (``-ss`` before ``-i``, re-encoding): it
    decodes from the keyframe before and drops every frame timed before the seek point,
    so the first frame out is the first one wanted and nothing is decoded twice.  The
    point is half a frame before that frame, so neither the microseconds ``-ss`` is
    rounded to nor the container's time base can tip it onto a neighbour (at 23.976 a
    frame's time is not a whole number of microseconds).  It is a timestamp of the video
    stream (``-seek_timestamp 1``: its first frame's time plus the frames before): plain
    ``-ss`` counts from the container's start, which is not the video's first frame when
    another stream starts earlier.  ``skip`` is then 0: the trim that follows only stops
    the picture after ``count`` frames.
    """
    if plan.rate.fps != info.rate.fps:
        _check_plan(plan, info)
    video_end = video_first + info.duration_frames
    a, b = max(plan.first_frame, video_first), min(plan.end_frame, video_end)
    if a >= b:
        raise ValidationError("the plan shows none of the picture", source=info.path,
                              field="frames", value=f"{plan.first_frame}+{plan.frame_count}",
                              valid=f"frames overlapping {video_first} to {video_end}")
    start = a - video_first
    seek = []
    if start:
        seek_s = info.start_seconds + Fraction(2 * start - 1, 2) / info.rate.fps
        seek = ["-seek_timestamp", "1", "-ss", f"{float(seek_s):.6f}"]
    return seek, (0, b - a, a - plan.first_frame, plan.end_frame - b)


def render_overlays(video_in: str | Path, plan: OverlayPlan, out: str | Path, *,
                    crf: int = X264_CRF, preset: str = X264_PRESET, video_first: int | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    info: VideoInfo | None = None, tag: str = "") -> Path:
    """Draw ``plan`` over ``video_in`` into ``out`` (H.264 yuv420p), written atomically.

    Without ``video_first`` the video is the plan's clip: the output keeps its frame
    count, rate and audio.  With ``video_first`` (the project frame of the video's first
    frame, e.g. a whole reel) the plan's frames are cut out of it in the same ffmpeg run
    (no intermediate file; decoding stops at the plan's end), and the plan's frames
    before the video's first frame or after its last are black: a cue at the head of a
    reel shows its count-in over black.  That output has no audio.  ``progress(done,
    total)`` is called with the frames encoded so far.  ``info`` is ``probe(video_in)``
    when the caller has it already (each probe reads the whole file's packets: a reel's
    worth of reading saved).  ``tag`` is written as the file's comment
    (``formats.video.comment_of`` reads it back).  A missing ffmpeg raises
    ToolError; an unreadable input, ParseError naming it; a plan for another rate or
    length, ValidationError.
    """
    video_in, out = Path(video_in).resolve(), Path(out).resolve()
    ffmpeg = _tool("ffmpeg")
    info = probe(video_in) if info is None else info
    seek: list[str] = []
    window = None
    if video_first is None:
        _check_plan(plan, info)
    else:
        seek, window = _window(plan, info, video_first)
    width, height = info.width, info.height
    with children.scratch_folder(prefix="filmscore-overlay-") as work:
        folder = Path(work)
        inputs = [*seek, "-i", str(video_in)]
        punch_files: dict[str, str] = {}
        diameter = punch_diameter(width, height)
        for n, color in enumerate(sorted({p.color for p in plan.punches}), start=1):
            name = f"punch_{color}.png"
            (folder / name).write_bytes(circle_png(diameter, COLORS[color]))
            # at the picture's rate, so every input of the graph has one time base
            inputs += ["-framerate", f"{plan.rate.fps.numerator}/{plan.rate.fps.denominator}",
                       "-i", name]
            punch_files[color] = str(n)
        ass_file = labels_file = None
        if plan.show_timecode:
            ass_file = "timecode.ass"
            (folder / ass_file).write_text(ass_script(plan, width, height, labels=False),
                                           encoding="utf-8")
        if plan.cue_label or any(t.spans for t in plan.texts):
            labels_file = "labels.ass"
            (folder / labels_file).write_text(
                ass_script(plan, width, height, timecode=False), encoding="utf-8")
        (folder / "graph.txt").write_text(
            filter_script(plan, width, height, punch_files, ass_file, window, labels_file),
            encoding="utf-8")
        label = format_label(plan.first_frame, plan.rate)
        extra = ["-map", "0:a?"] if window is None else ["-frames:v", str(plan.frame_count)]
        with atomic_path(out) as tmp:
            base = [ffmpeg, "-v", "error", "-nostdin", "-y", *inputs,
                    "-filter_complex_script", "graph.txt", "-map", "[out]", *extra,
                    "-c:v", "libx264", "-preset", preset, "-crf", str(crf),
                    "-pix_fmt", "yuv420p", "-fps_mode", "passthrough",
                    "-timecode", label, *(["-metadata", f"comment={tag}"] if tag else [])]
            proc = _encode([*base, "-c:a", "copy", str(tmp)], folder, plan.frame_count,
                           progress)
            if proc.returncode != 0 and "codec not currently supported" in proc.stderr:
                proc = _encode([*base, "-c:a", "aac", str(tmp)], folder, plan.frame_count,
                               progress)
            if proc.returncode != 0:
                raise ToolError(f"ffmpeg could not draw the overlays on {video_in}: "
                                f"{' '.join(proc.stderr.split())[-300:]}")
    return out


def _encode(args: list[str], folder: Path, total: int,
            progress: Callable[[int, int], None] | None) -> subprocess.CompletedProcess:
    """Run ffmpeg; with ``progress``, report its ``-progress`` frame count as it goes."""
    if progress is None:
        try:
            return children.run(args, capture_output=True, text=True, check=False,
                                  cwd=folder)
        except OSError as exc:
            raise ToolError(f"cannot run {args[0]}: {exc}") from None
    args = [args[0], "-progress", "pipe:1", "-nostats", *args[1:]]
    try:
        proc = children.popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=folder)
    except OSError as exc:
        raise ToolError(f"cannot run {args[0]}: {exc}") from None
    with tempfile.TemporaryFile("w+") as errors:
        drain = threading.Thread(target=lambda: errors.write(proc.stderr.read()), daemon=True)
        drain.start()
        for line in proc.stdout:
            if line.startswith("frame="):
                done = line.strip().partition("=")[2]
                if is_digits(done):
                    progress(min(int(done), total), total)
        proc.wait()
        drain.join()
        errors.seek(0)
        return subprocess.CompletedProcess(args, proc.returncode, "", errors.read())
