"""An interrupted take entry loses nothing already logged: the real `filmscore take` run
as a process and killed (SIGKILL: no clean-up runs) at several moments while it stores a
take with large audio; after each kill every earlier take is intact, the database is
consistent, and there is no half take (a row without its audio, or a stored file whose
content is not what its name says)."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

FILMSCORE = [sys.executable, "-c", "from filmscore.cli import main; main()"]
#: 96 MiB of 24-bit stereo: long enough to copy that a kill lands in the middle
BIG_BYTES = 96 * 1024 * 1024 // 6 * 6


def _big_wav(path: Path, seed: int) -> str:
    """A large PCM WAV of noise (different for every seed); returns its SHA-256."""
    data = np.random.default_rng(seed).bytes(BIG_BYTES)
    fmt = struct.pack("<HHIIHH", 1, 2, 48000, 48000 * 6, 6, 24)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data"
            + struct.pack("<I", len(data)) + data)
    payload = b"RIFF" + struct.pack("<I", len(body)) + body
    path.write_bytes(payload)
    return hashlib.sha256(payload).hexdigest()


def _run(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([*FILMSCORE, *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "FILMSCORE_DEBUG": "1"}, check=False)


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _takes(project: Path) -> list[tuple]:
    with sqlite3.connect(project / "filmscore.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        return db.execute("SELECT number, kind, circled, notes, audio, cue_id FROM takes "
                          "ORDER BY number").fetchall()


def _check_media(project: Path, takes: list[tuple]) -> None:
    """Every take's stems are stored whole; no stored file is half written."""
    import json

    for take in takes:
        for stem in json.loads(take[4]):
            found = [f for f in (project / "media" / stem["media_hash"][:2]).glob(
                stem["media_hash"] + "*") if not f.name.startswith(".")]
            assert len(found) == 1, (take, stem)
            assert _sha(found[0]) == stem["media_hash"]
    for stored in (project / "media").rglob("*"):
        if stored.is_file() and not stored.name.startswith("."):  # dot files: temporaries
            assert _sha(stored) == stored.name.split(".")[0], stored


def _wait_for(proc: subprocess.Popen, seen) -> bool:
    """Poll until ``seen()`` or the process ends; True when it was seen while running."""
    while proc.poll() is None:
        if seen():
            return True
        time.sleep(0.001)
    return False


def _after(seen, seconds: float):
    """``seen``, then ``seconds`` more (the moment of a kill, not an assertion)."""
    state: dict = {}

    def check() -> bool:
        if "at" not in state and seen():
            state["at"] = time.monotonic()
        return "at" in state and time.monotonic() - state["at"] >= seconds

    return check


@pytest.fixture
def project(tmp_path) -> Path:
    p = tmp_path / "p"
    for args in (("init", p, "--title", "Kill Film", "--fps", "24"),
                 ("-p", p, "cue", "add", "1M2", "--start", "00:00:20:00", "--end",
                  "00:00:40:00"),
                 ("-p", p, "take", "1M2", "-c", "--note", "the first"),
                 ("-p", p, "take", "1M2", "--kind", "breakdown")):
        result = _run(*args)
        assert result.returncode == 0, result.stderr
    return p


def test_killing_a_take_entry_loses_nothing_already_logged(project, tmp_path):
    before = _takes(project)
    assert [t[0] for t in before] == [1, 2]
    killed_mid_way = 0
    media = project / "media"

    def temporaries() -> bool:
        return any(f.name.startswith(".") for f in media.rglob("*.tmp"))

    moments = {
        "at once": lambda digest: (lambda: True),
        "while the audio is copied": lambda digest: temporaries,
        "once the audio is stored": lambda digest: (
            lambda: any(media.glob(f"{digest[:2]}/{digest}*"))),
        # then a little later: in the transaction or after it (either is fine: whole)
        "soon after": lambda digest: _after(
            lambda: any(media.glob(f"{digest[:2]}/{digest}*")), 0.02),
        "later still": lambda digest: _after(
            lambda: any(media.glob(f"{digest[:2]}/{digest}*")), 0.1),
    }
    for seed, (moment, when) in enumerate(moments.items()):
        big = tmp_path / f"big{seed}.wav"
        digest = _big_wav(big, seed)
        proc = subprocess.Popen([*FILMSCORE, "-p", str(project), "take", "1M2", "-c",
                                 "--audio", f"orchestra={big}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        alive = _wait_for(proc, when(digest))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = proc.returncode == -signal.SIGKILL and alive
        killed_mid_way += killed
        after = _takes(project)
        assert after[:len(before)] == before, moment  # every earlier take intact
        assert len(after) in (len(before), len(before) + 1), moment
        _check_media(project, after)
        if len(after) > len(before):  # the take got in whole, with its audio
            new = after[-1]
            assert '"orchestra"' in new[4] and digest in new[4], moment
        before = after
        big.unlink()
    assert killed_mid_way >= 2  # at once and mid-copy, at the least
    # the log goes on: the next take is logged and numbered after every earlier one
    result = _run("-p", project, "take", "1M2")
    assert result.returncode == 0, result.stderr
    numbers = [t[0] for t in _takes(project)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert result.stdout.startswith(f"1M2 take {numbers[-1]} ")
