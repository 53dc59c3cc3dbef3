"""Every mark of a short-score staff reaches every chair that plays it, balanced; a sketch
without dynamics gets them from its velocities; notes go to the grid the map was solved on."""

from __future__ import annotations

from fractions import Fraction

from lxml import etree

from filmscore.formats.musicxml import write_full_score
from filmscore.orchestration.brief import CueBrief
from filmscore.orchestration.chairmarks import _hairpins
from filmscore.orchestration.expression import LEVELS, balanced_level, shift_dynamic
from filmscore.orchestration.orchestrate import Orchestration, orchestrate
from filmscore.orchestration.quantize import quantize
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.music import Mark, Music, Note, Part

F = Fraction


def marked() -> Music:
    """Four bars in C: a tune with staccato and accents, p then a crescendo to f, a slur
    over bar 1; held chords mf with a diminuendo; a bass line, mf, pizz. then arco."""
    tune = [Note(F(i), F(1), p, 70, ("staccato",) if i % 2 else ())
            for i, p in enumerate((72, 74, 76, 77, 79, 77, 76, 74, 72, 71, 72, 74, 76, 74,
                                   72, 72))]
    tune[8] = Note(F(8), F(1), 72, 100, ("accent",))
    melody = Part("melody", tuple(tune), 40, marks=(
        Mark(F(0), "dynamic", "p"), Mark(F(0), "slur", end=F(3)),
        Mark(F(4), "crescendo", end=F(8)), Mark(F(8), "dynamic", "f")))
    chords = [Note(F(4 * b), F(4), p, 64) for b in range(4)
              for p in ((60, 64, 67), (62, 65, 69), (60, 64, 67), (59, 62, 67))[b]]
    pad = Part("pad", tuple(chords), 48, marks=(
        Mark(F(0), "dynamic", "mf"), Mark(F(12), "diminuendo", end=F(16))))
    bass = Part("bass", tuple(Note(F(2 * i), F(2), (36, 43)[i % 2], 80) for i in range(8)),
                43, marks=(Mark(F(0), "dynamic", "mf"), Mark(F(0), "technique", "pizz."),
                           Mark(F(8), "technique", "arco")))
    return Music((melody, pad, bass), meter=Meter(4, 4), key="C major", title="Marked",
                 tempo_map=TempoMap.constant("24", 0, F(96), 4, Meter(4, 4)))


def _part(result: Orchestration, label: str) -> Part:
    return next(p for p in result.full.parts if p.name == label)


def _dynamics(part: Part) -> list[tuple[Fraction, str]]:
    return [(m.onset, m.value) for m in part.marks if m.kind == "dynamic"]


def _balance(result: Orchestration, chair: str) -> int:
    found = [d for d in result.decisions if d.kind == "balance" and d.chair == chair]
    if not found:
        return 0
    steps = int(found[0].message.split("marked ")[1].split(" ")[0])
    return steps if " up from " in found[0].message else -steps


def test_every_mark_of_a_staff_reaches_each_chair_that_plays_it() -> None:
    result = orchestrate(marked(), "studio")
    tune_chairs = [p for p in result.full.parts if p.name in ("Violin I", "Oboe 1")]
    assert len(tune_chairs) == 2
    for part in tune_chairs:
        kinds = {m.kind for m in part.marks}
        assert {"dynamic", "slur", "crescendo"} <= kinds, part.name
        steps = _balance(result, part.name)
        assert _dynamics(part) == [(F(0), shift_dynamic("p", steps)),
                                   (F(8), shift_dynamic("f", steps))], part.name
        assert [n.articulations for n in part.notes][:3] == [(), ("staccato",), ()]
        assert "accent" in next(n for n in part.notes if n.onset == 8).articulations
    for name in ("Violin II", "Viola"):  # the pad: one step down, its hairpin kept
        part = _part(result, name)
        assert _dynamics(part) == [(F(0), "mp")]
        assert any(m.kind == "diminuendo" and (m.onset, m.end) == (12, 16)
                   for m in part.marks)
    cello = _part(result, "Cello")  # a technique of the staff, where it holds
    assert [(m.onset, m.value) for m in cello.marks if m.kind == "technique"] == \
        [(F(0), "pizz."), (F(8), "arco")]


def test_balance_brass_under_strings_lead_up_pad_down_each_listed() -> None:
    result = orchestrate(marked(), "studio", brief=CueBrief(
        "full orchestra, trumpets lead, horns"))
    trumpet, violin = _part(result, "Trumpet 1"), _part(result, "Violin I")
    assert _dynamics(trumpet)[0] == (F(0), "mp")  # the lead one step over the staff's p
    assert _dynamics(violin)[0] == (F(0), "p")
    horn, viola = _part(result, "Horn 1"), _part(result, "Viola")
    assert _dynamics(viola)[0] == (F(0), "mp")  # a pad one step down from mf
    assert _dynamics(horn)[0] == (F(0), "p")  # and the brass one more under the strings
    messages = {d.chair: d.message for d in result.decisions if d.kind == "balance"}
    assert "the lead line one step up" in messages["Trumpet 1"]
    assert "brass one step under the strings" in messages["Horn 1"]
    assert "a pad one step down" in messages["Viola"]
    louder = {n.onset: n.velocity for n in trumpet.notes}
    assert louder[F(0)] > marked().parts[0].notes[0].velocity  # the mockup follows


def test_a_change_of_the_staffs_level_stays_a_change_past_the_softest() -> None:
    """A pad's mp, a diminuendo, then p: the horns two steps down play pp > ppp (the bound
    at pp had printed pp > pp, a hairpin to the level it starts from)."""
    music = marked()
    pad = music.parts[1]
    pad = Part(pad.name, pad.notes, pad.program, marks=(
        Mark(F(0), "dynamic", "mp"), Mark(F(4), "diminuendo", end=F(8)),
        Mark(F(8), "dynamic", "p")))
    result = orchestrate(music.with_parts((music.parts[0], pad, music.parts[2])), "studio",
                         brief=CueBrief("full orchestra, trumpets lead, horns"))
    horn, viola = _part(result, "Horn 1"), _part(result, "Viola")
    assert _balance(result, "Horn 1") == -2 and _balance(result, "Viola") == -1
    assert _dynamics(horn) == [(F(0), "pp"), (F(8), "ppp")]
    assert _dynamics(viola) == [(F(0), "p"), (F(8), "pp")]
    assert any(m.kind == "diminuendo" and (m.onset, m.end) == (4, 8) for m in horn.marks)
    assert balanced_level(pad.marks, F(8), -2) == "ppp"
    assert balanced_level(pad.marks, F(8), -3) == "ppp"  # mp -> pp at the bound, p a step past
    assert balanced_level(pad.marks, F(0), -3) == "pp"  # a first level stays within it
    assert balanced_level((Mark(F(0), "dynamic", "ff"), Mark(F(4), "dynamic", "fff")),
                          F(4), 2) == "ffff"


def test_a_hairpin_that_starts_in_a_rest_starts_at_the_chairs_next_note() -> None:
    """The tune mf, a rest, subito p there and a crescendo to f: each tune chair writes p
    at its first note after the rest, where its hairpin now starts (inside the hairpin
    nothing is written: the p was lost and the part read "mf < f")."""
    music = marked()
    tune = tuple(n for n in music.parts[0].notes if n.onset != 4)
    melody = Part("melody", tune, 40, marks=(
        Mark(F(0), "dynamic", "mf"), Mark(F(4), "dynamic", "p"),
        Mark(F(4), "crescendo", end=F(8)), Mark(F(8), "dynamic", "f")))
    result = orchestrate(music.with_parts((melody, *music.parts[1:])), "studio")
    for name in ("Violin I", "Oboe 1"):
        part, steps = _part(result, name), _balance(result, name)
        assert _dynamics(part) == [(F(0), shift_dynamic("mf", steps)),
                                   (F(5), shift_dynamic("p", steps)),
                                   (F(8), shift_dynamic("f", steps))], name
        assert [(m.onset, m.end) for m in part.marks if m.kind == "crescendo"] == \
            [(F(5), F(8))], name


def test_a_struck_chair_keeps_a_hairpin_only_where_it_strikes_or_rolls() -> None:
    """A drum's stroke ringing into a crescendo cannot grow; strokes or a roll can."""
    swell = Mark(F(1), "crescendo", end=F(4))
    ringing = [Note(F(0), F(2), 45), Note(F(4), F(1), 45)]
    strokes = [Note(F(0), F(1), 45), Note(F(2), F(1), 45), Note(F(4), F(1), 45)]
    roll = [Note(F(0), F(4), 45, articulations=("tremolo",)), Note(F(4), F(1), 45)]
    for notes, struck, kept in ((ringing, True, False), (ringing, False, True),
                                (strokes, True, True), (roll, True, True)):
        assert bool(_hairpins([(None, notes, (swell,), 0)], struck=struck)) == kept


def test_a_sketch_without_dynamics_gets_them_from_its_velocities() -> None:
    plain = marked()
    plain = plain.with_parts(Part(p.name, p.notes, p.program) for p in plain.parts)
    result = orchestrate(plain, "studio")
    violin = _part(result, "Violin I")
    assert _dynamics(violin)[0] == (F(0), "mp")  # velocity 70 sits nearest mp (64)
    assert "accent" in next(n for n in violin.notes if n.onset == 8).articulations  # a hit
    read = [d for d in result.decisions if d.kind == "dynamics"]
    assert {d.staff for d in read} == {"melody", "pad", "bass"}
    assert "read from its velocities" in read[0].message


def test_dynamics_shift_along_the_scale_and_stay_playable() -> None:
    assert shift_dynamic("mf", 1) == "f" and shift_dynamic("p", -2) == "pp"
    assert shift_dynamic("fff", 1) == "fff" and shift_dynamic("sfz", -1) == "sfz"
    assert LEVELS.index("mp") < LEVELS.index("mf")


# --- the grid ---------------------------------------------------------------------------------


def test_quantize_to_the_solved_subdivision_and_list_every_move() -> None:
    notes = (Note(F(0), F(1, 2), 60), Note(F(1, 2), F(1, 4), 62),  # eighth, sixteenth
             Note(F(7, 8), F(1, 8), 64),  # a thirty-second: written as it is
             Note(F(2), F(1, 3), 65), Note(F(7, 3), F(1, 3), 67), Note(F(8, 3), F(1, 3), 69),
             Note(F(39, 2), F(137, 960), 72),  # a button ending off the grid
             Note(F(5) + F(1, 12), F(1, 2), 74))  # a hit a few ticks late, alone
    part, moves = quantize(Part("melody", notes), subdivision=2, beat=F(1))
    kept = {(n.onset, n.duration) for n in part.notes}
    assert {(F(0), F(1, 2)), (F(1, 2), F(1, 4)), (F(7, 8), F(1, 8))} <= kept
    assert {(F(2), F(1, 3)), (F(7, 3), F(1, 3)), (F(8, 3), F(1, 3))} <= kept  # triplets
    assert (F(39, 2), F(1, 2)) in kept and (F(5), F(1, 2)) in kept
    assert [m.pitch for m in moves] == [74, 72]
    assert moves[0].text.startswith("starts on the eighth (61/12 -> 5)")
    assert moves[1].text == "lasts 1/2 (was 137/960)"
    sixteenths, _ = quantize(Part("x", (Note(F(5) + F(1, 12), F(1, 2), 74),)),
                             subdivision=4, beat=F(1))
    assert sixteenths.notes[0].onset == 5


def test_a_hit_off_the_grid_is_not_written_as_a_tuplet(tmp_path) -> None:
    """The issue's 1M1 bar 5: a button of 137/960 of a quarter came out as a sixteenth-note
    triplet; on the eighth grid the map was solved on it is an eighth."""
    short = Music((Part("melody", (Note(F(0), F(19, 2), 62),
                                   Note(F(39, 2), F(137, 960), 62, 120))),
                   Part("bass", (Note(F(0), F(39, 2), 38), Note(F(39, 2), F(137, 960), 38)))),
                  meter=Meter(4, 4), key="d minor",
                  tempo_map=TempoMap.constant("24", 0, F(2000, 21), 5, Meter(4, 4)))
    result = orchestrate(short, "studio")
    path = write_full_score(result.full, tmp_path / "full.musicxml")
    root = etree.parse(str(path)).getroot()
    assert not root.findall(".//time-modification")
    moves = [d for d in result.decisions if d.kind == "quantize"]
    assert len(moves) == 2 and all("bar 5 beat 4+1/2" in d.message for d in moves)
