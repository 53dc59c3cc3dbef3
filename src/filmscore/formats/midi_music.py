"""Music as a Standard MIDI File (mido): notes, parts, programs and the tempo map.

Writing (type 1): track 0 is the conductor track exactly as ``formats.midi_tempo`` writes
a cue's tempo map (tempos, meters, SMPTE offset, count-in tag, "bar 1" and sync-point
markers; the title is its track name; a ``key_signature`` when the music has a key);
then one track per part: its name, a ``program_change`` on its channel (drums on channel
10, the others on 1-9 and 11-16 in part order), the notes as ``writing.performance``
plays the part's marks (velocities from dynamics and accents, lengths from staccato and
the like, CC 11 and CC 1 along hairpins, tremolos as 32nds, program changes for pizz.,
trem. and con sord.; a part without marks plays each note at its velocity and length), and
at the end of the music
on every channel All Notes Off (CC 123), then All Sound Off (CC 120) ``TAIL_SECONDS``
later.  FIELD-NOTES: without them a voice left sounding keeps FluidSynth's fast render
going forever; 123 lets the releases ring, 120 ends them, so a render stops at the music's
end plus the tail.  Tick 0 is the first click (bar 1 minus the count-in or pickup), so a
note's tick is ``lead_ticks + onset * ppq``.

Reading (type 0 or 1): one Part per track and channel that has notes; note_on/note_off
pairs (a note_on of velocity 0 is a note_off) with the note_on's velocity; a same-pitch
note that starts while one still sounds is a second note, and a note_off ends the
*earliest* sounding one (first in, first out, as pretty_midi does); a note never ended
ends at the end of its track; notes of zero length are dropped.  The program is the
channel's last ``program_change`` at or before the part's first note (else its first,
else 0); channel 10 is the drum kit.  Tempo map and bar 1 come from
``midi_tempo.read_tempo_midi`` (so our count-in tag is honoured); onsets and durations are
exact Fractions of quarter notes (ticks / ppq).

What a round trip loses: the marks (dynamics, hairpins, slurs, articulations, techniques:
they come back as the velocities and lengths they were played with, a tremolo as its
32nds), note times finer than a tick (written rounded to the nearest tick), note_off
velocities, program changes inside a part (the first one wins), controllers, pitch bend,
lyrics; parts beyond 15 melodic channels share a channel with
the part of the same program when there is one, else the channels are reused in turn
(two programs on one channel then sound with the later one); the ``instrument`` field of
a part (read back empty).  A part name is Latin-1 (SMF default).  Nested notes of one
pitch (A sounding over all of B) come back staggered (first in, first out): MIDI cannot
tell which note a note_off ends.  Everything ``midi_tempo`` loses about tempo maps; and the
map read back runs to the end of the file, so it gains the release tail's bars (at the
last tempo).

The conductor track is made by ``midi_tempo.conductor_midi``, as ``write_tempo_midi``
makes it, so the two writers cannot drift apart; a reader parses the file twice (once
here, once in ``read_tempo_midi``), which costs milliseconds.
"""

from __future__ import annotations

import os
from collections import defaultdict, deque
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from filmscore.errors import InputError, ParseError
from filmscore.fileio import atomic_path
from filmscore.formats.midi_tempo import Marker, conductor_midi, load_midi, read_tempo_midi
from filmscore.limits import check
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.timecode import Rate
from filmscore.writing.music import Music, Note, Part, require_notes
from filmscore.writing.performance import perform

DRUM_CHANNEL = 9  # channel 10 as musicians count
MELODIC_CHANNELS = tuple(c for c in range(16) if c != DRUM_CHANNEL)
TAIL_SECONDS = 3  # release tail between All Notes Off and All Sound Off
DEFAULT_RATE = "24"
DEFAULT_START_FRAME = 86400  # 01:00:00:00 at 24 fps: the usual first frame of a reel

#: mido key names <-> our (music21) spelling: flats are '-', minor keys lower case.
_MAJOR = ("C", "G", "D", "A", "E", "B", "F#", "C#", "F", "Bb", "Eb", "Ab", "Db", "Gb", "Cb")
_MINOR = ("A", "E", "B", "F#", "C#", "G#", "D#", "A#", "D", "G", "C", "F", "Bb", "Eb", "Ab")


def _key_to_mido(key: str) -> str | None:
    words = key.split()
    if len(words) != 2 or words[1].lower() not in ("major", "minor"):
        return None
    tonic = words[0][:1].upper() + words[0][1:].replace("-", "b")
    minor = words[1].lower() == "minor"
    if tonic not in (_MINOR if minor else _MAJOR):
        return None
    return tonic + ("m" if minor else "")


def _key_from_mido(key: str) -> str:
    minor = key.endswith("m")
    tonic = key[:-1] if minor else key
    tonic = tonic[0] + tonic[1:].replace("b", "-")
    return f"{tonic.lower()} minor" if minor else f"{tonic} major"


def default_tempo_map(music: Music) -> TempoMap:
    """The map used when neither the call nor the music gives one: 120 BPM in the music's
    meter, enough bars for its notes, its pickup as pickup beats, bar 1 at 01:00:00:00
    at 24 fps (the MIDI default tempo; the rate only matters for the SMPTE offset)."""
    meter = music.meter
    bar_quarters = meter.numerator * meter.beat_quarters
    first = min((n.onset for _, n in music.notes()), default=Fraction(0))
    pickup = 0
    if first < 0:
        pickup = (-first / meter.beat_quarters).__ceil__()
        if pickup >= meter.numerator:
            raise InputError("notes start more than a bar before bar 1", field="onset",
                             value=f"{first} quarters",
                             valid="a pickup shorter than a bar, or give a tempo map "
                                   "with a count-in")
    bars = max(1, (music.end / bar_quarters).__ceil__())
    return TempoMap.constant(DEFAULT_RATE, DEFAULT_START_FRAME, Fraction(120), bars,
                             meter=meter, pickup_beats=pickup)


def _lead_ticks(tmap: TempoMap, ppq: int) -> int:
    return max(1, round(ppq * tmap.segments[0].meter.beat_quarters)) * tmap.lead_beats


def _channels(parts: Sequence[Part]) -> list[int]:
    out: list[int] = []
    by_program: dict[int, int] = {}
    free = list(MELODIC_CHANNELS)
    turn = 0
    for part in parts:
        if part.is_drum:
            out.append(DRUM_CHANNEL)
            continue
        if free:
            channel = free.pop(0)
        elif part.program in by_program:
            channel = by_program[part.program]
        else:
            channel = MELODIC_CHANNELS[turn % len(MELODIC_CHANNELS)]
            turn += 1
        by_program.setdefault(part.program, channel)
        out.append(channel)
    return out


def write_music(music: Music, path: str | os.PathLike[str], *,
                tempo_map: TempoMap | None = None, ppq: int = 960,
                markers: Sequence[Marker] = (), expression: bool = True) -> Path:
    """Write ``music`` as a type 1 SMF at ``path`` (see the module docstring).

    The tempo map is ``tempo_map``, else the music's own, else :func:`default_tempo_map`.
    ``markers`` are (seconds from bar 1, text), as in ``write_tempo_midi``.  With
    ``expression`` (the default) the marks are played (``writing.performance``); without,
    every note at its own velocity and written length.
    """
    import mido

    require_notes(music, source=str(path))
    tmap = tempo_map or music.tempo_map or default_tempo_map(music)
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError("no such folder", source=str(path),
                         valid="a path in an existing folder you may write to")
    midi = conductor_midi(tmap, markers=markers, ppq=ppq, cue_label=music.title)
    lead = _lead_ticks(tmap, ppq)
    head = midi.tracks[0]
    if music.key and (key := _key_to_mido(music.key)):  # at tick 0: deltas unchanged
        head.insert(1 if head[0].type == "track_name" else 0,
                    mido.MetaMessage("key_signature", key=key, time=0))

    def tick_of(quarters: Fraction, what: str) -> int:
        tick = lead + round(quarters * ppq)
        if tick < 0:
            raise InputError("a note starts before the file (before the count-in or "
                             "pickup)", source=str(path), field=what,
                             value=f"{quarters} quarters from bar 1",
                             valid=f"at or after {Fraction(-lead, ppq)} quarters")
        return tick

    end_tick = max(tick_of(n.end, "end") for _, n in music.notes())
    last = tmap.segments[-1]
    tail_ticks = round(TAIL_SECONDS * last.tempo_at(Fraction(last.beats), tmap.rate) / 60
                       * last.meter.beat_quarters * ppq)
    music_end = music.end  # a property over every note: once
    for part, channel in zip(music.parts, _channels(music.parts), strict=True):
        # (tick, order, kind, a, b): note_off 0, program 1, controller 2, note_on 3
        events: list[tuple[int, int, str, int, int]] = []
        if expression:
            played = perform(part)
            notes = [(p.onset, p.onset + p.duration, p.pitch, p.velocity) for p in played.notes]
            for at, program in played.programs[1:]:
                events.append((tick_of(at, "technique"), 1, "program_change", program, 0))
            for control in played.controls:
                events.append((max(0, tick_of(min(control.at, music_end), "controller")), 2,
                               "control_change", control.control, control.value))
        else:
            notes = [(n.onset, n.end, n.pitch, n.velocity) for n in part.notes]
        for onset, end, pitch, velocity in notes:
            on = tick_of(onset, "onset")
            off = max(tick_of(end, "end"), on + 1)
            events.append((on, 3, "note_on", pitch, velocity))
            events.append((off, 0, "note_off", pitch, 0))
        events.sort()
        track = mido.MidiTrack()
        if part.name:
            track.append(mido.MetaMessage("track_name", name=_latin1(part.name)))
        if not part.is_drum:
            track.append(mido.Message("program_change", channel=channel, program=part.program))
        now = 0
        for tick, _order, kind, a, b in events:  # messages made once, with their delta
            if kind == "program_change":
                message = mido.Message(kind, channel=channel, program=a, time=tick - now)
            elif kind == "control_change":
                message = mido.Message(kind, channel=channel, control=a, value=b,
                                       time=tick - now)
            else:
                message = mido.Message(kind, channel=channel, note=a, velocity=b,
                                       time=tick - now)
            track.append(message)
            now = tick
        track.append(mido.Message("control_change", channel=channel, control=123, value=0,
                                  time=end_tick - now))
        track.append(mido.Message("control_change", channel=channel, control=120, value=0,
                                  time=tail_ticks))
        track.append(mido.MetaMessage("end_of_track", time=0))
        midi.tracks.append(track)
    with atomic_path(path) as tmp:
        midi.save(str(tmp))
    return path


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def _track_notes(track, lead: int, ppq: int, programs: dict[int, list[tuple[int, int]]],
                 *, source: str = "", number: int = 1
                 ) -> tuple[str, str, dict[int, list[Note]]]:
    """One track's name, key and notes by channel; its program changes go to ``programs``.
    A note longer than any film's (limits "duration_quarters": a note_on never ended in
    a track that runs for hours) or ending past "offset_quarters" is refused, naming the
    track and tick."""
    name = key = ""
    tick = 0
    sounding: dict[tuple[int, int], deque[tuple[int, int]]] = defaultdict(deque)
    notes: dict[int, list[Note]] = defaultdict(list)

    def close(channel: int, pitch: int, start: int, velocity: int, end: int) -> None:
        if end > start:
            where = f"track {number}, note {pitch} at tick {start}"
            duration = check("duration_quarters", Fraction(end - start, ppq), source=source,
                             field=where, what="note length in quarter notes")
            check("offset_quarters", Fraction(end, ppq), source=source, field=where,
                  what="note end in quarter notes")
            notes[channel].append(Note(Fraction(start - lead, ppq), duration, pitch,
                                       velocity))

    for message in track:
        tick += message.time
        kind = message.type
        if kind == "note_on" and message.velocity > 0:
            sounding[(message.channel, message.note)].append((tick, message.velocity))
        elif kind in ("note_off", "note_on"):
            queue = sounding.get((message.channel, message.note))
            if queue:
                start, velocity = queue.popleft()
                close(message.channel, message.note, start, velocity, tick)
        elif kind == "program_change":
            programs[message.channel].append((tick, message.program))
        elif kind == "track_name" and not name:
            name = message.name.strip()
        elif kind == "key_signature" and not key:
            key = _key_from_mido(message.key)
    for (channel, pitch), queue in sounding.items():
        for start, velocity in queue:
            close(channel, pitch, start, velocity, tick)
    return name, key, notes


def read_music(path: str | os.PathLike[str], *, rate: Rate | str = DEFAULT_RATE,
               start_frame: int | None = None) -> Music:
    """Read a type 0/1 SMF as Music (one Part per track and channel with notes).

    ``rate`` and ``start_frame`` go to ``read_tempo_midi`` (the tempo map's picture rate;
    bar 1's frame, else the file's SMPTE offset).  ParseError for an unreadable file,
    InputError when it has no notes.
    """
    source = str(path)
    midi = load_midi(path)  # read once, within the input limits
    if midi.type == 2:
        raise ParseError("type 2 MIDI files (independent sequences) are not supported",
                         source=source, field="type", value="2", valid="type 0 or 1")
    tmap, _markers = read_tempo_midi(source, rate, start_frame, midi=midi)
    ppq = midi.ticks_per_beat
    lead = _lead_ticks(tmap, ppq)
    title = key = ""
    programs: dict[int, list[tuple[int, int]]] = defaultdict(list)  # channel -> (tick, prog)
    found: list[tuple[int, int, str, list[Note]]] = []  # (track, channel, name, notes)
    for index, track in enumerate(midi.tracks):
        name, track_key, notes = _track_notes(track, lead, ppq, programs,
                                              source=source, number=index + 1)
        key = key or track_key
        if index == 0 and name and midi.type == 1 and not notes:
            title = name
        for channel in sorted(notes):
            found.append((index, channel, name, notes[channel]))
    per_track = defaultdict(int)
    for index, _, _, _ in found:
        per_track[index] += 1
    parts = []
    for index, channel, name, notes in found:
        first = min(n.onset for n in notes) * ppq + lead
        changes = sorted(programs.get(channel, []))
        before = [p for t, p in changes if t <= first]
        program = before[-1] if before else (changes[0][1] if changes else 0)
        label = name or f"Track {index + 1}"
        if per_track[index] > 1 or not name:
            label = f"{label} (channel {channel + 1})" if name else f"Channel {channel + 1}"
        parts.append(Part(label, tuple(notes), program=program,
                          is_drum=channel == DRUM_CHANNEL))
    music = Music(tuple(parts), meter=tmap.segments[0].meter if tmap.segments else Meter(),
                  tempo_map=tmap, title=title, key=key)
    return require_notes(music, source=source)
