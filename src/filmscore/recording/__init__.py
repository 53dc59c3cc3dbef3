"""The recording stage: the session plan, pickups, the take log and the music editor's cue
sheet, and the stage pack for each session."""
