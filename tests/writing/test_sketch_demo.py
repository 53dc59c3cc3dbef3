"""The demo's sketches as the demo makes them: every Popeye cue on a map solved in the meter
its notes ask for, with the subtitles as dialogue; meters, grid, dynamics, marks."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.formats.spotting_csv import read_spotting_csv
from filmscore.spotting.picture import read_dialogue
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.timecode import get_rate
from filmscore.writing.cuetime import frame_quarters, hit_quarters, meter_for
from filmscore.writing.expression import velocity_for
from filmscore.writing.mood import LEVELS, dialogue_spans
from filmscore.writing.music import Music
from filmscore.writing.sketch import DEMO_PLANS, load_demo_themes, sketch_cue

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "popeye1936"
RATE = get_rate("24")
GRID = Fraction(1, 2)  # the demo solves on eighths


def _solved(cue) -> TempoMap:
    """The demo's way (demo._sync_stage, sync.service.solve_for_cue): in the cue's meter,
    on eighths, 60-160 BPM, one bar of count-in."""
    from filmscore.sync.service import solve_cue

    tmap, _ = solve_cue(cue, rate=RATE, start_frame=cue.start_frame, meter=meter_for(cue),
                        tempo_range=(Fraction(60), Fraction(160)), subdivision=2)
    return dataclasses.replace(tmap, count_in_bars=1)


def demo_sketches(numbers: Iterable[str] | None = None) -> dict[str, tuple]:
    """Every demo cue (or those ``numbers``) sketched as the demo sketches it: number ->
    (cue, tempo map, music, dialogue).  Also read by test_sketch_shortscore.py and
    bench/check_demo_themes.py."""
    wanted = None if numbers is None else set(numbers)
    themes = load_demo_themes(DEMO / "themes")
    markers = read_dialogue([DEMO / f"part{k}.eng.srt" for k in range(1, 5)], rate=RATE,
                            offsets=[86400 + 1440 * k for k in range(4)])
    dialogue = [(m.frame, m.end_frame, m.text) for m in markers]
    out = {}
    for cue in read_spotting_csv(DEMO / "spotting.csv", "24"):
        if wanted is not None and str(cue.number) not in wanted:
            continue
        tmap = _solved(cue)
        music = sketch_cue(cue, tmap, themes, plan=DEMO_PLANS[str(cue.number)],
                           dialogue=dialogue)
        out[str(cue.number)] = (cue, tmap, music, dialogue)
    return out


@pytest.fixture(scope="module")
def demo() -> dict[str, tuple]:
    return demo_sketches()


def _parts(music: Music) -> dict:
    return {p.name: p for p in music.parts}


def test_each_cue_is_in_the_meter_its_notes_ask_for(demo):
    meters = {number: music.meter for number, (_c, _t, music, _d) in demo.items()}
    assert meters.pop("1M2") == Meter(2, 4)  # "bouncy 2/4"
    assert meters.pop("1M11s") == Meter(3, 4)  # "in 3/4"
    assert set(meters.values()) == {Meter(4, 4)}
    for _cue, tmap, music, _ in demo.values():
        assert {s.meter for s in tmap.segments} == {music.meter}


def test_hard_hits_land_within_a_frame_as_strong_events(demo):
    for number, (cue, tmap, music, _) in demo.items():
        drums = {n.onset for n in _parts(music)["percussion"].notes}
        for s in cue.sync_points:
            if s.kind != "hard":
                continue
            q = hit_quarters(tmap, s.frame, GRID)
            assert q in drums, (number, s.description)
            bar = music.meter.numerator * music.meter.beat_quarters
            beats = (q % bar) / music.meter.beat_quarters
            seconds = tmap.seconds_of((1 + int(q // bar), 1 + int(beats),
                                       int((beats % 1) * music.meter.ticks_per_beat)))
            assert abs(tmap.frames_off(s.frame, seconds)) <= 1, (number, s.frame)


def test_every_note_sits_on_the_solved_grid_no_tuplets(demo):
    for number, (cue, tmap, music, _) in demo.items():
        parts = _parts(music)
        hits = {hit_quarters(tmap, s.frame, GRID) for s in cue.sync_points
                if s.kind in ("hard", "soft", "end")} | {music.parts[0].notes[-1].onset}
        for part in music.parts:
            for n in part.notes:
                # a theme's own rhythm may divide the grid in two (sixteenths), never in
                # three: the orchestrator and the copyist need no tuplet
                assert (n.onset / GRID).denominator in (1, 2), (number, part.name, n)
                assert (n.duration / GRID).denominator in (1, 2), (number, part.name, n)
        # what the sketch adds for the picture starts on the grid itself: every hit, stab,
        # button and drum; the chords and bass of every pattern but the gallop
        for n in parts["percussion"].notes:
            assert n.onset % GRID == 0 and n.onset in hits, (number, n)
        plain = DEMO_PLANS[number].accompaniment != "gallop"
        for name in ("bass",) + (("pad",) if "pad" in parts else ()):
            for n in parts[name].notes:
                assert n.onset % GRID == 0 or not plain, (number, name, n)
                assert n.duration % GRID == 0 or not plain or n.onset in hits, \
                    (number, name, n)


def test_the_written_sketch_has_no_tuplets(demo, tmp_path):
    from filmscore.formats.musicxml import read_music, write_music

    for number in ("1M1", "1M2", "1M11s"):  # 1M1 bar 5 was once sixteenth-note triplets
        music = demo[number][2]
        path = write_music(music, tmp_path / f"{number}.musicxml")
        assert "<time-modification>" not in path.read_text(encoding="utf-8"), number
        back = read_music(path)
        assert back.meter == music.meter
        assert [p.is_drum for p in back.parts] == [p.is_drum for p in music.parts]


def test_the_button_ends_on_the_grid_at_most_a_grid_step_past_the_cut(demo):
    for number, (cue, tmap, music, _) in demo.items():
        out = frame_quarters(tmap, cue.end_frame)
        assert music.end % GRID == 0, number
        assert music.end <= math.ceil(out / GRID) * GRID, number


def _dynamic_levels(music: Music, at: Fraction) -> list[int]:
    return [LEVELS.index(d) for p in music.parts if (d := p.dynamic_at(at)) in LEVELS
            and any(n.onset <= at < n.end for n in p.notes)]


def test_softer_under_dialogue_than_at_the_big_hits(demo):
    checked = 0
    for number, (cue, tmap, music, dialogue) in demo.items():
        melody = music.parts[0]
        if melody.instrument == "voice":
            continue  # the lullaby's melody is the voice itself
        spoken = [(frame_quarters(tmap, a), frame_quarters(tmap, b))
                  for a, b in dialogue_spans(cue.sync_points, dialogue, RATE.fps)]
        big = [hit_quarters(tmap, s.frame, GRID) for s in cue.sync_points
               if s.kind == "hard" and s.weight >= 2]
        bigs = [LEVELS.index(melody.dynamic_at(q) or "mf") for q in big
                if any(n.onset == q for n in melody.notes)]
        quiet = [LEVELS.index(melody.dynamic_at(n.onset)) for n in melody.notes
                 if any(a + 2 <= n.onset < b - 2 for a, b in spoken)
                 and n.onset not in big]
        if bigs and quiet:
            assert max(quiet) < min(bigs), number
            assert max(quiet) <= LEVELS.index("mp") and min(bigs) >= LEVELS.index("f")
            checked += 1
    assert checked >= 4


def test_a_crescendo_ends_on_each_big_hard_hit_that_has_room(demo):
    counted = 0
    for number, (cue, tmap, music, _) in demo.items():
        beat = music.meter.beat_quarters
        hard = sorted(hit_quarters(tmap, s.frame, GRID) for s in cue.sync_points
                      if s.kind == "hard")
        for s in cue.sync_points:
            if s.kind != "hard" or s.weight < 2:
                continue
            q = hit_quarters(tmap, s.frame, GRID)
            before = [h for h in hard if h < q]
            room = q - max(before + [Fraction(0)])
            levels_at = {p.dynamic_at(q) for p in music.parts
                         if any(n.onset == q for n in p.notes)}
            assert levels_at <= {"f", "ff"}, (number, s.description, levels_at)
            ends = {m.end for p in music.parts for m in p.marks if m.kind == "crescendo"}
            louder = any(p.dynamic_at(q - beat) != p.dynamic_at(q) for p in music.parts
                         if any(n.onset == q for n in p.notes)
                         and any(n.onset <= q - beat < n.end for n in p.notes))
            if room >= 2 * beat and louder:
                assert q in ends, (number, s.description)
                counted += 1
    assert counted >= 8


def test_velocities_agree_with_the_marks(demo):
    for number, (_cue, _tmap, music, _) in demo.items():
        for part in music.parts:
            assert part.marks, (number, part.name)
            for n in part.notes:
                assert n.velocity == velocity_for(part, n), (number, part.name, n)


def test_articulations_and_techniques_follow_the_instrumentation(demo):
    p1M2 = _parts(demo["1M2"][2])
    afterbeats = [n for n in p1M2["pad"].notes if n.onset % 2 == 1]
    assert afterbeats and sum("staccato" in n.articulations for n in afterbeats) \
        >= 0.9 * len(afterbeats)  # oom-pah afterbeats
    p1M4 = _parts(demo["1M4"][2])  # string tremolo, then the hornpipe countermelody
    chords = [n for n in p1M4["countermelody"].notes if "tremolo" in n.articulations]
    assert chords and all(n.onset < 8 for n in chords)
    assert p1M4["countermelody"].technique_at(Fraction(100)) == "ord."
    assert any(m.kind == "slur" for m in p1M4["countermelody"].marks)
    assert sum(m.kind == "crescendo" for m in p1M4["bass"].marks) >= 2
    p1M6 = _parts(demo["1M6"][2])  # pizzicato strings
    assert p1M6["bass"].technique_at(p1M6["bass"].notes[0].onset) == "pizz."
    p1M9 = _parts(demo["1M9"][2])  # a pedal: sustained, tenuto
    assert any("tenuto" in n.articulations for n in p1M9["pad"].notes)
    for number, (_c, _t, music, _) in demo.items():
        assert any(m.kind == "slur" for m in music.parts[0].marks), number


def test_soft_endings_close_with_a_diminuendo(demo):
    for number in ("1M6", "1M8"):  # "then curious", "then smug"
        music = demo[number][2]
        end = max(n.onset for n in music.parts[0].notes)
        assert any(m.kind == "diminuendo" and m.end == end for p in music.parts
                   for m in p.marks), number
        assert LEVELS.index(music.parts[1].dynamic_at(end)) <= LEVELS.index("p"), number
    music = demo["1M10"][2]  # "then eerily tender", under the lullaby: already pp
    assert {p.dynamic_at(p.notes[-1].onset) for p in music.parts} == {"pp"}


def test_the_lullaby_is_a_waltz(demo):
    music = demo["1M11s"][2]
    parts = _parts(music)
    assert parts["melody"].instrument == "voice"
    hits = {n.onset for n in parts["percussion"].notes}
    chords = [n for n in parts["pad"].notes if n.onset not in hits]
    assert chords and {n.onset % 3 for n in chords} == {1, 2}
    assert {n.onset % 3 for n in parts["bass"].notes if n.onset not in hits} == {0}
    # the squeezes fall on downbeats, accented
    squeezes = [n for n in parts["melody"].notes if "accent" in n.articulations]
    assert squeezes and all(n.onset % 3 == 0 for n in squeezes[:2])
