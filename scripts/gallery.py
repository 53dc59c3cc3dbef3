"""Pictures for docs/copying-gallery.md: a part page, a score page and a streamer frame of a
demo run, ours beside MuseScore 3's engraving of the same MusicXML.

    .venv/bin/python scripts/gallery.py DEMO_OUT TAG [DOCS_GALLERY]

DEMO_OUT is a folder `filmscore demo` wrote; TAG names the pictures (``before``, ``after``).
It writes TAG-part.png, TAG-score.png (ours left, MuseScore 3 right) and TAG-streamer.png
into DOCS_GALLERY (default docs/gallery).  Needs pdftoppm, mscore3 and ffmpeg.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CUE = "1M2"
PART = "Violin I"
#: the streamer frame: in 1M2's count-in, where every count-in click once had a streamer
STREAMER_TC = (1, 0, 10, 22)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page(pdf: Path, png_stem: Path, number: int = 1, dpi: int = 70) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(number), "-l", str(number),
                    "-singlefile", str(pdf), str(png_stem)], check=True)
    return Image.open(f"{png_stem}.png").convert("RGB")


def _first_music_page(pdf: Path, png_stem: Path) -> Image.Image:
    """Page 1, or page 2 when page 1 holds only titles (MuseScore 3 puts a score system
    that does not fit under the titles on the next page)."""
    first = _page(pdf, png_stem)
    gray = first.convert("L").point(lambda v: 255 if v < 128 else 0)
    ink = gray.histogram()[255] / (first.width * first.height)
    return first if ink > 0.01 else _page(pdf, png_stem, 2)


def _mscore(musicxml: Path, pdf: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(["mscore3", "-o", str(pdf), str(musicxml)], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _side_by_side(left: Image.Image, right: Image.Image, labels: tuple[str, str]
                  ) -> Image.Image:
    height = max(left.height, right.height)
    left = left.resize((round(left.width * height / left.height), height))
    right = right.resize((round(right.width * height / right.height), height))
    band = 28
    out = Image.new("RGB", (left.width + right.width + 12, height + band), "white")
    out.paste(left, (0, band))
    out.paste(right, (left.width + 12, band))
    draw = ImageDraw.Draw(out)
    font = ImageFont.truetype(FONT, 16)
    draw.text((8, 5), labels[0], fill="black", font=font)
    draw.text((left.width + 20, 5), labels[1], fill="black", font=font)
    draw.line([(left.width + 6, 0), (left.width + 6, out.height)], fill="gray", width=2)
    return out


def _streamer_frame(video: Path, png: Path) -> None:
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                            "-show_entries", "stream_tags=timecode", "-of", "csv=p=0",
                            str(video)], check=True, capture_output=True, text=True)
    h, m, s, f = (int(x) for x in probe.stdout.strip().split(":"))
    start = ((h * 60 + m) * 60 + s) * 24 + f
    hh, mm, ss, ff = STREAMER_TC
    frame = ((hh * 60 + mm) * 60 + ss) * 24 + ff - start
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-vf",
                    f"select=eq(n\\,{frame})", "-frames:v", "1", str(png)], check=True)


def main(demo: Path, tag: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for kind, folder, name in (("part", "parts", f"{CUE} {PART}"),
                                   ("score", "scores", f"{CUE} score")):
            base = demo / "popeye1936" / folder / CUE / name
            ours = _page(base.with_suffix(".pdf"), tmp / f"{kind}-ours")
            _mscore(base.with_suffix(".musicxml"), tmp / f"{kind}-ms.pdf")
            theirs = _first_music_page(tmp / f"{kind}-ms.pdf", tmp / f"{kind}-ms")
            _side_by_side(ours, theirs, (f"filmscore ({tag})", "MuseScore 3, same MusicXML")
                          ).save(out / f"{tag}-{kind}.png", optimize=True)
        _streamer_frame(demo / "popeye1936" / "streamers" / f"{CUE}.mp4",
                        out / f"{tag}-streamer.png")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2],
         Path(sys.argv[3]) if len(sys.argv) > 3 else Path("docs/gallery"))
