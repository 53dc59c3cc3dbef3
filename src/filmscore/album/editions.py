"""Sheet-music editions of a cue: a piano solo and a lead sheet, made from the full score
the orchestration stage stores (its latest orchestration, or a given version), engraved
as the parts are and checked by the engraving check.

:func:`publish` writes ``<out>/<cue>/<cue> <edition>.musicxml`` and ``.pdf``; both are
made in a scratch folder beside them and moved into place when both are done (nothing
half-written).  The arrangement itself is pure (:mod:`filmscore.album.piano`,
:mod:`filmscore.album.leadsheet`); the MusicXML is :mod:`filmscore.formats.
musicxml_editions`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from filmscore import children
from filmscore.errors import InputError
from filmscore.fileio import inside, safe_name

EDITIONS: dict[str, str] = {
    "piano": "piano solo: two staves, the melody on top, the bass kept, inner voices "
             "thinned to what two hands can play",
    "leadsheet": "lead sheet: the melody on one staff with chord symbols from a harmonic "
                 "analysis of the full score",
}
_FILE_NAMES = {"piano": "piano", "leadsheet": "lead sheet"}
_NOTES = {"piano": "Piano solo", "leadsheet": "Lead sheet in C"}


@dataclass(frozen=True)
class Edition:
    """One edition written: its files, pages, what it did, and the engraving check."""

    cue: str
    edition: str
    musicxml: Path
    pdf: Path
    pages: int
    melody_parts: tuple[tuple[int, int, str], ...]  # (first bar, last bar, part name)
    notes: tuple[str, ...]  # the simplifications, a line each
    check: dict  # findings per rule of the engraving check
    findings: tuple[str, ...]  # each finding, a line
    chords: tuple[tuple[str, str], ...] = ()  # lead sheet: (bar:beat, symbol)


def check_edition(edition: str) -> str:
    if edition not in EDITIONS:
        raise InputError("unknown edition", field="edition", value=edition,
                         valid=", ".join(EDITIONS))
    return edition


def _safe(text: str) -> str:
    return safe_name(text, fallback="cue")


def _where(onset, bar, beat) -> str:
    index = onset // bar
    return f"{index + 1}:{float((onset - index * bar) / beat + 1):g}"


def edition_document(music, header, edition: str, *, melody_part: str | None = None,
                     prefer=()):
    """(MusicXML bytes, melody runs, notes, chords as (bar:beat, symbol)) of ``edition``
    of ``music`` (a full score at concert pitch, as ``read_music`` reads it)."""
    from filmscore.album.leadsheet import lead_sheet, melody_music
    from filmscore.album.piano import bar_length, piano_music, reduce_score
    from filmscore.formats.musicxml_editions import leadsheet_document, piano_document

    check_edition(edition)
    header = replace(header, note=_NOTES[edition])
    if edition == "piano":
        red = reduce_score(music, melody_part=melody_part, prefer=prefer)
        return (piano_document(piano_music(music, red), header), red.melody_parts,
                red.notes, ())
    sheet = lead_sheet(music, melody_part=melody_part, prefer=prefer)
    data = leadsheet_document(melody_music(music, sheet), sheet.chords, header,
                              flats=sheet.flats)
    bar, beat = bar_length(music), music.meter.beat_quarters
    chords = tuple((_where(t, bar, beat), name) for t, name in sheet.symbols())
    return data, sheet.melody_parts, sheet.notes, chords


def publish(pctx, cue: str, *, edition: str = "piano", out: Path, version: int | None = None,
            melody_part: str | None = None) -> Edition:
    """Make ``edition`` ("piano" or "leadsheet") of ``cue`` from its stored full score
    into ``out/<cue>/``: MusicXML and PDF, engraved like the parts, checked."""
    from filmscore.album.piano import melody_chairs
    from filmscore.engraving.check import check_musicxml
    from filmscore.engraving.engrave import EngraveJob, engrave
    from filmscore.formats.musicxml import quiet_music21, read_music
    from filmscore.orchestration.copying import Header
    from filmscore.orchestration.service import cue_score, project_credits

    check_edition(edition)
    cs = cue_score(pctx, cue, version)  # NotFoundError: unknown cue, or not orchestrated
    with quiet_music21():
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            music = read_music(cs.full_score, rate=pctx.rate.name, unpitched=True)
    header = Header(film_title=pctx.title, cue_number=str(cs.cue.number),
                    cue_title=cs.cue.title, composer=project_credits(pctx).composer)
    data, runs, notes, chords = edition_document(
        music, header, edition, melody_part=melody_part,
        prefer=melody_chairs(cs.decisions))  # the chairs the orchestration gave the tune
    number = str(cs.cue.number)
    stem = f"{number} {_FILE_NAMES[edition]}"
    folder = inside(out, _safe(number))
    Path(out).mkdir(parents=True, exist_ok=True)
    with children.scratch_folder(prefix=".filmscore-publish-", dir=out) as tmp:
        scratch = Path(tmp)
        xml = scratch / f"{stem}.musicxml"
        xml.write_bytes(data)
        result = engrave([EngraveJob(data, scratch / f"{stem}.pdf", "part")], workers=1)[0]
        report = check_musicxml(data, name=xml.name)
        folder.mkdir(exist_ok=True)
        placed = []
        for made in (xml, scratch / f"{stem}.pdf"):
            target = inside(folder, made.name)
            made.replace(target)
            placed.append(target)
    return Edition(number, edition, placed[0], placed[1], result.pages, tuple(runs),
                   tuple(notes), report.counts, tuple(f.line() for f in report.findings),
                   tuple(chords))
