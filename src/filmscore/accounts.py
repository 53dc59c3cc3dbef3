"""The team's roles and what each may do, as data (DESIGN rule 7), and password hashing.

Every web route names the one action it needs; a role may do the actions of its row:

==================  =============================================================
composer            everything but the contractor's and the engineer's own work
music editor        cues, sync, tempo, review, the plan, takes, the stage pack, mix,
                    the album, the conform's fixes
orchestrator        orchestrate, copy parts and scores, review
copyist             copy parts and scores
contractor          the roster, bookings, call lists, costs
engineer            log takes, the stage pack; comp, mix and deliver
director            review only: comment and approve or ask for changes
==================  =============================================================

Everybody logged in may view every page and download every report.  Passwords are hashed
with argon2id (argon2-cffi's defaults, RFC 9106's second recommended parameters).
"""

from __future__ import annotations

from filmscore.errors import InputError

#: the actions a route may need, with what they mean
ACTIONS: dict[str, str] = {
    "view": "see every page, play audio, download reports",
    "spot": "add, change and remove cues and sync points",
    "tempo": "set and solve tempo maps; render clicks and streamers",
    "write": "import music versions, add themes, render mockups",
    "review": "leave review notes at timecodes",
    "approve": "approve a cue or ask for changes",
    "orchestrate": "orchestrate a cue",
    "copy": "make parts, scores and session books",
    "contract": "the roster, bookings, call lists and costs",
    "plan": "plan the sessions and pickups",
    "log takes": "log takes and circle them",
    "edit takes": "change or re-number logged takes",
    "stage pack": "make a session's stage pack",
    "mix": "comp, mix and deliver",
    "album": "rate and title album candidates, propose an album's sequence",
    "conform": "propose and choose the fixes of the cues a picture change flagged",
}

#: role -> what it is, and the actions it may do ("view" is everyone's)
ROLES: dict[str, tuple[str, frozenset[str]]] = {
    "composer": ("writes the score; runs the team", frozenset(
        {"view", "spot", "tempo", "write", "review", "approve", "orchestrate", "copy",
         "plan", "mix", "album", "conform"})),
    "music editor": ("spotting, sync, the stage and the take log", frozenset(
        {"view", "spot", "tempo", "review", "plan", "log takes", "edit takes",
         "stage pack", "mix", "album", "conform"})),
    "orchestrator": ("orchestrates the sketches", frozenset(
        {"view", "review", "orchestrate", "copy"})),
    "copyist": ("prepares parts and scores", frozenset({"view", "copy"})),
    "contractor": ("books the players", frozenset({"view", "contract"})),
    "engineer": ("records on the stage", frozenset(
        {"view", "log takes", "stage pack", "mix"})),
    "director": ("reviews: comments and approves (director or producer)", frozenset(
        {"view", "review", "approve"})),
}


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError("unknown role", field="role", value=role, valid=", ".join(ROLES))
    return role


def can(role: str, action: str) -> bool:
    """May ``role`` do ``action``?"""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")  # a bug in a route, not user input
    return action in ROLES.get(role, ("", frozenset()))[1]


def roles_for(action: str) -> list[str]:
    """The roles that may do ``action``."""
    return [name for name, (_what, actions) in ROLES.items() if action in actions]


#: the shortest password accepted
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (refused when shorter than MIN_PASSWORD)."""
    from argon2 import PasswordHasher

    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters",
                         field="password", valid=f"{MIN_PASSWORD} or more characters")
    return PasswordHasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Does ``password`` match the hash ``stored``?"""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return PasswordHasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
