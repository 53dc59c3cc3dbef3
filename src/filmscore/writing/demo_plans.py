"""The demo film's sketch plans (data): which theme statements make each Popeye cue.

Each plan names the statements of the cue's melody (and countermelody) and its
accompaniment pattern; the meter, the dynamics and the articulations come from the cue's
spotting notes (``filmscore.writing.cuetime.meter_for``,
``filmscore.writing.expression``).  ``idea`` says what the composer had in mind.
"""

from __future__ import annotations

from filmscore.writing.plans import CuePlan, use

DEMO_PLANS: dict[str, CuePlan] = {
    "1M1": CuePlan(
        melody=(use("sindbad", "fragment:4", "sequence:+1x3"),
                use("sindbad", at="01:00:07:22")),
        accompaniment="pedal",
        idea="Sindbad's head motif (D A F D) crawls up by semitones over a tonic pedal "
             "while the lions snarl; the full theme bursts in on the first swat."),
    "1M2": CuePlan(
        melody=(use("sindbad"), use("sindbad", "transpose:2")),
        accompaniment="oompah",
        idea="The song: Sindbad's theme prime, brassy, oom-pah bass, a new statement on "
             "every cut and refrain, alternate statements a tone higher for lift."),
    "1M3": CuePlan(
        melody=(use("boola"),
                use("sindbad", at="01:01:24:06"),
                use("roc", at="01:01:27:13"), use("roc", "transpose:1"),
                use("roc", "diminish:2", "sequence:+3x2", at="01:01:41:10"),
                use("sindbad", at="01:01:48:12"),
                use("sindbad", "invert", "fragment:4", at="01:01:57:02"),
                use("sindbad", "fragment:3", at="01:01:58:16")),
        accompaniment="oompah",
        idea="Boola's motif for the bickering heads, Sindbad's theme for the verse, the "
             "roc motif rising by a semitone on the cliff and squawking in diminution "
             "at its beak, Sindbad's head inverted for the serpent, his head motif for "
             "the final 'Sinbad the sailor!'."),
    "1M4": CuePlan(
        melody=(use("roc", "augment:2", "sequence:+2x3"),
                use("roc", "diminish:2", at="01:02:29:04")),
        counter=(use("popeye", "fragment:10", "minor", at="01:02:03:02"),
                 use("popeye", "fragment:10", "minor", "transpose:2")),
        accompaniment="tremolo",
        idea="The roc motif augmented and sequenced up by tones over string tremolo "
             "(soaring, building); Popeye's hornpipe head in the minor under it when his "
             "ship appears; the motif in diminution on the smash."),
    "1M5": CuePlan(
        melody=(use("roc", "diminish:2", "sequence:+1x2"),
                use("popeye", "fragment:6", "minor", "transpose:1", at="01:02:36:07")),
        accompaniment="ostinato",
        idea="Panic: the roc motif in diminution rising by semitones, a low ostinato in "
             "eighths on the wingbeats; Wimpy's 'Help! Popeye!' quotes the hornpipe head "
             "in the minor."),
    "1M6": CuePlan(
        melody=(use("popeye", "augment:2"),
                use("popeye", "fragment:12", at="01:02:55:16")),
        accompaniment="oompah",
        idea="Deflated: the hornpipe augmented (half speed) in the bassoon over pizzicato "
             "oom-pah; back to tempo and perky when the telescope comes up."),
    "1M7": CuePlan(
        melody=(use("popeye", "fragment:7"), use("roc", "diminish:2"),
                use("popeye", "fragment:7", "transpose:2"),
                use("roc", "diminish:2", "transpose:2"),
                use("popeye", "fragment:11", "transpose:5", at="01:03:12:17"),
                use("roc", "diminish:2", "transpose:5"),
                use("roc", "diminish:2", "sequence:+1x3", at="01:03:19:06")),
        accompaniment="gallop",
        idea="Popeye vs the roc: hornpipe fragments trade blows with the roc motif in "
             "diminution, each exchange a tone higher, a fourth up at the throne yard, "
             "the roc motif churning up by semitones in the fight cloud and whirlwind."),
    "1M8": CuePlan(
        melody=(use("popeye", "augment:2"),
                use("popeye", "fragment:12", at="01:03:32:02")),
        counter=(use("roc", "invert", "augment:2"),),
        accompaniment="march",
        idea="Mock-grand: the hornpipe augmented as a serving march in the brass, the roc "
             "motif inverted (the villain turned around, now dinner) as countermelody; "
             "the hornpipe at tempo for Popeye's smug aside."),
    "1M9": CuePlan(
        melody=(use("sindbad", "fragment:4", "diminish:2", "sequence:+1x2"),
                use("sindbad", "octave:-1", at="01:03:40:05")),
        accompaniment="pedal",
        idea="Brutal: Sindbad's head motif hammered in diminution over a pedal for the "
             "slam, then his theme in the low brass on the closer shot."),
    "1M10": CuePlan(
        melody=(use("boola", "augment:2"),
                use("boola", "fragment:1", "augment:4", at="01:03:52:00")),
        accompaniment="pedal",
        idea="Boola's motif augmented, lumbering in tuba and contrabassoon; it drops to a "
             "held tonic (the pedal) when the lullaby starts."),
    "1M11s": CuePlan(
        melody=(use("boola", "octave:1"),),
        accompaniment="waltz",
        idea="Source lullaby: Boola's motif sung softly over a music-box waltz pattern "
             "(bass on the downbeat, chords after); the squeezes get triangle pings."),
}
