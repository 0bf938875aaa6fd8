"""spaCy components for POP reading, registered as factories.

* ``pop_cues`` — lexicon cues per sentence (text and lemma matching, compounds), each qualified by the
  ConText rules (negated/hypothetical): ``Doc._.pop_cues``.
* ``pop_voice`` — who speaks in each sentence and whether it is an expert verdict, plus whether it holds
  a time expression: ``Doc._.pop_sentences`` (one ``SentenceInfo`` per sentence).
* ``pop_actions`` — dated or time-bound actions with their owner (client, counsellor, employer):
  ``Doc._.pop_actions`` (needs ``pop_cues`` and ``pop_voice`` before it).
* ``pop_scores`` — before/after self-scores written as arrows or "van 4 naar 7": ``Doc._.pop_scores``.
* ``pop_abbreviation_boundaries`` — no sentence starts right after an abbreviation such as ``chequenr.``
  or ``dhr.`` (the statistical senter, trained on newspaper Dutch, often splits there); runs after the
  senter.
* ``pop_sections`` — the canonical POP section a heading or form label opens: ``Doc._.pop_section``
  (None for body text); the document-level walk in ``annotate`` carries it to the following blocks.

The lexicons are data (``corpora/lexicons``), loaded once per process and not written into the config,
which keeps the components picklable for worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pop_review.nlp.context import qualify
from pop_review.nlp.lexicon import load_lexicons
from pop_review.nlp.scores import ScorePair, pairs_from_text
from pop_review.nlp.sections import canonical_section, form_label
from pop_review.nlp.timex import action_owner, find_timex, has_timex
from pop_review.nlp.tokenizer import ABBREVIATIONS
from pop_review.nlp.voice import is_verdict, voice


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue occurrence in a sentence."""

    entry: str
    category: str
    weight: float
    sent: int
    text: str
    negated: bool
    hypothetical: bool


@dataclass(frozen=True, slots=True)
class SentenceInfo:
    """Per-sentence reading: voice, verdict register, time expression."""

    start_char: int
    end_char: int
    voice: str
    verdict: bool
    timex: bool


for _name in ("pop_cues", "pop_sentences", "pop_actions", "pop_scores", "pop_section", "pop_label"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _token_index(offsets: list[tuple[int, int]], char: int) -> int:
    for i, (s, e) in enumerate(offsets):
        if s <= char < e or char < s:
            return i
    return max(0, len(offsets) - 1)


class CueMatcher:
    """Match the domain lexicons in every sentence and qualify each match."""

    def __init__(self, nlp: Language, name: str = "pop_cues", *, version: int = 1) -> None:
        self.name = name
        self.version = version

    def __call__(self, doc: Doc) -> Doc:
        entries = load_lexicons()
        cues: list[Cue] = []
        for si, sent in enumerate(_sents(doc)):
            toks = [t.lower_ for t in sent]
            offsets = [(t.idx - sent.start_char, t.idx - sent.start_char + len(t.text)) for t in sent]
            text = sent.text
            lemma_parts, lemma_offsets, pos = [], [], 0
            for t in sent:
                lem = (t.lemma_ or t.lower_).lower()
                lemma_parts.append(lem)
                lemma_offsets.append((pos, pos + len(lem)))
                pos += len(lem) + 1
            lemma_text = " ".join(lemma_parts)
            for entry in entries:
                if entry.requires is not None and not (entry.requires.search(text) or entry.requires.search(lemma_text)):
                    continue
                seen: set[tuple[int, int]] = set()
                for source, offs in ((text, offsets), (lemma_text, lemma_offsets)):
                    for m in entry.regex.finditer(source):
                        if m.end() == m.start():
                            continue
                        a = _token_index(offs, m.start())
                        b = max(a + 1, _token_index(offs, max(m.start(), m.end() - 1)) + 1)
                        if (a, b) in seen:
                            continue
                        seen.add((a, b))
                        ctx = qualify(toks, a, b)
                        cues.append(Cue(entry.id, entry.category, entry.weight, si,
                                        sent[a:b].text if b <= len(sent) else m.group(0),
                                        ctx.negated, ctx.hypothetical))
        doc._.pop_cues = cues
        return doc


class VoiceTagger:
    """Tag each sentence with voice, verdict register and time expression."""

    def __init__(self, nlp: Language, name: str = "pop_voice", *, version: int = 1) -> None:
        self.name = name
        self.version = version

    def __call__(self, doc: Doc) -> Doc:
        infos = []
        for sent in _sents(doc):
            toks = [t.lower_ for t in sent]
            infos.append(SentenceInfo(sent.start_char, sent.end_char, voice(toks, sent.text),
                                      is_verdict(sent.text), has_timex(sent.text)))
        doc._.pop_sentences = infos
        return doc


@dataclass(frozen=True, slots=True)
class Action:
    """A next step: the sentence, its time expression (or None) and its owner."""

    sent: int
    timex: str | None
    owner: str


class ActionFinder:
    """Find actions: sentences with an action cue (not negated) or a time expression, and their owner."""

    def __init__(self, nlp: Language, name: str = "pop_actions", *, version: int = 1) -> None:
        self.name = name
        self.version = version

    def __call__(self, doc: Doc) -> Doc:
        infos = doc._.pop_sentences or []
        action_sents = {c.sent for c in doc._.pop_cues or [] if c.category == "action" and not c.negated}
        actions = []
        for si, sent in enumerate(_sents(doc)):
            tx = find_timex(sent.text)
            voice_ = infos[si].voice if si < len(infos) else "none"
            owner = action_owner(sent.text, voice_)
            # a time-bound sentence with a known actor is a step even without an action word
            if si in action_sents or (tx and owner != "unknown"):
                actions.append(Action(si, tx, owner))
        doc._.pop_actions = actions
        return doc


class ScoreReader:
    """Read before/after self-scores written in text ("netwerken: 3 → 6")."""

    def __init__(self, nlp: Language, name: str = "pop_scores", *, version: int = 1) -> None:
        self.name = name
        self.version = version

    def __call__(self, doc: Doc) -> Doc:
        pairs: list[ScorePair] = pairs_from_text(doc.text)
        doc._.pop_scores = pairs
        return doc


class SectionTagger:
    """Read a text as a heading and as a form label ("Loopbaanvraag bij start: …").

    Sets ``Doc._.pop_section`` to the canonical section the text would open as a heading ("overig"
    when none matches) and ``Doc._.pop_label`` to ``(label, section)`` when it is a form label with a
    known section. Which reading applies depends on the block (heading or paragraph), which the
    document-level walk in ``annotate`` knows.
    """

    def __init__(self, nlp: Language, name: str = "pop_sections", *, version: int = 1,
                 max_heading_chars: int = 160) -> None:
        self.name = name
        self.version = version
        self.max_heading_chars = max_heading_chars

    def __call__(self, doc: Doc) -> Doc:
        doc._.pop_section = canonical_section(doc.text) if len(doc.text) <= self.max_heading_chars else None
        label = form_label(doc.text)
        doc._.pop_label = None
        if label is not None:
            sec = canonical_section(label[0])
            if sec != "overig":
                doc._.pop_label = (label[0], sec)
        return doc


# abbreviations that can end a sentence keep their boundary ("… cv, brief, enz. Daarna …")
_NO_BREAK_AFTER = frozenset(ABBREVIATIONS) - {"enz.", "etc."}


@Language.component("pop_abbreviation_boundaries")
def abbreviation_boundaries(doc: Doc) -> Doc:
    """Undo sentence starts the senter puts right after a known abbreviation."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_sent_start and prev.lower_ in _NO_BREAK_AFTER and "\n" not in prev.whitespace_:
            tok.is_sent_start = False
    return doc


def _sents(doc: Doc) -> list[Any]:
    try:
        return list(doc.sents)
    except ValueError:  # no sentence boundaries set: the whole text is one sentence
        return [doc[:]]


@Language.factory("pop_cues", default_config={"version": 1})
def make_cue_matcher(nlp: Language, name: str, version: int) -> CueMatcher:
    """Factory of the ``pop_cues`` component."""
    return CueMatcher(nlp, name, version=version)


@Language.factory("pop_voice", default_config={"version": 1})
def make_voice_tagger(nlp: Language, name: str, version: int) -> VoiceTagger:
    """Factory of the ``pop_voice`` component."""
    return VoiceTagger(nlp, name, version=version)


@Language.factory("pop_actions", default_config={"version": 1})
def make_action_finder(nlp: Language, name: str, version: int) -> ActionFinder:
    """Factory of the ``pop_actions`` component."""
    return ActionFinder(nlp, name, version=version)


@Language.factory("pop_scores", default_config={"version": 1})
def make_score_reader(nlp: Language, name: str, version: int) -> ScoreReader:
    """Factory of the ``pop_scores`` component."""
    return ScoreReader(nlp, name, version=version)


@Language.factory("pop_sections", default_config={"version": 1, "max_heading_chars": 160})
def make_section_tagger(nlp: Language, name: str, version: int, max_heading_chars: int) -> SectionTagger:
    """Factory of the ``pop_sections`` component."""
    return SectionTagger(nlp, name, version=version, max_heading_chars=max_heading_chars)
