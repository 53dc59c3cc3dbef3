"""A cue's tempo map as stored: the segments as JSON, beside the cue it belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from filmscore.model.base import Base, VersionedMixin, one_of

if TYPE_CHECKING:
    from filmscore.model.cue import Cue

#: how a tempo map came to be
TEMPO_MAP_ORIGINS = ("set", "find", "solve", "midi", "conform")


class CueTempoMap(VersionedMixin, Base):
    """The tempo map of one cue (``filmscore.sync.tempomap.TempoMap.to_dict`` as JSON).

    Tempos are stored as exact fractions in text ("5760/49"), never as floats.
    """

    __tablename__ = "cue_tempo_maps"

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"),
                                        unique=True, index=True)
    data: Mapped[dict] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(16), default="set")
    note: Mapped[str] = mapped_column(Text, default="")

    cue: Mapped[Cue] = relationship(back_populates="tempo_map")

    @validates("origin")
    def _check_origin(self, key: str, value: str) -> str:
        return one_of("tempo map origin", value, TEMPO_MAP_ORIGINS, field=key)

    @property
    def label(self) -> str:
        loaded = self.__dict__.get("cue")
        return f"tempo map of cue {loaded.number}" if loaded is not None else "tempo map"
