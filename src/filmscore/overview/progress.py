"""Where every cue stands across the stages, and the minutes of music at each (pure).

Plain values in (``CueFacts``: what the database says of one cue), plain values out
(``Progress``).  The rules:

* **spotted**: every cue not omitted;
* **written**: a cue with at least one music version;
* **approved**: a cue whose status is approved or later (orchestrated, recorded, mixed);
* **orchestrated**: a cue with an orchestration;
* **recorded**: a cue on the take sheet with nothing left to record (source music that is
  licensed, never recorded, is not counted);
* **mixed**: a cue whose status is mixed (the mixing stage comes later).

Minutes are the cues' lengths in picture frames, summed exactly, shown at the rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from filmscore.recording.takelog import DayRow, percent

#: cue statuses at or past the director's approval
APPROVED_STATUSES = ("approved", "orchestrated", "recorded", "mixed")
#: the stages of the totals, in the order a score is made
STAGES = ("spotted", "written", "approved", "orchestrated", "recorded", "mixed")


@dataclass(frozen=True)
class CueFacts:
    """What the database says of one cue."""

    number: str
    title: str
    start_frame: int
    end_frame: int
    status: str
    source: bool = False
    tempo_map: bool = False
    music_versions: int = 0
    orchestrations: int = 0
    sessions: tuple[str, ...] = ()  # the planned sessions that record it
    on_sheet: bool = False  # the music editor's cue sheet has it (score music)
    takes: int = 0
    circled: tuple[int, ...] = ()
    remaining: tuple[str, ...] = ()  # still to record, one line each

    @property
    def duration_frames(self) -> int:
        return self.end_frame - self.start_frame


@dataclass(frozen=True)
class CueProgress:
    """One cue's row of the dashboard: its facts and the stages it has passed."""

    facts: CueFacts
    stages: frozenset[str]

    @property
    def recording(self) -> str:
        """'circled 2, 4', 'to record', 'n/a' (licensed source) or 'not planned'."""
        f = self.facts
        if f.circled and not f.remaining:
            return "circled " + ", ".join(map(str, f.circled))
        if f.on_sheet and (f.sessions or f.takes):
            return "to record"
        return "not planned" if not f.source else "n/a"


@dataclass(frozen=True)
class StageTotal:
    stage: str
    cues: int
    frames: int
    percent: int = 0  # of the music spotted


#: a recording day, as the take log's cue sheet counts it (planned and circled music)
DayPlan = DayRow


@dataclass(frozen=True)
class Progress:
    cues: tuple[CueProgress, ...]
    totals: tuple[StageTotal, ...]
    days: tuple[DayPlan, ...] = field(default=())

    @property
    def planned_frames(self) -> int:
        return sum(d.planned_frames for d in self.days)

    @property
    def recorded_frames(self) -> int:
        return sum(d.recorded_frames for d in self.days)

    @property
    def recorded_percent(self) -> int:
        """The music recorded on the recording days, of the music planned on them."""
        return percent(self.recorded_frames, self.planned_frames)


def stages_of(f: CueFacts) -> frozenset[str]:
    """The stages a cue has passed (see the module's rules)."""
    if f.status == "omitted":
        return frozenset()
    passed = {"spotted"}
    if f.music_versions:
        passed.add("written")
    if f.status in APPROVED_STATUSES:
        passed.add("approved")
    if f.orchestrations:
        passed.add("orchestrated")
    if f.on_sheet and f.circled and not f.remaining:
        passed.add("recorded")
    if f.status == "mixed":
        passed.add("mixed")
    return frozenset(passed)


def progress(facts: list[CueFacts], days: list[DayPlan] | tuple[DayPlan, ...] = ()
             ) -> Progress:
    """Every cue's stages (in picture order) and the totals per stage."""
    rows = tuple(CueProgress(f, stages_of(f))
                 for f in sorted(facts, key=lambda f: (f.start_frame, f.number)))
    frames = {stage: sum(r.facts.duration_frames for r in rows if stage in r.stages)
              for stage in STAGES}
    totals = tuple(StageTotal(stage, sum(1 for r in rows if stage in r.stages), frames[stage],
                              percent(frames[stage], frames["spotted"]))
                   for stage in STAGES)
    return Progress(rows, totals, tuple(days))
