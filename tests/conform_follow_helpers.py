"""A small 24 fps film re-cut with known edits, for the tests of following the picture
(tests/conform): two EDLs written by the project's EDL writer, cues with sync points and
a tempo map spotted on the first cut, and the change list between the cuts worked out by
hand (the compare is another module's: until it is in, the tests use this one).

The first cut (v1): five shots of 240 frames, A to E, from 01:00:00:00 (frame 86400).
The second cut (v2): A loses 24 frames off its tail, C loses 48 off its head, D is
dropped, E follows: A 0-216, B 216-456, C 456-648, E 648-888 (frames from the hour).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from filmscore.conform.changes import Change, ChangeList, Span
from filmscore.formats.otio_cut import write_edl
from filmscore.project import init_project, open_project
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.spotting.cut import CutEvent, make_cut
from filmscore.spotting.service import add_cue, import_picture
from filmscore.sync.service import set_tempo_map
from filmscore.sync.tempomap import TempoMap

H = 86400
TITLE = "Conform Film"
SHOTS = "ABCDE"


def _cut(name: str, shots: list[tuple[str, int, int]]):
    """Shots (name, source in, source out) laid end to end from the hour."""
    events, at = [], H
    for index, (shot, src_in, src_out) in enumerate(shots, 1):
        events.append(CutEvent(index=index, clip_name=f"{shot}.mov", source_reel=f"SHOT{shot}",
                               source_in=src_in, source_out=src_out, record_in=at,
                               record_out=at + src_out - src_in))
        at += src_out - src_in
    return make_cut(name=name, rate="24", events=events, source=name, source_kind="edl")


V1 = [(s, 0, 240) for s in SHOTS]
V2 = [("A", 0, 216), ("B", 0, 240), ("C", 48, 240), ("E", 0, 240)]


def write_cuts(folder: Path) -> tuple[Path, Path]:
    return (write_edl(_cut("Cut 1", V1), folder / "cut1.edl"),
            write_edl(_cut("Cut 2", V2), folder / "cut2.edl"))


def hand_change_list(project: str, old: int = 1, new: int = 2) -> ChangeList:
    """The change list from v1 to v2, by hand."""
    return ChangeList(
        old_name="Cut 1", new_name="Cut 2", rate_name="24", old_version=old, new_version=new,
        project=project,
        changes=(
            Change("trim_tail", "A.mov", "SHOTA", H + 216, H + 240, None, None, 0, -24),
            Change("trim_head", "C.mov", "SHOTC", H + 480, H + 528, None, None, -24, -48),
            Change("delete", "D.mov", "SHOTD", H + 720, H + 960, None, None, -72, -240),
        ),
        spans=(Span(H, H + 216, H, "A.mov"), Span(H + 240, H + 480, H + 216, "B.mov"),
               Span(H + 528, H + 720, H + 456, "C.mov"),
               Span(H + 960, H + 1200, H + 648, "E.mov")))


def film(folder: Path, db: str | None = None):
    """A project with v1 imported, four cues spotted on it (1M2 with a 120 BPM tempo map)
    and then v2 imported; the open project."""
    init_project(folder, title=TITLE, fps="24", db=db)
    pctx = open_project(folder, db=db)
    cut1, cut2 = write_cuts(folder.parent)
    import_picture(pctx, cut1, shots=False)
    spot(pctx, "1M1", H + 260, H + 390, [(H + 330, "hard", "door")])
    spot(pctx, "1M2", H + 400, H + 700, [(H + 420, "hard", "punch"),
                                         (H + 600, "downbeat", "car"),
                                         (H + 690, "soft", "look")])
    set_tempo_map(pctx, "1M2", TempoMap.constant("24", H + 400, Fraction(120), bars=13))
    spot(pctx, "1M3", H + 760, H + 900, [(H + 800, "hard", "crash")])
    spot(pctx, "1M4", H + 1000, H + 1100, [(H + 1050, "hard", "kiss")])
    import_picture(pctx, cut2, shots=False)
    return pctx


def spot(pctx, number: str, start: int, end: int, syncs) -> None:
    add_cue(pctx, CueSpec(number=parse_cue_number(number), title=f"Cue {number}",
                          start_frame=start, end_frame=end,
                          sync_points=tuple(SyncSpec(frame=f, kind=k, description=d)
                                            for f, k, d in syncs)))


#: where everything is after applying v1 -> v2 (start, end, sync frames)
EXPECTED = {
    "1M1": (H + 236, H + 366, [H + 306]),  # moved whole, -24
    "1M2": (H + 376, H + 628, [H + 396, H + 528, H + 618]),  # cut into: C's head went
    "1M3": (H + 648, H + 788, [H + 688]),  # deleted: kept whole where D was
    "1M4": (H + 688, H + 788, [H + 738]),  # moved whole, -312
}


def foreign_csv(path: Path, project: str) -> Path:
    """A change-list CSV made for ``project`` (the change list worked out by hand)."""
    from filmscore.formats.changelist_csv import write_changelist_csv

    write_changelist_csv(hand_change_list(project), path)
    return path
