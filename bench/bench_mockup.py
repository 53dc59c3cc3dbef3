"""Mockups: our FluidSynth render vs the bare ``fluidsynth -ni -F`` on the same MIDI file,
and the full mockup (stems, click, loudness-normalised mix), in times real time.

The music: Beethoven, Symphony No. 1, first movement (18 parts, about 300 bars; OpenScore
transcription in data/scores/hauptstimme, read with ``formats.musicxml``), with the tempo
map its score carries, rendered with FluidR3_GM at 48 kHz.  ``--quick`` (or when the data
is not there) uses a generated 2-minute, 8-part orchestral texture with TimGM6mb instead.

- ours, music stem: ``render_mockup(click=False, normalise=False)``: MIDI written by
  ``midi_music.write_music``, then FluidSynth writes the 24-bit stem itself (``-O s24``;
  nothing read back).  Target: at most 10% over the peer.
- peer: ``fluidsynth -ni -F out.wav -r 48000 -T wav`` (16-bit, FIELD-NOTES' command) on the
  MIDI file our writer makes (so both render the same notes and both stop at its end);
  and the same with ``-O float`` (the command we run), to separate FluidSynth's own cost.
- full mockup: ``render_mockup`` with click stem, mix and BS.1770 normalisation.
- SoundFonts: the same MIDI file rendered by ``fluidsynth -ni -F`` with FluidR3_GM and with
  MuseScore General (lossless, ``--soundfont musescore``), side by side in the same run,
  and each SoundFont's load time alone (a one-note file): what the better font costs.
"""

from __future__ import annotations

import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path

from _common import Result, measure_side_by_side

SCORE = Path("/work/shared/data/scores/hauptstimme/Beethoven_Op.21_1.mxl")
MUSESCORE = Path("/usr/share/sounds/sf2/MuseScore_General_Full.sf2")
FLUIDR3 = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
TARGET_OVERHEAD = 1.10


def _generated(seconds: int = 120):
    from filmscore.sync.tempomap import TempoMap
    from filmscore.writing.music import Music, Note, Part

    bars = seconds * 96 // 240  # 4/4 at 96 BPM
    progression = [(48, 52, 55), (45, 48, 52), (41, 45, 48), (43, 47, 50)]
    parts = []
    for name, octave, step in [("strings", 12, 1), ("violins", 24, Fraction(1, 2)),
                               ("celli", 0, 2), ("horn", 12, 4), ("flute", 36, Fraction(1, 2)),
                               ("clarinet", 24, 1), ("trumpet", 24, 2), ("timpani", -12, 1)]:
        notes = []
        q = Fraction(0)
        while q < bars * 4:
            chord = progression[int(q // 8) % 4]
            notes.append(Note(q, step, chord[int(q / step) % 3] + octave, 70 + int(q) % 40))
            q += step
        parts.append(Part(name, tuple(notes), instrument=name))
    return Music(tuple(parts)), TempoMap.constant("24", 86400, Fraction(96), bars,
                                                  count_in_bars=1)


def _beethoven():
    import warnings

    from filmscore.formats.midi_music import default_tempo_map
    from filmscore.formats.musicxml import read_music

    with warnings.catch_warnings():  # its repeats and grace notes are not ours to carry
        warnings.simplefilter("ignore")
        music = read_music(SCORE)
    return music, music.tempo_map or default_tempo_map(music)


def run(quick: bool = False) -> list[Result]:
    import soundfile

    from filmscore.formats.midi_music import write_music
    from filmscore.writing.mockup import (
        TIMGM6MB,
        assign_programs,
        fluidsynth_path,
        render_mockup,
    )

    real = SCORE.is_file() and not quick
    music, tmap = _beethoven() if real else _generated(30 if quick else 120)
    font = "fluidr3" if real else "draft"
    repeats, warmups = (3, 1) if not quick else (2, 0)
    case = (f"Beethoven Op. 21/i, {len(music.parts)} parts, {music.note_count:,} notes"
            if real else f"generated, {len(music.parts)} parts, {music.note_count:,} notes")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # the same notes and programs as render_mockup plays (instrument names -> GM)
        midi = write_music(assign_programs(music, None), folder / "peer.mid", tempo_map=tmap)
        sf2 = str(Path("/usr/share/sounds/sf2/FluidR3_GM.sf2") if real else TIMGM6MB)
        exe = fluidsynth_path()

        def peer(fmt: list[str]):
            subprocess.run([exe, "-ni", "-q", "-F", str(folder / "peer.wav"), "-r", "48000",
                            "-T", "wav", *fmt, sf2, str(midi)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)

        def stem():
            return render_mockup(music, folder, tempo_map=tmap, soundfont=font, click=False,
                                 normalise=False, name="stem")

        def full():
            return render_mockup(music, folder, tempo_map=tmap, soundfont=font, name="full")

        t = measure_side_by_side({"stem": stem, "peer": lambda: peer([]),
                                  "peer_float": lambda: peer(["-O", "float"]), "full": full},
                                 repeats=repeats, warmups=warmups)
        result = full()
        seconds = soundfile.info(str(folder / "peer.wav")).duration
        fonts = _soundfonts(folder, midi, exe, repeats, warmups)
    x = {k: seconds / v.median_s for k, v in t.items()}
    overhead = t["stem"].median_s / t["peer"].median_s
    overhead_f = t["stem"].median_s / t["peer_float"].median_s
    print(f"  mockup: {case}, {seconds:.0f} s of audio ({font}): stem {x['stem']:.1f}x real "
          f"time, fluidsynth -F {x['peer']:.1f}x (ours/peer {overhead:.3f}; vs -O float "
          f"{overhead_f:.3f}; target <= {TARGET_OVERHEAD}), full mockup {x['full']:.1f}x, "
          f"mix {result.loudness_lufs:.2f} LUFS, peak {result.peak_dbfs:.2f} dBFS")
    rows = [
        Result(bench="mockup", case=f"music stem, {case}, {font}, 48 kHz",
               ours="render_mockup (stem only)", ours_s=t["stem"].median_s,
               peer="fluidsynth -ni -F (s16)", peer_s=t["peer"].median_s,
               note=f"{x['stem']:.1f}x real time vs {x['peer']:.1f}x; vs -O float "
                    f"{overhead_f:.3f} (target <= {TARGET_OVERHEAD})"),
        Result(bench="mockup", case=f"full mockup (click, mix, -23 LUFS), {case}",
               ours="render_mockup", ours_s=t["full"].median_s,
               peer="fluidsynth -ni -F (s16)", peer_s=t["peer"].median_s,
               note=f"{x['full']:.1f}x real time; mix {result.loudness_lufs:.2f} LUFS"),
    ]
    if fonts is not None:
        render, load = fonts
        ratio = render["musescore"].median_s / render["fluidr3"].median_s
        print(f"  soundfonts: same MIDI, MuseScore General {render['musescore'].median_s:.2f} s "
              f"vs FluidR3 {render['fluidr3'].median_s:.2f} s ({ratio:.2f}x); loading alone "
              f"{load['musescore'].median_s:.2f} s vs {load['fluidr3'].median_s:.2f} s")
        rows.append(Result(
            bench="mockup", case=f"SoundFont MuseScore General vs FluidR3, same MIDI, {case}",
            ours="fluidsynth -F, MuseScore General", ours_s=render["musescore"].median_s,
            peer="fluidsynth -F, FluidR3_GM", peer_s=render["fluidr3"].median_s,
            note=f"{seconds / render['musescore'].median_s:.1f}x real time vs "
                 f"{seconds / render['fluidr3'].median_s:.1f}x; loading alone "
                 f"{load['musescore'].median_s:.2f} s vs {load['fluidr3'].median_s:.2f} s"))
    return rows


def _soundfonts(folder: Path, midi: Path, exe: str, repeats: int, warmups: int):
    """The same MIDI rendered with each SoundFont, and each font's load time (a one-note
    file); None when MuseScore General is not installed."""
    import mido

    if not (MUSESCORE.is_file() and FLUIDR3.is_file()):
        print("  soundfonts: MuseScore General not installed (musescore-general-soundfont-"
              "lossless): skipped")
        return None
    tiny = folder / "one_note.mid"
    song = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    song.tracks.append(track)
    track.append(mido.Message("note_on", note=60, velocity=80))
    track.append(mido.Message("note_off", note=60, velocity=0, time=480))
    song.save(str(tiny))

    def render(font: Path, what: Path):
        return lambda: subprocess.run(
            [exe, "-ni", "-q", "-F", str(folder / "font.wav"), "-r", "48000", "-T", "wav",
             str(font), str(what)], check=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, timeout=900)

    rendered = measure_side_by_side({"musescore": render(MUSESCORE, midi),
                                     "fluidr3": render(FLUIDR3, midi)},
                                    repeats=repeats, warmups=warmups)
    loaded = measure_side_by_side({"musescore": render(MUSESCORE, tiny),
                                   "fluidr3": render(FLUIDR3, tiny)},
                                  repeats=max(repeats, 3), warmups=1)
    return rendered, loaded
