"""Mockups: a cue's music rendered with a General MIDI soundfont (FluidSynth), its click
on its own stem, and a review mix at a stated loudness.

``render_mockup`` writes, in ``out_dir``: ``NAME.mid`` (the music as played, with the
tempo map as its conductor track, ``formats.midi_music``), ``NAME_music.wav`` (stereo,
FluidSynth), ``NAME_click.wav`` (mono, ``sync.click``; when ``click``) and ``NAME_mix.wav``
(the review copy), all 24-bit Broadcast WAV whose ``bext`` time reference is the first
click's time of day (``formats.bwf``); quantised here with TPDF dither, since soundfile
clips and has no dither: FIELD-NOTES.

- **Alignment.**  Every file starts at the same origin: the first click, bar 1 minus the
  count-in (or pickup), which is MIDI tick 0 and FluidSynth's sample 0.  The click stem is
  rendered by ``render_click`` with ``origin_seconds = tempo_map.first_beat_seconds``, so
  each click's first sample is exactly ``tempo_map.sample_at(beat)``; the stems have the
  same length.  ``MockupResult.origin_seconds`` gives the origin (seconds from bar 1).
  The music stem's notes are as exact as FluidSynth plays them: its MIDI player runs on
  64-sample blocks and millisecond ticks, so note starts jitter by up to about 2 ms (92
  samples at 48 kHz measured, on top of each sample's own attack); the click stem is
  exact to the sample.
- **The mix** is the music alone by default: a review copy for a director, who listens to
  the music, not the click.  ``mix_click_db`` (e.g. -12) adds the click at that gain
  relative to its stem, for a composer checking sync.  The mix is normalised to
  ``loudness_lufs`` integrated, measured per ITU-R BS.1770-4 with **pyloudnorm**
  (``writing.loudness``), under a sample-peak ceiling of -1 dBFS: when the target would
  put a peak above it, the gain stops at the ceiling and the loudness reached is reported
  (``loudness_lufs`` in the result is measured on the written file; ``peak_limited``
  says so).  The music stem gets the mix's gain, so that stem + click stem at
  ``mix_click_db`` add up to the mix; the click stem stays at its own level, bit for bit.
- **Bounded render.**  The MIDI ends every channel (CC 123, then CC 120 after
  ``midi_music.TAIL_SECONDS``); FluidSynth is still watched: it is killed when its output
  passes the file's length plus ``RENDER_MARGIN_SECONDS``, and the audio is cut there.

Instruments: a part that carries a program (not 0) or is drums keeps it; a part whose
``instrument`` names a known instrument gets its program; the others take the cue's
``instrumentation`` ("strings, horn") in order, ensembles expanded ("woodwinds" is flute,
oboe, clarinet, bassoon), cycling when there are more parts than names.  So a piano part
(program 0) is re-voiced by an instrumentation unless it says "piano".
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import numpy as np

from filmscore.errors import InputError, ToolError
from filmscore.fileio import atomic_path
from filmscore.formats.bwf import Bext, time_reference, write_bwf
from filmscore.formats.click_wav import write_click_wav
from filmscore.formats.gm_programs import gm_instrument, parse_instrumentation
from filmscore.formats.midi_music import TAIL_SECONDS as MIDI_TAIL_SECONDS
from filmscore.formats.midi_music import write_music
from filmscore.sync.click import click_events, render_click
from filmscore.sync.tempomap import TempoMap
from filmscore.writing import loudness
from filmscore.writing.check import seconds_at_quarters
from filmscore.writing.music import Music, require_notes

SF2_DIR = Path("/usr/share/sounds/sf2")
FLUIDR3 = SF2_DIR / "FluidR3_GM.sf2"
TIMGM6MB = SF2_DIR / "TimGM6mb.sf2"


@dataclass(frozen=True)
class SoundFont:
    path: Path
    package: str  # the Debian package that installs it


#: Soundfonts by name.  "draft" is small and fast to load (6 MB); "fluidr3" (145 MB) sounds
#: better and takes about a second to load.
SOUNDFONTS: dict[str, SoundFont] = {
    "fluidr3": SoundFont(FLUIDR3, "fluid-soundfont-gm"),
    "draft": SoundFont(TIMGM6MB, "timgm6mb-soundfont"),
}
FLUIDSYNTH_PACKAGE = "fluidsynth"
RENDER_SAMPLE_RATES = (44100, 48000, 88200, 96000)
FLUIDSYNTH_GAIN = 0.5  # output is float: nothing clips inside FluidSynth; the mix is normalised
RENDER_MARGIN_SECONDS = 1.0  # kept after the MIDI file's end (its CC 120 ends the voices)
KILL_AFTER_SECONDS = 4.0  # FluidSynth renders about 2 s past the file's end on its own
PEAK_CEILING_DBFS = -1.0


@dataclass(frozen=True)
class MockupResult:
    """What ``render_mockup`` wrote and measured.  ``seconds`` is the files' length,
    ``origin_seconds`` the time of their first sample from bar 1 (<= 0)."""

    mix: Path
    music_stem: Path
    click_stem: Path | None
    loudness_lufs: float
    peak_dbfs: float
    seconds: Fraction
    files: tuple[Path, ...]
    midi: Path
    sample_rate: int
    origin_seconds: Fraction
    gain_db: float
    peak_limited: bool


# --- tools ------------------------------------------------------------------------------


def fluidsynth_path() -> str:
    """The fluidsynth program; ToolError naming the Debian package when it is missing."""
    found = shutil.which("fluidsynth")
    if not found:
        raise ToolError("fluidsynth is not installed (a mockup needs it): install the "
                        f"Debian package {FLUIDSYNTH_PACKAGE}")
    return found


def soundfont_path(soundfont: str | os.PathLike[str]) -> Path:
    """A soundfont by name ('fluidr3', 'draft') or path; ToolError when it is missing."""
    known = SOUNDFONTS.get(str(soundfont).lower())
    path = known.path if known else Path(soundfont)
    if not path.is_file():
        by_path = {str(s.path): s for s in SOUNDFONTS.values()}
        entry = known or by_path.get(str(path))
        package = (f"the Debian package {entry.package}" if entry else
                   "a .sf2 file, or the Debian package fluid-soundfont-gm "
                   "(name 'fluidr3') or timgm6mb-soundfont (name 'draft')")
        raise ToolError(f"soundfont not found: {path}; install {package}")
    return path


def fluidsynth_command(midi: Path, wav: Path, soundfont: Path, sample_rate: int,
                       gain: float = FLUIDSYNTH_GAIN, sample_format: str = "float"
                       ) -> list[str]:
    """The fast-render command line (by default 32-bit float WAV: no clipping, no 16-bit
    step; "s24" writes the 24-bit stem directly)."""
    return [fluidsynth_path(), "-ni", "-q", "-F", str(wav), "-r", str(sample_rate),
            "-T", "wav", "-O", sample_format, "-g", f"{gain:g}", str(soundfont), str(midi)]


def _run_guarded(command: list[str], wav: Path, *, midi: Path, max_seconds: float,
                 sample_rate: int, bytes_per_sample: int) -> str:
    """Run FluidSynth, killing it when it writes ``KILL_AFTER_SECONDS`` past
    ``max_seconds`` (a hung voice renders forever) or overruns its deadline; its stderr."""
    max_samples = math.ceil(max_seconds * sample_rate)
    max_bytes = (max_samples + KILL_AFTER_SECONDS * sample_rate) * 2 * bytes_per_sample + 4096
    deadline = time.monotonic() + 60 + 2 * max_seconds  # ~58x real time when healthy
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed = False
    while True:
        try:
            process.wait(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            size = wav.stat().st_size if wav.exists() else 0
            if size > max_bytes or time.monotonic() > deadline:
                process.kill()
                process.wait()
                killed = True
                break
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0 and not killed:
        raise ToolError(f"fluidsynth failed (exit {process.returncode}) on {midi}: "
                        + " ".join(errors.split())[-300:])
    return errors


def render_midi(midi: str | os.PathLike[str], *, soundfont: str | os.PathLike[str] = FLUIDR3,
                sample_rate: int = 48000, max_seconds: float,
                gain: float = FLUIDSYNTH_GAIN) -> np.ndarray:
    """Render a MIDI file with FluidSynth: float samples, shape (n, 2), at most
    ``max_seconds`` long (cut there; FluidSynth is killed when it writes
    ``KILL_AFTER_SECONDS`` past that: a hung voice makes it render forever)."""
    import soundfile

    if sample_rate not in RENDER_SAMPLE_RATES:
        raise InputError("unsupported sample rate for FluidSynth", field="sample_rate",
                         value=str(sample_rate),
                         valid=", ".join(map(str, RENDER_SAMPLE_RATES)))
    font = soundfont_path(soundfont)
    max_samples = math.ceil(max_seconds * sample_rate)
    with tempfile.TemporaryDirectory(prefix="filmscore-render-") as folder:
        wav = Path(folder) / "render.wav"
        errors = _run_guarded(fluidsynth_command(Path(midi), wav, font, sample_rate, gain),
                              wav, midi=Path(midi), max_seconds=max_seconds,
                              sample_rate=sample_rate, bytes_per_sample=4)
        try:
            with soundfile.SoundFile(str(wav)) as handle:  # a killed render: read what is there
                data = handle.read(frames=max_samples, dtype="float32", always_2d=True)
                rate = handle.samplerate
        except (RuntimeError, OSError) as exc:
            raise ToolError(f"fluidsynth wrote no readable audio for {midi}: {exc}; "
                            + " ".join(errors.split())[-300:]) from None
    if rate != sample_rate:
        raise ToolError(f"fluidsynth rendered at {rate} Hz instead of {sample_rate} Hz")
    return data


# --- instruments ------------------------------------------------------------------------


def assign_programs(music: Music, instrumentation: str | None) -> Music:
    """The music with General MIDI programs for the parts that carry none (see above)."""
    needs = [p for p in music.parts if not (p.is_drum or p.program != 0)]
    # the cue's instrumentation is read only when a part needs a sound from it
    names = parse_instrumentation(instrumentation) if instrumentation and needs else []
    parts = []
    turn = 0
    for part in music.parts:
        if part.is_drum or part.program != 0:
            parts.append(part)
            continue
        sound = None
        if part.instrument:
            try:
                sound = gm_instrument(part.instrument)
            except InputError:
                sound = None
        if sound is None and names:
            sound = gm_instrument(names[turn % len(names)])
            turn += 1
        if sound is not None:
            part = replace(part, program=sound.program, is_drum=sound.drum)
        parts.append(part)
    return music.with_parts(parts)


# --- the mockup -------------------------------------------------------------------------


def _stem_as_rendered(midi_path: Path, out: Path, name: str, *, font: Path,
                      sample_rate: int, max_seconds: float, origin: Fraction
                      ) -> MockupResult:
    """No click and no loudness: FluidSynth writes the 24-bit stem itself (nothing to
    read back, convert or write again); the mix is the same file."""
    import soundfile

    if sample_rate not in RENDER_SAMPLE_RATES:
        raise InputError("unsupported sample rate for FluidSynth", field="sample_rate",
                         value=str(sample_rate),
                         valid=", ".join(map(str, RENDER_SAMPLE_RATES)))
    music_path = out / f"{name}_music.wav"
    with atomic_path(music_path) as tmp:
        _run_guarded(fluidsynth_command(midi_path, tmp, font, sample_rate, sample_format="s24"),
                     tmp, midi=midi_path, max_seconds=max_seconds, sample_rate=sample_rate,
                     bytes_per_sample=3)
        frames = soundfile.info(str(tmp)).frames
    mix_path = _same_file(music_path, out / f"{name}_mix.wav")
    return MockupResult(mix=mix_path, music_stem=music_path, click_stem=None,
                        loudness_lufs=math.nan, peak_dbfs=math.nan,
                        seconds=Fraction(frames, sample_rate),
                        files=(midi_path, music_path, mix_path), midi=midi_path,
                        sample_rate=sample_rate, origin_seconds=origin, gain_db=0.0,
                        peak_limited=False)


def _same_file(source: Path, path: Path) -> Path:
    """``path`` as a second name of ``source`` (a hard link; a copy where links fail)."""
    with atomic_path(path) as tmp:
        tmp.unlink()
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
    return path


def _write_pcm24(path: Path, samples: np.ndarray, sample_rate: int,
                 time_reference: int = 0) -> Path:
    """A 24-bit Broadcast WAV whose first sample is ``time_reference`` samples since
    midnight (``formats.bwf``: soundfile cannot write a ``bext`` chunk)."""
    channels = "stereo" if np.ndim(samples) == 2 and np.shape(samples)[1] == 2 else "mono"
    return write_bwf(path, samples, sample_rate, bits=24, bext=Bext(
        time_reference=time_reference, description=f"filmscore mockup {path.stem}",
        coding_history=f"A=PCM,F={sample_rate},W=24,M={channels},T=filmscore mockup"))


def render_mockup(music: Music, out_dir: str | os.PathLike[str], *, tempo_map: TempoMap,
                  soundfont: str | os.PathLike[str] = FLUIDR3, sample_rate: int = 48000,
                  click: bool = True, loudness_lufs: float = -23.0,
                  instrumentation: str | None = None, name: str = "mockup",
                  mix_click_db: float | None = None, normalise: bool = True,
                  dither: bool = True) -> MockupResult:
    """Render ``music`` under ``tempo_map`` to stems and a review mix in ``out_dir``.

    ``soundfont``: ``FLUIDR3`` (default), "draft" (TimGM6mb, fast), "fluidr3" or a path.
    ``normalise=False`` writes the music as FluidSynth made it (for benchmarks).
    ToolError when fluidsynth or the soundfont is missing; InputError for music without
    notes, an unknown instrument, or a silent render.
    """
    require_notes(music, source=name)
    if mix_click_db is not None and not click:
        raise InputError("no click to mix", field="mix_click_db", value=str(mix_click_db),
                         valid="None, or click=True")
    font = soundfont_path(soundfont)
    fluidsynth_path()
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError("no such folder", source=str(out), valid="an existing folder")
    music = assign_programs(music, instrumentation)
    midi_path = write_music(music, out / f"{name}.mid", tempo_map=tempo_map)
    # the file's length from our own exact map (no second parse of the MIDI file): the
    # music's end, counted from the first click, plus the All Sound Off tail
    end = seconds_at_quarters(tempo_map, music.end) - tempo_map.first_beat_seconds
    length_s = float(end) + MIDI_TAIL_SECONDS + RENDER_MARGIN_SECONDS
    if not (normalise or click):
        return _stem_as_rendered(midi_path, out, name, font=font, sample_rate=sample_rate,
                                 max_seconds=length_s, origin=tempo_map.first_beat_seconds)
    audio = render_midi(midi_path, soundfont=font, sample_rate=sample_rate,
                        max_seconds=length_s)  # float32 (n, 2)
    n = audio.shape[0]
    origin = tempo_map.first_beat_seconds
    stamp = time_reference(tempo_map.absolute_seconds(origin), sample_rate)  # bext
    seconds = Fraction(n, sample_rate)
    files: list[Path] = [midi_path]
    click_path = None
    click_samples = None
    if click:
        click_samples = render_click(click_events(tempo_map), sample_rate=sample_rate,
                                     origin_seconds=origin, length_seconds=seconds,
                                     tmap=tempo_map)[:n]
        click_path = write_click_wav(click_samples, out / f"{name}_click.wav", sample_rate,
                                     time_reference=stamp)
        files.append(click_path)
    clicked = mix_click_db is not None and click_samples is not None
    mix = audio
    if clicked:
        mix = audio + (loudness.from_pcm24(click_samples) * 10 ** (mix_click_db / 20)
                       ).astype(np.float32)[:, None]
    gain_db, limited = 0.0, False
    if normalise:
        result = loudness.normalise(mix, sample_rate, loudness_lufs, PEAK_CEILING_DBFS)
        gain_db, limited, mix = result.gain_db, result.peak_limited, result.samples
    stem = mix if not clicked else audio * np.float32(10 ** (gain_db / 20))
    stem_ints = loudness.to_pcm24(stem, dither)
    music_path = _write_pcm24(out / f"{name}_music.wav", stem_ints, sample_rate, stamp)
    files.append(music_path)
    if clicked:
        mix_ints = loudness.to_pcm24(mix, dither)
        mix_path = _write_pcm24(out / f"{name}_mix.wav", mix_ints, sample_rate, stamp)
    else:  # the review mix is the music stem: the same file, linked
        mix_ints = stem_ints
        mix_path = _same_file(music_path, out / f"{name}_mix.wav")
    files.append(mix_path)
    top = max(int(mix_ints.max()), -int(mix_ints.min()), 0)
    peak = 20 * math.log10(top / (loudness.PCM24_MAX + 1)) if top else -math.inf
    measured = (loudness.integrated_lufs(loudness.from_pcm24(mix_ints), sample_rate)
                if normalise else math.nan)  # measured on the file as written
    return MockupResult(mix=mix_path, music_stem=music_path, click_stem=click_path,
                        loudness_lufs=measured, peak_dbfs=peak, seconds=seconds,
                        files=tuple(files), midi=midi_path, sample_rate=sample_rate,
                        origin_seconds=origin, gain_db=gain_db, peak_limited=limited)


# --- several cues -----------------------------------------------------------------------


@dataclass(frozen=True)
class MockupJob:
    """One cue to render: ``render_mockup(music, out_dir, tempo_map=..., **options)``."""

    music: Music
    out_dir: Path
    tempo_map: TempoMap
    options: dict = field(default_factory=dict)


def _run_job(job: MockupJob) -> MockupResult:
    return render_mockup(job.music, job.out_dir, tempo_map=job.tempo_map, **job.options)


def render_many(jobs: Sequence[MockupJob], workers: int = 2,
                progress: Callable[[int, int, MockupResult], None] | None = None
                ) -> list[MockupResult]:
    """Render several cues in parallel processes (each job independent; FluidSynth uses
    one core per render).  Results come back in the jobs' order; ``progress(done, total,
    result)`` is called as each finishes.  The first error is raised once every job has
    ended (the finished cues' files stay on disk)."""
    jobs = list(jobs)
    if workers < 1:
        raise InputError("workers must be 1 or more", field="workers", value=str(workers),
                         valid="1 or more (one per core)")
    if len({(Path(j.out_dir).resolve(), j.options.get("name", "mockup")) for j in jobs}
           ) < len(jobs):
        raise InputError("two jobs would write the same files", field="jobs",
                         valid="a different out_dir or name for each job")
    results: list[MockupResult | None] = [None] * len(jobs)
    first_error: BaseException | None = None
    with ProcessPoolExecutor(max_workers=min(workers, max(1, len(jobs)))) as pool:
        futures = {pool.submit(_run_job, job): i for i, job in enumerate(jobs)}
        done = 0
        for future in as_completed(futures):
            try:
                result = future.result()
            except BaseException as exc:  # noqa: BLE001 - re-raised below
                first_error = first_error or exc
                continue
            results[futures[future]] = result
            done += 1
            if progress:
                progress(done, len(jobs), result)
    if first_error is not None:
        raise first_error
    return [r for r in results if r is not None]
