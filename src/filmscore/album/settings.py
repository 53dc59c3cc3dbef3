"""An album's settings for one medium (``Album.settings[medium]``): the rules it
overrides, how it is sequenced and mastered, checked and stored in their exact form."""

from __future__ import annotations

from fractions import Fraction

from filmscore.album.plan import album_row  # noqa: F401 (the service's import)
from filmscore.album.vocabulary import MASTER_MODES, MEDIA, MEDIUM_NAMES, ORDERS, PINS, SIDE_LETTERS
from filmscore.errors import InputError, ValidationError
from filmscore.limits import is_digits
from filmscore.store import transaction

#: the settings an album may give per medium, and what each is
SETTINGS: dict[str, str] = {
    "max_seconds": "the most music (vinyl: per side), seconds or M:SS",
    "max_tracks": "the most tracks",
    "sides": "sides (vinyl: 2 for one LP, 4 for two)",
    "gap_seconds": "silence between tracks, seconds",
    "pregap_seconds": "silence before track 1 (CD), seconds",
    "min_track_seconds": "the shortest track, seconds",
    "order": "film or listening",
    "pins": "KEY=first or KEY=last (main title first, end credits last)",
    "theme_weight": "the value of covering a theme, in rating-minutes (or rating points)",
    "value": "what a track is worth: minutes (rating x length, the default) or track "
             "(its rating alone)",
    "allow_repeats": "a cue may be on the album twice (in a suite and alone)",
    "target_lufs": "the mastering target, LUFS integrated",
    "ceiling_dbtp": "the true-peak ceiling, dBTP",
    "mode": "mastering: track (each to the target) or album (relative levels kept)",
    "keep": "an expanded edition's kept tracks, in order",
}
_SECONDS = ("max_seconds", "gap_seconds", "pregap_seconds", "min_track_seconds")



def check_medium(name: str) -> str:
    if name not in MEDIA:
        raise InputError("unknown medium", field="medium", value=name,
                         valid=", ".join(MEDIUM_NAMES))
    return name


def clock(seconds: Fraction) -> str:
    """'79:57', '3:05.50' (minutes, seconds and hundredths)."""
    whole = int(seconds)
    frac = seconds - whole
    text = f"{whole // 60}:{whole % 60:02d}"
    return text + (f".{int(frac * 100):02d}" if frac else "")


def parse_seconds(value, field: str) -> Fraction:
    """Exact seconds from 4797, "4797", "79:57", "1:02:03", "2.5", "4/3"."""
    text = str(value).strip()
    try:
        if ":" in text:
            total = Fraction(0)
            for part in text.split(":"):
                if not is_digits(part.replace(".", "", 1)):
                    raise ValueError(part)
                total = total * 60 + Fraction(part)
            seconds = total
        else:
            seconds = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise InputError("not a time in seconds", field=field, value=text,
                         valid="seconds (4797, 2.5) or M:SS (79:57)") from None
    if seconds < 0:
        raise InputError("a time cannot be negative", field=field, value=text,
                         valid="0 or more seconds")
    return seconds


def check_setting(medium: str, key: str, value):
    """A setting's value checked and in its stored form (None: remove it)."""
    field = f"{medium}.{key}"
    if value is None or value == "":
        return None
    if key in _SECONDS:
        seconds = parse_seconds(value, field)
        if key == "max_seconds" and seconds <= 0:
            raise InputError("a medium holds some music", field=field, value=str(value),
                             valid="more than 0 seconds")
        return str(seconds)
    if key in ("max_tracks", "sides"):
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if number < 1 or (key == "sides" and (number > len(SIDE_LETTERS) or (
                MEDIA[medium].sides == 1 and number != 1))):
            top = len(SIDE_LETTERS) if MEDIA[medium].sides > 1 else 1
            raise InputError(f"not a number of {key.replace('_', ' ')}", field=field,
                             value=str(value), valid=f"1 to {top}" if key == "sides"
                             else "1 or more")
        return number
    if key == "order":
        if value not in ORDERS:
            raise InputError("unknown order", field=field, value=str(value),
                             valid=", ".join(ORDERS))
        return value
    if key == "mode":
        if value not in MASTER_MODES:
            raise InputError("unknown mastering mode", field=field, value=str(value),
                             valid=", ".join(MASTER_MODES))
        return value
    if key in ("target_lufs", "ceiling_dbtp", "theme_weight"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if number != number or (key == "ceiling_dbtp" and number > 0) or (
                key == "theme_weight" and number < 0) or (key == "target_lufs"
                                                          and not -70 <= number <= 0):
            valid = {"target_lufs": "-70 to 0 LUFS", "ceiling_dbtp": "0 dBTP or below",
                     "theme_weight": "0 or more"}[key]
            raise InputError(f"not a {key.replace('_', ' ')}", field=field,
                             value=str(value), valid=valid)
        return number
    if key == "value":
        from filmscore.album.sequence import VALUES

        if value not in VALUES:
            raise InputError("unknown track value", field=field, value=str(value),
                             valid=", ".join(VALUES))
        return value
    if key == "allow_repeats":
        if str(value).lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise InputError("not yes or no", field=field, value=str(value),
                             valid="true or false")
        return str(value).lower() in ("true", "1", "yes")
    if key == "pins":
        if not isinstance(value, dict):
            raise InputError("pins are set one by one", field=field, value=str(value),
                             valid="--pin KEY=first or --pin KEY=last")
        pins = dict(value)
        for k, where in pins.items():
            if where not in PINS:
                raise InputError(f"a pin is {' or '.join(PINS)}", field=field,
                                 value=f"{k}={where}", valid=", ".join(PINS))
        return pins
    if key == "keep":
        if not isinstance(value, list | tuple):
            raise InputError("an expanded edition's kept tracks are set by 'filmscore "
                             "album expand'", field=field, value=str(value),
                             valid="a list of candidate keys")
        return [str(k) for k in value]
    raise InputError("unknown album setting", field=field, value=key,
                     valid=", ".join(SETTINGS))


def set_settings(pctx, album: int, medium: str, **changes) -> dict:
    """Change a medium's settings (a value of None or "" removes one: the medium's own
    rule again); returns the medium's settings."""
    check_medium(medium)
    checked = {key: check_setting(medium, key, value) for key, value in changes.items()}
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        settings = {m: dict(s) for m, s in (row.settings or {}).items()}
        mine = settings.setdefault(medium, {})
        for key, value in checked.items():
            if value is None:
                mine.pop(key, None)
            else:
                mine[key] = value
        row.settings = settings
        db.flush()
        return dict(mine)


def pin(pctx, album: int, medium: str, key: str, where: str | None) -> dict:
    """Pin candidate ``key`` first or last on ``medium`` (None: unpin)."""
    from filmscore.album.candidates import get_candidate

    key = get_candidate(pctx, key).key
    with transaction(pctx.engine) as db:
        pins = dict((album_row(db, pctx.project_id, album).settings or {})
                    .get(check_medium(medium), {}).get("pins", {}))
    if where is None:
        pins.pop(key, None)
    else:
        if where in pins.values() and pins.get(key) != where:
            other = next(k for k, w in pins.items() if w == where)
            raise ValidationError(f"{other} is pinned {where} already", field="pins",
                                  value=f"{key}={where}",
                                  valid=f"unpin {other} first, or the other end")
        pins[key] = where
    return set_settings(pctx, album, medium, pins=pins or None)
