"""Generate a film score's recorded takes for the comp-and-mix benchmark (issue 12,
deliverable 7): cues of 60-90 s laid along a film from 01:00:00:00, each recorded in 3-4
complete takes and 0-2 pickups, every take in the same stems (strings, woodwinds, brass,
percussion, harp_keys), 48 kHz 24-bit stereo Broadcast WAV; and each cue's edit list.

    .venv/bin/python bench/mixing_data.py OUT [--minutes 100] [--seed 12] [--stems 5]

OUT must be outside the repository (100 minutes is about 30 GB).  Synthetic but
music-like: every cue has a tempo, a meter and a chord per bar; the strings sustain the
chords, the woodwinds play an eighth-note line, the brass stab on the strong beats, the
percussion hits every beat (a kick on the downbeat), the harp arpeggiates.  Every take of
a cue is the same performance on the same film samples (played to the click), with its own
level, a per-bar balance (+-0.5 dB) and its own room noise: no timing differs, so an edit
on a bar line is seamless when the cut is exact to the sample.

What is written (all sample positions are **film samples**: samples since 00:00:00:00 at
the score's sample rate, integers):

- ``OUT/takes/<cue>/<cue>_t<n>_<STEM CODE>.wav``: one file per take and stem, its bext
  TimeReference the film sample of its first sample (``time_reference`` in the JSON).
  A complete take runs from one bar before bar 1 (the count-in) to 2 s after the last
  bar; a pickup of bars a-b from bar a-1 to 2 s after bar b: the handles a centred
  crossfade needs.
- ``OUT/score.json``: the score: ``sample_rate``, ``bits``, ``channels``, ``stems``
  (names and codes, mixing.vocabulary order), ``crossfade_samples`` (20 ms), the pan law,
  and per cue: ``cue``, ``start_frame``/``fps``, ``tempo_bpm`` (a fraction as text),
  ``meter``, ``bars``, ``bar_samples`` (the film sample of every bar line, bar 1 to the
  end of the last bar: N+1 values, exact seconds times the rate rounded half up once),
  ``takes`` (``take``, ``kind``, ``bar_from``, ``bar_to``, ``time_reference``,
  ``frames``, ``files`` by stem, relative to OUT), ``comp`` (``edits``: the take of each
  run of bars, in order, covering bars 1..N once; ``edit_samples``: the film samples of
  the edits between them; ``start_sample``/``end_sample``: the comp's span, bar 1's
  downbeat to 2 s after the last bar) and ``mix`` (``gain_db`` and ``pan`` per stem).

The comp, exactly (what both sides of the benchmark compute): run i of the edit list
plays its take over film samples [e_i, e_(i+1)), e_0 = start_sample, e_n = end_sample,
the inner e_i = ``edit_samples``; at every inner edit an equal-power crossfade of
``crossfade_samples`` (L) centred on it: over [e - L/2, e + L/2) the outgoing take fades
out and the incoming one in.  The mix: every stem's comp times ``10**(gain_db/20)``, panned
by the equal-power balance law (left x sqrt(2)cos((p+1)pi/4), right x
sqrt(2)sin((p+1)pi/4): 1 and 1 at p = 0), summed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from filmscore.formats.bwf import Bext, BwfWriter  # noqa: E402
from filmscore.mixing.vocabulary import STEMS  # noqa: E402

SAMPLE_RATE = 48000
BITS = 24
CHANNELS = 2
FPS = 24
FILM_START_FRAME = 3600 * FPS  # 01:00:00:00
CROSSFADE_MS = 20
RING_OUT_S = 2
TABLE = 4096  # wavetable length (a power of two: the phase wraps with a mask)
BLOCK = 1 << 16  # frames per write


def _table(harmonics: list[float]) -> np.ndarray:
    x = np.arange(TABLE) * (2 * np.pi / TABLE)
    wave = sum(a * np.sin((k + 1) * x) for k, a in enumerate(harmonics))
    return (wave / np.abs(wave).max()).astype(np.float32)


TIMBRES = {
    "strings": _table([1, .5, .33, .25, .2, .16, .12, .1]),
    "woodwinds": _table([1, .05, .35, .03, .15, .02, .06]),
    "brass": _table([1, .85, .7, .55, .45, .35, .25, .18, .12]),
    "harp_keys": _table([1, .35, .12, .05]),
}
#: each stem's level and stereo position in the generated performance
VOICE_GAIN = {"strings": .10, "woodwinds": .12, "brass": .09, "percussion": .25,
              "harp_keys": .12}
VOICE_ANGLE = {"strings": .30, "woodwinds": .55, "brass": .65, "percussion": .5,
               "harp_keys": .25}  # x pi/2: 0 left, 1 right


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _note(out: np.ndarray, table: np.ndarray, start: int, length: int, midi: float,
          amp: float, attack: int, release: int, decay: float | None = None) -> None:
    """Add one note (wavetable, linear attack, exponential decay or sustain, linear
    release) into the mono buffer ``out`` from sample ``start``."""
    total = min(length + release, len(out) - start)
    if total <= 0:
        return
    step = _hz(midi) * TABLE / SAMPLE_RATE
    phase = (np.arange(total) * step).astype(np.int64) & (TABLE - 1)
    env = np.ones(total, dtype=np.float32)
    a = min(attack, total)
    env[:a] = np.linspace(0, 1, a, endpoint=False, dtype=np.float32)
    if decay is not None:
        env *= np.exp(-np.arange(total, dtype=np.float32) / np.float32(decay))
    if total > length:
        env[length:] *= np.linspace(1, 0, total - length, dtype=np.float32)
    out[start:start + total] += amp * table[phase] * env


class Cue:
    """One cue's musical plan, laid on film samples."""

    def __init__(self, name: str, start_frame: int, rng: np.random.Generator,
                 seconds: float) -> None:
        self.name = name
        self.start_frame = start_frame
        self.numerator = int(rng.choice([3, 4, 4, 4]))
        self.bpm = Fraction(int(rng.integers(72, 145)))
        self.beat = Fraction(60) / self.bpm  # seconds
        bar = self.beat * self.numerator
        self.bars = max(8, int(Fraction(seconds) / bar))
        start = Fraction(start_frame, FPS)
        self.bar_samples = [self._sample(start + b * bar) for b in range(self.bars + 1)]
        self.beat_samples = [self._sample(start + k * self.beat)
                             for k in range(self.bars * self.numerator + 1)]
        self.count_in = self._sample(start - bar)  # one bar before bar 1
        self.end = self.bar_samples[-1] + RING_OUT_S * SAMPLE_RATE
        self.tonic = int(rng.integers(48, 60))
        degrees = [0, 5, 7, 9, 2, 4]  # I IV V vi ii iii (roots in semitones)
        self.chords = [int(rng.choice(degrees)) if b % 4 else 0 for b in range(self.bars)]
        self.rng = rng

    @staticmethod
    def _sample(seconds: Fraction) -> int:
        return (seconds * SAMPLE_RATE + Fraction(1, 2)).__floor__()

    def _triad(self, b: int) -> list[int]:
        root = self.tonic + self.chords[b]
        major = self.chords[b] in (0, 5, 7)
        return [root, root + (4 if major else 3), root + 7]

    def perform(self, stem: str) -> np.ndarray:
        """The stem's performance over film samples [count_in, end): float32 (n, 2)."""
        n = self.end - self.count_in
        mono = np.zeros(n, dtype=np.float32)
        at = self.count_in
        rng = self.rng
        beat_len = self.beat_samples[1] - self.beat_samples[0]
        for b in range(self.bars):
            bar0, bar1 = self.bar_samples[b] - at, self.bar_samples[b + 1] - at
            triad = self._triad(b)
            beats = [self.beat_samples[b * self.numerator + k] - at
                     for k in range(self.numerator)]
            if stem == "strings":
                for m in triad:
                    _note(mono, TIMBRES[stem], bar0, bar1 - bar0, m + 12, .33,
                          attack=SAMPLE_RATE // 12, release=SAMPLE_RATE // 8)
            elif stem == "woodwinds":
                line = self.tonic + 24 + int(rng.integers(-3, 8))
                for k in range(2 * self.numerator):
                    s = bar0 + k * beat_len // 2
                    line += int(rng.choice([-2, -1, 0, 1, 2]))
                    _note(mono, TIMBRES[stem], s, beat_len // 2, line, .8,
                          attack=SAMPLE_RATE // 100, release=SAMPLE_RATE // 50)
            elif stem == "brass":
                for k in range(0, self.numerator, 2):
                    for m in triad:
                        _note(mono, TIMBRES[stem], beats[k], beat_len, m, .33,
                              attack=SAMPLE_RATE // 40, release=SAMPLE_RATE // 20,
                              decay=SAMPLE_RATE * .4)
            elif stem == "percussion":
                for k, s in enumerate(beats):
                    hit = min(SAMPLE_RATE // 4, n - s)
                    noise = rng.standard_normal(hit).astype(np.float32)
                    mono[s:s + hit] += (.5 if k else .3) * noise * np.exp(
                        -np.arange(hit, dtype=np.float32) / (SAMPLE_RATE * .03))
                    if k == 0:  # a kick: a falling sine
                        t = np.arange(hit, dtype=np.float32) / SAMPLE_RATE
                        mono[s:s + hit] += np.sin(2 * np.pi * (40 * t + 60 * (
                            1 - np.exp(-t / .05)) * .05)) * np.exp(-t / .15)
            elif stem == "harp_keys":
                notes = triad + [triad[0] + 12]
                for k in range(2 * self.numerator):
                    s = bar0 + k * beat_len // 2
                    _note(mono, TIMBRES[stem], s, SAMPLE_RATE, notes[k % 4] + 12, .7,
                          attack=48, release=SAMPLE_RATE // 10, decay=SAMPLE_RATE * .25)
        mono *= VOICE_GAIN[stem]
        angle = VOICE_ANGLE[stem] * math.pi / 2
        return np.stack([mono * math.cos(angle) * 1.2, mono * math.sin(angle) * 1.2], axis=1)


def _edits(cue: Cue, takes: list[dict], rng: np.random.Generator) -> list[dict]:
    """The comp: runs of bars from the complete takes, switching at 1-3 bar lines, with
    the pickups over their own bars; adjacent runs of the same take merged."""
    full = [t["take"] for t in takes if t["kind"] == "complete"]
    per_bar = [0] * (cue.bars + 1)  # 1-based
    cuts = sorted(set(int(x) for x in rng.integers(3, cue.bars - 1, int(rng.integers(1, 4)))))
    bounds = [1] + cuts + [cue.bars + 1]
    last = None
    for a, b in zip(bounds, bounds[1:], strict=False):
        take = int(rng.choice([t for t in full if t != last] or full))
        for bar in range(a, b):
            per_bar[bar] = take
        last = take
    for t in takes:
        if t["kind"] == "pickup":
            for bar in range(t["bar_from"], t["bar_to"] + 1):
                per_bar[bar] = t["take"]
    edits: list[dict] = []
    for bar in range(1, cue.bars + 1):
        if edits and edits[-1]["take"] == per_bar[bar]:
            edits[-1]["bar_to"] = bar
        else:
            edits.append({"take": per_bar[bar], "bar_from": bar, "bar_to": bar})
    return edits


def _pcm24(block: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(block * 8388608.0), -8388608, 8388607).astype(np.int32)


def _write(path: Path, data: np.ndarray, reference: int, description: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    bext = Bext(time_reference=reference, description=description,
                originator="filmscore bench", origination_date="2027-03-01",
                origination_time="10:00:00",
                coding_history=f"A=PCM,F={SAMPLE_RATE},W={BITS},M=stereo,T=bench")
    with BwfWriter(path, SAMPLE_RATE, CHANNELS, bits=BITS, bext=bext) as out:
        for lo in range(0, len(data), BLOCK):
            out.write(_pcm24(data[lo:lo + BLOCK]))


def generate(out: Path, *, minutes: float = 100, seed: int = 12, stems: int = 5,
             cue_seconds: tuple[float, float] = (60, 90), progress=print) -> dict:
    """Write the takes and ``score.json`` into ``out``; the score (as written).  Cues
    last ``cue_seconds`` (at least 8 bars; shorter cues for a smoke test)."""
    out = Path(out)
    if (ROOT in out.resolve().parents) or out.resolve() == ROOT:
        raise SystemExit(f"{out}: inside the repository; give a folder outside it")
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    chosen = STEMS[:stems]
    xfade = round(CROSSFADE_MS * SAMPLE_RATE / 1000)
    # the room's noise (about -70 dBFS), long enough for any take from any of 10 s of
    # starting points: a take's noise is a slice of it (no copy)
    longest = max(cue_seconds[1], 32 * 60 / 72)  # 8 bars of 4/4 at the slowest tempo
    room = rng.standard_normal((int(SAMPLE_RATE * (longest + 20)), CHANNELS)
                               ).astype(np.float32) * 3e-4
    score = {"version": 1, "seed": seed, "minutes": minutes, "sample_rate": SAMPLE_RATE,
             "bits": BITS, "channels": CHANNELS, "fps": FPS,
             "stems": [{"name": s.name, "code": s.code} for s in chosen],
             "crossfade_samples": xfade, "crossfade": "equal power: out sin(pi/2 (L-1-i)/L),"
             " in sin(pi/2 i/L), i = 0..L-1 (ffmpeg acrossfade c1=qsin:c2=qsin)",
             "pan_law": "equal-power balance: L x sqrt(2)cos((p+1)pi/4), R x "
                        "sqrt(2)sin((p+1)pi/4)", "cues": []}
    total, frame, k = 0.0, FILM_START_FRAME + 10 * FPS, 0
    started = time.perf_counter()
    while total < minutes * 60:
        k += 1
        seconds = float(rng.uniform(*cue_seconds))
        cue = Cue(f"{1 + (k - 1) // 9}M{1 + (k - 1) % 9}", frame, rng, seconds)
        total += (cue.bar_samples[-1] - cue.bar_samples[0]) / SAMPLE_RATE
        takes = []
        for n in range(1, int(rng.integers(3, 5)) + 1):
            takes.append({"take": n, "kind": "complete", "bar_from": 1, "bar_to": cue.bars,
                          "time_reference": cue.count_in, "frames": cue.end - cue.count_in})
        for _ in range(int(rng.integers(0, 3))):
            a = int(rng.integers(2, cue.bars - 3))
            b = min(cue.bars, a + int(rng.integers(3, 8)))
            first = cue.bar_samples[a - 2]  # one bar of run-up
            last = (cue.end if b == cue.bars
                    else cue.bar_samples[b] + RING_OUT_S * SAMPLE_RATE)
            takes.append({"take": len(takes) + 1, "kind": "pickup", "bar_from": a,
                          "bar_to": b, "time_reference": first, "frames": last - first})
        for t in takes:
            t["files"] = {}
        performances = {s.name: cue.perform(s.name) for s in chosen}
        for t in takes:
            lo = t["time_reference"] - cue.count_in
            level = 10 ** (float(rng.uniform(-1.5, 1.5)) / 20)
            # the take's balance: a level per bar (+-0.5 dB), gliding from bar to bar
            # (interpolated between the bars' middles); the same for every stem
            middles = [(a + b) / 2 for a, b in zip(cue.bar_samples, cue.bar_samples[1:],
                                                    strict=False)]
            gain = (level * 10 ** (np.interp(
                t["time_reference"] + np.arange(t["frames"]), middles,
                rng.uniform(-.5, .5, cue.bars)) / 20)).astype(np.float32)[:, None]
            for s in chosen:
                piece = performances[s.name][lo:lo + t["frames"]] * gain
                shift = int(rng.integers(0, SAMPLE_RATE * 10))
                piece += room[shift:shift + len(piece)]
                name = f"takes/{cue.name}/{cue.name}_t{t['take']}_{s.code}.wav"
                _write(out / name, piece, t["time_reference"],
                       f"{cue.name} take {t['take']} {s.name}")
                t["files"][s.name] = name
        edits = _edits(cue, takes, rng)
        score["cues"].append({
            "cue": cue.name, "start_frame": cue.start_frame,
            "tempo_bpm": str(cue.bpm), "meter": [cue.numerator, 4], "bars": cue.bars,
            "bar_samples": cue.bar_samples, "takes": takes,
            "comp": {"edits": edits,
                     "edit_samples": [cue.bar_samples[e["bar_from"] - 1] for e in edits[1:]],
                     "start_sample": cue.bar_samples[0], "end_sample": cue.end},
            "mix": {s.name: {"gain_db": round(float(rng.uniform(-6, 0)), 2),
                             "pan": round(float(rng.uniform(-.5, .5)), 2)} for s in chosen},
        })
        progress(f"{cue.name}: {cue.bars} bars at {cue.bpm} BPM, {len(takes)} takes, "
                 f"{len(edits)} runs; {total / 60:.1f} min in "
                 f"{time.perf_counter() - started:.0f} s")
        frame = -(-cue.end // (SAMPLE_RATE // FPS)) + int(rng.integers(5, 40)) * FPS
    (out / "score.json").write_text(json.dumps(score, indent=1))
    return score


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (outside the repository)")
    parser.add_argument("--minutes", type=float, default=100, help="music to generate")
    parser.add_argument("--seed", type=int, default=12, help="random seed (deterministic)")
    parser.add_argument("--stems", type=int, default=5, choices=range(1, len(STEMS) + 1),
                        help="stems per take (the first N of mixing.vocabulary.STEMS)")
    parser.add_argument("--cue-seconds", type=float, nargs=2, default=(60, 90),
                        metavar=("MIN", "MAX"), help="how long a cue lasts (at least 8 bars)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    score = generate(args.out, minutes=args.minutes, seed=args.seed, stems=args.stems,
                     cue_seconds=tuple(args.cue_seconds))
    files = sum(len(t["files"]) for c in score["cues"] for t in c["takes"])
    size = sum(p.stat().st_size for p in args.out.rglob("*.wav"))
    print(f"{len(score['cues'])} cues, {files} files, {size / 2**30:.2f} GiB in "
          f"{time.perf_counter() - started:.0f} s -> {args.out / 'score.json'}")


if __name__ == "__main__":
    main()
