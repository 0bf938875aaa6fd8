"""Named document features over the annotated POP, shared by every assessor and the learned models.

Features are shares and counts that describe *dominance* (how much of the POP is test output,
application mechanics, verdicts) as well as presence (is there a client question, a dated client
action, a before/after score). Names are stable: the learned weights and the explanations refer to
them.
"""

from __future__ import annotations

import math
import re

from pop_review.nlp.annotate import AnnotatedDocument, Sentence
from pop_review.nlp.scores import pairs_from_table

COMPETENCES = ("comp_quality", "comp_motives", "comp_exploration", "comp_steering", "comp_network")
CUE_CATEGORIES = ("career_question", *COMPETENCES, "competences", "evolution", "tailored", "coauthorship",
                  "sole_author", "action", "labour_market", "process", "test_instrument", "test_result",
                  "pseudo_science", "advice", "application", "outplacement", "employment_change", "employer",
                  "employer_context", "training_context", "part_of_other", "upsell", "out_of_scope", "placeholder",
                  "standard_package", "group")
# cues that count in the dossier rows too ("Kader | project voor ploegleiders, op initiatief van de
# HR-afdeling"; "Traject | fase 3 van het herstelprogramma"): who started the trajectory and what it is
# part of are administrative facts, stated there as often as in the text. Other cues stay out of those
# rows ("Werkgever: …" is a label, not a sign of an employer-driven offer).
DOSSIER_CATEGORIES = frozenset({"employer", "part_of_other", "outplacement"})
SECTIONS = ("loopbaanvraag", "inzichten", "verkenning", "evolutie", "actieplan", "testresultaten",
            "sollicitatie", "advies", "afsluiting", "verloop", "identificatie")


# a competence the POP itself says was not worked on: "Werk verkennen | 2 | 2 | nog niet aan
# toegekomen", "netwerken kwam niet aan bod", "Netwerken | 3 | 3 | geen verandering". The ConText window
# misses these in table rows, where the marker sits cells away from the competence's name.
_UNTOUCHED = re.compile(
    r"\b(?:niet|nauwelijks|amper|weinig)\b[^.|]{0,25}\b(?:aan bod|aan toe|besproken|behandeld|uitgediept|uitgewerkt|bekeken|verkend|aangeraakt)"
    r"|\bgeen (?:verandering|evolutie|tijd|aandacht)\b|\bongewijzigd\b|\bbleef (?:gelijk|hetzelfde|dezelfde)\b"
    r"|\bbuiten beschouwing\b|\blieten we (?:liggen|rusten)\b|\bniet aan gewerkt\b", re.I)


def competence_breadth(sents: list[Sentence]) -> dict[str, float]:
    """How many of the five competences the POP shows worked on, grown, or left untouched.

    GUIDE.md asks for insight in *more than one* competence; a rich process on one competence (three
    exercises about values) names the others only to say they were not reached, or scores them the
    same before and after. A competence counts as untouched when a sentence or table row naming it
    carries a not-addressed marker or an unchanged score pair, as grown when a row naming it has a
    higher score after; score rows left unchanged or marked not worked on are counted whatever they name.
    """
    worked: set[str] = set()
    untouched: set[str] = set()
    grown: set[str] = set()
    rows_untouched = 0
    for s in sents:
        comps = {c.category for c in s.cues if c.category in COMPETENCES}
        pairs = pairs_from_table([[c.strip() for c in s.text.split("|")]]) if s.kind == "table_row" else []
        left = bool(_UNTOUCHED.search(s.text)) or (bool(pairs) and all(p.after == p.before for p in pairs))
        # a score row left as it was, whatever the house style calls the competence ("Oost – wat drijft
        # mij? | 6 | 6 | niet verder uitgewerkt"): the metaphors of a score table carry no cue
        rows_untouched += bool(pairs) and left
        if not comps:
            continue
        if left:
            untouched |= comps
            continue
        if pairs and any(p.after > p.before for p in pairs):
            grown |= comps
        worked |= {c.category for c in s.cues if c.category in COMPETENCES and not c.negated}
    return {"comp_breadth": len(worked - untouched) / len(COMPETENCES),
            "n_comp_untouched": float(len(untouched)),
            "n_comp_grown": float(len(grown)), "n_score_rows_untouched": float(min(rows_untouched, 5))}


def content_sentences(ad: AnnotatedDocument) -> list[Sentence]:
    """Body sentences that carry content (not headings, not identification rows)."""
    return [s for s in ad.sentences if s.kind != "heading" and s.section != "identificatie"]


def is_action(s: Sentence) -> bool:
    """A client-owned, time-bound or concrete next step."""
    cats = s.categories()
    actionish = "action" in cats or s.section == "actieplan"
    return actionish and (s.timex or s.voice == "first" or s.kind in ("table_row", "list_item")) \
        and not s.verdict


def extract(ad: AnnotatedDocument) -> dict[str, float]:
    """All features of one document."""
    sents = content_sentences(ad)
    n = max(1, len(sents))
    f: dict[str, float] = {"n_sent_log": math.log1p(len(sents)), "words_log": math.log1p(ad.document.words)}
    dossier = [s for s in ad.sentences if s.kind != "heading" and s.section == "identificatie"]
    for cat in CUE_CATEGORIES:
        hits = [s for s in sents if cat in s.categories()]
        if cat in DOSSIER_CATEGORIES:
            hits += [s for s in dossier if cat in s.categories()]
        f[f"has_{cat}"] = float(bool(hits))
        f[f"share_{cat}"] = len(hits) / n
        f[f"n_{cat}_log"] = math.log1p(len(hits))
        neg = [s for s in sents if any(c.category == cat and c.negated for c in s.cues)]
        f[f"neg_{cat}"] = float(bool(neg))
    f["comp_coverage"] = sum(f[f"has_{c}"] for c in COMPETENCES) / len(COMPETENCES)
    f.update(competence_breadth(sents))
    for sec in SECTIONS:
        f[f"sec_{sec}"] = float(ad.sections.get(sec, 0) > 0)
    for v in ("first", "second", "third"):
        f[f"voice_{v}"] = sum(s.voice == v for s in sents) / n
    f["verdict_share"] = sum(s.verdict for s in sents) / n
    f["has_verdict"] = float(any(s.verdict for s in sents))
    actions = [s for s in sents if is_action(s)]
    f["n_actions_log"] = math.log1p(len(actions))
    f["n_dated_actions_log"] = math.log1p(sum(s.timex for s in actions))
    f["first_person_actions"] = float(sum(s.voice == "first" for s in actions) >= 1)
    # owners from the pop_actions component: steps the client takes vs. things done for the client
    f["n_client_dated_actions_log"] = math.log1p(sum(s.action_owner == "client" and s.timex for s in sents))
    f["share_counsellor_actions"] = sum(s.action_owner == "counsellor" for s in sents) / n
    pairs = ad.scores
    f["n_score_pairs_log"] = math.log1p(len(pairs))
    f["score_growth"] = float(sum(p.after > p.before for p in pairs) >= 2)
    f["score_flat"] = float(bool(pairs) and all(p.after == p.before for p in pairs))
    # score rows with one number each and no before/after pair anywhere: the scores at the end only
    f["score_current_only"] = float(ad.single_score_rows >= 2 and not pairs)
    test_sents = [s for s in sents if {"test_instrument", "test_result"} & s.categories()]
    f["test_share"] = len(test_sents) / n
    instruments = {c.text.lower() for s in sents for c in s.cues if c.category == "test_instrument" and not c.negated}
    f["n_instruments_log"] = math.log1p(len(instruments))
    f["question_in_section"] = float(any("career_question" in s.categories() or s.section == "loopbaanvraag"
                                         for s in sents if s.section == "loopbaanvraag"))
    f["first_person_question"] = float(any(s.voice in ("first", "third", "second") and
                                           "career_question" in s.categories() for s in sents))
    f["bias"] = 1.0
    return f
