"""The performing-rights service on SQLite and PostgreSQL (holders, shares, usage, the
sheet from the music timeline with a cue heard twice), the files written and read back
(CSV, PDF, DDEX-shaped XML), and `filmscore rights|usage|cuesheet` in-process."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree
from sqlalchemy import select
from typer.testing import CliRunner

from filmscore.cli import app
from filmscore.errors import ConflictError, NotFoundError, ValidationError
from filmscore.formats import reader_for
from filmscore.formats.pro_cuesheet_csv import read_pro_cuesheet_csv
from filmscore.formats.pro_cuesheet_ddex import (
    NAMESPACE,
    iso_duration,
    read_pro_cuesheet_ddex,
)
from filmscore.model import Cue, Placement, Project
from filmscore.project import init_project, open_project
from filmscore.rights.service import (
    add_holder,
    holders,
    pro_cue_sheet,
    remove_holder,
    set_shares,
    set_usage,
    shares,
    update_holder,
    write_pro_cue_sheet,
)
from filmscore.store import transaction

HOUR = 3600 * 24  # 01:00:00:00 at 24 fps


@pytest.fixture
def pctx(tmp_path, db_url):
    init_project(tmp_path / "p", title="Rights Film", fps="24", db=db_url)
    with open_project(tmp_path / "p") as ctx:
        with transaction(ctx.engine) as db:
            db.get(Project, ctx.project_id).composer = "Jane Doe"
            for number, start, seconds, title, source in (
                    ("1M1", HOUR + 24, 30, "Main Title", False),
                    ("1M2", HOUR + 60 * 24, 20.5, "Spinach", False),
                    ("2M1", HOUR + 120 * 24, 12, "Radio Song", True)):
                db.add(Cue(project_id=ctx.project_id, number=number, reel=int(number[0]),
                           seq=int(number[-1]), title=title, start_frame=start,
                           end_frame=start + int(seconds * 24), source=source))
        yield ctx


def _second_use(ctx, cue: str, start_frame: int) -> None:
    """A further use of ``cue`` elsewhere on the film (as placing would make it)."""
    with transaction(ctx.engine) as db:
        row = db.scalars(select(Cue).where(Cue.number == cue)).one()
        if db.scalars(select(Placement).where(Placement.cue_id == row.id)).first() is None:
            db.add(Placement(cue_id=row.id, use=1, start_frame=None))
        db.add(Placement(cue_id=row.id, use=2, start_frame=start_frame))


def _people(ctx) -> None:
    add_holder(ctx, "Jane Doe", role="composer", pro="ascap", ipi="123456789")
    add_holder(ctx, "Bob Roe", role="composer", pro="PRS", ipi="00987654321")
    add_holder(ctx, "Ana Lima", role="composer", pro="SACEM", ipi="1122334455")
    add_holder(ctx, "Tidewater Music", role="publisher", pro="ASCAP", ipi="55555555555")


def test_holders_shares_and_usage_make_the_sheet(pctx, tmp_path):
    _people(pctx)
    assert [(h.name, h.role, h.pro, h.ipi) for h in holders(pctx)] == [
        ("Ana Lima", "composer", "SACEM", "01122334455"),
        ("Bob Roe", "composer", "PRS", "00987654321"),
        ("Jane Doe", "composer", "ASCAP", "00123456789"),
        ("Tidewater Music", "publisher", "ASCAP", "55555555555")]
    with pytest.raises(ConflictError, match="already a rights holder 'Jane Doe'"):
        add_holder(pctx, "Jane Doe", role="composer")
    with pytest.raises(ValidationError, match=r"unknown performing-rights society.*'XYZ'"):
        add_holder(pctx, "Zed", role="composer", pro="XYZ")
    with pytest.raises(ValidationError, match=r"holder Zed: not an IPI.*'12'"):
        add_holder(pctx, "Zed", role="composer", ipi="12")
    with pytest.raises(ValidationError, match=r"unknown rights role.*'arranger'"):
        add_holder(pctx, "Zed", role="arranger")

    assert update_holder(pctx, "Ana Lima", ipi="", pro="socan").pro == "SOCAN"
    assert update_holder(pctx, "Ana Lima", ipi="1122334455").ipi == "01122334455"
    with pytest.raises(ValidationError, match=r"holder Ana Lima: not an IPI.*'x1'"):
        update_holder(pctx, "Ana Lima", ipi="x1")
    update_holder(pctx, "Ana Lima", pro="SACEM")

    set_shares(pctx, None, {"Jane Doe": "100", "Tidewater Music": "100"})
    with pytest.raises(ConflictError, match="Jane Doe holds shares as a composer"):
        update_holder(pctx, "Jane Doe", role="publisher")
    assert set_shares(pctx, "1M2", {"Jane Doe": "33.33", "Bob Roe": "33.33",
                                    "Ana Lima": "33.34", "Tidewater Music": "100"}) == {
        "Jane Doe": Decimal("33.33"), "Bob Roe": Decimal("33.33"),
        "Ana Lima": Decimal("33.34"), "Tidewater Music": Decimal(100)}
    before = shares(pctx)
    with pytest.raises(ValidationError, match=r"cue 1M2: the composer shares add up to "
                       r"99\.99%"):
        set_shares(pctx, "1M2", {"Jane Doe": "33.33", "Bob Roe": "33.33",
                                 "Ana Lima": "33.33"})
    with pytest.raises(NotFoundError, match="no cue 9M9"):
        set_shares(pctx, "9M9", {"Jane Doe": "100"})
    assert shares(pctx) == before  # nothing half-written

    assert set_usage(pctx, "1M1", "mt") == "MT"  # makes the placement row of use 1
    _second_use(pctx, "1M2", HOUR + 200 * 24)  # 1M2 heard again at 01:03:20:00
    set_usage(pctx, "1M2", "VI", use=2)
    with pytest.raises(NotFoundError, match="cue 1M2 has no use 3.*uses: 1, 2"):
        set_usage(pctx, "1M2", "BI", use=3)
    with pytest.raises(ValidationError, match=r"cue 1M1: unknown cue-sheet usage.*'XX'"):
        set_usage(pctx, "1M1", "XX")

    sheet = pro_cue_sheet(pctx, date="2027-05-01")
    assert (sheet.title, sheet.composer, sheet.date) == ("Rights Film", "Jane Doe",
                                                         "2027-05-01")
    assert [(r.label, r.usage, r.tc_in, r.tc_out, r.duration) for r in sheet.rows] == [
        ("1M1", "MT", "01:00:01:00", "01:00:31:00", "0:30"),
        ("1M2", "BI", "01:01:00:00", "01:01:20:12", "0:21"),  # 20.5 s rounded up
        ("2M1", "SRC", "01:02:00:00", "01:02:12:00", "0:12"),  # a source cue
        ("1M2 (use 2)", "VI", "01:03:20:00", "01:03:40:12", "0:21")]
    assert [(s.holder.name, s.text) for s in sheet.rows[1].composers] == [
        ("Jane Doe", "33.33"), ("Bob Roe", "33.33"), ("Ana Lima", "33.34")]
    assert [s.holder.name for s in sheet.rows[0].composers] == ["Jane Doe"]  # default
    assert [(t.usage, t.uses, t.duration) for t in sheet.totals] == [
        ("BI", 1, "0:21"), ("VI", 1, "0:21"), ("MT", 1, "0:30"), ("SRC", 1, "0:12")]
    assert sheet.total_duration == "1:24"

    with pytest.raises(ConflictError, match="Bob Roe holds shares of 1M2"):
        remove_holder(pctx, "Bob Roe")
    assert remove_holder(pctx, "Bob Roe", force=True).name == "Bob Roe"
    with pytest.raises(ValidationError, match=r"cue 1M2: the composer shares add up to "
                       r"66\.67%"):
        pro_cue_sheet(pctx)
    with pytest.raises(ValidationError):  # nothing written while the sheet is wrong
        write_pro_cue_sheet(pctx, tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()
    set_shares(pctx, "1M2", {})  # back to the default shares
    assert [s.holder.name for s in pro_cue_sheet(pctx).rows[1].composers] == ["Jane Doe"]
    with pytest.raises(NotFoundError, match="no rights holder 'Nobody'"):
        remove_holder(pctx, "Nobody")


def test_the_files_are_written_and_read_back(pctx, tmp_path):
    _people(pctx)
    set_shares(pctx, None, {"Jane Doe": "100"})
    set_shares(pctx, "1M2", {"Jane Doe": "50", "Ana Lima": "50", "Tidewater Music": "100"})
    set_usage(pctx, "1M1", "MT")
    _second_use(pctx, "1M1", HOUR + 300 * 24)
    set_usage(pctx, "1M1", "ET", use=2)
    written = write_pro_cue_sheet(pctx, tmp_path / "out", date="2027-05-01")
    assert [p.name for p in written] == ["Rights_Film_pro_cue_sheet.csv",
                                         "Rights_Film_pro_cue_sheet.pdf",
                                         "Rights_Film_pro_cue_sheet.xml"]
    sheet = pro_cue_sheet(pctx, date="2027-05-01")
    assert reader_for("pro_cuesheet", written[2]) is read_pro_cuesheet_ddex  # registered
    assert reader_for("pro_cuesheet", written[0]) is read_pro_cuesheet_csv

    lines = read_pro_cuesheet_csv(written[0])
    uses = [line for line in lines if line["seq"] != "total"]
    expected = [(str(r.sequence), r.label, r.usage, r.tc_in, r.tc_out, r.duration, role,
                 s.holder.name, s.text, s.holder.pro, s.holder.ipi)
                for r in sheet.rows for role, group in (("composer", r.composers),
                                                        ("publisher", r.publishers))
                for s in group]
    assert [(x["seq"], x["cue"], x["usage"], x["tc_in"], x["tc_out"], x["duration"],
             x["role"], x["name"], x["share"], x["pro"], x["ipi"]) for x in uses] == expected
    assert [x["cue"] for x in uses].count("1M1 (use 2)") == 1
    assert ("1M2", "publisher", "Tidewater Music", "100") in [
        (x["cue"], x["role"], x["name"], x["share"]) for x in uses]
    totals = [x for x in lines if x["seq"] == "total"]
    assert totals[-1]["usage_meaning"] == "all music"
    assert totals[-1]["duration"] == sheet.total_duration

    xml = read_pro_cuesheet_ddex(written[2])
    assert xml["title"] == "Rights Film"
    assert [(c["sequence"], c["cue"], c["use"], c["usage"], c["title"], c["tc_in"],
             c["tc_out"]) for c in xml["cues"]] == [
        (r.sequence, r.cue, r.use, r.usage, r.title, r.tc_in, r.tc_out) for r in sheet.rows]
    for cue, row in zip(xml["cues"], sheet.rows, strict=True):
        assert cue["duration"] == iso_duration(row.seconds)
        assert [(c["name"], c["role"], c["share"], c["ipi"], c["pro"])
                for c in cue["contributors"]] == [
            (s.holder.name, "Composer" if s.holder.role == "composer" else "MusicPublisher",
             s.text, s.holder.ipi, s.holder.pro) for s in (*row.composers, *row.publishers)]
    assert {c["use_type"] for c in xml["cues"]} >= {"Theme", "Background"}
    # and with a plain XML reader: DDEX's element names where DDEX has them
    root = etree.parse(str(written[2])).getroot()
    ns = {"c": NAMESPACE}
    assert root.findtext("c:CueSheetList/c:CueSheet/c:CueSheetType", namespaces=ns) == (
        "StandardCueSheet")
    first = root.find("c:CueSheetList/c:CueSheet/c:Cue", ns)
    assert first.findtext("c:StartTime", namespaces=ns) == "PT1H1S"
    assert first.findtext("c:CueOrigin", namespaces=ns) == "SpeciallyCommissionedMusic"
    assert len(root.findall(".//c:Party", ns)) == 3  # Bob Roe holds no share

    pdf = written[1].read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000  # conftest renders and looks at it


def _run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result


def _ok(*args) -> str:
    result = _run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    return result.stdout


def _fails(*args) -> str:
    result = _run(*args)
    assert result.exit_code in range(1, 7), (args, result.exit_code, result.stdout)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("filmscore: error: "), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return lines[0]


def test_the_cli_round_trip(tmp_path, monkeypatch):
    for name in ("FILMSCORE_PROJECT", "FILMSCORE_DB", "FILMSCORE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "film"
    _ok("init", p, "--title", "CLI Film", "--fps", "23.976")
    _ok("-p", p, "cue", "add", "1M1", "--start", "01:00:10:00", "--end", "01:00:40:00",
        "--title", "Opening")
    _ok("-p", p, "cue", "add", "1M2", "--start", "01:01:00:00", "--end", "01:01:09:12",
        "--title", "Chase")
    assert "added composer Jane Doe (ASCAP) IPI 00123456789" in _ok(
        "-p", p, "rights", "add", "Jane Doe", "--role", "composer", "--pro", "ASCAP",
        "--ipi", "123456789")
    _ok("-p", p, "rights", "add", "Bob Roe", "--role", "composer", "--pro", "BMI")
    _ok("-p", p, "rights", "add", "Tidewater", "--role", "publisher", "--pro", "ASCAP",
        "--ipi", "55555555555")
    assert "Tidewater" in _ok("-p", p, "rights", "list")
    assert "publisher Tidewater: BMI, IPI 55555555555" in _ok(
        "-p", p, "rights", "edit", "Tidewater", "--pro", "BMI")
    _ok("-p", p, "rights", "edit", "Tidewater", "--pro", "ASCAP")
    assert "unknown rights role" in _fails("-p", p, "rights", "add", "X", "--role", "lyricist")
    _ok("-p", p, "rights", "share", "--default", "Jane Doe=100", "Tidewater=100")
    out = _ok("-p", p, "rights", "share", "1M2", "Jane Doe=66.67", "Bob Roe=33.33",
              "Tidewater=100")
    assert "Jane Doe 66.67%" in out and "Bob Roe 33.33%" in out
    line = _fails("-p", p, "rights", "share", "1M2", "Jane Doe=60", "Bob Roe=30")
    assert "cue 1M2" in line and "add up to 90%" in line
    assert "name the cue first" in _fails("-p", p, "rights", "share", "Jane Doe=100")
    assert "a share is NAME=PCT" in _fails("-p", p, "rights", "share", "1M2", "Jane")
    assert "1M1: MT (main title)" in _ok("-p", p, "usage", "1M1", "MT")
    line = _fails("-p", p, "usage", "1M1", "ZZ")
    assert "'ZZ'" in line and "BI (background instrumental)" in line
    assert "holds shares of 1M2" in _fails("-p", p, "rights", "remove", "Bob Roe")

    out = _ok("-p", p, "cuesheet")
    assert "1M1" in out and "MT" in out and "all music: 2 uses, 0:41" in out
    assert "unknown cue-sheet format" in _fails("-p", p, "cuesheet", "--format", "doc")
    out = _ok("-p", p, "cuesheet", "--out", tmp_path / "sheets", "--format", "csv,xml",
              "--date", "2027-06-01")
    assert "wrote" in out
    files = sorted(x.name for x in (tmp_path / "sheets").iterdir())
    assert files == ["CLI_Film_pro_cue_sheet.csv", "CLI_Film_pro_cue_sheet.xml"]
    xml = read_pro_cuesheet_ddex(tmp_path / "sheets" / files[1])
    assert [(c["cue"], c["usage"], c["duration"]) for c in xml["cues"]] == [
        ("1M1", "MT", "PT31S"), ("1M2", "BI", "PT10S")]  # 30.03 s and 9.51 s, rounded up
    assert [(c["name"], c["share"]) for c in xml["cues"][1]["contributors"]] == [
        ("Jane Doe", "66.67"), ("Bob Roe", "33.33"), ("Tidewater", "100")]
    _ok("-p", p, "rights", "remove", "Bob Roe", "--force")
    assert "Bob Roe" not in _ok("-p", p, "rights", "list")
