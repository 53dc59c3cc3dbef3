"""The demo's conform: the director re-cuts reel 1 after the score is recorded, and the
music follows.

The second cut (made here from the same four parts, as an editor would deliver it: an
EDL of the sources and a reference video) makes four edits to the assembly:

- **trim**: the roc on the cliff (1M3) loses 12 frames at its head;
- **drop**: the shot of Popeye and Wimpy on the hull (the end of 1M6) is gone;
- **move**: Sindbad holding Popeye (1M9) now comes before the roast-roc reveal (1M8);
- **extend**: the 16-frame fragment of Sindbad on his island (the head of 1M7) runs on
  with a second of Sindbad's island from part 2 (to the conform: new material beside it;
  the assembly used every frame of the parts, so no shot can run on from its own source).

The reference video is rendered from reel 1's own picture (the same frames of the
parts, scaled once already), not from the parts again: decoding the parts' HEVC at
1440x1074 was most of the minute and a half this took, for the same frames a generation
later; the EDL names the parts, as the editor's would.

The picture is imported as version 2, compared with version 1 into a change list (CSV,
change EDL, PDF and HTML reports), the change list is applied (every cue and sync point
moves with its shot, the cues cut into flagged with each hit's frames off), and every
flagged cue takes the fix that leaves its hits closest (re-solved tempo, bars cut or
inserted at bar lines, or a moved start): its click, MIDI tempo map, click sheet,
streamers and parts are made again, and a recorded cue gets a pickup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: the second cut's events: (source part, first frame, end frame) in the parts' frames at
#: 24 fps (each part 1440 frames), in the new order
TRIM = ("part2", 661, 673)  # the head of the roc-on-the-cliff shot (01:01:27:13)
DROP = ("part3", 1336, 1440)  # Popeye and Wimpy on the hull (01:02:55:16)
MOVED = ("part4", 965, 1086)  # Sindbad holds Popeye (01:03:40:05), before 01:03:32:02
EXTENSION = ("part2", 600, 624)  # Sindbad's island, after the 16-frame fragment
SECOND_CUT = (
    ("part1", 0, 1440),
    ("part2", 0, 661), ("part2", 673, 1440),
    ("part3", 0, 1336),
    ("part4", 0, 16), EXTENSION, ("part4", 16, 770),
    MOVED, ("part4", 770, 965),
    ("part4", 1086, 1440),
)


@dataclass
class ConformResult:
    """What the demo's conform made."""

    picture: object = None  # PictureSummary of version 2
    change_list: int = 0
    flags: list = field(default_factory=list)
    fixed: list = field(default_factory=list)
    regenerated: list = field(default_factory=list)  # the cues moved whole or kept
    files: dict[str, Path] = field(default_factory=dict)


def second_cut_edl(out: Path, *, rate, start: int, size, reel: Path,
                   parts: dict[str, int]) -> tuple[Path, Path]:
    """The second cut's EDL (of the parts) and reference video (rendered from ``reel``,
    reel 1's picture: ``parts``, each part's name and frames, joined in that order from
    its first frame)."""
    from filmscore.formats.otio_cut import write_edl
    from filmscore.formats.video import assemble
    from filmscore.spotting.cut import CutEvent, make_cut
    from filmscore.timecode import format_label

    events, record = [], start
    for n, (part, first, end) in enumerate(SECOND_CUT, 1):
        events.append(CutEvent(index=n, clip_name=f"{part}.mkv",
                               source_reel=part.upper(), source_in=first, source_out=end,
                               record_in=record, record_out=record + end - first))
        record += end - first
    edl = out / "popeye1936_reel1_v2.edl"
    write_edl(make_cut(name="POPEYE 1936 REEL 1 V2", rate=rate, events=events,
                       source="director's cut", source_kind="edl"), edl)
    video = out / "popeye1936_reel1_v2.mp4"
    offsets, at = {}, 0  # each part's first frame in the reel
    for part, frames in parts.items():
        offsets[part] = at
        at += frames
    assemble([(reel, offsets[part] + first, offsets[part] + end)
              for part, first, end in SECOND_CUT], video, size=size,
             timecode=format_label(start, rate))
    return edl, video


def conform_stage(pctx, out: Path, *, rate, start: int, size, reel: Path,
                  parts: dict[str, int], step) -> ConformResult:
    """Import the second cut as picture version 2, compare it with version 1, apply the
    change list and fix every flagged cue with the fix that leaves its hits closest.
    ``reel`` is reel 1's picture, ``parts`` the name and frames of each part joined into
    it, in order."""
    from filmscore.conform.fixing import fix, proposals, regenerate_moved
    from filmscore.conform.service import apply, compare, export_change_list
    from filmscore.spotting.service import import_picture

    result = ConformResult()
    needed = {part: max(end for p, _, end in SECOND_CUT if p == part) for part, _, _ in
              SECOND_CUT}
    if any(parts.get(part, 0) < frames for part, frames in needed.items()):
        step("Conform: skipped (the second cut is made of the Popeye parts' own shots)")
        return result
    folder = out / "conform"
    folder.mkdir(parents=True, exist_ok=True)
    step("Conform: the director's second cut of reel 1 (a shot trimmed, one dropped, one "
         "moved, one extended), rendered from reel 1's picture")
    edl, video = second_cut_edl(out / "picture", rate=rate, start=start, size=size,
                                reel=reel, parts=parts)
    result.picture = import_picture(pctx, edl, video=video, name="Reel 1 director's cut",
                                    note="trim, drop, move, extend")
    step("Conform: comparing picture v1 with v2 (the change list: CSV, change EDL, PDF, "
         "HTML)")
    info, _changes = compare(pctx, 1, result.picture.number, note="the director's cut",
                             author="music editor")
    result.change_list = info.number
    paths = {kind: folder / f"change-list-{info.number}.{kind}"
             for kind in ("csv", "edl", "pdf", "html")}
    export_change_list(pctx, info.number, **paths)
    result.files.update({f"change_list_{kind}": path for kind, path in paths.items()})
    step("Conform: applying the change list (every cue and sync point follows its shot)")
    applied = apply(pctx, info.number, author="music editor")
    result.flags = list(applied.flags)
    for flag in applied.flags:
        if flag.status != "open":
            continue
        listed = proposals(pctx, info.number, flag.cue)
        best = min(range(len(listed.proposals)),
                   key=lambda n: listed.proposals[n].worst_off)  # listed best first
        step(f"Conform: cue {flag.cue} ({flag.reason}, worst hit {flag.flag.worst_off} "
             f"frames off): {listed.proposals[best].description}")
        result.fixed.append(fix(pctx, info.number, flag.cue, best + 1,
                                author="music editor"))
    step("Conform: the cues moved whole or kept: clicks, click sheets, streamers and parts "
         "at their new timecodes")
    result.regenerated = regenerate_moved(pctx, info.number)
    return result
