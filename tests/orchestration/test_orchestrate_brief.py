"""Orchestrate as the cue's notes ask and as the books say: named instruments play, the
rest rests; horns in pairs, trumpets by register, trombones under the horns; every unison
listed."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.orchestration.book import CHAMBER_STRINGS
from filmscore.orchestration.brief import BriefPoint, CueBrief, read_brief, subject_spans
from filmscore.orchestration.ensembles import get_template
from filmscore.orchestration.orchestrate import Orchestration, orchestrate
from filmscore.orchestration.unisons import unisons
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.music import Music, Note, Part

F = Fraction
DM, A7 = (62, 65, 69), (61, 64, 67)  # D minor, A (the pad's voicing, around A3-A4)


def march(bars: int = 8) -> Music:
    """A sketch as writing.sketch makes one, in D minor: a tune, chords on the off-beats,
    an oom-pah bass, and a percussion staff with hits on bars 1 and 5."""
    tune = (62, 69, 65, 62, 61, 62, 64, 65, 67, 65, 64, 62, 61, 64, 69, 62)
    melody, pad, bass = [], [], []
    for bar in range(bars):
        at = F(4 * bar)
        chord, root, fifth = (DM, 50, 45) if bar % 2 == 0 else (A7, 45, 52)
        for i in range(4):
            melody.append(Note(at + i, F(1), tune[(4 * bar + i) % len(tune)], 90))
        pad += [Note(at + beat, F(1, 2), p, 74) for beat in (1, 3) for p in chord]
        bass += [Note(at, F(1), root - 12, 84), Note(at + 2, F(1), fifth - 12, 84)]
    drums = [Note(F(0), F(1, 4), k, 124) for k in (49, 36, 41)] + \
        [Note(F(16), F(1, 4), k, 110) for k in (36, 38)]
    return Music((Part("melody", tuple(melody), 56), Part("pad", tuple(pad), 48),
                  Part("bass", tuple(bass), 58), Part("percussion", tuple(drums), 0,
                                                      is_drum=True)),
                 meter=Meter(4, 4), key="d minor", title="March",
                 tempo_map=TempoMap.constant("24", 0, F(104), bars, Meter(4, 4)))


POINTS = (BriefPoint(F(0), "downbeat", 2, "Cut: Sindbad close in the archway"),
          BriefPoint(F(9), "soft", 1, "Sindbad thumps his chest"),
          BriefPoint(F(16), "hard", 2, "Cut: back to the courtyard"),
          BriefPoint(F(21), "hard", 1, "Sindbad snaps upright"),
          BriefPoint(F(31), "end", 1, "Button"))


def brief(text: str, points=POINTS) -> CueBrief:
    return CueBrief(text, points=points)


@pytest.fixture(scope="module")
def brass() -> Orchestration:
    return orchestrate(march(), "studio", brief=brief(
        "full orchestra, brass lead, tuba/bassoon oom-pah, xylophone for gags; "
        "vocal (Sindbad) on top"))


def _part(result: Orchestration, label: str) -> Part:
    return next(p for p in result.full.parts if p.name == label)


def _at(part: Part, onset) -> list[int]:
    return sorted(n.pitch for n in part.notes if n.onset == onset)


def _plays(result: Orchestration) -> set[str]:
    return {p.name for p in result.full.parts}


# --- sections ---------------------------------------------------------------------------------


def test_horns_in_close_harmony_one_three_two_four(brass: Orchestration) -> None:
    for onset in (1, 3, 5, 7):  # every off-beat chord: four different notes, 1-3-2-4
        horns = [_at(_part(brass, f"Horn {i}"), onset) for i in (1, 3, 2, 4)]
        assert all(len(h) == 1 for h in horns), (onset, horns)
        pitches = [h[0] for h in horns]
        assert pitches == sorted(pitches, reverse=True) and len(set(pitches)) == 4
    assert not any(u.same_instrument and {u.first, u.second} <= {f"Horn {i}" for i in
                                                                   range(1, 7)}
                   for u in unisons(brass.full.parts))


def test_trumpets_split_by_register_chair_one_on_the_tune(brass: Orchestration) -> None:
    tune = {n.onset: n.pitch for n in march().parts[0].notes}
    one, two, three = (_part(brass, f"Trumpet {i}") for i in (1, 2, 3))
    assert {n.onset: n.pitch % 12 for n in one.notes} == {t: p % 12 for t, p in tune.items()}
    for n in one.notes:
        below = _at(two, n.onset) + _at(three, n.onset)
        assert all(p <= n.pitch for p in below)
    assert _at(two, 0)[0] > _at(three, 0)[0]
    same = [u for u in unisons(brass.full.parts) if u.same_instrument and
            u.first.startswith("Trumpet") and u.second.startswith("Trumpet")]
    assert not same


def test_trombones_in_chords_under_the_horns(brass: Orchestration) -> None:
    for onset in (1, 3):
        tbn = [_at(_part(brass, name), onset)[0]
               for name in ("Trombone 1", "Trombone 2", "Bass Trombone")]
        assert tbn == sorted(tbn, reverse=True) and len(set(tbn)) == 3
        assert tbn[0] < _at(_part(brass, "Horn 4"), onset)[0]


def test_every_unison_is_listed_and_none_is_an_accident_of_one_section(brass) -> None:
    found = unisons(brass.full.parts)
    assert found
    listed = {(d.chair, d.message) for d in brass.decisions if d.kind == "unison"}
    for u in found:
        assert any(chair == u.first and f"in unison with {u.second}" in message
                   for chair, message in listed), u
    assert all("deliberate" in message for _, message in listed)


# --- what the notes ask -----------------------------------------------------------------------


def test_named_instruments_play_and_what_the_notes_leave_out_rests(brass) -> None:
    plays = _plays(brass)
    assert {"Trumpet 1", "Tuba", "Bassoon 1", "Percussion 4", "Timpani"} <= plays
    assert _part(brass, "Percussion 4").instrument == "xylophone"
    assert not {"Harp", "Piano", "Flute 2", "Oboe 2"} & plays
    tacet = " ".join(d.message for d in brass.decisions if d.kind == "tacet")
    assert "Harp tacet: the notes leave them out" in tacet
    studio = get_template("studio")
    brass.instrumentation.validate(studio)
    assert {u.chair for u in brass.instrumentation.uses} == plays
    assert brass.instrumentation.player_count(studio) < studio.player_count


def test_the_xylophone_plays_on_the_gags_only(brass) -> None:
    onsets = {n.onset for n in _part(brass, "Percussion 4").notes}
    assert onsets and all(9 <= t < 13 or 21 <= t < 25 for t in onsets)  # not on the cuts
    assert any("'xylophone' for gags: 2 moments" in d.message for d in brass.decisions)


def test_the_tune_goes_one_step_under_the_singer(brass) -> None:
    lead = [d for d in brass.decisions if d.kind == "balance" and d.chair == "Trumpet 1"]
    assert lead and "under the vocal line" in lead[0].message


def test_shrieking_clarinets_take_the_roc_s_music() -> None:
    points = (BriefPoint(F(8), "hard", 2, "Cut: the giant roc perched on the cliff"),
              BriefPoint(F(11), "soft", 1, "Roc squawks, wings rising"),
              BriefPoint(F(16), "downbeat", 1, "Vocal: 'He spread out his wings'"),
              BriefPoint(F(6), "hard", 1, "Sindbad walks through the rocks"))
    result = orchestrate(march(), "studio", brief=brief(
        "full orchestra, brass lead, shrieking clarinets for the roc", points))
    clarinet = _part(result, "Clarinet 1")
    assert clarinet.notes and all(8 <= n.onset < 16 for n in clarinet.notes)  # not "rocks"
    assert sum(n.pitch >= 74 for n in clarinet.notes) * 4 >= len(clarinet.notes) * 3
    assert _at(_part(result, "Clarinet 2"), 8)[0] < _at(clarinet, 8)[0]
    trumpet = _part(result, "Trumpet 1")
    assert not [n for n in trumpet.notes if 8 <= n.onset < 16]  # the roc's colour has it


def test_timpani_lead_on_tonic_and_dominant_with_rolls() -> None:
    long_bass = march()
    bass = Part("bass", tuple(Note(F(4 * b), F(4), 38 if b % 2 == 0 else 45, 84)
                              for b in range(8)), 58)
    short = long_bass.with_parts((long_bass.parts[0], long_bass.parts[1], bass,
                                  long_bass.parts[3]))
    result = orchestrate(short, "studio", brief=brief(
        "full orchestra, low brass and timpani lead, snarling muted trombones for the lions"))
    timpani = _part(result, "Timpani")
    assert {n.pitch % 12 for n in timpani.notes} == {2, 9}  # D and A
    assert all("tremolo" in n.articulations for n in timpani.notes if n.duration >= 2)
    assert any(d.kind == "tuning" and "tuned to D, A" in d.message for d in result.decisions)
    trombone = _part(result, "Trombone 1")
    assert any(m.kind == "technique" and m.value == "con sord." for m in trombone.marks)
    assert all("accent" in n.articulations for n in trombone.notes)
    assert "Violin I" not in _plays(result) or not _at(_part(result, "Violin I"), 0)


def test_harp_glissandi_are_written_as_arpeggios_into_the_hits() -> None:
    result = orchestrate(march(), "studio", brief=brief(
        "full orchestra, horns and trumpets lead, string tremolo and harp glissandi for the "
        "wingbeats"))
    harp = sorted(_part(result, "Harp").notes)
    rising = [n for n in harp if 15 <= n.onset <= 16]
    assert len(rising) >= 8 and [n.pitch for n in rising] == sorted(n.pitch for n in rising)
    assert any("glissando cannot be written" in d.message for d in result.decisions)
    strings = [n for name in ("Violin II", "Viola", "Cello") for n in _part(result, name).notes]
    # a tremolo on every note a beat long or more, none on the short afterbeats
    assert all(("tremolo" in n.articulations) == (n.duration >= 1) for n in strings)
    assert any("tremolo" in n.articulations for n in strings)
    winds = [n for p in result.full.parts if p.instrument in ("horn", "trumpet_bb", "flute")
             for n in p.notes]
    assert winds and not any("tremolo" in n.articulations for n in winds)  # not flutter
    horn, trumpet = _part(result, "Horn 1"), _part(result, "Trumpet 1")
    assert _at(trumpet, 0)[0] == _at(horn, 0)[0] + 12  # the leads in octaves, not unison


def test_a_chamber_orchestra_cue_uses_few_players() -> None:
    result = orchestrate(march(), "studio", brief=brief(
        "chamber orchestra, bassoon and piccolo lead, concertina colour, pizzicato strings"))
    plays = _plays(result)
    assert "Bassoon 1" in plays and _part(result, "Flute 3").instrument == "piccolo"
    assert not {"Flute 1", "Flute 2", "Oboe 2", "Horn 3", "Trumpet 1", "Trombone 1",
                "Tuba", "Timpani", "Percussion 2"} & plays
    for label, players in CHAMBER_STRINGS.items():
        if label in plays:
            assert result.instrumentation.use(label).players == players
            assert any(m.kind == "technique" and m.value == "pizz."
                       for m in _part(result, label).marks), label
    assert any(d.kind == "missing" and "concertina" in d.message for d in result.decisions)
    assert not _at(_part(result, "Violin I"), 0) or _at(_part(result, "Violin I"), 0) != \
        [62 + 12]  # the violins hold the harmony; the bassoon and piccolo have the tune
    assert result.instrumentation.player_count(get_template("studio")) < 30


def test_a_reduction_leaves_only_the_strings_one_step_down() -> None:
    points = (BriefPoint(F(16), "downbeat", 1, "Lullaby begins (1M11s), score ducks"),)
    result = orchestrate(march(), "studio", brief=brief(
        "full orchestra, tuba lead, low strings, reduces to a string pedal under 1M11s",
        points))
    for part in result.full.parts:
        late = [n for n in part.notes if n.onset >= 16]
        if part.instrument not in ("violin", "viola", "cello", "double_bass"):
            assert not late, part.name
    assert _part(result, "Tuba").notes
    cello = _part(result, "Cello")
    before, after = cello.dynamic_at(F(12)), cello.dynamic_at(F(16))
    assert before and after and before != after


def test_nobody_named_for_a_staff_is_said() -> None:
    result = orchestrate(march(), "studio", brief=brief(
        "vocal (Boola) with music box or celeste"))
    assert _plays(result) <= {"Piano", "Percussion 1", "Percussion 2", "Percussion 3"}
    assert _part(result, "Piano").instrument == "celesta"
    assert any(d.kind == "tacet" and "nobody plays the bass staff" in d.message
               for d in result.decisions)


# --- reading the notes ------------------------------------------------------------------------


def test_read_brief_of_the_demo_instrumentation_texts() -> None:
    roc = read_brief(CueBrief("full orchestra, brass lead; contrabassoon and tuba for Boola, "
                              "shrieking clarinets for the roc, slithering low strings for "
                              "the serpent; vocal on top"))
    assert roc.scale == "full" and roc.singer
    asks = {a.words: a for a in roc.asks}
    assert asks["brass lead"].role == "lead"
    assert asks["shrieking clarinets"].register == "high"
    assert asks["shrieking clarinets"].subject == "roc" and asks["shrieking clarinets"].featured
    assert asks["slithering low strings"].slurred
    assert asks["contrabassoon"].subject == "boola"
    lions = read_brief(CueBrief("full orchestra, low brass and timpani lead, snarling muted "
                                "trombones for the lions"))
    assert [a.role for a in lions.asks[:2]] == ["lead", "lead"]  # "lead" covers both
    assert lions.asks[2].technique == "con sord." and lions.asks[2].articulation == "accent"
    chamber = read_brief(CueBrief("chamber orchestra, bassoon and piccolo lead, concertina "
                                  "colour, pizzicato strings"))
    assert chamber.scale == "chamber" and chamber.missing[0][0] == "concertina"
    pedal = read_brief(CueBrief("full orchestra, tuba and contrabassoon lead, low strings, "
                                "bass drum; reduces to a string pedal under 1M11s"))
    assert pedal.reduction[0] == ("violin", "viola", "cello", "double_bass")
    assert pedal.reduction[1] == "1m11s"
    box = read_brief(CueBrief("vocal (Boola) with music box or celeste"))
    assert box.scale == "" and box.singer and box.asks[0].instruments == ("celesta",)
    assert not read_brief(CueBrief("")).given


def test_subject_spans_from_the_sync_points() -> None:
    points = (BriefPoint(F(0), "downbeat", 1, "Boola left alone"),
              BriefPoint(F(6), "hard", 1, "Cut: Sindbad walks through the rocks"),
              BriefPoint(F(8), "downbeat", 2, "Verse 3"),
              BriefPoint(F(12), "hard", 2, "Cut: the giant roc perched on the cliff"),
              BriefPoint(F(14), "soft", 1, "Roc squawks"),
              BriefPoint(F(20), "downbeat", 1, "Refrain"))
    assert subject_spans(points, "boola", F(4))[0] == ((F(0), F(8)),)
    assert subject_spans(points, "the roc", F(4))[0] == ((F(12), F(20)),)
    gags, how = subject_spans(points, "gags", F(4))
    assert gags == ((F(14), F(18)),) and "1 moments" in how
    whole, how = subject_spans(points, "the wingbeats", F(4))
    assert whole == ((F(0), None),) and "the whole cue" in how


def test_a_chair_on_its_double_passes_the_check(tmp_path) -> None:
    """Flute 3 on piccolo, Bassoon 3 on contrabassoon: the full score names the chair, its
    score-instrument the double, and the playability check reads the double."""
    from filmscore.formats.musicxml import write_full_score
    from filmscore.formats.score_survey import read_score_survey
    from filmscore.orchestration.check import check_score

    result = orchestrate(march(), "studio", brief=brief(
        "chamber orchestra, bassoon and piccolo lead, pizzicato strings"))
    assert _part(result, "Flute 3").instrument == "piccolo"
    survey = read_score_survey(write_full_score(result.full, tmp_path / "full.musicxml"))
    assert next(p for p in survey.parts if p.name == "Flute 3").instrument_key == "piccolo"
    counts = check_score(survey).counts
    assert not any(counts[k] for k in counts if k != "empty_part"), counts


def test_the_cli_orchestrates_a_short_score_as_the_text_given(tmp_path) -> None:
    from typer.testing import CliRunner

    from filmscore.cli import app
    from filmscore.formats.musicxml import read_music, write_music

    short = write_music(march(), tmp_path / "march.musicxml")
    out = tmp_path / "full.musicxml"
    run = CliRunner().invoke(app, ["orchestrate", "--short-score", str(short), "--out",
                                   str(out), "--instrumentation",
                                   "full orchestra, horns lead, harp glissandi"])
    assert run.exit_code == 0, run.stdout
    names = {p.name for p in read_music(out, unpitched=True).parts}
    assert {"Horn 1", "Horn 3", "Harp"} <= names and "Trumpet 1" not in names
    assert "the tune (horns lead)" in run.stdout or "the tune (horns" in run.stdout
