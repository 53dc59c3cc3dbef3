"""Rich tables for the spotting list and one cue (formatting only; totals come from cues)."""

from __future__ import annotations

from rich.table import Table

from filmscore.cli.common import table
from filmscore.spotting.cues import CueSpec, film_total, reel_totals
from filmscore.timecode import Rate, format_duration, format_label


def spotting_tables(cues: list[CueSpec], rate: Rate, *, title: str) -> list[Table | str]:
    rows = []
    for c in cues:
        hard = sum(1 for s in c.sync_points if s.kind == "hard")
        rows.append([
            str(c.number), c.title, format_label(c.start_frame, rate),
            format_label(c.end_frame, rate), format_duration(c.end_frame - c.start_frame, rate),
            f"{len(c.sync_points)} ({hard} hard)",
            c.notes if len(c.notes) <= 60 else c.notes[:59] + "…",
        ])
    out: list[Table | str] = [
        table(f"Spotting list: {title} ({rate.name} fps)",
              ["cue", "title", "in", "out", "length", "sync points", "notes"], rows,
              right=("length",))
    ]
    totals = [*reel_totals(cues, rate), film_total(cues, rate)]
    trows = [[f"reel {t.reel}" if t.reel is not None else "film", str(t.count), t.duration,
              f"{t.score_count} / {format_duration(t.score_frames, rate)}",
              f"{t.source_count} / {format_duration(t.source_frames, rate)}"]
             for t in totals]
    out.append(table("Music totals", ["", "cues", "music", "score", "source"], trows,
                     right=("cues", "music", "score", "source")))
    return out


def cue_detail(c: CueSpec, rate: Rate) -> list[Table | str]:
    head = (f"{c.number} {c.title}: {format_label(c.start_frame, rate)} to "
            f"{format_label(c.end_frame, rate)} "
            f"({format_duration(c.end_frame - c.start_frame, rate)})")
    lines: list[Table | str] = [head]
    for label, value in (("notes", c.notes), ("mood", c.mood),
                         ("instrumentation", c.instrumentation)):
        if value:
            lines.append(f"  {label}: {value}")
    if c.temp_track:
        span = ""
        if c.temp_in is not None:
            span = f" {format_label(c.temp_in, rate)}"
            if c.temp_out is not None:
                span += f"-{format_label(c.temp_out, rate)}"
        lines.append(f"  temp: {c.temp_track}{span}")
    rows = [[str(i), format_label(s.frame, rate),
             "+" + format_duration(s.frame - c.start_frame, rate), s.kind, f"{s.weight:g}",
             s.description] for i, s in enumerate(c.sync_points, 1)]
    lines.append(table(None, ["#", "timecode", "in cue", "kind", "weight", "what"], rows))
    return lines
