"""Picture import: every EDL/XML in tests/data/edl, pycmx event counts, round trips, fuzz."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filmscore.errors import InputError, ParseError
from filmscore.formats import reader_for, register, writer_for
from filmscore.formats.otio_cut import read_cut, write_edl, write_otio
from filmscore.spotting.cut import CutEvent, infer_reels
from filmscore.timecode import get_rate, parse_label

DATA = Path(__file__).resolve().parent.parent / "data" / "edl"
ALL_FILES = sorted(p for p in DATA.rglob("*") if p.suffix.lower() in (".edl", ".xml"))

#: The rate of each EDL (EDLs do not state it).  Frame fields reach :24 in these files,
#: so they are 25-frame timecode: Premiere's test EDLs from pycmx, and OTIO's 25 fps ones.
RATE = {
    "otio/25fps.edl": "25",
    "otio/timecode_mismatch.edl": "25",
    "pycmx/test_25.edl": "25",
    "pycmx/test_24psf.edl": "25",  # 24 PsF material carried in 25-frame timecode
}

#: Files refused, each with the message that says why.
REFUSED = {
    # a Premiere XML sequence with no clip at all (OTIO's test of an empty track)
    "otio/sample_just_track.xml": "holds no clips: an empty sequence",
}

#: Events per track, counted by hand from the numbered event lines (one event number per
#: track, a dissolve's two lines being one event).  pycmx's own tests expect 287 events
#: for INS4_R1_010417, 376 for ToD_R4 and 120 for TEST.edl.
EXPECTED_TRACKS = {
    "pycmx/INS4_R1_010417.edl": {"V": 287},
    # 475 events as pycmx reads them; 135 and 137 have 30 fps sources (left out, warned)
    "pycmx/INS4_R3_DX_092117.edl": {"A1": 335, "A2": 102, "A3": 38},
    "pycmx/ToD_R4_LOCK3.1_030618_Video.edl": {"V": 376},
    "pycmx/TEST.edl": {"A1": 34, "A2": 11, "A5": 1, "A7": 25, "A8": 4, "A10": 9,
                       "A11": 13, "A12": 23},
    "pycmx/ISSUE_14_conform_edl_issue_03.edl": {"V": 42},
    "pycmx/ISSUE_19_unusual01.edl": {"V": 38},
    # events 004 and 005 share record 00:01:30:00-00:01:54:17 on V: the second is
    # superimposed, read onto V2; "AA" events go on A1 and A2
    "pycmx/test_24psf.edl": {"V": 6, "V2": 1, "A1": 3, "A2": 3},
    "pycmx/test_25.edl": {"V": 7, "A1": 4, "A2": 4},
    "changelist/Demo_edit_v1.edl": {"V": 12},
    "changelist/Demo_edit_v2.edl": {"V": 11},
    "otio/dissolve_test.edl": {"V": 3},
    "otio/wipe_test.edl": {"V": 3},
    "otio/gap_test.edl": {"V": 3},
    "otio/multi_audio.edl": {"A1": 1, "A2": 1},
    "otio/screening_example.edl": {"V": 9},
    "otio/timecode_mismatch.edl": {"V": 20},
}


def rel(path: Path) -> str:
    return path.relative_to(DATA).as_posix()


def read(path: Path):
    name = rel(path)
    rate = RATE.get(name, "24") if path.suffix == ".edl" else None
    return read_cut(path, rate)


def test_all_data_files_are_listed():
    assert len(ALL_FILES) == 25
    assert {rel(p) for p in ALL_FILES} >= set(EXPECTED_TRACKS) | set(REFUSED)


@pytest.mark.parametrize("path", ALL_FILES, ids=rel)
def test_every_file_imports_or_is_refused_with_reason(path):
    name = rel(path)
    if name in REFUSED:
        with pytest.raises(InputError) as info:
            read(path)
        assert REFUSED[name] in str(info.value)
        assert name.split("/")[-1] in str(info.value)
        return
    cut = read(path)
    assert len(cut.events) > 0
    for event in cut.events:
        assert isinstance(event.record_in, int) and isinstance(event.source_in, int)
        assert event.record_out >= event.record_in
    assert cut.duration_frames > 0
    assert cut.reels
    if name in EXPECTED_TRACKS:
        assert dict(Counter(e.track for e in cut.events)) == EXPECTED_TRACKS[name]


def test_pycmx_tod_reel4_absolute_record_times():
    cut = read(DATA / "pycmx/ToD_R4_LOCK3.1_030618_Video.edl")
    assert cut.rate == get_rate("24")
    first = cut.events[0]
    assert first.record_in == 4 * 86400  # 04:00:00:00
    assert first.record_out == 4 * 86400 + 8 * 24
    assert first.clip_name == "START LEADER 1920X1080 2398"
    assert [e.index for e in cut.events] == list(range(1, 377))
    assert [r.number for r in cut.reels] == [4]
    assert cut.reels[0].start_frame == 345600
    assert cut.reel_for_frame(345600 + 100).number == 4
    assert cut.reel_for_frame(100) is None
    # event 61: a 48 fps clip whose source TC runs at 48 (Avid): source kept as written
    e61 = next(e for e in cut.events if e.index == 61)
    assert e61.duration_frames == 13
    assert e61.source_out - e61.source_in == 25


def test_ins4_first_event_at_hour_one():
    cut = read(DATA / "pycmx/INS4_R1_010417.edl")
    assert cut.events[0].record_in == 86400
    assert cut.reels[0].number == 1
    assert cut.events[0].clip_name == "FKI_LEADER_HEAD_1920X1080.MOV"


def test_dissolve_and_wipe_kinds():
    cut = read(DATA / "otio/dissolve_test.edl")
    kinds = [(e.index, e.kind, e.transition_frames) for e in cut.events]
    assert kinds == [(1, "cut", 0), (2, "dissolve", 10), (3, "cut", 0)]
    assert (cut.events[1].record_in, cut.events[1].record_out) == (86409, 86419)
    wipe = read(DATA / "otio/wipe_test.edl")
    assert wipe.events[1].kind == "wipe"


def test_locators_become_markers():
    cut = read(DATA / "otio/screening_example.edl")
    assert [(m.frame, m.text) for m in cut.markers] == [
        (86438, "ANIM FIX NEEDED"), (86462, "ANIM FIX NEEDED"), (86773, "GREEN")]
    assert cut.start_frame == 86243  # 00:59:53:11: a pre-roll before hour one, one reel


def test_xml_carries_rate_and_start():
    hiero = read(DATA / "otio/hiero_xml_export.xml")
    assert hiero.rate == get_rate("24")
    assert hiero.events[0].record_in >= 86400
    premiere = read(DATA / "otio/premiere_example.xml")
    assert premiere.rate == get_rate("30")
    assert premiere.markers
    with pytest.raises(InputError, match="states 30 fps"):
        read_cut(DATA / "otio/premiere_example.xml", "25")


def test_edl_needs_rate():
    with pytest.raises(InputError, match="pass it with --fps"):
        read_cut(DATA / "otio/gap_test.edl")


def test_wrong_rate_names_line():
    with pytest.raises(InputError) as info:
        read_cut(DATA / "otio/25fps.edl", "24")
    assert "line" in str(info.value) and "25fps.edl" in str(info.value)


@pytest.mark.parametrize("name", ["otio/dissolve_test.edl", "otio/screening_example.edl",
                                  "pycmx/ToD_R4_LOCK3.1_030618_Video.edl",
                                  "changelist/Demo_edit_v1.edl"])
def test_edl_round_trip(tmp_path, name):
    cut = read(DATA / name)
    out = write_edl(cut, tmp_path / "out.edl")
    again = read_cut(out, cut.rate)

    def key(c):
        return [(e.index, e.clip_name, e.source_reel, e.source_in, e.record_in, e.record_out,
                 e.kind, e.transition_frames) for e in c.events]

    assert key(again) == key(cut)
    assert again.markers == cut.markers


@pytest.mark.parametrize("name", ["pycmx/TEST.edl", "pycmx/test_25.edl",
                                  "otio/premiere_example.xml", "otio/wipe_test.edl"])
def test_otio_round_trip(tmp_path, name):
    cut = read(DATA / name)
    again = read_cut(write_otio(cut, tmp_path / "out.otio"))
    assert again.events == cut.events
    assert again.markers == cut.markers
    assert again.rate == cut.rate
    assert again.reels == cut.reels


def test_registry():
    assert reader_for("cut", "a.EDL") is read_cut
    assert writer_for("cut", "a.otio") is write_otio
    with pytest.raises(ParseError) as info:
        reader_for("cut", "notes.docx")
    assert "notes.docx" in str(info.value) and ".edl" in str(info.value)
    with pytest.raises(ParseError):
        writer_for("cut", "a.xml")

    def fake(path, rate=None):
        return "fake"

    register("cut", (".fake",), reader=fake, name="test-plugin")
    assert reader_for("cut", "x.fake") is fake


def test_reel_inference_by_hour():
    rate = get_rate("24")
    events = [CutEvent(1, "a", "R", 0, 10, 86400, 86410),
              CutEvent(2, "b", "R", 0, 10, 2 * 86400 + 5, 2 * 86400 + 15)]
    reels = infer_reels(events, rate)
    assert [(r.number, r.start_frame, r.duration_frames) for r in reels] == [
        (1, 86400, 10), (2, 172800, 15)]
    assert infer_reels([CutEvent(1, "a", "R", 0, 10, 5, 15)], rate)[0].number == 1


# --- fuzz: only InputError (or a Cut) ever comes out -----------------------------------

_SEED = (DATA / "otio/dissolve_test.edl").read_text()
_TOKENS = ["001", "002", "AX", "V", "AA", "C", "D", "W001", "010", "M2", "* LOC:",
           "01:00:00:00", "00:00:00:00", "99:99:99:99", "01:00:04:14", "FCM: DROP FRAME",
           "TITLE:", "* FROM CLIP NAME:", "SPLIT: AUDIO DELAY=", "\n", " ", "\t", ";", "-1"]


@st.composite
def edl_texts(draw):
    lines = _SEED.splitlines()
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["drop", "dup", "token", "garbage", "swap"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            lines = [""]
        if op == "drop":
            lines.pop(i)
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "token":
            parts = lines[i].split()
            j = draw(st.integers(0, len(parts)))
            parts.insert(j, draw(st.sampled_from(_TOKENS)))
            lines[i] = " ".join(parts)
        elif op == "garbage":
            lines.insert(i, draw(st.text(max_size=40)))
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=edl_texts(), rate=st.sampled_from(["24", "25", "29.97", "23.976"]))
def test_fuzz_edl_only_input_errors(tmp_path, text, rate):
    path = tmp_path / "fuzz.edl"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        cut = read_cut(path, rate)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert cut.events


def test_mixed_rate_avid_edl_imports_its_record_side_with_one_warning():
    """A real 24 fps Avid EDL whose events 135 and 137 are 30 fps audio (source
    17:52:28:26): every event's record times are read, the two sources are left out and
    named in one line; the whole EDL was refused before."""
    import pycmx

    path = DATA / "pycmx" / "INS4_R3_DX_092117.edl"
    with path.open() as handle:
        theirs = list(pycmx.parse_cmx3600(handle).events)
    cut = read_cut(path, "24")
    assert len(theirs) == len(cut.events) == 475
    (warning,) = cut.warnings
    assert "INS4_R3_DX_092117.edl" in warning and "events 135, 137" in warning
    assert "17:52:28:26" in warning and "\n" not in warning
    by_index = {e.index: e for e in cut.events}
    odd = by_index[135]
    assert (odd.source_in, odd.source_out) == (0, 0)
    assert (odd.record_in, odd.record_out) == (parse_label("03:05:38:16", "24"),
                                               parse_label("03:05:39:13", "24"))
    assert by_index[137].record_out == parse_label("03:05:44:19", "24")
    assert by_index[136].source_in == parse_label("09:40:14:14", "24")  # the others kept
    assert cut.start_frame == parse_label("03:00:00:00", "24")
    assert cut.end_frame == parse_label("03:20:30:15", "24")
    # a picture (V) source that is no timecode at the rate still refuses the EDL
    with pytest.raises(InputError, match="line 13"):
        read_cut(DATA / "otio" / "25fps.edl", "24")
