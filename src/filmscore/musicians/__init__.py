"""The musicians stage: the roster, bookings, call lists, players' time per cue, and the
costs from a rate card held as data."""
