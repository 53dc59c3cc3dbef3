"""Performing rights: the writers and publishers of the score, their shares of each cue,
and the performing-rights (PRO) cue sheet made from the film's final music timeline."""
