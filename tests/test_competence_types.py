"""Competence typing of insight sentences: weak labels, the trained typer, and the explanation it feeds."""

from __future__ import annotations

import pytest

from pop_review.config import Settings

ONE_COMPETENCE = """# Loopbaanvraag

Ik wil weten of ik na twaalf jaar als kassierster in de supermarkt nog iets anders kan doen dat beter
past bij wat ik belangrijk vind.

# Verloop

Sessie 1: met waardenkaartjes zocht ik uit wat ik echt belangrijk vind in werk. Ik ontdekte dat
zekerheid en een vaste ploeg collega's voor mij zwaarder wegen dan een hoger loon.
Sessie 2: met de levenslijn keken we naar de momenten waarop ik het meest voldoening had. Telkens ging
het om momenten waarop ik iemand kon helpen en waardering kreeg van mijn collega's.
Sessie 3: een vragenlijst over drijfveren bevestigde dat betekenis en erkenning mij het meest motiveren.
"""


def _annotate(text: str) -> object:
    from pop_review.ingest.txt import read_txt
    from pop_review.nlp.annotate import annotate
    from pop_review.nlp.pipeline import load_nlp

    return annotate(read_txt(text.encode("utf-8"), "pop.txt", ""), load_nlp(Settings()))


def test_competence_types_weak_label_only_for_a_single_named_competence() -> None:
    from pop_review.criteria.competence_types import weak_label
    from pop_review.criteria.features import COMPETENCES

    ad = _annotate("# Inzichten\n\nIk ken nu mijn sterktes beter.\n\nIk ken nu mijn sterktes en mijn "
                   "waarden beter.\n\nDe sessie duurde twee uur.\n")
    labels = {s.text: weak_label(s) for s in ad.sentences if s.kind != "heading"}  # type: ignore[attr-defined]
    one = next(v for k, v in labels.items() if k.startswith("Ik ken nu mijn sterktes beter"))
    two = next(v for k, v in labels.items() if "waarden" in k)
    none = next(v for k, v in labels.items() if k.startswith("De sessie"))
    assert one == COMPETENCES.index("comp_quality")
    assert two is None and none is None


def test_competence_types_of_another_version_are_refused() -> None:
    from pop_review.criteria.competence_types import CompetenceTyper

    with pytest.raises(ValueError, match="classes"):
        CompetenceTyper.from_json({"classes": ["comp_quality"], "w": [[0.0]], "b": [0.0]})


@pytest.mark.slow
def test_competence_types_tell_the_five_apart_without_their_names() -> None:
    # sentences that name no competence: the typer reads what they speak of
    from pop_review.criteria.semantic import load_heads
    from pop_review.embeddings.encoder import get_encoder

    s = Settings()
    heads = load_heads(str(s.models_dir / "criteria" / "sentence_heads.json"))
    assert heads is not None and heads.competence_typer is not None
    enc = get_encoder(s.models_dir / s.embeddings_model, int8=s.embeddings_int8)
    cases = {
        "comp_quality": "Ze ontdekte dat ze heel geduldig moeilijke dingen kan uitleggen aan nieuwe collega's.",
        "comp_motives": "Wat hem drijft is zekerheid en een vaste ploeg waarin hij gewaardeerd wordt.",
        "comp_exploration": "Hij liep twee dagen mee in een magazijn om te zien hoe die job er echt uitziet.",
        "comp_network": "Via een oud-collega kwam ze in contact met de HR-verantwoordelijke van het ziekenhuis.",
    }
    from pop_review.criteria.features import COMPETENCES

    probs = heads.competence_typer.probs(enc.encode(list(cases.values())))
    got = [COMPETENCES[int(i)] for i in probs.argmax(axis=1)]
    assert got == list(cases)


@pytest.mark.slow
def test_competence_types_explanation_names_the_one_competence_worked_on() -> None:
    # a rich process on values only: the reviewer reads which competence the insight covers
    from pop_review.review import Reviewer

    report = Reviewer(Settings()).review_bytes(ONE_COMPETENCE.encode("utf-8"), "pop.txt").report
    expl = report["criteria"]["competences"]["explanation"]
    assert "Inzichtzinnen over: motieven" in expl
    assert "(1 van de 5 loopbaancompetenties)" in expl


def test_competence_types_a_stray_sentence_is_no_second_competence() -> None:
    # insight weight per competence (quality, motives, exploration, steering, network): a POP about
    # values with one passing line on networking covers one competence; two substantial ones count
    import numpy as np

    from pop_review.criteria.competence_types import type_features

    one = type_features({1: "comp_motives", 2: "comp_motives"}, np.array([0.1, 4.0, 0.2, 0.1, 0.6]))
    two = type_features({1: "comp_motives", 2: "comp_quality"}, np.array([1.5, 2.5, 0.2, 0.1, 0.2]))
    none = type_features({}, np.zeros(5))
    assert one["sem_comp_even_types"] == 1.0 and one["sem_comp_types"] == 1.0
    assert two["sem_comp_even_types"] == 2.0 and two["sem_comp_types"] == 2.0
    assert none == {"sem_comp_types": 0.0, "sem_comp_even_types": 0.0, "sem_comp_top_share": 1.0}
    # the share on the most-spoken-of competence: high for a POP about one, lower for a broad one
    assert one["sem_comp_top_share"] >= 0.75 > 0.6 >= two["sem_comp_top_share"]
