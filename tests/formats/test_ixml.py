"""iXML take metadata: our writer read back by wavinfo (an outside reader), the take-type
mapping both ways, a recorder's own iXML kept, a WAV without iXML, broken chunks refused."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile as sf
from wavinfo import WavInfoReader

from filmscore.errors import ParseError
from filmscore.formats.bwf import Bext, read_bext, write_bwf
from filmscore.formats.ixml import (
    KIND_TO_TAKE_TYPE,
    IxmlTake,
    kind_of,
    read_ixml,
    take_type_of,
    write_ixml,
)
from filmscore.recording.vocabulary import TAKE_TYPES


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, at = [], 12
    while at + 8 <= len(data):
        kind, size = struct.unpack("<4sI", data[at:at + 8])
        out.append((kind, data[at + 8:at + 8 + size]))
        at += 8 + size + size % 2
    return out


@pytest.fixture
def bwf(tmp_path):
    samples = (np.sin(np.arange(4800) / 7.0)[:, None] * [1000, -2000]).astype(np.int32)
    return write_bwf(tmp_path / "take.wav", samples, 48000, bits=24,
                     bext=Bext(time_reference=48000 * 3600, description="1M2 take 4"))


def test_round_trip_read_by_wavinfo_and_every_other_chunk_kept(bwf, tmp_path):
    out = write_ixml(bwf, tmp_path / "out.wav", IxmlTake(
        project="Popeye", scene="1M2", take="4", tape="Day 1", circled=True,
        kind="pickup", note="horns late in bar 14", tracks=("Tree L", "Tree R")))
    info = WavInfoReader(str(out))
    assert info.ixml.project == "Popeye"
    assert info.ixml.scene == "1M2"
    assert info.ixml.take == "4"
    assert info.ixml.tape == "Day 1"
    xml = info.ixml.raw_xml
    assert xml.find("CIRCLED").text == "TRUE"
    assert xml.find("TAKE_TYPE").text == "PICKUP"
    assert xml.find("NOTE").text == "horns late in bar 14"
    assert [t.name for t in info.ixml.track_list] == ["Tree L", "Tree R"]
    assert info.bext.time_reference == 48000 * 3600  # bext still read
    before, after = _chunks(bwf.read_bytes()), _chunks(out.read_bytes())
    assert [c for c in after if c[0] != b"iXML"] == before  # byte for byte, in order
    assert read_bext(out) == read_bext(bwf)
    a, _ = sf.read(bwf, dtype="int32")
    b, _ = sf.read(out, dtype="int32")
    assert np.array_equal(a, b)
    back = read_ixml(out)
    assert (back.circled, back.kind, back.take_type, back.note) == (
        True, "pickup", ("PICKUP",), "horns late in bar 14")


@pytest.mark.parametrize("kind", list(TAKE_TYPES))
def test_every_take_type_comes_back_from_our_own_files(bwf, tmp_path, kind):
    out = write_ixml(bwf, tmp_path / "k.wav", IxmlTake(scene="1M1", take="1", kind=kind,
                                                       circled=False))
    back = read_ixml(out)
    assert back.kind == kind and back.circled is False
    assert back.take_type == (KIND_TO_TAKE_TYPE[kind],)
    assert WavInfoReader(str(out)).ixml.raw_xml.find("TAKE_TYPE").text == take_type_of(kind)


def test_the_mapping_from_a_recorder_and_what_is_lost():
    assert kind_of(["DEFAULT"]) == "complete"
    assert kind_of(["NO_GOOD"]) == "breakdown"
    assert kind_of(["FALSE_START"]) == "false start"
    assert kind_of(["WILD_TRACK"]) == "wild"
    assert kind_of(["NO_GOOD", "PICKUP"]) == "pickup"
    assert kind_of(["REHEARSAL"]) == "wild"
    assert kind_of([]) is None
    assert take_type_of("alternate") == "DEFAULT"  # iXML has no alternate


def test_a_recorders_ixml_is_read_and_its_other_elements_kept(bwf, tmp_path):
    recorder = (b'<?xml version="1.0"?><BWFXML><IXML_VERSION>1.61</IXML_VERSION>'
                b"<SCENE>1M2</SCENE><TAKE>7</TAKE><CIRCLED>TRUE</CIRCLED>"
                b"<TAKE_TYPE>NO_GOOD,PICKUP</TAKE_TYPE><NOTE>great brass</NOTE>"
                b"<SPEED><MASTER_SPEED>24/1</MASTER_SPEED></SPEED></BWFXML>")
    data = bwf.read_bytes()
    pad = b"\0" if len(recorder) % 2 else b""
    body = data[12:] + b"iXML" + struct.pack("<I", len(recorder)) + recorder + pad
    src = tmp_path / "recorder.wav"
    src.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
    got = read_ixml(src)
    assert (got.scene, got.take, got.circled, got.kind, got.note) == (
        "1M2", "7", True, "pickup", "great brass")
    out = write_ixml(src, tmp_path / "re.wav", IxmlTake(take="8", circled=False))
    xml = WavInfoReader(str(out)).ixml.raw_xml
    assert xml.find("SPEED/MASTER_SPEED").text == "24/1"  # the recorder's element kept
    assert xml.find("TAKE").text == "8" and xml.find("CIRCLED").text == "FALSE"
    assert xml.find("NOTE").text == "great brass"
    assert sum(k == b"iXML" for k, _ in _chunks(out.read_bytes())) == 1


def test_a_wav_without_ixml(tmp_path):
    path = tmp_path / "plain.wav"
    sf.write(path, np.zeros((100, 1)), 48000, subtype="PCM_16")
    assert read_ixml(path) is None
    out = write_ixml(path, tmp_path / "with.wav", IxmlTake(scene="2M1", take="1",
                                                          kind="complete", circled=True))
    assert WavInfoReader(str(out)).ixml.scene == "2M1"
    assert sf.info(out).frames == 100


def _with_chunk(bwf, tmp_path, kind: bytes, body: bytes, declared: int | None = None):
    data = bwf.read_bytes()
    size = len(body) if declared is None else declared
    rest = data[12:] + kind + struct.pack("<I", size) + body
    path = tmp_path / "broken.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(rest)) + b"WAVE" + rest)
    return path


def test_broken_chunks_are_refused_clearly(bwf, tmp_path):
    path = _with_chunk(bwf, tmp_path, b"iXML", b"<BWFXML><TAKE>3</BWFXML>")
    with pytest.raises(ParseError, match=r"broken.wav.*iXML.*not well-formed XML"):
        read_ixml(path)
    path = _with_chunk(bwf, tmp_path, b"iXML", b"<WRONG/>")
    with pytest.raises(ParseError, match="root element is not BWFXML"):
        read_ixml(path)
    path = _with_chunk(bwf, tmp_path, b"iXML", b"<BWFXML/>", declared=10_000)
    with pytest.raises(ParseError, match="runs past the end of the file"):
        read_ixml(path)
    with pytest.raises(ParseError, match=r"broken.wav.*runs past the end"):
        write_ixml(path, tmp_path / "never.wav", IxmlTake(take="1"))
    assert not (tmp_path / "never.wav").exists()
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio")
    with pytest.raises(ParseError, match=r"notes.wav.*not a WAV file"):
        read_ixml(text)
    path = _with_chunk(bwf, tmp_path, b"iXML", b"<BWFXML><CIRCLED>MAYBE</CIRCLED></BWFXML>")
    with pytest.raises(ParseError, match="CIRCLED.*MAYBE.*TRUE, FALSE"):
        read_ixml(path)
