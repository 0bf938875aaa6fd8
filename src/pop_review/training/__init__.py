"""Training recipes for the project's own models (the Dutch spaCy pipeline: :mod:`.ud`)."""
