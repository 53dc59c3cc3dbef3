"""A bounded load test of the web workspace on loopback, against PostgreSQL.

50 simulated users (every role) browse the pages, leave review notes and log takes for
two minutes against one server process (uvicorn) over a project on PostgreSQL.  Each user
logs in once and keeps its cookie; between requests it waits a little (think time).  It
reports requests per second, the latency percentiles (50th, 99th) per kind of request,
every error (a status of 400 or more, a connection error), and checks that every take the
server answered 'logged' is in the database exactly once (no lost take).

    .venv/bin/python bench/load_web.py [--users 50] [--seconds 120] [--pg URL] [--write]

Without --pg, a throwaway server is started with scripts/pg-test-server (as make test
does).  --write puts the results into BENCHMARKS.md between the markers
``<!-- load:start -->`` and ``<!-- load:end -->``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DOC = ROOT / "BENCHMARKS.md"
START, END = "<!-- load:start -->", "<!-- load:end -->"
PASSWORD = "load-test-password"
DEMO = ROOT / "demo" / "popeye1936"

#: what a user does, with its weight: browse, review, log takes
BROWSE = ("/", "/timeline", "/themes", "/recording", "/cues/{cue}")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    takes: set[str] = field(default_factory=set)  # entry keys the server said it logged

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_url(given: str | None) -> tuple[str, bool]:
    if given:
        return given, False
    url = subprocess.run([str(ROOT / "scripts" / "pg-test-server"), "start"], check=True,
                         capture_output=True, text=True).stdout.strip()
    return url, True


def _admin(url: str) -> str:
    """The server's maintenance database, as a libpq URL."""
    plain = url.replace("postgresql+psycopg", "postgresql")
    return re.sub(r"/[^/?]+(\?|$)", r"/postgres\1", plain, count=1)


def _fresh_database(url: str) -> tuple[str, str]:
    """A new database on the server of ``url`` (dropped by the caller)."""
    import psycopg

    name = f"filmscore_load_{os.getpid()}"
    with psycopg.connect(_admin(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return re.sub(r"/[^/?]+(\?|$)", rf"/{name}\1", url), name


def make_project(folder: Path, db_url: str) -> dict[str, str]:
    """The demo's cues and sync points on PostgreSQL, with tempo maps and one user per
    role; returns {cue number: its start timecode}."""
    from fractions import Fraction

    from filmscore.accounts import ROLES
    from filmscore.formats.spotting_csv import read_spotting_csv
    from filmscore.project import init_project, open_project
    from filmscore.spotting.service import import_cues, list_cues
    from filmscore.sync.service import set_tempo_map
    from filmscore.sync.tempomap import TempoMap
    from filmscore.timecode import format_label, get_rate
    from filmscore.users import add_user

    init_project(folder, title="Load test", fps="24", db=db_url)
    with open_project(folder, db=db_url) as pctx:
        import_cues(pctx, read_spotting_csv(DEMO / "spotting.csv", get_rate("24")))
        cues = list_cues(pctx)
        for cue in cues:
            bars = max(1, (cue.end_frame - cue.start_frame) // 48)
            set_tempo_map(pctx, str(cue.number), TempoMap.constant(
                "24", cue.start_frame, Fraction(120), bars), origin="set", note="load test")
        for role in ROLES:
            add_user(pctx, f"{role} user", role, PASSWORD)
        return {str(c.number): format_label(c.start_frame, pctx.rate) for c in cues}


def serve(folder: Path, db_url: str, port: int) -> threading.Thread:
    import uvicorn

    from filmscore.web.app import create_app

    app = create_app(folder, db=db_url, secure_cookies=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    thread.server = server  # type: ignore[attr-defined]
    return thread


async def user(n: int, base: str, cues: dict[str, str], until: float, stats: Stats,
               rng: random.Random) -> None:
    import httpx2 as httpx

    from filmscore.accounts import ROLES, can

    role = list(ROLES)[n % len(ROLES)]
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True) as client:
        page = await client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        response = await client.post("/login", data={"name": f"{role} user",
                                                      "password": PASSWORD, "csrf": csrf})
        if response.status_code >= 400:
            stats.errors.append(f"login {role}: {response.status_code}")
            return
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', response.text).group(1)
        headers = {"x-csrf-token": csrf}
        while time.monotonic() < until:
            cue = rng.choice(list(cues))
            roll = rng.random()
            start = time.perf_counter()
            try:
                if roll < 0.15 and can(role, "review"):
                    kind = "review note"
                    r = await client.post(f"/cues/{cue}/notes", headers=headers, data={
                        "timecode": cues[cue], "text": f"note {uuid.uuid4().hex[:6]}",
                        "csrf": csrf})
                elif roll < 0.35 and can(role, "log takes"):
                    kind = "log take"
                    key = uuid.uuid4().hex
                    r = await client.post("/api/takes", headers=headers, json={
                        "cue": cue, "kind": "complete", "entry_key": key})
                    if r.status_code < 400:
                        stats.takes.add(key)
                else:
                    path = rng.choice(BROWSE)
                    kind = f"page {path.replace('{cue}', 'CUE')}"
                    r = await client.get(path.format(cue=cue))
            except Exception as error:  # a connection error counts as an error
                stats.errors.append(f"{type(error).__name__}: {error}")
                continue
            stats.add(kind, time.perf_counter() - start)
            if r.status_code >= 400:
                stats.errors.append(f"{kind} {r.request.url.path}: {r.status_code} "
                                    f"{r.text[:120]}")
            await asyncio.sleep(rng.uniform(0.05, 0.3))  # think time


def run(users: int, seconds: float, pg: str | None) -> dict:
    url, started = _pg_url(pg)
    db_url, name = _fresh_database(url)
    try:
        with tempfile.TemporaryDirectory(prefix="filmscore-load-") as tmp:
            folder = Path(tmp) / "film"
            cues = make_project(folder, db_url)
            port = _free_port()
            thread = serve(folder, db_url, port)
            stats = Stats()
            rng = random.Random(10)
            until = time.monotonic() + seconds
            t0 = time.perf_counter()

            async def main() -> None:
                await asyncio.gather(*(user(n, f"http://127.0.0.1:{port}", cues, until,
                                            stats, random.Random(rng.random()))
                                       for n in range(users)))

            asyncio.run(main())
            elapsed = time.perf_counter() - t0
            thread.server.should_exit = True  # type: ignore[attr-defined]
            thread.join(10)
            logged = _takes_in_db(folder, db_url)
    finally:
        _drop(url, name)
        if started:
            subprocess.run([str(ROOT / "scripts" / "pg-test-server"), "stop"], check=False,
                           capture_output=True)
    count = sum(len(v) for v in stats.latencies.values())
    result = {"users": users, "seconds": round(elapsed, 1), "requests": count,
              "rps": count / elapsed, "errors": stats.errors,
              "takes_answered": len(stats.takes), "takes_in_db": logged,
              "kinds": {k: _percentiles(v) for k, v in sorted(stats.latencies.items())},
              "all": _percentiles([x for v in stats.latencies.values() for x in v])}
    return result


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0, "p50_ms": 0.0, "p99_ms": 0.0}
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {"n": len(ordered), "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": p99 * 1000}


def _takes_in_db(folder: Path, db_url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from filmscore.model import Take
    from filmscore.project import open_project
    from filmscore.store import transaction

    with open_project(folder, db=db_url) as pctx, transaction(pctx.engine) as session:
        rows = session.execute(select(Take.entry_key, func.count()).where(
            Take.entry_key.is_not(None)).group_by(Take.entry_key)).all()
    return {key: n for key, n in rows}


def _drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_admin(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(result: dict) -> str:
    lost = [k for k in result["takes_in_db"] if result["takes_in_db"][k] != 1]
    missing = len(set(result["takes_answered"] if isinstance(result["takes_answered"], set)
                      else ()) - set(result["takes_in_db"]))
    lines = [f"Run on {dt.date.today().isoformat()}: {result['users']} users for "
             f"{result['seconds']} s, one uvicorn process, PostgreSQL on loopback.", "",
             "| requests | per second | p50 | p99 | errors | takes logged / in the database |",
             "|---:|---:|---:|---:|---:|---:|",
             f"| {result['requests']} | {result['rps']:.1f} | "
             f"{result['all']['p50_ms']:.0f} ms | {result['all']['p99_ms']:.0f} ms | "
             f"{len(result['errors'])} | {result['takes_answered']} / "
             f"{sum(result['takes_in_db'].values())} |", "",
             "| kind | requests | p50 | p99 |", "|---|---:|---:|---:|"]
    for kind, p in result["kinds"].items():
        lines.append(f"| {kind} | {p['n']} | {p['p50_ms']:.0f} ms | {p['p99_ms']:.0f} ms |")
    if lost or missing:
        lines.append(f"\nLost or doubled takes: {len(lost) + missing}.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--pg", default=None)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    result = run(args.users, args.seconds, args.pg)
    text = report(result)
    print(text)
    for error in result["errors"][:20]:
        print("error:", error)
    if args.write:
        doc = DOC.read_text()
        if START in doc:
            head, rest = doc.split(START, 1)
            doc = head + START + "\n" + text + "\n" + END + rest.split(END, 1)[1]
        else:
            doc += f"\n## Web workspace under load (issue 11)\n\n{START}\n{text}\n{END}\n"
        DOC.write_text(doc)
    ok = not result["errors"] and result["takes_answered"] == sum(
        result["takes_in_db"].values()) and all(n == 1 for n in result["takes_in_db"].values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
