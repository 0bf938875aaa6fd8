"""The corpus's labels agree with its guide: spans match the texts, verdicts follow the contract's rule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "pop"
sys.path.insert(0, str(CORPUS / "tools"))
import check  # noqa: E402

IDS = sorted(p.stem for p in (CORPUS / "labels").glob("*.json"))


def test_corpus_has_enough_documents() -> None:
    assert len(IDS) >= 200


@pytest.mark.parametrize("doc_id", IDS)
def test_corpus_document_is_valid(doc_id: str) -> None:
    assert check.check_one(doc_id) == []


def test_corpus_splits_are_disjoint_and_cover_all_centres() -> None:
    splits = json.loads((CORPUS / "splits.json").read_text())
    train, dev, test = set(splits["train"]), set(splits["dev"]), set(splits["test"])
    assert not (train & dev or train & test or dev & test)
    centres = {i.split("_")[0] for i in IDS}
    assert centres <= train | dev | test


def test_corpus_covers_every_kind_in_test_split() -> None:
    splits = json.loads((CORPUS / "splits.json").read_text())
    kinds = {json.loads((CORPUS / "labels" / f"{i}.json").read_text())["kind"] for i in IDS
             if i.split("_")[0] in splits["test"]}
    assert kinds >= {"compliant", "partial", "test_only", "advice_only", "application_only",
                     "excluded_context", "employer_initiated", "out_of_scope", "template_copy"}


@pytest.mark.parametrize("criteria, flags, expected", [
    # fmt: off
    ({"a": True, "b": True}, [], "compliant"),
    ({"a": True, "b": False}, [], "review"),          # one criterion missing
    ({"a": True, "b": True}, ["out_of_scope"], "review"),   # a review-only flag
    ({"a": True, "b": True}, ["test_only"], "non_compliant"),
    ({"a": False, "b": False}, ["template_copy", "employer_initiated"], "non_compliant"),
    # fmt: on
])
def test_corpus_verdict_rule_matches_contract(criteria: dict[str, bool], flags: list[str], expected: str) -> None:
    from pop_review.criteria.verdict import verdict

    assert check.expected_verdict(criteria, flags) == expected
    assert verdict(criteria, flags) == expected


def test_corpus_external_set_is_valid() -> None:
    external = CORPUS.parent / "pop_external"
    ids = sorted(p.stem for p in (external / "labels").glob("*.json"))
    assert len(ids) >= 10
    old_root = check.ROOT
    check.ROOT = external
    try:
        problems = [p for i in ids for p in check.check_one(i)]
    finally:
        check.ROOT = old_root
    assert problems == []
