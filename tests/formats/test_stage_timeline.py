"""The session timeline (OpenTimelineIO): clips at their record timecode, overlaps on a
second lane, read back from .otio and FCP 7 XML; the run sheet PDF over several pages."""

from __future__ import annotations

import subprocess
from fractions import Fraction

import opentimelineio as otio
import pytest

from filmscore.errors import InputError
from filmscore.formats.runsheet_pdf import write_runsheet_pdf
from filmscore.formats.stage_timeline import TimelineClip, write_stage_timeline
from filmscore.recording.stagepack import EntryInput, run_sheet
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.sync.tempomap import TempoMap
from filmscore.timecode import get_rate, parse_label

HOUR = 86400  # 01:00:00:00 at 24 fps


def _clips() -> list[TimelineClip]:
    return [
        TimelineClip("Click", "audio", "1M1 click", "cues/1M1/1M1 click.wav", HOUR + 10, 100),
        TimelineClip("Streamers", "video", "1M1 streamers", "cues/1M1/1M1 streamers.mp4",
                     HOUR, 160),
        TimelineClip("Click", "audio", "1M2 click", "cues/1M2/1M2 click.wav", HOUR + 150, 90),
        # its handles start before 1M1's streamers end: a second lane
        TimelineClip("Streamers", "video", "1M2 streamers", "cues/1M2/1M2 streamers.mp4",
                     HOUR + 120, 150),
    ]


def _starts(timeline) -> dict[str, tuple[str, float]]:
    return {c.name: (t.name, c.range_in_parent().start_time.value
                     + timeline.global_start_time.value)
            for t in timeline.tracks for c in t.find_clips()}


def test_otio_places_every_clip_at_its_record_timecode(tmp_path):
    path = write_stage_timeline(_clips(), tmp_path / "day1.otio", name="Day 1",
                                rate=get_rate("24"))
    timeline = otio.adapters.read_from_file(str(path))
    assert timeline.global_start_time == otio.opentime.RationalTime(HOUR, 24)
    assert _starts(timeline) == {
        "1M1 streamers": ("Streamers", HOUR), "1M2 streamers": ("Streamers 2", HOUR + 120),
        "1M1 click": ("Click", HOUR + 10), "1M2 click": ("Click", HOUR + 150)}
    assert [t.kind for t in timeline.tracks] == ["Video", "Video", "Audio"]
    clip = next(c for c in timeline.find_clips() if c.name == "1M2 click")
    assert clip.media_reference.target_url == "cues/1M2/1M2 click.wav"  # relative: movable
    assert clip.source_range.duration.value == 90


def test_fcp_xml_reads_back_with_the_same_places_and_absolute_media(tmp_path):
    path = write_stage_timeline(_clips(), tmp_path / "day1.xml", name="Day 1",
                                rate=get_rate("24"), base=tmp_path / "pack")
    timeline = otio.adapters.read_from_file(str(path))
    assert timeline.global_start_time.value == HOUR  # the sequence starts at 01:00:00:00
    starts = sorted((c.name, c.range_in_parent().start_time.value)
                    for t in timeline.tracks for c in t.find_clips())
    # FCP 7 XML keeps the clips' places from the sequence start (it drops track names)
    assert starts == [("1M1 click", 10), ("1M1 streamers", 0), ("1M2 click", 150),
                      ("1M2 streamers", 120)]
    url = next(c for c in timeline.find_clips() if c.name == "1M1 click").media_reference
    assert url.target_url == (tmp_path / "pack" / "cues/1M1/1M1 click.wav").as_uri()


def test_drop_frame_rate_and_bad_suffix(tmp_path):
    rate = get_rate("29.97df")
    start = parse_label("01:00:00;00", rate)
    clips = [TimelineClip("Click", "audio", "1M1 click", "a.wav", start + 2, 30)]
    timeline = otio.adapters.read_from_file(str(write_stage_timeline(
        clips, tmp_path / "t.otio", name="DF", rate=rate)))
    assert otio.opentime.to_timecode(timeline.global_start_time, 30000 / 1001, True) == \
        "01:00:00;02"
    with pytest.raises(InputError, match=r"t\.edl.*valid: \.otio, \.xml"):
        write_stage_timeline(clips, tmp_path / "t.edl", name="x", rate=rate)
    with pytest.raises(InputError, match="at least one clip"):
        write_stage_timeline([], tmp_path / "t.otio", name="x", rate=rate)
    assert not (tmp_path / "t.edl").exists()


def test_a_long_run_sheet_runs_over_pages_with_its_head_repeated(tmp_path):
    rate = get_rate("24")
    items = []
    for i in range(1, 25):
        start = HOUR + i * 2400
        cue = CueSpec(parse_cue_number(f"{1 + i // 10}M{i}"), f"Cue number {i}", start,
                      start + 1200, sync_points=(SyncSpec(start + 240, f"hit {i}", "hard"),))
        tmap = TempoMap.constant(rate, start, Fraction(120), bars=25, count_in_bars=1)
        items.append(EntryInput(i, cue, 1200, tmap, chairs=("Violin 1", "Violin 2", "Viola"),
                                revised="parts revised 2026-12-05 (orchestration v2)"
                                if i == 3 else ""))
    sheet = run_sheet(items, rate=rate, film_title="Long Film", session="Day 3 PM",
                      date="2027-03-03", time="14:00-17:00", stage="Stage A")
    path = write_runsheet_pdf(sheet, tmp_path / "run sheet.pdf", date="2027-03-01")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert "page 1 of" in pages[0] and "Long Film — run sheet Day 3 PM" in pages[1]
    assert "Music: 0:50+00" not in text and "Music: 20:00+00" in text
    raw = " ".join(subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())
    assert "PARTS REVISED 2026-12-05 (orchestration v2)" in raw
    assert "01:01:50:00 6|1 hit 1" in raw  # 240 frames after bar 1 at 120 BPM: bar 6
    assert "10 2M10 Cue number 10" in raw  # two-digit entries fit their column
    for i in (1, 24):
        assert f"Cue number {i}" in raw
