"""Playability check of a full score: ranges, too many notes, concert-pitch slips, doubles.

``check_score(survey)`` takes a :class:`~filmscore.formats.score_survey.ScoreSurvey`
(plain values read once from MusicXML) and returns a :class:`CheckReport` of
:class:`Flag` s.  Pure: no file is read or written here.

What it looks for (the rules are the tables below, read by the code):

* ``out_of_range`` (error): a note at sounding pitch outside the instrument's professional
  range; ``professional_range`` (warning): inside it but outside the practical range.
* ``too_many_notes``: more notes sounding at once than the part's players can play.
  Strings: two notes per part are a double stop (a warning when both lie below the second
  string, so on one string), three or four a warning (divisi or a broken chord), more an
  error.  Winds, brass, voices: more notes than players is an error.  Keyboards, harp,
  mallets, timpani have a per-player limit (``MAX_NOTES_PER_PLAYER``).
* ``concert_pitch_suspect``: a transposing instrument whose file declares no
  transposition, in the same key as the score's concert-pitch parts (warning: probably
  written at concert pitch by mistake), or in the key its transposition implies (info: the
  file just lacks ``<transpose>``; its range is then checked with that transposition);
  and a part whose notes fall far outside the range as transposed while the other reading
  fits (warning).
* ``impossible_double``: a change of instrument (or of mute, brass only) with less rest
  than ``CHANGE_SECONDS`` says it takes, seconds from the score's tempo marks.
* ``unidentified_part`` (warning) and ``empty_part`` (info: a tacet part, normal in a
  full score) are parts not checked.  Unpitched percussion is not checked either, named
  by the table or not (a triangle, the drums of a percussionist's staff): it is listed
  with the parts skipped, not flagged (nothing in it can be out of range).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.orchestration.instruments import Instrument, get_instrument
from filmscore.orchestration.survey import PartSurvey, ScoreSurvey, SurveyNote

KINDS: tuple[str, ...] = (
    "out_of_range", "professional_range", "too_many_notes", "concert_pitch_suspect",
    "impossible_double", "unidentified_part", "empty_part",
)  # fmt: skip
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

SEVERITY: dict[str, str] = {
    "out_of_range": "error",
    "professional_range": "warning",
    "too_many_notes": "error",  # strings: 3-4 notes and one-string double stops are warnings
    "concert_pitch_suspect": "warning",  # info when the key fits the transposition
    "impossible_double": "error",
    "unidentified_part": "warning",
    "empty_part": "info",
}
"""Default severity per kind; the rules above say where a flag takes another."""

CHANGE_SECONDS: dict[frozenset[str], int] = {
    frozenset({"flute", "piccolo"}): 4,
    frozenset({"flute", "alto_flute"}): 4,
    frozenset({"piccolo", "alto_flute"}): 5,
    frozenset({"oboe", "english_horn"}): 5,
    frozenset({"clarinet_bb", "clarinet_a"}): 5,
    frozenset({"clarinet_bb", "bass_clarinet"}): 8,
    frozenset({"clarinet_a", "bass_clarinet"}): 8,
    frozenset({"bassoon", "contrabassoon"}): 8,
    frozenset({"soprano_sax", "alto_sax"}): 8,
    frozenset({"alto_sax", "tenor_sax"}): 8,
    frozenset({"alto_sax", "flute"}): 8,
    frozenset({"alto_sax", "clarinet_bb"}): 8,
    frozenset({"tenor_sax", "clarinet_bb"}): 8,
    frozenset({"tenor_sax", "flute"}): 8,
    frozenset({"baritone_sax", "bass_clarinet"}): 8,
    frozenset({"trumpet_bb", "trumpet_c"}): 3,
    frozenset({"trombone", "bass_trombone"}): 5,
    frozenset({"glockenspiel", "xylophone"}): 3,
    frozenset({"glockenspiel", "vibraphone"}): 4,
    frozenset({"xylophone", "marimba"}): 4,
    frozenset({"vibraphone", "marimba"}): 4,
    frozenset({"tubular_bells", "glockenspiel"}): 4,
    frozenset({"piano", "celesta"}): 3,
}  # fmt: skip
"""Seconds of rest a player needs to put one instrument down and play the other (warm
instrument, reed wet, in tune): orchestrators' usual figures, not measurements."""

DEFAULT_CHANGE_SECONDS = 10
"""For a change the table does not list (an unusual double)."""

MUTE_SECONDS: dict[str, int] = {"trumpet_bb": 3, "trumpet_c": 3, "trombone": 4,
                                "bass_trombone": 5, "horn": 3, "tuba": 6}
"""Seconds to put in or take out a mute; strings (a few seconds, often done while
resting briefly) are not checked."""

MAX_NOTES_PER_PLAYER: dict[str, int] = {
    "timpani": 2, "glockenspiel": 4, "xylophone": 4, "vibraphone": 4, "marimba": 4,
    "tubular_bells": 2, "harp": 8, "celesta": 10, "piano": 10, "acoustic_guitar": 6,
    "electric_guitar": 6, "electric_bass": 2, "synth_pad": 10,
}  # fmt: skip
"""Notes one player can sound at once; any instrument not listed (winds, brass, voices)
plays one."""

STRING_OPEN: dict[str, tuple[int, ...]] = {
    "violin": (55, 62, 69, 76), "viola": (48, 55, 62, 69),
    "cello": (36, 43, 50, 57), "double_bass": (28, 33, 38, 43),
}  # fmt: skip
"""Open strings at sounding pitch (double bass sounds an octave below its part)."""

STRING_CHORD_WARNING = 4
"""Strings: up to 2 notes are a double stop; 3 up to this many a warning; more an error."""

SUSPECT_SHARE = Fraction(1, 10)
"""A reading of a part whose notes fall outside the professional range this often (and
never in the other reading) is suspect."""

_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def pitch_name(midi: int) -> str:
    """MIDI number as a note name with octave: 60 -> "C4", 70 -> "Bb4"."""
    return f"{_NAMES[midi % 12]}{midi // 12 - 1}"


def _beat_text(beat: Fraction) -> str:
    if beat.denominator == 1:
        return str(beat.numerator)
    return f"{float(beat):.3g}"


RUN_QUARTERS = Fraction(16)
"""Like flags of a part at most this many quarter notes apart are shown as one run."""


@dataclass(frozen=True)
class Flag:
    """One thing a copyist or orchestrator should look at."""

    kind: str
    severity: str
    part: str
    measure: str
    beat: Fraction
    message: str
    onset: Fraction = Fraction(0)
    part_index: int = 0

    def sort_key(self) -> tuple[int, Fraction, int, str]:
        return (self.part_index, self.onset, KINDS.index(self.kind), self.message)


@dataclass(frozen=True)
class CheckReport:
    """The flags of one score, sorted by part (score order of the file) and time."""

    source: str
    flags: tuple[Flag, ...]
    parts_checked: tuple[str, ...]
    parts_skipped: tuple[tuple[str, str], ...]  # (part name, reason)
    notes: tuple[str, ...] = field(default=())  # assumptions the check made

    @property
    def counts(self) -> dict[str, int]:
        """Flags per kind, every kind present (0 when none)."""
        found = Counter(f.kind for f in self.flags)
        return {kind: found.get(kind, 0) for kind in KINDS}

    @property
    def severity_counts(self) -> dict[str, int]:
        found = Counter(f.severity for f in self.flags)
        return {sev: found.get(sev, 0) for sev in SEVERITIES}

    def of_kind(self, kind: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.kind == kind)

    def grouped(self) -> list[tuple[Flag, int, Flag]]:
        """Runs of like flags: (first, how many, last) for flags of one part and kind that
        follow each other within ``RUN_QUARTERS`` (a long high passage is one run)."""
        runs: list[list[Flag]] = []
        for flag in self.flags:
            last = runs[-1][-1] if runs else None
            if last is not None and (last.part_index, last.kind, last.severity) == \
                    (flag.part_index, flag.kind, flag.severity) and \
                    flag.onset - last.onset <= RUN_QUARTERS:
                runs[-1].append(flag)
            else:
                runs.append([flag])
        return [(run[0], len(run), run[-1]) for run in runs]

    def _head(self) -> list[str]:
        sev = self.severity_counts
        lines = [f"{self.source}: {len(self.parts_checked)} parts checked, "
                 f"{len(self.parts_skipped)} skipped; {sev['error']} errors, "
                 f"{sev['warning']} warnings, {sev['info']} info"]
        counts = ", ".join(f"{k} {n}" for k, n in self.counts.items() if n)
        lines.append(f"flags per kind: {counts or 'none'}")
        for name, reason in self.parts_skipped:
            lines.append(f"skipped {name}: {reason}")
        lines.extend(f"note: {text}" for text in self.notes)
        return lines

    def summary(self, *, limit: int | None = None, grouped: bool = False) -> list[str]:
        """Text lines: totals, counts per kind, skipped parts, assumptions, then a line per
        flag (with ``grouped``, a line per run of like flags: see :meth:`grouped`)."""
        if grouped:
            runs = self.grouped()
            shown_runs = runs if limit is None else runs[:limit]
            lines = self._head() + [
                f"{first.severity:<7} {first.kind:<21} {first.message}"
                + (f" (and {count - 1} more like it to bar {last.measure})" if count > 1
                   else "")
                for first, count, last in shown_runs]
            if len(shown_runs) < len(runs):
                lines.append(f"... and {len(runs) - len(shown_runs)} more runs of flags")
            return lines
        shown = self.flags if limit is None else self.flags[:limit]
        lines = self._head() + [f"{f.severity:<7} {f.kind:<21} {f.message}" for f in shown]
        if len(shown) < len(self.flags):
            lines.append(f"... and {len(self.flags) - len(shown)} more flags")
        return lines


# --- helpers -------------------------------------------------------------------------


def _the(inst: Instrument, part: PartSurvey | None = None) -> str:
    name = inst.name
    if part is not None and part.nominal_key is not None \
            and part.nominal_key != inst.transposition_semitones % 12:
        name = name.split(" in ")[0]  # a horn in C is not "the horn in F"
    words = name.split()
    kept = [w if w in ("English", "French") or len(w) <= 2 and w != "in" else w.lower()
            for w in words]
    return "the " + " ".join(kept)


def _expected_transposition(part: PartSurvey, inst: Instrument) -> int:
    """The transposition the part's name implies: "Horn in E-flat" -> -9, else the row's."""
    row = inst.transposition_semitones
    if part.nominal_key is None:
        return row
    candidates = [part.nominal_key + 12 * k for k in range(-3, 3)]
    return min(candidates, key=lambda t: (abs(t - row), t))


def _concert_key(survey: ScoreSurvey, instruments: dict[int, Instrument]) -> int | None:
    """Most common opening key signature (fifths) among the concert-pitch parts."""
    votes: Counter[int] = Counter()
    for index, part in enumerate(survey.parts):
        inst = instruments.get(index)
        if inst is None or inst.is_unpitched or not part.key_signatures:
            continue
        declared = part.declared_transposition or 0
        if declared % 12 == 0 and _expected_transposition(part, inst) % 12 == 0:
            votes[part.key_signatures[0][1]] += 1
    return votes.most_common(1)[0][0] if votes else None


def _out_count(notes: tuple[SurveyNote, ...], shift: int, inst: Instrument) -> int:
    low, high = inst.range("professional")
    return sum(1 for n in notes if not low <= n.pitch + shift <= high)


def _segments(part: PartSurvey, key: str) -> list[tuple[Fraction | None, str]]:
    """(from onset, instrument key) in order; the first starts at None (the beginning)."""
    out: list[tuple[Fraction | None, str]] = [(None, key)]
    for change in part.changes:
        if change.instrument_key:
            out.append((change.onset, change.instrument_key))
    return out


def _instrument_at(segments: list[tuple[Fraction | None, str]], onset: Fraction) -> str:
    current = segments[0][1]
    for start, key in segments[1:]:
        if start is not None and onset >= start:
            current = key
    return current


# --- the rules ---------------------------------------------------------------------------


def _range_flags(part: PartSurvey, index: int, shift: int,
                 segments: list[tuple[Fraction | None, str]]) -> list[Flag]:
    flags = []
    for n in part.notes:
        inst = get_instrument(_instrument_at(segments, n.onset))
        pitch = n.pitch + shift
        where = f"{part.name}, bar {n.measure} beat {_beat_text(n.beat)}"
        for kind, level in (("out_of_range", "professional"), ("professional_range",
                                                               "practical")):
            low, high = inst.range(level)
            if pitch > high or pitch < low:
                side, edge = ("above", f"top {pitch_name(high)}") if pitch > high else \
                    ("below", f"bottom {pitch_name(low)}")
                flags.append(Flag(kind, SEVERITY[kind], part.name, n.measure, n.beat,
                                  f"{where}: {pitch_name(pitch)} {side} {_the(inst, part)}'s "
                                  f"{level} range ({edge})", n.onset, index))
                break
    return flags


def _simultaneous(part: PartSurvey) -> list[tuple[SurveyNote, list[int]]]:
    """(first note starting at an onset, distinct pitches sounding then) per onset."""
    notes = sorted((n for n in part.notes if not n.grace and n.duration > 0),
                   key=lambda n: (n.onset, n.pitch))
    out = []
    active: list[SurveyNote] = []
    i = 0
    while i < len(notes):
        onset = notes[i].onset
        active = [n for n in active if n.end > onset]
        first = notes[i]
        while i < len(notes) and notes[i].onset == onset:
            active.append(notes[i])
            i += 1
        out.append((first, sorted({n.pitch for n in active})))
    return out


def _chord_flags(part: PartSurvey, index: int, key: str) -> list[Flag]:
    inst = get_instrument(key)
    flags = []
    players = part.players or 1
    for first, pitches in _simultaneous(part):
        count = len(pitches)
        if count < 2:
            continue
        where = f"{part.name}, bar {first.measure} beat {_beat_text(first.beat)}"
        names = " ".join(pitch_name(p) for p in pitches)
        severity = message = None
        if inst.section == "strings":
            open_strings = STRING_OPEN.get(inst.key)
            if count == 2 and open_strings and pitches[1] < open_strings[1]:
                severity = "warning"
                message = (f"{where}: double stop {names} both below the "
                           f"{pitch_name(open_strings[1])} string (one string: divisi?)")
            elif 3 <= count <= STRING_CHORD_WARNING:
                severity = "warning"
                message = f"{where}: {count}-note chord {names} (divisi or broken chord)"
            elif count > STRING_CHORD_WARNING:
                severity = "error"
                message = f"{where}: {count} notes at once ({names}) in a string part"
        else:
            limit = players * MAX_NOTES_PER_PLAYER.get(inst.key, 1)
            if count > limit:
                severity = SEVERITY["too_many_notes"]
                who = f"{players} player" + ("s" if players != 1 else "")
                message = (f"{where}: {count} notes at once ({names}) for {who} "
                           f"(guessed: {part.players_from})")
        if message and severity:
            flags.append(Flag("too_many_notes", severity, part.name, first.measure,
                              first.beat, message, first.onset, index))
    return flags


def _double_flags(survey: ScoreSurvey, part: PartSurvey, index: int, key: str) -> list[Flag]:
    flags = []
    current = key
    timed = [n for n in part.notes if not n.grace]
    for change in part.changes:
        before = [n for n in timed if n.onset < change.onset]
        after = [n for n in timed if n.onset >= change.onset]
        new = change.instrument_key or current
        if change.mute:
            needed = MUTE_SECONDS.get(current)
            what = f"the mute ({change.text!r})"
        else:
            needed = CHANGE_SECONDS.get(frozenset({current, new}), DEFAULT_CHANGE_SECONDS)
            what = f"{get_instrument(new).name} ({change.text!r})"
        old = current
        current = new
        if needed is None or not before or not after:
            continue
        last = max(before, key=lambda n: n.end)
        first = min(after, key=lambda n: n.onset)
        gap = survey.seconds(last.end, first.onset) if first.onset > last.end else Fraction(0)
        if gap < needed:
            where = f"{part.name}, bar {first.measure} beat {_beat_text(first.beat)}"
            flags.append(Flag(
                "impossible_double", SEVERITY["impossible_double"], part.name, first.measure,
                first.beat,
                f"{where}: {float(gap):.1f} s from the last {get_instrument(old).name} note "
                f"(bar {last.measure}) to {what}; the change needs about {needed} s",
                first.onset, index))
    return flags


def _check_part(survey: ScoreSurvey, part: PartSurvey, index: int, inst: Instrument,
                concert: int | None) -> tuple[list[Flag], str | None]:
    """Flags of one identified pitched part, and an assumption made (or None)."""
    flags: list[Flag] = []
    note = None
    expected = _expected_transposition(part, inst)
    shift = 0  # added to the survey's sounding pitch for the range check
    suspect = False
    first_note = part.notes[0]
    here = (part.name, first_note.measure, first_note.beat)
    fifths = part.key_signatures[0][1] if part.key_signatures else None
    if part.declared_transposition is None and not part.transpositions and expected % 12:
        written_key = None if concert is None else (concert - 7 * expected)
        if fifths is not None and concert is not None and fifths == concert:
            flags.append(Flag("concert_pitch_suspect", "warning", *here,
                              f"{part.name}: {inst.name} part with no transposition in the "
                              f"file and the same key signature ({fifths:+d} fifths) as the "
                              f"concert-pitch parts: written at concert pitch by mistake?",
                              Fraction(-1), index))
        elif fifths is not None and written_key is not None \
                and (fifths - written_key) % 12 == 0:
            shift = expected
            note = (f"{part.name}: no <transpose> in the file; read as {inst.name} "
                    f"({expected:+d} semitones) because its key signature fits")
            flags.append(Flag("concert_pitch_suspect", "info", *here,
                              f"{part.name}: the file declares no transposition but the key "
                              f"signature ({fifths:+d}) is that of {inst.name}; checked as "
                              f"sounding {expected:+d} semitones from written",
                              Fraction(-1), index))
        elif len(part.notes) >= 10:
            out_plain = _out_count(part.notes, 0, inst)
            out_moved = _out_count(part.notes, expected, inst)
            if out_plain >= max(3, len(part.notes) * SUSPECT_SHARE) and out_moved == 0:
                suspect, shift = True, expected
    elif len(part.notes) >= 10:
        declared = part.declared_transposition or 0
        out_declared = _out_count(part.notes, 0, inst)
        out_written = _out_count(part.notes, -declared, inst) if declared else out_declared
        if declared and out_declared >= max(3, len(part.notes) * SUSPECT_SHARE) \
                and out_written == 0:
            suspect, shift = True, -declared
    if suspect:
        flags.append(Flag("concert_pitch_suspect", "warning", *here,
                          f"{part.name}: {_out_count(part.notes, 0, inst)} of "
                          f"{len(part.notes)} notes lie outside {_the(inst)}'s range as the "
                          f"file transposes them, none when read {shift:+d} semitones: "
                          f"transposition wrong in the file?", Fraction(-1), index))
        note = f"{part.name}: range checked {shift:+d} semitones from the file's reading"
    segments = _segments(part, inst.key)
    flags += _range_flags(part, index, shift, segments)
    flags += _chord_flags(part, index, inst.key)
    flags += _double_flags(survey, part, index, inst.key)
    return flags, note


def check_score(survey: ScoreSurvey, *, strict: bool = False) -> CheckReport:
    """Check every part of ``survey`` for playability (see the module docstring).

    With ``strict``, a part whose instrument is not identified, or a part with no notes,
    is an InputError naming the file and the part instead of a flag.
    """
    flags: list[Flag] = []
    checked: list[str] = []
    skipped: list[tuple[str, str]] = []
    notes: list[str] = []
    if survey.tempo_defaulted:
        notes.append("no tempo mark in the file: change times assume 120 quarter notes "
                     "per minute")
    instruments: dict[int, Instrument] = {}
    for index, part in enumerate(survey.parts):
        if part.instrument_key:
            instruments[index] = get_instrument(part.instrument_key)
    concert = _concert_key(survey, instruments)
    for index, part in enumerate(survey.parts):
        inst = instruments.get(index)
        if not part.notes and not part.unpitched_notes:
            if strict:
                raise InputError(f"part {part.name!r} has no notes", source=survey.source,
                                 valid="parts with notes (or check without strict)")
            skipped.append((part.name, "no notes (tacet)"))
            flags.append(Flag("empty_part", SEVERITY["empty_part"], part.name, "", Fraction(0),
                              f"{part.name}: no notes (tacet part)", Fraction(-1), index))
            continue
        if inst is None:
            if not part.notes:  # a percussionist's drums: nothing to check, as below
                skipped.append((part.name, "unpitched percussion not in the instrument table"))
                continue
            if strict:
                raise InputError(f"unknown instrument in part {part.name!r}",
                                 source=survey.source, field="part-name", value=part.name,
                                 valid="an instrument of filmscore's table (or its alias)")
            skipped.append((part.name, "instrument not identified from its names"))
            flags.append(Flag("unidentified_part", SEVERITY["unidentified_part"], part.name,
                              "", Fraction(0), f"{part.name}: instrument not identified "
                              f"(name {part.name!r}); not checked", Fraction(-1), index))
            continue
        if inst.is_unpitched or not part.notes:
            skipped.append((part.name, "unpitched percussion"))
            continue
        part_flags, note = _check_part(survey, part, index, inst, concert)
        flags += part_flags
        if note:
            notes.append(note)
        checked.append(part.name)
    flags.sort(key=Flag.sort_key)
    return CheckReport(source=survey.source, flags=tuple(flags), parts_checked=tuple(checked),
                       parts_skipped=tuple(skipped), notes=tuple(notes))
