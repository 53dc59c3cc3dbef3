"""Accidentals as a copyist reads them: redundant ones (not courtesies) and missing ones.

The reader's rule (Gould, *Behind Bars*, "Accidentals"): an accidental holds for its
staff position (step and octave) on its staff until the barline, across voices; the
key signature holds for every octave; a tie carries a note's alteration over the
barline to the tied note only (later notes on that position in the new bar read the key
signature again), unless the tied note prints its accidental, which then holds as any
printed accidental does.

A shown accidental is **redundant** when the reader would play the note that way without
it: the key signature or an earlier accidental in the bar at that position already gives
its alteration (a natural on an unaltered note is the common case), or it is restated on
the tied continuation of a note inside the bar, or on a tie over the barline that
continues a note the key leaves unaltered.  It is a **courtesy** (cautionary) accidental,
and not flagged, when the same step had another alteration:

1. earlier in the same bar, in another octave of the same staff;
2. in the two previous bars on the same staff, in any octave (including a note tied
   into this bar, whose alteration no longer holds for the rest of it): editions often
   remind the player a bar later than the one right after; or, however long ago, at the
   step's last appearance before this bar (the player remembers the last F they played:
   F♯ four bars back, rests between, then F♮);
3. earlier in this bar or in the two previous bars on another staff of the same part
   (piano, harp);
4. in the key signature in force before a key change in this bar;
5. as the same pitch spelled on another step, in this bar or the two before (F♭ then
   E♮, B♯ then C♮);

and an accidental restated on a tie over the barline that the key does not give (an
altered note continued) is accepted.  A file's own ``cautionary``/``parentheses``
attributes do not make an accidental a courtesy: the context must.

A note is flagged **missing** its accidental when it shows none and its alteration is not
the one the key and the bar give (the page reads a wrong note), or when the accidental
shown contradicts its alteration.  Microtonal accidentals are read but not judged.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from filmscore.engraving.check_xml import Bar, KeyChange, Note, PartBars, Score
from filmscore.engraving.findings import Finding

#: the alteration each accidental sign shows (quarter tones and others: not judged)
SIGNS: dict[str, Fraction] = {
    "sharp": Fraction(1), "natural": Fraction(0), "flat": Fraction(-1),
    "double-sharp": Fraction(2), "sharp-sharp": Fraction(2), "flat-flat": Fraction(-2),
    "double-flat": Fraction(-2), "natural-sharp": Fraction(1), "natural-flat": Fraction(-1),
    "triple-sharp": Fraction(3), "triple-flat": Fraction(-3),
}
#: how many bars back an alteration of a step justifies a courtesy accidental
COURTESY_BARS = 2
_GLYPH = {Fraction(0): "\u266e", Fraction(1): "\u266f", Fraction(-1): "\u266d",
          Fraction(2): "\U0001d12a", Fraction(-2): "\U0001d12b"}


def pitch_name(step: str, alter: Fraction, octave: int) -> str:
    """"F♯4", "B♭3", "E4"."""
    sign = "" if alter == 0 else _GLYPH.get(alter, f"{float(alter):+g}")
    return f"{step}{sign}{octave}"


def sign_name(alter: Fraction) -> str:
    return _GLYPH.get(alter, f"{float(alter):+g}")


class _Staff:
    """What a reader of one staff has in mind at a point of a bar."""

    def __init__(self) -> None:
        self.key: dict[str, Fraction] = {}
        self.old_key: dict[str, Fraction] | None = None  # before a change in this bar
        self.keyed = False  # a key signature has been read
        self.bar: dict[tuple[str, int], Fraction] = {}  # accidentals so far in the bar
        self.seen: dict[str, set[Fraction]] = defaultdict(set)  # this bar, by step
        self.seen_at: dict[str, set[tuple[int, Fraction]]] = defaultdict(set)
        self.previous: dict[str, set[Fraction]] = {}  # the last COURTESY_BARS bars, by step
        self.history: list[dict[str, set[Fraction]]] = []
        self.pitches: set[tuple[int, str]] = set()  # (pitch class, step) in this bar
        self.pitch_history: list[set[tuple[int, str]]] = []  # ... in the bars before
        self.last: dict[str, Fraction] = {}  # the step's latest alteration before this bar
        self.latest: dict[str, Fraction] = {}  # ... and so far in this bar

    def new_bar(self) -> None:
        self.history = (self.history + [dict(self.seen)])[-COURTESY_BARS:]
        self.pitch_history = (self.pitch_history + [self.pitches])[-COURTESY_BARS:]
        self.pitches = set()
        self.previous = defaultdict(set)
        for bar in self.history:
            for step, alters in bar.items():
                self.previous[step] |= alters
        self.last.update(self.latest)
        self.latest = {}
        self.seen = defaultdict(set)
        self.seen_at = defaultdict(set)
        self.bar = {}
        self.old_key = None

    def expected(self, step: str, octave: int) -> Fraction:
        return self.bar.get((step, octave), self.key.get(step, Fraction(0)))


def _apply_key(staves: dict[int, _Staff], change: KeyChange, count: int) -> None:
    targets = [change.staff] if change.staff is not None else list(range(1, count + 1))
    for number in targets:
        st = staves.setdefault(number, _Staff())
        if st.old_key is None and st.keyed:
            st.old_key = dict(st.key)
        st.key = dict(change.alters)
        st.keyed = True


def _courtesy(note: Note, st: _Staff, staves: dict[int, _Staff]) -> bool:
    step, alter = note.step, note.alter
    if any(a != alter for (octave, a) in st.seen_at[step] if octave != note.octave):
        return True  # 1: another octave in this bar
    if any(a != alter for a in st.previous.get(step, ())):
        return True  # 2: the previous bars
    if step not in st.latest and st.last.get(step, alter) != alter:
        return True  # 2: the step's last appearance, however long ago
    for other in staves.values():
        if other is st:
            continue
        if any(a != alter for a in other.seen[step]) or \
                any(a != alter for a in other.previous.get(step, ())):
            return True  # 3: another staff of the part
    if st.old_key is not None and st.old_key.get(step, Fraction(0)) != alter:
        return True  # 4: the key changed in this bar
    pc = _pitch_class(step, alter)
    if any(p == pc and s != step for p, s in st.pitches.union(*st.pitch_history)):
        return True  # 5: the same pitch spelled on another step (F flat, then E natural)
    return False


_STEP_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def _pitch_class(step: str, alter: Fraction) -> int:
    return int(_STEP_PC[step] + alter) % 12 if alter.denominator == 1 else -1


def _judge(note: Note, st: _Staff, staves: dict[int, _Staff], bar: Bar, part: PartBars,
           carried: set[tuple[str, int]]) -> Finding | None:
    """The finding for one pitched note (None: fine); updates the reader's state."""
    step, octave, alter = note.step, note.octave, note.alter
    name = pitch_name(step, alter, octave)
    position = (step, octave)
    shown = SIGNS.get(note.accidental) if note.accidental else None
    finding = None

    def found(rule: str, message: str) -> Finding:
        return Finding(rule, part.name, bar.number, message)

    if note.tie_stop and (position in carried or position in st.bar
                          or alter == st.expected(step, octave)):
        # a tied continuation: the tie carries the alteration, shown or not
        across = position in carried and position not in st.bar
        if shown is not None and shown != alter:
            finding = found("missing_accidental", f"{name} (tied) shows {sign_name(shown)}, "
                            "which contradicts it")
        elif shown is not None and not across:
            finding = found("redundant_accidental", f"{sign_name(shown)} restated on the "
                            f"tied {name} inside the bar")
        elif shown is not None and alter == st.key.get(step, Fraction(0)) \
                and not _courtesy(note, st, staves):
            finding = found("redundant_accidental", f"{sign_name(shown)} on {name} tied over "
                            "the barline, which the key leaves so")
        if shown is not None:
            st.bar[position] = shown  # a sign printed holds for the rest of the bar
        _remember(st, note)
        return finding  # unprinted, a tie's alteration holds for this note only
    expected = st.expected(step, octave)
    if note.accidental is None:
        if alter != expected:
            finding = found("missing_accidental", f"{name} shows no accidental; the "
                            f"{'bar' if position in st.bar else 'key'} gives "
                            f"{pitch_name(step, expected, octave)}")
    elif shown is not None:
        if shown != alter:
            finding = found("missing_accidental", f"{name} shows {sign_name(shown)}, "
                            "which contradicts it")
        elif shown == expected and not _courtesy(note, st, staves):
            if position in st.bar:
                why = "an earlier accidental in the bar already gives it"
            elif alter == 0:
                why = "nothing alters it (key signature, bar)"
            else:
                why = "the key signature already gives it"
            finding = found("redundant_accidental", f"{sign_name(shown)} on {name}: {why}")
    if note.accidental is not None or alter != expected:
        st.bar[position] = alter
    _remember(st, note)
    return finding


def _remember(st: _Staff, note: Note) -> None:
    st.seen[note.step].add(note.alter)
    st.seen_at[note.step].add((note.octave, note.alter))
    st.latest[note.step] = note.alter
    st.pitches.add((_pitch_class(note.step, note.alter), note.step))


def accidental_findings(score: Score) -> list[Finding]:
    """Redundant and missing accidentals in every part (see the module docstring)."""
    findings: list[Finding] = []
    for part in score.parts:
        staves: dict[int, _Staff] = {n: _Staff() for n in range(1, part.staves + 1)}
        carried: dict[int, set[tuple[str, int]]] = defaultdict(set)  # tied over the barline
        for bar in part.bars:
            for st in staves.values():
                st.new_bar()
            events: list[tuple[Fraction, int, KeyChange | Note]] = [
                (k.onset, -1, k) for k in bar.keys]
            events += [(n.onset, n.order, n) for n in bar.notes if n.step and not n.rest]
            events.sort(key=lambda e: (e[0], e[1]))
            ties_out: dict[int, set[tuple[str, int]]] = defaultdict(set)
            for _, _, event in events:
                if isinstance(event, KeyChange):
                    _apply_key(staves, event, max(part.staves, 1))
                    continue
                st = staves.setdefault(event.staff, _Staff())
                found = _judge(event, st, staves, bar, part, carried[event.staff])
                if found is not None:
                    findings.append(found)
                position = (event.step, event.octave)
                if event.tie_start:
                    ties_out[event.staff].add(position)
                else:
                    ties_out[event.staff].discard(position)
            carried = ties_out
    return findings
