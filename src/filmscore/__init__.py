"""filmscore: the production of a film score, from the spotting session to the album.

The public API, by stage.  Names are imported on first use (PEP 562), so that
``import filmscore`` stays cheap for the command line.

=====================  ==============================================================
``filmscore.timecode``  rates, timecode labels, seconds, samples, feet+frames (exact)
``filmscore.errors``    the exception tree
``filmscore.project``   ``init_project``, ``open_project``
``filmscore.store``     database engine, transactions, migrations, media store
``filmscore.formats``   the format registry: ``reader_for``, ``writer_for``, ``register``
``filmscore.spotting``  picture versions, the cue list, cue numbers and rules
``filmscore.musicians`` the roster, bookings, call lists, time per cue, costs
``filmscore.recording`` sessions, the session plan, pickups, takes, the stage pack
=====================  ==============================================================
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # timecode
    "Rate": "filmscore.timecode",
    "RATES": "filmscore.timecode",
    "get_rate": "filmscore.timecode",
    "parse_label": "filmscore.timecode",
    "format_label": "filmscore.timecode",
    "frame_to_seconds": "filmscore.timecode",
    "frame_to_samples": "filmscore.timecode",
    "frame_to_feet": "filmscore.timecode",
    # errors
    "FilmscoreError": "filmscore.errors",
    "InputError": "filmscore.errors",
    # projects
    "init_project": "filmscore.project",
    "open_project": "filmscore.project",
    # formats
    "reader_for": "filmscore.formats",
    "writer_for": "filmscore.formats",
    "register_format": "filmscore.formats:register",
    # spotting
    "Cut": "filmscore.spotting.cut",
    "CueSpec": "filmscore.spotting.cues",
    "SyncSpec": "filmscore.spotting.cues",
    "CueNumber": "filmscore.spotting.cues",
    "parse_cue_number": "filmscore.spotting.cues",
    "validate_cues": "filmscore.spotting.cues",
    "import_picture": "filmscore.spotting.service",
    "list_cues": "filmscore.spotting.service",
    "import_cues": "filmscore.spotting.service",
    "read_spotting": "filmscore.spotting.exchange",
    "write_spotting": "filmscore.spotting.exchange",
    # musicians
    "import_roster": "filmscore.musicians.service",
    "book_musician": "filmscore.musicians.booking",
    "auto_book": "filmscore.musicians.booking",
    "session_call_list": "filmscore.musicians.timelog",
    "project_costs": "filmscore.musicians.timelog",
    # recording
    "add_session": "filmscore.recording.sessions",
    "make_plan": "filmscore.recording.planning",
    "session_plan": "filmscore.recording.planning",
    "add_pickup": "filmscore.recording.planning",
    "log_take": "filmscore.recording.takes",
    "circle_take": "filmscore.recording.takes",
    "take_sheet": "filmscore.recording.takes",
    "write_stage_pack": "filmscore.recording.stagepack_service",
    # the project at a glance (the web workspace's dashboard, timeline and downloads)
    "project_progress": "filmscore.overview.service",
    "film_timeline": "filmscore.overview.service",
    "available_reports": "filmscore.overview.reports",
    "write_report": "filmscore.overview.reports",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'filmscore' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = getattr(importlib.import_module(module), attr or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
