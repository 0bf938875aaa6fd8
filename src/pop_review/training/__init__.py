"""Training recipes for the project's own models (:mod:`.ud`: the Dutch spaCy pipeline)."""
