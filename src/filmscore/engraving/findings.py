"""The engraving check's rules (vocabulary as data) and one finding of a rule."""

from __future__ import annotations

from dataclasses import dataclass

#: rule -> what it flags (the order is the report's)
RULES: dict[str, str] = {
    "redundant_accidental": "an accidental the key signature or the bar already gives "
                            "(a natural on a note nothing altered), not a courtesy",
    "missing_accidental": "a note whose alteration the page does not show (the key and "
                          "the bar give another), or an accidental that contradicts it",
    "rehearsal_per_bar": "more than one rehearsal mark on one bar",
    "rehearsal_spacing": "two rehearsal marks fewer bars apart than the spacing asked for",
    "crowded_bar": "more text directions (timecodes, words) in one bar of one staff than "
                   "allowed",
    "overlapping_marks": "texts, rehearsal marks, tempo marks, dynamics or bar numbers "
                         "printed over each other",
    "stacked_rehearsal": "rehearsal marks stacked above each other",
    "mark_off_page": "a mark printed past the edge of the paper (cut off)",
    "missing_bar_number": "a system start (part) or a bar (score) without its bar number",
    "final_barline": "a part whose last bar has no final barline",
    "rest_grouping": "a rest that hides a beat the meter needs shown",
    "tuplets": "tuplets in a part (a finding only when asked; counted always)",
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong on the page: which rule, where (document, part, bar) and what."""

    rule: str
    part: str
    bar: str
    message: str
    source: str = ""
    page: int | None = None

    def line(self) -> str:
        where = [self.source] if self.source else []
        if self.part:
            where.append(self.part)
        if self.bar:
            where.append(f"bar {self.bar}")
        if self.page is not None:
            where.append(f"page {self.page}")
        return f"{', '.join(where)}: {self.rule}: {self.message}"
