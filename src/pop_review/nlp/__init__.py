"""Dutch NLP for POPs: the project's spaCy pipeline plus POP-reading components.

``pipeline.load_nlp`` gives the spaCy pipeline (the trained ``models/nl_pop_ud`` when present, else a
blank Dutch pipeline with a rule sentencizer) with the domain components added; ``annotate.annotate``
turns a :class:`~pop_review.document.Document` into an :class:`~pop_review.nlp.annotate.AnnotatedDocument`
(sentences with their section, cues, context, voice and time expressions, plus score tables).
"""
