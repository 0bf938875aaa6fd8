"""Calibrated scores: a finding's score should mean "how likely", and ranking and decisions must not move."""

from __future__ import annotations

import json
import random

from pop_review.config import Settings
from pop_review.criteria import calibration


def test_calibration_makes_overconfident_scores_honest() -> None:
    # a class-balanced model's scores: raw 0.8 is right only about half the time
    rng = random.Random(7)
    raw, y = [], []
    for _ in range(2000):
        p = rng.random()
        raw.append(p)
        y.append(int(rng.random() < p ** 3))  # the true rate is much lower than the raw score
    ab = calibration.fit(raw, y)
    cal = [calibration.apply(p, ab) for p in raw]
    assert calibration.ece(cal, y) < calibration.ece(raw, y) / 2


def test_calibration_keeps_the_order_of_scores() -> None:
    ab = (1.3, -1.9)
    xs = [0.01, 0.2, 0.5, 0.79, 0.8, 0.81, 0.99]
    out = [calibration.apply(x, ab) for x in xs]
    assert out == sorted(out) and all(0.0 < v < 1.0 for v in out)
    assert calibration.apply(0.42, None) == 0.42


def test_calibration_maps_ship_for_every_trained_key() -> None:
    data = json.loads((Settings().models_dir / "criteria" / "weights.json").read_text(encoding="utf-8"))
    for variant, maps in (("weights", "calibration"), ("weights_lexical", "calibration_lexical")):
        assert set(data[maps]) == set(data[variant]), variant
        for key, info in data["report"]["keys"].items():
            # the training report measures it: calibration must not make scores worse
            assert info[variant]["cv_ece_calibrated"] <= info[variant]["cv_ece_raw"] + 0.01, key
