"""How structural each bar of a MusicXML score is, read through lxml, for rehearsal letters.

:func:`structure_weights` gives one weight per measure (of the first part's measures):
a meter or key change, a double bar or a forward repeat before it and a tempo mark in the
top part weigh most; many parts entering after a bar or more of rest (a new section, a
new phrase) weigh by the share of the parts that enter; a change of texture (the number of
parts playing) and the four- and eight-bar phrase grid from bar 1 add a little.
:func:`source_rehearsals` tells whether the score carries rehearsal marks of its own (a
composer's letters are kept, and none are derived then).  What it loses: a part's
structure is read from its notes only (no harmony, no melody analysis).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

__all__ = ["source_rehearsals", "structure_weights"]

CHANGE_WEIGHT = 3.0  # meter, key, double bar
TEMPO_WEIGHT = 2.5
ENTRANCE_WEIGHT = 2.5  # times the share of the playing parts that enter together
TEXTURE_WEIGHT = 0.5
PHRASE_WEIGHTS = ((8, 0.6), (4, 0.3))  # every 8 bars from bar 1, every 4
DOUBLE_BARS = ("light-light", "light-heavy", "heavy-light", "heavy-heavy", "heavy")


def source_rehearsals(root: etree._Element) -> bool:
    """Whether any part of the score has a <rehearsal> mark of its own."""
    return root.find("part/measure/direction/direction-type/rehearsal") is not None


def _signature(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    return etree.tostring(element, method="c14n").decode("utf-8", "replace")


def _plays(measure: etree._Element) -> bool:
    return any(n.find("rest") is None and n.find("grace") is None
               for n in measure.iterfind("note"))


def structure_weights(parts: Sequence[etree._Element], *, start: int = 0) -> list[float]:
    """A weight per measure of ``parts[0]`` (see the module docstring); ``start`` is the
    index of bar 1 (after a pickup)."""
    if not parts:
        return []
    top = parts[0].findall("measure")
    n = len(top)
    weights = [0.0] * n
    time = key = None
    for index, measure in enumerate(top):
        for attributes in measure.iterfind("attributes"):
            new_time = _signature(attributes.find("time"))
            new_key = _signature(attributes.find("key"))
            if index and ((new_time and new_time != time) or (new_key and new_key != key)):
                weights[index] += CHANGE_WEIGHT
            time = new_time or time
            key = new_key or key
        if index and measure.find("barline[@location='left']/repeat[@direction='forward']") \
                is not None:
            weights[index] += CHANGE_WEIGHT
        for barline in measure.iterfind("barline"):
            if barline.get("location", "right") == "right" and index + 1 < n and \
                    (barline.findtext("bar-style") in DOUBLE_BARS
                     or barline.find("repeat") is not None):
                weights[index + 1] += CHANGE_WEIGHT
        if index and any(d.find("sound[@tempo]") is not None or
                         d.find("direction-type/metronome") is not None
                         for d in measure.iterfind("direction")):
            weights[index] += TEMPO_WEIGHT
    playing = [[_plays(m) for m in part.findall("measure")[:n]] for part in parts]
    active = [p for p in playing if any(p)]
    for index in range(1, n):
        now = [p[index] for p in active if index < len(p)]
        before = [p[index - 1] for p in active if index < len(p)]
        if not now:
            continue
        entering = sum(1 for a, b in zip(now, before, strict=True) if a and not b)
        if entering >= 2 or (entering and len(active) <= 2):
            weights[index] += ENTRANCE_WEIGHT * entering / len(active)
        if abs(sum(now) - sum(before)) >= 0.3 * len(active):
            weights[index] += TEXTURE_WEIGHT
    for index in range(start + 1, n):
        for every, weight in PHRASE_WEIGHTS:
            if (index - start) % every == 0:
                weights[index] += weight
                break
    return weights
