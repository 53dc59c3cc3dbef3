"""Orchestration: the instrument table (data), ensembles, orchestrate, checks, parts and scores."""

from filmscore.orchestration.check import CheckReport, Flag, check_score
from filmscore.orchestration.copying import Header, SyncMark, TempoMark, cue_marks
from filmscore.orchestration.ensembles import (
    TEMPLATES,
    Chair,
    ChairUse,
    CueInstrumentation,
    Ensemble,
    get_template,
)
from filmscore.orchestration.instruments import (
    INSTRUMENTS,
    SECTIONS,
    Instrument,
    get_instrument,
    in_range,
    score_order,
    sounding_pitch,
    written_pitch,
)
from filmscore.orchestration.orchestrate import Decision, Orchestration, orchestrate

__all__ = [
    "INSTRUMENTS",
    "SECTIONS",
    "TEMPLATES",
    "Chair",
    "ChairUse",
    "CheckReport",
    "CueInstrumentation",
    "Decision",
    "Ensemble",
    "Flag",
    "Header",
    "Instrument",
    "Orchestration",
    "SyncMark",
    "TempoMark",
    "check_score",
    "cue_marks",
    "get_instrument",
    "get_template",
    "in_range",
    "orchestrate",
    "score_order",
    "sounding_pitch",
    "written_pitch",
]
