"""The mastering service: an album built in the tables, mastered for CD, vinyl and
digital, the files in the media store and what was done on the album's tracks; bad
audio refused and nothing written; on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import select

from delivery_helpers import project
from filmscore.album.mastering import master_album, media_with_tracks
from filmscore.album.plan import release_plan
from filmscore.errors import InputError, NotFoundError
from filmscore.mixing.meter import measure_file
from filmscore.model import AlbumTrack
from filmscore.store import transaction
from mastering_helpers import add_album, set_candidate_audio


def test_master_an_album_for_cd_and_digital(tmp_path, db_url):
    pctx = project(tmp_path / "p", db=db_url)
    add_album(pctx, tmp_path, media=("cd", "digital"))
    assert media_with_tracks(pctx, 1) == ["cd", "digital"]
    report = master_album(pctx, 1, "cd")
    assert (report.mode, report.target_lufs, report.sample_rate, report.bits) == (
        "track", -12.0, 44100, 16)
    plan = release_plan(pctx, 1, "cd")
    for line, track in zip(report.tracks, plan.tracks, strict=True):
        m = track.mastered
        assert set(m) >= {"media_hash", "frames", "sample_rate", "bits", "gain_db",
                          "limiter_db", "loudness_lufs", "true_peak_dbtp"}
        assert (m["sample_rate"], m["bits"], m["frames"]) == (44100, 16, 5 * 44100)
        info = sf.info(str(track.mastered_audio))
        assert (info.samplerate, info.subtype, info.frames) == (44100, "PCM_16", 5 * 44100)
        check = measure_file(track.mastered_audio)
        assert check.loudness_lufs == pytest.approx(-12.0, abs=0.1)
        assert check.true_peak_dbtp <= -1.0
        assert m["loudness_lufs"] == pytest.approx(check.loudness_lufs, abs=1e-3)
        assert line.media_hash == m["media_hash"]
    # the second track was 6 dB quieter: in track mode it gets 6 dB more gain
    assert report.tracks[1].gain_db - report.tracks[0].gain_db == pytest.approx(6.0, abs=0.05)
    # album mode on digital keeps the 6 dB between them; 48 kHz 24-bit, -14 LUFS album
    album = master_album(pctx, 1, "digital", mode="album")
    assert album.tracks[0].gain_db == album.tracks[1].gain_db
    after = [t.loudness_lufs for t in album.tracks]
    assert after[0] - after[1] == pytest.approx(6.0, abs=0.02)
    digital = release_plan(pctx, 1, "digital")
    assert all(t.mastered["sample_rate"] == 48000 and t.mastered["bits"] == 24
               and t.mastered["mode"] == "album" for t in digital.tracks)
    # the CD master is left as it was
    assert release_plan(pctx, 1, "cd").tracks[0].mastered == plan.tracks[0].mastered


def test_the_album_settings_and_a_target_given(tmp_path):
    pctx = project(tmp_path / "p")
    add_album(pctx, tmp_path, cues=1, media=("vinyl",),
              settings={"vinyl": {"target_lufs": -18, "mode": "album"}})
    report = master_album(pctx, 1, "vinyl")
    assert (report.mode, report.target_lufs) == ("album", -18.0)
    assert report.tracks[0].loudness_lufs == pytest.approx(-18.0, abs=0.1)
    report = master_album(pctx, 1, "vinyl", target_lufs=-20.0, mode="track")
    assert report.tracks[0].loudness_lufs == pytest.approx(-20.0, abs=0.1)


def test_bad_audio_is_refused_and_nothing_is_written(tmp_path):
    pctx = project(tmp_path / "p")
    keys = add_album(pctx, tmp_path, cues=2, seconds=2)
    five_one = tmp_path / "51.wav"
    sf.write(str(five_one), np.zeros((48000, 6)), 48000, subtype="PCM_24")
    set_candidate_audio(pctx, keys[1], five_one, channels=6, rate=48000)
    stored = sorted(p.name for p in (tmp_path / "p").rglob("*.wav"))
    with pytest.raises(InputError, match="stereo") as info:
        master_album(pctx, 1, "cd")
    assert "cd track 2 (1M2)" in str(info.value) and "6" in str(info.value)
    low = tmp_path / "low.wav"
    sf.write(str(low), np.zeros((22050, 2)), 22050, subtype="PCM_24")
    set_candidate_audio(pctx, keys[1], low, channels=2, rate=22050)
    with pytest.raises(InputError, match="rate") as info:
        master_album(pctx, 1, "cd")
    assert "22050 Hz" in str(info.value)
    with pytest.raises(InputError, match="mode"):
        master_album(pctx, 1, "cd", mode="loudest")
    with pytest.raises(NotFoundError, match="no tracks on vinyl"):
        master_album(pctx, 1, "vinyl")
    with pytest.raises(NotFoundError, match="album"):
        master_album(pctx, 2, "cd")
    with pytest.raises(InputError, match="medium"):
        master_album(pctx, 1, "cassette")
    # nothing was mastered and no file was added (only the refused inputs themselves)
    with transaction(pctx.engine) as db:
        assert all(not t.mastered for t in db.scalars(select(AlbumTrack)))
    added = sorted(p.name for p in (tmp_path / "p").rglob("*.wav"))
    assert len(added) == len(stored) + 1  # the 22.05 kHz file put in by the test
