"""spaCy components for POP reading, registered as factories.

* ``pop_cues`` — lexicon cues per sentence (text and lemma matching, compounds), each qualified by the
  ConText rules (negated/hypothetical): ``Doc._.pop_cues``.
* ``pop_voice`` — who speaks in each sentence and whether it is an expert verdict, plus whether it holds
  a time expression: ``Span._.pop_voice``, ``Span._.pop_verdict``, ``Span._.pop_timex`` (set on
  ``doc.sents``, read back through ``Doc._.pop_sentences``).

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
from pop_review.nlp.timex import has_timex
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


for _name in ("pop_cues", "pop_sentences"):
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
