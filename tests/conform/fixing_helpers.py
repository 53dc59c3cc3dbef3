"""A project whose picture lost one bar's worth of frames under a cue, with the cue moved
as an apply would and its flag made by hand (for the conform fix tests)."""

from __future__ import annotations

from dataclasses import asdict
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from filmscore.conform.changes import Change, ChangeList, Flag, Hit, Span
from filmscore.model import ChangeList as ChangeListRow
from filmscore.model import ConformFlag, Cue, SyncPoint, Take
from filmscore.project import init_project, open_project
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.spotting.service import add_cue, import_picture
from filmscore.store import transaction
from filmscore.sync.service import set_tempo_map
from filmscore.sync.tempomap import TempoMap

DATA = Path(__file__).resolve().parents[1] / "data" / "edl" / "changelist"
HOUR = 86400  # 01:00:00:00 at 24 fps
BAR1 = HOUR + 100  # the cue's start and bar 1: 120 BPM, a bar is 48 frames
CUT_AT = HOUR + 300  # the picture lost 48 frames here (in bar 5)
HITS = (("door slams", BAR1 + 96, 2.0), ("he turns", BAR1 + 384, 1.0),
        ("kiss", BAR1 + 576, 1.0))  # downbeats of bars 3, 9 and 13


def make_project(folder: Path, db: str, *, take: bool = True) -> None:
    """Picture v1, cue 1M1 (16 bars at 120 BPM) with three hits and its click rendered;
    change list 1 cut 48 frames at ``CUT_AT``; the cue and its later hits moved up as
    an apply moves them, and flagged."""
    from filmscore.sync.service import render_clicks

    init_project(folder, title="Conform Film", fps="24", db=db)
    with open_project(folder) as pctx:
        import_picture(pctx, DATA / "Demo_edit_v1.edl", shots=False)
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Chase", BAR1, BAR1 + 768,
                              sync_points=tuple(SyncSpec(f, d, "hard", w)
                                                for d, f, w in HITS)))
        set_tempo_map(pctx, "1M1", TempoMap.constant("24", BAR1, Fraction(120), 16))
        render_clicks(pctx, "1M1")
        changes = ChangeList(
            "Demo_edit_v1", "Demo_edit_v2", "24",
            (Change("delete", "B018C003", "B018", CUT_AT, CUT_AT + 48, None, None,
                    0, -48),),
            (Span(HOUR, CUT_AT, HOUR), Span(CUT_AT + 48, HOUR + 4000, CUT_AT)),
            old_version=1, new_version=1, project="Conform Film #1")
        with transaction(pctx.engine) as session:
            cue = session.scalars(select(Cue).where(Cue.number == "1M1")).one()
            row = ChangeListRow(project_id=pctx.project_id, number=1, data=changes.to_json())
            session.add(row)
            hits = []
            for point in sorted(cue.sync_points, key=lambda s: s.frame):
                new = changes.map_frame(point.frame)
                hits.append(Hit(point.id, point.kind, point.description, point.frame, new,
                                point.frame, new - point.frame))
            for point in session.scalars(select(SyncPoint).where(SyncPoint.cue_id == cue.id)):
                point.frame = changes.map_frame(point.frame)
            cue.end_frame -= 48
            flag = Flag("1M1", "cut_into", BAR1, BAR1 + 768, BAR1, BAR1 + 720, tuple(hits))
            session.flush()
            session.add(ConformFlag(change_list_id=row.id, cue_id=cue.id, reason="cut_into",
                                    data=asdict(flag)))
            if take:
                session.add(Take(project_id=pctx.project_id, cue_id=cue.id, number=1,
                                 circled=True))


CLIP = Path(__file__).resolve().parents[1] / "data" / "video" / "popeye_24.mkv"  # 120 fr


def make_video_project(folder: Path, music: Path) -> None:
    """Picture v1 imported from a 120-frame video; cue 1M1 (frames 12-108, 2 bars at 120
    BPM, hits on beat 3 of each bar) with music, orchestrated for strings and its parts
    and score copied into the project; the picture before it grew by 4 frames and the
    apply moved the hits but left the cue's start (flagged: every hit 4 frames late)."""
    from filmscore.formats.midi_music import write_music
    from filmscore.orchestration.ensembles import get_template
    from filmscore.orchestration.service import copy_cue, orchestrate_cue
    from filmscore.sync.service import render_clicks
    from filmscore.writing.music import Music, Note, Part
    from filmscore.writing.service import import_version

    tmap = TempoMap.constant("24", 12, Fraction(120), 2)
    init_project(folder, title="Video Film", fps="24")
    with open_project(folder) as pctx:
        import_picture(pctx, CLIP, shots=False)
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Arrival", 12, 108, sync_points=(
            SyncSpec(36, "door", "hard", 2.0), SyncSpec(84, "bell", "hard", 1.0))))
        set_tempo_map(pctx, "1M1", tmap)
        render_clicks(pctx, "1M1")
        melody = tuple(Note(Fraction(q), Fraction(1), 72 - q % 3) for q in range(8))
        import_version(pctx, "1M1", write_music(Music((Part("melody", melody, program=48),),
                                                      tempo_map=tmap), music, tempo_map=tmap))
        orchestrate_cue(pctx, "1M1", ensemble=get_template("strings"))
        copy_cue(pctx, "1M1", folder / "parts", score=False)
        changes = ChangeList("v1", "v2", "24", (), (Span(0, 200, 4),), old_version=1,
                             new_version=1)
        with transaction(pctx.engine) as session:
            cue = session.scalars(select(Cue).where(Cue.number == "1M1")).one()
            row = ChangeListRow(project_id=pctx.project_id, number=1, data=changes.to_json())
            session.add(row)
            hits = tuple(Hit(p.id, p.kind, p.description, p.frame, p.frame + 4, p.frame, 4)
                         for p in cue.sync_points)
            for point in cue.sync_points:
                point.frame += 4
            flag = Flag("1M1", "hits_moved", 12, 108, 12, 108, hits)
            session.flush()
            session.add(ConformFlag(change_list_id=row.id, cue_id=cue.id, reason="hits_moved",
                                    data=asdict(flag)))
