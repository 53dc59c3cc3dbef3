"""The CD's PQ list as CSV (UTF-8 with BOM, CRLF, as our other CSVs), written atomically:
what a pressing plant checks a disc image or DDP against, one row per index::

    track,index,start,length,isrc,title,cue,image_start,catalog

``start`` is the disc time (MM:SS:FF, 75 frames a second, the 2-second pause before
track 1 included: track 1's INDEX 01 is 00:02:00), ``image_start`` the same point in the
WAV image (as the CUE sheet gives it); ``length`` of an INDEX 00 row is the pause, of an
INDEX 01 row the track up to the next pause or track.  The last row, track ``LO``, is
the lead-out: its start is the disc's total time.  ``catalog`` is the UPC/EAN.  What it
loses: nothing the PDF shows; there is no reader (it is a report).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from filmscore.album.cd import CdLayout, msf
from filmscore.fileio import write_atomic

COLUMNS = ("track", "index", "start", "length", "isrc", "title", "cue", "image_start",
           "catalog")


def pq_rows(layout: CdLayout) -> list[dict[str, str]]:
    """The PQ list's rows (disc times with the pregap)."""
    offset = layout.pregap_frames
    rows = [{"track": "01", "index": "00", "start": msf(0), "length": msf(offset),
             "isrc": "", "title": "(pause)", "cue": "", "image_start": "",
             "catalog": layout.catalog}]
    for track in layout.tracks:
        common = {"track": f"{track.number:02d}", "isrc": track.isrc,
                  "catalog": layout.catalog}
        if track.has_pause:
            rows.append({**common, "index": "00", "start": msf(offset + track.pause),
                         "length": msf(track.start - track.pause), "title": "(pause)",
                         "cue": "", "image_start": msf(track.pause), "isrc": ""})
        rows.append({**common, "index": "01", "start": msf(offset + track.start),
                     "length": msf(track.end - track.start), "title": track.title,
                     "cue": track.cue or "", "image_start": msf(track.start)})
    rows.append({"track": "LO", "index": "", "start": msf(layout.disc_frames), "length": "",
                 "isrc": "", "title": "Lead-out (total time)", "cue": "",
                 "image_start": msf(layout.frames), "catalog": layout.catalog})
    return rows


def write_pq_csv(layout: CdLayout, path: str | os.PathLike[str]) -> Path:
    """Write the PQ list as CSV at ``path`` (atomically)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(pq_rows(layout))
    return write_atomic(Path(path), buffer.getvalue(), encoding="utf-8-sig")
