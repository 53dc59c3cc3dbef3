"""`filmscore release` and the service under it, over an album stored in the tables with
its mastered files in the media store (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pylibcue
import pytest
from mutagen.flac import FLAC
from sqlalchemy import select
from typer.testing import CliRunner

from delivery_helpers import add_cue, project
from filmscore.album.release import release
from filmscore.cli import app
from filmscore.errors import ConflictError, InputError, NotFoundError
from filmscore.model import Album, AlbumCandidate, AlbumTrack, Cue, Project
from filmscore.store import transaction
from release_helpers import write_audio

CUES = (("1M1", "Main Title"), ("1M2", "Sindbad's Isle"), ("1M3", "The Roc"))
MEDIA = {"cd": (44100, 16), "digital": (48000, 24), "vinyl": (48000, 24)}


def album_project(folder: Path, db: str | None = None, *, mastered: bool = True):
    """A project with three cues, album 1 with them on CD, digital and vinyl (sides A, A,
    B), each track's mastered file in the media store (unless ``mastered`` is False)."""
    pctx = project(folder / "p", db=db)
    for i, (number, title) in enumerate(CUES):
        add_cue(pctx, number, 100 + 300 * i, 340 + 300 * i, title)
    with pctx.media.adding(), transaction(pctx.engine) as s:
        s.get(Project, pctx.project_id).composer = "Sammy Timberg"
        album = Album(project_id=pctx.project_id, number=1, title="Popeye the Sailor",
                      artist="The Fleischer Studio Orchestra",
                      label_name="Thimble Theatre Records", catalog="036000291452",
                      settings={m: {"release_date": "2026-12-05"} for m in MEDIA},
                      credits={"composer": ["Sammy Timberg"],
                               "conductor": ["Lou Fleischer"]})
        s.add(album)
        s.flush()
        for i, (number, title) in enumerate(CUES):
            cue = s.scalars(select(Cue).where(Cue.number == number)).one()
            cand = AlbumCandidate(project_id=pctx.project_id, key=number, kind="cue",
                                  cue_id=cue.id, title=f"{title} (album)", frames=240000)
            s.add(cand)
            s.flush()
            for medium, (rate, bits) in MEDIA.items():
                done = {}
                if mastered:
                    path = write_audio(folder / f"{medium}-{number}.wav", 4.0 + i,
                                       sample_rate=rate, bits=bits, seed=i + 1)
                    done = {"media_hash": pctx.media.put(path), "frames": int((4 + i) * rate),
                            "sample_rate": rate, "bits": bits, "gain_db": 0.5,
                            "loudness_lufs": -14.0, "true_peak_dbtp": -1.2}
                s.add(AlbumTrack(album_id=album.id, medium=medium, position=i + 1,
                                 side="AAB"[i] if medium == "vinyl" else "",
                                 candidate_id=cand.id, isrc=f"USRC1760{i + 1:04d}",
                                 gap_seconds="0" if i == 0 else "2", mastered=done))
    return pctx


def test_release_all_media(tmp_path, db_url):
    pctx = album_project(tmp_path, db_url)
    try:
        out = tmp_path / "release"
        done = release(pctx, 1, "all", out, lossy=("mp3",))
        assert [d.medium for d in done] == ["cd", "vinyl", "digital"]
        assert sorted(p.name for p in out.iterdir()) == ["cd", "digital", "vinyl"]
        sheet = pylibcue.parse_file(str(out / "cd" / "Popeye the Sailor.cue"),
                                    encoding="latin-1")
        assert [t.cdtext.title for t in sheet] == [f"{t} (album)" for _n, t in CUES]
        assert sheet.cdtext.songwriter == "Sammy Timberg" and sheet.catalog == "036000291452"
        flac = FLAC(str(out / "digital" / "02 Sindbad's Isle (album).flac"))
        assert flac["ISRC"] == ["USRC17600002"] and flac["DATE"] == ["2026-12-05"]
        assert flac["COMPOSER"] == ["Sammy Timberg"] and flac.pictures
        assert (out / "digital" / "mp3" / "03 The Roc (album).mp3").is_file()
        assert (out / "vinyl" / "B1 The Roc (album).wav").is_file()
        assert (out / "vinyl" / "side_list.pdf").is_file()
        with pytest.raises(ConflictError, match="cd exists already"):
            release(pctx, 1, "cd", out)
        again = release(pctx, 1, "cd", out, force=True)
        assert again[0].files == done[0].files
        with pytest.raises(NotFoundError, match="no album 2 in this project"):
            release(pctx, 2, "cd", out)
        with pytest.raises(InputError, match="unknown medium.*valid: cd, vinyl, digital, all"):
            release(pctx, 1, "cassette", out)
    finally:
        pctx.close()


def test_nothing_written_until_every_medium_is_mastered(tmp_path):
    pctx = album_project(tmp_path, mastered=False)
    try:
        with pytest.raises(InputError) as caught:
            release(pctx, 1, "all", tmp_path / "out")
        assert "run 'filmscore master 1 --medium cd' first" in str(caught.value)
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    finally:
        pctx.close()


def test_cli(tmp_path, monkeypatch):
    for name in ("FILMSCORE_PROJECT", "FILMSCORE_DB", "FILMSCORE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    album_project(tmp_path).close()
    monkeypatch.chdir(tmp_path / "p")
    runner = CliRunner()
    out = tmp_path / "rel"
    result = runner.invoke(app, ["release", "1", "--medium", "digital", "--out", str(out),
                                 "--mp3", "--aac"])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "digital" in result.stdout and "01 Main Title (album).flac" in result.stdout
    assert (out / "digital" / "aac" / "01 Main Title (album).m4a").is_file()
    again = runner.invoke(app, ["release", "1", "--medium", "digital", "--out", str(out)])
    assert again.exit_code == 4
    assert again.stderr.strip().startswith("filmscore: error: ")
    assert "--force" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    forced = runner.invoke(app, ["release", "1", "-m", "digital", "-o", str(out), "--force"])
    assert forced.exit_code == 0 and not (out / "digital" / "aac").exists()
    bad = runner.invoke(app, ["release", "1", "--medium", "cd", "--out", str(out), "--mp3"])
    assert bad.exit_code == 2 and "digital release only" in bad.stderr
    cover = tmp_path / "cover.txt"
    cover.write_text("no")
    bad = runner.invoke(app, ["release", "1", "--medium", "vinyl", "--out", str(out),
                              "--cover", str(cover)])
    assert bad.exit_code == 2 and "cover.txt: cannot read the cover image" in bad.stderr
    assert not (out / "vinyl").exists()
