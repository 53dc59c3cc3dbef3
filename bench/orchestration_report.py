"""Orchestrations of the demo, before and after: players, unison doublings, named instruments
left tacet, the playability check; writes docs/orchestration-report.md.

*Before* is what a demo project holds: each cue's latest stored orchestration (a demo run
made with an earlier filmscore, e.g. the main branch's demo-out).  *After* is either another
demo project's stored orchestrations (``--after``), or, by default, the current code run
on the *before* project's own sketches, exactly as ``filmscore orchestrate`` would (the
cue's latest music, its notes and sync points, the studio orchestra): the same input, so
the two columns differ only by the orchestrator.

Per cue: chairs and players that play; *unison lines*, groups of chairs that sound the
same pitches at the same times for at least ``unisons.MIN_NOTES`` notes in a row (and how
many of them are within one instrument, e.g. Horns 2-4, and how many are listed as a
decision); the instruments the cue's notes name that no chair plays; the playability
check's counts (``filmscore check``).

    .venv/bin/python bench/orchestration_report.py --before ../main/demo-out/popeye1936
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from filmscore.fileio import write_atomic  # noqa: E402
from filmscore.formats.musicxml import read_music, write_full_score  # noqa: E402
from filmscore.orchestration.brief import CueBrief, cue_brief, read_brief  # noqa: E402
from filmscore.orchestration.check import check_score  # noqa: E402
from filmscore.orchestration.ensembles import (  # noqa: E402
    CueInstrumentation,
    Ensemble,
    get_template,
)
from filmscore.orchestration.instruments import get_instrument  # noqa: E402
from filmscore.orchestration.orchestrate import orchestrate  # noqa: E402
from filmscore.orchestration.service import cue_score, survey_score  # noqa: E402
from filmscore.orchestration.unisons import unison_lines, unisons  # noqa: E402
from filmscore.project import open_project  # noqa: E402
from filmscore.sync.service import all_cue_syncs  # noqa: E402
from filmscore.writing.music import Music  # noqa: E402
from filmscore.writing.service import load_version  # noqa: E402


@dataclass
class CueFacts:
    cue: str
    chairs: int
    players: int
    lines: list[tuple[str, ...]]
    same_instrument: int  # pairs of chairs of one instrument in unison (Horn 2 = Horn 3)
    listed: int
    named_tacet: list[str]
    check: dict[str, int]
    decisions: int
    named: list[str] = field(default_factory=list)


def _named_tacet(brief: CueBrief, inst: CueInstrumentation) -> tuple[list[str], list[str]]:
    """(named instruments, those no chair plays in this cue)."""
    reading = read_brief(brief)
    named = sorted(reading.named())
    played = {key for use in inst.uses for key in use.instruments}
    # a family named as a whole ("brass", "strings") is played when any of it plays
    families = [set(a.instruments) for a in reading.asks if len(a.instruments) > 1]
    out = []
    for key in named:
        if key in played:
            continue
        if any(key in fam and fam & played for fam in families) and not any(
                a.instruments == (key,) for a in reading.asks):
            continue
        out.append(key)
    return named, out


def _facts(number: str, full: Music, inst: CueInstrumentation, ensemble: Ensemble,
           brief: CueBrief, decisions: list[dict], stored_at: Path | None = None
           ) -> CueFacts:
    found = unisons(full.parts)
    lines = unison_lines(found)
    keys = {u.chair: u.instruments[0] for u in inst.uses}
    same_pairs = [(u.first, u.second) for u in found
                  if keys.get(u.first, u.first) == keys.get(u.second, u.second)]
    same = len(same_pairs)
    listed_pairs = {(d["chair"], d.get("message", "")) for d in decisions
                    if d.get("kind") == "unison"}
    listed = sum(1 for line in lines if all(
        any(chair in (u.first, u.second) and "in unison with" in message
            for chair, message in listed_pairs) for u in found
        if u.first in line))
    if stored_at is not None:
        counts = dict(check_score(survey_score(stored_at)).counts)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = write_full_score(full, Path(tmp) / "full.musicxml")
            counts = dict(check_score(survey_score(path)).counts)
    named, tacet = _named_tacet(brief, inst)
    return CueFacts(number, len(inst.uses), inst.player_count(ensemble), lines, same, listed,
                    tacet, counts, len(decisions), named)


def stored(project: Path) -> dict[str, CueFacts]:
    out = {}
    with open_project(project) as pctx:
        for cs in all_cue_syncs(pctx):
            number = str(cs.cue.number)
            score = cue_score(pctx, number)
            full = read_music(score.full_score)
            out[number] = _facts(number, full, score.instrumentation, score.ensemble,
                                 cue_brief(cs.cue, cs.tempo_map), list(score.decisions),
                                 score.full_score)
    return out


def fresh(project: Path) -> dict[str, CueFacts]:
    out = {}
    with open_project(project) as pctx:
        for cs in all_cue_syncs(pctx):
            number = str(cs.cue.number)
            ensemble = get_template(cue_score(pctx, number).ensemble.name)  # today's table
            _, short = load_version(pctx, number)
            if short.tempo_map is None:
                short = replace(short, tempo_map=cs.tempo_map)
            brief = cue_brief(cs.cue, cs.tempo_map)
            result = orchestrate(short, ensemble, brief=brief)
            out[number] = _facts(number, result.full, result.instrumentation, ensemble,
                                 brief, [d.to_dict() for d in result.decisions])
    return out


def _check_text(counts: dict[str, int]) -> str:
    shown = {k: v for k, v in counts.items() if v and k != "empty_part"}
    return ", ".join(f"{k} {v}" for k, v in sorted(shown.items())) or "clean"


def _names(keys: list[str]) -> str:
    return ", ".join(get_instrument(k).name.lower() for k in keys) or "-"


def report(before: dict[str, CueFacts], after: dict[str, CueFacts], before_name: str,
           after_name: str) -> str:
    lines = [
        "# Orchestrations of the demo, before and after",
        "",
        "Made by `bench/orchestration_report.py` (rerun it to refresh this page). "
        f"Before: {before_name}. After: {after_name}.",
        "",
        "*Players*: chairs that play and the players they seat (a string section counts its "
        "players). *Unison lines*: groups of chairs sounding the same pitches at the same "
        "times for 4 notes or more in a row (chairs in unison with a common chair make one "
        "line); *same instrument* counts the pairs of chairs of one instrument in unison "
        "(Horns 2, 3, 4 on one line are three pairs); *listed* the lines the orchestrator "
        "lists as decisions (`filmscore decisions CUE`, kind `unison`). *Named, tacet*: "
        "instruments the cue's instrumentation text names that no chair plays. *Check*: the "
        "playability check's findings (`filmscore check CUE`; empty parts are not "
        "counted).",
        "",
        "| cue | chairs (players) before | after | unison lines before (same-instrument "
        "pairs) | after (same-instrument pairs; lines listed) | named, tacet before | after "
        "| check before | after |",
        "|---|---:|---:|---:|---:|---|---|---|---|",
    ]
    totals = [0] * 8
    for number, b in before.items():
        a = after.get(number)
        if a is None:
            continue
        lines.append(
            f"| {number} | {b.chairs} ({b.players}) | {a.chairs} ({a.players}) | "
            f"{len(b.lines)} ({b.same_instrument}) | {len(a.lines)} ({a.same_instrument}; "
            f"{a.listed}) | {_names(b.named_tacet)} | {_names(a.named_tacet)} | "
            f"{_check_text(b.check)} | {_check_text(a.check)} |")
        for i, value in enumerate((b.players, a.players, len(b.lines), len(a.lines),
                                   b.same_instrument, a.same_instrument,
                                   len(b.named_tacet), len(a.named_tacet))):
            totals[i] += value
    lines += [
        f"| **all** | {totals[0]} players | {totals[1]} players | {totals[2]} "
        f"({totals[4]}) | {totals[3]} ({totals[5]}) | {totals[6]} | {totals[7]} | | |",
        "",
        "## Reading it",
        "",
        "- *Same-instrument pairs* are what the issue saw (Horns 2, 3 and 4 on one line, "
        "Trumpets 1 to 3 on one line, Trombones 1 and 2, Bassoons 1 and 2): a section "
        "playing a line in unison by accident. After, a section voices its chords one tone a "
        "chair (horns 1-3-2-4, trumpets and trombones by register), and what remains is "
        "deliberate and listed (horns 1 and 3 a2: on the tune of 1M4, and with the second "
        "violins on a line of 1M2).",
        "- *Unison lines* rise with the players: the tutti the notes make available plays "
        "(horns on the harmony with the second violins and violas, bassoons with the cellos, "
        "tuba and bassoon 2 with the basses: the book's doublings of two families). Every "
        "one of them is a `unison` decision.",
        "- *Players* fall where the notes ask for few (1M6 chamber orchestra: 21 players; "
        "1M11s celesta and two percussionists) and rise where the tutti was idle (harp, "
        "timpani, clarinets, xylophone play where the notes name them).",
        "- The marks (dynamics, hairpins, articulations, techniques) are carried and "
        "balanced in the orchestration, one level at a time per chair, and reach every "
        "engraved part and score (`filmscore check --engraving`: no findings on the demo).",
        "",
        "## Unison lines, cue by cue",
        "",
    ]
    for number, b in before.items():
        a = after.get(number)
        if a is None:
            continue
        lines.append(f"- **{number}** before: " + ("; ".join(" = ".join(line)
                                                             for line in b.lines) or "none"))
        lines.append("  after: " + ("; ".join(" = ".join(line) for line in a.lines)
                                     or "none"))
    lines += ["", "## What the notes name", ""]
    for number, a in after.items():
        lines.append(f"- **{number}**: {_names(a.named)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, type=Path,
                        help="a demo project (demo-out/popeye1936) with stored orchestrations")
    parser.add_argument("--after", type=Path, help="another demo project (default: the "
                        "current code on the --before project's sketches)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "orchestration-report.md")
    args = parser.parse_args()
    before = stored(args.before)
    after = stored(args.after) if args.after else fresh(args.before)
    after_name = ("the stored orchestrations of a demo run with the current code "
                  "(`filmscore demo`, with its own sketches: since issue 9 in each cue's "
                  "meter, with dynamics)" if args.after else
                  "the current orchestrator on the same sketches, notes and sync points")
    text = report(before, after, "the stored orchestrations of a demo run of the main "
                                 "branch before issue 9", after_name)
    write_atomic(args.out, text.encode("utf-8"))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
