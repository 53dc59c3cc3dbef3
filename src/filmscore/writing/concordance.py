"""The theme report as the team reads it (pure): where an occurrence is in time, the
composer's verdicts carried onto the occurrences of a new search, and the bars of an
occurrence cut out of the cue's music for engraving.

A verdict is kept by where the occurrence is (theme, cue, part, onset in quarter notes
from bar 1), never by a row of a search: the search runs again on every report, on the
cue's latest music.  :func:`apply_verdicts` gives each verdict to the occurrence of the
same theme and cue, in the same part (or with that part among its doubling parts: a
search that changes which doubling part leads keeps the verdict), whose onset lies less
than one beat from the verdict's, the nearest when several do; a verdict matching no
occurrence is reported as not found (the music changed there, or the search no longer
finds it) and is kept for when it returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.music import Music, Note, Part


@dataclass(frozen=True)
class StoredVerdict:
    """A verdict as stored: which theme and cue, where, what was said, by whom."""

    theme: str
    cue: str
    part: str
    onset: Fraction
    bar: int
    beat: str
    verdict: str  # "confirmed" or "rejected"
    author: str = ""
    music_version: int | None = None


def timecode_of(onset: Fraction, tmap: TempoMap | None) -> str:
    """The timecode label of an onset (quarters from bar 1) on ``tmap`` ("" without one)."""
    if tmap is None:
        return ""
    from filmscore.timecode import format_label
    from filmscore.writing.check import seconds_at_quarters

    frame = tmap.frame_at(seconds_at_quarters(tmap, Fraction(onset)))
    return format_label(frame, tmap.rate) if frame >= 0 else ""


def bar_length(meter: Meter) -> Fraction:
    return meter.numerator * meter.beat_quarters


def end_bar(end: Fraction, meter: Meter) -> int:
    """The bar the occurrence's last note sounds in (its end is exclusive)."""
    length = bar_length(meter)
    return int((Fraction(end) - Fraction(1, 960)) // length) + 1


def _parts_named(music: Music, part: str) -> list[Part]:
    exact = [p for p in music.parts if p.name == part]
    if exact:
        return exact
    # "A / B": the theme passes from part A to part B
    names = [n.strip() for n in part.split(" / ")]
    return [p for p in music.parts if p.name in names]


def excerpt(music: Music, part: str, onset: Fraction, end: Fraction) -> Music:
    """The whole bars from the occurrence's first to its last, of the part carrying it
    (both parts of a line passed from one to another), moved to start at bar 1; notes
    sounding across the cut are cut to it."""
    length = bar_length(music.meter)
    first = (Fraction(onset) // length) * length
    last = Fraction(end_bar(end, music.meter)) * length
    parts = []
    for p in _parts_named(music, part):
        notes = []
        for n in p.notes:
            start, stop = max(n.onset, first), min(n.onset + n.duration, last)
            if stop > start:
                notes.append(Note(start - first, stop - start, n.pitch, n.velocity,
                                  n.articulations))
        parts.append(Part(p.name, tuple(notes), program=p.program, is_drum=p.is_drum,
                          instrument=p.instrument))
    return Music(tuple(parts), music.meter, None, "", music.key)


def _beat_quarters(meters: dict[str, Meter], cue: str) -> Fraction:
    meter = meters.get(cue)
    return meter.beat_quarters if meter is not None else Fraction(1)


def apply_verdicts(rows: Sequence, verdicts: Iterable[StoredVerdict],
                   meters: dict[str, Meter]) -> tuple[dict[int, StoredVerdict],
                                                      list[StoredVerdict]]:
    """Each verdict given to the nearest occurrence of the same theme, cue and part (or a
    part doubling it) less than a beat (of the cue's meter) away: ``{row index:
    verdict}`` and the verdicts that found no occurrence.  ``rows`` need ``theme``,
    ``cue``, ``part``, ``doubled_by`` and ``onset``; a row takes at most one verdict (the
    nearest; the newer on a tie, ``verdicts`` being oldest first)."""
    given: dict[int, tuple[Fraction, StoredVerdict]] = {}
    lost: list[StoredVerdict] = []
    for v in verdicts:
        window = _beat_quarters(meters, v.cue)
        best, best_off = None, None
        for i, r in enumerate(rows):
            if r.theme != v.theme or r.cue != v.cue:
                continue
            if v.part != r.part and v.part not in r.doubled_by:
                continue
            off = abs(Fraction(r.onset) - v.onset)
            if off < window and (best_off is None or off < best_off):
                best, best_off = i, off
        if best is None:
            lost.append(v)
            continue
        held = given.get(best)
        if held is not None and held[0] < best_off:
            lost.append(v)
            continue
        if held is not None:
            lost.append(held[1])
        given[best] = (best_off, v)
    return {i: v for i, (_, v) in given.items()}, lost


def verdict_text(v: StoredVerdict | None, version: int | None) -> str:
    """"confirmed" / "rejected", with the music version it was given on when that is not
    the version reported (the verdict was carried to a newer version)."""
    if v is None:
        return ""
    if v.music_version is not None and version is not None and v.music_version != version:
        return f"{v.verdict} (on v{v.music_version})"
    return v.verdict


def also_words(row) -> str:
    """"also matches A, B": the other themes a report row's notes match less well (its
    ``also``), "" when none."""
    return f"also matches {', '.join(row.also)}" if row.also else ""


def found_as(row) -> str:
    """How a report row's occurrence was found ("inversion +3"), and the other themes
    its notes match less well."""
    return "; ".join(x for x in (row.transform, also_words(row)) if x)


def heard_within(rows: Iterable, theme: str) -> list:
    """The report rows of other themes whose notes ``theme`` matches less well (it is
    named in their ``also``): where a theme with no occurrence of its own is heard."""
    return [row for row in rows if theme in row.also]


def within_words(rows: Sequence) -> str:
    """Where a theme with no occurrence of its own is heard, in words: inside the
    statements ``rows`` of other themes (``ThemeReport.heard_within``); "" when nowhere.
    "Heard only within statements of hero: 1M1 bar 2, 1M1 bar 6." (eight places at most)."""
    if not rows:
        return ""
    themes = ", ".join(dict.fromkeys(r.theme for r in rows))
    places = [f"{r.cue} bar {r.bar}" for r in rows]
    more = f" and {len(places) - 8} more" if len(places) > 8 else ""
    return f"Heard only within statements of {themes}: {', '.join(places[:8])}{more}."


def verdict_words(verdict: str, by: str) -> str:
    """"confirmed by NAME (on v1)": a row's verdict and who gave it, in words."""
    kind, _, rest = verdict.partition(" ")
    return " ".join(x for x in (kind, f"by {by}" if by and kind else "", rest) if x)
