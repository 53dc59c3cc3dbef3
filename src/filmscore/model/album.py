"""The album stage's tables: album edits (truncations and suites), the candidates for the
album, the albums (an edition each), and each album's tracks per medium."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from filmscore.album.vocabulary import (
    CANDIDATE_KINDS,
    EDIT_KINDS,
    MEDIUM_NAMES,
    PINS,
    RATING_MAX,
    RATING_MIN,
)
from filmscore.model.base import Base, VersionedMixin, one_of


class AlbumEdit(VersionedMixin, Base):
    """An album edit: a cue truncated, or a suite of cues joined, cut at bar lines
    (``segments``: ``[{"cue": "1M3", "mix": 2 or None (latest), "from": "1",
    "to": "24.3"}]`` in album order, positions as bar or bar.beat of each cue's tempo map),
    the crossfade at every join, and the rendered audio (``files``: ``[{stem: "mix",
    media_hash, frames, channels, sample_rate}]``, empty until rendered)."""

    __tablename__ = "album_edits"
    __table_args__ = (
        UniqueConstraint("project_id", "name"),
        CheckConstraint("crossfade_ms >= 0", name="crossfade_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default="truncation")
    title: Mapped[str] = mapped_column(String(300), default="")
    segments: Mapped[list] = mapped_column(JSON, default=list)
    crossfade_ms: Mapped[float] = mapped_column(default=40.0)
    files: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")

    @validates("kind")
    def _check_kind(self, key: str, value: str) -> str:
        return one_of("album edit kind", value, EDIT_KINDS, field=key)

    @property
    def label(self) -> str:
        return f"album edit {self.name!r}"


class AlbumCandidate(VersionedMixin, Base):
    """A candidate track: what it is made from (a cue's mix, an album edit, an alternate,
    an unused cue, a draft), its album title apart from the cue's working title, the
    composer's rating, the themes it carries, its place in the film, and its audio with
    what was measured of it (filled when the candidate is made or refreshed)."""

    __tablename__ = "album_candidates"
    __table_args__ = (
        UniqueConstraint("project_id", "key"),
        CheckConstraint(f"rating >= {RATING_MIN} AND rating <= {RATING_MAX}",
                        name="rating_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    #: the candidate's handle in the CLI and the web: "1M3", "1M3-alt", "suite-main"
    key: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default="cue")
    cue_id: Mapped[int | None] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"),
                                               index=True)
    mix_number: Mapped[int | None]  # None: the cue's latest mix
    edit_id: Mapped[int | None] = mapped_column(ForeignKey("album_edits.id",
                                                           ondelete="CASCADE"), index=True)
    take_number: Mapped[int | None]  # an alternate made from another take
    title: Mapped[str] = mapped_column(String(300), default="")  # the album title
    rating: Mapped[int] = mapped_column(default=3)
    themes: Mapped[list] = mapped_column(JSON, default=list)  # theme names it carries
    #: its place in the film (the first frame heard; unused and drafts: the cue's spot)
    film_frame: Mapped[int | None]
    #: the audio: media hash, length in samples at its rate, channels
    media_hash: Mapped[str] = mapped_column(String(64), default="")
    frames: Mapped[int] = mapped_column(default=0)
    sample_rate: Mapped[int] = mapped_column(default=48000)
    channels: Mapped[int] = mapped_column(default=2)
    #: measured: integrated loudness, true peak, share of energy below 150 Hz, tempo
    loudness_lufs: Mapped[float | None]
    true_peak_dbtp: Mapped[float | None]
    bass_share: Mapped[float | None]
    tempo_bpm: Mapped[float | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    @validates("kind")
    def _check_kind(self, key: str, value: str) -> str:
        return one_of("candidate kind", value, tuple(CANDIDATE_KINDS), field=key)

    @property
    def label(self) -> str:
        return f"candidate {self.key!r}"


class Album(VersionedMixin, Base):
    """An album (an edition): its title, artist, label and catalog number (UPC/EAN), the
    edition it expands (``previous_id``), per-medium settings overriding the medium's
    rules (``settings``: ``{"cd": {"max_seconds": "4797", "order": "film",
    "pins": {"1M1": "first"}, "target_lufs": -12, "mode": "album"}}``), and the credits
    (``credits``: ``{role: [names]}``, roles from ``album.vocabulary.CREDIT_ROLES``)."""

    __tablename__ = "albums"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300), default="")
    artist: Mapped[str] = mapped_column(String(300), default="")
    label_name: Mapped[str] = mapped_column(String(200), default="")
    catalog: Mapped[str] = mapped_column(String(16), default="")  # UPC-A or EAN-13
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("albums.id",
                                                               ondelete="SET NULL"))
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    credits: Mapped[dict] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        return f"album {self.number}"


class AlbumTrack(VersionedMixin, Base):
    """A track of an album on one medium: its position (from 1 on the medium; on vinyl
    numbered through the sides), the side ("A", "B"...; "" without sides), the candidate,
    whether it is pinned first or last, its ISRC, the gap before it (exact seconds as
    text: "2", "4/3"), and the mastered audio (``mastered``: ``{media_hash, frames,
    sample_rate, bits, gain_db, loudness_lufs, true_peak_dbtp}``, empty until mastered)."""

    __tablename__ = "album_tracks"
    __table_args__ = (
        UniqueConstraint("album_id", "medium", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    album_id: Mapped[int] = mapped_column(ForeignKey("albums.id", ondelete="CASCADE"),
                                          index=True)
    medium: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    side: Mapped[str] = mapped_column(String(2), default="")
    candidate_id: Mapped[int] = mapped_column(ForeignKey("album_candidates.id",
                                                         ondelete="CASCADE"), index=True)
    pinned: Mapped[str] = mapped_column(String(8), default="")
    isrc: Mapped[str] = mapped_column(String(12), default="")
    gap_seconds: Mapped[str] = mapped_column(String(16), default="0")
    mastered: Mapped[dict] = mapped_column(JSON, default=dict)

    @validates("medium")
    def _check_medium(self, key: str, value: str) -> str:
        return one_of("album medium", value, MEDIUM_NAMES, field=key)

    @validates("pinned")
    def _check_pinned(self, key: str, value: str) -> str:
        return value if value == "" else one_of("pin", value, PINS, field=key)

    @property
    def label(self) -> str:
        return f"{self.medium} track {self.position}"
