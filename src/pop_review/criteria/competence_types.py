"""Which of Kuijpers' five career competences do a POP's insight sentences speak of?

GUIDE.md asks for insight in *more than one* competence. The most frequent way a partial POP passes for
a compliant one is a rich process on a single competence: three exercises about values, four methods
that all yield strengths. The lexicon's competence cues (``features.competence_breadth``) see the
competences a POP *names*; a sentence about what drives the client often names none ("Ze merkte dat
ze pas echt openbloeit als ze iemand iets kan aanleren").

A small multinomial logistic model over the sentence embeddings tells the five apart. It is trained
without gold labels: its examples are the POP sentences whose lexicon cues name exactly one competence
(weak labels), so it learns what talk about strengths, drives, work exploration, career steering and
networking sounds like beyond the cue words. It types the *insight* sentences — those the competences
head scores at least ``INSIGHT_MIN``, outside the career question and the action plan (which speak of
what the client asks and will do, not of what they learned) — and ``sem_comp_types`` counts the
competences among them that it is sure of. ``sem_comp_even_types`` weighs every sentence outside the
question and the action plan by its competences score, spreads that weight over the five competences by
the typer's probabilities, and counts the competences holding at least an even share (a fifth) of it: a
stray sentence about networking in a POP about values does not make a second competence.

In the retrain on 1,028 POPs (grouped cross-validation, ruleset r23 → r24) the feature took the
competences model from 0.917 to 0.924 and the verdict from 0.875 to 0.888. Partial POPs that miss
competences and were called compliant went from 25 to 17 of 93. The typed sentences also let the
explanation say which competences the insight covers. Adding ``sem_comp_even_types`` (r24 → r25) took
competences from 0.924 to 0.933 and the partial POPs called compliant on competences from 17 to 15 (a
quick experiment on the same POPs had checked the share cut: a tenth gave no gain, 0.15–0.25 all did).
``sem_comp_top_share``, the share of that weight on the single most-spoken-of competence, followed in r29
on 1,092 POPs: competences 0.925 → 0.927, partial POPs called compliant on competences 19 → 16 of 101.
Dropping the document length from the competences model on top of it changed nothing beyond noise
(0.929, 17 of 101, verdict 0.883 → 0.882), so it stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pop_review.criteria.features import COMPETENCES
from pop_review.nlp.annotate import Sentence

INSIGHT_MIN = 0.5  # the competences head's own decision point
EVEN_SHARE = 1 / len(COMPETENCES)  # a competence's share of the insight weight that counts it
TYPE_MIN = 0.5  # a typed sentence counts for a competence only when the model is this sure
NOT_INSIGHT = frozenset({"actieplan", "loopbaanvraag"})
DUTCH = {"comp_quality": "kwaliteiten", "comp_motives": "motieven", "comp_exploration": "werkexploratie",
         "comp_steering": "loopbaansturing", "comp_network": "netwerken"}


@dataclass(frozen=True, slots=True)
class CompetenceTyper:
    """Softmax over the five competences, from a sentence embedding."""

    weights: np.ndarray  # (5, dim)
    bias: np.ndarray  # (5,)

    def probs(self, embeddings: np.ndarray) -> np.ndarray:
        """(n_sentences, 5) probabilities, rows summing to one."""
        if len(embeddings) == 0:
            return np.zeros((0, len(COMPETENCES)), dtype=np.float32)
        z = embeddings @ self.weights.T + self.bias
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict[str, Any]:
        return {"classes": list(COMPETENCES), "w": [[round(float(v), 6) for v in row] for row in self.weights],
                "b": [float(v) for v in self.bias]}

    @staticmethod
    def from_json(data: dict[str, Any]) -> CompetenceTyper:
        if tuple(data["classes"]) != COMPETENCES:
            raise ValueError("competence typer classes do not match this version")
        return CompetenceTyper(np.array(data["w"], dtype=np.float32), np.array(data["b"], dtype=np.float32))


def weak_label(s: Sentence) -> int | None:
    """The competence a sentence's cues name, when they name exactly one (affirmed, not hypothetical)."""
    named = {c.category for c in s.cues if c.category in COMPETENCES and not c.negated and not c.hypothetical}
    return COMPETENCES.index(named.pop()) if len(named) == 1 else None


def fit_competence_typer(sentences: Sequence[Sequence[Sentence]], embeddings: Sequence[np.ndarray],
                         c: float = 1.0) -> CompetenceTyper:
    """Fit on the weakly labelled sentences of some POPs (``sentences[i]`` aligned with ``embeddings[i]``)."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for sents, emb in zip(sentences, embeddings, strict=True):
        for s, v in zip(sents, emb, strict=True):
            label = weak_label(s)
            if label is not None:
                xs.append(v)
                ys.append(label)
    if len(set(ys)) < len(COMPETENCES):
        raise ValueError("every competence needs weakly labelled sentences to fit the typer")
    # balanced: networking is named far less often than strengths, and is no less a competence
    m = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(np.array(xs), np.array(ys))
    return CompetenceTyper(m.coef_.astype(np.float32), m.intercept_.astype(np.float32))


def type_insight(sents: Sequence[Sentence], embeddings: np.ndarray, competence_scores: Sequence[float],
                 typer: CompetenceTyper) -> tuple[dict[int, str], np.ndarray]:
    """The insight sentences' competences, and the insight weight per competence.

    ``sents`` are the embedded sentences, aligned with ``embeddings`` and the competences head's
    ``competence_scores``. Returns sentence index → competence for the sentences the head reads as
    insight (score ≥ ``INSIGHT_MIN``) and the typer is sure of, and the (5,) weight of every sentence
    outside the career question and the action plan: its competences score spread over the five
    competences by the typer's probabilities.
    """
    rows = [i for i, s in enumerate(sents) if s.section not in NOT_INSIGHT]
    if not rows:
        return {}, np.zeros(len(COMPETENCES), dtype=np.float32)
    p = typer.probs(embeddings[rows])
    score = np.asarray([competence_scores[i] for i in rows], dtype=np.float32)
    types = {sents[i].index: COMPETENCES[int(k)]
             for i, k, q, sc in zip(rows, p.argmax(axis=1), p.max(axis=1), score, strict=True)
             if sc >= INSIGHT_MIN and q >= TYPE_MIN}
    return types, (score[:, None] * p).sum(axis=0)


def type_features(types: dict[int, str], weight: np.ndarray) -> dict[str, float]:
    """``sem_comp_types``: how many competences the typed insight sentences cover;
    ``sem_comp_even_types``: how many hold at least an even share of the insight weight."""
    total = float(weight.sum())
    return {"sem_comp_types": float(len(set(types.values()))),
            "sem_comp_even_types": float((weight / total >= EVEN_SHARE).sum()) if total > 0 else 0.0,
            "sem_comp_top_share": float(weight.max() / total) if total > 0 else 1.0}


def describe_types(types: dict[int, str]) -> str:
    """Dutch: the competences the insight sentences cover, most sentences first."""
    counts: dict[str, int] = {}
    for t in types.values():
        counts[t] = counts.get(t, 0) + 1
    names = [DUTCH[t] for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], COMPETENCES.index(kv[0])))]
    return ", ".join(names)
