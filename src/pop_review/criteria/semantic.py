"""Sentence meaning: multilingual-e5-small embeddings scored by one small head per criterion and flag.

A head is a logistic regression over a sentence's embedding, learned from the corpus's evidence quotes
(train split): "does this sentence show a loopbaanvraag / a client-owned action / test-result
talk …?". It recognises paraphrases the lexicons do not list, which is what POPs written in another
house style need. Only content sentences are embedded (no headings, no identification rows, at least
four words), which keeps the cost near 0.5 s for a three-page POP on one core. The heads' document
features (best and top-3 mean sentence score per key) feed the document-level models, and the
sentence scores help rank the evidence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pop_review.criteria.competence_types import CompetenceTyper, type_features, type_insight
from pop_review.criteria.question_stage import QuestionStage, gated_rows
from pop_review.nlp.annotate import AnnotatedDocument, Sentence

MIN_WORDS = 4


def embeddable(s: Sentence) -> bool:
    """Content sentences worth embedding."""
    return s.kind != "heading" and s.section != "identificatie" and len(s.text.split()) >= MIN_WORDS


@dataclass(frozen=True, slots=True)
class Heads:
    """Per-key logistic heads over sentence embeddings."""

    keys: tuple[str, ...]
    weights: np.ndarray  # (n_keys, dim)
    bias: np.ndarray  # (n_keys,)
    version: str
    question_stage: QuestionStage | None = None
    """The loopbaanvraag's second stage (``question_stage``); None in heads trained before it."""
    competence_typer: CompetenceTyper | None = None
    """Which competence an insight sentence speaks of (``competence_types``); None in older heads."""

    def scores(self, embeddings: np.ndarray) -> np.ndarray:
        """(n_sentences, n_keys) probabilities."""
        if len(embeddings) == 0:
            return np.zeros((0, len(self.keys)), dtype=np.float32)
        z = embeddings @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@lru_cache(maxsize=2)
def load_heads(path: str) -> Heads | None:
    """The trained heads, or None when not trained."""
    p = Path(path)
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    keys = tuple(data["heads"])
    w = np.array([data["heads"][k]["w"] for k in keys], dtype=np.float32)
    b = np.array([data["heads"][k]["b"] for k in keys], dtype=np.float32)
    stage = data.get("career_question_stage")
    typer = data.get("competence_types")
    return Heads(keys, w, b, str(data.get("version", "0")), QuestionStage.from_json(stage) if stage else None,
                 CompetenceTyper.from_json(typer) if typer else None)


def sentence_scores(ad: AnnotatedDocument, embeddings: np.ndarray, heads: Heads) -> dict[int, dict[str, float]]:
    """Sentence index → key → probability, for the embedded sentences."""
    sents = [s for s in ad.sentences if embeddable(s)]
    probs = heads.scores(embeddings)
    out = {s.index: {k: float(probs[i, j]) for j, k in enumerate(heads.keys)} for i, s in enumerate(sents)}
    if "career_question" not in heads.keys:
        return out
    # the head reads the form of a question; whether it is this client's own is the specificity gate's,
    # and which of the stated questions is the loopbaanvraag the second stage's (on the head's score)
    j = heads.keys.index("career_question")
    keep, rows = gated_rows(sents, probs[:, j])
    for s in sents:
        out[s.index]["career_question"] = 0.0
    stage = heads.question_stage.score(rows) if heads.question_stage else [probs[i, j] for i in keep]
    for i, p in zip(keep, stage, strict=True):
        out[sents[i].index]["career_question"] = float(p)
    return out


def semantic_features(ad: AnnotatedDocument, embeddings: np.ndarray,
                      heads: Heads) -> tuple[dict[int, dict[str, float]], dict[str, float], dict[int, str]]:
    """Sentence scores, the document features over them, and the insight sentences' competences.

    Review and training both go through here, so a model is trained on features computed exactly as
    they will be on a new POP.
    """
    scores = sentence_scores(ad, embeddings, heads)
    feats = doc_features(scores, heads.keys)
    types: dict[int, str] = {}
    if heads.competence_typer is not None and "competences" in heads.keys:
        sents = [s for s in ad.sentences if embeddable(s)]
        comp = [scores[s.index]["competences"] for s in sents]
        types, weight = type_insight(sents, embeddings, comp, heads.competence_typer)
        feats.update(type_features(types, weight))
    return scores, feats, types


def doc_features(scores: dict[int, dict[str, float]], keys: tuple[str, ...]) -> dict[str, float]:
    """``sem_max_<key>`` and ``sem_top3_<key>`` per key."""
    out: dict[str, float] = {}
    for k in keys:
        vals = sorted((v[k] for v in scores.values()), reverse=True)
        out[f"sem_max_{k}"] = vals[0] if vals else 0.0
        out[f"sem_top3_{k}"] = float(np.mean(vals[:3])) if vals else 0.0
        out[f"sem_share_{k}"] = float(np.mean([v > 0.5 for v in vals])) if vals else 0.0
    return out


def embed(ad: AnnotatedDocument, encoder: object) -> np.ndarray:
    """Embeddings of the document's content sentences (in order)."""
    texts = [s.text[:600] for s in ad.sentences if embeddable(s)]
    return encoder.encode(texts) if texts else np.zeros((0, 384), dtype=np.float32)  # type: ignore[attr-defined]
