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
