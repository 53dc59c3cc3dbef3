"""The composer's choices on a candidate: its rating and its album title (apart from the
cue's working title), changed in one transaction and refused when the candidate was
changed by someone else since it was read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from filmscore.album.vocabulary import RATING_MAX, RATING_MIN
from filmscore.errors import ConflictError, InputError, NotFoundError
from filmscore.limits import is_digits

#: the longest album title (the column's width)
TITLE_MAX = 300


@dataclass(frozen=True)
class Choice:
    key: str
    rating: int
    title: str
    version: int


def parse_rating(text: str | int, *, field: str = "rating") -> int:
    """A rating from a form or the command line: a whole number from 0 to 5."""
    value = str(text).strip()
    if not is_digits(value) or not RATING_MIN <= int(value) <= RATING_MAX:
        raise InputError("not a rating", field=field, value=value,
                         valid=f"a whole number from {RATING_MIN} to {RATING_MAX}")
    return int(value)


def check_title(text: str, *, field: str = "title") -> str:
    """An album title: one line, at most 300 characters ("" gives the working title)."""
    title = " ".join(str(text).split())
    if len(title) > TITLE_MAX:
        raise InputError("the album title is too long", field=field, value=title,
                         valid=f"at most {TITLE_MAX} characters")
    return title


def set_choice(pctx, key: str, *, rating: int | None = None, title: str | None = None,
               read: dict[str, object] | None = None,
               expected_version: int | None = None) -> Choice:
    """Set candidate ``key``'s rating and/or album title (None: left as it is).

    ``read`` ({"title": ..., "rating": ...} as the editor read them) makes it per field: a
    field wanted as read is left alone, and only a field changed since and changed here
    is refused (ConflictError showing the value read, now and wanted).  With
    ``expected_version`` instead any change since is refused."""
    from filmscore.model import AlbumCandidate
    from filmscore.store import locked, refuse_stale, transaction

    if rating is not None:
        rating = parse_rating(rating)
    if title is not None:
        title = check_title(title)
    seen = {k: parse_rating(v) if k == "rating" else check_title(str(v))
            for k, v in (read or {}).items() if k in ("rating", "title")}
    with transaction(pctx.engine) as session:
        row = next(iter(locked(session, select(AlbumCandidate).where(
            AlbumCandidate.project_id == pctx.project_id, AlbumCandidate.key == key))), None)
        if row is None:
            raise NotFoundError(f"no album candidate {key!r} in this project")
        if read is not None:
            wanted = {k: v for k, v in (("title", title), ("rating", rating))
                      if v is not None and (k not in seen or v != seen[k])}
            now = {"title": row.title, "rating": row.rating}
            refuse_stale(f"candidate {key!r}", {k: (seen[k], now[k], v)
                                                for k, v in wanted.items()
                                                if k in seen and now[k] not in (seen[k], v)})
            title, rating = wanted.get("title"), wanted.get("rating")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(f"candidate {key!r} was changed by someone else since you "
                                f"read it (version {expected_version}, now {row.version}); "
                                "nothing was saved: reload and make your change again")
        if rating is not None:
            row.rating = rating
        if title is not None:
            row.title = title
        session.flush()
        return Choice(row.key, row.rating, row.title, row.version)


__all__ = ["Choice", "TITLE_MAX", "check_title", "parse_rating", "set_choice"]
