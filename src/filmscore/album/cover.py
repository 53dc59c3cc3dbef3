"""The album's cover art: the image the user gives (checked: a PNG or JPEG Pillow can
read), or a plain generated cover (Pillow): the album title large, "Original Motion
Picture Soundtrack", the film's title and the composer, on a dark ground with a thin
frame, 1400 x 1400 pixels (the least the stores ask for)."""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

from filmscore.errors import FilmscoreWarning, InputError

COVER_PIXELS = 1400
MIMES = {"PNG": "image/png", "JPEG": "image/jpeg"}
_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
          "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def load_cover(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    """The bytes and MIME type of the user's cover image; InputError when it is not a PNG
    or JPEG; a warning when it is not square or smaller than 500 pixels."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except FileNotFoundError:
        raise InputError("no such cover image", source=str(path),
                         valid="a PNG or JPEG file") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(f"cannot read the cover image: {exc}", source=str(path),
                         valid="a PNG or JPEG file") from None
    if kind not in MIMES:
        raise InputError("the cover must be a PNG or JPEG", source=str(path), value=kind,
                         valid="PNG, JPEG")
    if width != height or width < 500:
        warnings.warn(FilmscoreWarning(f"{path}: the cover is {width} x {height} pixels; "
                                       "stores ask for a square of at least 1400"),
                      stacklevel=2)
    return data, MIMES[kind]


def _font(index: int, size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(_FONTS[index], size)
    except OSError:  # no DejaVu on this machine: Pillow's own scalable font
        return ImageFont.load_default(size)


def _fit(draw, text: str, index: int, size: int, width: int):
    """The font at ``size`` or smaller so that ``text`` fits in ``width`` pixels."""
    while size > 18:
        font = _font(index, size)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 4
    return _font(index, size)


def _lines(draw, text: str, index: int, size: int, width: int, most: int = 3):
    """``text`` broken into at most ``most`` lines that fit ``width`` at one size."""
    words = text.split() or [""]
    while True:
        font = _font(index, size)
        lines, line = [], ""
        for word in words:
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
        if (len(lines) <= most and all(draw.textlength(x, font=font) <= width
                                       for x in lines)) or size <= 24:
            return lines, font
        size -= 6


def render_cover(title: str, film_title: str, composer: str, *,
                 pixels: int = COVER_PIXELS) -> bytes:
    """A generated cover as PNG bytes."""
    from PIL import Image, ImageDraw

    ground, ink, accent, soft = (22, 30, 46), (244, 240, 228), (201, 162, 77), (170, 178, 192)
    image = Image.new("RGB", (pixels, pixels), ground)
    draw = ImageDraw.Draw(image)
    unit = pixels / 1400
    inset = int(70 * unit)
    draw.rectangle([inset, inset, pixels - inset, pixels - inset], outline=accent,
                   width=max(2, int(4 * unit)))
    inner = pixels - 2 * inset - int(140 * unit)
    centre = pixels / 2

    def centred(y: float, text: str, font, fill) -> float:
        box = draw.textbbox((0, 0), text, font=font)
        draw.text((centre - (box[2] - box[0]) / 2 - box[0], y), text, font=font, fill=fill)
        return y + (box[3] - box[1])

    label = "ORIGINAL MOTION PICTURE SOUNDTRACK"
    y = centred(210 * unit, label, _fit(draw, label, 1, int(34 * unit), inner), accent)
    lines, font = _lines(draw, title or film_title or "Soundtrack", 0, int(132 * unit), inner)
    block = len(lines) * int(font.size * 1.2)
    y = max(y + 120 * unit, centre - block / 2 - 60 * unit)
    for line in lines:
        centred(y, line, font, ink)
        y += font.size * 1.2
    y += 40 * unit
    draw.line([centre - 120 * unit, y, centre + 120 * unit, y], fill=accent,
              width=max(2, int(3 * unit)))
    if film_title and film_title != title:
        film_lines, film_font = _lines(draw, film_title, 0, int(54 * unit), inner, most=2)
        y += 50 * unit
        for line in film_lines:
            centred(y, line, film_font, soft)
            y += film_font.size * 1.25
    if composer:
        text = f"Music by {composer}"
        centred(max(pixels - 300 * unit, y + 30 * unit), text,
                _fit(draw, text, 2, int(56 * unit), inner), ink)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
