"""The committed accuracy on the corpus's test split must not drop by more than a set margin.

``corpora/pop/RESULTS.json`` holds the figures the README and RESULTS.md quote; this test re-measures
them with ``pop-review evaluate`` and fails when any per-criterion or per-flag F1, the verdict
accuracy, the non-compliant recall or a personal-data recall falls more than ``MARGIN`` below, or when
a report leaks personal data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pop_review.config import Settings

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "pop"
MARGIN = 0.05


@pytest.mark.slow
def test_regression_metrics_hold_on_test_split() -> None:
    from pop_review.evaluate import evaluate_corpus

    committed = json.loads((CORPUS / "RESULTS.json").read_text(encoding="utf-8"))
    now = evaluate_corpus(CORPUS, "test", Settings(), workers=2)
    drops = []
    for group in ("criteria", "flags"):
        for key, old in committed[group].items():
            if now[group][key]["f1"] < old["f1"] - MARGIN:
                drops.append(f"{group}.{key}.f1 {old['f1']} -> {now[group][key]['f1']}")
    for key in ("accuracy", "non_compliant_recall"):
        if now["verdict"][key] < committed["verdict"][key] - MARGIN:
            drops.append(f"verdict.{key} {committed['verdict'][key]} -> {now['verdict'][key]}")
    # the criteria where they decide the verdict (POPs without a blocking flag in the gold)
    old_dec = committed.get("criteria_accuracy_where_criteria_decide", {})
    for key, acc in old_dec.items():
        if key != "documents" and now["criteria_accuracy_where_criteria_decide"][key] < acc - MARGIN:
            drops.append(f"deciding.{key} {acc} -> {now['criteria_accuracy_where_criteria_decide'][key]}")
    for t, old in committed["pii"].items():
        if old["recall"] is not None and (now["pii"][t]["recall"] or 0) < old["recall"] - MARGIN:
            drops.append(f"pii.{t}.recall {old['recall']} -> {now['pii'][t]['recall']}")
    assert not drops, drops
    assert now["pii_leaks_in_reports"] <= committed["pii_leaks_in_reports"]
    assert now["evidence"]["decisions_without_evidence"] == 0
    assert not now["errors"]
