"""`filmscore ensembles|orchestrate|decisions|check|parts|score|books`: orchestrating and
copying, from a cue's sketch to every player's part, the conductor's score and the books."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table, working
from filmscore.spotting.cues import require_one_or_all


def register(app: typer.Typer) -> None:
    app.command("ensembles")(ensembles)
    app.command("orchestrate")(orchestrate)
    app.command("decisions")(decisions)
    app.command("instrumentation")(instrumentation)
    app.command("check")(check)
    app.command("parts")(parts)
    app.command("score")(score)
    app.command("books")(books)


def ensembles(
    name: str | None = typer.Argument(None, help="A template to show chair by chair "
                                      "(default: list the templates)."),
) -> None:
    """The ensemble templates (studio orchestra, strings, chamber, choir, band) and chairs."""
    from filmscore.orchestration.ensembles import TEMPLATES, get_template

    if name is None:
        rows = [[t.name, t.title, str(len(t.chairs)), str(t.player_count)]
                for t in TEMPLATES.values()]
        console.print(table("Ensemble templates", ["name", "what", "chairs", "players"], rows))
        return
    ens = get_template(name)
    rows = [[c.label, c.instrument, str(c.players), ", ".join(c.doubles)] for c in ens.chairs]
    console.print(table(f"{ens.title} ({ens.player_count} players)",
                        ["chair", "instrument", "players", "doubles"], rows))


def orchestrate(
    ctx: typer.Context,
    cue: str | None = typer.Argument(None, help="Cue number (or --all, or --out for a file)."),
    all_cues: bool = typer.Option(False, "--all", help="Every cue that has music."),
    short_score: Path | None = typer.Option(None, "--short-score", help="A short score "
                                            "(MusicXML, a staff per group: Melody, Brass, "
                                            "Strings, Low ...) instead of the cue's music."),
    ensemble: str = typer.Option("studio", "--ensemble", help="Ensemble template (see "
                                 "'filmscore ensembles')."),
    ensemble_file: Path | None = typer.Option(None, "--ensemble-file", help="A custom "
                                              "ensemble as JSON (overrides --ensemble)."),
    version: int | None = typer.Option(None, "--version", help="Music version (default: the "
                                       "latest)."),
    group: list[str] = typer.Option([], "--group", help="STAFF=GROUP: orchestrate a staff "
                                    "as a group (melody, brass, strings, low, ...); "
                                    "repeatable."),
    double: list[str] = typer.Option([], "--double", help="STAFF=CHAIR@SEMITONES: double a "
                                     "staff's top line (e.g. 'melody=Flute 1@12', "
                                     "'melody=violin@0'); repeatable; replaces the "
                                     "template's default doublings."),
    no_doublings: bool = typer.Option(False, "--no-doublings", help="No doublings at all."),
    instrumentation: str | None = typer.Option(None, "--instrumentation", help="What the "
                                               "notes ask ('full orchestra, brass lead, "
                                               "harp glissandi'): instead of the cue's "
                                               "spotting notes; '' for none."),
    out: Path | None = typer.Option(None, "--out", help="Without a project: write the full "
                                    "score of --short-score here (MusicXML)."),
    concert: bool = typer.Option(False, "--concert", help="With --out: the full score in C."),
    author: str = typer.Option("", "--by", help="Who orchestrated."),
    reason: str = typer.Option("", "--why", help="Why (e.g. 'smaller orchestra')."),
) -> None:
    """Orchestrate a cue's music (or a short score) for an ensemble: a full score, and every
    decision a human orchestrator should check."""
    from filmscore.errors import InputError
    from filmscore.orchestration.service import resolve_ensemble

    ens = resolve_ensemble(ensemble, ensemble_file)
    groups = _groups(group)
    doublings = {} if no_doublings else _doublings(double)
    if out is not None:
        if short_score is None or cue is not None or all_cues:
            raise InputError("--out writes the full score of a --short-score file",
                             field="out", valid="--short-score FILE --out FULL.musicxml, "
                             "without a cue")
        from filmscore.formats.musicxml import write_full_score
        from filmscore.orchestration.brief import CueBrief
        from filmscore.orchestration.orchestrate import orchestrate as run
        from filmscore.writing.service import read_music_file

        try:
            result = run(read_music_file(short_score), ens, staff_groups=groups,
                         doublings=doublings, brief=CueBrief(instrumentation or ""))
        except InputError as error:  # name the short score the bad staff is in
            raise error.located(source=str(short_score)) from None
        write_full_score(result.full, out, concert=concert)
        console.print(f"{out}: {len(result.full.parts)} parts for {ens.title}, "
                      f"{len(result.decisions)} decisions to check")
        _print_decisions([d.to_dict() for d in result.decisions])
        return
    from filmscore.orchestration.service import orchestrate_cue
    from filmscore.writing.service import cues_with_music

    pctx = open_ctx(ctx)
    require_one_or_all(cue, all_cues, "orchestrate")
    numbers = [cue] if cue is not None else cues_with_music(pctx)
    for number in numbers:
        with working(f"orchestrating {number}"):
            summary, result = orchestrate_cue(
                pctx, number, ensemble=ens, short_score=short_score, music_version=version,
                staff_groups=groups, doublings=doublings, author=author, reason=reason,
                instrumentation=instrumentation)
        console.print(f"{summary.label}: {summary.chairs_playing} chairs play, "
                      f"{summary.chairs_tacet} tacet, {summary.decisions} decisions to check; "
                      f"check: {_counts_text(summary.check)}")
        if cue is not None:
            _print_decisions([d.to_dict() for d in result.decisions])


def _groups(items: list[str]) -> dict[str, str]:
    from filmscore.errors import InputError

    groups = {}
    for item in items:
        staff, sep, grp = item.partition("=")
        if not sep or not staff.strip() or not grp.strip():
            raise InputError("not STAFF=GROUP", field="--group", value=item,
                             valid="e.g. 'Piano RH=melody'")
        groups[staff.strip()] = grp.strip()
    return groups


def _doublings(items: list[str]) -> dict[str, list[tuple[str, int]]] | None:
    """--double values as orchestrate()'s doublings; None (the template's) when none given."""
    from filmscore.errors import InputError

    if not items:
        return None
    out: dict[str, list[tuple[str, int]]] = {}
    for item in items:
        staff, sep, rest = item.partition("=")
        chair, at, semitones = rest.rpartition("@")
        try:
            interval = int(semitones)
        except ValueError:
            interval = None
        if not sep or not at or not staff.strip() or not chair.strip() or interval is None:
            raise InputError("not STAFF=CHAIR@SEMITONES", field="--double", value=item,
                             valid="e.g. 'melody=Flute 1@12' or 'melody=violin@0'")
        out.setdefault(staff.strip(), []).append((chair.strip(), interval))
    return out


def _counts_text(counts: dict) -> str:
    found = {k: v for k, v in (counts or {}).items() if v}
    return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(found.items())) or "clean"


def _print_decisions(rows: list[dict]) -> None:
    if not rows:
        return
    console.print(table("Decisions to check", ["bar", "beat", "chair", "what", "decision"],
                        [[str(d.get("bar", "")), str(d.get("beat", "")), d.get("chair", ""),
                          d.get("kind", ""), d.get("message", "")] for d in rows],
                        wrap=("decision",)))


def decisions(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    version: int | None = typer.Option(None, "--version", help="Orchestration version "
                                       "(default: the latest)."),
) -> None:
    """The decisions an orchestration made, for the orchestrator to check, bar by bar."""
    from filmscore.orchestration.service import cue_score

    cs = cue_score(open_ctx(ctx), cue, version)
    console.print(f"{cs.summary.label} for {cs.ensemble.title}: "
                  f"{len(cs.decisions)} decisions")
    _print_decisions(list(cs.decisions))


def instrumentation(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    version: int | None = typer.Option(None, "--version", help="Orchestration version "
                                       "(default: the latest)."),
) -> None:
    """Who plays in a cue: chairs, the instruments they play (doubles), divisi, tacets."""
    from filmscore.orchestration.instruments import get_instrument
    from filmscore.orchestration.service import cue_score

    cs = cue_score(open_ctx(ctx), cue, version)
    inst, ens = cs.instrumentation, cs.ensemble
    rows = []
    for chair in ens.chairs:
        use = inst.use(chair.label)
        if use is None:
            rows.append([chair.label, "tacet", "", ""])
        else:
            players = chair.players if use.players is None else use.players
            rows.append([chair.label, ", ".join(get_instrument(k).name for k in use.instruments),
                         str(players),
                         f"div. a{use.divisi}" if use.divisi > 1 else ""])
    console.print(table(f"{cs.summary.label}: {ens.title}, {inst.player_count(ens)} of "
                        f"{ens.player_count} players", ["chair", "plays", "players", "divisi"],
                        rows))


def check(
    ctx: typer.Context,
    target: str = typer.Argument(..., help="A full score (MusicXML file) or a cue number "
                                 "(its latest orchestration); with --engraving also a "
                                 "folder of MusicXML parts and scores."),
    strict: bool = typer.Option(False, "--strict", help="Refuse a score with an empty or "
                                "unidentified part instead of flagging it."),
    limit: int = typer.Option(40, "--limit", help="Lines of flags to list (0: all)."),
    each: bool = typer.Option(False, "--each", help="A line per flag, not per run of like "
                              "flags (a long high passage is one run)."),
    engraving: bool = typer.Option(False, "--engraving", help="Check the engraving "
                                   "(copying rules) instead of playability: a cue's parts "
                                   "and score as copying writes them, a MusicXML file or "
                                   "a folder of them; exit 1 on any finding."),
    kind: str = typer.Option("auto", "--kind", help="With --engraving: check files as a "
                             "'part' or a 'score' (auto: one part is a part)."),
    engraver: str = typer.Option("filmscore", "--engraver", help="With --engraving: whose "
                                 "layout to measure: filmscore (as our PDF prints) or "
                                 "verovio (plain, the file as it is)."),
    tuplets: bool = typer.Option(False, "--tuplets", help="With --engraving: tuplets are "
                                 "findings (else only counted)."),
    letters_every: int = typer.Option(8, "--letters-every", help="With --engraving: "
                                      "rehearsal marks at least this many bars apart "
                                      "(0: any spacing)."),
    max_texts: int = typer.Option(2, "--max-texts", help="With --engraving: text "
                                  "directions (timecodes, words) allowed in one bar."),
) -> None:
    """Playability check of a full score (ranges, notes per player, transposition,
    doubles), or with --engraving the engraving check of parts and scores."""
    if engraving:
        _check_engraving(ctx, target, limit=limit, kind=kind, tuplets=tuplets,
                         letters_every=letters_every, max_texts=max_texts, engraver=engraver)
        return
    from filmscore.orchestration.check import check_score
    from filmscore.orchestration.service import cue_score, survey_score

    path = Path(target)
    if path.suffix.lower() in (".musicxml", ".xml", ".mxl"):
        label = path.name
    else:
        cs = cue_score(open_ctx(ctx), target)
        path, label = cs.full_score, cs.summary.label
    from dataclasses import replace

    report = replace(check_score(survey_score(path), strict=strict), source=label)
    for line in report.summary(limit=None if limit <= 0 else limit, grouped=not each):
        console.print(line, markup=False, highlight=False)


def _check_engraving(ctx, target: str, *, limit: int, kind: str, tuplets: bool,
                     letters_every: int, max_texts: int, engraver: str) -> None:
    from filmscore.engraving.check import SUFFIXES, CheckOptions, check_folder, check_musicxml

    options = CheckOptions(kind=None if kind == "auto" else kind, tuplets=tuplets,
                           letters_every=letters_every, max_texts=max_texts,
                           engraver=engraver)
    path = Path(target)
    if path.is_dir():
        report = check_folder(path, options=options)
    elif path.suffix.lower() in SUFFIXES:
        report = check_musicxml(path, options=options)
    elif path.is_file():
        from filmscore.errors import InputError

        raise InputError("not a MusicXML file", source=target,
                         valid="a .musicxml, .xml or .mxl file, a folder of them, or a cue")
    else:
        from filmscore.orchestration.service import check_cue_engraving

        report = check_cue_engraving(open_ctx(ctx), target, options=options)
    for line in report.summary(limit=None if limit <= 0 else limit):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


def parts(
    ctx: typer.Context,
    cue: str | None = typer.Argument(None, help="Cue number (or --all, or --from FILE)."),
    all_cues: bool = typer.Option(False, "--all", help="Every orchestrated cue."),
    out: Path = typer.Option(Path("parts"), "--out", help="Folder (a folder per cue)."),
    version: int | None = typer.Option(None, "--version", help="Orchestration version."),
    source: Path | None = typer.Option(None, "--from", help="Without a project: copy the "
                                       "parts of this full score (MusicXML, anyone's)."),
) -> None:
    """Every player's part (MusicXML, transposed, and engraved PDF) and tacet sheets."""
    _copy(ctx, cue, all_cues, out, version, source, parts=True, score=False, concert=False)


def score(
    ctx: typer.Context,
    cue: str | None = typer.Argument(None, help="Cue number (or --all, or --from FILE)."),
    all_cues: bool = typer.Option(False, "--all", help="Every orchestrated cue."),
    out: Path = typer.Option(Path("scores"), "--out", help="Folder (a folder per cue)."),
    concert: bool = typer.Option(False, "--concert/--transposed", help="The score in C "
                                 "(concert pitch) or transposed."),
    version: int | None = typer.Option(None, "--version", help="Orchestration version."),
    source: Path | None = typer.Option(None, "--from", help="Without a project: copy the "
                                       "score of this full score (MusicXML, anyone's)."),
) -> None:
    """The conductor's score (PDF and MusicXML): bar numbers, sync points with timecode."""
    _copy(ctx, cue, all_cues, out, version, source, parts=False, score=True, concert=concert)


def _copy(ctx, cue, all_cues, out, version, source, *, parts: bool, score: bool,
          concert: bool) -> None:
    from filmscore.orchestration.service import copy_cue, copy_musicxml, orchestrated_cues

    if source is not None:
        if cue is not None or all_cues or version is not None:
            from filmscore.errors import InputError

            raise InputError("--from copies a MusicXML file, not a cue", field="from",
                             valid="--from FILE.musicxml without a cue, --all or --version")
        _report(copy_musicxml(source, out, parts=parts, score=score, concert=concert),
                parts)
        return
    pctx = open_ctx(ctx)
    require_one_or_all(cue, all_cues, "parts" if parts else "score")
    what = "parts" if parts else "the score"
    if cue is not None:
        with working(f"engraving {what} of {cue}"):
            done = copy_cue(pctx, cue, out, parts=parts, score=score, concert=concert,
                            version=version)
        _report(done, parts)
        return
    from filmscore import jobs

    numbers = orchestrated_cues(pctx)
    with working(f"engraving {what}", total=len(numbers)) as report:
        results = jobs.run(pctx, "copy", numbers, {
            "out": Path(out).resolve(), "parts": parts, "score": score, "concert": concert,
            "version": version}, progress=lambda st: report(st.counts["done"], len(numbers)))
    for _, done in results:
        _report(done, parts)


def _report(done, parts: bool) -> None:
    what = []
    if parts:
        what.append(f"{len(done.parts)} parts, {len(done.tacets)} tacet sheets")
    if done.score is not None:
        what.append(f"score {done.score}")
    console.print(f"{done.cue}: " + "; ".join(what) + f" ({done.pages} pages)")
    for line in done.notes:  # the source's notation we left as it was
        console.print(f"  note: {line}", markup=False, highlight=False)


def books(
    ctx: typer.Context,
    session: str = typer.Option(..., "--session", help="The recording session's name, "
                                "e.g. 'Day 1 AM'."),
    cues: str = typer.Option(..., "--cues", help="The session's cues in recording order, "
                             "comma-separated (e.g. 1M3,1M1,2M2)."),
    out: Path = typer.Option(Path("books"), "--out", help="Folder (a folder per session)."),
    date: str = typer.Option("", "--date", help="The session's date, for the covers."),
) -> None:
    """A book per chair for a recording session: every cue in recording order (the part
    or a tacet sheet) in one PDF."""
    from filmscore.orchestration.service import session_books

    numbers = [c.strip() for c in cues.split(",") if c.strip()]
    with working(f"session books for {session}"):
        done = session_books(open_ctx(ctx), numbers, out, session=session, date=date)
    console.print(f"{done.session}: {len(done.books)} books of {len(done.cues)} cues in "
                  f"{out}")
