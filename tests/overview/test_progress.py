"""Where a cue stands (pure): the stages passed by the rules, totals in exact frames."""

from __future__ import annotations

from datetime import date

from filmscore.overview.progress import CueFacts, DayPlan, progress, stages_of


def test_the_stages_follow_the_cue_through_the_work():
    spotted = CueFacts("1M1", "a", 0, 240, "spotted")
    assert stages_of(spotted) == {"spotted"}
    written = CueFacts("1M1", "a", 0, 240, "mockup sent", music_versions=2)
    assert stages_of(written) == {"spotted", "written"}
    done = CueFacts("1M1", "a", 0, 240, "orchestrated", music_versions=1, orchestrations=1,
                    on_sheet=True, takes=4, circled=(3,))
    assert stages_of(done) == {"spotted", "written", "approved", "orchestrated", "recorded"}
    partly = CueFacts("1M1", "a", 0, 240, "orchestrated", orchestrations=1, on_sheet=True,
                      takes=2, circled=(1,), remaining=("bars 9-16",))
    assert "recorded" not in stages_of(partly)
    assert stages_of(CueFacts("1M1", "a", 0, 240, "omitted", music_versions=1)) == set()


def test_totals_are_exact_frames_and_whole_percent_of_the_music_spotted():
    facts = [CueFacts("1M2", "b", 500, 600, "approved", music_versions=1),
             CueFacts("1M1", "a", 0, 200, "spotted")]
    result = progress(facts, [DayPlan(date(2027, 3, 1), ("a",), 300, 100)])
    assert [r.facts.number for r in result.cues] == ["1M1", "1M2"]  # picture order
    totals = {t.stage: (t.cues, t.frames, t.percent) for t in result.totals}
    assert totals["spotted"] == (2, 300, 100)
    assert totals["written"] == (1, 100, 33)
    assert totals["mixed"] == (0, 0, 0)
    assert result.recorded_percent == 33
    assert result.cues[0].recording == "not planned"
