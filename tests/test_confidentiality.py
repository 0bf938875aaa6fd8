"""Nothing leaves the machine, and no log line or report carries the document's text or personal data."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path

import pytest

from pop_review.config import Settings

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "pop"


class EgressAttempt(AssertionError):
    """Raised when code under test tries to open a network connection."""


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise EgressAttempt(f"network access attempted: {args[1:2]}")

    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX:  # local IPC (multiprocessing) is not egress
            return real_connect(self, address)
        refuse(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def _corpus_doc(doc_id: str) -> tuple[bytes, dict[str, object]]:
    from pop_review.corpus.render import render

    markup = (CORPUS / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8")
    _, data = render(doc_id, markup, "docx")
    return data, json.loads((CORPUS / "labels" / f"{doc_id}.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_confidentiality_full_review_offline_and_no_text_in_logs(no_network: list[object],
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    # Arrange: a corpus POP full of personal data, the whole pipeline with embeddings when built
    from pop_review.review import Reviewer

    data, labels = _corpus_doc("c01_02")
    caplog.set_level(logging.DEBUG)
    # Act
    review = Reviewer(Settings()).review_bytes(data, "c01_02.docx")
    # Assert: no connection was attempted
    assert no_network == []
    # no personal-data string in the report
    blob = json.dumps(review.report, ensure_ascii=False)
    for item in labels["pii"]:  # type: ignore[union-attr]
        assert item["text"] not in blob, item["type"]
    # evidence is still there for every met criterion
    for c in review.report["criteria"].values():
        assert not c["met"] or c["evidence"]
    # no sentence of the document and no personal data in the logs
    logs = "\n".join(r.getMessage() for r in caplog.records)
    for item in labels["pii"]:  # type: ignore[union-attr]
        assert item["text"] not in logs
    for sent in review.annotated.sentences:
        if len(sent.text) > 25:
            assert sent.text not in logs


def test_confidentiality_offline_switches_are_set() -> None:
    import os

    import pop_review  # noqa: F401

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_confidentiality_error_messages_carry_no_content() -> None:
    from pop_review.errors import ErrorCode, PopReviewError, short

    err = PopReviewError(ErrorCode.E502, detail=short(ValueError("Sofie Peeters 85.07.30-033.28")))
    assert "Sofie" not in str(err) and "85.07" not in str(err)
    assert err.to_dict() == {"code": "E502", "message": "document processing failed unexpectedly (ValueError)"}
