"""One cue seen whole, read-only: its spotting with the versions an editor sends back, its
tempo map, review notes and status history, music versions, and the files it has in the
project folder (mockups, streamer video, parts and score PDFs, its takes' stems)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmscore.fileio import safe_name
from filmscore.spotting.cues import parse_cue_number

#: mockup files by their ending, with the label a page shows (the click is left out)
MOCKUP_KINDS: tuple[tuple[str, str], ...] = (("_mix.wav", "mix"), ("_music.wav", "music"))
#: folders inside the project where copied parts and scores are looked for (a folder per cue)
PART_FOLDERS: tuple[str, ...] = ("parts", "scores")


@dataclass(frozen=True)
class MediaFile:
    label: str
    path: Path  # absolute, inside the project folder


@dataclass(frozen=True)
class TakeAudio:
    number: int
    kind: str
    circled: bool
    bars: str
    notes: str
    stems: tuple[MediaFile, ...]


@dataclass(frozen=True)
class CueFiles:
    cue: str
    mockups: tuple[MediaFile, ...]
    streamer: MediaFile | None
    parts: tuple[MediaFile, ...]
    scores: tuple[MediaFile, ...]
    takes: tuple[TakeAudio, ...]

    def all(self) -> list[MediaFile]:
        stems = [s for t in self.takes for s in t.stems]
        return [*self.mockups, *([self.streamer] if self.streamer else []), *self.parts,
                *self.scores, *stems]


def _mockups(folder: Path, cue: str) -> list[MediaFile]:
    found = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            for ending, label in MOCKUP_KINDS:
                if path.name.endswith(ending) and path.name.startswith(cue + "_"):
                    version = path.name[len(cue) + 1:-len(ending)]
                    found.append(MediaFile(f"{label} {version}", path))
    return found


def _pdfs(root: Path, cue: str) -> tuple[list[MediaFile], list[MediaFile]]:
    parts, scores = [], []
    for name in PART_FOLDERS:
        folder = root / name / safe_name(cue, fallback="cue")  # as the writers name it
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.pdf")):
            is_score = "score" in path.stem.lower()
            (scores if is_score else parts).append(MediaFile(path.stem, path))
    return parts, scores


def _takes(pctx, cue: str) -> list[TakeAudio]:
    from sqlalchemy import select

    from filmscore.errors import NotFoundError
    from filmscore.model import Take
    from filmscore.recording.takelog import bars_label
    from filmscore.store import transaction
    from filmscore.sync.service import cue_row

    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, cue)
        takes = session.scalars(select(Take).where(Take.cue_id == row.id)
                                .order_by(Take.number)).all()
        out = []
        for take in takes:
            stems = []
            for audio in take.audio or []:
                digest = audio.get("media_hash")
                if not digest:
                    continue
                try:
                    path = pctx.media.path(digest)
                except NotFoundError:
                    continue
                stems.append(MediaFile(audio.get("stem") or audio.get("name", ""), path))
            out.append(TakeAudio(take.number, take.kind, bool(take.circled),
                                 bars_label(take.bar_from, take.bar_to), take.notes or "",
                                 tuple(stems)))
        return out


def cue_files(pctx, number: str) -> CueFiles:
    """Every file of cue ``number`` the project holds (missing ones are simply absent)."""
    cue = str(parse_cue_number(str(number)))
    root = Path(pctx.directory)
    streamer = root / "streamers" / safe_name(cue, fallback="cue", suffix=".mp4")
    parts, scores = _pdfs(root, cue)
    return CueFiles(cue, tuple(_mockups(root / "mockups" / safe_name(cue, fallback="cue"), cue)),
                    MediaFile("streamer", streamer) if streamer.is_file() else None,
                    tuple(parts), tuple(scores), tuple(_takes(pctx, cue)))


def relative_path(pctx, media: MediaFile) -> str:
    """The file's path relative to the project folder (as a URL names it)."""
    return media.path.resolve().relative_to(Path(pctx.directory).resolve()).as_posix()


def cue_file(pctx, number: str, relative: str) -> Path:
    """The file ``relative`` (to the project folder) when it is one of the cue's files."""
    from filmscore.errors import NotFoundError

    files = cue_files(pctx, number)
    root = Path(pctx.directory).resolve()
    for media in files.all():
        path = media.path.resolve()
        if root in path.parents and path.relative_to(root).as_posix() == relative:
            return path
    raise NotFoundError(f"cue {files.cue} has no file {relative!r} (its mockups, streamer, "
                        f"parts, score and take stems are served)")


@dataclass(frozen=True)
class CueOverview:
    form: object  # spotting.service.CueForm
    tempo_map: object  # sync.tempomap.TempoMap | None
    tempo_origin: str
    tempo_version: int  # 0: no map yet
    steps: list
    notes: list
    versions: list
    files: CueFiles


def cue_overview(pctx, number: str) -> CueOverview:
    """Everything the cue page shows of cue ``number``."""
    from filmscore.spotting.service import cue_form
    from filmscore.sync.service import cue_sync
    from filmscore.writing.service import history, list_versions

    form = cue_form(pctx, number)
    cue = str(form.cue.number)
    sync = cue_sync(pctx, cue)
    steps, notes = history(pctx, cue)
    return CueOverview(form, sync.tempo_map, sync.origin, sync.version, steps, notes,
                       list_versions(pctx, cue), cue_files(pctx, cue))
