"""`filmscore album`: the soundtrack album's candidates, album edits, albums and their
tracks per medium, the sequencer's proposal and an expanded edition (thin: the work is
in filmscore.album).

``album candidates [refresh|set|add|remove]``, ``album edit truncate|suite|render|list|
show|remove``, ``album new|list|show|set|propose|expand``.
"""

from __future__ import annotations

from fractions import Fraction

import typer

from filmscore.album.vocabulary import (
    CANDIDATE_KINDS,
    CREDIT_ROLES,
    DEFAULT_EDIT_CROSSFADE_MS,
    MEDIUM_NAMES,
    ORDERS,
)
from filmscore.cli.common import console, open_ctx, table, working
from filmscore.errors import InputError
from filmscore.limits import is_digits

album_app = typer.Typer(no_args_is_help=True, help=(
    "The soundtrack album: candidates, album edits (truncations and suites), albums with "
    "their tracks for CD, vinyl and digital, the sequencer's proposal, expanded editions."))
candidates_app = typer.Typer(help=(
    "The album's candidates: every mixed cue, album edit, album version, alternate, unused "
    "cue and draft, with length, rating, themes and loudness (alone: the list)."))
edit_app = typer.Typer(no_args_is_help=True, help=(
    "Album edits: a cue truncated, or a suite of cues joined at bar lines with crossfades, "
    "rendered from the mixes."))
album_app.add_typer(candidates_app, name="candidates")
album_app.add_typer(edit_app, name="edit")


def _clock(seconds: Fraction | None) -> str:
    from filmscore.album.settings import clock

    return clock(seconds) if seconds is not None else "-"


def _num(value: float | None, unit: str = "", digits: int = 1) -> str:
    return f"{value:.{digits}f}{unit}" if value is not None else "-"


def _split(values: list[str] | None) -> list[str]:
    """Repeated options and comma-separated lists as one list."""
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def _pairs(values: list[str] | None, option: str, example: str) -> list[tuple[str, str]]:
    out = []
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError("not NAME=VALUE", field=option, value=item,
                             valid=f"e.g. {example}")
        out.append((name.strip(), value.strip()))
    return out


# -- candidates ------------------------------------------------------------------------------


def _candidate_rows(found) -> list[list[str]]:
    return [[c.key, c.kind, c.display_title, _clock(c.seconds) if c.frames else "no audio",
             "*" * c.rating if c.rating else "0", ", ".join(c.themes),
             _num(c.loudness_lufs), _num(c.true_peak_dbtp), _num(c.bass_share, digits=2),
             _num(c.tempo_bpm, digits=0), c.notes] for c in found]


_CANDIDATE_COLUMNS = ["key", "kind", "title", "length", "rating", "themes", "LUFS", "dBTP",
                      "bass", "bpm", "notes"]


def _print_candidates(found, title: str) -> None:
    console.print(table(title, _CANDIDATE_COLUMNS, _candidate_rows(found),
                        right=("length", "LUFS", "dBTP", "bass", "bpm")))


@candidates_app.callback(invoke_without_command=True)
def candidates_(ctx: typer.Context,
                kind: str = typer.Option(None, "--kind", "-k", help="Only candidates of "
                                         "this kind: " + ", ".join(CANDIDATE_KINDS) + ".")
                ) -> None:
    """List the candidates in film order: length, rating, themes, loudness, true peak,
    bass share, tempo."""
    if ctx.invoked_subcommand is not None:
        return
    from filmscore.album.candidates import candidates

    with open_ctx(ctx) as pctx:
        found = candidates(pctx, kind=kind)
    _print_candidates(found, f"{len(found)} candidates")


@candidates_app.command("refresh")
def candidates_refresh(ctx: typer.Context,
                       render: bool = typer.Option(True, "--render/--no-render",
                                                   help="Render the album edits not "
                                                   "rendered yet or made from older mixes "
                                                   "first (default: yes)."),
                       themes: bool = typer.Option(True, "--themes/--no-themes",
                                                   help="Find the themes each carries with "
                                                   "the theme report (default: yes).")
                       ) -> None:
    """Make and update the candidates from the mixed cues and album edits; rating, album
    title and notes are kept."""
    from filmscore.album.candidates import refresh_candidates

    with open_ctx(ctx) as pctx, working("refreshing the candidates") as report:
        done = refresh_candidates(pctx, render_edits=render, themes=themes,
                                  progress=lambda n, total, key: report(n, total, key))
    _print_candidates(done.candidates, f"{len(done.candidates)} candidates")
    console.print(f"made: {', '.join(done.made) or 'none'}; measured: "
                  f"{', '.join(done.measured) or 'none'}; edits rendered: "
                  f"{', '.join(done.rendered) or 'none'}"
                  + (f"; source gone: {', '.join(done.missing)}" if done.missing else ""))


@candidates_app.command("set")
def candidates_set(ctx: typer.Context,
                   key: str = typer.Argument(..., help="The candidate, e.g. 1M3."),
                   rating: int = typer.Option(None, "--rating", "-r", help="The composer's "
                                              "rating, 0 (never on an album) to 5."),
                   title: str = typer.Option(None, "--title", "-t", help="The album title "
                                             "(apart from the cue's working title; '' "
                                             "for none)."),
                   notes: str = typer.Option(None, "--notes", "-n", help="Notes."),
                   kind: str = typer.Option(None, "--kind", help="A cue's own candidate: "
                                            "cue or unused.")) -> None:
    """Set a candidate's rating, album title, notes or kind."""
    from filmscore.album.candidates import set_candidate

    with open_ctx(ctx) as pctx:
        c = set_candidate(pctx, key, rating=rating, title=title, notes=notes, kind=kind)
    _print_candidates([c], None)


@candidates_app.command("add")
def candidates_add(ctx: typer.Context,
                   cue: str = typer.Argument(..., help="The cue it is made from, e.g. 1M3."),
                   kind: str = typer.Option(..., "--kind", "-k", help="album_version or "
                                            "alternate (a mix version: --mix), unused (the "
                                            "cue, not in the film), draft (its mockup)."),
                   mix: int = typer.Option(None, "--mix", "-m", help="The mix version of an "
                                           "album version or alternate."),
                   key: str = typer.Option(None, "--key", help="Its key (default: "
                                           "1M3-album, 1M3-alt, 1M3-draft)."),
                   title: str = typer.Option("", "--title", "-t", help="The album title."),
                   rating: int = typer.Option(None, "--rating", "-r", help="Rating 0 to 5 "
                                              "(default 3)."),
                   notes: str = typer.Option("", "--notes", "-n", help="Notes.")) -> None:
    """Add an album version, an alternate, an unused cue or a draft as a candidate."""
    from filmscore.album.candidates import add_candidate

    with open_ctx(ctx) as pctx:
        c = add_candidate(pctx, cue, kind=kind, mix=mix, key=key, title=title,
                          rating=rating, notes=notes)
    _print_candidates([c], None)


@candidates_app.command("remove")
def candidates_remove(ctx: typer.Context,
                      key: str = typer.Argument(..., help="The candidate.")) -> None:
    """Remove a candidate (refused while it is a track of an album)."""
    from filmscore.album.candidates import remove_candidate

    with open_ctx(ctx) as pctx:
        remove_candidate(pctx, key)
    console.print(f"removed candidate {key}")


# -- album edits -----------------------------------------------------------------------------


_CROSSFADE_HELP = (f"Crossfade at every join, milliseconds, centred on the join (default "
                   f"{DEFAULT_EDIT_CROSSFADE_MS}; 0: a butt splice).")
_FADE_IN_HELP = ("Fade-in, milliseconds (default: none from 'start', else a 10 ms "
                 "declick).")
_FADE_OUT_HELP = ("Fade-out, milliseconds (default: none to 'end', else a 10 ms declick; "
                  "a cut inside the music wants more, e.g. 3000).")


def _edit_line(spec, sample_rate: int) -> str:
    state = ("stale: render again" if spec.stale else "rendered") if spec.rendered \
        else "not rendered"
    length = _clock(Fraction(spec.frames, sample_rate)) if spec.frames else "?"
    return (f"{spec.name} ({spec.kind}{', ' + spec.title if spec.title else ''}): "
            f"{spec.layout}; {length}; crossfade {spec.crossfade_ms:g} ms; {state}"
            + (f"; {spec.problem}" if spec.problem else ""))


def _make_edit(ctx, name, segments, kind, title, crossfade, fade_in, fade_out, notes,
               replace, render) -> None:
    from filmscore.album.edit_render import make_edit, render_edit

    with open_ctx(ctx) as pctx:
        spec = make_edit(pctx, name, segments, kind=kind, title=title or "",
                         crossfade_ms=crossfade, fade_in_ms=fade_in, fade_out_ms=fade_out,
                         notes=notes or "", replace=replace)
        if render:
            with working(f"rendering {spec.name}") as report:
                spec = render_edit(pctx, spec.name, progress=report)
        console.print(_edit_line(spec, pctx.sample_rate))


@edit_app.command("truncate")
def edit_truncate(ctx: typer.Context,
                  cue: str = typer.Argument(..., help="The cue, e.g. 1M3."),
                  start: str = typer.Option(..., "--from", help="Where it starts: BAR "
                                            "(its downbeat), BAR.BEAT, or 'start'."),
                  to: str = typer.Option(..., "--to", help="Where it stops: BAR (through "
                                         "its end), BAR.BEAT (up to that beat), or 'end'."),
                  name: str = typer.Option(None, "--name", help="The edit's name (default: "
                                           "CUE-edit)."),
                  mix: int = typer.Option(None, "--mix", "-m", help="The mix version "
                                          "(default: the latest)."),
                  title: str = typer.Option(None, "--title", "-t", help="Its title, e.g. "
                                            "'Main Title (Album Edit)'."),
                  fade_in: float = typer.Option(None, "--fade-in", help=_FADE_IN_HELP),
                  fade_out: float = typer.Option(None, "--fade-out", help=_FADE_OUT_HELP),
                  notes: str = typer.Option(None, "--notes", "-n", help="Notes."),
                  replace: bool = typer.Option(False, "--replace", help="Remake an edit of "
                                               "that name."),
                  render: bool = typer.Option(False, "--render", help="Render it now.")
                  ) -> None:
    """Truncate a cue for the album: FROM to TO of its mix, cut at bar lines."""
    from filmscore.album.edits import EditSegment

    _make_edit(ctx, name or f"{cue}-edit", [EditSegment(cue, start, to, mix)], "truncation",
               title, DEFAULT_EDIT_CROSSFADE_MS, fade_in, fade_out, notes, replace, render)


@edit_app.command("suite")
def edit_suite(ctx: typer.Context,
               name: str = typer.Argument(..., help="The suite's name, e.g. suite-sea."),
               segments: list[str] = typer.Argument(..., help="CUE:FROM-TO in album order "
                                                    "(CUE@MIX:FROM-TO for a mix version), "
                                                    "e.g. 1M3:1-24 2M1:9-end."),
               title: str = typer.Option(None, "--title", "-t", help="Its title, e.g. "
                                         "'Sea Suite'."),
               crossfade: float = typer.Option(DEFAULT_EDIT_CROSSFADE_MS, "--crossfade",
                                               help=_CROSSFADE_HELP),
               fade_in: float = typer.Option(None, "--fade-in", help=_FADE_IN_HELP),
               fade_out: float = typer.Option(None, "--fade-out", help=_FADE_OUT_HELP),
               notes: str = typer.Option(None, "--notes", "-n", help="Notes."),
               replace: bool = typer.Option(False, "--replace", help="Remake a suite of "
                                            "that name."),
               render: bool = typer.Option(False, "--render", help="Render it now.")
               ) -> None:
    """Join stretches of cues into a suite, cut at bar lines, crossfaded at each join."""
    _make_edit(ctx, name, segments, "suite", title, crossfade, fade_in, fade_out, notes,
               replace, render)


@edit_app.command("render")
def edit_render(ctx: typer.Context,
                name: str = typer.Argument(None, help="The edit (default with --all: "
                                           "every one not rendered or stale)."),
                all_: bool = typer.Option(False, "--all", help="Render every edit not "
                                          "rendered yet or made from older mixes.")) -> None:
    """Render an album edit from its cues' mixes into the media store."""
    from filmscore.album.edit_render import album_edits, render_edit

    if all_ == (name is not None):
        raise InputError("name one edit or give --all", field="name",
                         valid="an edit's name, or --all")
    with open_ctx(ctx) as pctx:
        names = [name] if name else [e.name for e in album_edits(pctx)
                                     if (not e.rendered or e.stale) and not e.problem]
        for one in names:
            with working(f"rendering {one}") as report:
                spec = render_edit(pctx, one, progress=report)
            clipped = spec.files[0].get("clipped", 0)
            console.print(_edit_line(spec, pctx.sample_rate)
                          + (f"; {clipped} samples clipped in the crossfades" if clipped
                             else ""))
        if not names:
            console.print("every album edit is rendered")


@edit_app.command("list")
def edit_list(ctx: typer.Context) -> None:
    """Every album edit: its segments, length and whether it is rendered."""
    from filmscore.album.edit_render import album_edits

    with open_ctx(ctx) as pctx:
        found = album_edits(pctx)
        rate = pctx.sample_rate
    rows = [[e.name, e.kind, e.title, e.layout,
             _clock(Fraction(e.frames, rate)) if e.frames else "?",
             f"{e.crossfade_ms:g} ms", ("stale" if e.stale else "yes") if e.rendered
             else "no", e.problem or e.notes] for e in found]
    console.print(table(f"{len(found)} album edits", ["name", "kind", "title", "segments",
                                                      "length", "crossfade", "rendered",
                                                      "notes"], rows, right=("length",)))


@edit_app.command("show")
def edit_show(ctx: typer.Context,
              name: str = typer.Argument(..., help="The edit.")) -> None:
    """An album edit's cut plan: each segment's bars and samples, each join's crossfade."""
    from filmscore.album.edit_render import edit_plan, get_edit

    with open_ctx(ctx) as pctx:
        spec = get_edit(pctx, name)
        plan = edit_plan(pctx, name)
        rate = pctx.sample_rate
    console.print(_edit_line(spec, rate))
    console.print(table(None, ["segment", "cue", "mix", "bars", "mix samples", "edit at",
                               "length"],
                        [[str(s.index), s.cue, f"v{s.mix}" if s.mix else "",
                          f"{s.start}-{s.to}", f"{s.first}-{s.last}",
                          _clock(Fraction(s.at, rate)), _clock(Fraction(s.frames, rate))]
                         for s in plan.segments], right=("mix samples", "length")))
    if plan.joins:
        console.print(table(None, ["join", "edit sample", "crossfade samples"],
                            [[f"{j.out_index} > {j.in_index}", str(j.at),
                              f"{j.fade_start}-{j.fade_end}"] for j in plan.joins],
                            right=("edit sample",)))
    console.print(f"{plan.frames} samples at {plan.sample_rate} Hz; fade in "
                  f"{plan.fade_in}, fade out {plan.fade_out} samples")


@edit_app.command("remove")
def edit_remove(ctx: typer.Context, name: str = typer.Argument(..., help="The edit.")
                ) -> None:
    """Remove an album edit and its candidate (refused while it is a track)."""
    from filmscore.album.edit_render import remove_edit

    with open_ctx(ctx) as pctx:
        remove_edit(pctx, name)
    console.print(f"removed album edit {name}")


# -- albums ----------------------------------------------------------------------------------


def _credits(values: list[str] | None) -> dict[str, list[str]]:
    return {role: [n.strip() for n in names.split(",") if n.strip()]
            for role, names in _pairs(values, "--credit", "conductor=Ann Lee")}


_CREDIT_HELP = ("ROLE=NAME[,NAME...], a credit (repeat); roles: " + ", ".join(CREDIT_ROLES)
                + "; ROLE= removes one.")


@album_app.command("new")
def new(ctx: typer.Context,
        title: str = typer.Option(..., "--title", "-t", help="The album's title."),
        artist: str = typer.Option("", "--artist", "-a", help="The album artist (CD-TEXT "
                                   "PERFORMER)."),
        label: str = typer.Option("", "--label", help="The record label."),
        catalog: str = typer.Option("", "--catalog", help="The UPC-A (12 digits) or EAN-13 "
                                    "(13) with its check digit."),
        previous: int = typer.Option(None, "--previous", help="The album it follows (to "
                                     "keep its tracks use 'album expand')."),
        credit: list[str] = typer.Option(None, "--credit", help=_CREDIT_HELP)) -> None:
    """Make a new album (an edition), with the project's credits."""
    from filmscore.album.service import new_album

    with open_ctx(ctx) as pctx:
        info = new_album(pctx, title=title, artist=artist, label_name=label,
                         catalog=catalog, previous=previous, credits=_credits(credit))
    console.print(f"album {info.number}: {info.title}" + (f" ({info.catalog})"
                                                           if info.catalog else ""))
    _print_credits(info.credits)


def _print_credits(credits: dict) -> None:
    for role, label in CREDIT_ROLES.items():
        if credits.get(role):
            console.print(f"  {label} {', '.join(credits[role])}")


@album_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every album: title, artist, catalog, the edition it expands, tracks per medium."""
    from filmscore.album.service import albums

    with open_ctx(ctx) as pctx:
        found = albums(pctx)
    rows = [[str(a.number), a.title, a.artist, a.label_name, a.catalog,
             str(a.previous or ""), ", ".join(f"{m} {n}" for m, n in a.tracks.items())]
            for a in found]
    console.print(table(f"{len(found)} albums", ["album", "title", "artist", "label",
                                                 "catalog", "expands", "tracks"], rows))


@album_app.command("show")
def show(ctx: typer.Context,
         album: int = typer.Argument(..., help="The album number."),
         medium: str = typer.Option(None, "--medium", help="Only this medium: "
                                    + ", ".join(MEDIUM_NAMES) + ".")) -> None:
    """An album's tracks per medium with gaps, start times, side breaks and running time."""
    from filmscore.album.codes import format_isrc
    from filmscore.album.service import album_view, check_medium

    if medium is not None:
        check_medium(medium)
    with open_ctx(ctx) as pctx:
        view = album_view(pctx, album)
    console.print(f"album {view.number}: {view.title}"
                  + (f" / {view.artist}" if view.artist else "")
                  + (f" / {view.label_name}" if view.label_name else "")
                  + (f" / catalog {view.catalog}" if view.catalog else "")
                  + (f" / expands album {view.previous}" if view.previous else ""))
    _print_credits(view.credits)
    for name, m in view.media.items():
        if medium is not None and name != medium:
            continue
        rows = [[str(t.position), t.side, t.key, t.title, _clock(t.start),
                 _clock(t.seconds), _clock(t.gap_seconds) if t.gap_seconds else "",
                 format_isrc(t.isrc), t.pinned, "kept" if t.kept else "",
                 ", ".join(t.themes)] for t in m.tracks]
        limit = (f" of {_clock(m.rules.max_seconds)}" + (" a side" if m.rules.sides > 1
                                                          else "")
                 if m.rules.max_seconds is not None else "")
        console.print(table(f"{m.rules.title}: {len(m.tracks)} tracks, "
                            f"{_clock(m.seconds)}{limit}",
                            ["#", "side", "key", "title", "start", "length", "gap", "ISRC",
                             "pin", "kept", "themes"], rows,
                            right=("#", "start", "length", "gap")))
        if m.rules.sides > 1:
            console.print("sides: " + "; ".join(f"{s} {_clock(v)}"
                                                for s, v in m.side_seconds.items()))
        for problem in m.problems:
            console.print(f"  ! {problem}")


@album_app.command("set")
def set_(ctx: typer.Context,
         album: int = typer.Argument(..., help="The album number."),
         title: str = typer.Option(None, "--title", "-t", help="The album's title."),
         artist: str = typer.Option(None, "--artist", "-a", help="The album artist."),
         label: str = typer.Option(None, "--label", help="The record label."),
         catalog: str = typer.Option(None, "--catalog", help="The UPC-A or EAN-13 ('' "
                                     "removes it)."),
         notes: str = typer.Option(None, "--notes", "-n", help="Notes on the album."),
         credit: list[str] = typer.Option(None, "--credit", help=_CREDIT_HELP),
         medium: str = typer.Option(None, "--medium", help="The medium the options below "
                                    "are for: " + ", ".join(MEDIUM_NAMES) + "."),
         tracks: list[str] = typer.Option(None, "--tracks", help="The medium's tracks, "
                                          "candidate keys in order (repeat, or "
                                          "KEY,KEY,...)."),
         sides: str = typer.Option(None, "--sides", help="Vinyl: one side letter a track, "
                                   "e.g. AAABBB (default: split evenly)."),
         isrc: list[str] = typer.Option(None, "--isrc", help="KEY=ISRC, a track's ISRC "
                                        "(CC-XXX-YY-NNNNN; repeat; KEY= removes it)."),
         assign_isrc: str = typer.Option(None, "--assign-isrc", help="PREFIX[:FIRST]: give "
                                         "every track without one the next ISRC of the "
                                         "series, e.g. US-S1Z-26:1."),
         setting: list[str] = typer.Option(None, "--setting", help="NAME=VALUE, a setting "
                                           "of the medium (repeat; NAME= removes it): "
                                           "max_seconds, max_tracks, sides, gap_seconds, "
                                           "order, target_lufs, ceiling_dbtp, mode..."),
         pin_: list[str] = typer.Option(None, "--pin", help="KEY=first or KEY=last: where "
                                        "the sequencer puts a track (repeat)."),
         unpin: list[str] = typer.Option(None, "--unpin", help="KEY: unpin a track "
                                         "(repeat).")) -> None:
    """Change an album: title, artist, label, catalog, credits; a medium's tracks, ISRCs,
    settings and pins."""
    from filmscore.album import service

    per_medium = any(v for v in (tracks, sides, isrc, assign_isrc, setting, pin_, unpin))
    if per_medium and medium is None:
        raise InputError("tracks, sides, ISRCs, settings and pins are per medium",
                         field="--medium", valid=", ".join(MEDIUM_NAMES))
    if medium is not None:
        service.check_medium(medium)
    with open_ctx(ctx) as pctx:
        if any(v is not None for v in (title, artist, label, catalog, notes)):
            service.set_album(pctx, album, title=title, artist=artist, label_name=label,
                              catalog=catalog, notes=notes)
        for role, names in _credits(credit).items():
            service.set_credits(pctx, album, role, names)
        if setting:
            values = dict(_pairs(setting, "--setting", "max_seconds=79:57"))
            service.set_settings(pctx, album, medium, **{k: (v if v != "" else None)
                                                         for k, v in values.items()})
        for item in _pairs(pin_, "--pin", "1M1=first"):
            service.pin(pctx, album, medium, item[0], item[1])
        for key in _split(unpin):
            service.pin(pctx, album, medium, key, None)
        if tracks:
            keys = _split(tracks)
            service.set_tracks(pctx, album, medium, keys,
                               sides=list(sides.replace(" ", "")) if sides else None)
        for key, code in _pairs(isrc, "--isrc", "1M1=US-S1Z-26-00001"):
            service.set_isrc(pctx, album, medium, key, code)
        if assign_isrc:
            prefix, _, first = assign_isrc.partition(":")
            if first and not is_digits(first):
                raise InputError("not PREFIX[:FIRST]", field="--assign-isrc",
                                 value=assign_isrc, valid="e.g. US-S1Z-26:1")
            given = service.assign_isrcs(pctx, album, medium, prefix, int(first or 1))
            console.print(f"ISRCs given: {', '.join(given) or 'none (every track has one)'}")
    ctx.invoke(show, ctx=ctx, album=album, medium=medium)


def _propose_one(pctx, album: int, medium: str, order: str | None, greedy: bool) -> None:
    from filmscore.album.service import propose

    with working(f"sequencing {medium}"):
        found = propose(pctx, album, medium, order=order,
                        method="greedy" if greedy else "cpsat")
    console.print(f"{medium}: {len(found.tracks)} tracks, {_clock(found.seconds)}, rating "
                  f"{found.rating}, {len(found.themes)} themes ({found.status})"
                  + (f"; left out: {', '.join(found.left_out)}" if found.left_out else ""))


@album_app.command("propose")
def propose_(ctx: typer.Context,
             album: int = typer.Argument(..., help="The album number."),
             medium: str = typer.Option("all", "--medium", help="cd, vinyl, digital, or "
                                        "all (every medium)."),
             order: str = typer.Option(None, "--order", help=" or ".join(ORDERS)
                                       + " (default: the medium's setting, else film)."),
             greedy: bool = typer.Option(False, "--greedy", help="The greedy fill instead "
                                         "of the CP-SAT solver (for comparison).")) -> None:
    """Choose and order a medium's tracks from the candidates (CP-SAT), pins and ISRCs
    kept, and show the album."""
    from filmscore.album.service import check_medium

    media = list(MEDIUM_NAMES) if medium == "all" else [check_medium(medium)]
    with open_ctx(ctx) as pctx:
        for one in media:
            _propose_one(pctx, album, one, order, greedy)
    ctx.invoke(show, ctx=ctx, album=album, medium=None if medium == "all" else medium)


@album_app.command("expand")
def expand_(ctx: typer.Context,
            previous: int = typer.Argument(..., help="The album it expands."),
            title: str = typer.Option(..., "--title", "-t", help="The new edition's title."),
            artist: str = typer.Option(None, "--artist", "-a", help="Its artist (default: "
                                       "the previous album's)."),
            catalog: str = typer.Option("", "--catalog", help="Its UPC-A or EAN-13."),
            propose: bool = typer.Option(True, "--propose/--no-propose", help="Add the "
                                         "cues left out on every medium now (default: "
                                         "yes).")) -> None:
    """An expanded edition: the previous album's tracks kept (order, ISRCs, masters),
    the cues it left out added."""
    from filmscore.album.service import expand

    with open_ctx(ctx) as pctx:
        info = expand(pctx, previous, title=title, artist=artist, catalog=catalog)
        console.print(f"album {info.number}: {info.title}, expanding album {previous}")
        if propose:
            for medium in info.tracks:
                _propose_one(pctx, info.number, medium, None, False)
    ctx.invoke(show, ctx=ctx, album=info.number, medium=None)


def register(app: typer.Typer) -> None:
    app.add_typer(album_app, name="album")
