"""The roster CSV round-trips; a bad line is refused naming the file, line and field; the
roster's checks (instruments from the table, who plays what); the demo roster covers
every chair of the studio template."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscore.errors import InputError, ParseError, ValidationError
from filmscore.formats.roster_csv import read_roster_csv, write_roster_csv
from filmscore.musicians.roster import check_plays, make_musician
from filmscore.orchestration.ensembles import get_template

DEMO_ROSTER = Path(__file__).resolve().parents[2] / "demo" / "popeye1936" / "roster.csv"


def test_round_trip(tmp_path):
    specs = [make_musician("Ann Lee", ["flute", "piccolo"], union="AFM Local 47",
                           contact="ann@example.org", notes="principal, says \"hi\""),
             make_musician("Bo Chan", ["Clarinet in B♭", "bass clarinet"]),
             make_musician("Cy Dunn", ["vc"])]  # an alias: cello
    path = write_roster_csv(specs, tmp_path / "roster.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = read_roster_csv(path)
    assert back == specs
    assert back[1].instruments == ("clarinet_bb", "bass_clarinet")
    assert back[2].instruments == ("cello",)


@pytest.mark.parametrize(("text", "needles"), [
    ("name,instruments\nAnn Lee,flute\nBo Chan,flute; kazooo\n",
     ["line 3", "field instruments", "unknown instrument", "kazooo"]),
    ("name,instruments\nAnn Lee,flute\n,oboe\n", ["line 3", "field name", "needs a name"]),
    ("name,instruments\n# a comment\nAnn Lee,\n", ["line 3", "field instruments",
                                                    "plays no instrument"]),
    ("name,instruments\nAnn Lee,flute\nann lee,oboe\n", ["line 3", "already on line 2"]),
    ("name,instruments,fee\nAnn Lee,flute,1\n", ["line 1", "unknown column 'fee'"]),
    ("name,union\nAnn Lee,AFM\n", ["line 1", "lacks the column(s) instruments"]),
    ("name,instruments\nAnn Lee,flute,extra\n", ["line 2", "3 cells"]),
    ("", ["has no header"]),
])
def test_bad_lines_name_the_line_and_field(tmp_path, text, needles):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        read_roster_csv(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    for needle in needles:
        assert needle in message, (needle, message)


def test_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="(?i)no such file"):
        read_roster_csv(tmp_path / "nope.csv")


def test_who_plays_what():
    ann = make_musician("Ann Lee", ["flute", "piccolo"])
    assert check_plays(ann, ["Flute", "picc"]) == ("flute", "piccolo")
    with pytest.raises(ValidationError) as caught:
        check_plays(ann, ["oboe"])
    assert str(caught.value) == "musician 'Ann Lee' does not play oboe; plays: flute, piccolo"


def test_the_demo_roster_covers_the_studio_orchestra():
    specs = read_roster_csv(DEMO_ROSTER)
    studio = get_template("studio")
    assert len(specs) > studio.player_count
    for chair in studio.chairs:
        players = [s for s in specs if chair.instrument in s.instruments]
        assert len(players) >= chair.players, chair.label
        for double in chair.doubles:
            assert any(double in s.instruments and chair.instrument in s.instruments
                       for s in specs), (chair.label, double)
    # Violin I and II together: 26 violinists
    assert sum(1 for s in specs if "violin" in s.instruments) >= 26
