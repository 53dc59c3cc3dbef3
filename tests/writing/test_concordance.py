"""The theme report's pure parts: timecodes, end bars, the bars cut out for engraving, and
the composer's verdicts carried onto a new search (within a beat, same part or doubling)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as F

from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.concordance import (
    StoredVerdict,
    apply_verdicts,
    end_bar,
    excerpt,
    timecode_of,
    verdict_text,
    verdict_words,
)
from filmscore.writing.music import Music, Note, Part


@dataclass(frozen=True)
class Row:
    theme: str
    cue: str
    part: str
    onset: F
    doubled_by: tuple[str, ...] = ()


def _v(onset, part="horn", theme="hero", cue="1M1", verdict="confirmed") -> StoredVerdict:
    return StoredVerdict(theme, cue, part, F(onset), 1, "1", verdict, "composer", 1)


METERS = {"1M1": Meter(4, 4), "2M1": Meter(6, 8)}


def test_a_verdict_follows_its_occurrence_within_a_beat_and_no_further() -> None:
    rows = [Row("hero", "1M1", "horn", F(9, 2)), Row("hero", "1M1", "horn", F(20)),
            Row("hero", "1M1", "violins", F(4))]
    given, lost = apply_verdicts(rows, [_v(4), _v(16), _v(20, verdict="rejected")], METERS)
    assert given[0].onset == 4  # half a beat away: the same occurrence
    assert given[1].verdict == "rejected"  # exactly where it was
    assert 2 not in given  # another part at the very onset is another occurrence
    assert [v.onset for v in lost] == [16]  # a bar away: not carried
    # exactly one beat away is no longer "within a beat"
    assert apply_verdicts([Row("hero", "1M1", "horn", F(5))], [_v(4)], METERS)[0] == {}


def test_the_beat_is_the_cues_meters_and_other_themes_and_cues_do_not_match() -> None:
    rows = [Row("hero", "2M1", "horn", F(1, 2))]  # 6/8: a beat is an eighth
    assert apply_verdicts(rows, [_v(F(1, 4), cue="2M1")], METERS)[0]
    assert not apply_verdicts(rows, [_v(0, cue="2M1")], METERS)[0]
    assert not apply_verdicts(rows, [_v(F(1, 2), theme="villain", cue="2M1")], METERS)[0]
    assert not apply_verdicts(rows, [_v(F(1, 2))], METERS)[0]  # cue 1M1


def test_a_doubling_part_keeps_the_verdict_and_the_nearest_verdict_wins() -> None:
    rows = [Row("hero", "1M1", "violins", F(4), ("horn",))]  # the lead moved to violins
    given, lost = apply_verdicts(rows, [_v(F(17, 4)), _v(F(4), verdict="rejected")], METERS)
    assert given[0].verdict == "rejected" and [v.onset for v in lost] == [F(17, 4)]


def test_verdict_texts() -> None:
    assert verdict_text(None, 2) == ""
    assert verdict_text(_v(0), 1) == "confirmed"
    assert verdict_text(_v(0), 2) == "confirmed (on v1)"
    assert verdict_words("confirmed (on v1)", "composer") == "confirmed by composer (on v1)"
    assert verdict_words("rejected", "") == "rejected"
    assert verdict_words("", "composer") == ""


def test_timecode_and_end_bar() -> None:
    tmap = TempoMap.constant("24", 24, F(120), bars=8)  # bar 1 at 00:00:01:00, 2 s a bar
    assert timecode_of(F(4), tmap) == "00:00:03:00"
    assert timecode_of(F(9, 2), tmap) == "00:00:03:06"
    assert timecode_of(F(4), None) == ""
    assert end_bar(F(8), Meter(4, 4)) == 2  # ends on the bar line: its last bar is 2
    assert end_bar(F(17, 2), Meter(4, 4)) == 3
    assert end_bar(F(3), Meter(6, 8)) == 1


def test_the_excerpt_is_the_whole_bars_of_the_part_carrying_it() -> None:
    horn = Part("horn", (Note(F(2), F(4), 60), Note(F(6), F(1), 62), Note(F(9), F(3), 64)),
                program=60)
    tuba = Part("tuba", (Note(F(0), F(12), 36),))
    cut = excerpt(Music((horn, tuba)), "horn", F(6), F(10))  # bars 2 to 3
    assert [p.name for p in cut.parts] == ["horn"]
    # the note sounding into bar 2 is cut at its bar line; bar 3's runs to the end of bar 3
    assert [(n.onset, n.duration, n.pitch) for n in cut.parts[0].notes] == [
        (F(0), F(2), 60), (F(2), F(1), 62), (F(5), F(3), 64)]
    passed = excerpt(Music((horn, tuba)), "horn / tuba", F(0), F(4))
    assert [p.name for p in passed.parts] == ["horn", "tuba"]
    assert passed.parts[1].notes[0].duration == 4
