"""`filmscore user`: accounts added with a role and a hashed password; bad roles and short
passwords refused with nothing written."""

from __future__ import annotations

from sqlalchemy import text

from filmscore import store


def test_user_add_list_password_and_remove(cli, project24):
    p = project24
    out = cli.runner.invoke(_app(), ["-p", str(p), "user", "add", "Ann Lee", "--role",
                                     "music editor", "--password-stdin"],
                            input="a good password\n")
    assert out.exit_code == 0, out.stderr
    assert "added user 'Ann Lee' (music editor)" in out.stdout
    engine = store.open_engine(store.database_url(p))
    with engine.connect() as conn:
        (digest,) = conn.execute(text("SELECT password_hash FROM users")).one()
    engine.dispose()
    assert digest.startswith("$argon2id$") and "good password" not in digest
    listed = cli.ok("-p", p, "user", "list")
    assert "Ann Lee" in listed and "music editor" in listed
    before = cli.snapshot(p)
    bad = cli.runner.invoke(_app(), ["-p", str(p), "user", "add", "Bo", "--role", "boss",
                                     "--password-stdin"], input="a good password\n")
    cli.fails(bad, "unknown role", "'boss'", "composer, music editor")
    short = cli.runner.invoke(_app(), ["-p", str(p), "user", "add", "Bo", "--role",
                                       "copyist", "--password-stdin"], input="short\n")
    cli.fails(short, "field password", "at least 8 characters")
    again = cli.runner.invoke(_app(), ["-p", str(p), "user", "add", "Ann Lee", "--role",
                                       "copyist", "--password-stdin"],
                              input="a good password\n")
    cli.fails(again, "already exists")
    assert cli.snapshot(p) == before
    ok = cli.runner.invoke(_app(), ["-p", str(p), "user", "password", "Ann Lee",
                                    "--password-stdin"], input="another good one\n")
    assert ok.exit_code == 0
    cli.ok("-p", p, "user", "remove", "Ann Lee")
    assert "0 users" in cli.ok("-p", p, "user", "list")


def _app():
    from filmscore.cli import app

    return app


def test_serve_says_in_one_line_where_it_cannot_listen(cli, project24):
    """A port out of range, a port in use, an address not of this machine: one line each,
    before anything is served (uvicorn printed a traceback, or the command an internal
    error for port 99999)."""
    import socket

    for port in ("0", "99999"):
        cli.fails(cli.run("--project", project24, "serve", "--port", port), "field --port",
                  f"(got {port})", "valid: 1 to 65535")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cli.fails(cli.run("--project", project24, "serve", "--port", port),
                  f"cannot listen on 127.0.0.1:{port}", "in use")
    cli.fails(cli.run("--project", project24, "serve", "--host", "192.0.2.1"),
              "cannot listen on 192.0.2.1:8000")
