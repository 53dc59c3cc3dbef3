"""Click tracks: rendering a 10-minute cue, in times real time, vs writing its silence.

The cue: 23.976 fps, 4/4 at 130.91 BPM (an 11-frame click), eighth-note subdivision and a
bar of count-in, 10 minutes: about 2,600 clicks at 48 kHz, 24-bit.  Ours is
``click_events`` + ``render_click`` (the exact times and the samples), and the same plus
``write_click_wav`` to a file.  The peer is the floor of the job: soundfile writing the
same number of samples of silence as 24-bit WAV (no clicks, no time arithmetic).
"""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

from _common import Result, measure_side_by_side

CUE_SECONDS = 600
TARGET_X = 500


def run(quick: bool = False) -> list[Result]:
    import numpy as np
    import soundfile

    from filmscore.formats.click_wav import write_click_wav
    from filmscore.sync.click import click_events, click_window, render_click
    from filmscore.sync.tempomap import TempoMap

    seconds = CUE_SECONDS // 10 if quick else CUE_SECONDS
    repeats, warmups = (3, 1) if quick else (5, 1)
    tempo = Fraction(1440, 11)
    bars = int(seconds * tempo / 240)
    tmap = TempoMap.constant("23.976", 86400, tempo, bars, count_in_bars=1)

    def render():
        events = click_events(tmap, subdivision=2)
        origin, length = click_window(tmap, events)
        return render_click(events, origin_seconds=origin, length_seconds=length, tmap=tmap)

    samples = render()
    real_s = len(samples) / 48000
    with tempfile.TemporaryDirectory() as tmp:
        ours_path, peer_path = Path(tmp) / "click.wav", Path(tmp) / "silence.wav"

        def render_and_write():
            write_click_wav(render(), ours_path)

        def peer():
            soundfile.write(str(peer_path), np.zeros(len(samples), dtype=np.int32), 48000,
                            subtype="PCM_24", format="WAV")

        t = measure_side_by_side({"render": render, "render+write": render_and_write,
                                  "peer": peer}, repeats=repeats, warmups=warmups)
    clicks = len(click_events(tmap, subdivision=2))
    print(f"  click: {real_s:.0f} s, {clicks:,} clicks: render "
          f"{real_s / t['render'].median_s:,.0f}x real time, render+write "
          f"{real_s / t['render+write'].median_s:,.0f}x, silence write "
          f"{real_s / t['peer'].median_s:,.0f}x (target >= {TARGET_X}x)")
    case = f"{real_s / 60:.0f}-min cue, {clicks:,} clicks, 48 kHz 24-bit"
    return [
        Result(bench="click", case=f"render, {case}", ours="click_events+render_click",
               ours_s=t["render"].median_s, peer="soundfile: write silence",
               peer_s=t["peer"].median_s,
               note=f"{real_s / t['render'].median_s:,.0f}x real time (target "
                    f">= {TARGET_X}x); peer {real_s / t['peer'].median_s:,.0f}x"),
        Result(bench="click", case=f"render + write WAV, {case}",
               ours="render_click+write_click_wav", ours_s=t["render+write"].median_s,
               peer="soundfile: write silence", peer_s=t["peer"].median_s,
               note=f"{real_s / t['render+write'].median_s:,.0f}x real time"),
    ]
