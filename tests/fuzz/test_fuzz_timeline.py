"""Fuzz suite of the timeline, picture and spotting readers: EDL, FCP XML, OTIO, SubRip
subtitles, spotting CSV, Pro Tools session text, change-list CSV, roster CSV and video.

Every reader, given random bytes, a mutated real file (the seeds in tests/fuzz/corpus) or
a random record of the right shape, returns or refuses with one line naming the file
(``fuzzing.clean``); never an internal error.  At the service level a refused import
leaves the project as it was: every row of every table and every file and folder under
media/.  The seed corpus keeps every case that once failed (issue 15) as a regression
test, named after the case; the FIFO, /dev/zero and folder inputs are made here.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import MetaData, event, select
from typer.testing import CliRunner

from filmscore.cli import app
from filmscore.errors import ConflictError, FilmscoreError, InputError, ValidationError
from filmscore.formats.changelist_csv import read_changelist_csv
from filmscore.formats.otio_cut import read_cut
from filmscore.formats.protools_text import read_protools_text, to_cues
from filmscore.formats.roster_csv import read_roster_csv
from filmscore.formats.spotting_csv import read_spotting_csv
from filmscore.formats.subtitles import read_srt
from filmscore.formats.video import read_cut as read_video
from filmscore.project import init_project, open_project
from filmscore.spotting import service as spotting
from filmscore.spotting.exchange import read_spotting
from filmscore.store import MediaStore
from fuzzing import CORPUS, EXAMPLES, FUZZ, clean, mutate


def _session_cues(path: Path):
    session = read_protools_text(path)
    return to_cues(session, cue_tracks=[session.tracks[0].name] if session.tracks else None,
                   sync_tracks=None, markers_as="sync")


#: every reader of this suite, by the seed it is fuzzed from, and its file suffix
READERS = {
    "seed_screening.edl": lambda p: read_cut(p, "24"),
    "seed_dissolve.edl": lambda p: read_cut(p, "24"),
    "seed_hiero.xml": lambda p: read_cut(p, None),
    "seed_dissolve.otio": lambda p: read_cut(p, "24"),
    "seed_popeye.srt": lambda p: read_srt(p, "24"),
    "seed_spotting.csv": lambda p: read_spotting_csv(p, "24"),
    "seed_charade.txt": _session_cues,
    "seed_changes.csv": lambda p: read_changelist_csv(p, rate="25"),
    "seed_roster.csv": read_roster_csv,
}


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# --- any bytes, mutated real files --------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(READERS))
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_cleanly(tmp_path, seed, data):
    path = _write(tmp_path, "random" + Path(seed).suffix, data)
    clean(READERS[seed], path, source=str(path))


@pytest.mark.parametrize("seed", sorted(READERS))
@FUZZ
@given(rng=st.randoms(use_true_random=False), edits=st.sampled_from([1, 3, 8]))
def test_mutated_real_files_read_or_refuse_cleanly(tmp_path, seed, rng, edits):
    path = _write(tmp_path, "mutated" + Path(seed).suffix,
                  mutate((CORPUS / seed).read_bytes(), rng, edits))
    clean(READERS[seed], path, source=str(path))


# --- random records of the right shape ----------------------------------------------------

_numbers = st.one_of(st.integers(0, 10**6), st.integers(10**6, 10**60),
                     st.just(10**4000), st.integers(-10**6, -1))
_labels = st.one_of(
    st.builds(lambda h, m, s, f: f"{h:02d}:{m:02d}:{s:02d}:{f:02d}", st.integers(0, 99),
              st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    st.sampled_from(["00:00:00:00", "23:59:59:23", "01:00:00:00", "99:99:99:99"]))


@FUZZ
@given(events=st.lists(st.tuples(_numbers, st.sampled_from(["C", "D", "W001", "K"]),
                                 _numbers, _labels, _labels, _labels, _labels,
                                 st.sampled_from(["V", "A", "A2", "AA/V", "B"])),
                       min_size=1, max_size=6),
       fcm=st.sampled_from(["", "FCM: NON-DROP FRAME\n", "FCM: DROP FRAME\n"]))
def test_edl_event_lines_of_any_values(tmp_path, events, fcm):
    rows = [f"TITLE: fuzz\n{fcm}"]
    for number, trans, length, *labels, channel in events:
        dur = f" {length:03d}" if trans != "C" else ""
        rows.append(f"{number:03d}  AX  {channel}  {trans}{dur}  {' '.join(labels)}\n")
    path = _write(tmp_path, "shaped.edl", "".join(rows).encode())
    cut = clean(read_cut, path, "24", source=str(path))
    if cut is not None:  # a cut read is a cut the database can hold
        assert all(abs(e.record_in) < 2**63 and 0 <= e.index <= 999_999 for e in cut.events)


_floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10**5),
                    st.sampled_from([1e300, -1e300, 0.5, 1e-300]))


@FUZZ
@given(start=_floats, duration=_floats, rate=_floats, index=st.one_of(_floats, st.text()),
       marker=_floats)
def test_otio_clips_of_any_values(tmp_path, start, duration, rate, index, marker):
    doc = json.loads((CORPUS / "seed_dissolve.otio").read_text())
    clip = doc["tracks"]["children"][0]["children"][0]
    clip["source_range"]["start_time"].update(value=start, rate=rate)
    clip["source_range"]["duration"]["value"] = duration
    clip["metadata"]["filmscore"]["index"] = index
    clip["markers"] = [{"OTIO_SCHEMA": "Marker.2", "name": "m", "metadata": {},
                        "color": "RED", "comment": "",
                        "marked_range": {"OTIO_SCHEMA": "TimeRange.1",
                                         "start_time": {"OTIO_SCHEMA": "RationalTime.1",
                                                        "rate": 24.0, "value": 86501.0},
                                         "duration": {"OTIO_SCHEMA": "RationalTime.1",
                                                      "rate": 24.0, "value": marker}}}]
    path = _write(tmp_path, "shaped.otio", json.dumps(doc).encode())
    clean(read_cut, path, "24", source=str(path))


@FUZZ
@given(subs=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6),
                               st.text(max_size=20)), max_size=5))
def test_subtitles_of_any_times(tmp_path, subs):
    def stamp(ms: int) -> str:
        hours, rest = divmod(ms, 3_600_000)
        return f"{hours:02d}:{rest // 60_000:02d}:{rest // 1000 % 60:02d},{rest % 1000:03d}"

    text = "".join(f"{i}\n{stamp(a * 997)} --> {stamp(b * 997)}\n{body or '-'}\n\n"
                   for i, (a, b, body) in enumerate(subs, start=1))
    path = _write(tmp_path, "shaped.srt", text.encode())
    markers = clean(read_srt, path, "24", source=str(path))
    if markers is not None:
        assert markers and all(m.end_frame is None or m.end_frame > m.frame for m in markers)
        assert all(m.frame <= 24 * 86400 for m in markers)


_cells = st.one_of(_labels, st.sampled_from(["", "1e300", "nan", "-1", "inf", "9" * 400]),
                   st.text(max_size=8))


@FUZZ
@given(rows=st.lists(st.tuples(st.sampled_from(["cue", "sync", "x"]),
                               st.sampled_from(["1M1", "1M2", "9" * 30 + "M1", "1M1s"]),
                               _cells, _cells, _cells, _cells), min_size=1, max_size=6))
def test_spotting_rows_of_any_values(tmp_path, rows):
    lines = ["type,cue,title,start,end,sync_kind,weight"]
    for kind, cue, start, end, sync_kind, weight in rows:
        if kind == "sync":
            lines.append(f"sync,{cue},,{start},,{sync_kind},{weight}")
        else:
            lines.append(f"{kind},{cue},t,{start},{end},,")
    path = _write(tmp_path, "shaped.csv", "\n".join(lines).encode())
    clean(read_spotting_csv, path, "24", source=str(path))


# --- the seed corpus: every case that once failed ----------------------------------------

#: (corpus file, reader, words the one-line refusal must hold); None: it must be read
CASES = [
    ("edl_huge_event_number.edl", "edl", ["line 9", "event number", "0 to 999,999"]),
    ("edl_drop_frame_at_24fps.edl", "edl", ["line 2", "DROP FRAME", "24 fps"]),
    ("edl_transition_number_written_differently.edl", "edl", None),
    ("fcpxml_huge_start.xml", "xml", ["record in", "within a day"]),
    ("fcpxml_huge_end.xml", "xml", ["duration", "within a day"]),
    ("fcpxml_huge_in.xml", "xml", ["source in", "within a day"]),
    ("fcpxml_clip_without_start.xml", "xml", ["clip item", "<start>"]),
    # entities that expand a billion times: expat's amplification limit stops it
    ("fcpxml_billion_laughs.xml", "xml", ["amplification"]),
    ("otio_duration_1e300.otio", "otio", ["duration of clip_A", "1e+300 frames",
                                          "within a day"]),
    ("otio_duration_nan.otio", "otio", ["duration of clip_A", "nan", "finite"]),
    ("otio_duration_infinity.otio", "otio", ["duration of clip_A", "inf", "finite"]),
    ("otio_clip_without_range.otio", "otio", ["neither a source range nor media"]),
    ("otio_index_1e300.otio", "otio", ["filmscore.index", "1e+300", "999,999"]),
    ("otio_rate_zero.otio", "otio", ["rate", "above 0"]),
    # OpenTimelineIO's JSON reader died of a segmentation fault on both
    ("otio_clip_schema_older_than_its_fields.otio", "otio",
     ["OpenTimelineIO crashed reading it", "signal 11"]),
    ("otio_object_left_open.otio", "otio", ["line 125", "not JSON"]),
    ("srt_100_hours.srt", "srt", ["line 61", "subtitle 14 start", "within a day"]),
    ("srt_empty.srt", "srt", ["no subtitles"]),
    ("srt_zero_length.srt", "srt", None),
    ("spotting_weight_1e300.csv", "spotting", ["line 3", "weight", "1e+300", "1,000"]),
    ("protools_huge_reel.txt", "protools", ["marker at 01:18:50:20", "reel number",
                                            "26 digits", "1 to 99"]),
    ("changes_newline_in_cell.csv", "changes", []),
    ("changes_huge_frame.csv", "changes", ["line 3", "old_in_frame", "digits"]),
    ("video_one_frame.mkv", "video", ["frames", "got 1", "more than one"]),
    ("video_tag_not_utf8.mkv", "video", None),
]

_CASE_READERS = {
    "edl": lambda p: read_cut(p, "24"),
    "xml": lambda p: read_cut(p, None),
    "otio": lambda p: read_cut(p, "24"),
    "srt": lambda p: read_srt(p, "24"),
    "spotting": lambda p: read_spotting_csv(p, "24"),
    "changes": lambda p: read_changelist_csv(p, rate="25"),
    "protools": _session_cues,
    # shot detection too: ffmpeg prints the file's tags, bytes that are not UTF-8
    "video": lambda p: read_video(p, "24", shots=True),
}


@pytest.mark.parametrize("name,kind,needles", CASES, ids=[c[0] for c in CASES])
def test_corpus_case(name, kind, needles):
    path = CORPUS / name
    try:
        read = _CASE_READERS[kind](path)
    except FilmscoreError as error:
        text = str(error)
        assert needles is not None, f"{name} must be read, not refused: {text}"
        assert "\n" not in text and name in text, text
        assert "ck_" not in text and "Traceback" not in text
        for needle in needles:
            assert needle in text, (needle, text)
        return
    assert needles is None or needles == [], f"{name} must be refused, was read: {read!r}"


def test_otio_nested_100000_levels_is_refused_before_otio_sees_it(tmp_path):
    path = _write(tmp_path, "deep.otio", b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(InputError, match=r"deep\.otio: JSON nested too deeply.*100,000"):
        read_cut(path, "24")


@pytest.mark.parametrize("inner,needle", [
    (("content.otio", "[" * 5000 + "]" * 5000), "nested too deeply"),
    (("other.txt", "x"), "no item named 'content.otio'"),
    (None, "not a zip file"),
    (("content.otio", "seed"), None),
])
def test_otioz_bundles(tmp_path, inner, needle):
    import zipfile

    path = tmp_path / "cut.otioz"
    if inner is None:
        path.write_bytes(b"PK\x03\x04 not a zip")
    else:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
            name, text = inner
            bundle.writestr(name, (CORPUS / "seed_dissolve.otio").read_text()
                            if text == "seed" else text)
    if needle is None:
        assert len(read_cut(path, "24").events) == 3
        return
    with pytest.raises(InputError) as info:
        read_cut(path, "24")
    assert "cut.otioz" in str(info.value) and needle in str(info.value).lower(), info.value


_GATED = [("cut.edl", lambda p: read_cut(p, "24")), ("cut.xml", lambda p: read_cut(p, None)),
          ("cut.otio", lambda p: read_cut(p, "24")), ("subs.srt", lambda p: read_srt(p, "24")),
          ("spots.csv", lambda p: read_spotting_csv(p, "24")),
          ("session.txt", read_protools_text),
          ("changes.csv", lambda p: read_changelist_csv(p, rate="24")),
          ("roster.csv", read_roster_csv), ("clip.mkv", lambda p: read_video(p, "24"))]


@pytest.mark.parametrize("special", ["fifo", "dev_zero", "folder"])
@pytest.mark.parametrize("name,reader", _GATED, ids=[g[0] for g in _GATED])
def test_pipes_devices_and_folders_are_refused_at_once(tmp_path, special, name, reader):
    path = tmp_path / name
    if special == "fifo":
        os.mkfifo(path)  # nobody writes to it: a read would wait for ever
    elif special == "dev_zero":
        path.symlink_to("/dev/zero")  # a read would run until memory is exhausted
    else:
        path.mkdir()
    with pytest.raises(InputError) as info:
        reader(path)
    text = str(info.value)
    assert name in text and "not a file" in text and "\n" not in text
    if special == "fifo":
        assert stat.S_ISFIFO(os.stat(path).st_mode)


def test_an_input_over_its_kinds_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FILMSCORE_INPUT_LIMITS", "edl=1KB,subtitles=100B")
    big = _write(tmp_path, "big.edl", (CORPUS / "seed_screening.edl").read_bytes())
    with pytest.raises(InputError, match=r"big\.edl: the file is too large.*1 KB"):
        read_cut(big, "24")
    srt = _write(tmp_path, "big.srt", (CORPUS / "seed_popeye.srt").read_bytes())
    with pytest.raises(InputError, match="too large"):
        read_srt(srt, "24")


# --- service level: a refused import changes nothing ------------------------------------


_TABLES: dict[str, MetaData] = {}


def _snapshot(pctx) -> tuple[dict, list[str]]:
    """Every row of every table, and every file and folder under media/."""
    meta = _TABLES.get(str(pctx.directory))
    if meta is None:
        meta = _TABLES[str(pctx.directory)] = MetaData()
        meta.reflect(pctx.engine)
    with pctx.engine.connect() as conn:
        tables = {name: sorted((tuple(r) for r in conn.execute(select(table))), key=repr)
                  for name, table in sorted(meta.tables.items())}
    media = sorted(str(p.relative_to(pctx.media.root)) for p in pctx.media.root.rglob("*"))
    return tables, media


def _open(folder: Path, first_cut: Path):
    """A 24 fps project holding v1 (``first_cut``), made fast for the fuzz examples: no
    fsync (SQLite's synchronous=OFF, and the media store's), since what is tested is what
    a refused import leaves, not what survives a power cut."""
    init_project(folder, title="Fuzz", fps="24")
    pctx = open_project(folder)
    event.listen(pctx.engine, "connect",
                 lambda conn, _record: conn.execute("PRAGMA synchronous = OFF"))
    pctx.engine.dispose()
    spotting.import_picture(pctx, first_cut, shots=False)
    return pctx


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project the picture imports are fuzzed on (v1: the screening EDL)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", lambda _fd: None)
        pctx = _open(tmp_path_factory.mktemp("fuzz") / "film", CORPUS / "seed_screening.edl")
        yield pctx
        pctx.close()


@pytest.fixture(scope="module")
def spotted(tmp_path_factory):
    """The project the spotting and roster imports are fuzzed on: one picture version
    01:00:00:00 to 01:04:00:00, which the seed spotting list lies in."""
    folder = tmp_path_factory.mktemp("fuzz")
    span = _write(folder, "span.edl", SPAN_EDL.encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", lambda _fd: None)
        pctx = _open(folder / "film", span)
        yield pctx
        pctx.close()


SPAN_EDL = """TITLE: SPAN
FCM: NON-DROP FRAME

001  PART1    V     C        00:00:00:00 00:04:00:00 01:00:00:00 01:04:00:00
"""

#: the service-level properties import into a database: fewer examples each
SERVICE = settings(FUZZ, max_examples=max(4, EXAMPLES // 2))


def _import_or_unchanged(pctx, run, source: Path):
    before = _snapshot(pctx)
    try:
        return run()
    except FilmscoreError as error:
        text = str(error)
        assert "\n" not in text and str(source) in text, text
        assert "ck_" not in text, text
        assert _snapshot(pctx) == before, f"a refused import changed the project: {text}"
        return None


_PICTURE_SEEDS = ["seed_screening.edl", "seed_dissolve.edl", "seed_hiero.xml",
                  "seed_dissolve.otio"]


@pytest.mark.parametrize("seed", _PICTURE_SEEDS)
@SERVICE
@given(rng=st.randoms(use_true_random=False))
def test_picture_import_of_mutated_cuts(project, tmp_path, seed, rng):
    path = _write(tmp_path, "cut" + Path(seed).suffix,
                  mutate((CORPUS / seed).read_bytes(), rng, rng.choice([1, 3])))
    last = len(spotting.list_pictures(project))
    summary = _import_or_unchanged(
        project, lambda: spotting.import_picture(project, path, shots=False), path)
    if summary is not None:
        assert summary.number == last + 1 and summary.events > 0


@SERVICE
@given(rng=st.randoms(use_true_random=False))
def test_picture_import_with_mutated_subtitles(project, tmp_path, rng):
    srt = _write(tmp_path, "subs.srt", mutate((CORPUS / "seed_popeye.srt").read_bytes(), rng))
    _import_or_unchanged(project, lambda: spotting.import_picture(
        project, CORPUS / "seed_dissolve.edl", shots=False, subtitles=[srt]), srt)


@SERVICE
@given(rng=st.randoms(use_true_random=False))
def test_spotting_import_of_mutated_lists(spotted, tmp_path, rng):
    path = _write(tmp_path, "spots.csv",
                  mutate((CORPUS / "seed_spotting.csv").read_bytes(), rng, rng.choice([1, 3])))

    def run():  # as `filmscore spotting import` does: a refusal names the file
        cues = read_spotting(path, rate=spotted.rate)
        try:
            return spotting.import_cues(spotted, cues, replace_all=True)
        except InputError as error:
            raise error.located(source=str(path)) from None

    _import_or_unchanged(spotted, run, path)


@SERVICE
@given(rng=st.randoms(use_true_random=False))
def test_roster_import_of_mutated_rosters(spotted, tmp_path, rng):
    from filmscore.musicians.service import import_roster

    path = _write(tmp_path, "roster.csv",
                  mutate((CORPUS / "seed_roster.csv").read_bytes(), rng, rng.choice([1, 3])))
    _import_or_unchanged(spotted, lambda: import_roster(spotted, path, replace=True), path)


@pytest.fixture(scope="module")
def changes_seed(project, tmp_path_factory) -> bytes:
    """A change list of the fuzzed project (v1 to v2), as `conform compare --csv` writes."""
    from filmscore.conform.service import compare, import_change_list
    from filmscore.formats.changelist_csv import write_changelist_csv

    folder = tmp_path_factory.mktemp("changes")
    text = (CORPUS / "seed_screening.edl").read_text()
    recut = _write(folder, "recut.edl", text[:text.index("\n007 ")].encode())  # 6 events
    new = spotting.import_picture(project, recut, shots=False)
    _info, changes = compare(project, 1, new.number)
    seed = write_changelist_csv(changes, folder / "c.csv")
    assert import_change_list(project, seed)[1] == changes  # the seed itself imports
    return seed.read_bytes()


@SERVICE
@given(rng=st.randoms(use_true_random=False))
def test_change_list_import_of_mutated_lists(project, changes_seed, tmp_path, rng):
    from filmscore.conform.service import import_change_list

    path = _write(tmp_path, "changes.csv", mutate(changes_seed, rng, rng.choice([1, 3])))
    _import_or_unchanged(project, lambda: import_change_list(project, path), path)


@pytest.mark.parametrize("name", ["srt_zero_length.srt", "srt_5_hours_after_the_cut.srt",
                                  "srt_100_hours.srt", "srt_empty.srt"])
def test_subtitle_cases_at_the_service(project, name):
    path = CORPUS / name
    summary = _import_or_unchanged(project, lambda: spotting.import_picture(
        project, CORPUS / "seed_dissolve.edl", shots=False, subtitles=[path]), path)
    # a subtitle of no length is stored as a point (it once broke ck_markers_end_after_frame)
    assert (summary is not None) == (name == "srt_zero_length.srt")


def test_a_refused_import_leaves_no_empty_media_folder(project, monkeypatch, tmp_path):
    """The file is stored, then the database refuses: the file and its new folder go."""
    import hashlib

    text = (CORPUS / "seed_dissolve.edl").read_bytes()
    for n in range(1000):  # content whose media folder does not exist yet
        data = text + f"* NOTE {n}\n".encode()
        if not (project.media.root / hashlib.sha256(data).hexdigest()[:2]).exists():
            break
    path = _write(tmp_path, "new.edl", data)
    before = _snapshot(project)

    def refuse(*_args, **_kwargs):
        raise ValidationError("refused on purpose", source=str(path))

    monkeypatch.setattr(spotting, "_new_version", refuse)
    with pytest.raises(ValidationError):
        spotting.import_picture(project, path, shots=False)
    assert _snapshot(project) == before


def test_media_store_adding_removes_the_folder_it_made(tmp_path):
    media = MediaStore(tmp_path / "media")
    with pytest.raises(RuntimeError), media.adding():
        media.put(b"some content", ".edl")
        raise RuntimeError("the transaction failed")
    assert list((tmp_path / "media").iterdir()) == []


def test_a_version_number_taken_meanwhile_is_not_the_users_fault(project, monkeypatch):
    """Two imports at once: the loser takes the next number, it does not tell the user
    (who chose none) to choose another."""
    real = spotting._next_number
    calls = []

    def stale(session, project_id):  # the first try reads before the other import wrote
        calls.append(1)
        number = real(session, project_id)
        return number - 1 if len(calls) == 1 else number

    monkeypatch.setattr(spotting, "_next_number", stale)
    last = len(spotting.list_pictures(project))
    summary = spotting.import_picture(project, CORPUS / "seed_dissolve.edl", shots=False)
    assert summary.number == last + 1 and len(calls) == 2


def test_a_taken_number_that_stays_taken_is_still_a_conflict(project, monkeypatch):
    monkeypatch.setattr(spotting, "_next_number", lambda session, project_id: 1)
    before = _snapshot(project)
    with pytest.raises(ConflictError):
        spotting.import_picture(project, CORPUS / "seed_dissolve.edl", shots=False)
    assert _snapshot(project) == before


# --- through the CLI entry point ---------------------------------------------------------


def test_cli_import_of_corpus_files_is_never_an_internal_error(tmp_path, monkeypatch):
    for name in ("FILMSCORE_PROJECT", "FILMSCORE_DB", "FILMSCORE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, [str(a) for a in args])

    film = tmp_path / "film"
    assert run("init", film, "--title", "Fuzz", "--fps", "24").exit_code == 0
    fifo = tmp_path / "pipe.edl"
    os.mkfifo(fifo)
    commands = [("picture", "import", CORPUS / name, "--no-shots") for name in (
        "edl_huge_event_number.edl", "fcpxml_huge_start.xml", "otio_duration_nan.otio",
        "otio_clip_without_range.otio", "video_one_frame.mkv")]
    commands += [("picture", "import", fifo),
                 ("picture", "import", CORPUS / "seed_screening.edl", "--no-shots",
                  "--subtitles", CORPUS / "srt_100_hours.srt"),
                 ("spotting", "import", CORPUS / "spotting_weight_1e300.csv")]
    for command in commands:
        result = run("-p", film, *command)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code in range(1, 7), (command, result.exit_code, result.stderr)
        assert len(lines) == 1 and lines[0].startswith("filmscore: error: "), result.stderr
        assert Path(command[-1] if "--subtitles" in command else command[2]).name \
            in lines[0]
    assert not any(p.is_dir() and not any(p.iterdir()) for p in (film / "media").rglob("*"))


def test_corpus_has_every_seed_and_case():
    names = {p.name for p in CORPUS.iterdir()}
    assert set(READERS) <= names and {c[0] for c in CASES} <= names
    assert all(os.path.getsize(CORPUS / n) < 64 * 1024 for n in names)
