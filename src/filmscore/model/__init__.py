"""The ORM tables of filmscore, one module per concept, re-exported here."""

from filmscore.model.album import Album, AlbumCandidate, AlbumEdit, AlbumTrack
from filmscore.model.base import (
    NAMING_CONVENTION,
    Base,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    utcnow,
)
from filmscore.model.conform import ChangeList, ConformFlag
from filmscore.model.cue import SYNC_KINDS, Cue, SyncPoint
from filmscore.model.job import JOB_STATES, Job
from filmscore.model.mixing import Comp, Mix, Placement
from filmscore.model.musicians import Booking, Musician, PlayerCueTime, RecordingSession
from filmscore.model.orchestration import Orchestration
from filmscore.model.picture import (
    MARKER_KINDS,
    SOURCE_KINDS,
    Marker,
    PictureEvent,
    PictureVersion,
    Reel,
)
from filmscore.model.project import Project
from filmscore.model.recording import Pickup, PlanEntry, Take
from filmscore.model.rights import CueShare, RightsHolder
from filmscore.model.sync import TEMPO_MAP_ORIGINS, CueTempoMap
from filmscore.model.user import User
from filmscore.model.writing import (
    MUSIC_FORMATS,
    THEME_KINDS,
    VERDICTS,
    MusicVersion,
    ReviewNote,
    StatusEvent,
    Theme,
    ThemeVerdict,
)

metadata = Base.metadata

__all__ = [
    "Album",
    "AlbumCandidate",
    "AlbumEdit",
    "AlbumTrack",
    "ChangeList",
    "ConformFlag",
    "MARKER_KINDS",
    "NAMING_CONVENTION",
    "JOB_STATES",
    "SOURCE_KINDS",
    "SYNC_KINDS",
    "TEMPO_MAP_ORIGINS",
    "Base",
    "Booking",
    "Comp",
    "CueShare",
    "Mix",
    "Placement",
    "RightsHolder",
    "Job",
    "Musician",
    "PlanEntry",
    "Pickup",
    "PlayerCueTime",
    "RecordingSession",
    "Take",
    "User",
    "Cue",
    "MusicVersion",
    "Orchestration",
    "ReviewNote",
    "StatusEvent",
    "Theme",
    "ThemeVerdict",
    "MUSIC_FORMATS",
    "THEME_KINDS",
    "VERDICTS",
    "CueTempoMap",
    "Marker",
    "PictureEvent",
    "PictureVersion",
    "Project",
    "Reel",
    "SyncPoint",
    "TimestampMixin",
    "UTCDateTime",
    "VersionedMixin",
    "metadata",
    "utcnow",
]
