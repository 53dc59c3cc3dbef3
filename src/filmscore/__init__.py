"""filmscore."""
