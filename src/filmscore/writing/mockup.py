"""Mockups: a cue's music rendered with a General MIDI soundfont (FluidSynth), its click
on its own stem, and a review mix at a stated loudness.

``render_mockup`` writes, in ``out_dir``: ``NAME.mid`` (the music as played: its dynamics,
hairpins, articulations and techniques by ``writing.performance``, with the tempo map as
its conductor track, ``formats.midi_music``), ``NAME_music.wav`` (stereo,
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
- **The stems** are at the render's own level (FluidSynth at ``FLUIDSYNTH_GAIN``, then
  ``STEM_HEADROOM_DB`` lower: the same for every cue and version), so that a quiet cue
  stays quieter than a loud one when the music editor cuts the stems together; only a
  render whose sample peak would still pass -1 dBFS is lowered to it (``stem_gain_db``).
- **The review mix** is its own file: the music stem plus, when asked (``click_in_mix``,
  ``filmscore mockup --click``), the click stem ``CLICK_UNDER_MUSIC_LU`` under the
  music's loudness (or at ``mix_click_db`` relative to its stem), normalised to
  ``loudness_lufs`` integrated, measured per ITU-R BS.1770-4 with **pyloudnorm**
  (``writing.loudness``), under a sample-peak ceiling of -1 dBFS: when the target would
  put a peak above it, the gain stops at the ceiling and the loudness reached is reported
  (``loudness_lufs`` in the result is measured on the written file; ``peak_limited``
  says so).  ``gain_db`` is the mix's gain over the stems: mix = gain x (music stem +
  click stem x ``click_gain_db``), so the stems still add up to the mix.  A director
  hears the music alone; the composer checking sync asks for the click.
- **One writer.**  Stems and mix are written by :func:`write_wav` (the click stem by
  ``formats.click_wav``); without a click and loudness (``normalise=False``, for
  benchmarks) FluidSynth writes the stem itself.
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
import time
from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import numpy as np

from filmscore import children
from filmscore.errors import InputError, ToolError
from filmscore.fileio import atomic_path
from filmscore.formats.bwf import Bext, time_reference, write_bwf
from filmscore.formats.click_wav import write_click_wav
from filmscore.formats.gm_programs import gm_instrument, parse_instrumentation
from filmscore.formats.midi_music import TAIL_SECONDS as MIDI_TAIL_SECONDS
from filmscore.formats.midi_music import write_music
from filmscore.parallel import process_pool
from filmscore.sync.click import click_events, render_click
from filmscore.sync.tempomap import TempoMap
from filmscore.writing import loudness
from filmscore.writing.check import seconds_at_quarters
from filmscore.writing.music import Music, require_notes

SF2_DIR = Path("/usr/share/sounds/sf2")
FLUIDR3 = SF2_DIR / "FluidR3_GM.sf2"
TIMGM6MB = SF2_DIR / "TimGM6mb.sf2"
MUSESCORE_GENERAL = SF2_DIR / "MuseScore_General_Full.sf2"


@dataclass(frozen=True)
class SoundFont:
    path: Path
    package: str  # the Debian package that installs it


#: Soundfonts by name.  "draft" is small and fast to load (6 MB); "fluidr3" (145 MB) sounds
#: better and takes about a second to load; "musescore" (MuseScore General, lossless, 490
#: MB) has the best orchestral samples of the three and costs the most (BENCHMARKS.md).
SOUNDFONTS: dict[str, SoundFont] = {
    "fluidr3": SoundFont(FLUIDR3, "fluid-soundfont-gm"),
    "musescore": SoundFont(MUSESCORE_GENERAL, "musescore-general-soundfont-lossless"),
    "draft": SoundFont(TIMGM6MB, "timgm6mb-soundfont"),
}
FLUIDSYNTH_PACKAGE = "fluidsynth"
RENDER_SAMPLE_RATES = (44100, 48000, 88200, 96000)
FLUIDSYNTH_GAIN = 0.5  # output is float: nothing clips inside FluidSynth; the mix is normalised
RENDER_MARGIN_SECONDS = 1.0  # kept after the MIDI file's end (its CC 120 ends the voices)
KILL_AFTER_SECONDS = 4.0  # FluidSynth renders about 2 s past the file's end on its own
PEAK_CEILING_DBFS = -1.0
CLICK_UNDER_MUSIC_LU = 12.0  # a click in the review mix: audible, well under the music
STEM_HEADROOM_DB = 12.0  # stems this far under FluidSynth's output: a full orchestra fits


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
    gain_db: float  # the mix's gain over the stems (stem + click at click_gain_db)
    peak_limited: bool
    stem_gain_db: float = 0.0  # the stem's gain over the render: -STEM_HEADROOM_DB, or
    # lower when the render would pass the ceiling
    click_gain_db: float | None = None  # the click in the mix, relative to its stem


# --- tools ------------------------------------------------------------------------------


def fluidsynth_path() -> str:
    """The fluidsynth program; ToolError naming the Debian package when it is missing."""
    found = shutil.which("fluidsynth")
    if not found:
        raise ToolError("fluidsynth is not installed (a mockup needs it): install the "
                        f"Debian package {FLUIDSYNTH_PACKAGE}")
    return found


def soundfont_path(soundfont: str | os.PathLike[str]) -> Path:
    """A soundfont by name (a key of ``SOUNDFONTS``) or path; ToolError when it is
    missing, naming the Debian package that installs it."""
    known = SOUNDFONTS.get(str(soundfont).lower())
    path = known.path if known else Path(soundfont)
    if known is None and path.suffix.lower() not in (".sf2", ".sf3"):
        raise InputError("not a SoundFont", field="soundfont", value=str(soundfont),
                         valid=", ".join(SOUNDFONTS) + ", or the path of a .sf2/.sf3 file")
    if not path.is_file():
        by_path = {str(s.path): s for s in SOUNDFONTS.values()}
        entry = known or by_path.get(str(path))
        package = (f"the Debian package {entry.package}" if entry else
                   "a .sf2 file, or the Debian package of a named one (" +
                   ", ".join(f"{k}: {v.package}" for k, v in SOUNDFONTS.items()) + ")")
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
    process = children.popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
    with children.scratch_folder(prefix="filmscore-render-") as folder:
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
    read back, convert or write again); there is nothing to mix: ``mix`` is the stem."""
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
    return MockupResult(mix=music_path, music_stem=music_path, click_stem=None,
                        loudness_lufs=math.nan, peak_dbfs=math.nan,
                        seconds=Fraction(frames, sample_rate),
                        files=(midi_path, music_path), midi=midi_path,
                        sample_rate=sample_rate, origin_seconds=origin, gain_db=0.0,
                        peak_limited=False)


def write_wav(path: Path, samples: np.ndarray, sample_rate: int,
              time_reference: int = 0) -> Path:
    """The one place a mockup's stem or mix is written: 24-bit integers (int32, as
    ``loudness.to_pcm24`` makes them), mono or (n, channels), as a 24-bit Broadcast WAV
    whose first sample is ``time_reference`` samples since midnight (``formats.bwf``:
    soundfile cannot write a ``bext`` chunk), atomically."""
    channels = "stereo" if np.ndim(samples) == 2 and np.shape(samples)[1] == 2 else "mono"
    return write_bwf(path, samples, sample_rate, bits=24, bext=Bext(
        time_reference=time_reference, description=f"filmscore mockup {path.stem}",
        coding_history=f"A=PCM,F={sample_rate},W=24,M={channels},T=filmscore mockup"))


def _db(gain: float) -> float:
    return 20 * math.log10(gain) if gain > 0 else -math.inf


def render_mockup(music: Music, out_dir: str | os.PathLike[str], *, tempo_map: TempoMap,
                  soundfont: str | os.PathLike[str] = FLUIDR3, sample_rate: int = 48000,
                  click: bool = True, loudness_lufs: float = -23.0,
                  instrumentation: str | None = None, name: str = "mockup",
                  click_in_mix: bool = False, mix_click_db: float | None = None,
                  normalise: bool = True, dither: bool = True) -> MockupResult:
    """Render ``music`` under ``tempo_map`` to stems and a review mix in ``out_dir``.

    ``soundfont``: a name of ``SOUNDFONTS`` ("fluidr3", the default; "musescore";
    "draft") or a path.  ``click_in_mix`` puts the click in the review mix
    ``CLICK_UNDER_MUSIC_LU`` under the music; ``mix_click_db`` at that gain relative to
    its stem instead.  ``normalise=False`` leaves the mix at the stems' level (without a
    click in it the mix is the music stem itself: for benchmarks).  ToolError when
    fluidsynth or the soundfont is missing; InputError for music without notes, an
    unknown instrument, or a silent render.
    """
    require_notes(music, source=name)
    from filmscore.fileio import safe_name

    name = safe_name(name, fallback="mockup")  # a cue's number and version: one file name
    click_in_mix = click_in_mix or mix_click_db is not None
    if click_in_mix and not click:
        raise InputError("no click to mix", field="click_in_mix", value="True",
                         valid="click=True, or no click in the mix")
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
    # the music stem at the render's own level (less the headroom), unless a peak would
    # pass the ceiling
    stem_gain_db = min(-STEM_HEADROOM_DB,
                       PEAK_CEILING_DBFS - loudness.peak_dbfs(audio))
    audio = audio * np.float32(10 ** (stem_gain_db / 20))
    stem_ints = loudness.to_pcm24(audio, dither)
    music_path = write_wav(out / f"{name}_music.wav", stem_ints, sample_rate, stamp)
    files.append(music_path)
    mix = loudness.from_pcm24(stem_ints)  # the stem as written
    click_path, click_gain_db = None, None
    if click:
        click_samples = render_click(click_events(tempo_map), sample_rate=sample_rate,
                                     origin_seconds=origin, length_seconds=seconds,
                                     tmap=tempo_map)[:n]
        click_path = write_click_wav(click_samples, out / f"{name}_click.wav", sample_rate,
                                     time_reference=stamp)
        files.append(click_path)
        if click_in_mix:
            heard = loudness.from_pcm24(click_samples)
            click_gain_db = mix_click_db if mix_click_db is not None else (
                _loudness_or(mix, sample_rate, -40.0) - CLICK_UNDER_MUSIC_LU
                - _loudness_or(heard, sample_rate, -40.0 - CLICK_UNDER_MUSIC_LU))
            mix = mix + (heard * 10 ** (click_gain_db / 20))[:, None]
    gain_db, limited = 0.0, False
    if normalise:
        result = loudness.normalise(mix, sample_rate, loudness_lufs, PEAK_CEILING_DBFS)
        gain_db, limited, mix = result.gain_db, result.peak_limited, result.samples
    elif not click_in_mix:  # nothing to mix: the mix is the music stem
        return MockupResult(mix=music_path, music_stem=music_path, click_stem=click_path,
                            loudness_lufs=math.nan, peak_dbfs=_db(
                                max(int(stem_ints.max()), -int(stem_ints.min()), 0)
                                / (loudness.PCM24_MAX + 1)),
                            seconds=seconds, files=tuple(files), midi=midi_path,
                            sample_rate=sample_rate, origin_seconds=origin, gain_db=0.0,
                            peak_limited=False, stem_gain_db=stem_gain_db)
    mix_ints = loudness.to_pcm24(mix, dither)
    mix_path = write_wav(out / f"{name}_mix.wav", mix_ints, sample_rate, stamp)
    files.append(mix_path)
    top = max(int(mix_ints.max()), -int(mix_ints.min()), 0)
    measured = (loudness.integrated_lufs(loudness.from_pcm24(mix_ints), sample_rate)
                if normalise else math.nan)  # measured on the file as written
    return MockupResult(mix=mix_path, music_stem=music_path, click_stem=click_path,
                        loudness_lufs=measured, peak_dbfs=_db(top / (loudness.PCM24_MAX + 1)),
                        seconds=seconds, files=tuple(files), midi=midi_path,
                        sample_rate=sample_rate, origin_seconds=origin, gain_db=gain_db,
                        peak_limited=limited, stem_gain_db=stem_gain_db,
                        click_gain_db=click_gain_db)


def _loudness_or(samples: np.ndarray, rate: int, silent: float) -> float:
    value = loudness.integrated_lufs(samples, rate)
    return value if math.isfinite(value) else silent


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
    with process_pool(min(workers, max(1, len(jobs)))) as pool:
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
