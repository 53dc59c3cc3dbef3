"""`filmscore stagepack SESSION OUT_DIR`: the session's run sheet and playback files."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, working


def stagepack(
    ctx: typer.Context,
    session: str = typer.Argument(..., help="The session's name, e.g. 'Day 1 AM'."),
    out_dir: Path = typer.Argument(..., help="The pack's folder (replaced as a whole when "
                                   "it exists)."),
    video: bool = typer.Option(True, "--video/--no-video",
                               help="Render each cue's streamer video (the slow part)."),
    books: bool = typer.Option(False, "--books/--no-books",
                               help="Add a session book per chair (the orchestrated cues "
                               "in recording order, parts or tacet sheets) in books/."),
) -> None:
    """Write the stage pack: run sheet (PDF, CSV), per cue the click, MIDI tempo map,
    streamers, electronics, parts and score, a timeline (.otio, FCP 7 .xml) and a
    manifest."""
    from filmscore.recording.stagepack_service import write_stage_pack

    def done(cue, count: int, total: int) -> None:
        console.print(cue.summary)
        report(count, total)

    with open_ctx(ctx) as pctx, working(f"stage pack of {session}") as report:
        pack = write_stage_pack(pctx, session, out_dir, video=video, books=books,
                                progress=done)
    made = [f for f in pack.files if f.kind == "book"]
    if made:
        console.print(f"books: {len(made)} (one per chair) in {pack.folder / 'books'}")
    console.print(f"Wrote the stage pack of {pack.session!r} ({len(pack.sheet.entries)} "
                  f"entries, {len(pack.files)} files) to {pack.folder}: load timeline.otio "
                  f"or timeline.xml.")


def register(app: typer.Typer) -> None:
    app.command("stagepack")(stagepack)
