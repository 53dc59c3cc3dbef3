"""The whole project at a glance: every cue's progress, the film's timeline, the reports."""
