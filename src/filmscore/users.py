"""The team's accounts in the project (thin service functions): add, list, remove, set a
password, check a login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from filmscore.accounts import check_role, hash_password, verify_password
from filmscore.errors import ConflictError, InputError, NotFoundError
from filmscore.model.base import utcnow
from filmscore.model.user import User
from filmscore.store import transaction


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    role: str
    active: bool
    last_login: datetime | None

    @property
    def label(self) -> str:
        return f"user {self.name!r}"


def _info(row: User) -> UserInfo:
    return UserInfo(row.id, row.name, row.role, row.active, row.last_login)


def _row(session, project_id: int, name: str) -> User:
    row = session.scalars(select(User).where(User.project_id == project_id,
                                             User.name == name)).first()
    if row is None:
        raise NotFoundError(f"no user {name!r} in this project (see 'filmscore user list')")
    return row


def add_user(pctx, name: str, role: str, password: str) -> UserInfo:
    """Add a member of the team with a role and a password (hashed with argon2id)."""
    name = " ".join(str(name).split())
    if not name:
        raise InputError("a user needs a name", field="name", value=name,
                         valid="e.g. 'Ann Lee'")
    check_role(role)
    digest = hash_password(password)
    with transaction(pctx.engine) as session:
        if session.scalars(select(User).where(User.project_id == pctx.project_id,
                                              User.name == name)).first():
            raise ConflictError(f"user {name!r} already exists; choose another name")
        row = User(project_id=pctx.project_id, name=name, role=role, password_hash=digest)
        session.add(row)
        session.flush()
        return _info(row)


def list_users(pctx) -> list[UserInfo]:
    with transaction(pctx.engine) as session:
        return [_info(r) for r in session.scalars(select(User).where(
            User.project_id == pctx.project_id).order_by(User.name))]


def get_user(pctx, user_id: int) -> UserInfo | None:
    """The active user with ``user_id`` (None when gone or switched off)."""
    with transaction(pctx.engine) as session:
        row = session.get(User, user_id)
        if row is None or row.project_id != pctx.project_id or not row.active:
            return None
        return _info(row)


def remove_user(pctx, name: str) -> None:
    with transaction(pctx.engine) as session:
        session.delete(_row(session, pctx.project_id, name))


def set_password(pctx, name: str, password: str) -> None:
    digest = hash_password(password)
    with transaction(pctx.engine) as session:
        _row(session, pctx.project_id, name).password_hash = digest


def authenticate(pctx, name: str, password: str) -> UserInfo | None:
    """The user when ``name`` and ``password`` match an active account, else None (the
    same answer for an unknown name and a wrong password)."""
    with transaction(pctx.engine) as session:
        row = session.scalars(select(User).where(User.project_id == pctx.project_id,
                                                 User.name == " ".join(name.split()))).first()
        if row is None:
            verify_password(_DUMMY, password)  # the same time for an unknown name
            return None
        if not row.active or not verify_password(row.password_hash, password):
            return None
        # a plain UPDATE, not a versioned edit: two logins of one account at one moment
        # (two devices) both succeed
        session.execute(update(User).where(User.id == row.id).values(last_login=utcnow()))
        return _info(row)


#: a hash to verify against when the name is unknown (equal timing)
_DUMMY = ("$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
          "J0bJmXvYbMSrDHV1z7YK0xXNyNl0L6n2iYd0b8M0Ia0")
