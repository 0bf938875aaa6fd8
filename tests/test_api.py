"""The web service: upload a POP, get the contract's report; bad uploads get a coded error status."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app)


def test_api_index_page(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "POP-screening" in r.text


@pytest.mark.slow
def test_api_review_json_and_errors(client: TestClient) -> None:
    text = ("# Mijn loopbaanvraag\n\nIk wil weten of ik na tien jaar in de logistiek kan overstappen naar de zorg.\n\n"
            "# Actieplan\n\n- Tegen eind maart neem ik contact op met een woonzorgcentrum in Gent.\n")
    r = client.post("/api/v1/reviews", files={"file": ("pop.txt", text.encode(), "text/plain")})
    assert r.status_code == 200
    body = r.json()
    assert body["schema_version"] == "1" and set(body["criteria"]) == {
        "career_question", "competences", "tailored", "development_plan", "action_plan"}
    r = client.post("/api/v1/reviews", files={"file": ("leeg.pdf", b"", "application/pdf")})
    assert r.status_code == 400 and r.json()["detail"]["code"] == "E101"
    r = client.post("/api/v1/reviews", files={"file": ("x.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")})
    assert r.status_code == 415 and r.json()["detail"]["code"] == "E102"
