"""The EBU Mode loudness meter against pyloudnorm, pyebur128 (libebur128) and ffmpeg's
``ebur128`` filter: accuracy on the EBU Tech 3341 / 3342 cases that can be synthesised
(the same signals as tests/album/test_ebu_meter.py, written as 24-bit WAV files all four
read), and time on five minutes of real music (the Big Buck Bunny soundtrack excerpt of
the test data, 12 s of orchestral music, decoded to 48 kHz 24-bit stereo and played 25
times over).

Each meter reads the same file and gives what it can: integrated loudness (I), loudness
range (LRA), true peak (TP), maximum momentary and short-term loudness (M max, S max):

- **filmscore**: ``mixing.ebu_meter.measure_ebu_file`` (blocks of 65,536 samples);
- **pyloudnorm** ``Meter(rate).integrated_loudness(data)``: I only (no LRA, no true
  peak, no M or S), the whole file in memory;
- **pyebur128** (libebur128 1.2.6): ``R128State`` with I, LRA and true peak, blocks of
  65,536 samples; for M max and S max it is fed 10 ms at a time and asked after each
  (libebur128 has no maxima of its own);
- **ffmpeg** ``-af ebur128=peak=true``: I, LRA and true peak from its summary (its
  momentary and short-term values are logged every 100 ms: no maxima in the summary).

    .venv/bin/python bench/bench_meter.py            # prints the accuracy and time tables
    .venv/bin/python bench/run.py --only meter --quick
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from _common import DATA, Result, fmt_seconds, measure_side_by_side  # noqa: E402

FS = 48000
AUDIO = DATA / "audio" / "big_buck_bunny_0_12.ogg"
SURROUND = (1.0, 1.0, 1.0, 1.41, 1.41)


# --- the cases ----------------------------------------------------------------------------


def _tones(*parts, channels: int = 2):
    import numpy as np

    out, phase = [], 0.0
    for level, seconds in parts:
        n = int(round(seconds * FS))
        t = np.arange(n)
        out.append(np.zeros(n) if level is None
                   else 10 ** (level / 20) * np.sin(phase + 2 * np.pi * 1000 * t / FS))
        phase += 2 * np.pi * 1000 * n / FS
    return np.repeat(np.concatenate(out)[:, None], channels, axis=1)


def _faded_sine(fraction, phase_deg, level):
    import numpy as np

    n = np.arange(FS)
    wave = 10 ** (level / 20) * np.sin(2 * np.pi * n / fraction + np.radians(phase_deg))
    ramp = np.clip(np.minimum(n, len(n) - 1 - n) / (0.02 * FS), 0, 1)
    return np.repeat((wave * (0.5 - 0.5 * np.cos(np.pi * ramp)))[:, None], 2, axis=1)


def cases() -> list[tuple[str, str, float, float, float, object]]:
    """(name, measure, expected, tolerance below, above, signal function)."""
    import numpy as np

    def five():
        return np.concatenate([_tones((lv, 20), channels=1)
                               for lv in (-28, -28, -24, -30, -30)], axis=1)

    out = [
        ("3341-1", "I", -23.0, 0.1, 0.1, lambda: _tones((-23, 20))),
        ("3341-2", "I", -33.0, 0.1, 0.1, lambda: _tones((-33, 20))),
        ("3341-3", "I", -23.0, 0.1, 0.1, lambda: _tones((-36, 10), (-23, 60), (-36, 10))),
        ("3341-4", "I", -23.0, 0.1, 0.1,
         lambda: _tones((-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10))),
        ("3341-5", "I", -23.0, 0.1, 0.1, lambda: _tones((-26, 20), (-20, 20.1), (-26, 20))),
        ("3341-6 (5.0)", "I", -23.0, 0.1, 0.1, five),
        ("3341-6 (5.1, silent LFE)", "I", -23.0, 0.1, 0.1,
         lambda: np.insert(five(), 3, 0.0, axis=1)),
        ("3341-9", "S max", -23.0, 0.1, 0.1, lambda: _tones(*[(-20, 1.34), (-30, 1.66)] * 5)),
        ("3341-12", "M max", -23.0, 0.1, 0.1, lambda: _tones(*[(-20, 0.18), (-30, 0.22)] * 25)),
    ]
    for k in (1, 5, 8, 14, 20):
        lead = (k - 1) * 0.15
        out.append((f"3341-10-{k}", "S max", -23.0, 0.1, 0.1,
                    lambda lead=lead: _tones((None, lead), (-23, 3), (None, 6 - lead - 3))))
    for k in range(1, 21):
        lead = (k - 1) * 0.02
        out.append((f"3341-13-{k}", "M max", -23.0, 0.1, 0.1,
                    lambda lead=lead: _tones((None, lead), (-23, 0.4), (None, 0.6 - lead))))
    for case, fraction, phase, level in ((15, 4, 0.0, -6.0), (16, 4, 45.0, -6.0),
                                         (17, 6, 60.0, -6.0), (18, 8, 67.5, -6.0),
                                         (19, 4, 45.0, 3.0)):
        out.append((f"3341-{case}", "TP", level, 0.4, 0.2,
                    lambda f=fraction, p=phase, lv=level: _faded_sine(f, p, lv)))
    for case, parts, lra in ((1, ((-20, 20), (-30, 20)), 10.0),
                             (2, ((-20, 20), (-15, 20)), 5.0),
                             (3, ((-40, 20), (-20, 20)), 20.0),
                             (4, ((-50, 20), (-35, 20), (-20, 20), (-35, 20), (-50, 20)), 15.0)):
        out.append((f"3342-{case}", "LRA", lra, 1.0, 1.0, lambda parts=parts: _tones(*parts)))
    return out


# --- the meters ---------------------------------------------------------------------------


def ours(path: Path, want: set[str]) -> dict[str, float]:
    import soundfile

    from filmscore.mixing.ebu_meter import measure_ebu_file

    weights = SURROUND if soundfile.info(str(path)).channels == 5 else None
    r = measure_ebu_file(path, weights=weights, true_peak="TP" in want)
    return {"I": r.integrated_lufs, "LRA": r.loudness_range_lu, "TP": r.true_peak_dbtp,
            "M max": r.momentary_max_lufs, "S max": r.short_term_max_lufs}


def pyloudnorm_meter(path: Path, want: set[str]) -> dict[str, float]:
    import pyloudnorm
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float64")
    return {"I": pyloudnorm.Meter(rate).integrated_loudness(data)}


def pyebur128_meter(path: Path, want: set[str]) -> dict[str, float]:
    import pyebur128 as p
    import soundfile

    info = soundfile.info(str(path))
    mode = p.MeasurementMode
    flags = mode.MODE_I | mode.MODE_LRA | (mode.MODE_TRUE_PEAK if "TP" in want else 0)
    state = p.R128State(info.channels, info.samplerate, int(flags) | int(mode.MODE_M)
                        | int(mode.MODE_S))
    if info.channels in (5, 6):
        kinds = [p.ChannelType.LEFT, p.ChannelType.RIGHT, p.ChannelType.CENTER]
        kinds += ([p.ChannelType.UNUSED] if info.channels == 6 else [])
        kinds += [p.ChannelType.LEFT_SURROUND, p.ChannelType.RIGHT_SURROUND]
        for i, kind in enumerate(kinds):
            state.set_channel(i, kind)
    out: dict[str, float] = {}
    maxima = {"M max", "S max"} & want
    step = info.samplerate // 100 if maxima else 65536
    best_m = best_s = -math.inf
    with soundfile.SoundFile(str(path)) as handle:
        fed = 0
        while True:
            block = handle.read(frames=step, dtype="float64", always_2d=True)
            if not block.shape[0]:
                break
            state.add_frames(block.ravel(), block.shape[0])
            fed += block.shape[0]
            if maxima:
                if fed >= 0.4 * info.samplerate:
                    best_m = max(best_m, p.get_loudness_momentary(state))
                if fed >= 3 * info.samplerate:
                    best_s = max(best_s, p.get_loudness_shortterm(state))
    out["I"] = p.get_loudness_global(state)
    out["LRA"] = p.get_loudness_range(state)
    if "TP" in want:
        out["TP"] = 20 * math.log10(max(p.get_true_peak(state, c)
                                        for c in range(info.channels)))
    if maxima:
        out["M max"], out["S max"] = best_m, best_s
    return out


def ffmpeg_meter(path: Path, want: set[str]) -> dict[str, float]:
    run = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af",
                          "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True)
    summary = run.stderr[run.stderr.rfind("Summary:"):]

    def grab(pattern: str) -> float:
        found = re.search(pattern, summary)
        return float(found.group(1)) if found else math.nan

    return {"I": grab(r"I:\s+(-?[\d.]+|-inf) LUFS"), "LRA": grab(r"LRA:\s+([\d.]+) LU"),
            "TP": grab(r"Peak:\s+(-?[\d.]+|-inf) dBFS")}


METERS = {"filmscore": ours, "pyloudnorm": pyloudnorm_meter, "pyebur128": pyebur128_meter,
          "ffmpeg ebur128": ffmpeg_meter}


def accuracy(folder: Path, say=print) -> list[dict]:
    """Every case through every meter: rows of (case, measure, expected, readings)."""
    import soundfile

    rows = []
    for name, what, expected, below, above, make in cases():
        path = folder / f"{name.split()[0]}-{len(rows)}.wav"
        soundfile.write(str(path), make(), FS, subtype="PCM_24")
        row = {"case": name, "measure": what, "expected": expected, "below": below,
               "above": above, "readings": {}}
        for meter, fn in METERS.items():
            try:
                value = fn(path, {what}).get(what)
            except Exception as exc:  # a meter that refuses the file: say which
                value = f"refused ({type(exc).__name__})"
            row["readings"][meter] = value
        path.unlink()
        rows.append(row)
        say(f"{name} {what}: " + ", ".join(f"{m} {v if isinstance(v, str) else _fmt(v)}"
                                           for m, v in row["readings"].items()))
    return rows


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return f"{value:.2f}" if math.isfinite(value) else str(value)


def passes(row: dict, value) -> bool | None:
    if value is None or isinstance(value, str) or not math.isfinite(value):
        return None if value is None else False
    return row["expected"] - row["below"] - 1e-9 <= value <= row["expected"] + row["above"] + 1e-9


def summary(rows: list[dict]) -> dict[str, tuple[int, int, list[str]]]:
    """Per meter: cases passed, cases it could measure, the cases it failed."""
    out = {}
    for meter in METERS:
        ok, total, failed = 0, 0, []
        for row in rows:
            verdict = passes(row, row["readings"].get(meter))
            if verdict is None:
                continue
            total += 1
            ok += verdict
            if not verdict:
                failed.append(f"{row['case']} {row['measure']} "
                              f"{_fmt(row['readings'][meter])}")
        out[meter] = (ok, total, failed)
    return out


def programme(folder: Path, repeats: int = 25) -> Path:
    """The Big Buck Bunny soundtrack excerpt of the test data (12 s of orchestral music,
    Ogg Vorbis), decoded by ffmpeg to 48 kHz 24-bit stereo and played ``repeats`` times
    over (25: five minutes)."""
    out = folder / "programme.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", str(repeats - 1), "-i",
                    str(AUDIO), "-ar", str(FS), "-c:a", "pcm_s24le", str(out)], check=True)
    return out


def run(quick: bool = False) -> list[Result]:
    import soundfile

    with tempfile.TemporaryDirectory(prefix="filmscore-bench-meter-") as tmp:
        folder = Path(tmp)
        prog = programme(folder, 5 if quick else 25)
        seconds = soundfile.info(str(prog)).duration
        want = {"I", "LRA", "TP"}
        readings = {m: fn(prog, want) for m, fn in METERS.items()}
        timings = measure_side_by_side({m: (lambda fn=fn: fn(prog, want))
                                        for m, fn in METERS.items()},
                                       repeats=2 if quick else 3, warmups=1)
        rows = [] if quick else accuracy(folder, say=lambda *_: None)
    verdict = summary(rows) if rows else {}
    base = timings["filmscore"].median_s
    ours_r = readings["filmscore"]
    results = []
    for meter in ("pyloudnorm", "pyebur128", "ffmpeg ebur128"):
        r = readings[meter]
        diff = ", ".join(f"{k} {r[k] - ours_r[k]:+.2f}" for k in ("I", "LRA", "TP")
                         if k in r and math.isfinite(r[k]) and math.isfinite(ours_r[k]))
        note = f"{seconds / 60:.1f} min of music, {seconds / base:.0f}x real time; " \
               f"vs ours: {diff}"
        if verdict:
            ok, total, _ = verdict[meter]
            mine = verdict["filmscore"]
            note += f"; EBU cases passed: ours {mine[0]}/{mine[1]}, peer {ok}/{total}"
        results.append(Result("meter", f"I + LRA + true peak, {seconds / 60:.0f} min of "
                              "orchestral music",
                              "measure_ebu_file", base, meter, timings[meter].median_s, note))
    return results


def main() -> None:
    import soundfile

    with tempfile.TemporaryDirectory(prefix="filmscore-bench-meter-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        rows = accuracy(folder)
        print(f"accuracy: {time.perf_counter() - started:.0f} s")
        print("\n| case | reading | expected | " + " | ".join(METERS) + " |")
        print("|---|---|---:|" + "---:|" * len(METERS))
        for row in rows:
            cells = []
            for meter in METERS:
                value = row["readings"].get(meter)
                mark = {True: "", False: " **fail**", None: ""}[passes(row, value)]
                cells.append(_fmt(value) + mark)
            tol = (f"±{row['above']:g}" if row["above"] == row["below"]
                   else f"+{row['above']:g}/-{row['below']:g}")
            print(f"| {row['case']} | {row['measure']} | {row['expected']:g} {tol} | "
                  + " | ".join(cells) + " |")
        for meter, (ok, total, failed) in summary(rows).items():
            print(f"{meter}: {ok}/{total} passed" + (f"; failed: {'; '.join(failed)}"
                                                    if failed else ""))
        prog = programme(folder)
        seconds = soundfile.info(str(prog)).duration
        want = {"I", "LRA", "TP"}
        readings = {m: fn(prog, want) for m, fn in METERS.items()}
        timings = measure_side_by_side({m: (lambda fn=fn: fn(prog, want))
                                        for m, fn in METERS.items()}, repeats=3, warmups=1)
        print(f"\nprogramme: {seconds:.1f} s")
        print("| meter | I | LRA | TP | time | real time |")
        print("|---|---:|---:|---:|---:|---:|")
        for meter, r in readings.items():
            t = timings[meter].median_s
            print(f"| {meter} | {_fmt(r.get('I'))} | {_fmt(r.get('LRA'))} | "
                  f"{_fmt(r.get('TP'))} | {fmt_seconds(t)} | {seconds / t:.0f}x |")


if __name__ == "__main__":
    main()
