"""Judgement on POPs written for these tests (not from the corpus): clear cases a reviewer relies on."""

from __future__ import annotations

import math

import pytest

from pop_review.config import Settings
from pop_review.criteria.verdict import priority, verdict

GOOD = """# Mijn loopbaanvraag

Na veertien jaar als magazijnier bij een groothandel in Aalst wil ik weten of ik kan overstappen naar
een job met meer contact met mensen, zonder dat ons gezinsinkomen te veel daalt. Mijn rug protesteert
steeds vaker tegen het heffen.

# Wat ik over mezelf ontdekte

In het eerste gesprek tekende ik mijn levenslijn. Daaruit bleek dat ik het gelukkigst was toen ik nieuwe
collega's opleidde. Met de waardenkaartjes koos ik zekerheid, collegialiteit en iets betekenen voor
anderen als mijn belangrijkste drijfveren. Mijn sterktes zijn geduld, uitleggen en orde houden.
Omdat ik aangaf dat ik twijfelde aan mijn schrijfvaardigheid, hebben we een extra opdracht gedaan
rond het schrijven van een korte werkinstructie; dat lukte beter dan ik dacht.

# Verkenning

Ik had een informatiegesprek met een opleidingsverantwoordelijke in de logistiek en liep een halve dag
mee met een interne trainer. Ik bekeek ook de beroepsfiche van instructeur heftruck.

# Evolutie

| Competentie | Bij de start | Nu |
| Wat kan ik? | 3 | 7 |
| Wat wil ik? | 2 | 7 |
| Welk werk past bij mij? | 2 | 6 |
| Netwerken | 2 | 5 |

# Mijn actieplan

- Tegen eind maart vraag ik een gesprek aan met mijn teamleider over een rol als peter voor nieuwe collega's.
- In april schrijf ik me in voor de opleiding instructeur heftruck bij de VDAB.
- Voor de zomer neem ik contact op met twee oud-collega's die nu trainer zijn.
- Plan B: een job als magazijnverantwoordelijke met minder tilwerk.

Dit plan schreef ik samen met mijn loopbaanbegeleider; ik vulde het zelf aan na het laatste gesprek.
Voor akkoord, 14 februari 2025.
"""

TEST_ONLY = """# Rapport persoonlijkheidsprofiel

Op uw vraag werd de MBTI-vragenlijst afgenomen. Uit de test blijkt dat u een ISTJ-type bent: u bent
introvert, zintuiglijk, denkend en oordelend. Uw profiel toont een sterke voorkeur voor structuur en
regels. Mensen met uw type zijn betrouwbaar, nauwgezet en plichtsbewust.

# Resultaten

Introversie scoort hoog (28/30). Zintuiglijk waarnemen scoort hoog. Denken scoort gemiddeld.
Oordelen scoort zeer hoog. De resultaten werden tijdens een feedbackgesprek van een uur besproken.

# Conclusie

Op basis van uw profiel zijn geschikte beroepen voor u: boekhouder, planner, kwaliteitscontroleur of
administratief medewerker. Wij adviseren u om een functie met duidelijke procedures te zoeken.
"""


@pytest.fixture(scope="module")
def reviewer() -> object:
    from pop_review.review import Reviewer

    return Reviewer(Settings())


def _review(reviewer: object, text: str) -> dict:
    return reviewer.review_bytes(text.encode("utf-8"), "pop.txt").report  # type: ignore[attr-defined]


@pytest.mark.slow
def test_criteria_good_pop_meets_criteria_with_evidence(reviewer: object) -> None:
    report = _review(reviewer, GOOD)
    met = {k for k, v in report["criteria"].items() if v["met"]}
    assert {"career_question", "competences", "action_plan"} <= met
    assert not {f["code"] for f in report["flags"]} & {"test_only", "advice_only", "application_only"}
    for key in met:
        assert report["criteria"][key]["evidence"], key


@pytest.mark.slow
def test_criteria_test_only_report_is_flagged(reviewer: object) -> None:
    report = _review(reviewer, TEST_ONLY)
    codes = {f["code"] for f in report["flags"]}
    assert codes & {"test_only", "advice_only"}
    assert report["verdict"] == "non_compliant"
    assert not report["criteria"]["action_plan"]["met"]
    flag = next(f for f in report["flags"] if f["code"] in ("test_only", "advice_only"))
    assert flag["evidence"] and flag["explanation"]


@pytest.mark.slow
def test_criteria_priority_orders_risky_first(reviewer: object) -> None:
    assert _review(reviewer, TEST_ONLY)["priority"] > _review(reviewer, GOOD)["priority"]


@pytest.mark.parametrize("criteria, flags, expected", [
    ({"a": True}, [], "compliant"),
    ({"a": False}, [], "review"),
    ({"a": True}, ["template_copy"], "review"),
    ({"a": True}, ["employer_initiated"], "non_compliant"),
])
def test_criteria_verdict_rule(criteria: dict[str, bool], flags: list[str], expected: str) -> None:
    assert verdict(criteria, flags) == expected


def test_criteria_priority_range() -> None:
    assert priority({"a": 1.0}, {"test_only": 0.0}) == 0.0
    assert priority({"a": 0.0}, {"test_only": 0.95}) == 0.95


def test_criteria_feature_names_are_explained_in_dutch() -> None:
    from pop_review.criteria.assessors import describe

    assert describe("sem_top3_test_only") == "zinnen die lijken op 'enkel een test'"
    assert describe("has_employer") == "signaalwoorden 'werkgever als initiatiefnemer'"
    assert describe("n_dated_actions_log") == "acties met een tijdstip"
    assert describe("n_evolution_log") == "aantal 'evolutie'"
    # every feature a learned model can name in an explanation has a Dutch name, the semantic ones
    # (head scores, the competence types) included
    from pop_review.training.criteria import KEYS, doc_feature_names

    assert all(describe(f) != f for key in KEYS for f in doc_feature_names(key, True))


def test_criteria_ruleset_thresholds_match_the_trained_models() -> None:
    """A retrain that chose other thresholds must be carried into the versioned ruleset (with a new
    version), or reports would name a ruleset whose thresholds the models were not tuned for."""
    import json

    settings = Settings()
    ruleset = json.loads(settings.ruleset.read_text(encoding="utf-8"))
    trained = json.loads((settings.models_dir / "criteria" / "weights.json").read_text(encoding="utf-8"))
    for ours, theirs in (("thresholds", "thresholds"), ("thresholds_lexical", "thresholds_lexical")):
        assert {k: ruleset[ours][k] for k in trained[theirs]} == trained[theirs]
    # criteria stay at 0.5 (precision of "met" protects the "compliant" verdict); flags keep recall
    assert all(ruleset["thresholds"][k] == 0.5 for k in ("career_question", "competences", "tailored",
                                                         "development_plan", "action_plan"))
    # flags find at least 85% of their positives in cross-validation, counted in whole POPs
    for key, info in trained["report"]["keys"].items():
        if key not in ("career_question", "competences", "tailored", "development_plan", "action_plan"):
            w = info["weights"]
            found = round(w["cv_at_threshold"][str(w["threshold"])]["recall"] * w["positives"])
            assert found >= math.floor(0.85 * w["positives"]), key


def test_report_compliant_text_names_the_weakest_criterion_to_check() -> None:
    from pop_review.report.render import render_html, render_text, weakest_met

    crit = {k: {"met": True, "score": s, "evidence": [{"text": "citaat", "page": 1}], "explanation": ""}
            for k, s in zip(("career_question", "competences", "tailored", "development_plan", "action_plan"),
                            (0.95, 0.9, 0.58, 0.88, 0.97), strict=True)}
    report = {"document": {"filename": "a.pdf", "format": "pdf", "pages": 2, "words": 500, "ocr_pages": 0},
              "criteria": crit, "flags": [], "verdict": "compliant", "priority": 0.1, "versions": {}}
    assert "op maat" in weakest_met(report) and "0.58" in weakest_met(report)
    assert weakest_met(report) in render_text(report)
    assert "zwakst onderbouwde" in render_html(report)
    assert weakest_met({**report, "verdict": "review"}) == ""


GENERIC_QUESTION = GOOD.replace(
    """Na veertien jaar als magazijnier bij een groothandel in Aalst wil ik weten of ik kan overstappen naar
een job met meer contact met mensen, zonder dat ons gezinsinkomen te veel daalt. Mijn rug protesteert
steeds vaker tegen het heffen.""",
    "Ik wil meer inzicht krijgen in mezelf en beter weten wat echt bij mij past.")


@pytest.mark.parametrize(("text", "specific"), [
    ("Ik wil meer inzicht krijgen in mezelf en beter weten wat echt bij mij past.", False),
    ("Meer zicht krijgen op mezelf en op wat ik nog wil in de jaren die komen.", False),
    ("Weten wat ik eigenlijk wil.", False),
    ("Ik wil weten of ik na 15 jaar in de zorg kan overstappen naar een administratieve job.", True),
    ("Kan ik als lasser met rugklachten nog tot mijn pensioen in de bouw blijven?", True),
])
def test_criteria_specificity_gate_tells_generic_from_client_questions(text: str, specific: bool) -> None:
    from pop_review.criteria.specificity import MIN_SPECIFIC, specific_words

    assert (specific_words(text) >= MIN_SPECIFIC) is specific


def test_criteria_score_table_rows_are_not_questions() -> None:
    from pop_review.criteria.specificity import could_state_question
    from pop_review.nlp.annotate import Sentence

    row = Sentence(0, "Ik ken functies in de logistiek die bij mij passen | 2 | 7", 1, "evolutie", "", "table_row",
                   "first", False, False)
    prose = Sentence(1, "Ik wil weten of functies in de logistiek bij mij passen, zoals planner of dispatcher.", 1,
                     "overig", "", "paragraph", "first", False, False)
    assert not could_state_question(row) and could_state_question(prose)


@pytest.mark.parametrize(("text", "section", "stated"), [
    # fmt: off
    ("Ik werk als functioneel analist bij een verzekeraar in Antwerpen, acht jaar nu.", "overig", False),
    ("Ik ben 40 jaar en woon met mijn twee dochters in Lokeren.", "overig", False),
    ("Ik twijfel of ik na twaalf jaar op de veiling nog iets anders kan.", "overig", True),       # a doubt
    ("DC: Of ik mijn vakkennis kan gebruiken in een job waar ik niet meer zelf schilder.", "verloop", True),
    ("Kan ik als lasser met rugklachten nog tot mijn pensioen in de bouw blijven?", "overig", True),
    ("Overstap van de bank naar het onderwijs, zonder loonverlies.", "loopbaanvraag", True),    # its section
    ("Voor 1 juni vraag ik aan mijn winkelmanager of ik aan de klantendienstbalie kan starten.", "overig", False),
    ("Mijn eigenlijke vraag was of ik met mijn rug nog in de bouw kan blijven werken.", "overig", True),
    # a wish in the action plan or the evolution is an outcome or a step, unless it names the question
    ("Ik wil dispatcher worden in de stelplaats van de busmaatschappij.", "actieplan", False),
    ("De Excel-opleiding wil ik in elk geval doen, ook als ik bij de verzekeraar blijf.", "evolutie", False),
    ("Haar nieuwe vraag: hoe combineer ik de lerarenopleiding met mijn job bij de bank?", "actieplan", True),
    # the words around a vague question and a first name are not specific
    ("Ik wil mijn loopbaan eens grondig in vraag stellen.", "loopbaanvraag", False),
    ("Tom zei bij de intake: ik wil eens kijken wat echt bij mij past.", "overig", False),
    # fmt: on
])
def test_criteria_a_question_must_be_stated(text: str, section: str, stated: bool) -> None:
    # a first-person fact about the client's job is specific but is no loopbaanvraag
    from pop_review.criteria.specificity import could_state_question
    from pop_review.nlp.annotate import Sentence

    dated = any(ch.isdigit() for ch in text)  # what the voice component marks as a time expression here
    sentence = Sentence(0, text, 1, section, "", "paragraph", "first", False, dated)
    assert could_state_question(sentence) is stated


@pytest.mark.slow
def test_criteria_generic_question_alone_is_not_a_career_question(reviewer: object) -> None:
    # GUIDE.md: "meer inzicht in mezelf" with nothing else does not meet career_question, however
    # complete the rest of the POP looks (the partial POPs of unseen writers that passed for compliant)
    assert _review(reviewer, GOOD)["criteria"]["career_question"]["met"]
    report = _review(reviewer, GENERIC_QUESTION)
    assert not report["criteria"]["career_question"]["met"]
    assert report["verdict"] == "review"



@pytest.mark.slow
def test_criteria_generic_question_section_vetoes_unless_reformulated(reviewer: object) -> None:
    from pop_review.criteria.specificity import only_generic_question

    # the only text under "Mijn loopbaanvraag" is generic: the veto finds it
    generic = reviewer.review_bytes(GENERIC_QUESTION.encode("utf-8"), "pop.txt")  # type: ignore[attr-defined]
    assert only_generic_question(generic.annotated) is not None
    assert only_generic_question(reviewer.review_bytes(GOOD.encode("utf-8"), "pop.txt").annotated) is None  # type: ignore[attr-defined]
    # GUIDE.md's borderline case: made concrete later in the POP, the question is met
    reformulated = GENERIC_QUESTION.replace(
        "# Wat ik over mezelf ontdekte",
        "In het tweede gesprek herformuleerden we de vraag concreter: kan ik na veertien jaar in het magazijn "
        "opleider in de logistiek worden zonder loonverlies?\n\n# Wat ik over mezelf ontdekte")
    review = reviewer.review_bytes(reformulated.encode("utf-8"), "pop.txt")  # type: ignore[attr-defined]
    assert only_generic_question(review.annotated) is None
    assert review.report["criteria"]["career_question"]["met"]


# a concrete question worded like a generic one, under a heading that does not name it (the loopbaanvraag
# of advice and test reports that the sentence head alone scored 0.3-0.5)
UNNAMED_QUESTION = GOOD.replace("# Mijn loopbaanvraag", "# Vertrekpunt").replace(
    """Na veertien jaar als magazijnier bij een groothandel in Aalst wil ik weten of ik kan overstappen naar
een job met meer contact met mensen, zonder dat ons gezinsinkomen te veel daalt. Mijn rug protesteert
steeds vaker tegen het heffen.""",
    "Door mijn aanhoudende rugklachten vraag ik me af welk werk ik na veertien jaar in het magazijn van "
    "een groothandel in Aalst nog tot mijn pensioen kan doen.")


@pytest.mark.slow
def test_criteria_concrete_question_in_generic_words_is_found(reviewer: object) -> None:
    report = _review(reviewer, UNNAMED_QUESTION)
    cq = report["criteria"]["career_question"]
    assert cq["met"] and any("rugklachten" in e["text"] for e in cq["evidence"])
    # the explanation says what made it the client's question, without quoting it (it is not pseudonymised)
    assert "als wens of twijfel verwoord" in cq["explanation"] and "eigen inhoudswoorden" in cq["explanation"]
    assert "rugklachten" not in cq["explanation"]


def test_criteria_question_stage_weighs_what_makes_a_question_the_clients() -> None:
    # the trained second stage: a stated, specific question early in the POP, in its own section or
    # with a question cue, outweighs the same head score without those marks
    from pop_review.criteria.question_stage import FEATURES
    from pop_review.criteria.semantic import load_heads

    heads = load_heads(str(Settings().models_dir / "criteria" / "sentence_heads.json"))
    if heads is None or heads.question_stage is None:
        pytest.skip("no trained sentence heads (pop-review train criteria)")
    w = dict(zip(FEATURES, heads.question_stage.weights, strict=True))
    assert all(w[f] > 0 for f in FEATURES if f != "position") and w["position"] < 0


def test_criteria_question_stage_of_other_features_is_refused() -> None:
    from pop_review.criteria.question_stage import QuestionStage

    with pytest.raises(ValueError, match="retrain"):
        QuestionStage.from_json({"features": ["head_logit"], "w": [1.0], "b": 0.0})


@pytest.mark.slow
def test_criteria_employer_initiative_in_the_dossier_table_is_flagged(reviewer: object) -> None:
    # who started the trajectory is often only in the dossier table at the top; an otherwise
    # exemplary POP is still employer-initiated (two independent POPs called compliant before)
    dossier = ("# Dossiergegevens\n\n| Veld | Gegevens |\n| Klant | Jan Peeters |\n"
               "| Kader | project voor ploegleiders, op initiatief van de HR-afdeling van de werkgever |\n\n")
    report = _review(reviewer, dossier + GOOD)
    assert "employer_initiated" in [f["code"] for f in report["flags"]]
    assert report["verdict"] == "non_compliant"
    assert _review(reviewer, GOOD)["verdict"] == "compliant"


@pytest.mark.slow
@pytest.mark.parametrize("context, flag", [
    # fmt: off
    ("Je volgt bij ons het Veerkracht-traject na een burn-out. Deze loopbaancheque vormt fase 3 van je "
     "Veerkracht-traject en rondt het programma af.", "excluded_context"),
    ("Zoals bij de start afgesproken, wordt de derde fase, de heroriëntering, met mijn loopbaancheque gefinancierd.",
     "excluded_context"),
    ("Na de reorganisatie bood de HR-dienst van de drukkerij alle veertien medewerkers van de afdeling "
     "een loopbaantraject bij ons aan.", "employer_initiated"),
    ("Traject: fase 3 (Werk in zicht) van het herstelprogramma Adem van ons centrum. Met deze fase rondt "
     "Jan het programma Adem af.", "excluded_context"),
    # fmt: on
])
def test_criteria_context_stated_once_in_passing_still_raises_its_flag(reviewer: object, context: str,
                                                                        flag: str) -> None:
    # the guidance itself looks complete; one opening sentence says whose programme or offer it is
    # (x51_03, x52_15 and x54_15 were called compliant)
    report = _review(reviewer, "# Kader\n\n" + context + "\n\n" + GOOD)
    assert flag in [f["code"] for f in report["flags"]]
    assert report["verdict"] == "non_compliant"


@pytest.mark.slow
def test_criteria_plan_written_by_the_counsellor_alone_and_mailed_is_not_drawn_up_together(
        reviewer: object) -> None:
    # GUIDE.md: the POP is drawn up with the client; a before/after table the counsellor wrote up
    # afterwards and e-mailed shows the evolution but not the client's part (x54_07 passed before r30)
    together = ("Dit plan schreef ik samen met mijn loopbaanbegeleider; ik vulde het zelf aan na het laatste "
                "gesprek.\nVoor akkoord, 14 februari 2025.")
    alone = ("Dit plan werd na het laatste gesprek door de loopbaanbegeleider opgesteld en op 14 februari 2025 "
             "per e-mail aan de klant bezorgd.")
    assert together in GOOD
    report = _review(reviewer, GOOD.replace(together, alone))
    assert report["criteria"]["development_plan"]["met"] is False
    assert report["verdict"] == "review"


@pytest.mark.slow
def test_report_evidence_sections_are_titles_not_stray_numbers(reviewer: object) -> None:
    # a PDF table cell broken over lines can leave a number where a heading was expected; the
    # evidence then names the canonical section, never that number
    report = _review(reviewer, "# 2404-190\n\n" + GOOD.replace("# Mijn loopbaanvraag\n\n", ""))
    sections = {e["section"] for c in report["criteria"].values() for e in c["evidence"]}
    assert sections and all(any(ch.isalpha() for ch in s) for s in sections)


@pytest.mark.slow
def test_criteria_current_scores_alone_are_no_evolution(reviewer: object) -> None:
    from pop_review.criteria.features import extract
    from pop_review.ingest import load_bytes
    from pop_review.nlp.annotate import annotate

    def feature(text: str) -> float:
        doc = load_bytes(text.encode("utf-8"), "pop.txt", reviewer.settings)  # type: ignore[attr-defined]
        return extract(annotate(doc, reviewer.nlp))["score_current_only"]  # type: ignore[attr-defined]

    table = ("| Competentie | Bij de start | Nu |\n| Wat kan ik? | 3 | 7 |\n| Wat wil ik? | 2 | 7 |\n"
             "| Welk werk past bij mij? | 2 | 6 |\n| Netwerken | 2 | 5 |")
    assert table in GOOD
    current = "| Thema | Score nu (op 10) |\n| Wat kan ik? | 7 |\n| Wat wil ik? | 7 |\n| Netwerken | 5 |"
    assert feature(GOOD) == 0.0
    assert feature(GOOD.replace(table, current)) == 1.0


def test_training_sentence_rule_threshold_is_chosen_where_the_criterion_decides() -> None:
    # on flagged POPs the flag decides the verdict and the question's label follows another convention:
    # the loopbaanvraag threshold is chosen on the POPs without a blocking flag
    import numpy as np

    from pop_review.training.criteria import sentence_rule

    best = np.array([0.9, 0.8, 0.62, 0.62, 0.3, 0.62, 0.62, 0.62])
    y = np.array([1, 1, 0, 0, 0, 1, 1, 1])
    decides = np.array([True, True, True, True, True, False, False, False])
    assert sentence_rule(best, y)[0] <= 0.6            # all POPs: the flagged ones pull it down
    tau, acc = sentence_rule(best, y, decides)
    assert tau > 0.62 and acc == float(((best >= tau) == y).mean())


def test_out_of_scope_document_is_reviewed_not_judged_as_a_cheque_service() -> None:
    # a VDAB job-seeker plan is mostly applications: "application_only" would reclaim a cheque that
    # was never used; out of scope sends it to a person instead (verdict review)
    from pop_review.criteria.assessors import Finding
    from pop_review.criteria.verdict import out_of_scope_first, verdict

    blocking = ["test_only", "advice_only", "application_only", "excluded_context", "employer_initiated"]
    flags = {"out_of_scope": Finding("out_of_scope", True, 0.97), "application_only": Finding("application_only", True, 0.81),
             "test_only": Finding("test_only", False, 0.05)}
    kept = out_of_scope_first(flags, blocking)
    assert [k for k, f in kept.items() if f.positive] == ["out_of_scope"]
    assert "0.81" in kept["application_only"].explanation
    assert verdict({"career_question": False}, [k for k, f in kept.items() if f.positive]) == "review"
    # without out of scope nothing changes
    flags["out_of_scope"] = Finding("out_of_scope", False, 0.1)
    assert out_of_scope_first(flags, blocking) == flags


def test_criteria_flag_threshold_keeps_recall_floor_in_whole_pops() -> None:
    # a flag's threshold: the most accurate one that still finds 85% of the positives, counted in whole
    # POPs (50 of 59 passes); one that finds fewer is never taken, however accurate
    import numpy as np

    from pop_review.training.criteria import choose_threshold

    y = np.array([1] * 59 + [0] * 941)
    prob = np.array([0.75] * 50 + [0.65] + [0.2] * 8 + [0.65] * 4 + [0.1] * 937)
    assert choose_threshold(prob, y, "excluded_context")[0] == 0.7
    prob_low = np.array([0.75] * 49 + [0.65] * 2 + [0.2] * 8 + [0.65] * 4 + [0.1] * 937)
    assert choose_threshold(prob_low, y, "excluded_context")[0] < 0.7
