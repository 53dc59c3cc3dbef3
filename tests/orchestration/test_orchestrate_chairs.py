"""Each chair reads as its player plays: a voiced chord tone lasts as long as its own note
(no held chord under the next one), a mute changes only where there is time, one dynamic
at a time written as a copyist writes it, and techniques only where they mean something."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.formats.musicxml import write_full_score
from filmscore.formats.score_survey import read_score_survey
from filmscore.orchestration.brief import BriefPoint, CueBrief, cue_brief
from filmscore.orchestration.chairmarks import seconds_between
from filmscore.orchestration.check import check_score
from filmscore.orchestration.expression import timed_mutes
from filmscore.orchestration.orchestrate import Orchestration, orchestrate
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.dynamics import ATTACK_LEAVES, ATTACKS, LADDER, level_in_force
from filmscore.writing.music import Mark, Music, Note, Part
from filmscore.writing.sketch import CuePlan, sketch_cue, use
from writing.test_sketch_demo import demo_sketches

F = Fraction
HIT = ("strong-accent",)
BEAT = Fraction(1)


def _part(result: Orchestration, label: str) -> Part:
    return next(p for p in result.full.parts if p.name == label)


def _checked(result: Orchestration, tmp_path) -> dict[str, int]:
    path = write_full_score(result.full, tmp_path / "full.musicxml")
    return {k: v for k, v in check_score(read_score_survey(path)).counts.items() if v}


def _one_level_at_a_time(part: Part, beat: Fraction = BEAT) -> None:
    """One dynamic at an onset, under a note, none closer than a beat, none repeating the
    level in force (a hairpin leaves it open), none inside a hairpin."""
    dynamics = [m for m in part.marks if m.kind == "dynamic"]
    hairpins = [m for m in part.marks if m.kind in ("crescendo", "diminuendo")]
    onsets = [m.onset for m in dynamics]
    assert onsets == sorted(set(onsets)), part.name
    assert set(onsets) <= {n.onset for n in part.notes}, part.name
    assert all(b - a >= beat for a, b in zip(onsets, onsets[1:], strict=False)), (part.name, onsets)
    level, last = None, None
    for mark in dynamics:
        assert not any(h.onset < mark.onset < h.end for h in hairpins), (part.name, mark)
        if any(last is not None and last <= h.onset and h.end <= mark.onset for h in hairpins):
            level = None
        last = mark.onset
        if mark.value in ATTACKS:
            level = ATTACK_LEAVES.get(mark.value, level)
            continue
        assert mark.value != level, (part.name, mark)
        level = mark.value
    for hairpin in hairpins:  # a hairpin goes where it says: "mf < mf" says nothing
        grew_from = level_in_force(dynamics, hairpin.onset)
        goal = next((m.value for m in dynamics if m.onset == hairpin.end), None)
        if grew_from in LADDER and goal in LADDER:
            rise = LADDER.index(goal) - LADDER.index(grew_from)
            assert rise > 0 if hairpin.kind == "crescendo" else rise < 0, \
                (part.name, hairpin, grew_from, goal)


# --- a held chord and the next ---------------------------------------------------------------


def held_common_tone() -> Music:
    """E minor then E-flat major with G held across (as a sketch ties a common tone), the
    pad's hit an accented eighth f, its chord held on mf."""
    melody = (Note(F(0), F(4), 71, 100), Note(F(4), F(4), 70, 90))
    pad = [Note(F(0), F(1, 2), p, 110, HIT) for p in (59, 64, 67)]
    pad += [Note(F(1, 2), F(7, 2), p, 80) for p in (59, 64)] + [Note(F(1, 2), F(15, 2), 67, 80)]
    pad += [Note(F(4), F(4), p, 80) for p in (58, 63)]
    bass = (Note(F(0), F(4), 40, 90), Note(F(4), F(4), 39, 90))
    marks = (Mark(F(0), "dynamic", "f"), Mark(F(1, 2), "dynamic", "mf"))
    return Music((Part("melody", melody, 40, marks=(Mark(F(0), "dynamic", "f"),)),
                  Part("pad", tuple(pad), 48, marks=marks),
                  Part("bass", bass, 43, marks=(Mark(F(0), "dynamic", "f"),))),
                 meter=Meter(4, 4), key="e minor",
                 tempo_map=TempoMap.constant("24", 0, F(100), 2, Meter(4, 4)))


def test_a_voiced_tone_lasts_as_long_as_its_own_note(tmp_path) -> None:
    result = orchestrate(held_common_tone(), "studio", brief=CueBrief("full orchestra"))
    for name in ("Violin II", "Viola"):
        part = _part(result, name)
        for note in part.notes:  # nothing held under the next chord but the common tone
            sounding = [n for n in part.notes if n.onset < note.onset < n.end]
            assert all(n.pitch % 12 == 7 for n in sounding), (name, note, sounding)
    violins = _part(result, "Violin II")
    g = [n for n in violins.notes if n.pitch % 12 == 7]
    assert g and max(n.end for n in g) == 8  # the common tone holds
    assert _checked(result, tmp_path) == {}


def test_the_hit_and_its_held_chord_are_one_note_marked_sfp() -> None:
    result = orchestrate(held_common_tone(), "studio", brief=CueBrief("full orchestra"))
    violins = _part(result, "Violin II")
    assert not any(n.onset == F(1, 2) for n in violins.notes)
    first = [n for n in violins.notes if n.onset == 0]
    assert first and all(n.end >= 4 and "strong-accent" in n.articulations for n in first)
    assert [(m.onset, m.value) for m in violins.marks if m.kind == "dynamic"][0] == \
        (F(0), "sfp")  # the pad one step down: mf on the hit, mp held on
    said = [d for d in result.decisions if d.kind == "dynamics" and "Violin II" in d.message]
    assert said and "one held note, sfp" in said[0].message
    for part in result.full.parts:
        _one_level_at_a_time(part)


def test_a_countermelody_s_chords_stop_where_its_line_starts() -> None:
    chords = [Note(F(0), F(4), p, 80) for p in (55, 60, 64)]
    chords[0] = Note(F(0), F(5), 55, 80)  # still sounding when the line starts
    line = tuple(Note(F(4) + F(k, 2), F(1, 2), 67 + k % 3, 80) for k in range(8))
    sketch = Music((Part("melody", (Note(F(0), F(8), 72),), 40),
                    Part("countermelody", tuple(chords) + line, 48,
                         marks=(Mark(F(0), "dynamic", "p"), Mark(F(4), "dynamic", "mf"))),
                    Part("bass", (Note(F(0), F(8), 36),), 43)), meter=Meter(4, 4))
    result = orchestrate(sketch, "studio")
    viola = _part(result, "Viola")  # the chords, then the countermelody
    assert any(n.onset >= 4 for n in viola.notes) and any(n.onset < 4 for n in viola.notes)
    assert all(n.end <= 4 for n in viola.notes if n.onset < 4)
    assert [(m.onset, m.value) for m in viola.marks if m.kind == "dynamic"] == \
        [(F(0), "pp"), (F(4), "mf")]  # the chords a pad one step down, the line as written


# --- dynamics of a real sketch, chair by chair ----------------------------------------------


@pytest.fixture(scope="module")
def sketched() -> Orchestration:
    """A sketch as the demo writes one (hits, a line of dialogue, string tremolo, a
    countermelody), orchestrated for the studio as its notes ask."""
    start = 86400
    tmap = TempoMap.constant("24", start, F(120), 12)  # an eighth is 6 frames
    syncs = (SyncSpec(start, "Cut: the roc flies out", "hard", 2.0),
             SyncSpec(start + 6 * 8, "Line: 'Who goes there?'", "downbeat", 1.0),
             SyncSpec(start + 6 * 40, "Cut: the smash", "hard", 2.0),
             SyncSpec(start + 6 * 57, "punch", "hard", 1.0),
             SyncSpec(start + 6 * 70, "button", "end", 2.0))
    text = "full orchestra, horns and trumpets lead, string tremolo and harp glissandi"
    cue = CueSpec(parse_cue_number("9M4"), "Test", start, start + 6 * 74,
                  mood="soaring, ominous, building to violent", instrumentation=text,
                  sync_points=syncs)
    theme = Music((Part("t", tuple(Note(F(i), F(1), p) for i, p in
                                   enumerate((64, 67, 71, 72, 71, 67, 64, 66)))),),
                  key="E minor")
    music = sketch_cue(cue, tmap, {"t": theme},
                       plan=CuePlan(melody=(use("t"),), counter=(use("t", "invert"),),
                                    accompaniment="tremolo"))
    points = tuple(BriefPoint(F(s.frame - start, 12), s.kind, s.weight, s.description)
                   for s in syncs)
    return orchestrate(music, "studio", brief=CueBrief(text, points=points))


def test_every_chair_plays_one_level_at_a_time(sketched: Orchestration, tmp_path) -> None:
    for part in sketched.full.parts:
        _one_level_at_a_time(part)
    assert _checked(sketched, tmp_path) == {}
    said = [d.message for d in sketched.decisions if d.kind == "dynamics"]
    assert any("one held note" in m for m in said)  # the hits as a copyist writes them


def test_every_chair_of_the_demo_reads_as_a_copyist_writes_it() -> None:
    """The demo's eleven sketches orchestrated as the demo does: every chair one level at
    a time, and every hairpin going where it says (the demo's parts printed "pp > pp",
    "mf < mf" and a ringing timpani's "f < f" before)."""
    for number, (cue, tmap, music, _) in demo_sketches().items():
        result = orchestrate(music, "studio", brief=cue_brief(cue, tmap),
                             subdivision=tmap.subdivision)
        for part in result.full.parts:
            try:
                _one_level_at_a_time(part)
            except AssertionError as error:
                raise AssertionError(f"{number}: {error}") from None


def test_techniques_only_where_they_mean_something(sketched: Orchestration) -> None:
    for part in sketched.full.parts:
        techniques = [m.value for m in part.marks if m.kind == "technique"]
        if part.instrument in ("horn", "trumpet_bb", "trombone", "flute", "oboe", "bassoon",
                               "harp"):
            assert not set(techniques) & {"pizz.", "arco", "trem.", "ord."}, part.name
            assert not any("tremolo" in n.articulations for n in part.notes), part.name
        if part.instrument in ("violin", "viola", "cello"):  # tremolo on held notes only
            assert all(n.duration >= 1 for n in part.notes if "tremolo" in n.articulations)


# --- mutes --------------------------------------------------------------------------------------


def _lions(rest_after: bool) -> tuple[Music, CueBrief]:
    """A tune in D minor for four bars at 120; the lions' sync point names the first two
    bars; with ``rest_after`` the tune rests three bars before its last note."""
    notes = [Note(F(i), F(1), (62, 65, 69, 65)[i % 4], 100) for i in range(12)]
    if rest_after:
        notes = notes[:8] + [Note(F(20), F(4), 62, 100)]
    end = max(n.end for n in notes)
    bass = tuple(Note(F(2 * i), F(2), 38, 90) for i in range(int(end) // 2))
    music = Music((Part("melody", tuple(notes), 57, marks=(Mark(F(0), "dynamic", "f"),)),
                   Part("bass", bass, 43, marks=(Mark(F(0), "dynamic", "f"),))),
                  meter=Meter(4, 4), key="d minor",
                  tempo_map=TempoMap.constant("24", 0, F(120), int(end) // 4 + 1))
    points = (BriefPoint(F(0), "downbeat", 2, "Two chained lions roar at the gate"),
              BriefPoint(F(8), "hard", 2, "Cut: Sindbad barges out"),
              BriefPoint(end - 1, "end", 1, "Button"))
    return music, CueBrief("full orchestra, low brass lead, snarling muted trombones for "
                           "the lions", points=points)


@pytest.mark.parametrize("rest_after", [False, True])
def test_a_mute_changes_only_where_there_is_time(rest_after: bool, tmp_path) -> None:
    music, brief = _lions(rest_after)
    result = orchestrate(music, "studio", brief=brief)
    trombone = _part(result, "Trombone 1")
    mutes = [(m.onset, m.value) for m in trombone.marks if m.kind == "technique"]
    assert mutes[0] == (F(0), "con sord.")
    said = [d.message for d in result.decisions if d.kind == "technique"]
    if rest_after:  # out at the first note after a rest long enough (3 bars at 120: 6 s)
        assert mutes[1:] == [(F(20), "senza sord.")]
        assert not said  # where the passage ends: nothing to move
    else:  # no rest to take it out: kept on to the end, and said so
        assert mutes[1:] == []
        assert any("keeps the mute on to the end of the cue" in m for m in said)
    assert "impossible_double" not in _checked(result, tmp_path)


def test_timed_mutes_in_and_out_where_the_player_has_time() -> None:
    seconds = seconds_between(TempoMap.constant("24", 0, F(60), 20))  # a quarter a second
    notes = [Note(F(t), F(1), 48) for t in (0, 1, 2, 8, 9, 10, 11, 20, 21)]
    marks = [Mark(F(9), "technique", "con sord."), Mark(F(11), "technique", "senza sord."),
             Mark(F(0), "dynamic", "f")]
    out, moved = timed_mutes(notes, marks, 4, seconds)
    # in at 8 (five seconds' rest before it, none before 9), out at 20 (eight seconds)
    assert [(m.onset, m.value) for m in out if m.kind == "technique"] == \
        [(F(8), "con sord."), (F(20), "senza sord.")]
    assert Mark(F(0), "dynamic", "f") in out and len(moved) == 2
    # two muted passages with no time between them are one
    marks = [Mark(F(0), "technique", "con sord."), Mark(F(1), "technique", "senza sord."),
             Mark(F(2), "technique", "con sord."), Mark(F(9), "technique", "senza sord.")]
    out, moved = timed_mutes(notes, marks, 4, seconds)
    assert [(m.onset, m.value) for m in out] == [(F(0), "con sord."), (F(20), "senza sord.")]
    assert moved  # said
    # out after bar 1's notes there is no time before 2, and no open note before it goes
    # in again at 8: it stays in
    marks = [Mark(F(0), "technique", "con sord."), Mark(F(1), "technique", "senza sord."),
             Mark(F(8), "technique", "con sord."), Mark(F(9), "technique", "senza sord.")]
    out, moved = timed_mutes(notes, marks, 4, seconds)
    assert [(m.onset, m.value) for m in out] == [(F(0), "con sord."), (F(20), "senza sord.")]
    assert any("next muted passage" in text for _, text in moved)
    # without a tempo map, at 120 to the quarter
    assert seconds_between(None)(F(0), F(4)) == 2
