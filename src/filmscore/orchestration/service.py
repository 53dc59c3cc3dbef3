"""The orchestration stage's services: orchestrate a cue, copy its parts and score, make the
session books.  Thin: they read the store, call the pure stage functions and the format
adapters, and write the store and files (nothing half-written: every file is atomic, and
the database row and the media file go in together)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from filmscore import children
from filmscore.errors import InputError, NotFoundError
from filmscore.fileio import UniqueNames, inside, safe_name
from filmscore.limits import NAME_MAX_BYTES
from filmscore.model import Orchestration as OrchestrationRow
from filmscore.model import StatusEvent
from filmscore.orchestration.brief import CueBrief, cue_brief
from filmscore.orchestration.ensembles import (
    CueInstrumentation,
    Ensemble,
    chair_key,
    ensemble_from_dict,
    ensemble_to_dict,
    get_template,
)
from filmscore.orchestration.orchestrate import Orchestration, orchestrate
from filmscore.recording.revisions import flag_takes_in
from filmscore.spotting.cues import CUE_STATUSES, CueSpec
from filmscore.store import transaction
from filmscore.sync.service import cue_row, cue_sync, cues_having
from filmscore.timecode import format_duration, format_label
from filmscore.writing.music import Music

if TYPE_CHECKING:
    from filmscore.orchestration.copying import Header


@dataclass(frozen=True)
class OrchestrationSummary:
    cue: str
    number: int
    music_version: int | None
    source_name: str
    ensemble: str
    chairs_playing: int
    chairs_tacet: int
    decisions: int
    check: dict
    author: str
    created_at: datetime | None

    @property
    def label(self) -> str:
        return f"{self.cue} orchestration v{self.number}"


def _summary(cue_number: str, row: OrchestrationRow) -> OrchestrationSummary:
    ensemble = ensemble_from_dict(row.ensemble)
    inst = CueInstrumentation.from_dict(row.instrumentation)
    return OrchestrationSummary(
        cue_number, row.number, row.music_version, row.source_name, ensemble.name,
        len(inst.uses), len(inst.tacet(ensemble)), len(row.decisions or []),
        dict(row.check or {}), row.author, row.created_at)


def brief_for(cs) -> CueBrief:
    """The cue's brief (instrumentation, notes, sync points on its tempo map)."""
    return cue_brief(cs.cue, cs.tempo_map)


def resolve_ensemble(name: str | None, path: Path | None = None) -> Ensemble:
    """A template by name, or a custom ensemble from a JSON file."""
    if path is not None:
        import json

        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("cannot read the ensemble file", source=str(path),
                             value=type(exc).__name__, valid="a JSON ensemble file") from None
        except json.JSONDecodeError as exc:
            raise InputError("not JSON", source=str(path), line=exc.lineno,
                             value=exc.msg, valid="a JSON ensemble file") from None
        return ensemble_from_dict(data, source=str(path))
    return get_template(name or "studio")


def orchestrate_cue(pctx, number: str, *, ensemble: Ensemble, short_score: Path | None = None,
                    music_version: int | None = None, staff_groups: dict[str, str] | None = None,
                    doublings: dict | None = None, author: str = "", reason: str = "",
                    instrumentation: str | None = None,
                    ) -> tuple[OrchestrationSummary, Orchestration]:
    """Orchestrate a cue's music (its latest version, a given version, or a short-score
    file) for ``ensemble``, as the cue's spotting notes ask (its instrumentation text and
    sync points: ``brief``; ``instrumentation`` replaces the text); store the full score as
    the cue's next orchestration."""
    from filmscore.formats.musicxml import write_full_score
    from filmscore.orchestration.check import check_score
    from filmscore.writing.service import load_version, read_music_file

    if short_score is not None:
        short: Music = read_music_file(Path(short_score))
        source, version = Path(short_score).name, None
    else:
        summary, short = load_version(pctx, number, music_version)
        source, version = "", summary.number
    cs = cue_sync(pctx, number)
    if short.tempo_map is None and cs.tempo_map is not None:
        short = replace(short, tempo_map=cs.tempo_map)
    if not short.title:
        short = replace(short, title=f"{cs.cue.number} {cs.cue.title}".strip())
    brief = cue_brief(cs.cue, cs.tempo_map)
    if instrumentation is not None:  # the orchestrator's own reading of the cue
        brief = replace(brief, instrumentation=instrumentation)
    try:
        # the grid the cue's own map was solved on (a map read back from the short score's
        # file does not know it)
        result = orchestrate(short, ensemble, staff_groups=staff_groups, doublings=doublings,
                             brief=brief, subdivision=cs.tempo_map.subdivision
                             if cs.tempo_map is not None else None)
    except InputError as error:  # name the short score the bad staff is in
        raise error.located(source=source or None) from None
    with children.scratch_folder(prefix="filmscore-orch-") as tmp:
        full_path = write_full_score(result.full, Path(tmp) / f"{cs.cue.number}.musicxml")
        report = check_score(survey_score(full_path))
        with pctx.media.adding(), transaction(pctx.engine) as session:
            row = cue_row(session, pctx.project_id, number)
            digest = pctx.media.put(full_path, ".musicxml")
            latest = session.scalar(select(func.max(OrchestrationRow.number))
                                    .where(OrchestrationRow.cue_id == row.id)) or 0
            orch = OrchestrationRow(
                cue_id=row.id, number=latest + 1, music_version=version, source_name=source,
                ensemble=ensemble_to_dict(ensemble),
                instrumentation=result.instrumentation.to_dict(),
                decisions=[d.to_dict() for d in result.decisions],
                check=dict(report.counts), media_hash=digest, author=author, reason=reason)
            session.add(orch)
            if CUE_STATUSES.index(row.status) < CUE_STATUSES.index("orchestrated"):
                row.status = "orchestrated"
                session.add(StatusEvent(cue_id=row.id, status="orchestrated", author=author,
                                        note=f"orchestration v{latest + 1} for "
                                             f"{ensemble.title or ensemble.name}"))
            session.flush()
            flag_takes_in(session, row)  # takes from an older orchestration are out of date
            return _summary(row.number, orch), result


def survey_score(path: Path):
    from filmscore.formats.score_survey import read_score_survey

    return read_score_survey(path)


def _orchestration_row(session, row, version: int | None) -> OrchestrationRow:
    rows = session.scalars(select(OrchestrationRow).where(OrchestrationRow.cue_id == row.id)
                           .order_by(OrchestrationRow.number)).all()
    if not rows:
        raise NotFoundError(f"cue {row.number} is not orchestrated yet: run "
                            f"'filmscore orchestrate {row.number}'")
    if version is None:
        return rows[-1]
    for found in rows:
        if found.number == version:
            return found
    raise NotFoundError(f"cue {row.number} has no orchestration v{version} (it has v1 to "
                        f"v{rows[-1].number})")


@dataclass(frozen=True)
class CueScore:
    """What the copyist needs of one orchestrated cue (plain values)."""

    cue: CueSpec
    summary: OrchestrationSummary
    ensemble: Ensemble
    instrumentation: CueInstrumentation
    full_score: Path  # the stored MusicXML
    decisions: tuple[dict, ...]
    tempo_map: object


def cue_score(pctx, number: str, version: int | None = None) -> CueScore:
    cs = cue_sync(pctx, number)
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        orch = _orchestration_row(session, row, version)
        summary = _summary(row.number, orch)
        ensemble = ensemble_from_dict(orch.ensemble)
        inst = CueInstrumentation.from_dict(orch.instrumentation)
        decisions = tuple(orch.decisions or ())
        digest = orch.media_hash
    return CueScore(cs.cue, summary, ensemble, inst, pctx.media.path(digest), decisions,
                    cs.tempo_map)


def orchestrated_cues(pctx) -> list[str]:
    """Numbers of the cues that have an orchestration, in picture order."""
    return cues_having(pctx, OrchestrationRow)


# --- copying: parts, score, books --------------------------------------------------------


@dataclass(frozen=True)
class ProjectCredits:
    """Who is credited on page 1 of every part and score, and whether sync points show
    their footage (feet+frames from the cue's start) beside their timecode."""

    composer: str = ""
    orchestrator: str = ""
    sync_feet: bool = False


CREDIT_FIELDS = ("composer", "orchestrator", "sync_feet")


def project_credits(pctx) -> ProjectCredits:
    """The project's credits (set once per project, see :func:`set_project_credits`)."""
    from filmscore.model import Project

    with transaction(pctx.engine) as session:
        row = session.get(Project, pctx.project_id)
        return ProjectCredits(row.composer or "", row.orchestrator or "", bool(row.sync_feet))


def set_project_credits(pctx, *, composer: str | None = None, orchestrator: str | None = None,
                        sync_feet: bool | None = None) -> ProjectCredits:
    """Set the project's composer and orchestrator and whether sync points show their
    footage; None leaves a value as it is.  A credit is kept as the name alone (the
    cue sheet's composer, the album's tags): the label the parts print before it
    ("Music: NAME", "Orchestration: NAME") is taken off when it was typed."""
    from filmscore.model import Project

    for name, value in (("composer", composer), ("orchestrator", orchestrator)):
        if value is not None and (len(value) > 200 or "\n" in value):
            raise InputError("a credit is one line of at most 200 characters", field=name,
                             value=value[:40], valid="e.g. 'Sammy Timberg'")
    with transaction(pctx.engine) as session:
        row = session.get(Project, pctx.project_id)
        if composer is not None:
            row.composer = _unlabelled(composer, "Music")
        if orchestrator is not None:
            row.orchestrator = _unlabelled(orchestrator, "Orchestration")
        if sync_feet is not None:
            row.sync_feet = bool(sync_feet)
        return ProjectCredits(row.composer, row.orchestrator, bool(row.sync_feet))


def _unlabelled(credit: str, label: str) -> str:
    """``credit`` on one line without the printed ``label`` ("Music: Sammy Timberg" ->
    "Sammy Timberg")."""
    text = " ".join(credit.split())
    head, colon, rest = text.partition(":")
    return rest.strip() if colon and head.strip().lower() == label.lower() else text


def _header(pctx, cs: CueScore, credits: ProjectCredits):
    from filmscore.orchestration.copying import Header
    from filmscore.recording.revisions import cue_revision

    cue = cs.cue
    revised = cue_revision(pctx, str(cue.number), cs.summary.number, cs.summary.music_version)
    return Header(film_title=pctx.title, cue_number=str(cue.number), cue_title=cue.title,
                  note=revised,
                  composer=credits.composer,
                  orchestrator=cs.summary.author.strip() or credits.orchestrator,
                  length=format_duration(cue.length_frames, pctx.rate),
                  span=f"{format_label(cue.start_frame, pctx.rate)} \u2013 "
                       f"{format_label(cue.end_frame, pctx.rate)}")


def _marks(pctx, cs: CueScore, credits: ProjectCredits):
    from filmscore.orchestration.copying import cue_marks

    if cs.tempo_map is None:
        return (), ()
    return cue_marks(cs.tempo_map, cs.cue.sync_points, rate=pctx.rate,
                     feet_from=cs.cue.start_frame if credits.sync_feet else None,
                     gauge=pctx.film_gauge)


def _for_parts(syncs) -> tuple:
    """Players get the timecode; what happens on screen is for the conductor's score (and
    keeps a busy cue's parts readable)."""
    return tuple(replace(m, text="") for m in syncs)


def _safe(text: str, fallback: str = "part") -> str:
    """A cue, score or session name as one folder name, or the first words of a file's
    (see ``safe_name``): half the bound, to leave room for the part's name after it."""
    return safe_name(text, fallback=fallback, max_bytes=NAME_MAX_BYTES // 2)


#: the room for a part's, a tacet sheet's or a book's file name without its ending: the
#: longest ending given it (" TACET.musicxml") is left
_STEM_BYTES = NAME_MAX_BYTES - len(" TACET.musicxml")
_PART_ENDINGS = (".pdf", ".musicxml")
_TACET_ENDINGS = (" TACET.pdf",)


def _stem(names: UniqueNames, text: str, endings: tuple[str, ...] = _PART_ENDINGS) -> str:
    """A part's, a tacet sheet's or a book's file name without its ending, given once in
    its folder (``names``: "Horn 1/2" and "Horn 1:2" clean up to one name)."""
    return names.stem(text, fallback="part", endings=endings, max_bytes=_STEM_BYTES)


def _score_names(stem: str) -> UniqueNames:
    """A folder's names with its score's (both spellings) given already."""
    return UniqueNames(f"{stem} score{c}{e}" for c in ("", " in C") for e in _PART_ENDINGS)


@dataclass(frozen=True)
class CopyResult:
    cue: str
    parts: tuple[Path, ...]  # PDFs, one per chair playing
    musicxml: tuple[Path, ...]
    tacets: tuple[Path, ...]
    score: Path | None
    pages: int
    notes: tuple[str, ...] = ()  # notation of the source left as written, a line each
    #: (chair label, its part's or its tacet sheet's PDF) for each chair of the cue
    by_chair: tuple[tuple[str, Path], ...] = ()

    def chair_pdf(self, label: str) -> Path | None:
        """The PDF of the chair ``label`` ('Perc.' finds 'Perc'), or None."""
        key = chair_key(label)
        return next((pdf for chair, pdf in self.by_chair if chair_key(chair) == key), None)


def _tacet_sheet(pctx, cue: CueSpec, chair: str, path: Path, note: str = "") -> Path:
    from filmscore.engraving.tacet import TacetSheet, write_tacet_pdf

    return write_tacet_pdf(TacetSheet(
        film_title=pctx.title, cue_number=str(cue.number), cue_title=cue.title, chair=chair,
        length=format_duration(cue.length_frames, pctx.rate),
        start_timecode=format_label(cue.start_frame, pctx.rate),
        end_timecode=format_label(cue.end_frame, pctx.rate), note=note), path)


def copy_cue(pctx, number: str, out_dir: Path, *, parts: bool = True, score: bool = True,
             concert: bool = False, version: int | None = None, workers: int = 2
             ) -> CopyResult:
    """Every player's part (MusicXML + PDF), the tacet sheets and/or the conductor's score
    of one orchestrated cue, into a folder per cue under ``out_dir``.

    Everything is made in a scratch folder beside it first and moved into place only when
    all of it is done, so a failure leaves the folder as it was."""
    return _copy(pctx, cue_score(pctx, number, version), out_dir, parts=parts, score=score,
                 concert=concert, workers=workers)


def _copy(pctx, cs: CueScore, out_dir: Path, *, parts: bool, score: bool, concert: bool,
          workers: int) -> CopyResult:
    from filmscore.engraving.engrave import EngraveJob, engrave
    from filmscore.fileio import write_atomic
    from filmscore.formats.musicxml_marks import apply_layout
    from filmscore.formats.musicxml_parts import load_score, make_part, make_score

    cue = cs.cue
    credits = project_credits(pctx)
    header = _header(pctx, cs, credits)
    tempos, syncs = _marks(pctx, cs, credits)
    doc = load_score(cs.full_score)
    folder = inside(out_dir, _safe(str(cue.number), "cue"))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    made: list[tuple[str, Path, str]] = []  # (group, scratch path, chair)
    notes: list[str] = []
    names = _score_names(str(cue.number))
    with children.scratch_folder(prefix=".filmscore-copy-", dir=out_dir) as tmp:
        scratch = Path(tmp)
        jobs = []
        if parts:
            for part_id, name in doc.parts:
                data = make_part(doc, part_id, header=header, syncs=_for_parts(syncs),
                                 tempos=tempos, notes=notes)
                stem = _stem(names, f"{cue.number} {name}")
                made += [("xml", scratch / f"{stem}.musicxml", ""),
                         ("part", scratch / f"{stem}.pdf", name)]
                jobs.append(EngraveJob(data, scratch / f"{stem}.pdf", "part"))
            for chair in cs.instrumentation.tacet(cs.ensemble):
                stem = _stem(names, f"{cue.number} {chair.label}", _TACET_ENDINGS)
                made.append(("tacet", _tacet_sheet(pctx, cue, chair.label,
                                                   scratch / f"{stem} TACET.pdf"), chair.label))
        if score:
            data = make_score(doc, header=header, syncs=syncs, tempos=tempos,
                              concert=concert, notes=notes)
            stem = f"{cue.number} score{' in C' if concert else ''}"
            made += [("xml", scratch / f"{stem}.musicxml", ""),
                     ("score", scratch / f"{stem}.pdf", "")]
            jobs.append(EngraveJob(data, scratch / f"{stem}.pdf", "score"))
        results = engrave(jobs, workers=workers)
        for job, result in zip(jobs, results, strict=True):  # the MusicXML as engraved
            write_atomic(Path(job.output).with_suffix(".musicxml"),
                         apply_layout(job.source, result.marks))
        folder.mkdir(exist_ok=True)
        for old in folder.glob(f"{cue.number} *"):  # the previous copy's files of this kind
            is_score = old.stem.startswith(f"{cue.number} score")
            if old.suffix in (".pdf", ".musicxml") and ((is_score and score)
                                                         or (not is_score and parts)):
                old.unlink()
        placed: dict[str, list[Path]] = {"xml": [], "part": [], "tacet": [], "score": []}
        by_chair = []
        for group, path, chair in made:
            target = inside(folder, path.name)
            path.replace(target)
            placed[group].append(target)
            if chair:
                by_chair.append((chair, target))
    return CopyResult(str(cue.number), tuple(placed["part"]), tuple(placed["xml"]),
                      tuple(placed["tacet"]), placed["score"][0] if placed["score"] else None,
                      sum(r.pages for r in results), tuple(dict.fromkeys(notes)),
                      tuple(by_chair))


def source_header(doc) -> Header:
    """The page-1 header of an outside score: its own work and movement titles and
    creators (the composer, the arranger as orchestrator)."""
    from filmscore.orchestration.copying import Header

    root = doc.root

    def text(path: str) -> str:
        return " ".join((root.findtext(path) or "").split())

    number = text("movement-number")
    work, movement = text("work/work-title"), text("movement-title")
    if movement == work:
        movement = ""
    return Header(film_title=work or (movement if not number else ""),
                  cue_number=number, cue_title=movement if work or number else "",
                  composer=text("identification/creator[@type='composer']"),
                  orchestrator=text("identification/creator[@type='arranger']"))


def copy_musicxml(path: Path, out_dir: Path, *, parts: bool = True, score: bool = True,
                  concert: bool = False, workers: int = 2) -> CopyResult:
    """Parts and/or a conductor's score of any full score (a MusicXML file, no project):
    copied as a cue's are (accidentals, rests, beams, rehearsal letters at its structural
    points, labels, final bar line, header from its own titles and creators), into a
    folder named for the file under ``out_dir``; all or nothing."""
    from filmscore.engraving.engrave import EngraveJob, engrave
    from filmscore.fileio import write_atomic
    from filmscore.formats.musicxml_marks import apply_layout
    from filmscore.formats.musicxml_parts import load_score, make_parts, make_score

    doc = load_score(path)
    header = source_header(doc)
    notes: list[str] = []
    name = _safe(Path(path).stem, "score")
    folder = inside(out_dir, name)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    with children.scratch_folder(prefix=".filmscore-copy-", dir=out_dir) as tmp:
        scratch = Path(tmp)
        jobs = []
        names = _score_names(name)
        if parts:
            for part_name, data in make_parts(doc, header=header, notes=notes):
                jobs.append(EngraveJob(
                    data, scratch / f"{_stem(names, f'{name} {part_name}')}.pdf", "part"))
        if score:
            data = make_score(doc, header=header, concert=concert, notes=notes)
            stem = f"{name} score{' in C' if concert else ''}"
            jobs.append(EngraveJob(data, scratch / f"{stem}.pdf", "score"))
        results = engrave(jobs, workers=workers)
        folder.mkdir(exist_ok=True)
        placed: dict[str, list[Path]] = {"part": [], "score": [], "xml": []}
        for job, result in zip(jobs, results, strict=True):
            xml = write_atomic(Path(job.output).with_suffix(".musicxml"),
                               apply_layout(job.source, result.marks))
            for made, group in ((Path(job.output), job.kind), (xml, "xml")):
                target = inside(folder, made.name)
                made.replace(target)
                placed[group].append(target)
    return CopyResult(name, tuple(placed["part"]), tuple(placed["xml"]), (),
                      placed["score"][0] if placed["score"] else None,
                      sum(r.pages for r in results), tuple(dict.fromkeys(notes)))


@dataclass(frozen=True)
class BookResult:
    session: str
    books: tuple[Path, ...]
    cues: tuple[str, ...]


def session_books(pctx, cue_numbers: Sequence[str], out_dir: Path, *, session: str,
                  date: str = "", workers: int = 2) -> BookResult:
    """A book per chair: every cue of the session in recording order, its part or a tacet
    sheet, in one PDF with a cover listing the cues.  A chair of the session missing from
    a cue's ensemble (a strings-only cue in an orchestral session) gets a tacet sheet too.
    The books are made in a scratch folder and moved into place when all are done."""
    from filmscore.engraving.books import BookEntry, write_session_book

    if not cue_numbers:
        raise InputError("a session needs at least one cue", field="cues",
                         valid="cue numbers in recording order, e.g. 1M3,1M1")
    scores = [cue_score(pctx, number) for number in cue_numbers]  # all known, all orchestrated
    folder = inside(out_dir, _safe(session, "session"))
    folder.mkdir(parents=True, exist_ok=True)
    with children.scratch_folder(prefix=".filmscore-books-", dir=folder) as tmp:
        scratch = Path(tmp)
        copies = [_copy(pctx, cs, scratch / "cues", parts=True, score=False, concert=False,
                        workers=workers) for cs in scores]
        chairs: dict[str, str] = {}  # one book a chair: 'Perc.' of one ensemble is 'Perc'
        for cs in scores:
            for chair in cs.ensemble.chairs:
                chairs.setdefault(chair_key(chair.label), chair.label)
        made = []
        book_names, tacet_names = UniqueNames(), UniqueNames()
        for label in chairs.values():
            entries = []
            for cs, copy in zip(scores, copies, strict=True):
                pdf, tacet = copy.chair_pdf(label), False
                if pdf is None or pdf in copy.tacets:
                    tacet = True
                if pdf is None:  # not in this cue's ensemble at all: tacet as well
                    stem = _stem(tacet_names, f"{cs.cue.number} {label}", _TACET_ENDINGS)
                    pdf = scratch / "tacet" / f"{stem} TACET.pdf"
                    pdf.parent.mkdir(exist_ok=True)
                    _tacet_sheet(pctx, cs.cue, label, pdf,
                                 note=f"not in this cue's ensemble ({cs.ensemble.title})")
                entries.append(BookEntry(cue_number=str(cs.cue.number), cue_title=cs.cue.title,
                                         pdf=pdf, tacet=tacet))
            book = scratch / f"{_stem(book_names, label, ('.pdf',))}.pdf"
            write_session_book(entries, book, chair=label, film_title=pctx.title,
                               session=session, date=date)
            made.append(book)
        books = []
        for book in made:
            target = inside(folder, book.name)
            book.replace(target)
            books.append(target)
    return BookResult(session, tuple(books), tuple(str(n) for n in cue_numbers))


def check_cue_engraving(pctx, number: str, *, options=None, version: int | None = None):
    """The engraving check (:mod:`filmscore.engraving.check`) of one cue's parts and
    score exactly as the copying stage writes them: copied afresh into a scratch folder,
    checked, and the folder removed (nothing of the project changes)."""
    from filmscore.engraving.check import check_files

    with children.scratch_folder(prefix="filmscore-check-") as tmp:
        done = copy_cue(pctx, number, Path(tmp), parts=True, score=True, version=version)
        folder = Path(tmp) / _safe(done.cue, "cue")
        return check_files(done.musicxml, options=options, root=folder)
