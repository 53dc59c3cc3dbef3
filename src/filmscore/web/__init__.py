"""The team's web workspace (FastAPI, server-rendered pages, light JavaScript), on the same
library functions the CLI uses.  ``create_app(project_dir)`` builds the app; ``filmscore
serve`` runs it with uvicorn."""
