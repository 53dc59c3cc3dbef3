"""Timecode: frame -> label and label -> frame, ours vs OpenTimelineIO's opentime.

200,000 frames drawn at random (fixed seed) from the first 24 hours, at 29.97 DF and at
23.976.  The peer is what a user of OpenTimelineIO would write for the same job:
``opentime.to_timecode(RationalTime(frame, rate), rate, drop_frame)`` and
``opentime.from_timecode(label, rate).to_frames()`` (OTIO's rates are floats, so
``30000/1001``; its drop-frame is chosen by the flag on output and by ';' on input).
"""

from __future__ import annotations

import random

from _common import Result, measure_side_by_side

N_FRAMES = 200_000
CASES = (("29.97df", 30000 / 1001, True), ("23.976", 24000 / 1001, False))


def run(quick: bool = False) -> list[Result]:
    from opentimelineio import opentime

    from filmscore.timecode import format_label, get_rate, parse_label

    n = N_FRAMES // 20 if quick else N_FRAMES
    repeats, warmups = (3, 1) if quick else (5, 2)
    results = []
    for name, otio_rate, drop in CASES:
        rate = get_rate(name)
        rng = random.Random(1936)
        frames = [rng.randrange(rate.frames_per_day) for _ in range(n)]
        labels = [format_label(f, rate) for f in frames]

        # agreement on the whole sample, both directions
        theirs = [opentime.to_timecode(opentime.RationalTime(f, otio_rate), otio_rate, drop)
                  for f in frames]
        back = [opentime.from_timecode(t, otio_rate).to_frames() for t in labels]
        ours_back = [parse_label(t, rate) for t in labels]
        bad_out = sum(a != b for a, b in zip(labels, theirs, strict=True))
        bad_in = sum(a != b for a, b in zip(frames, back, strict=True))
        bad_ours = sum(a != b for a, b in zip(frames, ours_back, strict=True))
        agree = "agree" if bad_out == bad_in == bad_ours == 0 else (
            f"DISAGREE: {bad_out} labels, {bad_in} frames from OTIO, {bad_ours} round trips")
        print(f"  timecode {name}: {n:,} frames, ours vs OTIO: {agree}")

        def ours_out(frames=frames, rate=rate):
            for f in frames:
                format_label(f, rate)

        def otio_out(frames=frames, r=otio_rate, drop=drop):
            rt, to_tc = opentime.RationalTime, opentime.to_timecode
            for f in frames:
                to_tc(rt(f, r), r, drop)

        def ours_in(labels=labels, rate=rate):
            for t in labels:
                parse_label(t, rate)

        def otio_in(labels=labels, r=otio_rate):
            from_tc = opentime.from_timecode
            for t in labels:
                from_tc(t, r).to_frames()

        for case, ours_fn, peer_fn in (("frame -> label", ours_out, otio_out),
                                       ("label -> frame", ours_in, otio_in)):
            t = measure_side_by_side({"ours": ours_fn, "peer": peer_fn}, repeats=repeats,
                                     warmups=warmups)
            ours, peer = t["ours"], t["peer"]
            per_ours = ours.median_s / n * 1e6
            per_peer = peer.median_s / n * 1e6
            results.append(Result(
                bench="timecode", case=f"{case}, {name}, {n:,} frames",
                ours="format_label" if case.startswith("frame") else "parse_label",
                ours_s=ours.median_s, peer="OTIO opentime", peer_s=peer.median_s,
                note=f"{per_ours:.2f} vs {per_peer:.2f} µs/frame; {agree}"))
    return results
