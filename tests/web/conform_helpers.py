"""A conformed project to look at in the web tests, built directly in the tables (picture
versions, cues, sync points, a change list and its flags), with frames chosen to be
checked by hand at 24 fps (86400 is 01:00:00:00).

Change list 1, v1 "Popeye reel 1 v1" (86400-88800, 100 s) -> v2 "Popeye reel 1 v2"
(86400-88584, 91 s), applied:

1. trim_tail of shot A010: its last 24 frames, old 86856-86880 (01:00:19:00-01:00:20:00);
2. delete of shot B020, old 86880-87120 (01:00:20:00-01:00:30:00), 240 frames;
3. insert of shot N100, new 87336-87384 (01:00:39:00-01:00:41:00), 48 frames.

Kept: A010 86400-86856 at 86400 (0), C030 87120-87600 at 86856 (-264), D040 87600-88800
at 87384 (-216).  Flags, in the old cut's order:

- 1M1 "Main Title" old 86500-87000, cut into: "Ship horn" on its hit; "Bell" (in the
  trimmed tail) and "Whistle" (in the deleted shot) cut out.  Fixed with proposal 2
  (cut bars).
- 2M1 "Chase" old 87300-87900 (start in C030, -264), the insert between its hits:
  "Car door" 87400 -> 87136 on it (0); "Crash" 87700 -> 87484 and "Glass" 87800 -> 87584,
  where the music puts them 48 frames early (+48).  Open, four proposals: insert bars
  (0 0 0), re-solve the tempo (0 +1 -2), move the start (-24 +24 +24), keep (0 +48 +48).
- 3M1 "Finale" old 88000-88600, moved whole (-216): "Kiss" 88300 -> 88084 on it.  Open,
  nothing proposed yet.

Change list 2, v2 -> v3, compared only: a move (+120) and a replace, no flag.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from filmscore.conform.changes import Change, ChangeList, Flag, Hit, Span
from filmscore.model import ChangeList as ChangeListRow
from filmscore.model import ConformFlag, Cue, PictureVersion, SyncPoint
from filmscore.project import open_project
from filmscore.store import transaction

HOUR = 86400
COMPARED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
APPLIED = datetime(2026, 12, 1, 9, 45, tzinfo=UTC)

CHANGES = ChangeList(
    old_name="Popeye_v1.edl", new_name="Popeye_v2.edl", rate_name="24",
    old_version=1, new_version=2, project="Test Film #1",
    changes=(
        Change("trim_tail", "A010", "A001", 86856, 86880, 86856, 86856, delta=0,
               frames=-24, note="24 frames off its tail"),
        Change("delete", "B020", "B002", 86880, 87120, None, None, delta=0, frames=-240),
        Change("insert", "N100", "N009", None, None, 87336, 87384, delta=0, frames=48),
    ),
    spans=(Span(86400, 86856, 86400, "A010"), Span(87120, 87600, 86856, "C030"),
           Span(87600, 88800, 87384, "D040")),
    warnings=("event 7 has no source timecode: matched by its clip name",))

SECOND = ChangeList(
    old_name="Popeye_v2.edl", new_name="Popeye_v3.edl", rate_name="24", old_version=2,
    new_version=3,
    changes=(Change("move", "C030", "C003", 86856, 87336, 86976, 87456, delta=120),
             Change("replace", "D040", "D004", 87384, 87432, 87384, 87432)),
    spans=(Span(86400, 88584, 86400),))

#: cue -> (title, old start, old end, new start, new end)
CUES = {
    "1M1": ("Main Title", 86500, 87000, 86500, 86856),
    "2M1": ("Chase", 87300, 87900, 87036, 87684),
    "3M1": ("Finale", 88000, 88600, 87784, 88384),
}
#: cue -> [(description, kind, old frame, new frame, music frame)]
HITS = {
    "1M1": [("Ship horn", "hard", 86600, 86600, 86600), ("Bell", "soft", 86870, None, 86870),
            ("Whistle", "hard", 86950, None, 86950)],
    "2M1": [("Car door", "hard", 87400, 87136, 87136), ("Crash", "hard", 87700, 87484, 87436),
            ("Glass", "soft", 87800, 87584, 87536)],
    "3M1": [("Kiss", "downbeat", 88300, 88084, 88084)],
}
#: cue -> (reason, status, chosen, [(kind, description, detail, offs after per hit)])
FLAGS = {
    "1M1": ("cut_into", "fixed", 1, [
        ("keep", "keep the music as it is", {}, [0, None, None]),
        ("cut_bars", "cut bars 13-16 (the music under the shots taken out)",
         {"bars": [13, 16]}, [0, None, None])]),
    "2M1": ("hits_moved", "open", None, [
        ("insert_bars", "insert 2 bars of 4/4 before bar 9 (48 frames at 120 bpm)",
         {"at_bar": 9, "bars": 2}, [0, 0, 0]),
        ("resolve_tempo", "re-solve the tempo map keeping 24 bars: 120 to 117.6 bpm from "
         "bar 5", {"bars": 24}, [0, 1, -2]),
        ("move_start", "move the start 24 frames later", {"frames": 24}, [-24, 24, 24]),
        ("keep", "keep the music as it is", {}, [0, 48, 48])]),
    "3M1": ("moved", "open", None, []),
}


def add_conform(project_dir: Path, *, db: str | None = None) -> dict[str, list[int]]:
    """Give the project the picture versions, cues, sync points, change lists and flags
    described above; returns each cue's sync point ids in hit order."""
    with open_project(project_dir, db=db) as pctx, transaction(pctx.engine) as session:
        pid = pctx.project_id
        versions = {n: PictureVersion(project_id=pid, number=n, name=f"Popeye reel 1 v{n}",
                                      source_name=f"Popeye_v{n}.edl", source_kind="edl",
                                      rate_name="24",
                                      start_frame=HOUR, duration_frames=length)
                    for n, length in ((1, 2400), (2, 2184), (3, 2184))}
        session.add_all(versions.values())
        cues, ids = {}, {}
        for seq, (number, (title, _a, _b, start, end)) in enumerate(CUES.items(), 1):
            cue = Cue(project_id=pid, number=number, reel=int(number[0]), seq=seq,
                      title=title, start_frame=start, end_frame=end)
            session.add(cue)
            session.flush()
            points = []
            for description, kind, old, new, _music in HITS[number]:
                point = SyncPoint(cue_id=cue.id, frame=new if new is not None else old,
                                  description=description, kind=kind)
                session.add(point)
                points.append(point)
            session.flush()
            cues[number], ids[number] = cue, [p.id for p in points]
        session.flush()
        first = ChangeListRow(project_id=pid, number=1, old_version_id=versions[1].id,
                              new_version_id=versions[2].id, data=CHANGES.to_json(),
                              applied_at=APPLIED, created_at=COMPARED,
                              author="music editor user", note="the director's cut of reel 1")
        second = ChangeListRow(project_id=pid, number=2, old_version_id=versions[2].id,
                               new_version_id=versions[3].id, data=SECOND.to_json(),
                               created_at=datetime(2026, 12, 3, 14, 0, tzinfo=UTC))
        session.add_all([first, second])
        session.flush()
        for number, (reason, status, chosen, proposals) in FLAGS.items():
            _title, old_start, old_end, new_start, new_end = CUES[number]
            hits = tuple(Hit(sid, kind, description, old, new, music,
                             None if new is None else new - music)
                         for sid, (description, kind, old, new, music)
                         in zip(ids[number], HITS[number], strict=True))
            flag = Flag(number, reason, old_start, old_end, new_start, new_end, hits)
            session.add(ConformFlag(
                change_list_id=first.id, cue_id=cues[number].id, reason=reason,
                data=asdict(flag), status=status, chosen=chosen,
                proposals=[{"kind": kind, "description": text, "detail": detail,
                            "hits_off": [[sid, off] for sid, off
                                         in zip(ids[number], offs, strict=True)]}
                           for kind, text, detail, offs in proposals]))
    return ids
