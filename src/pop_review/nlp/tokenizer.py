"""Dutch tokenizer for Flemish POP text, registered as ``pop_review.nl_tokenizer.v1``.

spaCy's Dutch defaults already keep dates (``12/03/2024``) and times (``14u30``) whole, but they
split Flemish abbreviations such as ``bvb.`` and ``tel.`` and glue bullets to the first word of a
list item (``•Item``). This module adds those cases. The pipeline config refers to the factory by
name, and the tokenizer rules are saved with the model, so loading a trained pipeline only needs::

    import pop_review.nlp.tokenizer  # registers the factory
    nlp = spacy.load("models/nl_pop_ud")
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_prefix_regex, registry

__all__ = ["ABBREVIATIONS", "BULLET_PREFIXES", "create_nl_tokenizer"]

#: Abbreviations common in Flemish guidance texts that must stay one token with their period.
ABBREVIATIONS: tuple[str, ...] = (
    "a.d.h.v.",
    "adhv.",
    "bijv.",
    "afd.",
    "art.",
    "blz.",
    "bv.",
    "bvb.",
    "ca.",
    "chequenr.",
    "d.w.z.",
    "dhr.",
    "dossiernr.",
    "dr.",
    "enz.",
    "etc.",
    "evt.",
    "excl.",
    "i.f.v.",
    "ifv.",
    "incl.",
    "i.p.v.",
    "ipv.",
    "i.s.m.",
    "ism.",
    "klantnr.",
    "m.a.w.",
    "m.b.t.",
    "mbt.",
    "mevr.",
    "mr.",
    "mvr.",
    "nr.",
    "o.a.",
    "ong.",
    "personeelsnr.",
    "prof.",
    "ref.",
    "resp.",
    "t.a.v.",
    "t.e.m.",
    "tel.",
    "t.o.v.",
    "tov.",
    "tss.",
    "vb.",
    "vnl.",
    "zgn.",
)

#: Prefix patterns that split list bullets off the word they precede.  A hyphen or asterisk only
#: counts as a bullet before a letter, so ``-5`` and ``*`` inside formulas are left alone.
BULLET_PREFIXES: tuple[str, ...] = (
    r"[•▪◦‣●○■□►▶➢➤→✓✔·]",
    r"[-*–—](?=[^\W\d_])",
)


def _special_case_variants(abbreviation: str) -> set[str]:
    return {abbreviation, abbreviation[:1].upper() + abbreviation[1:]}


@registry.tokenizers("pop_review.nl_tokenizer.v1")
def create_nl_tokenizer() -> Callable[[Language], Tokenizer]:
    """Return a factory building spaCy's Dutch tokenizer with the POP additions.

    Returns
    -------
    Callable[[Language], Tokenizer]
        Builds the tokenizer for a ``Language`` object (spaCy's tokenizer-factory protocol).
    """
    default_factory = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make_tokenizer(nlp: Language) -> Tokenizer:
        tokenizer: Tokenizer = default_factory(nlp)
        prefixes = list(BULLET_PREFIXES) + list(nlp.Defaults.prefixes or ())
        tokenizer.prefix_search = compile_prefix_regex(prefixes).search
        for abbreviation in ABBREVIATIONS:
            for variant in _special_case_variants(abbreviation):
                tokenizer.add_special_case(variant, [{"ORTH": variant}])
        return tokenizer

    return make_tokenizer
