"""EDL import: the two biggest real production EDLs, ours vs plain OTIO and pycmx.

Ours: ``filmscore.formats.otio_cut.read_cut(path, "24")`` (our own scan of the event
lines, the work-arounds, OTIO's cmx_3600 adapter, then exact integer-frame CutEvents).
Peers, in the same run on the same files:

* plain OpenTimelineIO, ``otio.adapters.read_from_file(path, rate=24)``: what a user of
  the field's library would call.  It refuses ToD_R4 (a 48 fps clip whose source and
  record durations differ, see otio_cut.py); that row says "refused".
* pycmx (PyPI ``pycmx``), ``parse_cmx3600`` plus a walk over every event and edit reading
  its reel, clip name, transition and four timecodes (pycmx is lazy: without the walk it
  only splits lines).  pycmx returns timecode strings, not frames.
"""

from __future__ import annotations

from _common import DATA, Result, measure_side_by_side

FILES = ("pycmx/INS4_R1_010417.edl", "pycmx/ToD_R4_LOCK3.1_030618_Video.edl")
RATE = 24


def _pycmx_read(path) -> int:
    import pycmx

    count = 0
    fields = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        edl = pycmx.parse_cmx3600(handle)
        for event in edl.events:
            count += 1
            for edit in event.edits:
                fields.append((edit.source, edit.clip_name, edit.transition, edit.source_in,
                               edit.source_out, edit.record_in, edit.record_out))
    return count


def run(quick: bool = False) -> list[Result]:
    import opentimelineio as otio

    from filmscore.formats.otio_cut import read_cut

    try:
        import pycmx
    except ImportError:
        pycmx = None
    repeats, warmups = (3, 1) if quick else (7, 2)
    results = []
    for name in FILES:
        path = DATA / "edl" / name
        label = "_".join(path.stem.split("_")[:2])
        cut = read_cut(path, str(RATE))
        lines = sum(1 for _ in path.open(encoding="utf-8", errors="replace"))
        case = f"{label} ({lines:,} lines, {len(cut.events)} events)"

        def plain_otio(path=path):
            return otio.adapters.read_from_file(str(path), rate=RATE)

        fns = {"ours": lambda path=path: read_cut(path, str(RATE))}
        refused = None
        try:
            clips = len(list(plain_otio().find_clips()))
        except Exception as exc:  # the cmx_3600 adapter raises EDLParseError
            refused = exc
            reason = " ".join(str(exc).split())
            print(f"  edl {label}: plain OTIO refused it: {reason[:120]}")
        else:
            fns["otio"] = plain_otio
        if pycmx is not None:
            events = _pycmx_read(path)
            fns["pycmx"] = lambda path=path: _pycmx_read(path)
        t = measure_side_by_side(fns, repeats=repeats, warmups=warmups)
        ours = t["ours"].median_s

        if refused is not None:
            reason = " ".join(str(refused).split())
            results.append(Result(
                bench="edl", case=case, ours="read_cut", ours_s=ours,
                peer="plain OTIO read_from_file", peer_s=None,
                note=f"OTIO refused: {type(refused).__name__} ({reason[:60]}...)"))
        else:
            same = "same count" if clips == len(cut.events) else "COUNTS DIFFER"
            results.append(Result(
                bench="edl", case=case, ours="read_cut", ours_s=ours,
                peer="plain OTIO read_from_file", peer_s=t["otio"].median_s,
                note=f"{len(cut.events)} events vs {clips} clips: {same}"))
        if pycmx is None:
            results.append(Result(
                bench="edl", case=case, ours="read_cut", ours_s=ours,
                peer="pycmx", peer_s=None, note="pycmx not installed (pip install pycmx)"))
            continue
        same = "same count" if events == len(cut.events) else "COUNTS DIFFER"
        results.append(Result(
            bench="edl", case=case, ours="read_cut", ours_s=ours,
            peer=f"pycmx {pycmx_version()}", peer_s=t["pycmx"].median_s,
            note=f"{len(cut.events)} vs {events} events: {same}; pycmx gives TC strings"))
    return results


def pycmx_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pycmx")
    except PackageNotFoundError:
        return "?"
