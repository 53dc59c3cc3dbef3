"""Mockups of the project's cues (thin service over ``writing.mockup``): which music, which
tempo map, where the files go; and quick audio previews of themes."""

from __future__ import annotations

import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

from filmscore.errors import InputError, NotFoundError
from filmscore.spotting.cues import require_one_or_all
from filmscore.sync.cuemaps import cue_sync
from filmscore.sync.tempomap import Segment, TempoMap
from filmscore.writing.mockup import MockupJob, render_many, render_mockup
from filmscore.writing.music import Music
from filmscore.writing.versions import cues_with_music, load_version

#: the SoundFont of a mockup and of a quick draft
SOUNDFONT_OF = {False: "fluidr3", True: "draft"}


def _cue_job(pctx, number: str, *, draft: bool, lufs: float, version: int | None
             ) -> MockupJob:
    cs = cue_sync(pctx, number)
    summary, music = load_version(pctx, number, version)
    tmap = cs.tempo_map or music.tempo_map
    if tmap is None:
        raise NotFoundError(f"cue {cs.cue.number} has neither a tempo map nor tempos in its "
                            f"music: 'filmscore tempo set {cs.cue.number} --tempo 120'")
    out = pctx.directory / "mockups" / str(cs.cue.number)
    out.mkdir(parents=True, exist_ok=True)
    return MockupJob(music, out, tmap, {
        "soundfont": SOUNDFONT_OF[draft], "loudness_lufs": lufs,
        "instrumentation": cs.cue.instrumentation or None,
        "name": f"{cs.cue.number}_v{summary.number}"})


def render_cue_mockups(pctx, number: str | None, *, all_cues: bool = False,
                       draft: bool = False, lufs: float = -23.0, version: int | None = None,
                       progress=None) -> list:
    """Render one cue's mockup, or every cue with music (in parallel, with a progress bar
    when ``progress`` is a Rich console)."""
    require_one_or_all(number, all_cues, "mockups")
    if number is not None:
        numbers = [number]
    else:
        numbers = cues_with_music(pctx)
        if version is not None:
            raise InputError("--version names one cue's version", field="version",
                             value=str(version), valid="no --version with --all")
    jobs = [_cue_job(pctx, n, draft=draft, lufs=lufs, version=version) for n in numbers]
    if len(jobs) == 1:
        return [(numbers[0], render_mockup(jobs[0].music, jobs[0].out_dir,
                                           tempo_map=jobs[0].tempo_map, **jobs[0].options))]
    if progress is None:
        results = render_many(jobs)
    else:
        from rich.progress import Progress

        with Progress(console=progress, transient=True) as bar:
            task = bar.add_task("mockups", total=len(jobs))
            results = render_many(jobs, progress=lambda done, total, r: bar.update(
                task, completed=done))
    return list(zip(numbers, results, strict=True))


def preview_wav(music: Music, path: Path, *, rate, tempo_bpm: Fraction = Fraction(100)
                ) -> Path:
    """A quick audio preview of a theme (draft SoundFont, no click), at its own tempo or
    ``tempo_bpm``."""
    bars = int((music.end / (music.meter.numerator * music.meter.beat_quarters)).__ceil__())
    tmap = music.tempo_map or TempoMap(rate, 0, (Segment(max(bars, 1), music.meter,
                                                         tempo_bpm),))
    with tempfile.TemporaryDirectory(prefix="filmscore-preview-") as work:
        result = render_mockup(music, Path(work), tempo_map=tmap, soundfont="draft",
                               click=False, name="preview")
        from filmscore.fileio import atomic_path

        with atomic_path(path) as tmp:
            shutil.copyfile(result.mix, tmp)
    return Path(path)
