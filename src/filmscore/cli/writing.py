"""`filmscore music|themes|mockup|review ...`: the composer's versions, themes and mockups."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table, working

music_app = typer.Typer(help="A cue's music versions: import (MIDI, MusicXML), list, export.",
                        no_args_is_help=True)
themes_app = typer.Typer(help="Themes and motifs: add, list, show, transform, export, "
                         "report where they appear.", no_args_is_help=True)
review_app = typer.Typer(help="Director review: notes at timecodes, approve, ask for "
                         "changes, history.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(music_app, name="music")
    app.add_typer(themes_app, name="themes")
    app.add_typer(review_app, name="review")
    app.command("mockup")(mockup)


# --- music versions ----------------------------------------------------------------------


@music_app.command("import")
def music_import(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    file: Path = typer.Argument(..., help="A .mid, .musicxml, .xml or .mxl file."),
    author: str = typer.Option("", "--by", help="Who wrote this version."),
    reason: str = typer.Option("", "--why", help="Why (e.g. 'director's notes of 12 May')."),
) -> None:
    """Import the cue's next music version and check it against the cue."""
    from filmscore.writing.service import import_version

    pctx = open_ctx(ctx)
    summary, check = import_version(pctx, cue, file, author=author, reason=reason)
    console.print(f"{summary.label}: {summary.note_count} notes from {summary.source_name}. "
                  f"{check.summary()}.")
    for hit in check.missed:
        console.print(f"  missed: {hit.description or 'hit'} at {hit.position}: the music's "
                      f"tempo puts it {float(hit.frames_off):+.2f} frames off")


@music_app.command("list")
def music_list(ctx: typer.Context, cue: str = typer.Argument(..., help="Cue number.")) -> None:
    """A cue's music versions: who, when, why, and what the import check found."""
    from filmscore.writing.service import list_versions

    rows = [[f"v{v.number}", v.source_name, v.author, v.reason,
             v.created_at.strftime("%Y-%m-%d %H:%M") if v.created_at else "",
             str(v.note_count), _check_text(v.check)]
            for v in list_versions(open_ctx(ctx), cue)]
    console.print(table(f"Music of cue {cue}", ["version", "file", "by", "why", "when", "notes",
                                                "check"], rows, wrap=("why", "check")))


def _check_text(check: dict) -> str:
    hits = check.get("hits", [])
    missed = sum(1 for h in hits if not h["landed"])
    off = check.get("length_frames", 0) - check.get("cue_frames", 0)
    text = f"{len(hits) - missed}/{len(hits)} hits" if hits else "no tempo to check"
    return text + (f", {off:+d} frames long" if off else ", fits")


@music_app.command("export")
def music_export(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    file: Path = typer.Argument(..., help="Output .mid, .musicxml or .mxl."),
    version: int | None = typer.Option(None, "--version", help="Version number (default: "
                                       "the latest)."),
) -> None:
    """Write a music version as MIDI or MusicXML."""
    from filmscore.formats import writer_for
    from filmscore.writing.service import load_version

    summary, music = load_version(open_ctx(ctx), cue, version)
    writer_for("music", file)(music, file)
    console.print(f"Wrote {summary.label} to {file}.")


# --- themes ----------------------------------------------------------------------------


@themes_app.command("add")
def themes_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Theme name, e.g. Popeye."),
    file: Path | None = typer.Option(None, "--file", help="MIDI or MusicXML excerpt."),
    notes: str | None = typer.Option(None, "--notes", help="Compact notes (music21 "
                                     "tinyNotation), e.g. \"4/4 c4 d8 e f g4 a\"."),
    stands_for: str = typer.Option("", "--stands-for", help="Character, place or event."),
    kind: str = typer.Option("theme", "--kind", help="theme or motif."),
) -> None:
    """Add a theme or motif to the score's library."""
    from filmscore.errors import InputError
    from filmscore.writing.service import add_theme, theme_music

    if (file is None) == (notes is None):
        raise InputError("give the theme's music with --file or --notes", field="file",
                         valid="--file THEME.mid, or --notes \"4/4 c4 d e f\"")
    music = theme_music(file if file is not None else notes, notes_string=notes is not None)
    info = add_theme(open_ctx(ctx), name, music, stands_for=stands_for, kind=kind)
    console.print(f"Added {info.kind} {info.name!r} ({len(_melody(info))} notes).")


def _melody(info):
    from filmscore.writing.themes import Theme

    return Theme(info.name, info.stands_for, info.kind, info.music).melody


@themes_app.command("list")
def themes_list(ctx: typer.Context) -> None:
    """The themes and motifs, with what they stand for and their variants."""
    from filmscore.writing.service import list_themes

    rows = [[t.name, t.kind, t.stands_for, t.parent or "", t.transformation,
             str(len(_melody(t)))] for t in list_themes(open_ctx(ctx))]
    console.print(table("Themes", ["name", "kind", "stands for", "variant of", "how",
                                   "notes"], rows, right=("notes",),
                        wrap=("stands for", "how")))


@themes_app.command("show")
def themes_show(ctx: typer.Context, name: str = typer.Argument(..., help="Theme name.")) -> None:
    """One theme: what it stands for and its notes."""
    from filmscore.formats.notestring import format_notestring
    from filmscore.writing.service import get_theme
    from filmscore.writing.transform import pitch_name

    info = get_theme(open_ctx(ctx), name)
    console.print(f"{info.name} ({info.kind}): {info.stands_for}")
    if info.parent:
        console.print(f"  variant of {info.parent}: {info.transformation}")
    try:
        console.print(f"  {format_notestring(info.music)}")
    except Exception:  # not writable as a note string (chords, odd lengths): list notes
        console.print("  " + " ".join(pitch_name(n.pitch) for n in _melody(info)))


@themes_app.command("transform")
def themes_transform(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Theme to transform."),
    op: str = typer.Option(..., "--op", help="transpose, change_mode, augment, diminish, "
                           "invert, invert_diatonic, retrograde, fragment, change_meter, "
                           "change_tempo, revoice."),
    arg: list[str] = typer.Option([], "--arg", help="Parameters as NAME=VALUE, e.g. "
                                  "semitones=3, to_mode=minor, first=4, factor=2."),
    save_as: str | None = typer.Option(None, "--as", help="Save the result as a variant "
                                       "with this name."),
    export: Path | None = typer.Option(None, "--export", help="Also write it as MusicXML, "
                                       "MIDI or a WAV preview (by suffix)."),
) -> None:
    """Transform a theme (for a mood), optionally save it as a variant and export it."""
    from filmscore.writing.service import derive_theme

    pctx = open_ctx(ctx)
    result = derive_theme(pctx, name, op, dict(_pairs(arg)), save_as=save_as, export=export)
    console.print(f"{name} -> {result.description}" +
                  (f"; saved as {save_as!r}" if save_as else "") +
                  (f"; wrote {export}" if export else ""))


def _pairs(args: list[str]):
    from filmscore.errors import InputError

    for item in args:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError("not a NAME=VALUE parameter", field="arg", value=item,
                             valid="e.g. semitones=3 or to_mode=minor")
        yield key.strip(), value.strip()


@themes_app.command("export")
def themes_export(ctx: typer.Context, name: str = typer.Argument(..., help="Theme name."),
                  file: Path = typer.Argument(..., help="Output .musicxml, .mxl, .mid or "
                                              ".wav (an audio preview).")) -> None:
    """Write a theme as MusicXML or MIDI, or render an audio preview."""
    from filmscore.writing.service import export_theme

    export_theme(open_ctx(ctx), name, file)
    console.print(f"Wrote {file}.")


@themes_app.command("report")
def themes_report(
    ctx: typer.Context,
    show_all: bool = typer.Option(False, "--all", help="Show the occurrences the composer "
                                  "rejected too (marked rejected)."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Also write the report as "
                                         "CSV to this file."),
    pdf_file: Path | None = typer.Option(None, "--pdf", help="Also write a PDF: a page per "
                                         "theme, each occurrence's bars engraved."),
    min_score: float | None = typer.Option(None, "--min-score", help="Show occurrences "
                                           "down to this confidence (0.5 to 1; default "
                                           "0.7): less likely ones, to confirm or reject."),
    wide: bool = typer.Option(False, "--wide", help="The wide reading, down to 0.5: every "
                              "place the theme may be heard, its hand-offs from part to "
                              "part in mid-phrase and its head heard alone too (more false "
                              "places)."),
) -> None:
    """Where each theme appears in the cues' music (the latest version of each cue): a
    table per theme and per cue, with timecodes and the composer's verdicts."""
    from filmscore.formats import writer_for
    from filmscore.writing.concordance import found_as, within_words
    from filmscore.writing.service import theme_report

    pctx = open_ctx(ctx)
    # one search for the tables, the CSV and the PDF
    with working("searching and engraving the theme report") if pdf_file is not None \
            else contextlib.nullcontext():
        report = theme_report(pctx, include_rejected=show_all, min_score=min_score,
                              wide=wide, pdf=pdf_file)
    for theme, rows in report.by_theme().items():
        console.print(table(f"Theme {theme}", ["cue", "bar|beat", "to bar", "timecode",
                                               "part", "doubled by", "found as",
                                               "confidence", "verdict"],
                            [[m.cue, f"{m.bar}|{m.beat}", str(m.end_bar or m.bar),
                              m.timecode or "-", m.part, ", ".join(m.doubled_by) or "-",
                              found_as(m), f"{m.score:.2f}", _verdict(m)] for m in rows],
                            right=("confidence", "to bar"), wrap=("doubled by", "found as")))
    for cue, themes in report.by_cue.items():
        rows = [[f"{m.bar}|{m.beat}", m.timecode or "-", m.theme, m.part, found_as(m),
                 f"{m.score:.2f}", _verdict(m)] for m in report.matches if m.cue == cue]
        title = f"Cue {cue}: " + (", ".join(themes) or "no theme found")
        console.print(table(title, ["bar|beat", "timecode", "theme", "part", "found as",
                                    "confidence", "verdict"], rows, right=("confidence",),
                            wrap=("found as",)))
    found = report.by_theme()
    within = {t: report.heard_within(t) for t in report.themes if t not in found}
    for theme, rows in within.items():
        if rows:
            console.print(f"{theme}: " + within_words(rows))
    missing = [t for t, rows in within.items() if not rows]
    if missing:
        console.print("Not found in the latest music of any cue: " + ", ".join(missing) + ".")
    if report.hidden:
        console.print(f"{report.hidden} rejected occurrence(s) not shown (--all shows them).")
    if report.lost:
        console.print(f"{len(report.lost)} verdict(s) match no occurrence of this search "
                      "('filmscore themes verdicts' lists them).")
    if csv_file is not None:
        writer_for("themereport", csv_file)(report, csv_file)
        console.print(f"Wrote {csv_file}.")
    if pdf_file is not None:
        console.print(f"Wrote {pdf_file}.")


def _verdict(row) -> str:
    from filmscore.writing.concordance import verdict_words

    return verdict_words(row.verdict, row.verdict_by) or "-"


def _say(ctx, theme: str, cue: str, at: str, part: str | None, author: str, note: str,
         verdict: str) -> None:
    from filmscore.errors import InputError
    from filmscore.writing.service import set_verdict

    bar_text, sep, beat = at.partition("|")
    try:
        bar = int(bar_text)
    except ValueError:
        raise InputError("not a bar (or BAR|BEAT)", field="bar", value=at,
                         valid="a bar number, e.g. 12, or bar|beat, e.g. 12|3") from None
    if sep and not beat.strip():
        raise InputError("no beat after the bar", field="bar", value=at,
                         valid="a bar number, e.g. 12, or bar|beat, e.g. 12|3")
    row = set_verdict(open_ctx(ctx), theme, cue, bar, verdict,
                      beat=beat.strip() if sep else None, part=part, author=author,
                      note=note)
    console.print(f"{verdict.capitalize()}: {row.theme} in {row.cue} at {row.bar}|{row.beat}"
                  f" ({row.part}{', ' + row.timecode if row.timecode else ''}).")


@themes_app.command("confirm")
def themes_confirm(
    ctx: typer.Context,
    theme: str = typer.Argument(..., help="Theme name."),
    cue: str = typer.Argument(..., help="Cue number."),
    at: str = typer.Argument(..., help="Bar of the occurrence, or BAR|BEAT."),
    part: str | None = typer.Option(None, "--part", help="The part carrying it, when the "
                                    "bar has more than one occurrence."),
    author: str = typer.Option("", "--by", help="Who confirms."),
    note: str = typer.Option("", "--note", help="A word with it."),
) -> None:
    """Confirm an occurrence of the theme report: it stays confirmed after re-indexing."""
    _say(ctx, theme, cue, at, part, author, note, "confirmed")


@themes_app.command("reject")
def themes_reject(
    ctx: typer.Context,
    theme: str = typer.Argument(..., help="Theme name."),
    cue: str = typer.Argument(..., help="Cue number."),
    at: str = typer.Argument(..., help="Bar of the occurrence, or BAR|BEAT."),
    part: str | None = typer.Option(None, "--part", help="The part carrying it, when the "
                                    "bar has more than one occurrence."),
    author: str = typer.Option("", "--by", help="Who rejects."),
    note: str = typer.Option("", "--note", help="Why (e.g. 'only the accompaniment')."),
) -> None:
    """Reject an occurrence (not the theme): the report leaves it out from now on."""
    _say(ctx, theme, cue, at, part, author, note, "rejected")


@themes_app.command("verdicts")
def themes_verdicts(ctx: typer.Context) -> None:
    """The composer's verdicts and where each stands in the latest music (or not found)."""
    from filmscore.writing.service import verdict_listing

    rows = [[v.theme, v.cue, f"{v.bar}|{v.beat}", v.part, v.verdict, v.author,
             f"v{v.music_version}" if v.music_version else "",
             f"{row.bar}|{row.beat} ({row.part})" if row else "not found"]
            for v, row in verdict_listing(open_ctx(ctx))]
    console.print(table("Verdicts", ["theme", "cue", "given at", "part", "verdict", "by",
                                     "on", "now"], rows, wrap=("now",)))


# --- mockups -------------------------------------------------------------------------------


def mockup(
    ctx: typer.Context,
    cue: str | None = typer.Argument(None, help="Cue number (or --all)."),
    all_cues: bool = typer.Option(False, "--all", help="Every cue with music, in parallel."),
    soundfont: str = typer.Option("fluidr3", "--soundfont", help="fluidr3 (FluidR3 GM), "
                                  "musescore (MuseScore General, lossless: MuseScore's own "
                                  "orchestral set; 490 MB, half a GB of memory a render), "
                                  "draft (TimGM6mb: quick), or a .sf2 file."),
    draft: bool = typer.Option(False, "--draft", help="Same as --soundfont draft."),
    click: bool = typer.Option(False, "--click", help="Put the click in the review mix "
                               "(under the music), for checking sync."),
    lufs: float = typer.Option(-23.0, "--lufs", help="Loudness of the review mix (LUFS)."),
    version: int | None = typer.Option(None, "--version", help="Music version (default: "
                                       "the latest)."),
) -> None:
    """Render a cue's mockup with FluidSynth, its marks played: music stem, click stem,
    review mix."""
    from filmscore.errors import InputError
    from filmscore.writing.service import render_cue_mockups

    if draft and soundfont not in ("fluidr3", "draft"):
        raise InputError("--draft is --soundfont draft", field="soundfont", value=soundfont,
                         valid="--draft or --soundfont NAME, not both")
    pctx = open_ctx(ctx)
    with working(f"mockup {cue} (FluidSynth)", enabled=cue is not None):  # --all has a bar
        results = render_cue_mockups(pctx, cue, all_cues=all_cues,
                                     soundfont="draft" if draft else soundfont, lufs=lufs,
                                     version=version, click_in_mix=click, progress=console)
    for number, result in results:
        limited = ", peak-limited" if result.peak_limited else ""
        console.print(f"{number}: {result.mix} ({result.loudness_lufs:.1f} LUFS{limited}, "
                      f"{float(result.seconds):.1f} s)" +
                      (", click in the mix" if result.click_gain_db is not None else ""))


# --- review ----------------------------------------------------------------------------------


@review_app.command("note")
def review_note(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    at: str = typer.Argument(..., help="Timecode inside the cue."),
    text: str = typer.Argument(..., help="The note."),
    author: str = typer.Option("", "--by", help="Who (director, producer, ...)."),
) -> None:
    """Leave a note at a timecode in a cue (on its latest music version)."""
    from filmscore.writing.service import add_note

    note = add_note(open_ctx(ctx), cue, at, text, author=author)
    version = f" on v{note.music_version}" if note.music_version else ""
    console.print(f"Noted at {note.timecode}{version}.")


def _status(ctx, cue, status, author, note):
    from filmscore.writing.service import set_status

    step = set_status(open_ctx(ctx), cue, status, author=author, note=note)
    console.print(f"{cue}: {step.status}.")


@review_app.command("approve")
def review_approve(ctx: typer.Context, cue: str = typer.Argument(..., help="Cue number."),
                   author: str = typer.Option("", "--by", help="Who approves."),
                   note: str = typer.Option("", "--note", help="A word with it.")) -> None:
    """Approve the cue's music."""
    _status(ctx, cue, "approved", author, note)


@review_app.command("changes")
def review_changes(ctx: typer.Context, cue: str = typer.Argument(..., help="Cue number."),
                   author: str = typer.Option("", "--by", help="Who asks."),
                   note: str = typer.Option("", "--note", help="What to change, in short.")
                   ) -> None:
    """Ask for changes to the cue's music."""
    _status(ctx, cue, "changes requested", author, note)


@review_app.command("status")
def review_status(ctx: typer.Context, cue: str = typer.Argument(..., help="Cue number."),
                  status: str = typer.Argument(..., help="spotted, sketched, mockup sent, "
                                               "changes requested, approved, ..."),
                  author: str = typer.Option("", "--by", help="Who."),
                  note: str = typer.Option("", "--note", help="A word with it.")) -> None:
    """Set any status of the cue's life."""
    _status(ctx, cue, status, author, note)


@review_app.command("history")
def review_history(ctx: typer.Context,
                   cue: str = typer.Argument(..., help="Cue number.")) -> None:
    """The cue's status history and review notes."""
    from filmscore.writing.service import history

    steps, notes = history(open_ctx(ctx), cue)
    rows = [[s.at.strftime("%Y-%m-%d %H:%M") if s.at else "", s.status, s.author, s.note]
            for s in steps]
    console.print(table(f"Cue {cue}: status", ["when", "status", "by", "note"], rows,
                        wrap=("note",)))
    rows = [[n.timecode, f"v{n.music_version}" if n.music_version else "", n.author, n.text]
            for n in notes]
    console.print(table(f"Cue {cue}: notes", ["timecode", "version", "by", "note"], rows,
                        wrap=("note",)))
