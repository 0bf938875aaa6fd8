"""Tests of the UD harmonisation recipe (fast) and of the shipped Dutch pipeline (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pop_review.training import ud

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "nl_pop_ud"

OLD_PASSIVE = """\
# sent_id = old-1.p.1.s.1
# text = Zijn boek werd door Jan Peeters geschreven.
1	Zijn	zijn	DET	_	_	2	det	_	_
2	boek	boek	NOUN	_	Gender=Neut|Number=Sing	6	nsubj:pass	_	_
3	werd	worden	AUX	_	Number=Sing|Tense=Past|VerbForm=Fin	6	aux:pass	_	_
4	door	door	ADP	_	_	5	case	_	_
5	Jan	Jan	PROPN	_	_	6	obl	_	_
6	Peeters	Peeters	PROPN	_	_	5	flat:name	_	_
7	geschreven	schrijven	VERB	_	VerbForm=Part	0	root	_	SpaceAfter=No
8	.	.	PUNCT	_	_	7	punct	_	_
"""

OLD_COMPOUND = """\
# wiki-1.p.2.s.3.xml
1	Verzekeringsmaatschappijen	Verzekering_maatschappij	NOUN	_	Number=Plur	2	nsubj	_	_
2	herinneren	herinneren	VERB	_	Number=Plur|Tense=Pres|VerbForm=Fin	0	root	_	_
3	zich	zich	PRON	_	Case=Acc|Person=3|PronType=Prs|Reflex=Yes	2	obj	_	_
4	het	het	PRON	_	_	2	expl	_	_
5	loopbaanadvies	loopbaan_advies	NOUN	_	ExtPos=NOUN|Gender=Neut	2	obj	2:obj	_
6	.	.	PUNCT	_	_	2	punct	_	_
"""


def test_join_compound_lemma_keeps_linking_morphemes() -> None:
    assert (
        ud.join_compound_lemma("verzekeringsmaatschappij", "verzekering_maatschappij", "NOUN")
        == "verzekeringsmaatschappij"
    )
    assert ud.join_compound_lemma("boekenkast", "boek_kast", "NOUN") == "boekenkast"
    assert ud.join_compound_lemma("bestuursleden", "bestuur_lid", "NOUN") == "bestuurslid"
    assert ud.join_compound_lemma("loopbaanvragen", "loopbaan_vraag", "NOUN") == "loopbaanvraag"
    assert ud.join_compound_lemma("afgelopen", "af_lopen", "VERB") == "aflopen"
    assert ud.join_compound_lemma("Oost-Europese", "Oost_Europees", "ADJ") == "Oost-Europees"
    assert ud.join_compound_lemma("huis", "huis", "NOUN") == "huis"


def test_harmonise_old_passive_possessive_and_names() -> None:
    (sentence,) = ud.parse_conllu(OLD_PASSIVE)
    ud.harmonise_old(sentence)
    tok = {t.id: t for t in sentence.tokens}
    assert (tok[1].upos, tok[1].deprel) == ("PRON", "nmod:poss")
    assert tok[1].feats == "Person=3|Poss=Yes|PronType=Prs"
    assert tok[1].lemma == "zijn"
    assert tok[5].deprel == "obl:agent"
    assert tok[6].deprel == "flat"
    assert tok[5].lemma == "Jan"  # names keep their capital


def test_harmonise_old_lemmas_reflexive_spacing_and_extpos() -> None:
    (sentence,) = ud.parse_conllu(OLD_COMPOUND)
    assert sentence.sent_id == "wiki-1.p.2.s.3.xml"
    assert sentence.doc_id == "wiki-1"
    ud.harmonise_old(sentence, ud.Lexicon())
    tok = {t.id: t for t in sentence.tokens}
    assert tok[1].lemma == "verzekeringsmaatschappij"  # joined and lowercased at sentence start
    assert tok[3].deprel == "expl:pv"
    assert tok[4].deprel == "expl"
    assert tok[5].lemma == "loopbaanadvies"
    assert tok[5].feats == "Gender=Neut"
    assert not tok[5].space_after  # no space before the final period
    assert ud.sentence_text(sentence).endswith("loopbaanadvies.")


def test_lexicon_driven_obl_arg_and_write_roundtrip(tmp_path: Path) -> None:
    current = ud.parse_conllu(
        "# sent_id = a.p.1.s.1\n"
        "1\tik\tik\tPRON\t_\t_\t2\tnsubj\t_\t_\n"
        "2\twacht\twachten\tVERB\t_\t_\t0\troot\t_\t_\n"
        "3\top\top\tADP\t_\t_\t4\tcase\t_\t_\n"
        "4\tjou\tjou\tPRON\t_\t_\t2\tobl:arg\t_\t_\n"
    )
    lexicon = ud.Lexicon.build(current * 2)
    (old,) = ud.parse_conllu(
        "# sent_id = b.p.1.s.1\n"
        "1\tWij\twij\tPRON\t_\t_\t2\tnsubj\t_\t_\n"
        "2\twachten\twachten\tVERB\t_\t_\t0\troot\t_\t_\n"
        "3\top\top\tADP\t_\t_\t4\tcase\t_\t_\n"
        "4\them\them\tPRON\t_\t_\t2\tobl\t_\t_\n"
    )
    ud.harmonise_old(old, lexicon)
    assert old.tokens[3].deprel == "obl:arg"
    path = tmp_path / "x.conllu"
    ud.write_conllu([old], path)
    (again,) = ud.read_conllu(path)
    assert again.forms == old.forms and again.tokens[3].deprel == "obl:arg"


def test_heldout_split_is_by_document() -> None:
    first, second = ud.parse_conllu(
        "# sent_id = wiki-7.p.1.s.1\n1\tA\ta\tNOUN\t_\t_\t0\troot\t_\t_\n\n"
        "# sent_id = wiki-7.p.9.s.4\n1\tB\tb\tNOUN\t_\t_\t0\troot\t_\t_\n"
    )
    assert ud.is_heldout(first) == ud.is_heldout(second)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    import pop_review.nlp.tokenizer  # noqa: F401

    if not (MODEL_DIR / "config.cfg").exists():
        pytest.skip("models/nl_pop_ud is not built")
    return spacy.load(MODEL_DIR)


@pytest.mark.slow
def test_lemmas_and_pos_of_pop_sentences(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Ik formuleerde mijn loopbaanvraag samen met mijn begeleider.")
    by_text = {t.text: t for t in doc}
    assert by_text["formuleerde"].lemma_ == "formuleren"
    assert by_text["formuleerde"].pos_ == "VERB"
    assert by_text["loopbaanvraag"].pos_ == "NOUN"
    assert by_text["Ik"].pos_ == "PRON"
    doc = nlp("Mijn competenties liggen vooral in communicatie en planning.")
    by_text = {t.text: t for t in doc}
    assert by_text["competenties"].lemma_ == "competentie"
    assert by_text["competenties"].pos_ == "NOUN"
    assert by_text["liggen"].lemma_ == "liggen"


@pytest.mark.slow
def test_sentence_splitting(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Ik werk al tien jaar als boekhouder. De laatste tijd twijfel ik aan mijn job. "
        "Daarom wil ik mijn talenten in kaart brengen."
    )
    sents = [s.text.strip() for s in nlp(text).sents]
    assert sents == [
        "Ik werk al tien jaar als boekhouder.",
        "De laatste tijd twijfel ik aan mijn job.",
        "Daarom wil ik mijn talenten in kaart brengen.",
    ]


@pytest.mark.slow
def test_tokenisation_of_flemish_abbreviations_dates_times_bullets(nlp) -> None:  # type: ignore[no-untyped-def]
    words = [t.text for t in nlp.make_doc("Op 12/03/2024 om 14u30 bespraken we bvb. mijn cv.")]
    assert "12/03/2024" in words and "14u30" in words and "bvb." in words
    words = [t.text for t in nlp.make_doc("•Sterktes: o.a. plannen\n- overleg met dhr. Peeters")]
    assert words[:2] == ["•", "Sterktes"]
    assert "o.a." in words and "dhr." in words and "-" in words
