"""Music with marks written as MIDI: velocities from dynamics and accents, CC 11/CC 1 along
hairpins, shortened staccatos, tremolos, GM programs for pizz./trem./con sord.; the tempo
map stays exact."""

from __future__ import annotations

from fractions import Fraction as F

import mido

from filmscore.formats.midi_music import read_music, write_music
from filmscore.formats.midi_tempo import read_tempo_midi, write_tempo_midi
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.writing.music import DYNAMICS, Mark, Music, Note, Part

PPQ = 960
TMAP = TempoMap("24", 86400, (Segment(2, Meter(4, 4), F(90)), Segment(2, Meter(3, 4), F(140))),
                count_in_bars=1)
LEAD = 4 * PPQ  # one 4/4 bar of count-in before bar 1


def _messages(path, name: str) -> list[tuple[int, mido.Message]]:
    """(absolute tick, message) of the track called ``name``."""
    midi = mido.MidiFile(str(path))
    track = next(t for t in midi.tracks if any(m.type == "track_name" and m.name == name
                                               for m in t))
    out, tick = [], 0
    for message in track:
        tick += message.time
        out.append((tick, message))
    return out


def _ons(messages) -> list[tuple[int, int, int]]:
    """(tick from bar 1, pitch, velocity) of every note_on."""
    return [(t - LEAD, m.note, m.velocity) for t, m in messages
            if m.type == "note_on" and m.velocity > 0]


def _write(tmp_path, *parts: Part, name: str = "cue.mid"):
    return write_music(Music(parts, meter=Meter(4, 4)), tmp_path / name, tempo_map=TMAP)


def test_dynamics_set_velocities_and_accents_raise_them(tmp_path):
    flute = Part("Flute", (Note(0, 1, 72, 30), Note(1, 1, 74, 30, ("accent",)),
                           Note(2, 1, 76, 30), Note(3, 1, 77, 30, ("strong-accent",)),
                           Note(4, 1, 79, 30), Note(5, 1, 81, 30)), program=73,
                 marks=(Mark(0, "dynamic", "p"), Mark(2, "dynamic", "f"),
                        Mark(4, "dynamic", "sfz"), Mark(5, "dynamic", "mp")))
    plain = Part("Oboe", (Note(0, 1, 60, 57), Note(1, 1, 62, 99)), program=68)
    path = _write(tmp_path, flute, plain)
    p, f, sfz, mp = (DYNAMICS[d] for d in ("p", "f", "sfz", "mp"))
    assert _ons(_messages(path, "Flute")) == [
        (0, 72, p), (PPQ, 74, p + 20), (2 * PPQ, 76, f), (3 * PPQ, 77, f + 28),
        (4 * PPQ, 79, sfz), (5 * PPQ, 81, mp)]
    # a part without dynamics plays its notes' own velocities
    assert _ons(_messages(path, "Oboe")) == [(0, 60, 57), (PPQ, 62, 99)]


def test_a_crescendo_on_strings_is_a_cc11_ramp_with_cc1_and_the_goal_velocity(tmp_path):
    # a held chord, crescendo from p over two bars to f: attacks at f, CC 11 climbs
    strings = Part("Strings", (Note(0, 8, 60), Note(0, 8, 64), Note(8, 4, 67)), program=48,
                   marks=(Mark(0, "dynamic", "p"), Mark(0, "crescendo", "", 8),
                          Mark(8, "dynamic", "f")))
    messages = _messages(_write(tmp_path, strings), "Strings")
    p, f = DYNAMICS["p"], DYNAMICS["f"]
    assert _ons(messages) == [(0, 60, f), (0, 64, f), (8 * PPQ, 67, f)]
    cc11 = [(t - LEAD, m.value) for t, m in messages
            if m.type == "control_change" and m.control == 11]
    values = [v for _, v in cc11]
    assert cc11[0] == (0, round(127 * p / f))  # the chord starts at p's level
    assert values == sorted(values) and values[-1] == 127  # rises to full at bar 3
    assert max(t for t, v in cc11) <= 8 * PPQ and len(cc11) > 20
    cc1 = [m.value for _, m in messages if m.type == "control_change" and m.control == 1]
    assert cc1[0] == 0 and 38 <= max(cc1) <= 40 and cc1[-1] == 0
    # CC changes come before the note-ons at the same tick
    first_on = next(i for i, (_, m) in enumerate(messages) if m.type == "note_on")
    assert any(m.type == "control_change" and m.control == 11 for _, m in messages[:first_on])


def test_a_diminuendo_holds_cc11_while_its_last_note_sounds(tmp_path):
    horn = Part("Horn", (Note(0, 2, 55), Note(2, 4, 57), Note(6, 2, 55)), program=60,
                marks=(Mark(0, "dynamic", "ff"), Mark(0, "diminuendo", "", 4)))
    messages = _messages(_write(tmp_path, horn), "Horn")
    ff, mf = DYNAMICS["ff"], DYNAMICS["mf"]  # no goal written: two steps down
    assert _ons(messages) == [(0, 55, ff), (2 * PPQ, 57, ff), (6 * PPQ, 55, mf)]
    cc11 = [(t - LEAD, m.value) for t, m in messages
            if m.type == "control_change" and m.control == 11]
    at_4 = [v for t, v in cc11 if t <= 4 * PPQ][-1]
    assert at_4 == round(127 * mf / ff)  # reached at the hairpin's end ...
    assert [v for t, v in cc11 if 4 * PPQ < t < 6 * PPQ] == []  # ... held on the note
    assert (6 * PPQ, 127) in cc11  # back to full when the held note ends


def test_a_hairpin_on_a_piano_moves_the_velocities(tmp_path):
    piano = Part("Piano", tuple(Note(q, 1, 60 + q) for q in range(5)), program=0,
                 marks=(Mark(0, "dynamic", "pp"), Mark(0, "crescendo", "", 4),
                        Mark(4, "dynamic", "ff")))
    messages = _messages(_write(tmp_path, piano), "Piano")
    velocities = [v for _, _, v in _ons(messages)]
    assert velocities[0] == DYNAMICS["pp"] and velocities[-1] == DYNAMICS["ff"]
    assert velocities == sorted(velocities) and len(set(velocities)) == 5
    assert not [m for _, m in messages if m.type == "control_change" and m.control in (1, 11)]


def test_staccato_shortens_tenuto_holds_and_tremolo_repeats(tmp_path):
    violin = Part("Violin", (Note(0, 1, 67, 80, ("staccato",)), Note(1, 1, 69, 80, ("tenuto",)),
                             Note(2, 2, 71, 80, ("staccatissimo",)),
                             Note(4, 1, 72, 80, ("staccato", "tenuto")),
                             Note(5, 1, 74, 80, ("tremolo",))), program=40)
    messages = _messages(_write(tmp_path, violin), "Violin")
    sounding = {}
    for t, m in messages:
        if m.type == "note_on" and m.velocity:
            sounding.setdefault(m.note, []).append([t, None])
        elif m.type in ("note_off", "note_on"):
            sounding[m.note][-1][1] = t
    length = {k: [e - s for s, e in v] for k, v in sounding.items()}
    assert length[67] == [PPQ // 2]  # staccato: half
    assert length[69] == [PPQ]  # tenuto: all of it
    assert length[71] == [PPQ // 4]  # staccatissimo: a sixteenth at most
    assert length[72] == [3 * PPQ // 4]  # portato
    assert length[74] == [PPQ // 8] * 8  # tremolo: 32nds
    velocities = [m.velocity for _, m in messages if m.type == "note_on" and m.note == 74]
    assert velocities == [80, 74] * 4


def test_pizz_and_trem_switch_the_gm_program_and_arco_returns(tmp_path):
    cello = Part("Cello", tuple(Note(q, 1, 48) for q in range(6)), program=42,
                 marks=(Mark(1, "technique", "pizz."), Mark(3, "technique", "arco"),
                        Mark(4, "technique", "trem."), Mark(5, "technique", "ord.")))
    trumpet = Part("Trumpet", (Note(0, 1, 67), Note(1, 1, 67)), program=56,
                   marks=(Mark(1, "technique", "con sord."),))
    flute = Part("Flute", (Note(0, 1, 72), Note(1, 1, 72)), program=73,
                 marks=(Mark(1, "technique", "pizz."),))  # no pizzicato flute in GM
    path = _write(tmp_path, cello, trumpet, flute)

    def programs(name):
        return [(max(0, t - LEAD), m.program) for t, m in _messages(path, name)
                if m.type == "program_change"]

    assert programs("Cello") == [(0, 42), (PPQ, 45), (3 * PPQ, 42), (4 * PPQ, 44),
                                 (5 * PPQ, 42)]
    assert programs("Trumpet") == [(0, 56), (PPQ, 59)]
    assert programs("Flute") == [(0, 73)]
    # the change comes before the note it is for
    cello = _messages(path, "Cello")
    at_pizz = [m.type for t, m in cello if t == LEAD + PPQ]
    assert at_pizz.index("program_change") < at_pizz.index("note_on")


def test_expression_keeps_the_tempo_map_exact_and_can_be_left_out(tmp_path):
    part = Part("Strings", (Note(0, 12, 60), Note(12, 3, 62, 80, ("staccato",))), program=48,
                marks=(Mark(0, "dynamic", "p"), Mark(0, "crescendo", "", 12)))
    path = _write(tmp_path, part)
    raw = write_music(Music((part,), meter=Meter(4, 4)), tmp_path / "raw.mid",
                      tempo_map=TMAP, expression=False)
    conductor = write_tempo_midi(TMAP, tmp_path / "tempo.mid")
    tracks = [mido.MidiFile(str(f)).tracks[0] for f in (path, raw, conductor)]
    assert tracks[0] == tracks[1] == tracks[2]  # the conductor track as midi_tempo writes it
    tmap, _ = read_tempo_midi(path, "24")  # the music's file runs longer: more 3/4 bars
    assert tmap.segments[0] == read_tempo_midi(conductor, "24")[0].segments[0]
    assert [(n.onset, n.duration, n.velocity) for n in read_music(raw).parts[0].notes] == [
        (n.onset, n.duration, n.velocity) for n in part.notes]
    played = read_music(path).parts[0].notes
    assert [(n.onset, n.duration) for n in played] == [(0, 12), (12, F(1, 2))]
