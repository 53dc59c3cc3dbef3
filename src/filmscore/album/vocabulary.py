"""The album stage's vocabulary, declared once as data (DESIGN rule 7): the media an
album is released on and their rules, the kinds of candidate, the listening orders and
the mastering targets.  Add a row here and nowhere else.

Sources for the rules: the Red Book (IEC 60908) for the CD (74/80-minute discs, 99
tracks, a track at least 4 seconds, a 2-second pause before track 1, addresses in frames
of 1/75 s); cutting-room practice for the 12-inch LP at 33 1/3 rpm (about 22 minutes a
side before level and bass suffer; the loud and bass-heavy music early on a side, where
the groove is at its largest radius); the streaming services' published normalisation
targets (about -14 LUFS integrated, -1 dBTP) for digital.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Medium:
    """A release medium and its default rules; an album may override the numbers
    (``Album.settings[medium]``), never the kind of rule."""

    name: str
    title: str
    #: the most music the medium holds, seconds (None: no limit); for vinyl, per side; on a
    #: CD disc time, the pregap before track 1 counted
    max_seconds: Fraction | None
    #: the most tracks (None: no limit)
    max_tracks: int | None
    #: the shortest track allowed, seconds
    min_track_seconds: Fraction
    #: silence before track 1 (the CD's pregap), seconds
    pregap_seconds: Fraction
    #: the default gap between tracks, seconds
    gap_seconds: Fraction
    #: sides (vinyl: 2 for one LP); 1 for a medium without sides
    sides: int
    #: track boundaries fall on multiples of this, seconds (CD: 1/75 s frames)
    grid_seconds: Fraction | None
    #: the release's sample rate and bits
    sample_rate: int
    bits: int
    #: the mastering target: integrated loudness (LUFS) and true-peak ceiling (dBTP)
    target_lufs: float
    ceiling_dbtp: float
    #: the file kinds written for it (see album.release)
    files: tuple[str, ...]


#: 79:57, the default CD capacity: an 80-minute disc less a margin for the lead-out that
#: many plants ask for
CD_DEFAULT_SECONDS = Fraction(79 * 60 + 57)
CD_FRAMES_PER_SECOND = 75

MEDIA: dict[str, Medium] = {
    "cd": Medium("cd", "CD", CD_DEFAULT_SECONDS, 99, Fraction(4), Fraction(2), Fraction(2),
                 1, Fraction(1, CD_FRAMES_PER_SECOND), 44100, 16, -12.0, -1.0,
                 ("wav-image", "cue", "pq")),
    "vinyl": Medium("vinyl", "12-inch LP", Fraction(22 * 60), None, Fraction(0),
                    Fraction(0), Fraction(2), 2, None, 48000, 24, -16.0, -1.0,
                    ("side-list",)),
    "digital": Medium("digital", "Digital", None, None, Fraction(0), Fraction(0),
                      Fraction(0), 1, None, 48000, 24, -14.0, -1.0, ("flac",)),
}
MEDIUM_NAMES = tuple(MEDIA)
#: vinyl side letters in order (a double LP has four sides)
SIDE_LETTERS = "ABCDEFGH"

#: what a candidate track is made from
CANDIDATE_KINDS: dict[str, str] = {
    "cue": "a cue's mix as heard in the film",
    "album_version": "a cue's mix made for the album (another mix version)",
    "edit": "an album edit: a cue truncated, or a suite of cues joined at bar lines",
    "alternate": "an alternate: a mix of another comp or take of a cue",
    "unused": "a cue written and mixed but not placed in the film",
    "draft": "an early draft: the cue's mockup",
}
#: album edits
EDIT_KINDS = ("truncation", "suite")
#: the order tracks are sequenced in
ORDERS: dict[str, str] = {
    "film": "the order the music is heard in the film",
    "listening": "an order for listening: contrast of tempo, loudness and key between "
                 "neighbours, loud and bass-heavy tracks early on a vinyl side",
}
#: where a pinned track goes
PINS = ("first", "last")
#: the composer's rating of a candidate
RATING_MIN, RATING_MAX = 0, 5
#: the crossfade at every join of an album edit unless chosen otherwise (milliseconds)
DEFAULT_EDIT_CROSSFADE_MS = 40
#: mastering modes: each track to the target, or the album to the target with the
#: tracks' relative levels kept
MASTER_MODES = ("track", "album")
#: digital formats beside FLAC, made with ffmpeg on request
LOSSY_FORMATS = ("mp3", "aac")
#: credits printed in the liner notes, in order
CREDIT_ROLES: dict[str, str] = {
    "composer": "Music composed by",
    "conductor": "Conducted by",
    "orchestrator": "Orchestrations by",
    "orchestra": "Performed by",
    "contractor": "Orchestra contractor",
    "recording_engineer": "Recorded and mixed by",
    "music_editor": "Music editor",
    "mastering_engineer": "Mastered by",
    "producer": "Album produced by",
}
