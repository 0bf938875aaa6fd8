"""Template copies: a copy with names and dates changed is found; a separately written POP is not."""

from __future__ import annotations

from pop_review.batch.templates import find_groups, fingerprint, similarity

BASE = ("Tijdens het traject werkten we aan uw zelfkennis en uw drijfveren. U bent een gedreven en veelzijdige "
        "persoon met veel talenten. We gebruikten een vragenlijst om uw kwaliteiten in kaart te brengen en "
        "bespraken de resultaten uitgebreid. Op basis daarvan verkenden we mogelijke richtingen op de "
        "arbeidsmarkt. Als volgende stap neemt u contact op met enkele werkgevers en denkt u verder na over "
        "uw loopbaan. Naam klant: {name}. Datum: {date}. Handtekening voor akkoord.")
OTHER = ("Ik ben verpleegkundige en wilde weten of ik het ziekenhuis kon verlaten zonder mijn liefde voor zorg "
         "op te geven. In drie gesprekken ontdekte ik dat ik vooral energie krijg van het opleiden van "
         "collega's. Ik sprak met een docent van de hogeschool en liep een dag mee in een woonzorgcentrum. "
         "Tegen eind maart schrijf ik me in voor de opleiding praktijkbegeleider. Naam klant: Els Maes.")


def test_templates_copy_is_found() -> None:
    a = fingerprint(BASE.format(name="Sofie Peeters", date="12/03/2024"))
    b = fingerprint(BASE.format(name="Tom Janssens", date="03/10/2023").replace("enkele", "een paar"))
    assert similarity(a, b) > 0.8


def test_templates_same_topic_not_grouped() -> None:
    a = fingerprint(BASE.format(name="Sofie Peeters", date="12/03/2024"))
    c = fingerprint(OTHER)
    assert similarity(a, c) < 0.3
    groups = find_groups({"a": a, "c": c}, 0.6)
    assert groups == {}


def _record(name: str, text: str) -> dict[str, object]:
    crit = {k: {"met": True, "score": 0.8, "evidence": [{"text": "x", "page": 1}], "explanation": ""}
            for k in ("career_question", "competences", "tailored", "development_plan", "action_plan")}
    return {"document": {"filename": name}, "criteria": crit, "flags": [], "verdict": "compliant",
            "fingerprint": fingerprint(text)}


def test_template_pass_flags_group_and_withdraws_what_a_copy_cannot_show() -> None:
    from pop_review.batch.runner import template_pass
    from pop_review.config import Settings

    records = [_record("a.pdf", BASE.format(name="Sofie Peeters", date="12/03/2024")),
               _record("b.pdf", BASE.format(name="Tom Janssens", date="03/10/2023")),
               _record("c.pdf", OTHER)]
    assert template_pass(records, Settings()) == 1
    a, b, c = records
    for rec in (a, b):
        assert [f["code"] for f in rec["flags"]] == ["template_copy"]
        # a shared text is not op maat, and its insights, evolution and steps are not this client's
        for key in ("tailored", "competences", "development_plan", "action_plan"):
            assert rec["criteria"][key]["met"] is False
            assert "sjabloonkopie" in rec["criteria"][key]["explanation"]
        assert rec["criteria"]["career_question"]["met"] is True  # left to the single-document reading
        assert rec["verdict"] == "review"
    assert a["flags"][0]["evidence"][0]["text"].startswith("bijna identiek aan b.pdf")
    assert c["flags"] == [] and c["criteria"]["tailored"]["met"] is True and c["verdict"] == "compliant"
    # a later pass (a resumed batch without the other copy) restores the single-document reading
    assert template_pass([a, c], Settings()) == 0
    assert all(a["criteria"][k]["met"] for k in ("tailored", "competences", "development_plan", "action_plan"))
    assert a["flags"] == [] and a["verdict"] == "compliant" and "_withdrawn" not in a
