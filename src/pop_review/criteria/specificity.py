"""Is a sentence about this client? The specificity gate of the loopbaanvraag.

GUIDE.md: a career question is met only when it is stated "in terms specific to this client"; "meer
inzicht krijgen in mezelf" with nothing else is not. The loopbaanvraag sentence head reads the *form*
of a question ("ik wil weten…", "mijn vraag…") and scores a generic wish as high as a concrete one, so
generic questions passed for met on POPs of unseen writers (nine of eleven such partial POPs). The gate
is a transparent rule on the sentence itself: a possible loopbaanvraag names at least
``MIN_SPECIFIC`` content words outside the generic-question vocabulary
(``resources/generic_question_words.txt``) and outside spaCy's Dutch stop words, and is not a row of
a self-score table ("Ik ken functies die bij mij passen | 2 | 7" is an evolution item, not a question).
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.nl.stop_words import STOP_WORDS

from pop_review.nlp.annotate import Sentence

MIN_SPECIFIC = 2
_WORD = re.compile(r"[^\W\d_]+|\d+")
_SCORE_CELL = re.compile(r"\|\s*\d{1,2}(?:[.,]\d)?\s*(?:/\s*\d{1,2}\s*)?(?=\||$)")


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    from importlib.resources import files

    text = files("pop_review.resources").joinpath("generic_question_words.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def specific_words(text: str) -> int:
    """Content words of ``text`` that a generic career question does not use (numbers count)."""
    generic = _generic()
    n = 0
    for w in _WORD.findall(text.lower()):
        if w.isdigit() or (len(w) >= 3 and w not in STOP_WORDS and w not in generic):
            n += 1
    return n


def could_state_question(s: Sentence) -> bool:
    """Whether ``s`` can be a client-specific loopbaanvraag (not generic, not a score-table row)."""
    if s.kind == "table_row" and _SCORE_CELL.search(s.text):
        return False
    return specific_words(s.text) >= MIN_SPECIFIC
