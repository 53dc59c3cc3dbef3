"""Marks per bar and the final barline, read from the MusicXML: the engraving check's rules
for rehearsal marks, crowded bars and the end of a piece.

- **rehearsal_per_bar**: more than one distinct rehearsal mark in one bar (of any part).
- **rehearsal_spacing**: two successive rehearsal marks fewer than ``letters_every`` bars
  apart (bars counted as the file's measures; 0 turns the rule off).  Issue 9 asks for
  letters at structural points, about one every 8 to 24 bars.
- **crowded_bar**: more than ``max_texts`` text directions (``<words>``: timecodes, sync
  descriptions, playing texts) starting in one bar of one staff.  A direction that also
  holds a metronome mark is a tempo mark, and so is a parenthesised text at the moment of
  a metronome mark (a frame-click note such as "(13-7 fc)"); texts of five characters or
  fewer are playing indications that take no more room than a dynamic ("ten.", "a 2",
  "pizz.", "solo") and are not counted; rehearsal marks and dynamics are not texts here
  (their own rules and the layout's overlaps measure them).
- **final_barline**: the last bar of a part does not end with a final barline
  (``light-heavy``, with or without a repeat); one finding for the whole score when
  every part lacks it.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from filmscore.engraving.check_xml import Bar, Direction, Score
from filmscore.engraving.findings import Finding

FINAL_STYLES = ("light-heavy",)
#: texts this short are playing indications ("ten.", "a 2", "pizz.", "solo"): not counted
SHORT_TEXT = 5
_NEAR = Fraction(1, 8)  # quarters: "at the moment of" a metronome mark


def _quote(texts: list[str]) -> str:
    cut = [t if len(t) <= 30 else t[:29] + "\u2026" for t in texts]
    return ", ".join(f"'{t}'" for t in cut)


def _texts(bar: Bar, staff: int) -> list[Direction]:
    """The text directions of one staff of one bar (see the module docstring)."""
    tempo_times = [d.onset for d in bar.directions if d.metronome and d.staff == staff]
    out = []
    for d in bar.directions:
        if d.staff != staff or len(d.words) <= SHORT_TEXT or d.metronome or d.rehearsal \
                or d.dynamics:
            continue
        if d.words.startswith("(") and any(abs(d.onset - t) <= _NEAR for t in tempo_times):
            continue
        out.append(d)
    return out


def rehearsal_findings(score: Score, *, letters_every: int = 8) -> list[Finding]:
    marks: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    numbers: dict[int, str] = {}
    for part in score.parts:
        for bar in part.bars:
            numbers.setdefault(bar.index, bar.number)
            for d in bar.directions:
                if d.rehearsal:
                    marks[bar.index][d.rehearsal].add(part.name)
    findings: list[Finding] = []
    single = len(score.parts) == 1

    def who(names: set[str]) -> str:
        return next(iter(names)) if single or len(names) == 1 else ""

    previous: tuple[int, str] | None = None
    for index in sorted(marks):
        texts = sorted(marks[index])
        bar = numbers[index]
        if len(texts) > 1:
            names = set().union(*(marks[index][t] for t in texts))
            findings.append(Finding("rehearsal_per_bar", who(names), bar,
                                    f"{len(texts)} rehearsal marks on one bar: "
                                    f"{', '.join(texts)}"))
        if previous is not None and letters_every > 0:
            gap = index - previous[0]
            if gap < letters_every:
                findings.append(Finding(
                    "rehearsal_spacing", who(marks[index][texts[0]]), bar,
                    f"rehearsal mark {texts[0]} comes {gap} bar{'s' * (gap != 1)} after "
                    f"{previous[1]} (bar {numbers[previous[0]]}); at least {letters_every} "
                    "bars apart"))
        previous = (index, texts[-1])
    return findings


def crowding_findings(score: Score, *, max_texts: int = 2) -> list[Finding]:
    findings = []
    for part in score.parts:
        for bar in part.bars:
            for staff in sorted({d.staff for d in bar.directions}):
                texts = _texts(bar, staff)
                if len(texts) > max_texts:
                    where = f" (staff {staff})" if part.staves > 1 else ""
                    findings.append(Finding(
                        "crowded_bar", part.name, bar.number,
                        f"{len(texts)} texts in one bar{where}, more than {max_texts}: "
                        f"{_quote([d.words for d in texts])}"))
    return findings


def barline_findings(score: Score) -> list[Finding]:
    missing = []
    for part in score.parts:
        if not part.bars:
            continue
        last = part.bars[-1]
        if last.barline not in FINAL_STYLES:
            missing.append((part.name, last))
    if len(missing) == len(score.parts) > 1:
        last = missing[0][1]
        return [Finding("final_barline", "all parts", last.number,
                        f"the last bar ends with a {last.barline or 'regular'} barline, "
                        "not a final barline")]
    return [Finding("final_barline", name, last.number,
                    f"the last bar ends with a {last.barline or 'regular'} barline, "
                    "not a final barline") for name, last in missing]
