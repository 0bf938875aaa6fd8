"""The POP-reading components on Dutch sentences, including negated and hedged ones."""

from __future__ import annotations

import pytest
import spacy

from pop_review.nlp.context import qualify
from pop_review.nlp.scores import pairs_from_table, pairs_from_text, single_score_row
from pop_review.nlp.sections import canonical_section, form_label
from pop_review.nlp.timex import has_timex
from pop_review.nlp.voice import is_verdict, voice


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    import pop_review.nlp.components  # noqa: F401

    n = spacy.blank("nl")
    n.add_pipe("sentencizer")
    n.add_pipe("pop_cues")
    n.add_pipe("pop_voice")
    return n


def _cues(nlp: spacy.language.Language, text: str, category: str) -> list[object]:
    return [c for c in nlp(text)._.pop_cues if c.category == category]


@pytest.mark.parametrize("text, category, negated", [
    # fmt: off
    ("Er werd geen test afgenomen.", "test_instrument", True),
    ("Ik heb de persoonlijkheidstest niet ingevuld.", "test_instrument", True),    # post-verbal 'niet'
    ("We namen de MBTI af en bespraken die.", "test_instrument", False),
    ("Er is nog geen actieplan opgesteld.", "action", True),
    ("Mijn actieplan staat hieronder.", "action", False),
    ("Niet alleen mijn kwaliteiten, ook mijn drijfveren kwamen aan bod.", "comp_motives", False),  # pseudo-trigger
    # fmt: on
])
def test_cues_negation(nlp: spacy.language.Language, text: str, category: str, negated: bool) -> None:
    cues = _cues(nlp, text, category)
    assert cues, f"no {category} cue in {text!r}"
    assert any(c.negated for c in cues) is negated


def test_cues_match_compounds_and_inflections(nlp: spacy.language.Language) -> None:
    assert _cues(nlp, "Ik vulde een beroepeninteressetest in.", "test_instrument")
    assert _cues(nlp, "Mijn loopbaanvragen waren breed.", "career_question")
    assert _cues(nlp, "We werkten aan je loopbaancompetenties.", "competences")


@pytest.mark.parametrize("category, text, expected", [
    # a process described as the same for every client is the opposite of op maat (feature of `tailored`)
    ("standard_package", "Elke cliënt doorloopt dezelfde vier modules in dezelfde volgorde.", True),
    ("standard_package", "Zoals voor iedere klant volgde het traject ons vaste programma in vier sessies.", True),
    ("standard_package", "Het traject volgde het standaardprogramma van het centrum.", True),
    # the route named and then said to be the one for everybody (lexicon v8)
    ("standard_package", "Het traject volgde het vierstappenmodel dat Scharnier voor elke klant met een "
                         "loopbaancheque hanteert.", True),
    ("standard_package", "Traject volgens het vaste Scharnier-programma in vier modules.", True),
    ("standard_package", "Het traject werd doorlopen volgens de vaste vierdelige opbouw die het centrum voor alle "
                         "betrokkenen hanteert.", True),
    ("standard_package", "Zo krijgt iedere klant een volledig beeld: de zes modules in de vaste volgorde.", True),
    ("standard_package", "Hij doorliep het basistraject met de standaardwerkvormen van het centrum.", True),
    ("standard_package", "We kozen voor jou een andere volgorde dan we voor de meeste klanten gebruiken.", False),
    ("standard_package", "Omdat je aangaf dat je 's avonds werkt, plaatsten we de gesprekken op vrijdagochtend.", False),
    ("standard_package", "Iedereen zegt dat ik goed kan luisteren.", False),
    # Dutch verb-second order puts the verb before the employer: the cues must read both orders
    ("employer", "In het voorjaar stelde de HR-afdeling aan alle ploegleiders van 45 jaar en ouder voor om een "
                 "loopbaancheque aan te vragen.", True),
    ("employer", "De HR-afdeling bood daarom alle ploegleiders een loopbaantraject met loopbaancheque aan.", True),
    ("employer", "Zoals afgesproken bezorgt het centrum een korte samenvatting van de acties aan Sarah van HR.", True),
    ("employer", "Mijn leidinggevende stelde bij mijn jaarlijkse evaluatie voor om een loopbaancheque te gebruiken.", True),
    # the employer's service offering the cheque in a relative clause, or booking the first appointment (lexicon v9)
    ("employer", "Ze kwam bij ons via de personeelsdienst van de school, die na de besparingen een loopbaantraject "
                 "aanbood aan alle leerkrachten.", True),
    ("employer", "De HR-dienst van het depot raadde me deze begeleiding aan en legde de eerste afspraak voor me vast.", True),
    ("employer", "De kennismaking werd door onze personeelsdienst ingepland.", True),
    ("employer", "De dienst HR heeft alle ploegleiders uitgenodigd om via een loopbaancheque een traject te volgen.", True),
    ("employer", "De synthese van de koers wordt zoals afgesproken aan HR van de firma bezorgd.", True),
    ("employer", "Je werd samen met zeven collega's door de HR-afdeling aangemeld voor dit traject.", True),
    ("employer", "Planning: de vier afspraken zijn vastgelegd door Anouk van de personeelsdienst.", True),
    # the client's own plans with the employer are not an employer-driven offer
    ("employer", "Mijn werkgever heeft me nog geen andere functie voorgesteld, dus ik zoek zelf.", False),
    ("employer", "In mijn functioneringsgesprek stel ik voor om een dag per week thuis te werken.", False),
    ("employer", "Ik bespreek met HR of ik intern kan solliciteren voor de functie van planner.", False),
    # the employer offering or proposing something else than the guidance (lexicon v11: the offer cues
    # require the sentence to name the guidance)
    ("employer", "HR bood haar een plaats aan in de magazijnadministratie.", False),
    ("employer", "Haar werkgever biedt aan om de stage voor de titel van accountant te financieren.", False),
    ("employer", "De HR-medewerker van haar bedrijf stelde voor om mee te kijken bij de volgende aanwervingsronde.", False),
    ("employer", "HR bood haar een loopbaantraject bij ons centrum aan.", True),
    # lexicon v13: the offer with its object in between, the report sent with the verb last, and a
    # proposal that concerns a promotion rather than the guidance
    ("employer", "De personeelsdienst heeft alle twaalf operatoren van de lijn een loopbaantraject bij ons aangeboden.", True),
    ("employer", "Een samenvatting van dit plan wordt met jouw toestemming aan de personeelsdienst bezorgd.", True),
    ("employer", "In 2018 werd ze teamleider, op voorstel van haar toenmalige filiaalmanager.", False),
])
def test_cues_tell_a_signal_from_its_look_alikes(nlp: spacy.language.Language, category: str, text: str,
                                               expected: bool) -> None:
    assert bool(_cues(nlp, text, category)) is expected


def test_context_hypothetical() -> None:
    toks = "een opleiding zou eventueel later kunnen".split()
    assert qualify(toks, 1, 2).hypothetical is False
    toks = "ik zou eventueel een opleiding volgen".split()
    assert qualify(toks, 4, 5).hypothetical is True


@pytest.mark.parametrize("text, expected", [
    ("Ik ontdekte dat ik graag met mensen werk.", "first"),
    ("Je gaf aan dat je meer autonomie wil.", "second"),
    ("Mevrouw Peeters wil overstappen naar het onderwijs.", "third"),
])
def test_voice(text: str, expected: str) -> None:
    assert voice(text.lower().replace(".", " .").split(), text) == expected


@pytest.mark.parametrize("text, verdict", [
    ("Uit de test blijkt dat u een introvert type bent.", True),
    ("Wij adviseren u een functie in de administratie.", True),
    ("U bent geschikt voor een job als planner.", True),
    ("Ik koos zelf om eerst een informatiegesprek te doen.", False),
])
def test_voice_verdict(text: str, verdict: bool) -> None:
    assert is_verdict(text) is verdict


@pytest.mark.parametrize("heading, section", [
    # fmt: off
    ("2. Mijn loopbaanvraag", "loopbaanvraag"),
    ("WAARMEE KWAM JE?", "loopbaanvraag"),
    ("Actieplan", "actieplan"),
    ("Mijn volgende stappen", "actieplan"),
    ("Evolutie van mijn competenties", "evolutie"),
    ("Resultaten van de MBTI", "testresultaten"),
    ("§3 Wat ik ontdekte over mezelf", "inzichten"),
    ("Bijlage 2: zelfscores", "evolutie"),
    ("Handtekeningen", "afsluiting"),
    # fmt: on
])
def test_sections_canonical(heading: str, section: str) -> None:
    assert canonical_section(heading) == section


def test_sections_form_label() -> None:
    assert form_label("Loopbaanvraag bij start: Ik wil weten of ik kan overstappen.") == (
        "Loopbaanvraag bij start", "Ik wil weten of ik kan overstappen.")
    assert form_label("Dit is een gewone zin zonder label.") is None


@pytest.mark.parametrize("text, found", [
    ("Tegen 31/03 neem ik contact op met de hogeschool.", True),
    ("Eind april loop ik een dag mee.", True),
    ("Na de zomer schrijf ik me in.", True),
    ("Binnen twee weken bel ik mijn oud-collega.", True),
    ("Ik denk er verder over na.", False),
])
def test_timex(text: str, found: bool) -> None:
    assert has_timex(text) is found


def test_scores_from_table_and_text() -> None:
    rows = [["Competentie", "Start", "Einde"], ["Kwaliteitenreflectie", "4", "7"], ["Netwerken", "3/10", "6/10"]]
    pairs = pairs_from_table(rows)
    assert [(p.label, p.before, p.after) for p in pairs] == [("Kwaliteitenreflectie", 4, 7), ("Netwerken", 3, 6)]
    assert pairs_from_text("Netwerken: 3 → 6")[0].after == 6


@pytest.mark.parametrize("row, single", [
    # fmt: off
    (["Wat kan ik?", "7"], True),                         # the score at the end only
    (["Netwerken", "6/10", "ik durf nu te bellen"], True),
    (["Wat kan ik?", "3", "7"], False),                   # a before/after pair
    (["Thema", "Score nu (op 10)"], False),               # the header
    (["7"], False),                                       # a number without a label
    # fmt: on
])
def test_scores_single_score_rows_are_a_current_picture(row: list[str], single: bool) -> None:
    assert single_score_row(row) is single


@pytest.fixture(scope="module")
def full_nlp() -> spacy.language.Language:
    import pop_review.nlp.components  # noqa: F401

    n = spacy.blank("nl")
    n.add_pipe("sentencizer")
    for c in ("pop_sections", "pop_cues", "pop_voice", "pop_actions", "pop_scores"):
        n.add_pipe(c)
    return n


@pytest.mark.parametrize("text, owner, dated", [
    # fmt: off
    ("Tegen eind maart neem ik contact op met de hogeschool.", "client", True),
    ("Vragen aan de instructeur of ik mag meedraaien | januari 2018 | ik + instructeur", "client", True),
    ("De begeleider stuurt tegen volgende week de beroepenlijst door.", "counsellor", True),
    ("Ik schrijf me in voor de opleiding.", "client", False),
    # fmt: on
])
def test_actions_owner_and_date(full_nlp: spacy.language.Language, text: str, owner: str, dated: bool) -> None:
    actions = full_nlp(text)._.pop_actions
    assert actions, text
    assert actions[0].owner == owner
    assert (actions[0].timex is not None) is dated


def test_actions_negated_plan_is_not_an_action(full_nlp: spacy.language.Language) -> None:
    assert full_nlp("Er werd geen actieplan opgesteld.")._.pop_actions == []


def test_scores_component_reads_arrows(full_nlp: spacy.language.Language) -> None:
    pairs = full_nlp("Netwerken: 3 → 6. Zelfkennis van 4 naar 8.")._.pop_scores
    assert [(p.before, p.after) for p in pairs] == [(3, 6), (4, 8)]


def test_sections_component_heading_and_label(full_nlp: spacy.language.Language) -> None:
    assert full_nlp("3. Mijn actieplan")._.pop_section == "actieplan"
    assert full_nlp("Loopbaanvraag bij start: ik wil weten of ik kan overstappen.")._.pop_label[1] == "loopbaanvraag"
    assert full_nlp("Ik ging naar de bakker en kocht brood.")._.pop_label is None


@pytest.mark.parametrize(("text", "n_sentences"), [
    ("Loopbaancheque 1 (4 uur), chequenr. 2301-886-4410 werd gebruikt. Begeleider: Pieter.", 2),
    ("Klantnr. 2231 staat op de factuur.", 1),
    ("Ik sprak met dhr. Peeters over de job. Hij was tevreden.", 2),
])
def test_sentences_do_not_break_after_abbreviations(text: str, n_sentences: int) -> None:
    from pop_review.config import Settings
    from pop_review.nlp.pipeline import load_nlp

    # the project's pipeline (statistical senter): a quote that starts at a bare cheque number has
    # lost the label that marks it as personal data
    assert len(list(load_nlp(Settings())(text).sents)) == n_sentences
