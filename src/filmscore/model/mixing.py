"""The mixing stage's tables: comps (edit lists of takes), mixes, and each use of a cue in
the film's music timeline."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from filmscore.mixing.vocabulary import LAYOUTS
from filmscore.model.base import Base, VersionedMixin, one_of
from filmscore.rights.vocabulary import USAGES


class Comp(VersionedMixin, Base):
    """A version of a cue's comp: which take covers which bars (``edits``: a list of
    ``{"take": n, "from": "1", "to": "12.3"}`` in cue order, positions as bar or bar.beat),
    the crossfade at every edit, and the rendered stems (``files``: ``[{stem, media_hash,
    frames, channels}]``, empty until rendered)."""

    __tablename__ = "comps"
    __table_args__ = (
        UniqueConstraint("cue_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("crossfade_ms >= 0", name="crossfade_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    edits: Mapped[list] = mapped_column(JSON, default=list)
    crossfade_ms: Mapped[float] = mapped_column(default=20.0)
    proposed: Mapped[bool] = mapped_column(default=False)  # made by the proposal, unchanged
    tempo_map_version: Mapped[int | None]  # the tempo map the edit points came from
    flagged: Mapped[str] = mapped_column(Text, default="")  # takes on an older tempo map
    files: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")

    @property
    def label(self) -> str:
        return f"comp v{self.number}"


class Mix(VersionedMixin, Base):
    """A version of a cue's mix from one comp: the channel layout, each stem's gain and pan
    (``settings``: ``{stem: {"gain_db": g, "pan": p}}``), the master gain that kept it
    unclipped, what was measured, and the files (``files``: ``[{stem, media_hash, frames,
    channels}]``, the mix itself under stem ``"mix"``)."""

    __tablename__ = "mixes"
    __table_args__ = (
        UniqueConstraint("cue_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    comp_number: Mapped[int | None]
    layout: Mapped[str] = mapped_column(String(16), default="stereo")
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    master_gain_db: Mapped[float] = mapped_column(default=0.0)
    loudness_lufs: Mapped[float | None]
    true_peak_dbtp: Mapped[float | None]
    files: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")

    @validates("layout")
    def _check_layout(self, key: str, value: str) -> str:
        return one_of("channel layout", value, tuple(LAYOUTS), field=key)

    @property
    def label(self) -> str:
        return f"mix v{self.number}"


class Placement(VersionedMixin, Base):
    """One use of a cue in the film's music timeline: which mix (None: the latest), where
    (``start_frame`` None: at the cue's own start, which follows the current picture;
    a frame: a second use of the cue elsewhere, ``use`` 2, 3, ...), head and tail trims
    and fades (samples at the project's rate), and its usage on the cue sheet (BI, MT...).
    A cue with no row is placed once at its start with no trims or fades, usage BI."""

    __tablename__ = "placements"
    __table_args__ = (
        UniqueConstraint("cue_id", "use"),
        CheckConstraint("use >= 1", name="use_positive"),
        CheckConstraint("head_trim >= 0 AND tail_trim >= 0 AND fade_in >= 0 "
                        "AND fade_out >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    use: Mapped[int] = mapped_column(default=1)
    start_frame: Mapped[int | None]
    mix_number: Mapped[int | None]
    head_trim: Mapped[int] = mapped_column(default=0)
    tail_trim: Mapped[int] = mapped_column(default=0)
    fade_in: Mapped[int] = mapped_column(default=0)
    fade_out: Mapped[int] = mapped_column(default=0)
    usage: Mapped[str] = mapped_column(String(8), default="BI")

    @validates("usage")
    def _check_usage(self, key: str, value: str) -> str:
        return one_of("cue-sheet usage", value, tuple(USAGES), field=key)

    @property
    def label(self) -> str:
        return f"use {self.use} of cue {self.cue_id}"
