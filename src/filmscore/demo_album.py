"""The demo's stage 7 (the soundtrack album) on the Popeye mixes.

The composer makes two album edits (the roc's attack as one suite of three cues joined
at bar lines; the roc verse of 1M3 without the comic vamp before it), rates the
candidates and gives them album titles; the album is sequenced for CD (film order, the
main title first and Boola's hug last), one 12-inch LP (a listening order, the sides
balanced) and digital, with one ISRC per recording across the media; each medium is
mastered to its target (CD at -12 LUFS in album mode, 44.1 kHz 16-bit with TPDF dither;
LP and digital 48 kHz 24-bit), and the release files are written: the CD image with its
CUE sheet and PQ list, the LP's side lists, tagged FLAC (and MP3) with a cover, and the
liner notes.  An expanded edition then adds what the first album left out without moving
its tracks, and the main theme's cue (1M2, Sindbad's song) is published as a piano solo
and a lead sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: the album edits: (name, kind's segments, album title)
EDITS = (
    ("roc-suite", ["1M4:start-end", "1M5:1-end", "1M6:1-end"],
     "The Roc Attacks (Suite)"),
    ("roc-verse", ["1M3:5-end"], "The Roc Verse (Album Edit)"),
)
#: the composer's ratings (0-5) and album titles; a cue not named keeps rating 3
CHOICES = {
    "1M1": (5, "Main Title: Lions at the Gate"),
    "1M2": (5, "I'm Sindbad the Sailor"),
    "1M3": (3, ""),
    "roc-verse": (4, ""),
    "roc-suite": (5, ""),
    # the suite's cues alone: the suite is the album's version of them
    "1M4": (2, ""), "1M5": (1, ""), "1M6": (1, ""),
    "1M7": (4, "Big Overgrown Canary"),
    "1M8": (3, "Roast Roc, with Gravy"),
    "1M9": (4, "Sindbad Strikes"),
    "1M10": (4, "Boola's Bear Hug"),
    "1M11s": (0, "Boola's Lullaby"),  # source music: left off the first album
}
FIRST, LAST = "1M1", "1M10"
ALBUM_TITLE = "Popeye the Sailor Meets Sindbad the Sailor (Original Score)"
ARTIST = "The filmscore Demo Orchestra"
LABEL = "filmscore demo records"
#: the album's credits (the roster's players are the orchestra by default)
CREDITS = {
    "composer": ["filmscore demo (machine-written on The Sailor's Hornpipe, trad.)"],
    "conductor": ["Ada Fairbank"],
    "contractor": ["Rafe Delacroix-Nye"],
    "recording_engineer": ["Ines Birchwood"],
    "music_editor": ["Quinn Ashdown"],
    "mastering_engineer": ["Otto Nakashima"],
    "producer": ["filmscore demo"],
}
#: a UPC-A whose check digit is computed (album.codes)
UPC_STEM = "85000912345"
#: the ISRC series of the demo's recordings (QZ: a code for self-registered producers)
ISRC_PREFIX = "QZ-FSD-26"
MEDIA = ("cd", "vinyl", "digital")
#: the cue whose piano solo and lead sheet are published (the main theme in full)
THEME_CUE = "1M2"


@dataclass
class AlbumResult:
    """What the demo's album stage made."""

    album: int = 0
    expanded: int = 0
    sequences: dict = field(default_factory=dict)  # medium -> Sequence
    mastering: dict = field(default_factory=dict)  # medium -> MasteringReport
    released: list = field(default_factory=list)  # Released
    editions: list = field(default_factory=list)  # Edition
    files: dict[str, Path] = field(default_factory=dict)


def album_stage(pctx, *, step) -> AlbumResult:
    """Make the album, its releases and the sheet-music editions into the project's own
    ``album/`` and ``editions/`` folders."""
    from filmscore.album.candidates import candidates, refresh_candidates, set_candidate
    from filmscore.album.codes import gs1_check_digit, isrc_series
    from filmscore.album.edit_render import make_edit
    from filmscore.album.editions import publish
    from filmscore.album.mastering import master_album
    from filmscore.album.release import release
    from filmscore.album.service import (
        album_view,
        expand,
        new_album,
        pin,
        propose,
        set_isrc,
        set_settings,
    )
    from filmscore.mixing.mixes import mixes

    result = AlbumResult()
    mixed = {m.cue for m in mixes(pctx)}
    step("Album: the edits (a suite of the roc's attack, the roc verse without its vamp)")
    for name, segments, title in EDITS:
        if {seg.split(":")[0] for seg in segments} <= mixed:  # (a film of other cues: none)
            make_edit(pctx, name, segments, title=title, author="composer")
    step("Album: the candidates, measured (length, loudness, true peak, bass) with their "
         "themes")
    refresh_candidates(pctx)
    have = {c.key for c in candidates(pctx)}
    for key, (rating, title) in CHOICES.items():
        if key in have:
            set_candidate(pctx, key, rating=rating, title=title or None)

    upc = UPC_STEM + str(gs1_check_digit(UPC_STEM))
    album = new_album(pctx, title=ALBUM_TITLE, artist=ARTIST, label_name=LABEL,
                      catalog=upc, credits=CREDITS).number
    result.album = album
    for medium in MEDIA:
        if FIRST in have:
            pin(pctx, album, medium, FIRST, "first")
        if LAST in have:
            pin(pctx, album, medium, LAST, "last")
    set_settings(pctx, album, "vinyl", order="listening")
    set_settings(pctx, album, "cd", mode="album")
    # an LP has two sides: a film of one cue has no LP
    media = tuple(m for m in MEDIA if m != "vinyl" or len(have) >= 2)
    for medium in media:
        step(f"Album: sequencing the {medium} (OR-Tools CP-SAT)")
        result.sequences[medium] = propose(pctx, album, medium)
    # one ISRC per recording, the same on every medium it is on
    view = album_view(pctx, album)
    keys = list(dict.fromkeys(t.key for m in media if m in view.media
                              for t in view.media[m].tracks))
    codes = dict(zip(keys, isrc_series(ISRC_PREFIX, 1, len(keys)), strict=True))
    for medium in media:
        for track in view.media[medium].tracks:
            set_isrc(pctx, album, medium, track.key, codes[track.key])
    for medium in media:
        step(f"Album: mastering the {medium} (loudness, true-peak limiter, soxr, dither)")
        result.mastering[medium] = master_album(pctx, album, medium)
    step("Album: the release files (CD image and CUE sheet, PQ list, LP side lists, "
         "tagged FLAC and MP3, liner notes)")
    folder = pctx.directory / "album"
    result.released = release(pctx, album, "all", folder, lossy=("mp3",), force=True)
    result.files["album"] = folder

    step("Album: an expanded edition adds what the first left out, its tracks kept")
    if "1M11s" in have:
        set_candidate(pctx, "1M11s", rating=2)
    result.expanded = expand(pctx, album, title=ALBUM_TITLE + " (Expanded Edition)").number
    result.sequences["expanded cd"] = propose(pctx, result.expanded, "cd")

    cue = THEME_CUE if THEME_CUE in mixed else sorted(mixed)[0]
    step(f"Sheet music: a piano solo and a lead sheet of {cue} (the main theme)")
    editions = pctx.directory / "editions"
    for edition in ("piano", "leadsheet"):
        result.editions.append(publish(pctx, cue, edition=edition, out=editions))
    result.files["editions"] = editions / cue
    return result
