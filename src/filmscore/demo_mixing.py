"""The demo's stage 6 (mixing and editing) and the performing-rights cue sheet, on the
Popeye takes.

For every recorded cue the music editor takes the proposed comp (the circled takes with
the fewest edits, cut at bar lines with 20 ms equal-power crossfades) and renders it,
every stem cut at the same samples; the engineer mixes it in stereo (v1) and in 5.1 for
the dub (v2, the brass a little down where the notes ask the strings to lead).  The main
title and the end title are marked on the timeline, the first cue fades in and the last
fades out; the whole film's music is delivered to the dub (Broadcast WAV stems and mixes
with bext and iXML, OpenTimelineIO, AAF, EDL and the delivery report), and the cue sheet
is written for the performing-rights societies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: the demo's writer on the cue sheet (the music is machine-written; no society, no IPI)
WRITER = "filmscore demo (machine-written)"
#: 5.1 for the dub: each stem's level where the defaults are not what the cue wants
DUB_SETTINGS = {"brass": {"gain_db": -1.5}}


@dataclass
class MixingResult:
    """What the demo's mixing stage made."""

    comps: list = field(default_factory=list)  # CompSpec
    mixes: list = field(default_factory=list)  # MixSpec (stereo and 5.1 of each cue)
    delivery: object = None  # Delivery
    cue_sheet: list[Path] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)


def mixing_stage(pctx, specs: list, *, step) -> MixingResult:
    """Comp, mix, place and deliver the cues of ``specs`` (CueSpec: the recorded ones, in
    film order), then write the PRO cue sheet; the delivery and the cue sheet go into the
    project's own ``delivery/`` and ``cuesheet/`` folders, where the workspace finds them."""
    from filmscore.mixing.comps import propose_comp, render_comp
    from filmscore.mixing.deliver import deliver
    from filmscore.mixing.mixes import mix_cue
    from filmscore.mixing.placing import place
    from filmscore.rights.service import add_holder, set_shares, write_pro_cue_sheet

    result = MixingResult()
    cues = [str(c.number) for c in specs]
    for n, cue in enumerate(cues, 1):
        step(f"Mixing {n}/{len(cues)}: cue {cue}: comp of the circled takes, stereo and "
             "5.1 mixes")
        propose_comp(pctx, cue, author="music editor")
        comp = render_comp(pctx, cue)
        result.comps.append(comp)
        stems = {f.stem for f in comp.files}
        result.mixes.append(mix_cue(pctx, cue, layout="stereo", author="engineer",
                                    notes="stereo for the director's review"))
        settings = {s: v for s, v in DUB_SETTINGS.items() if s in stems}
        result.mixes.append(mix_cue(pctx, cue, layout="5.1", settings=settings,
                                    author="engineer", notes="5.1 for the dub"))
    step("Fitting the music to the film: main title, end title, fades")
    score = [str(c.number) for c in specs if not c.is_source]
    place(pctx, score[0], usage="MT", fade_in_ms=20)
    place(pctx, score[-1], usage="ET", fade_out_ms=1500)
    step("Delivering to the dub: stems and mixes (BWF), OTIO, AAF, EDL, report")
    result.delivery = deliver(pctx)
    result.files["delivery_pdf"] = pctx.directory / "delivery" / "delivery.pdf"
    step("The performing-rights cue sheet (CSV, PDF, DDEX-shaped XML)")
    add_holder(pctx, WRITER, role="composer")
    set_shares(pctx, None, {WRITER: "100"})
    result.cue_sheet = write_pro_cue_sheet(pctx, pctx.directory / "cuesheet")
    result.files.update({f"pro_cue_sheet_{p.suffix[1:]}": p for p in result.cue_sheet})
    return result
