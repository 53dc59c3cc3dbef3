"""`filmscore session`: added, listed in time order, overlaps and bad values refused."""

from __future__ import annotations


def test_the_cli_adds_lists_and_refuses_overlaps(cli, project24):
    cli.ok("-p", project24, "session", "add", "Day 1 AM", "--start", "2027-03-01 10:00",
           "--tz", "UTC", "--stage", "Stage A")
    cli.ok("-p", project24, "session", "add", "Day 3 AM", "--start", "2027-03-03 10:00",
           "--end", "2027-03-03 13:00", "--tz", "UTC", "--stage", "Stage A")
    before = cli.snapshot(project24)
    cli.fails(cli.run("-p", project24, "session", "add", "Day 1 late", "--start",
                      "2027-03-01 12:00", "--tz", "UTC", "--stage", "Stage A"),
              "overlaps session 'Day 1 AM'")
    cli.fails(cli.run("-p", project24, "session", "add", "Day 1 AM", "--start",
                      "2027-04-01 12:00"), "already exists")
    cli.fails(cli.run("-p", project24, "session", "add", "X", "--start", "2027-04-01 12:00",
                      "--kind", "party"), "unknown session kind", "orchestra")
    assert cli.snapshot(project24) == before
    listed = cli.ok("-p", project24, "session", "list")
    assert listed.index("Day 1 AM") < listed.index("Day 3 AM")
    assert "2 sessions" in listed
