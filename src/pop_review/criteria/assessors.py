"""One assessor per criterion and per flag, behind one interface: ``assess(ad, features) -> Finding``.

Each assessor combines a score over the document features (learned logistic weights from
``models/criteria/weights.json`` when trained on the corpus, transparent rule weights from the ruleset
otherwise) with evidence: the sentences whose cues, section and voice support the answer. The
explanation names the cues and sections that drove it, the strongest features, and — for a criterion
not met — what was looked for.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pop_review.criteria import calibration
from pop_review.criteria.features import is_action
from pop_review.nlp.annotate import AnnotatedDocument, Sentence

CRITERIA = ("career_question", "competences", "tailored", "development_plan", "action_plan")
FLAGS = ("test_only", "advice_only", "application_only", "excluded_context", "employer_initiated",
         "out_of_scope")

DUTCH = {
    "career_question": "loopbaanvraag", "competences": "loopbaancompetenties", "tailored": "op maat",
    "development_plan": "POP samen opgesteld met evolutie", "action_plan": "acties op de arbeidsmarkt",
    "test_only": "enkel een test", "advice_only": "enkel een advies", "application_only":
    "enkel sollicitatiebegeleiding", "excluded_context": "deel van outplacement, opleiding of coaching",
    "employer_initiated": "initiatief van de werkgever", "out_of_scope": "geen loopbaancheque-POP",
    "template_copy": "sjabloonkopie",
}


@dataclass(frozen=True, slots=True)
class EvidenceSpec:
    """What supports a key: cue categories, sections, and a description of what is looked for."""

    categories: frozenset[str]
    sections: frozenset[str]
    looked_for: str
    need_action: bool = False
    prefer_voice: str | None = None


SPECS: dict[str, EvidenceSpec] = {
    "career_question": EvidenceSpec(frozenset({"career_question"}), frozenset({"loopbaanvraag"}),
                                    "een vraag of doel van de klant zelf (loopbaanvraag, hulpvraag, 'ik wil uitzoeken…')"),
    "competences": EvidenceSpec(frozenset({"comp_quality", "comp_motives", "comp_exploration", "comp_steering",
                                           "comp_network", "competences"}), frozenset({"inzichten", "verkenning"}),
                                "inzichten in meer dan één loopbaancompetentie (kwaliteiten, drijfveren, "
                                "werkexploratie, loopbaansturing, netwerken)", prefer_voice="first"),
    "tailored": EvidenceSpec(frozenset({"tailored"}), frozenset(),
                             "aanpassing aan de vraag en situatie van deze klant ('omdat je aangaf', bijgestuurd, "
                             "eigen woorden, persoonlijke feiten)", prefer_voice="first"),
    "development_plan": EvidenceSpec(frozenset({"evolution", "coauthorship"}), frozenset({"evolutie", "afsluiting"}),
                                     "een POP samen met de klant opgesteld met de evolutie (zelfscores voor/na, "
                                     "'bij de start… nu…')"),
    "action_plan": EvidenceSpec(frozenset({"action", "labour_market"}), frozenset({"actieplan"}),
                                "concrete, getimede stappen van de klant zelf (informatiegesprek, inschrijven, "
                                "gesprek met leidinggevende…)", need_action=True),
    "test_only": EvidenceSpec(frozenset({"test_instrument", "test_result", "pseudo_science"}),
                              frozenset({"testresultaten"}), "een dienst die enkel uit een test en de bespreking "
                              "ervan bestaat"),
    "advice_only": EvidenceSpec(frozenset({"advice"}), frozenset({"advies"}),
                                "een expertadvies of oordeel zonder begeleidingsproces"),
    "application_only": EvidenceSpec(frozenset({"application"}), frozenset({"sollicitatie"}),
                                     "enkel cv, brieven, sollicitatietraining"),
    "excluded_context": EvidenceSpec(frozenset({"outplacement", "part_of_other", "training_context", "upsell",
                                                "group"}), frozenset(),
                                     "outplacement, ontslag, of deel van een opleiding, coaching of programma"),
    "employer_initiated": EvidenceSpec(frozenset({"employer"}), frozenset(),
                                       "de werkgever als initiatiefnemer, opdrachtgever of ontvanger van het verslag"),
    "out_of_scope": EvidenceSpec(frozenset({"out_of_scope"}), frozenset(),
                                 "kenmerken van een HR-POP, maatwerk-POP of actieplan voor werkzoekenden"),
}


@dataclass(slots=True)
class Finding:
    """The answer of one assessor."""

    key: str
    positive: bool
    score: float
    evidence: list[Sentence] = field(default_factory=list)
    explanation: str = ""


CUE_NL = {
    "career_question": "loopbaanvraag", "comp_quality": "kwaliteiten", "comp_motives": "drijfveren",
    "comp_exploration": "werkexploratie", "comp_steering": "loopbaansturing", "comp_network": "netwerken",
    "competences": "competenties", "evolution": "evolutie", "tailored": "maatwerk", "coauthorship": "samen opgesteld",
    "sole_author": "door de begeleider alleen opgesteld of toegestuurd",
    "action": "acties", "labour_market": "arbeidsmarkt", "test_instrument": "testen", "test_result": "testuitslagen",
    "pseudo_science": "pseudowetenschap", "advice": "advies", "application": "sollicitatie", "outplacement": "outplacement",
    "employment_change": "ontslag/herstructurering", "employer": "werkgever als initiatiefnemer",
    "employer_context": "werkgever vermeld", "training_context": "opleiding/coaching", "part_of_other": "deel van ander traject",
    "upsell": "commercieel aanbod", "out_of_scope": "ander soort POP", "placeholder": "sjabloontekst", "group": "groepswerk",
}
FEATURE_NL = {
    "comp_coverage": "aantal loopbaancompetenties", "voice_first": "ik-vorm", "voice_second": "je/u-vorm",
    "voice_third": "verslag over de klant", "verdict_share": "oordelende zinnen", "has_verdict": "oordelende zinnen",
    "test_share": "aandeel testuitslagen", "n_instruments_log": "aantal testen", "n_actions_log": "acties",
    "n_dated_actions_log": "acties met een tijdstip", "first_person_actions": "acties in de ik-vorm",
    "n_client_dated_actions_log": "getimede acties van de klant", "share_counsellor_actions": "acties van de begeleider",
    "score_growth": "stijgende zelfscores", "score_flat": "onveranderde zelfscores", "n_score_pairs_log": "zelfscores",
    "score_current_only": "enkel zelfscores van nu, zonder beginsituatie",
    "question_in_section": "vraag in de sectie loopbaanvraag", "first_person_question": "vraag in de stem van de klant",
    "words_log": "lengte van het document", "n_sent_log": "aantal zinnen",
    "comp_breadth": "bewerkte loopbaancompetenties", "sem_comp_types": "loopbaancompetenties in de inzichtzinnen",
    "sem_comp_even_types": "loopbaancompetenties met een evenredig deel van het inzicht",
    "sem_comp_top_share": "aandeel van het inzicht over één loopbaancompetentie",
    "n_comp_untouched": "competenties niet aan bod gekomen",
    "n_comp_grown": "competenties met gestegen score", "n_score_rows_untouched": "onveranderde scorerijen",
}


def describe(feature: str) -> str:
    """A Dutch name for a document feature, for explanations read by people."""
    if feature in FEATURE_NL:
        return FEATURE_NL[feature]
    for prefix, template in (("sem_max_", "zin die lijkt op '{}'"), ("sem_top3_", "zinnen die lijken op '{}'"),
                             ("sem_share_", "zinnen die lijken op '{}'")):
        if feature.startswith(prefix):
            key = feature[len(prefix):]
            return template.format(DUTCH.get(key, key))
    for prefix, template in (("has_", "signaalwoorden '{}'"), ("share_", "aandeel '{}'"), ("neg_", "ontkende '{}'"),
                             ("sec_", "sectie '{}'")):
        if feature.startswith(prefix):
            key = feature[len(prefix):]
            return template.format(CUE_NL.get(key, key))
    if feature.startswith("n_") and feature.endswith("_log"):
        key = feature[2:-4]
        return f"aantal '{CUE_NL.get(key, key)}'"
    return feature


@lru_cache(maxsize=4)
def _model_file(path: str) -> dict:
    p = Path(path)
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def _variant(path: str, semantic: bool, name: str) -> dict:
    """One section of ``weights.json`` for the models in use: ``name`` with the embedding model,
    ``name_lexical`` without it (trained alongside, on the document features only)."""
    data = _model_file(path)
    if not data:
        return {}
    if semantic and data.get("semantic"):
        return data.get(name, {})
    return data.get(f"{name}_lexical", data.get(name, {}) if name == "weights" else {})


def load_weights(path: str, semantic: bool = True) -> dict[str, dict[str, float]]:
    """Learned logistic weights per key (empty when not trained).

    ``semantic`` selects the models that use the sentence-head features; without the embedding model
    the lexical-only models (trained alongside) are used.
    """
    return _variant(path, semantic, "weights")


def load_calibration(path: str, semantic: bool = True) -> dict[str, list[float]]:
    """Per key, the Platt map (a, b) of the models ``load_weights`` returns (empty: raw scores shown)."""
    return _variant(path, semantic, "calibration")


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def score(key: str, features: dict[str, float], rules: dict[str, dict[str, float]],
          learned: dict[str, dict[str, float]]) -> tuple[float, list[tuple[str, float]]]:
    """Probability-like score of a key and the feature contributions behind it."""
    weights = learned.get(key) or rules.get(key, {})
    contrib = [(name, w * features.get(name, 0.0)) for name, w in weights.items()]
    return _sigmoid(sum(c for _, c in contrib)), sorted(contrib, key=lambda c: -abs(c[1]))


def relevance(s: Sentence, spec: EvidenceSpec, sem: float | None = None) -> float:
    """How well one sentence supports a key (0 = not at all); ``sem`` is its sentence-head score."""
    cats = s.categories() & spec.categories
    r = sum(c.weight for c in s.cues if c.category in cats and not c.negated)
    if sem is not None:
        # the sentence head recognises paraphrases the lexicons miss; cues alone still count
        r = 0.5 * r + 2.0 * sem if sem > 0.5 else 0.5 * r
    if spec.need_action and not is_action(s):
        r *= 0.3
    if s.section in spec.sections:
        r = r + 0.5 if r else (0.4 if s.kind != "heading" else 0.0)
    if spec.prefer_voice and s.voice == spec.prefer_voice:
        r *= 1.3
    if s.kind == "heading":
        r *= 0.2
    if len(s.text) < 12:
        r *= 0.3
    return r


def pick_evidence(ad: AnnotatedDocument, spec: EvidenceSpec, k: int = 3, floor: float = 0.35,
                  sem: dict[int, float] | None = None) -> list[Sentence]:
    """The k sentences that best support a key (relevance above ``floor``), in document order."""
    ranked = sorted(((relevance(s, spec, sem.get(s.index) if sem else None), s) for s in ad.sentences),
                    key=lambda t: -t[0])
    best = [s for r, s in ranked[:k] if r > floor]
    return sorted(best, key=lambda s: s.index)


def single_cue(ad: AnnotatedDocument, category: str, sem: dict[int, float] | None,
               min_head: float) -> Sentence | None:
    """The first sentence with a strong cue of ``category`` (not negated, not hypothetical) that the
    sentence head also reads as the flag (``min_head``); any such cue when there are no head scores."""
    for s in ad.sentences:
        if any(c.category == category and not c.negated and not c.hypothetical for c in s.cues):
            # dossier rows are not embedded (no head score); there the cue states who started the
            # trajectory or what it belongs to, never a plan of the client's
            if sem is None or s.section == "identificatie" or sem.get(s.index, 0.0) >= min_head:
                return s
    return None


def assess(key: str, ad: AnnotatedDocument, features: dict[str, float], rules: dict[str, dict[str, float]],
           learned: dict[str, dict[str, float]], threshold: float,
           sem: dict[int, float] | None = None, single_cues: dict[str, object] | None = None,
           calib: list[float] | None = None) -> Finding:
    """Score, decide and explain one criterion or flag (``sem``: sentence index → head score).

    The decision compares the model's raw score with ``threshold``; the score reported is the
    calibrated one (``calib``: the key's Platt map, see ``calibration``), which ranks the same way.

    ``single_cues`` (from the ruleset) names flags that one strong sentence raises on its own: the
    learned models weigh dominance, but an employer as commissioner or a trajectory that is the closing
    piece of a coaching is decisive even when the rest of the POP is exemplary.
    """
    spec = SPECS[key]
    prob, contrib = score(key, features, rules, learned)
    positive = prob >= threshold
    decisive: Sentence | None = None
    if not positive and single_cues and key in single_cues:
        decisive = single_cue(ad, str(single_cues[key]), sem, float(single_cues.get("min_head", 0.5)))  # type: ignore[arg-type]
        if decisive is not None:
            positive = True
            prob = max(prob, threshold + 0.01)
    evidence = pick_evidence(ad, spec, sem=sem)
    if decisive is not None and decisive not in evidence:
        evidence = sorted([decisive, *evidence][:3], key=lambda s: s.index)
    if positive and not evidence:
        # a decision without a quote is not explainable to a reviewer: take the best sentence with any
        # support; with none at all the answer is not given (a person sees "not shown" with what was
        # looked for, rather than an unsupported yes or an unsupported accusation)
        evidence = pick_evidence(ad, spec, k=1, floor=0.0, sem=sem)
        if not evidence:
            positive = False
            prob = min(prob, threshold - 0.01)
    if not positive:
        # the contract's evidence supports an answer; for "not shown" the explanation says what was
        # looked for instead of quoting near misses that a reader could take for support
        evidence = []
    # name the features that pushed towards the answer given (not the largest ones on the losing side)
    pushing = [(n, c) for n, c in contrib if n != "bias" and abs(c) > 0.05 and (c > 0) == positive]
    drivers = ", ".join(f"{describe(n)} ({'+' if c > 0 else '−'})" for n, c in pushing[:3])
    name = DUTCH[key]
    if key in CRITERIA:
        if positive:
            expl = f"Aanwezig ({name}): {len(evidence)} ondersteunende zin(nen)."
        else:
            # say how much was searched: an absence claim needs its coverage (peers.md, docuchat)
            sections = sorted({s.section for s in ad.sentences} - {"begin", "overig"})
            expl = (f"Niet (voldoende) aangetoond ({name}). Gezocht naar {spec.looked_for}, in "
                    f"{len(ad.sentences)} zinnen op {ad.document.pages} pagina('s)"
                    + (f", secties: {', '.join(sections)}." if sections else "."))
    else:
        expl = (f"Signaal '{name}' gevonden." if positive else f"Geen overheersend signaal '{name}'.")
        if decisive is not None:
            expl += " Eén uitdrukkelijke zin volstaat voor dit signaal (regel in de ruleset)."
    if drivers:
        expl += f" Doorslaggevend: {drivers}."
    return Finding(key, positive, round(calibration.apply(prob, calib), 3), evidence, expl)
