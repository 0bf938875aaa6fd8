"""Named document features over the annotated POP, shared by every assessor and the learned models.

Features are shares and counts that describe *dominance* (how much of the POP is test output,
application mechanics, verdicts) as well as presence (is there a client question, a dated client
action, a before/after score). Names are stable: the learned weights and the explanations refer to
them.
"""

from __future__ import annotations

import math

from pop_review.nlp.annotate import AnnotatedDocument, Sentence

COMPETENCES = ("comp_quality", "comp_motives", "comp_exploration", "comp_steering", "comp_network")
CUE_CATEGORIES = ("career_question", *COMPETENCES, "competences", "evolution", "tailored", "coauthorship",
                  "action", "labour_market", "process", "test_instrument", "test_result", "pseudo_science",
                  "advice", "application", "outplacement", "employment_change", "employer", "employer_context",
                  "training_context", "part_of_other", "upsell",
                  "out_of_scope", "placeholder", "standard_package", "group")
# cues that count in the dossier rows too ("Kader | project voor ploegleiders, op initiatief van de
# HR-afdeling"; "Traject | fase 3 van het herstelprogramma"): who started the trajectory and what it is
# part of are administrative facts, stated there as often as in the text. Other cues stay out of those
# rows ("Werkgever: …" is a label, not a sign of an employer-driven offer).
DOSSIER_CATEGORIES = frozenset({"employer", "part_of_other", "outplacement"})
SECTIONS = ("loopbaanvraag", "inzichten", "verkenning", "evolutie", "actieplan", "testresultaten",
            "sollicitatie", "advies", "afsluiting", "verloop", "identificatie")


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
