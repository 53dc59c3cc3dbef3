"""The mixing stage: comp the best takes at bar lines, mix the stems (stereo and 5.1), fit
every cue to the film's timeline, deliver to the dub, and the performing-rights cue sheet."""
