"""The digital release: FLAC per track bit for bit, MP3 and AAC on request, their tags and
cover art read back with mutagen and ffprobe; safe file names; the cover given or made."""

from __future__ import annotations

import io
import json
import subprocess
import warnings

import numpy as np
import pytest
import soundfile as sf
from mutagen.flac import FLAC
from mutagen.id3 import ID3
from mutagen.mp4 import MP4
from PIL import Image

from filmscore.album.cover import load_cover, render_cover
from filmscore.album.release import write_release
from filmscore.errors import FilmscoreWarning, InputError
from filmscore.formats.release_tags import safe_file_name
from release_helpers import plan

TITLES = ["Main Title: Popeye", "Sindbad's Isle", "Boola the Roc"]


def _format_tags(path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of",
                          "json", str(path)], capture_output=True, text=True,
                         check=True).stdout
    data = json.loads(out)
    tags = {k.upper(): v for k, v in data["format"].get("tags", {}).items()}
    return {"tags": tags, "streams": data["streams"]}


def test_flac_mp3_aac_tagged(tmp_path):
    p = plan(tmp_path, "digital", [4.0, 5.0, 4.5], titles=TITLES,
             settings={"release_date": "2026-12-05", "catalog_number": "TTR-0042"})
    done = write_release(p, tmp_path / "out", lossy=("mp3", "aac"))
    folder = done.folder
    assert folder == tmp_path / "out" / "digital"
    names = ["01 Main Title Popeye", "02 Sindbad's Isle", "03 Boola the Roc"]
    assert [f for f in done.files if f.endswith(".flac")] == [n + ".flac" for n in names]
    assert [f for f in done.files if f.startswith("mp3/")] == [f"mp3/{n}.mp3" for n in names]
    assert [f for f in done.files if f.startswith("aac/")] == [f"aac/{n}.m4a" for n in names]
    cover = (folder / "cover.png").read_bytes()
    assert Image.open(io.BytesIO(cover)).size == (1400, 1400)

    for n, (name, track) in enumerate(zip(names, p.tracks, strict=True), 1):
        flac = FLAC(str(folder / f"{name}.flac"))
        want = {"TITLE": track.title, "ALBUM": "Popeye the Sailor",
                "ARTIST": "The Fleischer Studio Orchestra",
                "ALBUMARTIST": "The Fleischer Studio Orchestra", "COMPOSER": "Sammy Timberg",
                "TRACKNUMBER": str(n), "TRACKTOTAL": "3", "DISCNUMBER": "1",
                "ISRC": track.isrc, "DATE": "2026-12-05", "LABEL": "Thimble Theatre Records",
                "CATALOGNUMBER": "TTR-0042", "BARCODE": "036000291452"}
        for key, value in want.items():
            assert flac[key] == [value], key
        assert flac.info.sample_rate == 48000 and flac.info.bits_per_sample == 24
        assert len(flac.pictures) == 1 and flac.pictures[0].type == 3
        assert flac.pictures[0].data == cover and flac.pictures[0].mime == "image/png"
        assert (flac.pictures[0].width, flac.pictures[0].height) == (1400, 1400)
        got, rate = sf.read(str(folder / f"{name}.flac"), dtype="int32")
        source, _ = sf.read(str(track.mastered_audio), dtype="int32")
        np.testing.assert_array_equal(got, source)  # lossless, bit for bit

        id3 = ID3(str(folder / "mp3" / f"{name}.mp3"))
        assert id3.version[:2] == (2, 4)
        assert str(id3["TIT2"]) == track.title and str(id3["TSRC"]) == track.isrc
        assert str(id3["TRCK"]) == f"{n}/3" and str(id3["TPOS"]) == "1/1"
        assert str(id3["TPE2"]) == "The Fleischer Studio Orchestra"
        assert str(id3["TCOM"]) == "Sammy Timberg"
        assert str(id3["TPUB"]) == "Thimble Theatre Records"
        assert str(id3["TXXX:BARCODE"]) == "036000291452"
        assert str(id3["TXXX:CATALOGNUMBER"]) == "TTR-0042"
        assert id3.getall("APIC")[0].data == cover and id3.getall("APIC")[0].type == 3

        mp4 = MP4(str(folder / "aac" / f"{name}.m4a"))
        assert mp4["\xa9nam"] == [track.title] and mp4["trkn"] == [(n, 3)]
        assert mp4["disk"] == [(1, 1)] and mp4["aART"] == ["The Fleischer Studio Orchestra"]
        assert bytes(mp4["----:com.apple.iTunes:ISRC"][0]) == track.isrc.encode()
        assert bytes(mp4["covr"][0]) == cover

        for suffix, sub, codec in (("flac", "", "flac"), ("mp3", "mp3/", "mp3"),
                                   ("m4a", "aac/", "aac")):
            probed = _format_tags(folder / f"{sub}{name}.{suffix}")
            assert probed["tags"]["TITLE"] == track.title
            assert probed["tags"]["ALBUM"] == "Popeye the Sailor"
            audio = [s for s in probed["streams"] if s["codec_type"] == "audio"]
            assert audio[0]["codec_name"] == codec and audio[0]["sample_rate"] == "48000"
        assert _format_tags(folder / f"{name}.flac")["tags"]["ISRC"] == track.isrc


def test_users_cover(tmp_path):
    picture = tmp_path / "art.jpg"
    Image.new("RGB", (600, 600), (200, 30, 30)).save(picture, format="JPEG")
    p = plan(tmp_path, "digital", [4.0])
    done = write_release(p, tmp_path / "out", cover=picture)
    assert "cover.jpg" in done.files
    flac = FLAC(str(done.folder / "01 Track 1.flac"))
    assert flac.pictures[0].mime == "image/jpeg"
    assert flac.pictures[0].data == picture.read_bytes()
    wide = tmp_path / "wide.png"
    Image.new("RGB", (900, 400)).save(wide)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_cover(wide)
    assert any(issubclass(w.category, FilmscoreWarning) and "900 x 400" in str(w.message)
               for w in caught)
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    with pytest.raises(InputError, match="notes.txt: cannot read the cover image"):
        write_release(p, tmp_path / "out2", cover=text)
    assert not (tmp_path / "out2" / "digital").exists()
    with pytest.raises(InputError, match="no such cover image"):
        load_cover(tmp_path / "missing.png")


def test_generated_cover_has_the_titles(tmp_path):
    data = render_cover("A Very Long Album Title For A Film Score Album", "The Film",
                        "Sammy Timberg", pixels=500)
    image = Image.open(io.BytesIO(data))
    assert image.size == (500, 500) and image.format == "PNG"
    grey = np.asarray(image.convert("L"))
    assert grey.std() > 10  # text drawn on the ground


@pytest.mark.parametrize("title, name", [
    ("Main Title", "01 Main Title.flac"),
    ("../../etc/passwd", "01 etc passwd.flac"),
    (".hidden", "01 hidden.flac"),
    ('Who? "Me": <yes>|no*', "01 Who Me yes no.flac"),
    ("back\\slash\tand\nlines", "01 back slash and lines.flac"),
    ("", "01 Track.flac"),
    ("...", "01 Track.flac"),
    ("Größe & Ärger", "01 Größe & Ärger.flac"),
])
def test_safe_file_names(title, name):
    assert safe_file_name(1, title, ".flac") == name


def test_digital_refusals(tmp_path):
    with pytest.raises(InputError) as caught:
        write_release(plan(tmp_path, "digital", [4.0], sample_rate=44100),
                      tmp_path / "out")
    assert "44100 Hz" in str(caught.value) and "48000" in str(caught.value)
    assert "run 'filmscore master 1 --medium digital' first" in str(caught.value)
    with pytest.raises(InputError, match="digital release only"):
        write_release(plan(tmp_path, "cd", [4.0]), tmp_path / "out", lossy=("mp3",))
    with pytest.raises(InputError, match="unknown lossy format.*valid: mp3, aac"):
        write_release(plan(tmp_path, "digital", [4.0]), tmp_path / "out", lossy=("ogg",))
    with pytest.raises(InputError, match="no mastered audio"):
        write_release(plan(tmp_path, "digital", [4.0], mastered=False), tmp_path / "out")
    assert not (tmp_path / "out" / "digital").exists()
