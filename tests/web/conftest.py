"""The web app in-process: a project with one user per role, a client logged in as each."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscore.accounts import ROLES
from filmscore.project import init_project, open_project
from filmscore.users import add_user
from web_helpers import PASSWORD, login


@pytest.fixture
def web_project(tmp_path: Path) -> Path:
    folder = tmp_path / "film"
    init_project(folder, title="Test Film", fps="24")
    with open_project(folder) as pctx:
        for role in ROLES:
            add_user(pctx, f"{role} user", role, PASSWORD)
    return folder


@pytest.fixture
def app(web_project):
    from filmscore.web.app import create_app

    application = create_app(web_project)
    yield application
    application.state.pctx.close()


@pytest.fixture
def as_role(app):
    return lambda role: login(app, role)
