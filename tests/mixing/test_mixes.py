"""The mixes service on SQLite and PostgreSQL: a comp's stems (Comp rows whose files the
test stores itself) mixed in stereo and 5.1 with the composer's synth part rendered as
the electronics stem at its place in the cue, versions with notes, and bad input that
leaves neither a row nor a stored file."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import func, select

from filmscore.errors import InputError, NotFoundError
from filmscore.formats.bwf import read_bext
from filmscore.formats.midi_music import write_music
from filmscore.mixing.mixes import get_mix, mix_cue, mix_paths, mixes, note_mix
from filmscore.mixing.stems import group_stems, prerecorded_parts, stem_of
from filmscore.model import Comp, Cue, CueTempoMap, Mix, MusicVersion
from filmscore.project import init_project, open_project
from filmscore.store import transaction
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part

DATA = Path(__file__).resolve().parents[1] / "data" / "audio"
SR = 48000
START = 24  # the cue starts at frame 24 (1 s at 24 fps): its sample 48000 of the day


def ints(path: Path) -> np.ndarray:
    data, _ = sf.read(path, dtype="int32", always_2d=True)
    return data >> 8


@pytest.fixture(scope="module")
def soundtrack(tmp_path_factory) -> np.ndarray:
    wav = tmp_path_factory.mktemp("bbb") / "bbb.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(DATA / "big_buck_bunny_0_12.ogg"),
                    "-t", "6", "-ar", str(SR), "-c:a", "pcm_s24le", str(wav)], check=True)
    return sf.read(wav)[0]


@pytest.fixture
def pctx(db_url, tmp_path, soundtrack):
    init_project(tmp_path / "p", title="Mix Film", fps="24", db=db_url)
    with open_project(tmp_path / "p") as ctx:
        tmap = TempoMap.constant("24", START, Fraction(120), bars=3)
        music = Music((Part("Violin", (Note(Fraction(0), Fraction(4), 67),),
                            instrument="violin"),
                       # the synth enters on beat 3 of bar 1: 1 s after the cue's start
                       Part("Synth Pad", (Note(Fraction(2), Fraction(2), 60, 110),),
                            program=89, instrument="synth_pad")))
        midi = write_music(music, tmp_path / "music.mid", tempo_map=tmap)
        with transaction(ctx.engine) as db:
            cue = Cue(project_id=ctx.project_id, number="1M1", reel=1, seq=1,
                      title="Main Title", start_frame=START, end_frame=START + 6 * 24)
            db.add(cue)
            db.flush()
            db.add(CueTempoMap(cue_id=cue.id, data=tmap.to_dict()))
            db.add(MusicVersion(cue_id=cue.id, number=1, media_hash=ctx.media.put(midi),
                                format="midi"))
        yield ctx


def add_comp(ctx, tmp_path, stems: dict[str, np.ndarray], number: int = 1) -> None:
    """A comp whose rendered stems are ``stems`` (stored in the media store here)."""
    files = []
    for stem, samples in stems.items():
        path = tmp_path / f"comp{number}_{stem}.wav"
        sf.write(path, samples, SR, subtype="PCM_24")
        files.append({"stem": stem, "media_hash": ctx.media.put(path), "frames": len(samples),
                      "channels": 1 if samples.ndim == 1 else samples.shape[1]})
    with transaction(ctx.engine) as db:
        cue = db.scalars(select(Cue)).one()
        db.add(Comp(cue_id=cue.id, number=number, edits=[], files=files))


def stored(ctx) -> int:
    return sum(1 for p in Path(ctx.media.root).rglob("*") if p.is_file())


def test_mix_a_comp_in_stereo_and_five_one_with_the_rendered_electronics(pctx, tmp_path,
                                                                          soundtrack):
    add_comp(pctx, tmp_path, {"strings": soundtrack[:, 0], "brass": soundtrack,
                              "timpani": soundtrack[:, 1]})  # an instrument: percussion
    first = mix_cue(pctx, "1M1", settings={"brass": {"gain_db": -2, "pan": 0.25}},
                    notes="first pass", author="eng", soundfont="draft")
    assert (first.number, first.comp_number, first.layout) == (1, 1, "stereo")
    assert first.stems == ("strings", "brass", "percussion", "electronics")
    assert first.settings["brass"] == {"gain_db": -2.0, "pan": 0.25}
    assert first.true_peak_dbtp <= -1.0 and first.master_gain_db <= 0
    assert first.loudness_lufs is not None and -40 < first.loudness_lufs < 0
    paths = mix_paths(pctx, "1M1")
    assert list(paths) == ["strings", "brass", "percussion", "electronics", "mix"]
    stems = [ints(paths[s]) for s in first.stems]
    mix = ints(paths["mix"])
    assert all(s.shape == mix.shape and s.shape[1] == 2 for s in stems)
    assert np.array_equal(sum(s.astype(np.int64) for s in stems), mix)
    # the synth's note starts at its place: 1 s after the cue's start (FluidSynth's own
    # timing: within a few milliseconds)
    electronics = np.abs(ints(paths["electronics"])).max(axis=1)
    onset = int(np.argmax(electronics > 64))
    assert SR <= onset <= SR + 480, onset
    assert read_bext(paths["mix"]).time_reference == START * SR // 24  # the cue's start
    assert next(f for f in first.files if f.stem == "electronics").sources[0].startswith(
        "render: Synth Pad")

    surround = mix_cue(pctx, "1M1", layout="5.1", ceiling_dbtp=-3.0, soundfont="draft",
                       settings={"percussion": {"gain_db": 3}, "strings": {"pan": -0.5}})
    assert (surround.number, surround.layout) == (2, "5.1")
    assert surround.true_peak_dbtp <= -3.0
    six = mix_paths(pctx, "1M1", 2)
    stems = [ints(six[s]) for s in surround.stems]
    mix = ints(six["mix"])
    assert mix.shape[1] == 6 and all(s.shape == mix.shape for s in stems)
    assert np.array_equal(sum(s.astype(np.int64) for s in stems), mix)
    assert ints(six["percussion"])[:, 3].any() and not ints(six["strings"])[:, 3].any()
    assert all(f.channels == 6 for f in surround.files)

    noted = note_mix(pctx, "1M1", 1, "director liked it")
    assert noted.notes == "director liked it"
    assert note_mix(pctx, "1M1", 1, "louder brass", append=True).notes == (
        "director liked it; louder brass")
    listed = mixes(pctx)
    assert [(m.cue, m.number, m.layout) for m in listed] == [("1M1", 1, "stereo"),
                                                             ("1M1", 2, "5.1")]
    assert listed[0].author == "eng" and get_mix(pctx, "1M1").number == 2
    with pytest.raises(NotFoundError, match="no mix v7.*v1, v2"):
        mix_paths(pctx, "1M1", 7)


def test_bad_input_leaves_no_row_and_no_file(pctx, tmp_path, soundtrack):
    with pytest.raises(NotFoundError, match="no comp yet.*filmscore comp propose 1M1"):
        mix_cue(pctx, "1M1")
    add_comp(pctx, tmp_path, {"strings": soundtrack[:, 0], "orchestra": soundtrack})
    before = stored(pctx)
    with pytest.raises(InputError, match="unknown stem.*orchestra.*strings, woodwinds"):
        mix_cue(pctx, "1M1", soundfont="draft")
    add_comp(pctx, tmp_path, {"strings": soundtrack[:, 0],
                              "choir": np.repeat(soundtrack[:, :1], 6, axis=1) * 0.2},
             number=2)
    before = stored(pctx)
    with pytest.raises(InputError, match=r"media/.*\.wav.*stem choir.*stereo layout"
                       r".*6 channels.*1 \(mono\) or 2 \(stereo\)$"):
        mix_cue(pctx, "1M1", soundfont="draft")
    with pytest.raises(InputError, match="no such stem.*brass.*valid: strings, choir"):
        mix_cue(pctx, "1M1", layout="5.1", settings={"brass": {"gain_db": 1}},
                soundfont="draft")
    with pytest.raises(InputError, match="unknown stem.*tuba section"):
        mix_cue(pctx, "1M1", layout="5.1", settings={"tuba section": {"gain_db": 1}})
    with pytest.raises(InputError, match="layout.*7.1"):
        mix_cue(pctx, "1M1", layout="7.1")
    with pytest.raises(NotFoundError, match="no comp v9.*v1, v2"):
        mix_cue(pctx, "1M1", comp=9)
    # a comp whose stem file is gone from the media store
    with transaction(pctx.engine) as db:
        comp = db.scalars(select(Comp).where(Comp.number == 2)).one()
        comp.files = [*comp.files, {"stem": "brass", "media_hash": "f" * 64}]
    with pytest.raises(InputError, match="stem brass is missing from the media store"):
        mix_cue(pctx, "1M1", layout="5.1")
    with transaction(pctx.engine) as db:
        assert db.scalar(select(func.count()).select_from(Mix)) == 0
    assert stored(pctx) == before
    # a failure while storing the files: the files stored so far are removed again
    with transaction(pctx.engine) as db:
        comp = db.scalars(select(Comp).where(Comp.number == 2)).one()
        comp.files = comp.files[:2]
    real = pctx.media.put
    calls = []

    def failing(data, suffix=None):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(data, suffix)

    pctx.media.put = failing
    with pytest.raises(OSError, match="disk full"):
        mix_cue(pctx, "1M1", layout="5.1", soundfont="draft")
    pctx.media.put = real
    assert stored(pctx) == before
    with transaction(pctx.engine) as db:
        assert db.scalar(select(func.count()).select_from(Mix)) == 0
    done = mix_cue(pctx, "1M1", layout="5.1", soundfont="draft")
    assert done.number == 1 and done.stems == ("strings", "choir", "electronics")
    with transaction(pctx.engine) as db:
        cue = db.scalars(select(Cue)).one()
        db.add(Comp(cue_id=cue.id, number=3, edits=[], files=[]))
    with pytest.raises(InputError, match="comp v3 is not rendered yet"):
        mix_cue(pctx, "1M1")


def test_an_electronics_stem_in_the_comp_is_used_as_recorded(pctx, tmp_path, soundtrack):
    add_comp(pctx, tmp_path, {"Electronics": soundtrack, "Violins": soundtrack[:, 0]})
    spec = mix_cue(pctx, "1M1", soundfont="no such font", measure_stems=False)  # no render
    assert spec.stems == ("strings", "electronics")
    assert [f.sources for f in spec.files] == [("Violins",), ("Electronics",),
                                               ("strings", "electronics")]
    assert [f.loudness_lufs is None for f in spec.files] == [True, True, False]
    assert spec.files[0].sample_peak_dbfs is not None and spec.true_peak_dbtp <= -1


def test_stem_names_map_through_sections_and_instruments():
    assert stem_of("Strings") == "strings" and stem_of("Harp Keys") == "harp_keys"
    assert stem_of("voices") == "choir" and stem_of("keyboards") == "harp_keys"
    assert stem_of("Horn") == "brass" and stem_of("timpani") == "percussion"
    assert stem_of("synth_pad") == "electronics"
    assert group_stems(["harp", "piano", "violin"]) == {"strings": ["violin"],
                                                         "harp_keys": ["harp", "piano"]}
    with pytest.raises(InputError, match="unknown stem.*room.*valid: strings"):
        stem_of("room")
    notes = (Note(Fraction(0), Fraction(1), 60),)
    music = Music((Part("Pad", notes, program=89), Part("Piano", notes, instrument="piano"),
                   Part("Lead", notes, instrument="synth_pad"),
                   Part("kit", notes, program=90, is_drum=True)))
    assert [p.name for p in prerecorded_parts(music)] == ["Pad", "Lead"]


def test_the_cli_mixes_lists_notes_and_refuses_in_one_line(tmp_path, soundtrack):
    from typer.testing import CliRunner

    from filmscore.cli import app

    init_project(tmp_path / "p", title="CLI Film", fps="24")
    with open_project(tmp_path / "p") as ctx:
        with transaction(ctx.engine) as db:
            db.add(Cue(project_id=ctx.project_id, number="2M1", reel=2, seq=1, title="Chase",
                       start_frame=240, end_frame=400))
        add_comp(ctx, tmp_path, {"strings": soundtrack[:, 0], "brass": soundtrack})
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, ["--project", str(tmp_path / "p"), *args])

    made = run("mix", "2M1", "--layout", "5.1", "--gain", "brass=-3", "--pan", "strings=-0.5",
               "--ceiling", "-2", "--note", "first", "--by", "eng")
    assert made.exit_code == 0, made.output
    assert "2M1 mix v1 (5.1, comp v1)" in made.stdout and "2 stems" in made.stdout
    assert run("mix", "make", "2M1").exit_code == 0  # spelled out: v2, stereo
    assert run("mix", "note", "2M1", "1", "keep this one").exit_code == 0
    listed = run("mixes", "2M1")
    assert listed.exit_code == 0
    assert "2 mixes" in listed.stdout and "keep this one" in listed.stdout
    assert "LUFS" in listed.stdout and "dBTP" in listed.stdout
    shown = run("mix", "show", "2M1", "1")
    assert shown.exit_code == 0 and "brass" in shown.stdout and "-3 dB" in shown.stdout
    for args, needle in ((("mix", "2M1", "--gain", "brass"), "not STEM=NUMBER"),
                         (("mix", "2M1", "--pan", "harp=0.5"), "no such stem (got 'harp_keys')"),
                         (("mix", "2M1", "--layout", "quad"), "valid: stereo, 5.1"),
                         (("mix", "note", "2M1", "5", "x"), "no mix v5")):
        bad = run(*args)
        assert bad.exit_code in range(1, 7), (args, bad.output)
        lines = bad.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("filmscore: error:") and needle in lines[0]
