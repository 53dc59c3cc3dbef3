"""`filmscore demo`: run the main job on the demo film and print what it made."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        out: Path = typer.Argument(Path("demo-out"), help="Output folder (replaced if the "
                                   "demo made it before)."),
        data: Path | None = typer.Option(None, "--data", help="Folder with the demo film "
                                         "(default: demo/popeye1936 in the source tree)."),
    ) -> None:
        """Build the demo project on 'Popeye the Sailor Meets Sindbad the Sailor' (1936)."""
        from filmscore.cli.picture import _print
        from filmscore.cli.report import spotting_tables
        from filmscore.demo import run_demo

        result = run_demo(out, data, step=lambda msg: console.print(f"> {msg}", style="bold"))
        _print(result.picture)
        for item in spotting_tables(result.cues, result.picture.rate, title=result.title):
            console.print(item)
        _print_maps(result)
        _print_themes(result)
        _print_orchestrations(result)
        console.print(f"Project: {result.project_dir}")
        for label, path in result.files.items():
            console.print(f"  {label}: {path}")


def _print_maps(result) -> None:
    from filmscore.cli.common import table
    from filmscore.sync.tempomap import format_bpm, format_frameclick

    rows = []
    for number, tmap in result.tempo_maps.items():
        seg = tmap.segments
        tempos = " > ".join(format_bpm(s.tempo_bpm) for s in seg)
        clicks = " > ".join(format_frameclick(s.tempo_bpm, tmap.rate) for s in seg)
        rows.append([number, str(tmap.bar_count), tempos, clicks])
    console.print(table("Tempo maps (hard hits landed within 1 frame)",
                        ["cue", "bars", "BPM", "frame-click"], rows, right=("bars",)))
    console.print(f"Clicks, MIDI and streamers: {result.project_dir}/clicks, "
                  f"{result.project_dir}/streamers; click sheets: "
                  f"{result.project_dir.parent}/click-sheets")


def _print_themes(result) -> None:
    from filmscore.cli.common import table

    report = result.theme_report
    if report is None:
        return
    rows = [[cue, ", ".join(themes) or "-"] for cue, themes in report.by_cue.items()]
    console.print(table("Themes in each cue's sketch (filmscore themes report)",
                        ["cue", "themes found"], rows, wrap=("themes found",)))
    console.print(f"Sketches: {result.project_dir.parent}/sketches; mockups: "
                  f"{result.project_dir}/mockups")


def _print_orchestrations(result) -> None:
    from filmscore.cli.common import table

    rows = [[o.cue, o.ensemble, str(o.chairs_playing), str(o.chairs_tacet), str(o.decisions),
             ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(o.check.items()) if n)
             or "clean"] for o in result.orchestrations]
    if rows:
        console.print(table("Orchestrations (filmscore decisions / check CUE for details)",
                            ["cue", "ensemble", "chairs playing", "tacet", "decisions",
                             "playability check"], rows,
                            right=("chairs playing", "tacet", "decisions"),
                            wrap=("playability check",)))
        console.print(f"Parts and tacet sheets: {result.files['parts']}; scores: "
                      f"{result.files['scores']}; session books: {result.files['books']}")
