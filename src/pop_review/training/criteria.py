"""Fit the judgement models on the corpus's train split (``pop-review train criteria``).

Two layers, both small and readable:

1. **Sentence heads** — one logistic regression per criterion and flag over multilingual-e5-small
   sentence embeddings, learned from the gold evidence quotes (a sentence that overlaps a quote for a
   key is a positive for that key). Written to ``models/criteria/sentence_heads.json``.
2. **Document models** — one L2-regularised logistic regression per key over a named subset of the
   document features plus that key's sentence-head features. Written to
   ``models/criteria/weights.json``; the explanation of every finding names its strongest features.

Both layers learn from the train and dev splits together (740 documents of 78 centres in corpus v8).
The document models must not learn from sentence scores that saw the same documents, so the head features are
cross-fitted (five folds grouped by centre), and the regularisation strength is chosen by the same
grouped cross-validation. The criteria models also learn from a copy of every POP with its headings
and bullets flattened away (``flatten_structure``), so they do not lean on a house style's layout.
The test split is never read here. Documents are read from their sources
through the plain-text ingester (headings, lists and tables survive; no OCR), which is fast and
deterministic.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from pop_review.config import REPO_ROOT, Settings
from pop_review.corpus.labels import Gold, load_gold
from pop_review.criteria import calibration
from pop_review.criteria.assessors import CRITERIA, FLAGS
from pop_review.criteria.competence_types import fit_competence_typer
from pop_review.criteria.features import extract
from pop_review.criteria.question_stage import FEATURES as STAGE_FEATURES
from pop_review.criteria.question_stage import QuestionStage, gated_rows
from pop_review.criteria.semantic import Heads, embeddable, semantic_features
from pop_review.criteria.verdict import BLOCKING
from pop_review.ingest.txt import read_txt
from pop_review.nlp.annotate import AnnotatedDocument, annotate
from pop_review.nlp.pipeline import load_nlp

log = logging.getLogger("pop_review.training")
KEYS = (*CRITERIA, *FLAGS)
N_FOLDS = 5
CACHE = REPO_ROOT / ".cache" / "sentence_embeddings.npz"

FEATURES: dict[str, list[str]] = {
    "career_question": ["has_career_question", "n_career_question_log", "sec_loopbaanvraag", "question_in_section",
                        "first_person_question", "has_placeholder", "voice_first", "has_advice"],
    "competences": ["comp_coverage", "has_competences", "n_competences_log", "test_share", "n_instruments_log",
                    "share_test_result", "voice_first", "sec_inzichten", "has_verdict", "share_application",
                    "n_comp_quality_log", "n_comp_motives_log", "n_comp_exploration_log", "n_comp_steering_log",
                    "n_comp_network_log", "words_log", "comp_breadth", "n_comp_untouched", "n_comp_grown", "n_score_rows_untouched"],
    "tailored": ["has_tailored", "n_tailored_log", "voice_first", "voice_second", "voice_third", "has_placeholder",
                 "verdict_share", "words_log", "n_career_question_log", "comp_coverage", "test_share",
                 "has_standard_package", "n_standard_package_log"],
    "development_plan": ["has_evolution", "n_evolution_log", "has_coauthorship", "n_coauthorship_log",
                         "score_growth", "score_flat", "n_score_pairs_log", "score_current_only",
                         "sec_evolutie", "voice_first", "verdict_share", "neg_evolution", "neg_coauthorship",
                         "has_sole_author"],
    "action_plan": ["n_actions_log", "n_dated_actions_log", "first_person_actions", "sec_actieplan",
                    "n_client_dated_actions_log", "share_counsellor_actions",
                    "has_placeholder", "n_action_log", "share_labour_market", "verdict_share", "share_application",
                    "neg_action"],
    "test_only": ["test_share", "share_test_result", "n_test_result_log", "n_instruments_log", "comp_coverage",
                  "n_actions_log", "sec_testresultaten", "verdict_share", "voice_first", "has_pseudo_science",
                  "n_evolution_log"],
    "advice_only": ["verdict_share", "has_verdict", "share_advice", "n_advice_log", "first_person_actions",
                    "share_counsellor_actions", "n_client_dated_actions_log",
                    "voice_first", "voice_second", "sec_advies", "n_actions_log", "has_coauthorship"],
    "application_only": ["share_application", "n_application_log", "sec_sollicitatie", "comp_coverage",
                         "n_comp_motives_log", "n_comp_quality_log", "share_labour_market"],
    "excluded_context": ["has_outplacement", "n_outplacement_log", "has_part_of_other", "n_part_of_other_log",
                         "share_training_context", "share_employment_change", "has_upsell", "has_group"],
    "employer_initiated": ["has_employer", "n_employer_log", "share_employer", "share_employer_context",
                           "has_outplacement", "neg_employer"],
    "out_of_scope": ["share_out_of_scope", "n_out_of_scope_log", "has_out_of_scope", "has_career_question",
                     "comp_coverage", "has_employer"],
}


def doc_feature_names(key: str, semantic: bool) -> list[str]:
    """The features of one key's document model."""
    names = list(FEATURES[key])
    if semantic:
        names += [f"sem_max_{key}", f"sem_top3_{key}", f"sem_share_{key}"]
        if key == "competences":
            # competences the insight sentences speak of (competence_types)
            names += ["sem_comp_types", "sem_comp_even_types", "sem_comp_top_share"]
        if key in CRITERIA:
            # a generic question or an untailored process goes with test-, advice- or
            # application-only talk: the flags' sentence scores inform the criteria
            names += [f"sem_top3_{f}" for f in FLAGS]
    return names


@dataclass(slots=True)
class DocData:
    """A gold document read for training."""

    gold: Gold
    ad: AnnotatedDocument
    features: dict[str, float]
    embeddings: np.ndarray
    sentence_labels: dict[str, np.ndarray]


def _target(g: Gold, key: str) -> int:
    if key in CRITERIA:
        return int(g.labels["criteria"][key])
    return int(key in g.labels["flags"])


def _tokens(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


def flatten_structure(markup: str) -> str:
    """The same POP with its headings lost and its bullets run into paragraphs.

    Real PDFs often lose their structure in extraction, and house styles without headings exist; a
    copy of every training POP read this way keeps the criteria models from leaning on headings and
    bullets alone (grouped cross-validation on 276 POPs: career question +0.01–0.03, action plan +0.03
    on flattened POPs). The labels stay valid: the sentences are unchanged.
    """
    out = []
    for line in markup.splitlines():
        if re.match(r"^#{1,3}\s", line):
            continue
        out.append(re.sub(r"^\s*([-*•]|\d+[.)])\s+", "", line))
    return "\n".join(out)


def _sentence_labels(g: Gold, sents: list[Any]) -> dict[str, np.ndarray]:
    out = {}
    for key in KEYS:
        lab = np.zeros(len(sents), dtype=bool)
        if _target(g, key):
            quotes = [_tokens(q) for q in g.labels.get("evidence", {}).get(key, [])]
            for i, s in enumerate(sents):
                st = _tokens(s.text)
                lab[i] = any(q and st and len(q & st) / min(len(q), len(st)) >= 0.5 for q in quotes)
        out[key] = lab
    return out


class _EmbeddingCache:
    """Sentence embeddings cached on disk by sha256, so retraining does not re-embed the corpus."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        # one file per encoder variant: vectors of another quantisation or padding must not be reused
        self.path = CACHE.with_name(f"{CACHE.stem}_{encoder.fingerprint}.npz")
        self.data: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as z:
                self.data = {k: z[k] for k in z.files}

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:  # a document with no content sentence (reshape cannot infer the width of nothing)
            return np.zeros((0, 384), dtype=np.float32)
        keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        todo = [t for k, t in zip(keys, texts, strict=True) if k not in self.data]
        if todo:
            vecs = self.encoder.encode(todo)
            for t, v in zip(todo, vecs, strict=True):
                self.data[hashlib.sha256(t.encode()).hexdigest()] = v
        return np.array([self.data[k] for k in keys], dtype=np.float32).reshape(len(texts), -1)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(self.path, **self.data)


def read_docs(golds: list[Gold], settings: Settings, cache: _EmbeddingCache | None) -> list[DocData]:
    """Ingest, annotate, featurise and (optionally) embed every gold document."""
    nlp = load_nlp(settings)
    out = []
    for g in golds:
        doc = read_txt(g.markup.encode("utf-8"), f"{g.id}.txt", "")
        ad = annotate(doc, nlp)
        sents = [s for s in ad.sentences if embeddable(s)]
        emb = cache.encode([s.text[:600] for s in sents]) if cache else np.zeros((len(sents), 0), np.float32)
        out.append(DocData(g, ad, extract(ad), emb, _sentence_labels(g, sents)))
    return out


def fit_heads(docs: list[DocData], c: float = 1.0) -> Heads:
    """Sentence heads from the evidence quotes of ``docs``."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([d.embeddings for d in docs])
    ws, bs = [], []
    for key in KEYS:
        y = np.concatenate([d.sentence_labels[key] for d in docs]).astype(int)
        if y.sum() < 3:
            ws.append(np.zeros(x.shape[1], np.float32))
            bs.append(-5.0)
            continue
        m = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        m.fit(x, y)
        ws.append(m.coef_[0].astype(np.float32))
        bs.append(float(m.intercept_[0]))
    # the competence typer learns from the lexicon's cues, not from gold labels; it is still fitted on
    # the same POPs as the heads, so a cross-validation fold never sees its own centres' sentences
    typer = fit_competence_typer([[s for s in d.ad.sentences if embeddable(s)] for d in docs],
                                 [d.embeddings for d in docs])
    return Heads(KEYS, np.array(ws), np.array(bs, dtype=np.float32), "1", competence_typer=typer)


def question_stage_rows(doc: DocData, heads: Heads) -> tuple[np.ndarray, np.ndarray]:
    """The loopbaanvraag stage's features and labels for the sentences of ``doc`` the gate lets through,
    on the scores of ``heads`` (cross-fitted: heads that did not see ``doc``'s centre)."""
    sents = [s for s in doc.ad.sentences if embeddable(s)]
    keep, rows = gated_rows(sents, heads.scores(doc.embeddings)[:, heads.keys.index("career_question")])
    if not keep:
        return np.zeros((0, len(STAGE_FEATURES))), np.zeros(0, dtype=int)
    return np.array(rows), doc.sentence_labels["career_question"][keep].astype(int)


STAGE_C = 1.0  # cross-validation on 804 POPs: 0.1 and 1.0 within 0.005 of each other


def fit_question_stage(rows: list[tuple[np.ndarray, np.ndarray]]) -> QuestionStage:
    """The loopbaanvraag's second stage, from ``question_stage_rows`` of the training documents."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    m = LogisticRegression(C=STAGE_C, class_weight="balanced", max_iter=3000).fit(x, y)
    return QuestionStage(m.coef_[0].astype(np.float64), float(m.intercept_[0]))


def _sem(doc: DocData, heads: Heads) -> dict[str, float]:
    # through the same sentence scoring as a review (the specificity gate and competence typing included)
    return semantic_features(doc.ad, doc.embeddings, heads)[1]


def _fit_doc(x: np.ndarray, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, y)


C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
# A stricter "met" for all five criteria, reported with its cross-validated verdict. On 804 POPs 0.6 raised
# the precision of "compliant" from 0.795 to 0.826 at the same verdict accuracy (0.874 → 0.877) but cost
# the criteria their own accuracy (tailored 0.905 → 0.878, competences 0.924 → 0.908): not applied.
CRITERIA_THRESHOLDS = (0.5, 0.6, 0.7, 0.8)
FLAG_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
MIN_FLAG_RECALL = 0.85  # the target for every flag: a threshold may buy precision, not below this


def choose_threshold(prob: np.ndarray, y: np.ndarray, key: str) -> tuple[float, float]:
    """The decision threshold of a key and its cross-validated accuracy.

    Criteria keep 0.5: their models are class-balanced, which favours precision, and a "met" that is
    not there is what turns a partial POP into a wrong "compliant" (a stricter threshold is reported, see
    CRITERIA_THRESHOLDS). Flags are rare (29–61 of 740
    POPs) and a balanced model over-raises them, which turns compliant POPs into "non_compliant": for
    flags the threshold with the best accuracy among those keeping recall at least MIN_FLAG_RECALL is
    taken (ties go to the one nearest 0.5).
    """
    def acc(t: float) -> float:
        return float(((prob >= t) == y).mean())

    if key in CRITERIA:
        return 0.5, acc(0.5)
    # at least MIN_FLAG_RECALL of the positives counted in whole POPs, rounded down: with 59 positives
    # 50 found (0.847) passes. Demanding 51 made the excluded_context threshold drop from 0.7 to 0.6 on
    # corpus v10 for one POP more found at four more false flags (precision 0.98 → 0.93)
    needed = math.floor(MIN_FLAG_RECALL * max(1, int(y.sum())))
    feasible = [t for t in FLAG_THRESHOLDS if int(((prob >= t) & (y == 1)).sum()) >= needed]
    if not feasible:
        return 0.5, acc(0.5)
    best = max(feasible, key=lambda t: (round(acc(t), 6), -abs(t - 0.5)))
    return best, acc(best)


RULE_SLOPE = 20.0
SENTENCE_THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def sentence_rule(best_sentence: np.ndarray, y: np.ndarray,
                  decides: np.ndarray | None = None) -> tuple[float, float]:
    """The best single-sentence rule for a criterion: met when the document's best sentence-head score
    reaches a threshold. Returns (threshold, accuracy over all documents) on the cross-fitted scores.

    A loopbaanvraag is one or two sentences, not a property of the whole document: when a rule on the
    best sentence is as accurate as the document model, the rule is kept, because its answer is the
    quoted sentence itself. It is stored as a steep logistic on ``sem_max_<key>`` centred on the
    threshold, so the assessors read it like any other learned model.

    ``decides`` marks the POPs whose verdict the criteria decide (no blocking flag): the threshold is
    chosen by the accuracy there. On a test-only or advice report the flag decides, and its labels of
    the question follow another convention (GUIDE.md: such a report "usually has a career question"),
    which pulled the threshold down. On train+dev (740 POPs, 481 of them deciding) choosing there moved
    the loopbaanvraag threshold from 0.6 to 0.65: cross-validated verdict accuracy 0.866 → 0.873,
    precision of "compliant" 0.779 → 0.789, while the criterion's accuracy over all POPs fell 0.922 →
    0.912 (on flagged POPs, whose verdict it does not decide).
    """
    mask = np.ones(len(y), dtype=bool) if decides is None else decides
    scored = [(float(((best_sentence[mask] >= t) == y[mask]).mean()), -abs(t - 0.7), t) for t in SENTENCE_THRESHOLDS]
    _, _, t = max(scored)
    return t, float(((best_sentence >= t) == y).mean())


def _rule_prob(best_sentence: np.ndarray, tau: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-RULE_SLOPE * (best_sentence - tau)))


def cv_verdict(docs: list[DocData], decided: dict[str, np.ndarray]) -> dict[str, Any]:
    """The contract's verdict from the held-out decisions of every key, against the gold verdict
    (template copies taken from the gold: only a batch sees them; no single-cue rule)."""
    from pop_review.criteria.verdict import verdict

    pairs = []
    for i, d in enumerate(docs):
        flags = [k for k in FLAGS if decided[k][i]] + [f for f in d.gold.labels["flags"] if f == "template_copy"]
        pairs.append((d.gold.labels["verdict"], verdict({k: bool(decided[k][i]) for k in CRITERIA}, flags)))
    nc_pred = sum(p == "non_compliant" for _, p in pairs)
    nc_gold = sum(g == "non_compliant" for g, _ in pairs)
    nc_hit = sum(g == p == "non_compliant" for g, p in pairs)
    comp_pred = sum(p == "compliant" for _, p in pairs)
    # the error auditors fear most: a POP missing a criterion (no flag) called compliant, per missing criterion
    missed: dict[str, list[int]] = {k: [0, 0] for k in CRITERIA}
    for d, (_, p) in zip(docs, pairs, strict=True):
        if d.gold.labels["verdict"] == "review" and not d.gold.labels["flags"]:
            for k in CRITERIA:
                if not d.gold.labels["criteria"][k]:
                    missed[k][0] += p == "compliant"
                    missed[k][1] += 1
    return {"accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 3),
            "non_compliant_precision": round(nc_hit / max(1, nc_pred), 3),
            "non_compliant_recall": round(nc_hit / max(1, nc_gold), 3),
            "compliant_precision": round(sum(g == p == "compliant" for g, p in pairs) / max(1, comp_pred), 3),
            "partial_called_compliant_by_missing_criterion": {k: f"{a}/{n}" for k, (a, n) in missed.items()}}


def _cv_probs(x: np.ndarray, xf: np.ndarray, y: np.ndarray, fold_of: np.ndarray, c: float,
              aug: bool) -> tuple[np.ndarray, np.ndarray]:
    """Held-out probabilities on the POPs as written and on their flattened copies (grouped folds);
    with ``aug`` the models also learn from the training folds' flattened copies."""
    prob, prob_flat = np.zeros(len(y)), np.zeros(len(y))
    for f in range(N_FOLDS):
        tr, te = fold_of != f, fold_of == f
        xt, yt = (np.vstack([x[tr], xf[tr]]), np.concatenate([y[tr], y[tr]])) if aug else (x[tr], y[tr])
        m = _fit_doc(xt, yt, c)
        prob[te], prob_flat[te] = m.predict_proba(x[te])[:, 1], m.predict_proba(xf[te])[:, 1]
    return prob, prob_flat


def train(corpus: Path, out: Path, settings: Settings, *, semantic: bool | None = None) -> dict[str, Any]:
    """Fit heads and document models on train+dev, choose C, thresholds and the model kind of each key
    by grouped cross-validation, and write both JSON files next to ``out``."""
    encoder = None
    if semantic is not False:
        try:
            from pop_review.embeddings.encoder import get_encoder

            encoder = get_encoder(settings.models_dir / settings.embeddings_model, int8=settings.embeddings_int8)
        except Exception as exc:  # the model is optional: without it only the lexical layer is trained
            if semantic:
                raise
            log.warning("embedding model unavailable (%s): training without sentence heads", type(exc).__name__)
    cache = _EmbeddingCache(encoder) if encoder is not None else None
    golds = load_gold(corpus, "train") + load_gold(corpus, "dev")
    docs = read_docs(golds, settings, cache)
    flat = read_docs([replace(g, markup=flatten_structure(g.markup)) for g in golds], settings, cache)
    if cache:
        cache.save()
    use_sem = cache is not None
    centres = sorted({d.gold.centre for d in docs})
    folds = {c: i % N_FOLDS for i, c in enumerate(centres)}
    report: dict[str, Any] = {"documents": len(docs), "centres": len(centres), "semantic": use_sem,
                              "selection": f"{N_FOLDS}-fold cross-validation grouped by centre", "keys": {}}
    heads_path = out.parent / "sentence_heads.json"
    if use_sem:
        # cross-fitted head features: a document's sentence scores come from heads that never saw
        # its centre, so the document models learn from scores as they will be on new POPs; the
        # loopbaanvraag's second stage learns from cross-fitted head scores for the same reason, and the
        # stage that scores a fold is fitted on the other folds only
        fold_heads = [fit_heads([d for d in docs if folds[d.gold.centre] != f]) for f in range(N_FOLDS)]
        rows = [question_stage_rows(d, fold_heads[folds[d.gold.centre]]) for d in docs]
        for f in range(N_FOLDS):
            stage_f = fit_question_stage([r for d, r in zip(docs, rows, strict=True) if folds[d.gold.centre] != f])
            heads_f = replace(fold_heads[f], question_stage=stage_f)
            for d in (*docs, *flat):
                if folds[d.gold.centre] == f:
                    d.features.update(_sem(d, heads_f))
        stage = fit_question_stage(rows)
        heads = replace(fit_heads(docs), question_stage=stage)
        report["question_stage"] = stage.to_json()
        heads_path.parent.mkdir(parents=True, exist_ok=True)
        heads_path.write_text(json.dumps({
            "version": "4", "model": "multilingual-e5-small (models/e5-small)",
            "int8": bool(getattr(encoder, "int8", False)), "trained_on": "corpora/pop train+dev splits",
            "heads": {k: {"w": [round(float(v), 6) for v in heads.weights[j]], "b": float(heads.bias[j])}
                      for j, k in enumerate(heads.keys)},
            "career_question_stage": stage.to_json(),
            "competence_types": heads.competence_typer.to_json() if heads.competence_typer else None}),
            encoding="utf-8")
    elif heads_path.exists():
        heads_path.unlink()  # stale heads would not match the lexical-only document models
    variants = {"weights_lexical": False, "weights": True} if use_sem else {"weights_lexical": False}
    fitted: dict[str, dict[str, dict[str, float]]] = {}
    fold_of = np.array([folds[d.gold.centre] for d in docs])
    # the POPs whose verdict the criteria decide (no blocking flag): where a sentence rule is tuned
    decides = np.array([not set(d.gold.labels["flags"]) & BLOCKING for d in docs])
    thresholds: dict[str, dict[str, float]] = {v: {} for v in variants}
    held_prob: dict[str, dict[str, np.ndarray]] = {v: {} for v in variants}
    calib: dict[str, dict[str, list[float]]] = {v: {} for v in variants}
    for variant, sem in variants.items():
        weights: dict[str, dict[str, float]] = {}
        for key in KEYS:
            names = doc_feature_names(key, sem)
            x = np.array([[d.features.get(n, 0.0) for n in names] for d in docs])
            xf = np.array([[d.features.get(n, 0.0) for n in names] for d in flat])
            y = np.array([_target(d.gold, key) for d in docs])
            # criteria learn from the flattened copies too; flags weigh dominance, which the copies
            # do not change, and lost a little from them in cross-validation
            aug = key in CRITERIA
            best_c, best_t, best_acc = 1.0, 0.5, -1.0
            for c in C_GRID:
                prob, _ = _cv_probs(x, xf, y, fold_of, c, aug)
                t, acc = choose_threshold(prob, y, key)
                if acc > best_acc + 1e-9:
                    best_c, best_t, best_acc = c, t, acc
            prob, prob_flat = _cv_probs(x, xf, y, fold_of, best_c, aug)
            m = _fit_doc(np.vstack([x, xf]) if aug else x, np.concatenate([y, y]) if aug else y, best_c)
            weights[key] = {"bias": float(m.intercept_[0]),
                            **{n: round(float(w), 5) for n, w in zip(names, m.coef_[0], strict=True)}}
            info: dict[str, Any] = {"model": "document", "C": best_c}
            if sem and key in CRITERIA:
                best_sent = np.array([d.features.get(f"sem_max_{key}", 0.0) for d in docs])
                tau, rule_acc = sentence_rule(best_sent, y, decides)
                info["cv_accuracy_document_model"] = round(best_acc, 3)
                info["cv_accuracy_sentence_rule"] = round(rule_acc, 3)
                if rule_acc >= best_acc:  # the simpler, more readable answer wins a tie
                    weights[key] = {"bias": round(-RULE_SLOPE * tau, 5), f"sem_max_{key}": RULE_SLOPE}
                    flat_sent = np.array([d.features.get(f"sem_max_{key}", 0.0) for d in flat])
                    prob, prob_flat = _rule_prob(best_sent, tau), _rule_prob(flat_sent, tau)
                    best_acc = rule_acc
                    info = {**info, "model": "sentence_rule", "sentence_threshold": tau}
            at = {}
            for t in FLAG_THRESHOLDS:
                p_, tp = prob >= t, int(((prob >= t) & (y == 1)).sum())
                at[str(t)] = {"accuracy": round(float((p_ == y).mean()), 3),
                              "precision": round(tp / max(1, int(p_.sum())), 3), "recall": round(tp / max(1, int(y.sum())), 3)}
            thresholds[variant][key] = best_t
            held_prob[variant][key] = prob
            # the score shown to a reviewer: Platt-calibrated on the same held-out scores
            ab = calibration.fit(prob, y)
            calib[variant][key] = list(ab)
            cal_prob = [calibration.apply(float(p), ab) for p in prob]
            report["keys"].setdefault(key, {})[variant] = {
                **info, "threshold": best_t, "cv_accuracy": round(best_acc, 3), "positives": int(y.sum()),
                "cv_ece_raw": calibration.ece([float(p) for p in prob], [int(v) for v in y]),
                "cv_ece_calibrated": calibration.ece(cal_prob, [int(v) for v in y]),
                "cv_accuracy_flattened": round(float(((prob_flat >= best_t) == y).mean()), 3),
                "trained_with_flattened_copies": aug, "cv_at_threshold": at}
        fitted[variant] = weights
        held_out = {k: held_prob[variant][k] >= thresholds[variant][k] for k in KEYS}
        # what a stricter "met" for all five criteria would do to the verdict: reported, not applied
        report.setdefault("verdict_at_criteria_threshold", {})[variant] = {
            str(t): cv_verdict(docs, {**held_out, **{k: held_prob[variant][k] >= t for k in CRITERIA}})
            for t in CRITERIA_THRESHOLDS}
        report.setdefault("verdict", {})[variant] = cv_verdict(docs, held_out)
    fitted.setdefault("weights", fitted["weights_lexical"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"version": "3", "trained_on": "corpora/pop train+dev splits",
                               "tuned_on": report["selection"],
                               "semantic": use_sem, **fitted,
                               "thresholds": thresholds.get("weights", thresholds["weights_lexical"]),
                               "thresholds_lexical": thresholds["weights_lexical"],
                               "calibration": calib.get("weights", calib["weights_lexical"]),
                               "calibration_lexical": calib["weights_lexical"], "report": report}, indent=2),
                   encoding="utf-8")
    return report
