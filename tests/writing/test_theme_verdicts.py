"""The composer's verdicts on the theme report, stored (SQLite and PostgreSQL) and kept
when the cue's music is imported again: the occurrence moved by less than a beat keeps
its verdict, one moved to another bar does not (the verdict waits for it to return)."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest

from filmscore.errors import InputError, NotFoundError
from filmscore.formats.midi_music import write_music
from filmscore.formats.notestring import parse_notestring
from filmscore.project import init_project, open_project
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.sync.service import set_tempo_map
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.service import (
    add_theme,
    import_version,
    set_verdict,
    theme_report,
    verdict_listing,
)

#: the theme's notes: (onset, duration, semitones from its first note)
HERO = ((0, 1, 0), (1, F(1, 2), 2), (F(3, 2), F(1, 2), 4), (2, 1, 5), (3, 1, 7), (4, 2, 9))


def _stated(at: F, base: int) -> list[Note]:
    return [Note(F(at) + o, F(d), base + p) for o, d, p in HERO]


def _music(path: Path, at: F, start_frame: int = 24) -> Path:
    """The theme in the horn at ``at`` quarters, then at bar 6 in the violins doubled an
    octave down by the horn; a bass line under it all."""
    horn = sorted(_stated(at, 65) + _stated(F(20), 60), key=lambda n: n.onset)
    bass = tuple(Note(F(q), F(2), 41 + q % 3) for q in range(0, 32, 2))
    tmap = TempoMap.constant("24", start_frame, F(120), bars=8)
    music = Music((Part("violins", tuple(_stated(F(20), 72)), program=48),
                   Part("horn", tuple(horn), program=60), Part("cellos", bass, program=42)),
                  tempo_map=tmap)
    return write_music(music, path, tempo_map=tmap)


def _rows(pctx, **kw):
    return [(r.bar, r.beat, r.part, r.verdict) for r in theme_report(pctx, **kw).matches
            if r.theme == "hero"]


def test_verdicts_stay_after_reindexing(tmp_path: Path, db_url: str) -> None:
    init_project(tmp_path / "p", title="Verdicts", fps="24", db=db_url)
    with open_project(tmp_path / "p", db=db_url) as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Hero", 24, 24 * 20))
        set_tempo_map(pctx, "1M1", TempoMap.constant("24", 24, F(120), bars=9))
        add_theme(pctx, "hero", parse_notestring("4/4 c4 d8 e f4 g a2"))
        import_version(pctx, "1M1", _music(tmp_path / "v1.mid", F(4)))
        first = theme_report(pctx)
        assert [(r.bar, r.beat, r.part, r.end_bar, r.timecode) for r in first.matches] == [
            (2, "1", "horn", 3, "00:00:03:00"), (6, "1", "violins", 7, "00:00:11:00")]
        assert first.matches[1].doubled_by == ("horn",)

        row = set_verdict(pctx, "hero", "1M1", 2, "confirmed", author="composer")
        assert row.verdict == "confirmed" and row.part == "horn"
        set_verdict(pctx, "hero", "1M1", 6, "rejected", beat="1", part="violins")
        report = theme_report(pctx)
        assert [(r.bar, r.verdict, r.verdict_by) for r in report.matches] == [
            (2, "confirmed", "composer")]
        assert report.hidden == 1 and report.by_cue == {"1M1": ["hero"]}
        assert _rows(pctx, include_rejected=True) == [(2, "1", "horn", "confirmed"),
                                                      (6, "1", "violins", "rejected")]

        # v2: the horn's statement comes half a beat later; the violins' is unchanged
        import_version(pctx, "1M1", _music(tmp_path / "v2.mid", F(9, 2)))
        assert _rows(pctx, include_rejected=True) == [
            (2, "1.5", "horn", "confirmed (on v1)"), (6, "1", "violins", "rejected (on v1)")]

        # v3: the horn's statement moves to bar 4: not the confirmed one any more
        import_version(pctx, "1M1", _music(tmp_path / "v3.mid", F(12)))
        assert _rows(pctx) == [(4, "1", "horn", "")]
        report = theme_report(pctx)
        assert [(v.bar, v.verdict) for v in report.lost] == [(2, "confirmed")]
        listing = verdict_listing(pctx)
        assert [(v.verdict, now.bar if now else None) for v, now in listing] == [
            ("confirmed", None), ("rejected", 6)]

        # v4: back where it was confirmed: the verdict is there again
        import_version(pctx, "1M1", _music(tmp_path / "v4.mid", F(4)))
        assert _rows(pctx) == [(2, "1", "horn", "confirmed (on v1)")]

        # a second word on the same occurrence replaces the first (one verdict each)
        set_verdict(pctx, "hero", "1M1", 2, "rejected", author="orchestrator")
        assert [(v.verdict, v.author, v.music_version) for v, _ in verdict_listing(pctx)] == [
            ("rejected", "", 1), ("rejected", "orchestrator", 4)]
        assert theme_report(pctx).matches == []


def test_a_verdict_names_an_occurrence_that_is_there(tmp_path: Path, db_url: str) -> None:
    init_project(tmp_path / "p", title="Verdicts", fps="24", db=db_url)
    with open_project(tmp_path / "p", db=db_url) as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Hero", 24, 24 * 20))
        add_theme(pctx, "hero", parse_notestring("4/4 c4 d8 e f4 g a2"))
        # a file whose own bar 1 is at 01:00:00:00; the cue (no tempo map) starts at 1 s
        import_version(pctx, "1M1", _music(tmp_path / "v1.mid", F(4), start_frame=86400))
        with pytest.raises(NotFoundError, match=r"at bar 3 .*found at: 2\|1 \(horn\), "
                                                r"6\|1 \(violins\)"):
            set_verdict(pctx, "hero", "1M1", 3, "confirmed")
        with pytest.raises(NotFoundError, match="in trumpet"):
            set_verdict(pctx, "hero", "1M1", 2, "confirmed", part="trumpet")
        with pytest.raises(NotFoundError, match="no theme 'villain'"):
            set_verdict(pctx, "villain", "1M1", 2, "confirmed")
        with pytest.raises(InputError, match="confirmed, rejected"):
            set_verdict(pctx, "hero", "1M1", 2, "maybe")
        # a doubling part names the occurrence too; no tempo map: the music's tempos time
        # it, from the cue's start
        row = set_verdict(pctx, "hero", "1M1", 6, "confirmed", part="horn")
        assert row.part == "violins" and row.timecode == "00:00:11:00"
        assert [v.verdict for v, _ in verdict_listing(pctx)] == ["confirmed"]


def test_a_musicxml_cue_is_indexed_from_its_notes_alone(tmp_path: Path) -> None:
    """A MusicXML version of a cue with a tempo map is read by the notes-only reader
    (formats.musicxml_notes): the report is the one the full reader gives."""
    from filmscore.formats.midi_music import read_music as read_midi
    from filmscore.formats.musicxml import read_music
    from filmscore.formats.musicxml import write_music as write_musicxml
    from filmscore.formats.musicxml_notes import read_notes

    midi = _music(tmp_path / "v1.mid", F(4))
    xml = write_musicxml(read_midi(midi), tmp_path / "v1.musicxml")
    full, fast = read_music(xml), read_notes(xml, ties="notation")
    assert [sorted(p.notes) for p in full.parts] == [sorted(p.notes) for p in fast.parts]
    init_project(tmp_path / "p", title="Fast", fps="24")
    with open_project(tmp_path / "p") as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Hero", 24, 24 * 20))
        set_tempo_map(pctx, "1M1", TempoMap.constant("24", 24, F(120), bars=9))
        add_theme(pctx, "hero", parse_notestring("4/4 c4 d8 e f4 g a2"))
        import_version(pctx, "1M1", xml)
        rows = theme_report(pctx).matches
    assert [(r.cue, r.bar, r.part, r.doubled_by, r.timecode) for r in rows] == [
        ("1M1", 2, "horn", (), "00:00:03:00"), ("1M1", 6, "violins", ("horn",), "00:00:11:00")]


def test_a_less_likely_occurrence_is_shown_on_asking_and_kept_once_confirmed(
        tmp_path: Path) -> None:
    """A statement with two notes a semitone off scores under the report's default: it is
    shown when the composer widens the report (``min_score``), and once confirmed it is
    shown by default too."""
    from filmscore.writing.themesearch import MIN_SCORE

    near = ((0, 1, 0), (1, F(1, 2), 3), (F(3, 2), F(1, 2), 4), (2, 1, 5), (3, 1, 8),
            (4, 2, 9))
    horn = tuple(Note(F(4) + o, F(d), 65 + p) for o, d, p in HERO)
    violins = tuple(Note(F(20) + o, F(d), 72 + p) for o, d, p in near)
    tmap = TempoMap.constant("24", 24, F(120), bars=8)
    path = write_music(Music((Part("violins", violins, program=48),
                              Part("horn", horn, program=60)), tempo_map=tmap),
                       tmp_path / "v1.mid", tempo_map=tmap)
    init_project(tmp_path / "p", title="Widen", fps="24")
    with open_project(tmp_path / "p") as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Hero", 24, 24 * 20))
        set_tempo_map(pctx, "1M1", TempoMap.constant("24", 24, F(120), bars=9))
        add_theme(pctx, "hero", parse_notestring("4/4 c4 d8 e f4 g a2"))
        import_version(pctx, "1M1", path)
        assert [r.bar for r in theme_report(pctx).matches] == [2]
        wide = theme_report(pctx, min_score=0.5).matches
        assert [(r.bar, r.part) for r in wide] == [(2, "horn"), (6, "violins")]
        assert 0.5 <= wide[1].score < MIN_SCORE
        set_verdict(pctx, "hero", "1M1", 6, "confirmed", author="composer")
        rows = theme_report(pctx).matches
        assert [(r.bar, r.verdict) for r in rows] == [(2, ""), (6, "confirmed")]
        with pytest.raises(InputError, match="min-score"):
            theme_report(pctx, min_score=0.2)


def test_a_theme_heard_by_its_head_alone_is_in_the_wide_reading_and_once_confirmed(
        tmp_path: Path) -> None:
    """A long theme whose first six notes come back in the horn, then go their own way:
    the wide reading shows its head (transformation "head"); the report's reading leaves
    it out until the composer confirms it."""
    from filmscore.writing.themesearch import MIN_SCORE, WIDE_WEIGHTS

    theme = "4/4 c4 e g8 f e4 d g2 c'4 b8 a g4 f e2 c"
    notes = parse_notestring(theme).parts[0].notes
    horn = [Note(F(8) + n.onset, n.duration, n.pitch + 5) for n in notes[:6]]
    end = horn[-1].onset + horn[-1].duration
    horn += [Note(end + i, F(1), p) for i, p in enumerate((47, 44, 52, 45, 49, 43, 50, 41))]
    whole = [Note(F(40) + n.onset, n.duration, n.pitch + 12) for n in notes]
    tmap = TempoMap.constant("24", 24, F(120), bars=20)
    path = write_music(Music((Part("violins", tuple(whole), program=48),
                              Part("horn", tuple(horn), program=60)), tempo_map=tmap),
                       tmp_path / "v1.mid", tempo_map=tmap)
    init_project(tmp_path / "p", title="Heads", fps="24")
    with open_project(tmp_path / "p") as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Hero", 24, 24 * 60))
        set_tempo_map(pctx, "1M1", TempoMap.constant("24", 24, F(120), bars=20))
        add_theme(pctx, "hero", parse_notestring(theme))
        import_version(pctx, "1M1", path)
        assert [(r.bar, r.part, r.transform) for r in theme_report(pctx).matches] == [
            (11, "violins", "prime +12")]
        wide = theme_report(pctx, wide=True).matches
        assert [(r.bar, r.part, r.transform) for r in wide] == [
            (3, "horn", "head +5"), (11, "violins", "prime +12")]
        assert wide[0].head and not wide[1].head
        # above the report's threshold, and left out of its reading all the same
        assert MIN_SCORE <= wide[0].score <= 1 - WIDE_WEIGHTS.head_cost
        set_verdict(pctx, "hero", "1M1", 3, "confirmed", author="composer")
        assert [(r.bar, r.transform, r.verdict) for r in theme_report(pctx).matches] == [
            (3, "head +5", "confirmed"), (11, "prime +12", "")]


def test_a_passage_two_themes_match_is_named_by_the_better_one(tmp_path: Path) -> None:
    """A motif the hero theme opens with, entered as a theme of its own: where the whole
    theme is heard, the report names the theme and says the motif matches too; a
    confirmed occurrence of the motif there is shown, and names the passage; a rejected
    one hides nothing."""
    init_project(tmp_path / "p", title="Rivals", fps="24")
    with open_project(tmp_path / "p") as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Hero", 24, 24 * 20))
        set_tempo_map(pctx, "1M1", TempoMap.constant("24", 24, F(120), bars=9))
        add_theme(pctx, "hero", parse_notestring("4/4 c4 d8 e f4 g a2"))
        add_theme(pctx, "call", parse_notestring("4/4 c4 d8 e f4 g"))
        import_version(pctx, "1M1", _music(tmp_path / "v1.mid", F(4)))

        def seen(**kw):
            return [(r.theme, r.bar, r.also, r.verdict)
                    for r in theme_report(pctx, **kw).matches]

        assert seen(min_score=0.5) == [("hero", 2, ("call",), ""), ("hero", 6, ("call",), "")]
        set_verdict(pctx, "call", "1M1", 6, "confirmed", author="composer")
        assert seen(min_score=0.5) == [("hero", 2, ("call",), ""),
                                       ("call", 6, ("hero",), "confirmed")]
        set_verdict(pctx, "call", "1M1", 2, "rejected", author="composer")
        assert seen(min_score=0.5, include_rejected=True) == [
            ("call", 2, (), "rejected"), ("hero", 2, (), ""),
            ("call", 6, ("hero",), "confirmed")]
