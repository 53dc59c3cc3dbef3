"""Looking at what the tests make: PDF pages and video frames rendered to PNG and measured.

``render_pdf(path)`` renders every page with ``pdftoppm`` to PNG files beside the PDF and
returns them as grey arrays (0 black .. 255 white); ``video_frames(path)`` does the same
for frames of a video with ffmpeg.  ``look_at_pdf`` and ``look_at_video`` are the
measurable checks every PDF and video the tests make must pass (``tests/conftest.py``
applies them to each test's tmp_path): a page has ink, and none of it in the band at the
paper's edge (no mark printed off the paper: a printer cuts it); a video frame is a
picture of the right size, not one flat colour.  ``pdf_words`` and ``word_overlaps``
read the words and their boxes (``pdftotext -bbox``) for overprinting checks.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

#: the band at a page's edge that must stay white: no printer prints there
EDGE_MM = 2.0
#: PDFs and videos the tests write
PDF_SUFFIXES = (".pdf",)
VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv")

_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>", re.S)


def pdf_words(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (points from the top left)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [[(float(a), float(b), float(c), float(d), html.unescape(w))
             for a, b, c, d, w in _WORD.findall(page)] for page in _PAGE.findall(out)]


def word_overlaps(words: list[tuple[float, float, float, float, str]], slack: float = 0.5
                  ) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than ``slack`` points both ways."""
    found = []
    for i, (a0, b0, a1, b1, w) in enumerate(words):
        for c0, d0, c1, d1, v in words[i + 1:]:
            if min(a1, c1) - max(a0, c0) > slack and min(b1, d1) - max(b0, d0) > slack:
                found.append((w, v))
    return found


def gray(png: Path) -> np.ndarray:
    with Image.open(png) as image:
        return np.asarray(image.convert("L"))


#: pdftoppm processes at once: the machine's two cores
RENDERERS = 2


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def render_pdf(path: Path, dpi: int = 40, pages: tuple[int, int] | None = None
               ) -> list[np.ndarray]:
    """Pages of ``path`` rendered to PNG (``NAME-look-N.png`` beside it), as grey arrays;
    a document of four pages or more in ``RENDERERS`` page ranges at once."""
    path = Path(path)
    tag = f"-p{pages[0]}-{pages[1]}" if pages is not None else ""
    stem = path.with_name(f"{path.stem}-look{dpi}{tag}")
    first, last = pages if pages is not None else (1, page_count(path))
    count = last - first + 1
    share = max(1, -(-count // RENDERERS) if count >= 4 else count)
    runs = [subprocess.Popen(["pdftoppm", "-r", str(dpi), "-png", "-f", str(start), "-l",
                              str(min(last, start + share - 1)), str(path), str(stem)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for start in range(first, last + 1, share)]
    for run in runs:
        _, err = run.communicate()
        if run.returncode:
            raise subprocess.CalledProcessError(run.returncode, run.args, stderr=err)
    pngs = sorted(path.parent.glob(f"{stem.name}-*.png"),
                  key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [gray(p) for p in pngs]


def distinct_files(paths: list[Path]) -> list[Path]:
    """``paths`` less the byte-for-byte copies of one before (a project's stored copy of a
    picture, a stage pack's copy of a part): the same bytes look the same."""
    import hashlib
    from collections import Counter

    size_of = {path: Path(path).stat().st_size for path in paths}
    sizes = Counter(size_of.values())
    seen, kept = set(), []
    for path in paths:
        size = size_of[path]
        if sizes[size] > 1:
            digest = hashlib.sha1(Path(path).read_bytes()).hexdigest()
            if (size, digest) in seen:
                continue
            seen.add((size, digest))
        kept.append(path)
    return kept


def look_at_files(paths: list[Path], *, dpi: int = 40) -> None:
    """``look_at_pdf`` / ``look_at_video`` on each distinct file, ``RENDERERS`` at once."""
    from concurrent.futures import ThreadPoolExecutor

    paths = distinct_files(paths)

    def look(path: Path) -> None:
        if path.suffix.lower() in PDF_SUFFIXES:
            look_at_pdf(path, dpi=dpi)
        elif path.suffix.lower() in VIDEO_SUFFIXES:
            look_at_video(path)

    with ThreadPoolExecutor(RENDERERS) as pool:
        list(pool.map(look, paths))  # (list: the first failure is raised here)


def page_gray(path: Path, page: int = 1, dpi: int = 60) -> np.ndarray:
    """One page rendered to PNG, as a grey array."""
    return render_pdf(path, dpi, (page, page))[0]


def look_at_pdf(path: Path, dpi: int = 40) -> list[np.ndarray]:
    """Every page has ink, and none within ``EDGE_MM`` of the paper's edge."""
    pages = render_pdf(path, dpi)
    assert pages, f"{path.name}: no page rendered"
    band = max(1, round(EDGE_MM / 25.4 * dpi))
    for number, page in enumerate(pages, 1):
        ink = page < 160
        assert ink.any(), f"{path.name} page {number} is blank"
        edge = np.concatenate([ink[:band].ravel(), ink[-band:].ravel(),
                               ink[:, :band].ravel(), ink[:, -band:].ravel()])
        assert not edge.any(), (f"{path.name} page {number}: ink within {EDGE_MM} mm of "
                                "the paper's edge (printed off the page)")
    return pages


def _video_stream(path: Path) -> dict:
    """ffprobe's width, height, packet count and frame rate of the first video stream."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                          "-show_entries", "stream=width,height,nb_read_packets,r_frame_rate",
                          "-of", "json", str(path)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["streams"][0]


def video_info(path: Path) -> tuple[int, int, int]:
    """(width, height, frames) of the first video stream."""
    stream = _video_stream(path)
    return int(stream["width"]), int(stream["height"]), int(stream["nb_read_packets"])


def video_frames(path: Path, numbers: list[int]) -> list[np.ndarray]:
    """Frames ``numbers`` (0 is the first) rendered to PNG beside the video, as RGB arrays."""
    path = Path(path)
    out = []
    for n in numbers:
        png = path.with_name(f"{path.stem}-frame{n}.png")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(path), "-vf",
                        f"select=eq(n\\,{n})", "-vsync", "0", "-frames:v", "1", str(png)],
                       check=True, capture_output=True)
        with Image.open(png) as image:
            out.append(np.asarray(image.convert("RGB")))
    return out


def _seek_frame(path: Path, png: Path, seconds: float, *, how: str) -> np.ndarray:
    """As RGB: the frame at ``seconds`` ("at"), the keyframe at or before it ("key":
    nothing else decoded), or the last frame of the stream after it ("last")."""
    where = ["-ss", f"{seconds:.3f}"]
    if how == "key":
        where = ["-skip_frame", "nokey", "-noaccurate_seek", *where]
    png.unlink(missing_ok=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", *where, "-i", str(path),
                    *([] if how == "last" else ["-frames:v", "1"]), "-update", "1", str(png)],
                   check=True, capture_output=True)
    if how == "key" and not png.is_file():  # no keyframe ffmpeg would give: decode to it
        return _seek_frame(path, png, seconds, how="at")
    assert png.is_file(), f"{path.name}: no frame decoded from {seconds:.3f} s on"
    with Image.open(png) as image:
        return np.asarray(image.convert("RGB"))


def look_at_video(path: Path) -> list[np.ndarray]:
    """Its first, middle and last frames are pictures of the stream's size, not one flat
    colour (a frame of black with a flash or a burned-in timecode is a picture).

    The middle one is the keyframe nearest before the middle and the last is reached by
    seeking to a second before the end (``-ss``: decoding from the keyframe before), not by
    decoding every frame before them as ``video_frames`` does to find a frame by its
    number: a look at a film's picture costs a second, not three decodes of the film."""
    path = Path(path)
    stream = _video_stream(path)
    width, height, count = (int(stream[k]) for k in ("width", "height", "nb_read_packets"))
    assert count > 0, f"{path.name}: no frames"
    rate = float(Fraction(stream["r_frame_rate"]))
    last = (count - 1) / rate
    frames = [_seek_frame(path, path.with_name(f"{path.stem}-look-first.png"), 0, how="at"),
              _seek_frame(path, path.with_name(f"{path.stem}-look-middle.png"), last / 2,
                          how="key"),
              _seek_frame(path, path.with_name(f"{path.stem}-look-last.png"),
                          max(0.0, last - 1.0), how="last")]
    for frame in frames:
        assert frame.shape[:2] == (height, width), f"{path.name}: frame size {frame.shape}"
        assert frame.std() > 2, f"{path.name}: a frame of one flat colour"
    return frames
