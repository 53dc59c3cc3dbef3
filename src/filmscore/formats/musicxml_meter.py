"""Rests and beams grouped by the meter's beats, rewritten over a MusicXML part through lxml.

:func:`regroup_rests` rewrites each run of rests of a voice so that every rest shows the
beats: a whole bar's silence is one bar rest (``<rest measure="yes"/>``); otherwise a rest
never hides a beat it does not start on: 4/4 joins beats 1-2 or 3-4 into a half rest but
never 2-3 (a dotted-quarter rest across the middle of the bar becomes eighth + quarter),
3/4 joins beats 1-2 only, compound meters (6/8, 9/8, 12/8) rest a dotted beat at a time and
join only the first two eighths of a beat, 5/8 and 7/8 follow their beat groups (the
time signature's "3+2" or 3+2, 2+2+3 by default), and inside a beat rests halve down
(a 16th then an eighth, never a dotted eighth off the beat).  :func:`regroup_beams`
re-beams a voice's eighths and shorter per beat (in 4/4 four eighths may join beats 1-2
or 3-4), but only in a bar whose beams cross a beat they should not.

Left alone (the source's notation is kept): rests under a tuplet, with notations
(a fermata), lyrics or hidden (``print-object="no"``); runs whose pieces the divisions
cannot express; notes themselves (a syncopated note is not split and tied); beams of bars
with tuplets, grace notes, cue notes or cross-staff voices.  A direction between two rests
keeps its place: the run is cut there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from lxml import etree

from filmscore.formats.musicxml_edit import insert_ordered, number_of, sub_element

__all__ = ["Meter", "regroup_beams", "regroup_rests", "rest_pieces"]

F = Fraction
TYPES = {F(8): "breve", F(4): "whole", F(2): "half", F(1): "quarter", F(1, 2): "eighth",
         F(1, 4): "16th", F(1, 8): "32nd", F(1, 16): "64th", F(1, 32): "128th"}
BEAMS = {"eighth": 1, "16th": 2, "32nd": 3, "64th": 4, "128th": 5}
#: note children after <rest>/<duration> ... in the schema's order, for building rests
NOTE_ORDER = ("grace", "cue", "chord", "pitch", "unpitched", "rest", "duration", "tie",
              "instrument", "footnote", "level", "voice", "type", "dot", "accidental",
              "time-modification", "stem", "notehead", "notehead-text", "staff", "beam",
              "notations", "lyric", "play", "listen")


@dataclass(frozen=True)
class Meter:
    """A time signature as beat groups (quarters each) and the spans a rest may join."""

    length: Fraction
    groups: tuple[Fraction, ...]
    joins: tuple[tuple[Fraction, Fraction], ...] = ()  # (start, end) a rest may fill whole

    @classmethod
    def of(cls, beats: str, beat_type: str) -> Meter | None:
        """The meter of a <time>'s <beats> and <beat-type> texts (None: not one we group)."""
        try:
            unit = F(4, int(beat_type))
            counts = [int(b) for b in beats.replace(" ", "").split("+")]
        except (ValueError, ZeroDivisionError):
            return None
        if not counts or min(counts) < 1:
            return None
        total = sum(counts)
        length = total * unit
        if len(counts) > 1:
            groups = tuple(c * unit for c in counts)
            return cls(length, groups)
        if total % 3 == 0 and total > 3 and unit <= F(1, 2):  # compound: 6/8, 9/8, 12/8
            beat = 3 * unit
            groups = tuple([beat] * (total // 3))
            joins = ((F(0), 2 * beat), (2 * beat, 4 * beat)) if total == 12 else ()
            return cls(length, groups, joins)
        if unit <= F(1, 2) and total in (5, 7):  # 5/8 as 3+2, 7/8 as 2+2+3
            sizes = (3, 2) if total == 5 else (2, 2, 3)
            return cls(length, tuple(s * unit for s in sizes))
        groups = tuple([unit] * total)
        if total == 4:
            joins = ((F(0), 2 * unit), (2 * unit, 4 * unit))
        elif total == 3:
            joins = ((F(0), 2 * unit),)
        else:
            joins = ()
        return cls(length, groups, joins)

    def starts(self) -> list[Fraction]:
        out, at = [], F(0)
        for group in self.groups:
            out.append(at)
            at += group
        return out


def _value_ok(length: Fraction) -> bool:
    return length in TYPES or (length * 2 / 3) in TYPES


def _binary(start: Fraction, end: Fraction, lo: Fraction, hi: Fraction, out: list) -> None:
    """Pieces of [start, end) inside the binary unit [lo, hi), halving as needed."""
    if start >= end:
        return
    if start == lo and end == hi and _value_ok(hi - lo):
        out.append((lo, hi))
        return
    if hi - lo <= F(1, 32):
        raise ValueError("too fine")
    if (hi - lo) * 2 / 3 in TYPES and (hi - lo) not in TYPES:  # a dotted unit: thirds
        third = (hi - lo) / 3
        edges = [lo, lo + third, lo + 2 * third, hi]
        if start == lo and end >= edges[2]:  # the first two thirds join
            out.append((lo, edges[2]))
            _binary(edges[2], end, edges[2], hi, out)
            return
        for a, b in zip(edges, edges[1:], strict=False):
            _binary(max(start, a), min(end, b), a, b, out)
        return
    mid = (lo + hi) / 2
    _binary(start, min(end, mid), lo, mid, out)
    _binary(max(start, mid), end, mid, hi, out)


def rest_pieces(start: Fraction, end: Fraction, meter: Meter) -> list[tuple[Fraction, Fraction]]:
    """The rests (start, end in quarters from the bar's start) that fill [start, end) of a
    bar in ``meter`` (see the module docstring); ValueError when a piece has no note value.
    """
    if start == 0 and end == meter.length:
        return [(start, end)]
    out: list[tuple[Fraction, Fraction]] = []
    at = start
    bounds = meter.starts() + [meter.length]
    while at < end:
        join = next(((a, b) for a, b in meter.joins if a == at and b <= end), None)
        if join is not None and _value_ok(join[1] - join[0]):
            out.append(join)
            at = join[1]
            continue
        index = max(i for i, b in enumerate(bounds[:-1]) if b <= at)
        lo, hi = bounds[index], bounds[index + 1]
        if at >= meter.length:  # past the meter (an overfull bar): quarters
            lo, hi = at, at + 1
        piece_end = min(end, hi)
        _binary(at, piece_end, lo, hi, out)
        at = piece_end
    return out


# --- rests ---------------------------------------------------------------------------------


def _meter_of(attributes: etree._Element, meter: Meter | None) -> Meter | None:
    time = attributes.find("time")
    if time is None:
        return meter
    if time.find("senza-misura") is not None:
        return None
    return Meter.of(time.findtext("beats") or "", time.findtext("beat-type") or "")


@dataclass
class _Slot:
    element: etree._Element
    onset: Fraction  # quarters from the bar's start
    length: Fraction
    voice: str
    rest: bool
    plain: bool  # a rest we may rewrite


def _plain_rest(note: etree._Element) -> bool:
    rest = note.find("rest")
    return (rest is not None and note.find("time-modification") is None
            and note.find("notations") is None and note.find("lyric") is None
            and note.find("grace") is None and note.find("cue") is None
            and note.get("print-object") != "no")


def _slots(measure: etree._Element, divisions: Fraction
           ) -> tuple[list[list[_Slot | etree._Element]], Fraction]:
    """The measure's notes as sequences of one voice (a backup/forward, <attributes> or a
    note of another voice ends a sequence; directions between notes stay in it) and the
    divisions after the measure."""
    sequences: list[list] = []
    current: list = []
    cursor = F(0)
    voice = None
    for child in measure:
        tag = child.tag
        if tag == "attributes":
            divisions = number_of(child.find("divisions"), divisions) or divisions
            current = []
            sequences.append(current)
        elif tag in ("backup", "forward"):
            sign = -1 if tag == "backup" else 1
            cursor += sign * number_of(child.find("duration"))
            current = []
            sequences.append(current)
        elif tag == "note":
            if child.find("chord") is not None or child.find("grace") is not None:
                current.append(child)
                continue
            this_voice = (child.findtext("voice") or "1").strip()
            if this_voice != voice:
                current = []
                sequences.append(current)
                voice = this_voice
            length = number_of(child.find("duration"))
            current.append(_Slot(child, cursor / divisions, length / divisions, this_voice,
                                 child.find("rest") is not None, _plain_rest(child)))
            cursor += length
        else:
            current.append(child)
    return sequences, divisions


def _new_rest(template: etree._Element, length: Fraction, divisions: Fraction,
              whole_bar: bool) -> etree._Element:
    note = etree.Element("note")
    rest = sub_element(note, "rest")
    for tag in ("display-step", "display-octave"):
        found = template.find(f"rest/{tag}")
        if found is not None:
            sub_element(rest, tag, found.text)
    if whole_bar:
        rest.set("measure", "yes")
    sub_element(note, "duration", _text(length * divisions))
    voice = template.find("voice")
    if voice is not None:
        sub_element(note, "voice", voice.text)
    if not whole_bar:
        base = length if length in TYPES else length * 2 / 3
        sub_element(note, "type", TYPES[base])
        if base != length:
            sub_element(note, "dot")
    staff = template.find("staff")
    if staff is not None:
        sub_element(note, "staff", staff.text)
    return note


def _text(value: Fraction) -> str:
    if value.denominator != 1:
        raise ValueError("not whole divisions")
    return str(value.numerator)


def _runs(sequence: list) -> list[list]:
    """Runs of plain rests in one voice's sequence, with the elements between them."""
    runs, current, pending = [], [], []
    for item in sequence:
        if isinstance(item, _Slot) and item.plain:
            current += pending + [item]
            pending = []
        elif isinstance(item, _Slot) or item.tag == "note":
            if current:
                runs.append(current)
            current, pending = [], []
        elif current:
            pending.append(item)
    if current:
        runs.append(current)
    return runs


def _rewrite(run: list, meter: Meter, divisions: Fraction, bar_length: Fraction) -> bool:
    """Rewrite one run of plain rests (slots, with the elements between them) in place;
    False when it is already right or cannot be expressed."""
    slots = [s for s in run if isinstance(s, _Slot)]
    start, end = slots[0].onset, slots[-1].onset + slots[-1].length
    times: list[Fraction] = []  # the time of each element of the run
    for index, item in enumerate(run):
        if isinstance(item, _Slot):
            times.append(item.onset)
        else:
            following = next(s for s in run[index:] if isinstance(s, _Slot))
            times.append(following.onset)
    cuts = sorted({t for t, item in zip(times, run, strict=True)
                   if not isinstance(item, _Slot) and t > start})
    whole = (start == 0 and end == bar_length == meter.length and not cuts)
    edges = [start] + cuts + [end]
    try:
        pieces = [(start, end)] if whole else [
            piece for a, b in zip(edges, edges[1:], strict=False)
            for piece in rest_pieces(a, b, meter)]
        for a, b in pieces:
            _text((b - a) * divisions)
    except ValueError:
        return False
    if whole:
        if len(slots) == 1 and slots[0].element.find("rest").get("measure") == "yes":
            return False
    elif [(s.onset, s.onset + s.length) for s in slots] == pieces:
        return False
    template = slots[0].element
    measure = template.getparent()
    first = measure.index(run[0].element if isinstance(run[0], _Slot) else run[0])
    merged = [(t, 0, i, item if not isinstance(item, _Slot) else None)
              for i, (t, item) in enumerate(zip(times, run, strict=True))
              if not isinstance(item, _Slot)]
    merged += [(a, 1, i, _new_rest(template, b - a, divisions, whole))
               for i, (a, b) in enumerate(pieces)]
    merged.sort(key=lambda m: (m[0], m[1], m[2]))
    for item in run:
        measure.remove(item.element if isinstance(item, _Slot) else item)
    for offset, (_, _, _, element) in enumerate(merged):
        measure.insert(first + offset, element)
    return True


def _bar_length(sequences: list[list]) -> Fraction:
    ends = [s.onset + s.length for seq in sequences for s in seq if isinstance(s, _Slot)]
    return max(ends, default=F(0))


def regroup_rests(measures: Sequence[etree._Element], notes: list[str] | None = None) -> int:
    """Rewrite the rests of a part's measures by the meter (see the module docstring);
    returns how many runs were rewritten.  A meter we do not group (senza misura, or a
    <time> we cannot read) is told in ``notes`` ("bar 12: <time> ...: rests and beams
    left as written")."""
    divisions = F(1)
    meter: Meter | None = Meter.of("4", "4")
    changed = 0
    for measure in measures:
        for attributes in measure.iterfind("attributes"):
            meter = _meter_of(attributes, meter)
            if meter is None and attributes.find("time") is not None and notes is not None:
                time = attributes.find("time")
                what = "senza-misura" if time.find("senza-misura") is not None else \
                    f"{time.findtext('beats')}/{time.findtext('beat-type')}"
                notes.append(f"bar {measure.get('number') or '?'}: <time> {what} is not a "
                             "meter we group: rests and beams left as written")
            divisions = number_of(attributes.find("divisions"), divisions) or divisions
        sequences, after = _slots(measure, divisions)
        bar_length = _bar_length(sequences)
        if meter is not None:
            for sequence in sequences:
                for run in _runs(sequence):
                    if _rewrite(run, meter, divisions, bar_length):
                        changed += 1
        divisions = after
    return changed


# --- beams ---------------------------------------------------------------------------------


def _insert_ordered(note: etree._Element, child: etree._Element) -> None:
    insert_ordered(note, child, NOTE_ORDER)


def _beam_spans(slots: list[_Slot], meter: Meter) -> list[tuple[Fraction, Fraction]]:
    """The spans a beam may cover in this voice: the beat groups, and a join (4/4 beats
    1-2 or 3-4) whose notes are all eighths."""
    spans = []
    joined: list[tuple[Fraction, Fraction]] = []
    for a, b in meter.joins:
        inside = [s for s in slots if a <= s.onset < b]
        if inside and sum(s.length for s in inside) == b - a and all(
                not s.rest and s.element.findtext("type") == "eighth" for s in inside):
            joined.append((a, b))
    spans += joined
    for a, length in zip(meter.starts(), meter.groups, strict=True):
        if not any(ja <= a < jb for ja, jb in joined):
            spans.append((a, a + length))
    return sorted(spans)


def _beamable(slot: _Slot) -> bool:
    return not slot.rest and (slot.element.findtext("type") or "") in BEAMS


def _groups(slots: list[_Slot], meter: Meter) -> list[list[_Slot]]:
    """Consecutive beamable notes inside one span, two or more."""
    out = []
    for a, b in _beam_spans(slots, meter):
        current: list[_Slot] = []
        for slot in slots:
            if not a <= slot.onset < b or slot.onset + slot.length > b:
                continue
            if _beamable(slot):
                current.append(slot)
            else:
                if len(current) > 1:
                    out.append(current)
                current = []
        if len(current) > 1:
            out.append(current)
    return out


def _existing_groups(slots: list[_Slot]) -> list[list[_Slot]]:
    out, current = [], []
    for slot in slots:
        state = next((b.text for b in slot.element.iterfind("beam")
                      if b.get("number", "1") == "1"), None)
        if state == "begin":
            current = [slot]
        elif state in ("continue", "end") and current:
            current.append(slot)
            if state == "end":
                out.append(current)
                current = []
    return out


def _write_beams(group: list[_Slot]) -> None:
    levels = [BEAMS[s.element.findtext("type")] for s in group]
    states: list[list[str]] = [[] for _ in group]
    for level in range(1, max(levels) + 1):
        i = 0
        while i < len(group):
            if levels[i] < level:
                i += 1
                continue
            j = i
            while j + 1 < len(group) and levels[j + 1] >= level:
                j += 1
            if j > i:
                states[i].append("begin")
                for k in range(i + 1, j):
                    states[k].append("continue")
                states[j].append("end")
            elif i == 0:
                states[i].append("forward hook")
            elif i == len(group) - 1 or group[i - 1].length > group[i].length:
                states[i].append("backward hook")
            else:
                states[i].append("forward hook")
            i = j + 1
    for slot, values in zip(group, states, strict=True):
        for number, value in enumerate(values, 1):
            beam = etree.Element("beam", number=str(number))
            beam.text = value
            _insert_ordered(slot.element, beam)


def regroup_beams(measures: Sequence[etree._Element]) -> int:
    """Re-beam the voices of a part's measures whose beams cross a beat they should not
    (see the module docstring); returns how many voice-bars were re-beamed."""
    divisions = F(1)
    meter: Meter | None = Meter.of("4", "4")
    changed = 0
    for measure in measures:
        for attributes in measure.iterfind("attributes"):
            meter = _meter_of(attributes, meter)
            divisions = number_of(attributes.find("divisions"), divisions) or divisions
        sequences, after = _slots(measure, divisions)
        divisions = after
        if meter is None or any(n.find("time-modification") is not None or
                                n.find("grace") is not None or n.find("cue") is not None
                                for n in measure.iterfind("note")):
            continue
        voices: dict[str, list[_Slot]] = {}
        for sequence in sequences:
            for item in sequence:
                if isinstance(item, _Slot):
                    voices.setdefault(item.voice, []).append(item)
        for slots in voices.values():
            if len({(s.element.findtext("staff") or "1") for s in slots}) > 1:
                continue
            wanted = _groups(slots, meter)
            have = _existing_groups(slots)
            spans = _beam_spans(slots, meter)
            crossing = any(not any(all(a <= s.onset and s.onset + s.length <= b for s in g)
                                   for a, b in spans) for g in have)
            beamed = {id(s) for g in have for s in g}
            flagged = any(all(id(s) not in beamed for s in g) for g in wanted)
            if not (crossing or flagged):
                continue
            for slot in slots:
                for beam in slot.element.findall("beam"):
                    slot.element.remove(beam)
                for chord in _chord_notes(slot.element):
                    for beam in chord.findall("beam"):
                        chord.remove(beam)
            for group in wanted:
                _write_beams(group)
            changed += 1
    return changed


def _chord_notes(note: etree._Element) -> list[etree._Element]:
    out = []
    following = note.getnext()
    while following is not None and following.tag == "note" and \
            following.find("chord") is not None:
        out.append(following)
        following = following.getnext()
    return out
