"""Loading the Dutch spaCy pipeline with the POP components, once per process.

The trained pipeline ``models/nl_pop_ud`` (see its MODEL_CARD) is used when it is there; in fast mode
the parser is excluded and the statistical senter enabled. Without the model a blank Dutch pipeline
with a rule-based sentencizer and lookup-free lemmas keeps everything working (less precisely), so a
fresh checkout never fails for want of a model.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

import pop_review.nlp.components  # noqa: F401  (registers the factories)
from pop_review.config import Settings

log = logging.getLogger("pop_review.nlp")


@lru_cache(maxsize=4)
def _load(model_dir: str, fast: bool) -> Language:
    path = Path(model_dir)
    if (path / "config.cfg").exists():
        try:
            import pop_review.nlp.tokenizer  # noqa: F401  (registers the tokenizer the model uses)
        except ImportError:
            pass
        exclude = ["parser"] if fast else []
        nlp = spacy.load(path, exclude=exclude)
        _add_abbreviations(nlp)
        if fast and "senter" in nlp.component_names and "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer", first=True)
        log.info("loaded nlp model %s (fast=%s)", path.name, fast)
    else:
        nlp = spacy.blank("nl")
        nlp.add_pipe("sentencizer")
        log.warning("nlp model %s not found: using a blank Dutch pipeline", path.name)
    for component in ("pop_abbreviation_boundaries", "pop_sections", "pop_cues", "pop_voice", "pop_actions",
                      "pop_scores"):
        nlp.add_pipe(component)
    return nlp


def _add_abbreviations(nlp: Language) -> None:
    """Abbreviations added to the tokenizer after the model was trained: the saved tokenizer rules
    replace the ones the registered tokenizer builds, so newer entries are added here."""
    from spacy.symbols import ORTH

    from pop_review.nlp.tokenizer import ABBREVIATIONS

    for abbreviation in ABBREVIATIONS:
        for variant in {abbreviation, abbreviation[:1].upper() + abbreviation[1:]}:
            if variant not in nlp.tokenizer.rules:
                nlp.tokenizer.add_special_case(variant, [{ORTH: variant}])


def load_nlp(settings: Settings) -> Language:
    """The process-wide pipeline for these settings."""
    return _load(str(settings.models_dir / settings.nlp_model), settings.nlp_fast)


def model_version(nlp: Language) -> str:
    """Name and version of the loaded pipeline for the report's ``versions``."""
    meta = nlp.meta
    return f"{meta.get('name', 'blank')}-{meta.get('version', '0')}"
