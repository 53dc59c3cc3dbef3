"""Spotting lists in and out of files, through the format registry (kind "spotting").

A reader gives either a cue list (CSV) or a Pro Tools session (session text), which the
user's choice of tracks turns into cues; writers take the cue list.
"""

from __future__ import annotations

from pathlib import Path

from filmscore.errors import InputError, ParseError, ValidationError
from filmscore.formats import reader_for, writer_for
from filmscore.formats.protools_text import SessionText, to_cues
from filmscore.spotting.cues import CueSpec
from filmscore.timecode import Rate

MARKER_CHOICES = ("sync", "cues", "ignore")


def read_spotting(path: Path, *, rate: Rate, cue_tracks: list[str] | None = None,
                  sync_tracks: list[str] | None = None, markers_as: str = "sync"
                  ) -> list[CueSpec]:
    """Read a spotting list: a CSV, or a Pro Tools text export and which tracks hold cues.

    A list with no cue is refused: importing it would add nothing, and with ``--replace``
    it would silently empty the project's cue list (a CSV with only its header line, a
    session whose chosen track has no clips)."""
    path = Path(path)
    read = reader_for("spotting", path)(path, rate)
    if isinstance(read, SessionText):
        cues = _from_session(read, path, rate=rate, cue_tracks=cue_tracks,
                             sync_tracks=sync_tracks, markers_as=markers_as)
        if not cues:
            where = (f"no clips on the track(s) {', '.join(cue_tracks)}" if cue_tracks
                     else "no memory locations")
            raise ParseError(f"no cues in the session: {where}", source=str(path),
                             valid="a --cue-track with clips, or --markers cues on a session "
                             "with memory locations")
        return cues
    if cue_tracks or sync_tracks:
        raise InputError("--cue-track and --sync-track are for Pro Tools text exports",
                         source=str(path), field="cue-track", valid="a .txt session export")
    if not read:
        raise ParseError("no cues in the file (only a header line)", source=str(path),
                         valid="at least one row of type cue under the header")
    return read


def _from_session(session: SessionText, path: Path, *, rate: Rate,
                  cue_tracks: list[str] | None, sync_tracks: list[str] | None,
                  markers_as: str) -> list[CueSpec]:
    if session.rate.fps != rate.fps or session.rate.drop_frame != rate.drop_frame:
        raise ValidationError(f"the session is {session.rate.name} fps but the project is "
                              f"{rate.name}", source=str(path), field="TIMECODE FORMAT",
                              value=session.rate.name, valid=rate.name)
    if markers_as not in MARKER_CHOICES:
        raise InputError("unknown choice for markers", field="markers", value=markers_as,
                         valid=", ".join(MARKER_CHOICES))
    names = [t.name for t in session.tracks]
    if not cue_tracks and markers_as != "cues":
        raise InputError("say which track's clips are the cues (--cue-track NAME), or use "
                         "--markers cues", source=str(path), field="cue-track",
                         valid=", ".join(names))
    for name in [*(cue_tracks or []), *(sync_tracks or [])]:
        if name not in names:
            raise InputError("no such track in the session", source=str(path),
                             field="track", value=name, valid=", ".join(names))
    return to_cues(session, cue_tracks=cue_tracks, sync_tracks=sync_tracks,
                   markers_as=markers_as)


def write_spotting(cues: list[CueSpec], path: Path, pctx, *, picture_name: str = "") -> None:
    """Write the cue list as CSV or PDF (by the file's suffix)."""
    path = Path(path)
    writer_for("spotting", path)(cues, path, rate=pctx.rate, title=pctx.title,
                                 picture_name=picture_name)
