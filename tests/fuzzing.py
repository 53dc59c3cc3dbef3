"""The fuzz suite's harness (tests/fuzz): what every reader must do with any input.

A reader given anything (random bytes, a mutated real file, a random record of the right
shape) either returns or raises a :class:`filmscore.errors.FilmscoreError` whose message
is one line naming the file; never another exception (the CLI's "internal error", exit 70),
never a crash, never a hang.  :func:`clean` asserts it.

The Hypothesis settings here keep the suite inside its time budget in ``make test``:
``derandomize`` makes every run draw the same examples (a failure in CI is a failure on
every machine), ``max_examples`` is small per property, and the seed corpus
(tests/fuzz/corpus) keeps every case that once failed as a regression test.
FILMSCORE_FUZZ_EXAMPLES raises the count for a long run by hand.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

from filmscore.errors import FilmscoreError

CORPUS = Path(__file__).resolve().parent / "fuzz" / "corpus"

EXAMPLES = int(os.environ.get("FILMSCORE_FUZZ_EXAMPLES", "25"))

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def clean(read: Callable[..., Any], *args: Any, source: str | None = None,
          **kwargs: Any) -> Any:
    """``read(*args, **kwargs)``: its result, or None when it refused with a
    FilmscoreError of one line that names ``source`` (when given).  Any other exception
    fails the test, with the input's name."""
    try:
        return read(*args, **kwargs)
    except FilmscoreError as error:
        text = str(error)
        assert "\n" not in text, f"a message of more than one line: {text!r}"
        assert "Traceback" not in text
        if source is not None:
            assert source in text, f"the message does not name {source}: {text!r}"
        return None


def mutate(data: bytes, rng: random.Random, edits: int = 8) -> bytes:
    """``data`` with a few random byte edits: flips, deletions, duplications, insertions
    of hostile tokens (huge numbers, NaN, negative values, NULs, digits ``int()`` refuses
    though ``str.isdigit`` accepts them), and a number of the file replaced by a token."""
    tokens = [b"9" * 40, b"-4", b"1e300", b"NaN", b"Infinity", b"-1", b"0", b"\x00",
              b"\xff\xfe", b"99:99:99:99", b"<", b"[" * 50, b"\"", b",",
              "²".encode(), "①".encode(), "٣".encode()]
    buf = bytearray(data)
    for _ in range(rng.randint(1, edits)):
        if not buf:
            buf += rng.choice(tokens)
            continue
        at = rng.randrange(len(buf))
        action = rng.randrange(5)
        if action == 4:  # a number of the file (the first at or after ``at``)
            found = re.compile(rb"\d+").search(bytes(buf), at)
            if found:
                buf[found.start():found.end()] = rng.choice(tokens)
                continue
            action = 3
        if action == 0:
            buf[at] = rng.randrange(256)
        elif action == 1:
            del buf[at:at + rng.randint(1, 16)]
        elif action == 2:
            end = min(len(buf), at + rng.randint(1, 64))
            buf[at:at] = buf[at:end]
        else:
            buf[at:at] = rng.choice(tokens)
    return bytes(buf)
