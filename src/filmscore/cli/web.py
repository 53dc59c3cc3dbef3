"""`filmscore serve` (the team's web workspace) and `filmscore user add|list|remove|password`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, state, table

user_app = typer.Typer(help="The team's accounts for the web workspace.", no_args_is_help=True)


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def user_add(ctx: typer.Context,
             name: str = typer.Argument(..., help="The person's name, used to log in."),
             role: str = typer.Option(..., "--role", help="composer, music editor, "
                                      "orchestrator, copyist, contractor, engineer or "
                                      "director (review only)."),
             password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the "
                                                 "password from standard input (for "
                                                 "scripts) instead of asking.")) -> None:
    """Add a member of the team (the password is asked twice, or read from stdin)."""
    from filmscore.accounts import check_role
    from filmscore.users import add_user

    check_role(role)  # before asking for a password
    password = _password(password_stdin)
    with open_ctx(ctx) as pctx:
        user = add_user(pctx, name, role, password)
    console.print(f"added user {user.name!r} ({user.role})")


@user_app.command("list")
def user_list(ctx: typer.Context) -> None:
    """Every account, its role and last login."""
    from filmscore.users import list_users

    with open_ctx(ctx) as pctx:
        users = list_users(pctx)
    rows = [[u.name, u.role, "yes" if u.active else "no",
             f"{u.last_login:%Y-%m-%d %H:%M}" if u.last_login else "-"] for u in users]
    console.print(table(f"{len(users)} users", ["name", "role", "active", "last login"], rows))


@user_app.command("remove")
def user_remove(ctx: typer.Context, name: str = typer.Argument(..., help="The account.")
                ) -> None:
    """Remove an account."""
    from filmscore.users import remove_user

    with open_ctx(ctx) as pctx:
        remove_user(pctx, name)
    console.print(f"removed user {name!r}")


@user_app.command("password")
def user_password(ctx: typer.Context, name: str = typer.Argument(..., help="The account."),
                  password_stdin: bool = typer.Option(False, "--password-stdin",
                                                      help="Read it from standard input.")
                  ) -> None:
    """Set a new password for an account."""
    from filmscore.users import set_password

    password = _password(password_stdin)
    with open_ctx(ctx) as pctx:
        set_password(pctx, name, password)
    console.print(f"new password set for {name!r}")


def serve(ctx: typer.Context,
          project: Path = typer.Argument(None, help="The project folder (default: --project "
                                         "or the current folder)."),
          host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on "
                                   "(0.0.0.0: every interface; put it behind HTTPS)."),
          port: int = typer.Option(8000, "--port", help="Port to listen on."),
          insecure_cookies: bool = typer.Option(False, "--insecure-cookies", help="Send the "
                                                "session cookie over plain HTTP too (a "
                                                "trusted network without HTTPS; browsers "
                                                "send secure cookies to localhost anyway).")
          ) -> None:
    """Serve the team's web workspace for the project."""
    import uvicorn

    from filmscore.limits import check
    from filmscore.web.app import can_listen, create_app

    check("port", port, field="--port", what="a port")
    can_listen(host, port)   # an address in use or unknown: one line, before the project
    st = state(ctx)
    folder = project if project is not None else st.project_dir
    app = create_app(folder, db=st.db, secure_cookies=not insecure_cookies)
    console.print(f"filmscore: serving {app.state.pctx.title!r} at http://{host}:{port}/ "
                  "(Ctrl+C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.command("serve")(serve)
