"""Sync: tempo maps that land the sync points, click tracks, streamers and punches."""
