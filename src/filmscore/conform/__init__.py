"""Conform: when the picture is re-cut, the music follows.  Two cuts compared into a
change list (pure), the change list applied to the project's cues and sync points, the
cues whose hits moved flagged, and the fixes a music editor would make proposed."""
