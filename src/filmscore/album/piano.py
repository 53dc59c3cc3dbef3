"""A piano solo reduction of a cue's full score (pure: Music in, Music out).

:func:`reduce_score` reads the full score at concert pitch (``read_music`` brings
transposing instruments to sounding pitch) and makes two hands, each one chord at a time
(no independent voices inside a hand), so that two hands can play it:

- **Melody** (:func:`find_melody`): bar by bar, the pitched part that carries the tune:
  its top note at each onset, scored by register (higher is likelier), by how much it
  moves (a pad or a pedal holds still, a tune moves) and by how little it repeats one
  note, with a bonus for staying in the part that had it the bar before (a tune is not
  passed around on a tie) and one for the parts the orchestration says lead the tune
  (:func:`melody_chairs`).  Percussion never leads.  A melody segment reaching above A6,
  or sitting on average above A5 (a flute an octave over the violins) is taken an octave
  down (as long as it stays above G3), one sitting below G3 an octave up (said in the
  notes).  It is the top note of the
  right hand at each of its onsets.
- **Bass** (:func:`find_bass`): bar by bar, the part sounding lowest (not the melody's
  part), its lowest note at each onset, folded into E1..G3 by octaves; where it comes
  within a fourth of the melody (a passage of one line) the left hand rests.  It is the
  lowest note of the left hand at each of its onsets.
- **Inner voices**: under each melody note the right hand adds the chord's essential
  tones that the score sounds there (the chord of :mod:`filmscore.album.chords`: third
  and seventh before root and fifth; doublings of the melody and bass dropped), each the
  closest below the melody within an octave: two under a note of a beat or more, one
  under a shorter note, none under a run faster than eighths.  Over a bass note of a beat
  or more the left hand adds one chord tone the right hand does not hold, within a tenth
  above the bass and below the right hand.  Where the tune rests for a whole bar over a bass
  note of a beat or more, the right hand holds the chord's essential tones (two or three, in the
  octave above middle C).  Each hand's chord spans at most
  :data:`HAND_SPAN` semitones and holds at most :data:`HAND_NOTES` notes.
- **Rhythm**: fast repeated notes (three or more of one pitch, each shorter than an
  eighth: a measured tremolo or a string's repeated sixteenths) become one held note, and
  a note's tremolo is dropped (held); each change is listed in :attr:`Reduction.notes`.

The dynamics and hairpins of the part carrying the melody (while it carries it) go to
the right hand; the tempo marks are the score's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.album.chords import ChordSymbol, best_chord, pitch_weights
from filmscore.errors import InputError
from filmscore.writing.music import Mark, Music, Note, Part

HAND_SPAN = 14  # semitones: an octave and a second (a ninth) at most
HAND_NOTES = 5  # notes in one hand at once, at most
MELODY_HIGH = 93  # A6: a melody above goes an octave down
MELODY_LOW = 55  # G3: a melody segment sitting (on average) below goes an octave up
MELODY_MEAN_HIGH = 81  # A5: a segment sitting above goes down if it stays above G3
BASS_LOW, BASS_HIGH = 28, 55  # E1..G3
FAST = Fraction(1, 2)  # shorter than an eighth note
REST_CHORD_FLOOR = 60  # C4: where the tune rests, the right hand's chord sits above it
PREFERRED = 30  # the melody score's bonus for a part known to carry the tune

_PERCUSSION = re.compile(r"perc|drum|timp|cymb|snare|triangle|gong|tam-?tam|wood ?block|"
                         r"tambourine|clap", re.I)


@dataclass(frozen=True)
class Reduction:
    """The two hands, and what the reduction did that a pianist should know."""

    right: tuple[Note, ...]
    left: tuple[Note, ...]
    melody: tuple[Note, ...]  # the melody as the right hand plays it (its top notes)
    bass: tuple[Note, ...]  # the bass as the left hand plays it (its lowest notes)
    melody_parts: tuple[tuple[int, int, str], ...]  # (first bar, last bar, part name)
    marks: tuple[Mark, ...]  # dynamics and hairpins, for the right hand
    notes: tuple[str, ...]  # each simplification, a line each


def pitched_parts(music: Music) -> list[Part]:
    """The parts a pianist can play: no drums, no percussion section."""
    return [p for p in music.parts if p.notes and not p.is_drum
            and not _PERCUSSION.search(p.name) and not _PERCUSSION.search(p.instrument)]


def bar_length(music: Music) -> Fraction:
    return Fraction(music.meter.numerator) * music.meter.beat_quarters


def _bar_of(t: Fraction, bar: Fraction) -> int:
    return int(t // bar) + 1


def _skyline(notes: Sequence[Note]) -> list[Note]:
    """The top note at each onset, each held until the next onset at the latest."""
    top: dict[Fraction, Note] = {}
    for n in notes:
        if n.onset not in top or n.pitch > top[n.onset].pitch:
            top[n.onset] = n
    ordered = [top[t] for t in sorted(top)]
    out = []
    for i, n in enumerate(ordered):
        end = n.end if i + 1 == len(ordered) else min(n.end, ordered[i + 1].onset)
        out.append(replace(n, duration=end - n.onset))
    return out


def _melodic_score(line: Sequence[Note]) -> float:
    if not line:
        return float("-inf")
    total = sum(n.duration for n in line)
    mean = float(sum(n.pitch * n.duration for n in line) / total)
    changes = sum(1 for a, b in zip(line, line[1:], strict=False) if a.pitch != b.pitch)
    repeats = sum(1 for a, b in zip(line, line[1:], strict=False) if a.pitch == b.pitch)
    distinct = len({n.pitch for n in line})
    return mean + 3 * min(changes, 5) + 2 * min(distinct, 4) - 8 * repeats / max(1, len(line))


def find_melody(music: Music, *, part: str | None = None, prefer: Sequence[str] = ()
                ) -> tuple[list[Note], list[tuple[int, int, str]], list[str]]:
    """The melody (notes at the pitch the right hand plays), which part carries it bar by
    bar ((first bar, last bar, part name) runs), and notes on octave changes.  ``part``
    names the part to take it from throughout (else it is found, see the module
    docstring); ``prefer`` names parts known to carry the tune (the orchestration's
    decisions say which chairs lead it): they win a bar unless another part is far more
    tune-like there."""
    parts = pitched_parts(music)
    if part is not None:
        chosen = [p for p in music.parts if p.name.lower() == part.strip().lower()]
        if not chosen:
            raise InputError("no such part in the full score", field="melody", value=part,
                             valid=", ".join(p.name for p in parts) or "a pitched part")
        parts = chosen
    if not parts:
        return [], [], []
    bar = bar_length(music)
    preferred = {name.lower() for name in prefer}
    lines = {p.name: _skyline(p.notes) for p in parts}
    first = min(n.onset for line in lines.values() for n in line)
    last = max(n.end for line in lines.values() for n in line)
    runs: list[list] = []  # [first bar, last bar, part name, notes]
    previous = None
    b = _bar_of(first, bar)
    while (b - 1) * bar < last:
        start, end = (b - 1) * bar, b * bar
        if previous is not None and any(n.onset < start and n.end >= start + bar / 2
                                        for n in lines[previous]):
            runs[-1][1] = b  # the tune holds a note over the bar line: it keeps the bar
            b += 1
            continue
        best, best_score = None, float("-inf")
        lowest = _lowest_part(parts, start, end)
        for name, line in lines.items():
            if name == lowest and name.lower() not in preferred and part is None:
                continue  # the bass under other parts is not the tune
            inside = [n for n in line if start <= n.onset < end]
            score = _melodic_score(inside) + (6 if name == previous else 0) \
                + (PREFERRED if name.lower() in preferred else 0)
            if inside and score > best_score:
                best, best_score = name, score
        if best is not None:
            inside = [n for n in lines[best] if start <= n.onset < end]
            if runs and runs[-1][2] == best and runs[-1][1] == b - 1:
                runs[-1][1] = b
                runs[-1][3] += inside
            else:
                runs.append([b, b, best, inside])
            previous = best
        b += 1
    melody: list[Note] = []
    notes: list[str] = []
    for run in runs:
        line = run[3]
        shift = 0
        total = sum(n.duration for n in line)
        mean = sum(n.pitch * n.duration for n in line) / total
        while max(n.pitch for n in line) + shift > MELODY_HIGH or (
                mean + shift > MELODY_MEAN_HIGH
                and min(n.pitch for n in line) + shift - 12 >= MELODY_LOW):
            shift -= 12
        while (sum(n.pitch * n.duration for n in line) / total + shift < MELODY_LOW
               and max(n.pitch for n in line) + shift + 12 <= MELODY_HIGH):
            shift += 12
        if shift:
            notes.append(f"{_bars_text(range(run[0], run[1] + 1))}: the melody ({run[2]}) "
                         f"{abs(shift) // 12} octave{'s' * (abs(shift) > 12)} "
                         f"{'lower' if shift < 0 else 'higher'} than it sounds")
        melody += [replace(n, pitch=n.pitch + shift) for n in line]
    melody = _skyline(melody)  # a note held over the next part's entry is cut there
    return melody, [(r[0], r[1], r[2]) for r in runs], notes


def _lowest_part(parts: Sequence[Part], start: Fraction, end: Fraction) -> str | None:
    """The part sounding lowest in [start, end) (duration-weighted mean), when more than
    one part sounds there."""
    means = []
    for part in parts:
        spans = [(min(n.end, end) - max(n.onset, start), n.pitch) for n in part.notes
                 if n.onset < end and n.end > start]
        total = sum(d for d, _ in spans)
        if total:
            means.append((sum(d * p for d, p in spans) / total, part.name))
    return min(means)[1] if len(means) > 1 else None


def melody_chairs(decisions: Sequence[dict]) -> list[str]:
    """The chairs an orchestration's decisions (``Decision.to_dict()``) name as leading
    the short score's melody ("the tune (trumpets lead)", "the violins carry the tune"),
    in the order they are named."""
    out: list[str] = []
    for d in decisions:
        staff, message = str(d.get("staff", "")), str(d.get("message", ""))
        if not staff.lower().startswith("melody"):
            continue
        if d.get("kind") == "lead" or "carry the tune" in message:
            chair = str(d.get("chair", ""))
            if chair and chair not in out:
                out.append(chair)
    return out


def bass_parts(music: Music, melody_parts: Sequence[tuple[int, int, str]] = ()
               ) -> list[tuple[int, int, str]]:
    """Which part carries the bass, bar by bar ((first bar, last bar, part name) runs):
    the pitched part sounding lowest (duration-weighted mean) in the bar, not the part
    carrying the melody there."""
    parts = pitched_parts(music)
    if not parts:
        return []
    bar = bar_length(music)
    tune = {b: name for first, last, name in melody_parts for b in range(first, last + 1)}
    first = min(n.onset for p in parts for n in p.notes)
    last = max(n.end for p in parts for n in p.notes)
    runs: list[list] = []
    b = _bar_of(first, bar)
    while (b - 1) * bar < last:
        start, end = (b - 1) * bar, b * bar
        best, best_mean = None, None
        for part in parts:
            if part.name == tune.get(b) and len(parts) > 1:
                continue
            spans = [(min(n.end, end) - max(n.onset, start), n.pitch) for n in part.notes
                     if n.onset < end and n.end > start]
            total = sum(d for d, _ in spans)
            if not total:
                continue
            mean = sum(d * p for d, p in spans) / total
            if best_mean is None or mean < best_mean:
                best, best_mean = part.name, mean
        if best is not None:
            if runs and runs[-1][2] == best and runs[-1][1] == b - 1:
                runs[-1][1] = b
            else:
                runs.append([b, b, best])
        b += 1
    return [(r[0], r[1], r[2]) for r in runs]


def find_bass(music: Music, melody: Sequence[Note] = (),
              melody_parts: Sequence[tuple[int, int, str]] = ()) -> list[Note]:
    """The bass line: the lowest note at each onset of the part carrying the bass
    (:func:`bass_parts`), folded into E1..G3 by octaves; none where that note is within
    a fourth below the melody (a passage of one line)."""
    by_name = {p.name: p for p in music.parts}
    bar = bar_length(music)
    events: list[Note] = []
    for first, last, name in bass_parts(music, melody_parts):
        start, end = (first - 1) * bar, last * bar
        low: dict[Fraction, Note] = {}
        for n in by_name[name].notes:
            if start <= n.onset < end and (n.onset not in low or n.pitch < low[n.onset].pitch):
                low[n.onset] = n
        for t in sorted(low):
            n = low[t]
            top = _melody_at(melody, t)
            if top is not None and n.pitch > top.pitch - 5:
                continue
            if events and events[-1].end > t:  # the line's previous note ends here
                events[-1] = replace(events[-1], duration=t - events[-1].onset)
            events.append(Note(t, n.duration, _fold_bass(n.pitch), n.velocity,
                               n.articulations))
    return [e for e in events if e.duration > 0]


def _fold_bass(pitch: int) -> int:
    while pitch < BASS_LOW:
        pitch += 12
    while pitch > BASS_HIGH:
        pitch -= 12
    return pitch


def _melody_at(melody: Sequence[Note], t: Fraction) -> Note | None:
    for n in melody:
        if n.onset <= t < n.end:
            return n
        if n.onset > t:
            break
    return None


def simplify_repeats(line: Sequence[Note], *, what: str, bar: Fraction
                     ) -> tuple[list[Note], list[str]]:
    """Runs of three or more fast notes of one pitch, back to back, become one held note;
    a tremolo becomes a plain held note.  Returns the line and a note per change."""
    out: list[Note] = []
    notes: list[str] = []
    i = 0
    tremolo_bars: list[int] = []
    while i < len(line):
        n = line[i]
        j = i
        while (j + 1 < len(line) and line[j + 1].pitch == n.pitch
               and line[j + 1].onset == line[j].end and line[j].duration < FAST
               and line[j + 1].duration < FAST):
            j += 1
        if j - i >= 2:
            notes.append(f"bar {_bar_of(n.onset, bar)}: {j - i + 1} repeated notes of the "
                         f"{what} written as one held note")
            n = replace(n, duration=line[j].end - n.onset)
            i = j
        if "tremolo" in n.articulations:
            tremolo_bars.append(_bar_of(n.onset, bar))
            n = replace(n, articulations=tuple(a for a in n.articulations if a != "tremolo"))
        out.append(n)
        i += 1
    if tremolo_bars:
        notes.append(f"{_bars_text(tremolo_bars)}: the {what}'s tremolo written as held notes")
    return out, notes


def _bars_text(bars: Sequence[int]) -> str:
    bars = sorted(set(bars))
    runs: list[list[int]] = []
    for b in bars:
        if runs and b == runs[-1][1] + 1:
            runs[-1][1] = b
        else:
            runs.append([b, b])
    text = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)
    return f"bar{'s' * (len(bars) > 1)} {text}"


def _below(pc: int, top: int, floor: int, taken: set[int]) -> int | None:
    """The highest pitch of class ``pc`` below ``top`` and at or above ``floor``."""
    p = top - 1
    while p >= floor:
        if p % 12 == pc and p not in taken:
            return p
        p -= 1
    return None


def _chord_near(sounding: Sequence[tuple[Fraction, Fraction, int]], start: Fraction,
                end: Fraction) -> tuple[ChordSymbol | None, dict[int, Fraction]]:
    weights, bass = pitch_weights(sounding, start, end)
    return best_chord(weights, bass), weights


def reduce_score(music: Music, *, melody_part: str | None = None,
                 prefer: Sequence[str] = ()) -> Reduction:
    """The piano reduction of ``music`` (a full score at concert pitch, see the module
    docstring)."""
    parts = pitched_parts(music)
    if not parts:
        raise InputError("the full score has no pitched part to reduce", field="parts",
                         value=", ".join(p.name for p in music.parts) or "none",
                         valid="a score with at least one pitched instrument")
    bar = bar_length(music)
    melody, runs, notes = find_melody(music, part=melody_part, prefer=prefer)
    melody, more = simplify_repeats(melody, what="melody", bar=bar)
    notes += more
    bass = find_bass(music, melody, runs)
    bass, more = simplify_repeats(bass, what="bass", bar=bar)
    notes += more
    sounding = [(n.onset, n.end, n.pitch) for p in parts for n in p.notes]

    right: list[Note] = []
    for m in melody:
        extra = 2 if m.duration >= 1 else 1 if m.duration >= FAST else 0
        chord, weights = _chord_near(sounding, m.onset, m.onset + min(m.duration, Fraction(1)))
        low = _melody_at(bass, m.onset)
        taken = {m.pitch}
        if chord is not None and extra:
            used = {m.pitch % 12} | ({low.pitch % 12} if low is not None else set())
            for pc in chord.essential():
                if extra == 0:
                    break
                if pc in used or not weights.get(pc):
                    continue
                floor = max(m.pitch - 12, (low.pitch + 3) if low is not None else 0, 52)
                p = _below(pc, m.pitch, floor, taken)
                if p is not None:
                    taken.add(p)
                    used.add(pc)
                    extra -= 1
        for p in sorted(taken):
            right.append(Note(m.onset, m.duration, p, m.velocity,
                              m.articulations if p == m.pitch else ()))

    filled: list[int] = []
    for b in bass:  # where the tune rests over a held bass, the right hand takes the chord
        start = (_bar_of(b.onset, bar) - 1) * bar  # a bar without the tune, not a gap in it
        end = max(start + bar, b.end)
        if b.duration < 1 or any(m.onset < end and m.end > start for m in melody):
            continue
        chord, weights = _chord_near(sounding, b.onset, b.onset + min(b.duration, Fraction(2)))
        if chord is None:
            continue
        tones = [pc for pc in chord.essential() if pc != b.pitch % 12 and weights.get(pc)]
        if len(tones) < 2:
            continue
        for pc in tones[:3]:
            right.append(Note(b.onset, b.duration, REST_CHORD_FLOOR + (pc - REST_CHORD_FLOOR)
                              % 12, b.velocity))
        filled.append(_bar_of(b.onset, bar))
    if filled:
        notes.append(f"{_bars_text(filled)}: the right hand holds the chord where the tune "
                     f"rests")
    right.sort()

    left: list[Note] = []
    placed_bass: list[Note] = []
    for b in bass:
        over = [n.pitch for n in right if n.onset < b.end and n.end > b.onset]
        ceiling = min(over) if over else 128
        pitch = b.pitch
        while pitch >= ceiling and pitch - 12 >= BASS_LOW - 4:
            pitch -= 12
        if pitch >= ceiling:
            continue  # the right hand sits there: the left hand rests
        b = replace(b, pitch=pitch)
        placed_bass.append(b)
        left.append(b)
        if b.duration < 1:
            continue
        chord, weights = _chord_near(sounding, b.onset, b.onset + min(b.duration, Fraction(2)))
        if chord is None:
            continue
        held = {n.pitch % 12 for n in right if n.onset < b.end and n.end > b.onset}
        for pc in chord.essential()[::-1]:  # fifth and root first: the left hand's tones
            if pc == b.pitch % 12 or pc in held or not weights.get(pc):
                continue
            p = _below(pc, min(b.pitch + 16, ceiling), b.pitch + 3, {b.pitch})
            if p is not None:
                left.append(Note(b.onset, b.duration, p, b.velocity))
                break

    marks = _melody_marks(music, runs, bar)
    return Reduction(tuple(sorted(right)), tuple(sorted(left)), tuple(melody),
                     tuple(placed_bass), tuple(runs), tuple(marks), tuple(notes))


def _melody_marks(music: Music, runs: Sequence[tuple[int, int, str]], bar: Fraction
                  ) -> list[Mark]:
    """The dynamics and hairpins of the part carrying the melody, while it carries it; a
    dynamic repeated is left out."""
    by_name = {p.name: p for p in music.parts}
    out: list[Mark] = []
    last_dynamic = None
    for first, last, name in runs:
        start, end = (first - 1) * bar, last * bar
        for mark in by_name[name].marks:
            if not start <= mark.onset < end:
                continue
            if mark.kind == "dynamic":
                if mark.value != last_dynamic:
                    out.append(mark)
                    last_dynamic = mark.value
            elif mark.kind in ("crescendo", "diminuendo") and mark.end is not None \
                    and mark.end <= end:
                out.append(mark)
    return out


def piano_music(music: Music, reduction: Reduction) -> Music:
    """The reduction as Music of two parts (right hand, left hand), the score's meter,
    key and tempo map kept."""
    right = Part("Right hand", reduction.right, program=0, instrument="piano",
                 marks=reduction.marks)
    left = Part("Left hand", reduction.left, program=0, instrument="piano")
    return Music(parts=(right, left), meter=music.meter, tempo_map=music.tempo_map,
                 title=music.title, key=music.key)
