"""Writing: cue music versions, themes and motifs, theme search, mockups, director review."""
