"""Document → AnnotatedDocument: sentences with section, cues, context, voice and time expressions.

Each body block is one text for spaCy (so sentences never cross a heading, list item or table row);
table rows are separate units, read as sentences of their own. Sections come from headings and form
labels; score tables and arrow notations give the before/after self-scores.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language

from pop_review.document import Document
from pop_review.nlp.components import Cue
from pop_review.nlp.scores import ScorePair, pairs_from_table, pairs_from_text
from pop_review.nlp.sections import canonical_section, form_label


@dataclass(slots=True)
class Sentence:
    """One sentence (or table row) of the body, with everything the assessors read."""

    index: int
    text: str
    page: int
    section: str
    heading: str
    kind: str
    voice: str
    verdict: bool
    timex: bool
    cues: list[Cue] = field(default_factory=list)

    def categories(self, *, include_negated: bool = False) -> set[str]:
        """Cue categories present in the sentence (negated cues left out by default)."""
        return {c.category for c in self.cues if include_negated or not c.negated}


@dataclass(slots=True)
class AnnotatedDocument:
    """The document plus its sentences, sections and score pairs."""

    document: Document
    sentences: list[Sentence]
    sections: Counter[str]
    scores: list[ScorePair]

    def in_section(self, *names: str) -> list[Sentence]:
        """Sentences in any of the named canonical sections."""
        return [s for s in self.sentences if s.section in names]


@dataclass(slots=True)
class _Unit:
    text: str
    page: int
    section: str
    heading: str
    kind: str


def _units(doc: Document) -> tuple[list[_Unit], Counter[str], list[ScorePair]]:
    units: list[_Unit] = []
    sections: Counter[str] = Counter()
    scores: list[ScorePair] = []
    section, heading = "begin", ""
    for block in doc.blocks:
        if block.kind == "heading":
            heading = block.text
            section = canonical_section(block.text)
            sections[section] += 1
            units.append(_Unit(block.text, block.page, section, heading, "heading"))
        elif block.kind == "table":
            scores.extend(pairs_from_table(block.rows))
            row_section = section
            for row in block.rows:
                text = " | ".join(c for c in row if c)
                if not text:
                    continue
                # a two-column form table ("Loopbaanvraag | Ik wil …") labels its own rows
                if len(row) >= 2 and row[0] and len(row[0]) < 60:
                    label_sec = canonical_section(row[0])
                    if label_sec != "overig":
                        row_section = label_sec
                        sections[label_sec] += 1
                units.append(_Unit(text, block.page, row_section, heading, "table_row"))
                row_section = section
        else:
            unit_section = section
            label = form_label(block.text)
            if label is not None:
                sec = canonical_section(label[0])
                if sec != "overig":
                    unit_section = sec
                    sections[sec] += 1
            scores.extend(pairs_from_text(block.text))
            units.append(_Unit(block.text, block.page, unit_section, heading, block.kind))
    return units, sections, scores


def annotate(doc: Document, nlp: Language) -> AnnotatedDocument:
    """Run the pipeline over a document's blocks and collect sentence records."""
    units, sections, scores = _units(doc)
    sentences: list[Sentence] = []
    for unit, sdoc in zip(units, nlp.pipe([u.text for u in units], batch_size=64), strict=True):
        infos = sdoc._.pop_sentences or []
        by_sent: dict[int, list[Cue]] = {}
        for cue in sdoc._.pop_cues or []:
            by_sent.setdefault(cue.sent, []).append(cue)
        for si, info in enumerate(infos):
            text = sdoc.text[info.start_char:info.end_char].strip()
            if not text:
                continue
            sentences.append(Sentence(len(sentences), text, unit.page, unit.section, unit.heading,
                                      unit.kind, info.voice, info.verdict, info.timex, by_sent.get(si, [])))
    return AnnotatedDocument(doc, sentences, sections, scores)
