"""Train the project's Dutch spaCy pipeline from the Universal Dependencies Dutch treebanks.

The recipe has three steps, each a function:

``prepare(out_dir)``
    Reads the CoNLL-U files committed under ``corpora/ud/original``, harmonises the old (2017)
    training files to the current UD annotation style, splits the current dev files into a dev
    part (early stopping) and a held-out test part by document id, and writes CoNLL-U files and
    spaCy DocBins (``train.spacy``, ``dev.spacy``, ``test.spacy``).
``train(out_dir, ...)``
    Runs ``spacy train`` with the committed config ``corpora/ud/nl_ud.cfg``.
``evaluate(model_dir, test_path)``
    Scores a trained pipeline on the held-out test DocBin.

``run(out_dir)`` does all three and copies the best model to ``out_dir``. Rebuild with::

    python -m pop_review.training.ud --out models/nl_pop_ud
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CONFIG_PATH",
    "CORPUS_DIR",
    "Lexicon",
    "Sentence",
    "Token",
    "evaluate",
    "harmonise_current",
    "harmonise_old",
    "is_heldout",
    "join_compound_lemma",
    "parse_conllu",
    "prepare",
    "read_conllu",
    "run",
    "train",
    "write_conllu",
]

REPO_ROOT = Path(__file__).resolve().parents[3]
CORPUS_DIR = REPO_ROOT / "corpora" / "ud"
CONFIG_PATH = CORPUS_DIR / "nl_ud.cfg"
ORIGINAL_DIR = CORPUS_DIR / "original"
HARMONISED_DIR = CORPUS_DIR / "harmonised"

#: Current-style (UD 2.16) files: official test files are used for training.
CURRENT_TRAIN = ("nl_alpino-ud-test.conllu", "nl_lassysmall-ud-test.conllu")
#: Current-style dev files, split by document into dev (early stopping) and held-out test.
CURRENT_DEV = ("nl_alpino-ud-dev.conllu", "nl_lassysmall-ud-dev.conllu")
#: Old-style files (2017) that are harmonised before training.
OLD_TRAIN = ("nl-ud-train.conllu", "nl_lassysmall-ud-train.conllu")

SENTENCES_PER_DOC = 10

POSSESSIVE_PERSON = {
    "mijn": "1",
    "m'n": "1",
    "ons": "1",
    "onze": "1",
    "jouw": "2",
    "je": "2",
    "uw": "2",
    "jullie": "2",
    "zijn": "3",
    "z'n": "3",
    "haar": "3",
    "d'r": "3",
    "hun": "3",
}
REFLEXIVES = {"zich", "me", "mij", "je", "ons", "jullie"}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "...", "'s"}
_NO_SPACE_AFTER = {"(", "[", "{"}


@dataclass
class Token:
    """One syntactic word of a CoNLL-U sentence (multiword ranges and empty nodes are dropped)."""

    id: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int
    deprel: str
    misc: str = "_"

    @property
    def space_after(self) -> bool:
        """Whether the word is followed by a space (``SpaceAfter=No`` absent from MISC)."""
        return "SpaceAfter=No" not in self.misc.split("|")


@dataclass
class Sentence:
    """A CoNLL-U sentence with its comment lines."""

    sent_id: str
    tokens: list[Token]
    comments: list[str] = field(default_factory=list)

    @property
    def forms(self) -> tuple[str, ...]:
        """The word forms, used to find the same sentence in two files."""
        return tuple(t.form for t in self.tokens)

    @property
    def doc_id(self) -> str:
        """The source document of the sentence (``wiki-1181`` for ``wiki-1181.p.10.s.1``)."""
        base = re.split(r"[\\/]", self.sent_id)[-1]
        base = re.sub(r"\.xml$", "", base)
        return base.split(".p.")[0] if ".p." in base else base.split(".")[0]

    def children(self, token: Token) -> list[Token]:
        """Return the dependents of ``token``."""
        return [t for t in self.tokens if t.head == token.id]


def parse_conllu(text: str) -> list[Sentence]:
    """Parse CoNLL-U text.

    Parameters
    ----------
    text
        The file content.

    Returns
    -------
    list[Sentence]
        Sentences; a missing ``sent_id`` falls back to the first comment (the 2017 LassySmall
        file has ``# wiki-659.p.13.s.1.xml``) or the ordinal.
    """
    sentences: list[Sentence] = []
    comments: list[str] = []
    tokens: list[Token] = []

    def flush() -> None:
        nonlocal comments, tokens
        if tokens:
            sent_id = ""
            for c in comments:
                if c.startswith("# sent_id ="):
                    sent_id = c.split("=", 1)[1].strip()
            if not sent_id and comments:
                sent_id = comments[0].lstrip("# ").strip()
            sentences.append(Sentence(sent_id or str(len(sentences) + 1), tokens, comments))
        comments, tokens = [], []

    for line in text.splitlines():
        if not line.strip():
            flush()
        elif line.startswith("#"):
            comments.append(line)
        else:
            cols = line.split("\t")
            if len(cols) != 10 or not cols[0].isdigit():
                continue
            tokens.append(
                Token(
                    int(cols[0]),
                    cols[1],
                    cols[2],
                    cols[3],
                    cols[4],
                    cols[5],
                    int(cols[6]) if cols[6].isdigit() else 0,
                    cols[7],
                    cols[9],
                )
            )
    flush()
    return sentences


def read_conllu(path: Path) -> list[Sentence]:
    """Read a CoNLL-U file; see :func:`parse_conllu`."""
    return parse_conllu(Path(path).read_text(encoding="utf-8"))


def sentence_text(sentence: Sentence) -> str:
    """Rebuild the sentence text from the forms and ``SpaceAfter``."""
    return "".join(t.form + (" " if t.space_after else "") for t in sentence.tokens).rstrip()


def write_conllu(sentences: Iterable[Sentence], path: Path) -> None:
    """Write sentences as CoNLL-U (enhanced dependencies blanked)."""
    lines: list[str] = []
    for s in sentences:
        lines.extend(c for c in s.comments if not c.startswith("# text ="))
        if not any(c.startswith("# sent_id =") for c in s.comments):
            lines.append(f"# sent_id = {s.sent_id}")
        lines.append(f"# text = {sentence_text(s)}")
        for t in s.tokens:
            lines.append(
                "\t".join(
                    [
                        str(t.id),
                        t.form,
                        t.lemma,
                        t.upos,
                        t.xpos or "_",
                        t.feats or "_",
                        str(t.head),
                        t.deprel,
                        "_",
                        t.misc or "_",
                    ]
                )
            )
        lines.append("")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- harmonisation -----------------------------------------------------------------------------


def _feats(feats: str) -> dict[str, str]:
    if feats in ("", "_"):
        return {}
    return dict(f.split("=", 1) for f in feats.split("|") if "=" in f)


def _feats_str(feats: dict[str, str]) -> str:
    return (
        "|".join(f"{k}={v}" for k, v in sorted(feats.items(), key=lambda kv: kv[0].lower())) or "_"
    )


def join_compound_lemma(form: str, lemma: str, upos: str) -> str:
    """Join an Alpino compound lemma (``verzekering_maatschappij``) into one word.

    Verbs and adverbs join their parts directly (``af_lopen`` -> ``aflopen``). Other words keep
    the linking morpheme the surface form shows (``verzekering_maatschappij`` with form
    *verzekeringsmaatschappijen* -> ``verzekeringsmaatschappij``; ``boek_kast`` with *boekenkast*
    -> ``boekenkast``; a hyphen in the form is kept).

    Parameters
    ----------
    form, lemma, upos
        The word's surface form, its Alpino lemma and its UPOS.

    Returns
    -------
    str
        The joined lemma; ``lemma`` unchanged if it has no ``_`` between letters.
    """
    if "_" not in lemma or lemma.strip("_") != lemma or lemma == form:
        return lemma
    parts = lemma.split("_")
    if upos in ("VERB", "AUX", "ADV", "ADP"):
        return "".join(parts)
    prefix, head = "".join(parts[:-1]), parts[-1]
    low_form = form.lower()
    if low_form.startswith(prefix.lower()):
        rest = low_form[len(prefix) :]
        for k in (3, 2, 1):
            stem = head[:k].lower()
            for link in ("", "s", "-", "e", "en", "er", "es"):
                if rest.startswith(link) and rest[len(link) :].startswith(stem):
                    return prefix + form[len(prefix) : len(prefix) + len(link)] + head
    # Spelling with spaces or changed parts (e.g. ``'s_avonds``): keep the parts together.
    if " " in form:
        return " ".join(parts)
    return "".join(parts)


@dataclass
class Lexicon:
    """Statistics from current-style training data that steer the data-driven harmonisation.

    Attributes
    ----------
    feats
        ``(lowercased form, UPOS)`` -> counts of FEATS strings.
    xpos
        ``(lowercased form, UPOS, FEATS)`` -> counts of XPOS tags.
    obl_arg
        ``(head lemma, preposition)`` -> counts of ``obl`` vs ``obl:arg``.
    reflexive
        Verb lemma -> counts of the relation of its reflexive ``zich`` (``expl:pv`` vs ``obj``).
    capitalised
        Lemmas seen with a capital letter away from the start of a sentence.
    """

    feats: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    xpos: dict[tuple[str, str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    obl_arg: dict[tuple[str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    reflexive: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    capitalised: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, sentences: Iterable[Sentence]) -> Lexicon:
        """Collect the statistics from (already harmonised) current-style sentences."""
        lex = cls()
        for s in sentences:
            by_id = {t.id: t for t in s.tokens}
            for i, t in enumerate(s.tokens):
                key = (t.form.lower(), t.upos)
                lex.feats[key][t.feats] += 1
                if t.xpos not in ("", "_"):
                    lex.xpos[(*key, t.feats)][t.xpos] += 1
                head = by_id.get(t.head)
                if head is not None and t.deprel in ("obl", "obl:arg"):
                    for prep in _case_markers(s, t):
                        lex.obl_arg[(head.lemma, prep)][t.deprel] += 1
                if head is not None and t.lemma == "zich" and t.deprel in ("expl:pv", "obj"):
                    lex.reflexive[head.lemma][t.deprel] += 1
                if i > 0 and t.lemma[:1].isupper():
                    lex.capitalised.add(t.lemma)
        return lex

    def dominant(self, counts: Counter[str], share: float, minimum: int) -> str | None:
        """Return the most frequent value if it is frequent and dominant enough."""
        if not counts:
            return None
        value, n = counts.most_common(1)[0]
        total = sum(counts.values())
        return value if n >= minimum and n / total >= share else None


def _case_markers(sentence: Sentence, token: Token) -> list[str]:
    return [c.lemma.lower() for c in sentence.children(token) if c.deprel == "case"]


def strip_extpos_and_deps(sentence: Sentence) -> None:
    """Drop the ``ExtPos`` feature (enhanced dependencies are never kept by the reader)."""
    for t in sentence.tokens:
        feats = _feats(t.feats)
        if "ExtPos" in feats:
            del feats["ExtPos"]
            t.feats = _feats_str(feats)


def join_lemmas(sentence: Sentence) -> None:
    """Apply :func:`join_compound_lemma` to every word."""
    for t in sentence.tokens:
        t.lemma = join_compound_lemma(t.form, t.lemma, t.upos)


def rename_flat_name(sentence: Sentence) -> None:
    """``flat:name`` (UD 2.0) is plain ``flat`` now."""
    for t in sentence.tokens:
        if t.deprel == "flat:name":
            t.deprel = "flat"


def possessive_det_to_pron(sentence: Sentence) -> None:
    """Possessive determiners become ``PRON`` with ``Person``, ``Poss=Yes``, ``PronType=Prs``."""
    for t in sentence.tokens:
        xpos_poss = t.xpos.startswith("VNW|bez")
        person = POSSESSIVE_PERSON.get(t.form.lower()) or POSSESSIVE_PERSON.get(t.lemma.lower())
        if t.xpos not in ("", "_"):
            # The 2017 Alpino file tags them PRON (without Poss) attached as det; XPOS decides.
            if not xpos_poss or t.upos not in ("DET", "PRON"):
                continue
            person = _feats(t.feats).get("Person", person)
        elif t.upos != "DET" and not (t.upos == "PRON" and t.deprel == "det"):
            continue
        if person is None:
            continue
        feats = _feats(t.feats)
        feats.update({"Person": person, "Poss": "Yes", "PronType": "Prs"})
        t.upos, t.feats = "PRON", _feats_str(feats)
        if t.deprel == "det":
            t.deprel = "nmod:poss"


def _is_passive(sentence: Sentence, head: Token) -> bool:
    kids = sentence.children(head)
    if any(k.deprel in ("aux:pass", "nsubj:pass", "csubj:pass") for k in kids):
        return True
    participle = "VerbForm=Part" in head.feats or head.xpos.startswith("WW|vd")
    return participle and head.deprel in ("acl", "amod", "advcl", "xcomp")


_PREDICATE_KEEPS = {
    "det",
    "amod",
    "nmod",
    "nmod:poss",
    "case",
    "nummod",
    "flat",
    "fixed",
    "compound",
    "appos",
    "acl",
    "acl:relcl",
    "conj",
    "cc",
    "cc:preconj",
    "clf",
}


def copula_verbs_to_heads(sentence: Sentence) -> None:
    """Only *zijn* is a copula now: *worden*, *blijven*, *heten* … head their predicate (xcomp).

    The 2017 files attach ``worden groot`` as ``cop``; current files make the verb the clause
    head (``VERB``) with the predicate as ``xcomp``. Clause-level dependents of the predicate move
    to the verb; nominal ones (determiners, modifiers, conjuncts) stay with the predicate.
    """
    by_id = {t.id: t for t in sentence.tokens}
    for c in sentence.tokens:
        if c.deprel != "cop" or c.lemma == "zijn":
            continue
        pred = by_id.get(c.head)
        if pred is None:
            continue
        c.upos, c.head, c.deprel = "VERB", pred.head, pred.deprel
        pred.head, pred.deprel = c.id, "xcomp"
        for t in sentence.tokens:
            if t.head != pred.id or t is c or t.deprel in _PREDICATE_KEEPS:
                continue
            if t.deprel == "advmod" and t.id == pred.id - 1:
                continue  # degree modifier right before the predicate: "erg groot"
            t.head = c.id


def passive_door_agent(sentence: Sentence) -> None:
    """An ``obl`` marked by *door* under a passive verb is the agent: ``obl:agent``."""
    by_id = {t.id: t for t in sentence.tokens}
    for t in sentence.tokens:
        head = by_id.get(t.head)
        if (
            t.deprel == "obl"
            and head is not None
            and "door" in _case_markers(sentence, t)
            and _is_passive(sentence, head)
        ):
            t.deprel = "obl:agent"


def reflexive_expl_pv(sentence: Sentence, lexicon: Lexicon | None = None) -> None:
    """Reflexive clitics of inherently reflexive verbs are ``expl:pv``.

    An old ``expl`` on a reflexive pronoun always becomes ``expl:pv``. An old ``obj`` *zich*
    becomes ``expl:pv`` unless the current data attach that verb's *zich* as ``obj`` (current
    data use ``expl:pv`` for about three quarters of all *zich*).
    """
    by_id = {t.id: t for t in sentence.tokens}
    for t in sentence.tokens:
        if t.upos != "PRON" or t.form.lower() not in REFLEXIVES | {"zichzelf"}:
            continue
        if t.deprel == "expl" and t.form.lower() != "zichzelf":
            t.deprel = "expl:pv"
        elif t.deprel == "obj" and t.lemma == "zich" and lexicon is not None:
            head = by_id.get(t.head)
            if head is None or head.upos not in ("VERB", "AUX"):
                continue
            counts = lexicon.reflexive.get(head.lemma, Counter())
            if counts.get("obj", 0) <= counts.get("expl:pv", 0):
                t.deprel = "expl:pv"


def obl_to_obl_arg(sentence: Sentence, lexicon: Lexicon) -> None:
    """Prepositional complements (``obl:arg``, new since UD 2.2) by verb-preposition statistics."""
    by_id = {t.id: t for t in sentence.tokens}
    for t in sentence.tokens:
        head = by_id.get(t.head)
        if t.deprel != "obl" or head is None:
            continue
        for prep in _case_markers(sentence, t):
            counts = lexicon.obl_arg.get((head.lemma, prep))
            if counts and counts["obl:arg"] >= 2 and counts["obl:arg"] > counts["obl"]:
                t.deprel = "obl:arg"
                break


def lowercase_initial_lemma(sentence: Sentence, lexicon: Lexicon | None = None) -> None:
    """Lowercase the capitalised lemma of the first word unless it is a name.

    Kept: ``PROPN``, acronyms (``NK``) and lemmas that the current data capitalise elsewhere.
    """
    for t in sentence.tokens:
        if t.upos == "PUNCT":
            continue
        lemma = t.lemma
        if (
            t.upos != "PROPN"
            and lemma[:1].isupper()
            and not lemma[1:2].isupper()
            and (lexicon is None or lemma not in lexicon.capitalised)
        ):
            t.lemma = lemma[0].lower() + lemma[1:]
        break


def harmonise_feats_and_xpos(sentence: Sentence, lexicon: Lexicon) -> None:
    """Replace old FEATS by the current data's dominant FEATS for the same word and UPOS, and
    fill a missing XPOS where the current data tag the word unambiguously."""
    for t in sentence.tokens:
        key = (t.form.lower(), t.upos)
        feats = lexicon.dominant(lexicon.feats.get(key, Counter()), 0.9, 3)
        if feats is not None:
            t.feats = feats
        if t.xpos in ("", "_"):
            xpos = lexicon.dominant(lexicon.xpos.get((*key, t.feats), Counter()), 0.98, 5)
            t.xpos = xpos or "_"


def infer_spaces(sentence: Sentence) -> None:
    """Set ``SpaceAfter=No`` before closing punctuation for files that lost the text."""
    toks = sentence.tokens
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        no_space = nxt is None or nxt.form in _NO_SPACE_BEFORE or t.form in _NO_SPACE_AFTER
        if no_space and "SpaceAfter=No" not in t.misc:
            t.misc = "SpaceAfter=No" if t.misc in ("", "_") else t.misc + "|SpaceAfter=No"


def harmonise_current(sentence: Sentence) -> Sentence:
    """Convention changes applied to every file, old or current (including the test part).

    Joins compound lemmas and drops ``ExtPos``; enhanced dependencies are never kept.
    """
    strip_extpos_and_deps(sentence)
    join_lemmas(sentence)
    return sentence


def harmonise_old(sentence: Sentence, lexicon: Lexicon | None = None) -> Sentence:
    """Bring a sentence of the 2017 files to the current UD style.

    Parameters
    ----------
    sentence
        Parsed sentence; changed in place.
    lexicon
        Statistics from the current-style training data; without it the data-driven steps
        (``obl:arg``, reflexive ``obj`` -> ``expl:pv``, FEATS and XPOS) are skipped.

    Returns
    -------
    Sentence
        The same object.
    """
    if not any(c.startswith("# text =") for c in sentence.comments):
        infer_spaces(sentence)
    rename_flat_name(sentence)
    copula_verbs_to_heads(sentence)
    possessive_det_to_pron(sentence)
    passive_door_agent(sentence)
    reflexive_expl_pv(sentence, lexicon)
    harmonise_current(sentence)
    lowercase_initial_lemma(sentence, lexicon)
    if lexicon is not None:
        obl_to_obl_arg(sentence, lexicon)
        harmonise_feats_and_xpos(sentence, lexicon)
    return sentence


def is_heldout(sentence: Sentence) -> bool:
    """Whether a current dev sentence belongs to the held-out test part.

    Whole source documents go to one side, chosen by the parity of the SHA-1 of the document id,
    so the split is deterministic and no document's context leaks into model selection.
    """
    return hashlib.sha1(sentence.doc_id.encode("utf-8")).digest()[0] % 2 == 0


# --- spaCy conversion --------------------------------------------------------------------------


def _group_docs(sentences: list[Sentence]) -> Iterator[list[Sentence]]:
    group: list[Sentence] = []
    for s in sentences:
        if group and (len(group) >= SENTENCES_PER_DOC or group[-1].doc_id != s.doc_id):
            yield group
            group = []
        group.append(s)
    if group:
        yield group


def to_docbin(sentences: list[Sentence], path: Path) -> int:
    """Write sentences as a spaCy DocBin, consecutive sentences of one source document per Doc.

    Missing XPOS becomes an empty tag, which spaCy's tagger treats as missing annotation.

    Returns
    -------
    int
        The number of Docs written.
    """
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("nl").vocab
    db = DocBin(store_user_data=False)
    n = 0
    for group in _group_docs(sentences):
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        pos: list[str] = []
        morphs: list[str] = []
        lemmas: list[str] = []
        heads: list[int] = []
        deps: list[str] = []
        for s in group:
            offset = len(words)
            for t in s.tokens:
                words.append(t.form)
                spaces.append(t.space_after)
                tags.append("" if t.xpos in ("", "_") else t.xpos)
                pos.append(t.upos)
                morphs.append("" if t.feats in ("", "_") else t.feats)
                lemmas.append(t.lemma)
                heads.append(offset + (t.head - 1 if t.head else t.id - 1))
                deps.append("ROOT" if t.deprel == "root" else t.deprel)
            spaces[-1] = True
        spaces[-1] = False
        doc = Doc(
            vocab,
            words=words,
            spaces=spaces,
            tags=tags,
            pos=pos,
            morphs=morphs,
            lemmas=lemmas,
            heads=heads,
            deps=deps,
        )
        db.add(doc)
        n += 1
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n


# --- the recipe --------------------------------------------------------------------------------


def prepare(out_dir: Path, source_dir: Path = ORIGINAL_DIR) -> dict[str, int]:
    """Harmonise, split and convert the treebanks.

    Parameters
    ----------
    out_dir
        Receives ``harmonised/*.conllu``, ``train.conllu``, ``dev.conllu``, ``test.conllu`` and
        the DocBins ``train.spacy``, ``dev.spacy``, ``test.spacy``.
    source_dir
        Folder with the original CoNLL-U files (``corpora/ud/original``).

    Returns
    -------
    dict[str, int]
        Sentence counts per split and the number of old sentences dropped as duplicates.
    """
    out_dir = Path(out_dir)
    current_train = [
        harmonise_current(s) for f in CURRENT_TRAIN for s in read_conllu(source_dir / f)
    ]
    current_dev = [harmonise_current(s) for f in CURRENT_DEV for s in read_conllu(source_dir / f)]
    lexicon = Lexicon.build(current_train)
    seen = {s.forms for s in current_train + current_dev}
    old: list[Sentence] = []
    dropped = 0
    for name in OLD_TRAIN:
        kept = []
        for s in read_conllu(source_dir / name):
            if s.forms in seen:
                dropped += 1
                continue
            seen.add(s.forms)
            kept.append(harmonise_old(s, lexicon))
        write_conllu(kept, out_dir / "harmonised" / name.replace(".conllu", ".harmonised.conllu"))
        old.extend(kept)
    dev = [s for s in current_dev if not is_heldout(s)]
    test = [s for s in current_dev if is_heldout(s)]
    splits = {"train": current_train + old, "dev": dev, "test": test}
    for name, sentences in splits.items():
        write_conllu(sentences, out_dir / f"{name}.conllu")
        to_docbin(sentences, out_dir / f"{name}.spacy")
    (out_dir / "test-sent-ids.txt").write_text(
        "\n".join(s.sent_id for s in test) + "\n", encoding="utf-8"
    )
    counts = {name: len(sentences) for name, sentences in splits.items()}
    counts["old_dropped_duplicates"] = dropped
    return counts


def train(
    out_dir: Path,
    corpus_dir: Path,
    *,
    config_path: Path = CONFIG_PATH,
    seed: int = 0,
    overrides: dict[str, object] | None = None,
) -> Path:
    """Train with spaCy.

    Parameters
    ----------
    out_dir
        spaCy's output folder (``model-best``, ``model-last``).
    corpus_dir
        Folder written by :func:`prepare`.
    config_path
        The committed config.
    seed
        Random seed (``system.seed``).
    overrides
        Further config overrides.

    Returns
    -------
    Path
        The ``model-best`` folder.
    """
    from spacy.cli.train import train as spacy_train

    import pop_review.nlp.tokenizer  # noqa: F401  (registers the tokenizer used by the config)

    settings: dict[str, object] = {
        "paths.train": str(Path(corpus_dir) / "train.spacy"),
        "paths.dev": str(Path(corpus_dir) / "dev.spacy"),
        "system.seed": seed,
    }
    settings.update(overrides or {})
    spacy_train(config_path, Path(out_dir), use_gpu=-1, overrides=settings)
    return Path(out_dir) / "model-best"


def evaluate(model_dir: Path, test_path: Path) -> dict[str, float]:
    """Score a pipeline on a DocBin, tokenising the raw text as in use.

    Parameters
    ----------
    model_dir
        A saved spaCy pipeline.
    test_path
        A ``.spacy`` DocBin with gold annotation.

    Returns
    -------
    dict[str, float]
        Percentages: ``upos``, ``xpos``, ``morph``, ``lemma``, ``uas``, ``las``, ``sent_f``.
    """
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    import pop_review.nlp.tokenizer  # noqa: F401

    nlp = spacy.load(model_dir)
    docs = list(DocBin().from_disk(test_path).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(d.text), d) for d in docs]
    scores = nlp.evaluate(examples)
    names = {
        "pos_acc": "upos",
        "tag_acc": "xpos",
        "morph_acc": "morph",
        "lemma_acc": "lemma",
        "dep_uas": "uas",
        "dep_las": "las",
        "sents_f": "sent_f",
    }
    return {short: round(100 * float(scores[key] or 0.0), 2) for key, short in names.items()}


def _install_model(best: Path, out_dir: Path, metrics: dict[str, float]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for child in out_dir.iterdir():
        if child.name != "MODEL_CARD.md":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(best, out_dir, dirs_exist_ok=True)
    meta_path = out_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        {
            "name": "pop_ud",
            "version": "1.0.0",
            "description": "Dutch tagger, morphologizer, lemmatizer, parser and senter for POP "
            "screening, trained on harmonised UD Dutch Alpino and LassySmall.",
            "license": "CC BY-SA 4.0",
            "sources": [
                {
                    "name": "UD Dutch-Alpino",
                    "url": "https://github.com/UniversalDependencies/UD_Dutch-Alpino",
                    "license": "CC BY-SA 4.0",
                },
                {
                    "name": "UD Dutch-LassySmall",
                    "url": "https://github.com/UniversalDependencies/UD_Dutch-LassySmall",
                    "license": "CC BY-SA 4.0",
                },
            ],
            "heldout_test": metrics,
        }
    )
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def default_work_dir(out_dir: Path) -> Path:
    """Folder for the corpus and spaCy's checkpoints of a run writing to ``out_dir``."""
    return REPO_ROOT / "build" / f"ud-{Path(out_dir).name}"


def run(out_dir: Path, *, seed: int = 0, work_dir: Path | None = None) -> dict[str, float]:
    """Prepare, train, evaluate on the held-out test and install the best model in ``out_dir``.

    Parameters
    ----------
    out_dir
        Where the trained pipeline goes (``models/nl_pop_ud``); a ``MODEL_CARD.md`` there is kept.
    seed
        Training seed.
    work_dir
        Intermediate files; defaults to ``build/ud-<out_dir name>`` (git-ignored).

    Returns
    -------
    dict[str, float]
        Held-out metrics (see :func:`evaluate`).
    """
    out_dir = Path(out_dir)
    work = Path(work_dir) if work_dir else default_work_dir(out_dir)
    prepare(work / "corpus")
    best = train(work / "training", work / "corpus", seed=seed)
    metrics = evaluate(best, work / "corpus" / "test.spacy")
    _install_model(best, out_dir, metrics)
    return metrics


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m pop_review.training.ud --out models/nl_pop_ud``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "models" / "nl_pop_ud")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None, help="folder for intermediate files")
    parser.add_argument("--prepare-only", action="store_true", help="only write the corpus")
    args = parser.parse_args(argv)
    # One BLAS thread: the recorded run used one, and float sums differ with more.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if args.prepare_only:
        work = args.work or default_work_dir(args.out)
        print(json.dumps(prepare(work / "corpus"), indent=2))
        return 0
    print(json.dumps(run(args.out, seed=args.seed, work_dir=args.work), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
