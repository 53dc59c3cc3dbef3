"""The PRO cue sheet's arithmetic (pure values, no database): rows in film order with
drop-frame timecode, durations rounded up to whole seconds, a cue heard twice listed
twice, totals per usage, and shares, IPI numbers, societies and usages checked exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from filmscore.errors import ValidationError
from filmscore.mixing.timeline import MusicTimeline, Placed
from filmscore.rights.cuesheet import (
    Holder,
    Share,
    check_pro,
    check_shares,
    check_usage,
    cue_sheet_rows,
    format_seconds,
    normalize_ipi,
    parse_share,
    pro_cue_sheet_of,
    whole_seconds,
)
from filmscore.timecode import get_rate, parse_label

SR = 48000
JANE = Holder("Jane Doe", "composer", "ASCAP", "123456789")
BOB = Holder("Bob Roe", "composer", "PRS", "00987654321")
TIDE = Holder("Tidewater Music", "publisher", "ASCAP", "55555555555")


def placed(cue, use, start_s, end_s, usage="BI", title="", rate="24"):
    """A use from exact seconds (frames at the rate, samples at 48 kHz)."""
    fps = get_rate(rate).fps
    a, b = Fraction(start_s), Fraction(end_s)
    return Placed(cue=cue, title=title or f"Title {cue}", use=use,
                  record_in=int(a * fps), record_out=-int(-b * fps) // 1,
                  start_sample=int(a * SR), end_sample=int(b * SR), usage=usage, mix=None)


def timeline(*uses, rate="24"):
    return MusicTimeline("The Film", get_rate(rate), SR, 2,
                         tuple(sorted(uses, key=lambda p: p.start_sample)))


SHARES = {None: {"Jane Doe": "100", "Tidewater Music": "100"}}


def test_durations_round_up_to_whole_seconds_and_print_as_minutes():
    assert whole_seconds(Fraction(0)) == 0
    assert whole_seconds(Fraction(1, 5)) == 1  # a sting is a second, never 0:00
    assert whole_seconds(Fraction(60)) == 60
    assert whole_seconds(Fraction(6001, 100)) == 61
    assert format_seconds(7) == "0:07"
    assert format_seconds(125) == "2:05"
    assert format_seconds(75 * 60 + 10) == "75:10"


def test_rows_in_film_order_with_timecode_duration_usage_and_shares():
    tl = timeline(placed("1M1", 1, 3600, Fraction(3600 * 5 + 1, 5), "MT", "Main Title"),
                  placed("1M2", 1, 3700, Fraction(37255, 10)))
    rows = cue_sheet_rows(tl, [JANE, BOB, TIDE], SHARES)
    first, second = rows
    assert (first.sequence, first.label, first.title, first.tc_in) == (
        1, "1M1", "Main Title", "01:00:00:00")
    assert first.exact_seconds == Fraction(1, 5) and first.duration == "0:01"
    assert (first.usage, first.usage_meaning) == ("MT", "main title")
    assert second.tc_in == "01:01:40:00" and second.tc_out == "01:02:05:12"
    assert second.exact_seconds == Fraction(255, 10) and second.duration == "0:26"
    assert [(s.holder.name, s.percent, s.holder.ipi) for s in first.composers] == [
        ("Jane Doe", Decimal(100), "00123456789")]  # a CAE number padded to 11 digits
    assert [s.holder.name for s in first.publishers] == ["Tidewater Music"]


def test_drop_frame_timecode_follows_the_rate():
    rate = get_rate("29.97df")
    start = parse_label("01:00:59;29", rate)
    use = Placed("2M1", "Drop", 1, start, start + 2, 0, SR, "BI", None)
    tl = MusicTimeline("DF Film", rate, SR, 1, (use,))
    row = cue_sheet_rows(tl, [JANE], {None: {"Jane Doe": "100"}})[0]
    assert (row.tc_in, row.tc_out) == ("01:00:59;29", "01:01:00;03")  # ;00 ;01 dropped


def test_a_cue_heard_twice_is_listed_twice_and_totals_add_the_rounded_durations():
    tl = timeline(placed("1M3", 1, 100, Fraction(1105, 10)),  # 10.5 s -> 0:11
                  placed("2M1", 1, 200, 230, "VV"),
                  placed("1M3", 2, 300, Fraction(3102, 10)))  # 10.2 s -> 0:11
    sheet = pro_cue_sheet_of(tl, [JANE, TIDE], SHARES, composer="Jane Doe",
                             date="2027-05-01")
    assert [r.label for r in sheet.rows] == ["1M3", "2M1", "1M3 (use 2)"]
    assert [r.sequence for r in sheet.rows] == [1, 2, 3]
    assert [(t.usage, t.uses, t.seconds, t.duration) for t in sheet.totals] == [
        ("BI", 2, 22, "0:22"), ("VV", 1, 30, "0:30")]
    assert sheet.total_seconds == 52 and sheet.total_duration == "0:52"
    assert [h.name for h in sheet.holders] == ["Jane Doe", "Tidewater Music"]


def test_a_cue_with_its_own_shares_and_the_others_the_default():
    tl = timeline(placed("1M1", 1, 0, 10), placed("1M2", 1, 20, 30))
    shares = {None: {"Jane Doe": "100"},
              "1M2": {"Jane Doe": "33.33", "Bob Roe": "66.67", "Tidewater Music": "100"}}
    rows = cue_sheet_rows(tl, [JANE, BOB, TIDE], shares)
    assert [s.holder.name for s in rows[0].composers] == ["Jane Doe"]
    assert rows[0].publishers == ()  # unpublished: no publisher rows
    assert [(s.holder.name, s.text) for s in rows[1].composers] == [
        ("Jane Doe", "33.33"), ("Bob Roe", "66.67")]


def test_shares_are_exact_and_must_add_up_to_100_per_role():
    thirds = [Share(Holder(n, "composer"), parse_share(p, where="cue 1M1", holder=n))
              for n, p in (("A", "33.33"), ("B", "33.33"), ("C", "33.34"))]
    composers, publishers = check_shares("cue 1M1", thirds)
    assert sum(s.percent for s in composers) == Decimal(100) and publishers == ()
    short = thirds[:2] + [Share(Holder("C", "composer"), Decimal("33.33"))]
    with pytest.raises(ValidationError, match=r"cue 1M1: the composer shares add up to "
                       r"99\.99%, not 100%.*A 33\.33 \+ B 33\.33 \+ C 33\.33.*exactly 100"):
        check_shares("cue 1M1", short)
    pubs = [Share(Holder("J", "composer"), Decimal(100)),
            Share(Holder("P", "publisher"), Decimal(50))]
    with pytest.raises(ValidationError, match="publisher shares add up to 50%"):
        check_shares("cue 1M1", pubs)
    with pytest.raises(ValidationError, match="cue 1M1: no composer shares"):
        check_shares("cue 1M1", pubs[1:])
    with pytest.raises(ValidationError, match=r"share of Jane.*not a number.*'half'"):
        parse_share("half", where="cue 1M1", holder="Jane")
    with pytest.raises(ValidationError, match=r"out of range.*'120'.*at most 100"):
        parse_share("120", where="cue 1M1", holder="Jane")
    assert parse_share("12.5%", where="x", holder="y") == Decimal("12.5")


def test_a_cue_sheet_names_the_cue_whose_shares_do_not_add_up():
    tl = timeline(placed("1M1", 1, 0, 10), placed("3M2", 1, 20, 30))
    bad = {None: {"Jane Doe": "100"}, "3M2": {"Jane Doe": "50", "Bob Roe": "40"}}
    with pytest.raises(ValidationError, match=r"cue 3M2: the composer shares add up to 90%"):
        cue_sheet_rows(tl, [JANE, BOB], bad)
    with pytest.raises(ValidationError, match=r"cue 1M1 \(the project's default shares\): "
                       "no composer shares"):
        cue_sheet_rows(tl, [JANE], {})
    with pytest.raises(ValidationError, match=r"no rights holder 'Nobody'.*Jane Doe"):
        cue_sheet_rows(tl, [JANE], {None: {"Nobody": "100"}})


def test_iso_durations_for_the_xml():
    from filmscore.formats.pro_cuesheet_ddex import iso_duration

    assert iso_duration(0) == "PT0S"
    assert iso_duration(90) == "PT1M30S"
    assert iso_duration(Fraction(3723501, 1000)) == "PT1H2M3.501S"
    assert iso_duration(Fraction(1001, 24000)) == "PT0.042S"  # one frame at 23.976


def test_ipi_society_and_usage_are_checked_against_the_vocabulary():
    assert normalize_ipi("123456789") == "00123456789"
    assert normalize_ipi("1234567890") == "01234567890"
    assert normalize_ipi("000.123.456-78") == "00012345678"
    assert normalize_ipi("") == ""
    with pytest.raises(ValidationError, match=r"holder Jane: not an IPI name number.*"
                       r"'12345'.*9 to 11 digits"):
        normalize_ipi("12345", holder="Jane")
    with pytest.raises(ValidationError, match="not an IPI"):
        normalize_ipi("I-000000229-7")  # an IPI *base* number is not a name number
    assert check_pro("ascap") == "ASCAP"
    with pytest.raises(ValidationError, match=r"unknown performing-rights society.*'XYZ'.*"
                       "ASCAP, BMI"):
        check_pro("XYZ", holder="Jane")
    assert check_usage("vv") == "VV"
    with pytest.raises(ValidationError, match=r"cue 1M3: unknown cue-sheet usage.*'BX'.*"
                       r"BI \(background instrumental\)"):
        check_usage("BX", cue="1M3")
    tl = timeline(placed("1M1", 1, 0, 10, usage="??"))
    with pytest.raises(ValidationError, match="cue 1M1: unknown cue-sheet usage"):
        cue_sheet_rows(tl, [JANE], {None: {"Jane Doe": "100"}})
