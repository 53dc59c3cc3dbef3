"""The recording stage's vocabulary, declared once as data (DESIGN rule 7): kinds of
session, groups a cue's music is recorded in, take types, pickup states, take numbering."""

from __future__ import annotations

#: what a session on the stage is for
SESSION_KINDS = ("orchestra", "overdub", "choir", "prerecord", "pickup")
#: a union session is three hours (AFM); the default length of a new session
DEFAULT_SESSION_HOURS = 3

#: the groups one cue's music is recorded in (the planner keeps them in separate sessions
#: when asked): the orchestra on the stage, the choir apart, a percussion overdub, the
#: composer's synth prerecords
RECORDING_GROUPS = ("orchestra", "choir", "percussion overdub", "synth prerecord")

#: what a take is: (key, what it means on the stage)
TAKE_TYPES = {
    "complete": "the whole cue (or the planned part of it) played through",
    "false start": "stopped within the first bars",
    "breakdown": "stopped part way",
    "pickup": "a pickup or insert over some bars, cut into a complete take later",
    "alternate": "an alternate version (another orchestration, tempo or mood)",
    "wild": "played without picture or click (wild)",
}

#: where a pickup stands
PICKUP_STATES = ("open", "planned", "recorded")

#: how takes are numbered: from 1 in every cue, or one count across the whole project
TAKE_NUMBERING = ("cue", "project")
