"""Calibrated scores: what a finding's ``score`` means.

The document models are class-balanced logistic regressions (and the loopbaanvraag a steep rule on the
best sentence), so their raw outputs are *decision* scores, not probabilities: a flag is raised at a raw
0.8 that corresponds to perhaps a 60 % chance, and a criterion at 0.5 to perhaps 90 %. A reviewer reads
the score as "how sure is it", so the report gives a calibrated one: Platt scaling (a logistic on the
logit of the raw score), fitted per key on the held-out cross-validation scores of train+dev. The map is
monotone, so the decision (raw score against the ruleset's threshold) and the ranking do not change;
only the number shown does. ``pop-review train criteria`` fits the maps and reports the expected
calibration error before and after; ``pop-review evaluate`` reports it on the evaluated split.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

EPS = 1e-4
BINS = 10
# the score of a criterion a rule withdrew after the model (the loopbaanvraag veto, the batch template
# rule): on train+dev every POP these rules fire on is labelled "not met" (6 of 6, 9 of 9); 0.1 is
# about the Laplace estimate of that rate
RULED_OUT_SCORE = 0.1


def logit(p: float) -> float:
    """log(p / (1 - p)), with p kept away from 0 and 1 (rule scores saturate)."""
    p = min(1.0 - EPS, max(EPS, p))
    return math.log(p / (1.0 - p))


def apply(p: float, ab: Sequence[float] | None) -> float:
    """The calibrated probability of a raw score ``p`` (``ab`` = Platt's (a, b); None = unchanged)."""
    if not ab:
        return p
    z = ab[0] * logit(p) + ab[1]
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fit(raw: Sequence[float], y: Sequence[int]) -> tuple[float, float]:
    """Platt's (a, b) for held-out raw scores and their labels (mildly regularised: with few positives
    an unregularised fit can make the map nearly a step)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([[logit(float(p))] for p in raw])
    yy = np.asarray(y, dtype=int)
    if yy.min() == yy.max():
        return 1.0, 0.0
    m = LogisticRegression(C=10.0, max_iter=1000).fit(x, yy)
    return round(float(m.coef_[0][0]), 5), round(float(m.intercept_[0]), 5)


def ece(prob: Sequence[float], y: Sequence[int], bins: int = BINS) -> float:
    """Expected calibration error: the mean |observed rate − mean score| over equal-width score bins,
    weighted by the bins' sizes."""
    n = len(prob)
    if n == 0:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, p in enumerate(prob) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if idx:
            rate = sum(y[i] for i in idx) / len(idx)
            mean = sum(prob[i] for i in idx) / len(idx)
            total += len(idx) * abs(rate - mean)
    return round(total / n, 4)
