"""Fit the criterion and flag weights on the corpus's train split (``pop-review train criteria``).

One L2-regularised logistic regression per criterion and flag, over a small, named subset of the
document features chosen per key (so every weight means something a reviewer can read in the
explanation). Training reads the corpus sources through the plain-text ingester (headings, lists and
tables survive; no OCR needed), so it is fast and deterministic; the regularisation strength is chosen
on the dev split. The test split is never read here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from pop_review.config import Settings
from pop_review.corpus.labels import Gold, load_gold
from pop_review.criteria.assessors import CRITERIA, FLAGS
from pop_review.criteria.features import extract
from pop_review.ingest.txt import read_txt
from pop_review.nlp.annotate import annotate
from pop_review.nlp.pipeline import load_nlp

FEATURES: dict[str, list[str]] = {
    "career_question": ["has_career_question", "n_career_question_log", "sec_loopbaanvraag", "question_in_section",
                        "first_person_question", "has_placeholder", "voice_first", "has_advice"],
    "competences": ["comp_coverage", "has_competences", "n_competences_log", "test_share", "n_instruments_log",
                    "share_test_result", "voice_first", "sec_inzichten", "has_verdict", "share_application",
                    "n_comp_quality_log", "n_comp_motives_log", "n_comp_exploration_log", "n_comp_steering_log",
                    "n_comp_network_log", "words_log"],
    "tailored": ["has_tailored", "n_tailored_log", "voice_first", "voice_second", "voice_third", "has_placeholder",
                 "verdict_share", "words_log", "n_career_question_log", "comp_coverage", "test_share"],
    "development_plan": ["has_evolution", "n_evolution_log", "has_coauthorship", "n_coauthorship_log",
                         "score_growth", "score_flat", "n_score_pairs_log", "sec_evolutie", "voice_first",
                         "verdict_share", "neg_evolution", "neg_coauthorship"],
    "action_plan": ["n_actions_log", "n_dated_actions_log", "first_person_actions", "sec_actieplan",
                    "has_placeholder", "n_action_log", "share_labour_market", "verdict_share", "share_application",
                    "neg_action"],
    "test_only": ["test_share", "share_test_result", "n_test_result_log", "n_instruments_log", "comp_coverage",
                  "n_actions_log", "sec_testresultaten", "verdict_share", "voice_first", "has_pseudo_science",
                  "n_evolution_log"],
    "advice_only": ["verdict_share", "has_verdict", "share_advice", "n_advice_log", "first_person_actions",
                    "voice_first", "voice_second", "sec_advies", "n_actions_log", "has_coauthorship"],
    "application_only": ["share_application", "n_application_log", "sec_sollicitatie", "comp_coverage",
                         "n_comp_motives_log", "n_comp_quality_log", "share_labour_market"],
    "excluded_context": ["has_outplacement", "n_outplacement_log", "share_training_context",
                         "n_training_context_log", "has_upsell", "has_group", "share_employer"],
    "employer_initiated": ["has_employer", "n_employer_log", "share_employer", "has_outplacement",
                           "neg_employer"],
    "out_of_scope": ["share_out_of_scope", "n_out_of_scope_log", "has_out_of_scope", "has_career_question",
                     "comp_coverage", "has_employer"],
}


def _target(g: Gold, key: str) -> int:
    if key in CRITERIA:
        return int(g.labels["criteria"][key])
    return int(key in g.labels["flags"])


def featurise(golds: list[Gold], settings: Settings) -> list[dict[str, float]]:
    """Features of every gold document, read through the text ingester."""
    nlp = load_nlp(settings)
    out = []
    for g in golds:
        doc = read_txt(g.markup.encode("utf-8"), f"{g.id}.txt", "")
        out.append(extract(annotate(doc, nlp)))
    return out


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(x, y)
    return model


def train(corpus: Path, out: Path, settings: Settings) -> dict[str, Any]:
    """Fit every key on train, pick C on dev, refit on train, and write the weights JSON."""
    train_g, dev_g = load_gold(corpus, "train"), load_gold(corpus, "dev")
    ftr, fdv = featurise(train_g, settings), featurise(dev_g, settings)
    weights: dict[str, dict[str, float]] = {}
    report: dict[str, Any] = {"train_docs": len(train_g), "dev_docs": len(dev_g), "keys": {}}
    for key in (*CRITERIA, *FLAGS):
        names = FEATURES[key]
        xtr = np.array([[f.get(n, 0.0) for n in names] for f in ftr])
        ytr = np.array([_target(g, key) for g in train_g])
        xdv = np.array([[f.get(n, 0.0) for n in names] for f in fdv])
        ydv = np.array([_target(g, key) for g in dev_g])
        if ytr.min() == ytr.max():
            report["keys"][key] = "skipped: one class only in train"
            continue
        best_c, best_acc = 1.0, -1.0
        for c in (0.1, 0.3, 1.0, 3.0):
            m = _fit(xtr, ytr, c)
            acc = float((m.predict(xdv) == ydv).mean()) if len(ydv) else 0.0
            if acc > best_acc + 1e-9:
                best_c, best_acc = c, acc
        m = _fit(xtr, ytr, best_c)
        weights[key] = {"bias": float(m.intercept_[0]), **{n: float(w) for n, w in zip(names, m.coef_[0], strict=True)}}
        report["keys"][key] = {"C": best_c, "dev_accuracy": round(best_acc, 3), "train_positives": int(ytr.sum())}
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"version": "1", "trained_on": "corpora/pop train split", "tuned_on": "dev split",
               "weights": weights, "report": report}
    out.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return report
