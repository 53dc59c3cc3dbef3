"""Sessions on the stage: added, listed in time order, overlaps and bad times refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from filmscore.errors import InputError, ValidationError
from filmscore.recording.sessions import SessionSpec, check_session, parse_time


def _at(hour: int, day: int = 1) -> datetime:
    return datetime(2027, 3, day, hour, tzinfo=UTC)


def test_an_overlapping_session_on_the_same_stage_is_refused_with_both_names():
    day1 = SessionSpec("Day 1 AM", _at(10), _at(13), stage="Stage A")
    with pytest.raises(ValidationError, match="overlaps session 'Day 1 AM'"):
        check_session(SessionSpec("Day 1 PM", _at(12), _at(15), stage="Stage A"), [day1])
    # another room at the same time is fine (a choir apart), and so is the afternoon
    check_session(SessionSpec("Choir", _at(12), _at(15), stage="Choir room"), [day1])
    check_session(SessionSpec("Day 1 PM", _at(13), _at(16), stage="Stage A"), [day1])


def test_times_are_parsed_in_the_zone_asked_and_bad_ones_named():
    local = parse_time("2027-03-01 10:00", tz="America/Los_Angeles")
    assert local.astimezone(UTC) == datetime(2027, 3, 1, 18, tzinfo=UTC)
    with pytest.raises(InputError, match="field start: not a date and time .*'next Monday'"):
        parse_time("next Monday")
    with pytest.raises(InputError, match="unknown time zone"):
        parse_time("2027-03-01 10:00", tz="Mars/Olympus")
    with pytest.raises(ValidationError, match="ends before it starts"):
        check_session(SessionSpec("x", _at(13), _at(10)), [])


def test_a_session_shows_on_its_stages_clock_whatever_the_machines_zone():
    from filmscore.recording.sessions import local_time

    evening = SessionSpec("Day 1 PM", datetime(2027, 3, 2, 0, tzinfo=UTC),
                          datetime(2027, 3, 2, 3, tzinfo=UTC), tz="America/Los_Angeles")
    assert evening.local_start.hour == 16 and evening.local_end.hour == 19
    assert str(evening.day) == "2027-03-01"  # the stage's day, not UTC's
    assert local_time(evening.starts_at, "Europe/London").hour == 0
