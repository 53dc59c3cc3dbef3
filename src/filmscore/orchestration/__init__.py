"""Orchestration: the instrument table (data), ensembles, orchestrate, checks, parts and scores."""

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

__all__ = [
    "INSTRUMENTS",
    "SECTIONS",
    "Instrument",
    "get_instrument",
    "in_range",
    "score_order",
    "sounding_pitch",
    "written_pitch",
]
