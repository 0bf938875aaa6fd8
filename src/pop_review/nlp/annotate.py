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
from pop_review.nlp.scores import ScorePair, pairs_from_table, single_score_row
from pop_review.nlp.sections import canonical_section


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
    action_owner: str | None = None
    """Owner of the action in this sentence (client, counsellor, employer, unknown), None if no action."""

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
    single_score_rows: int = 0
    """Table rows holding one score beside their label: a picture of now, not a before and after."""

    def in_section(self, *names: str) -> list[Sentence]:
        """Sentences in any of the named canonical sections."""
        return [s for s in self.sentences if s.section in names]


@dataclass(slots=True)
class _Unit:
    text: str
    page: int
    kind: str
    row_section: str | None = None  # a two-column form table's row label section


def _units(doc: Document) -> tuple[list[_Unit], list[ScorePair], Counter[str], int]:
    units: list[_Unit] = []
    scores: list[ScorePair] = []
    table_sections: Counter[str] = Counter()
    single = 0
    for block in doc.blocks:
        if block.kind == "table":
            scores.extend(pairs_from_table(block.rows))
            single += sum(single_score_row(row) for row in block.rows)
            for row in block.rows:
                text = " | ".join(c for c in row if c)
                if not text:
                    continue
                # a two-column form table ("Loopbaanvraag | Ik wil …") labels its own rows
                row_section = None
                if len(row) >= 2 and row[0] and len(row[0]) < 60:
                    sec = canonical_section(row[0])
                    if sec != "overig":
                        row_section = sec
                        table_sections[sec] += 1
                units.append(_Unit(text, block.page, "table_row", row_section))
        else:
            units.append(_Unit(block.text, block.page, block.kind))
    return units, scores, table_sections, single


def annotate(doc: Document, nlp: Language) -> AnnotatedDocument:
    """Run the pipeline over a document's blocks and collect sentence records.

    The spaCy components read each block on its own (sections, cues, context, voice, actions, score
    arrows); this walk carries the section a heading opens to the blocks that follow it.
    """
    units, scores, sections, single = _units(doc)
    sentences: list[Sentence] = []
    section, heading = "begin", ""
    for unit, sdoc in zip(units, nlp.pipe([u.text for u in units], batch_size=64), strict=True):
        unit_section = section
        if unit.kind == "heading":
            heading = unit.text
            section = unit_section = sdoc._.pop_section or canonical_section(unit.text)
            sections[section] += 1
        elif unit.kind == "table_row":
            unit_section = unit.row_section or section
        else:
            if sdoc._.pop_label is not None:
                unit_section = sdoc._.pop_label[1]
                sections[unit_section] += 1
            scores.extend(sdoc._.pop_scores or [])
        infos = sdoc._.pop_sentences or []
        by_sent: dict[int, list[Cue]] = {}
        for cue in sdoc._.pop_cues or []:
            by_sent.setdefault(cue.sent, []).append(cue)
        owners = {a.sent: a.owner for a in sdoc._.pop_actions or []}
        for si, info in enumerate(infos):
            text = sdoc.text[info.start_char:info.end_char].strip()
            if not text:
                continue
            sentences.append(Sentence(len(sentences), text, unit.page, unit_section, heading, unit.kind,
                                      info.voice, info.verdict, info.timex, by_sent.get(si, []),
                                      owners.get(si)))
    return AnnotatedDocument(doc, sentences, sections, scores, single)
