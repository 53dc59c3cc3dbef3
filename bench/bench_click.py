"""Click tracks: rendering a 10-minute cue and writing it, against writing the same file.

The cue: 23.976 fps, 4/4 at 130.91 BPM (an 11-frame click), eighth-note subdivision and a
bar of count-in, 10 minutes: about 2,600 clicks at 48 kHz, 24-bit.  Like with like, every
row that has a peer has both sides write the same 24-bit mono WAV of the same samples to
disk (neither fsyncs):

* render + write: ours is ``click_events`` + ``render_click`` (the exact times and the
  samples) + ``write_click_wav`` (a Broadcast WAV, atomically: a temporary name,
  renamed), what ``filmscore click`` does; the peer is soundfile writing our samples,
  already rendered, as a 24-bit WAV: the floor of the job (no clicks to
  place, no time arithmetic, no bext chunk).
* write alone: ``write_click_wav`` of the rendered samples against the same peer: what
  our file writing costs over libsndfile's.
* render alone: no peer (nothing else renders a click from a tempo map); its speed in
  times real time (target >= 500x).
"""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

from _common import Result, measure_side_by_side

CUE_SECONDS = 600
TARGET_X = 500


def run(quick: bool = False) -> list[Result]:
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
    shifted = samples << 8  # libsndfile takes 24-bit values in the top bits of an int32
    with tempfile.TemporaryDirectory() as tmp:
        ours_path, peer_path = Path(tmp) / "click.wav", Path(tmp) / "peer.wav"

        def render_and_write():
            write_click_wav(render(), ours_path)

        def write():
            write_click_wav(samples, ours_path)

        def peer():
            soundfile.write(str(peer_path), shifted, 48000, subtype="PCM_24", format="WAV")

        t = measure_side_by_side({"render": render, "render+write": render_and_write,
                                  "write": write, "peer": peer},
                                 repeats=repeats, warmups=warmups)
        same = soundfile.read(str(ours_path), dtype="int32")[0].tobytes() == \
            soundfile.read(str(peer_path), dtype="int32")[0].tobytes()
    same_note = "same samples in both files" if same else "THE FILES' SAMPLES DIFFER"
    clicks = len(click_events(tmap, subdivision=2))
    print(f"  click: {real_s:.0f} s, {clicks:,} clicks: render "
          f"{real_s / t['render'].median_s:,.0f}x real time, render+write "
          f"{real_s / t['render+write'].median_s:,.0f}x, write alone "
          f"{real_s / t['write'].median_s:,.0f}x, soundfile write "
          f"{real_s / t['peer'].median_s:,.0f}x (target >= {TARGET_X}x); {same_note}")
    case = f"{real_s / 60:.0f}-min cue, {clicks:,} clicks, 48 kHz 24-bit"
    peer_name = "soundfile: write the same samples"
    return [
        Result(bench="click", case=f"render + write WAV, {case}",
               ours="render_click+write_click_wav", ours_s=t["render+write"].median_s,
               peer=peer_name, peer_s=t["peer"].median_s,
               note=f"{real_s / t['render+write'].median_s:,.0f}x real time; peer "
                    f"{real_s / t['peer'].median_s:,.0f}x; {same_note}"),
        Result(bench="click", case=f"write WAV alone, {case}", ours="write_click_wav",
               ours_s=t["write"].median_s, peer=peer_name, peer_s=t["peer"].median_s,
               note="ours: Broadcast WAV (bext chunk), a temporary name renamed"),
        Result(bench="click", case=f"render alone, {case}", ours="click_events+render_click",
               ours_s=t["render"].median_s, peer="no peer", peer_s=None,
               note=f"{real_s / t['render'].median_s:,.0f}x real time (target "
                    f">= {TARGET_X}x)"),
    ]
