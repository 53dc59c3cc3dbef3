"""The conform stage's vocabulary, declared once as data (DESIGN rule 7): the kinds of
change between two cuts, why a cue is flagged, the fixes proposed, and the states of a
flag.  Add a row here and nowhere else."""

from __future__ import annotations

#: a change between the old cut and the new one (the names Conformalizer, Matchbox and
#: EdiLoad change lists use, in plain words)
CHANGE_KINDS: dict[str, str] = {
    "insert": "new material in the new cut (a shot not in the old one, or more of one)",
    "delete": "material of the old cut not in the new one",
    "trim_head": "a shot starts later or earlier in its source (frames off or onto its head)",
    "trim_tail": "a shot ends earlier or later in its source (frames off or onto its tail)",
    "move": "a shot kept whole but at another place in the cut",
    "replace": "a shot replaced by other material of the same length",
}
#: why a cue is flagged after a change list is applied
FLAG_REASONS: dict[str, str] = {
    "cut_into": "the picture under the cue was cut into (frames removed or added inside it)",
    "hits_moved": "the cue's sync points moved relative to one another",
    "deleted": "the picture under the cue is gone",
    "moved": "the cue moved whole (nothing to fix in the music; its start follows)",
}
#: a fix of a flagged cue
FIX_KINDS: dict[str, str] = {
    "resolve_tempo": "re-solve the tempo map keeping the bar count (small tempo changes)",
    "cut_bars": "cut whole bars or beats at bar lines (downbeat to downbeat)",
    "insert_bars": "insert whole bars or beats at bar lines",
    "move_start": "move the cue's start",
    "keep": "keep the music as it is",
}
#: a flag's state
FLAG_STATES = ("open", "fixed", "kept")
#: visual-effects shot versions: "name_v11" and "name_v12" are one shot (the suffix read
#: case-insensitively, with or without an underscore or dot before it)
VFX_VERSION_PATTERN = r"^(?P<shot>.+?)[_.\-]?v(?P<version>\d+)$"
