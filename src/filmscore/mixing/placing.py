"""Each cue's place in the film's music timeline (the ``placements`` table), and the
timeline itself built from the project: :func:`music_timeline`.

Where the audio of a cue sits: sample 0 of a cue's comp, and so of its mixes, is the
cue's start on the current picture (``cue.start_frame`` made exact seconds, times the
sample rate, rounded half up once: :func:`cue_start_sample`).  A placement with no
``start_frame`` follows the cue; one with a frame is a further use of the cue elsewhere.
The music is heard from ``start + head_trim`` to the end of the mix less ``tail_trim``;
with no mix yet, over the cue's spotted span.
"""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import func, select

from filmscore.mixing.timeline import MusicTimeline, Placed
from filmscore.model import Cue, Mix, PictureVersion, Placement, Project
from filmscore.store import transaction
from filmscore.timecode import frame_to_seconds


def sample_of_frame(frame: int, rate, sample_rate: int) -> int:
    """The first sample of ``frame`` (exact seconds times the rate, rounded half up)."""
    return (frame_to_seconds(frame, rate) * sample_rate + Fraction(1, 2)).__floor__()


def frame_of_sample(sample: int, rate, sample_rate: int) -> int:
    """The frame a sample falls in."""
    from filmscore.timecode import get_rate

    return (Fraction(sample, sample_rate) * get_rate(rate).fps).__floor__()


def cue_start_sample(pctx, start_frame: int) -> int:
    """Sample 0 of a cue's comp and mixes, counted from 00:00:00:00."""
    return sample_of_frame(start_frame, pctx.rate, pctx.sample_rate)


def music_timeline(pctx) -> MusicTimeline:
    """Every use of every cue in film order, with the mix each is heard in."""
    rate, sr = pctx.rate, pctx.sample_rate
    placed: list[Placed] = []
    with transaction(pctx.engine) as db:
        project = db.get(Project, pctx.project_id)
        picture = db.scalar(select(func.max(PictureVersion.number)).where(
            PictureVersion.project_id == pctx.project_id))
        cues = db.scalars(select(Cue).where(Cue.project_id == pctx.project_id)).all()
        for cue in cues:
            rows = db.scalars(select(Placement).where(Placement.cue_id == cue.id)
                              .order_by(Placement.use)).all()
            mixes = {m.number: m for m in db.scalars(select(Mix).where(Mix.cue_id == cue.id))}
            uses = rows or [None]
            for row in uses:
                number = (row.mix_number if row is not None and row.mix_number is not None
                          else max(mixes, default=None))
                mix = mixes.get(number) if number is not None else None
                start_frame = (row.start_frame if row is not None and row.start_frame
                               is not None else cue.start_frame)
                start = sample_of_frame(start_frame, rate, sr)
                length = (max((f.get("frames", 0) for f in mix.files), default=0)
                          if mix is not None else 0)
                if not length:  # not mixed: the spotted span
                    length = sample_of_frame(start_frame + cue.end_frame - cue.start_frame,
                                             rate, sr) - start
                head = row.head_trim if row is not None else 0
                tail = row.tail_trim if row is not None else 0
                a, b = start + head, start + max(head, length - tail)
                placed.append(Placed(
                    cue=cue.number, title=cue.title, use=row.use if row is not None else 1,
                    record_in=frame_of_sample(a, rate, sr),
                    record_out=max(frame_of_sample(a, rate, sr) + 1,
                                   -frame_of_sample(-b, rate, sr)),  # ceiling
                    start_sample=a, end_sample=b,
                    usage=row.usage if row is not None else ("BI" if not cue.source
                                                             else "SRC"),
                    mix=number if mix is not None else None, head_trim=head, tail_trim=tail,
                    fade_in=row.fade_in if row is not None else 0,
                    fade_out=row.fade_out if row is not None else 0, source=bool(cue.source)))
        title = project.title
    placed.sort(key=lambda p: (p.start_sample, p.cue, p.use))
    return MusicTimeline(title, rate, sr, picture, tuple(placed))
