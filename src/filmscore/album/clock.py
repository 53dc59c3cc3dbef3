"""Album times as text: lengths and running times as ``M:SS``, gaps in seconds, CD disc
time as ``MM:SS:FF`` (75 frames a second), and a total against its limit, rounded so that
an amount over a limit is never shown as nothing and room to spare never overstated.
The values stay exact ``Fraction`` seconds; only these texts round."""

from __future__ import annotations

from fractions import Fraction

from filmscore.album.vocabulary import CD_FRAMES_PER_SECOND


def _half_up(value: Fraction) -> int:
    return (value + Fraction(1, 2)).__floor__()


def clock(seconds: Fraction) -> str:
    """``M:SS``, the seconds rounded to the nearest (half up): ``clock(Fraction(125)) ==
    '2:05'``; minutes past the hour go on counting, as a CD's length is written
    (``'79:57'``, ``'101:30'``)."""
    if seconds < 0:
        return "-" + clock(-seconds)
    minutes, secs = divmod(_half_up(Fraction(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def clock_up(seconds: Fraction) -> str:
    """``M:SS`` rounded up to a whole second (an amount over a limit is never shown as
    0:00)."""
    whole = Fraction(seconds).__ceil__()
    return clock(Fraction(whole))


def clock_down(seconds: Fraction) -> str:
    """``M:SS`` rounded down (room to spare is never overstated)."""
    return clock(Fraction(Fraction(seconds).__floor__()))


def gap_text(seconds: Fraction) -> str:
    """A gap as seconds: ``'2 s'``, ``'1.5 s'``, ``'4/3 s'`` (exact when not a decimal of
    three places or fewer)."""
    seconds = Fraction(seconds)
    if seconds.denominator == 1:
        return f"{seconds.numerator} s"
    milli = seconds * 1000
    if milli.denominator == 1:
        return f"{float(seconds):g} s"
    return f"{seconds} s"


def cd_address(seconds: Fraction) -> str:
    """Disc time as the Red Book writes it, ``MM:SS:FF`` (FF: 1/75 s frames; the frame at
    or before ``seconds``, as a segue's index mark is)."""
    frames = (Fraction(seconds) * CD_FRAMES_PER_SECOND).__floor__()
    minutes, rest = divmod(frames, 60 * CD_FRAMES_PER_SECOND)
    secs, ff = divmod(rest, CD_FRAMES_PER_SECOND)
    return f"{minutes:02d}:{secs:02d}:{ff:02d}"


def against(total: Fraction, limit: Fraction) -> tuple[str, str]:
    """``(total, difference)`` texts for a total against its limit: the total as
    :func:`clock` (to tenths when rounding would hide that it is over), and ``'over by
    M:SS'`` (rounded up) or ``'M:SS to spare'`` (rounded down)."""
    text = clock(total)
    if total > limit:
        if _half_up(total) <= _half_up(limit):
            tenths = (total * 10).__ceil__()
            minutes, rest = divmod(tenths, 600)
            text = f"{minutes}:{rest // 10:02d}.{rest % 10}"
        return text, f"over by {clock_up(total - limit)}"
    return text, f"{clock_down(limit - total)} to spare"


__all__ = ["against", "cd_address", "clock", "clock_down", "clock_up", "gap_text"]
