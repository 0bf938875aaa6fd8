"""The library's one path: bytes → Document → AnnotatedDocument → Findings → verdict → report.

``Reviewer`` holds what is expensive to load (the spaCy pipeline, the ruleset, the learned weights) and
reviews one document at a time; it is created once per process (CLI, batch worker, API).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, replace
from typing import Any

from pop_review import __version__
from pop_review.config import Settings, get_settings
from pop_review.criteria.assessors import (
    CRITERIA,
    FLAGS,
    Finding,
    assess,
    load_calibration,
    load_weights,
)
from pop_review.criteria.competence_types import describe_types
from pop_review.criteria.features import extract
from pop_review.criteria.question_stage import describe_question
from pop_review.criteria.semantic import embed, load_heads, semantic_features
from pop_review.criteria.specificity import generic_question_veto
from pop_review.criteria.verdict import out_of_scope_first, priority, verdict
from pop_review.document import Document
from pop_review.ingest import load_bytes
from pop_review.nlp.annotate import AnnotatedDocument, Sentence, annotate
from pop_review.nlp.lexicon import lexicon_version
from pop_review.nlp.pipeline import load_nlp, model_version
from pop_review.privacy import Pseudonymiser

log = logging.getLogger("pop_review.review")


def display_name(name: str) -> str:
    """The file's own name: the last path part, also inside an archive (``a.zip!dir/b.pdf`` → ``b.pdf``)."""
    return name.split("!")[-1].replace("\\", "/").rsplit("/", 1)[-1]
SCHEMA_VERSION = "1"


@dataclass(slots=True)
class Review:
    """Everything one review produced (the report is its public, pseudonymised form)."""

    document: Document
    annotated: AnnotatedDocument
    features: dict[str, float]
    criteria: dict[str, Finding]
    flags: dict[str, Finding]
    report: dict[str, Any]
    pseudonymiser: Pseudonymiser
    """The document's placeholder mapping, so later steps (template fingerprints) reuse it."""


def _explain_question(finding: Finding, ad: AnnotatedDocument, sem: dict[int, dict[str, float]]) -> Finding:
    """``finding`` (career_question, met) with what made its best sentence the client's question."""
    scored = [i for i, v in sem.items() if v.get("career_question", 0.0) > 0.0]
    if not scored:
        return finding
    best = max(scored, key=lambda i: sem[i]["career_question"])
    order = sorted(sem)
    s = next(x for x in ad.sentences if x.index == best)
    why = describe_question(s, order.index(best) / max(len(order), 1))
    return replace(finding, explanation=f"{finding.explanation} De best passende zin (p. {s.page}) {why}.")


def _explain_competences(finding: Finding, types: dict[int, str]) -> Finding:
    """``finding`` (competences) with the competences its insight sentences speak of.

    GUIDE.md asks for more than one: a reviewer who reads "inzichtzinnen over: motieven" under a "met"
    knows what to check first.
    """
    n = len(set(types.values()))
    return replace(finding, explanation=f"{finding.explanation} Inzichtzinnen over: {describe_types(types)} "
                                        f"({n} van de 5 loopbaancompetenties).")


class Reviewer:
    """Review POPs with one loaded pipeline and ruleset."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.nlp = load_nlp(self.settings)
        self.ruleset = json.loads(self.settings.ruleset.read_text(encoding="utf-8"))
        self.weights_path = self.settings.models_dir / "criteria" / "weights.json"
        self.heads = load_heads(str(self.settings.models_dir / "criteria" / "sentence_heads.json"))
        self.encoder = self._load_encoder() if self.heads is not None else None
        self.learned = load_weights(str(self.weights_path), self.encoder is not None)
        self.calibration = load_calibration(str(self.weights_path), self.encoder is not None) if self.learned else {}
        self.versions = {
            "pop_review": __version__,
            "ruleset": self.ruleset["version"],
            "models": {"nlp": model_version(self.nlp), "lexicons": lexicon_version(),
                       "criteria": "learned-" + self._weights_version() if self.learned else "rules",
                       "embeddings": "multilingual-e5-small" if self.encoder is not None else "none"},
        }

    def _load_encoder(self) -> object | None:
        """The sentence encoder, or None (then the lexical-only models are used, and the report says so)."""
        if not self.settings.use_embeddings:
            return None
        try:
            from pop_review.embeddings.encoder import get_encoder

            return get_encoder(self.settings.models_dir / self.settings.embeddings_model,
                               int8=self.settings.embeddings_int8)
        except Exception as exc:  # a missing or broken model must not stop the review
            log.warning("embedding model unavailable (%s): lexical models only", type(exc).__name__)
            return None

    def _weights_version(self) -> str:
        try:
            return str(json.loads(self.weights_path.read_text(encoding="utf-8")).get("version", "0"))
        except (OSError, ValueError):
            return "0"

    def review_bytes(self, data: bytes, filename: str) -> Review:
        """Parse and review one document."""
        t0 = time.perf_counter()
        doc = load_bytes(data, filename, self.settings)
        return self.review_document(doc, t0)

    def review_document(self, doc: Document, t0: float | None = None,
                        timings: dict[str, float] | None = None) -> Review:
        """Review an already parsed document.

        ``timings``, when given, receives the seconds spent per stage (nlp, embed, assess, report): the
        benchmark reads them instead of re-implementing the stages.
        """
        t0 = t0 if t0 is not None else time.perf_counter()
        clock = [time.perf_counter()]

        def lap(stage: str) -> None:
            now = time.perf_counter()
            if timings is not None:
                timings[stage] = now - clock[0]
            clock[0] = now

        ad = annotate(doc, self.nlp)
        feats = extract(ad)
        lap("nlp")
        sem: dict[int, dict[str, float]] = {}
        types: dict[int, str] = {}
        if self.encoder is not None and self.heads is not None:
            sem, sem_feats, types = semantic_features(ad, embed(ad, self.encoder), self.heads)
            feats.update(sem_feats)
        lap("embed")
        # the lexical-only models (no embedding model) were tuned to their own thresholds
        lexical = self.encoder is None and bool(self.learned)
        th = self.ruleset.get("thresholds_lexical", {}) if lexical else {}
        th = {**self.ruleset["thresholds"], **th}
        rules = self.ruleset["rules"]

        def per_key(k: str) -> dict[int, float] | None:
            return {i: v[k] for i, v in sem.items()} if sem else None

        cal = self.calibration
        criteria = {k: assess(k, ad, feats, rules, self.learned, th[k], per_key(k), calib=cal.get(k))
                    for k in CRITERIA}
        if self.ruleset.get("generic_question_veto") and criteria["career_question"].positive:
            criteria["career_question"] = generic_question_veto(criteria["career_question"], ad)
        if criteria["career_question"].positive and sem:
            criteria["career_question"] = _explain_question(criteria["career_question"], ad, sem)
        if types:
            criteria["competences"] = _explain_competences(criteria["competences"], types)
        single = self.ruleset.get("single_cue_flags")
        flags = {k: assess(k, ad, feats, rules, self.learned, th[k], per_key(k), single, cal.get(k)) for k in FLAGS}
        flags = out_of_scope_first(flags, self.ruleset.get("out_of_scope_supersedes", []))
        lap("assess")
        pseudo = Pseudonymiser(doc.text)
        report = self._report(doc, ad, criteria, flags, pseudo)
        lap("report")
        log.info("reviewed sha256=%s pages=%d verdict=%s in %.0f ms", doc.sha256[:12], doc.pages,
                 report["verdict"], (time.perf_counter() - t0) * 1000)
        return Review(doc, ad, feats, criteria, flags, report, pseudo)

    def _report(self, doc: Document, ad: AnnotatedDocument, criteria: dict[str, Finding],
                flags: dict[str, Finding], pseudo: Pseudonymiser) -> dict[str, Any]:

        def section(s: Sentence) -> str:
            # a "heading" without a letter is a line of a broken table cell ("204417", x58_13), not a
            # title: the canonical section names the place instead
            if not any(ch.isalpha() for ch in s.heading):
                return s.section
            return pseudo(s.heading)[:80]

        # pseudonymise before cutting: a cut can split a name or number so that no recogniser sees it
        def ev(sents: list[Sentence]) -> list[dict[str, Any]]:
            return [{"text": pseudo(s.text)[:400], "page": s.page, "section": section(s)} for s in sents]

        crit = {k: {"met": f.positive, "score": f.score, "evidence": ev(f.evidence), "explanation": f.explanation}
                for k, f in criteria.items()}
        raised = [{"code": k, "score": f.score, "evidence": ev(f.evidence), "explanation": f.explanation}
                  for k, f in flags.items() if f.positive]
        met = {k: f.positive for k, f in criteria.items()}
        codes = [r["code"] for r in raised]
        return {
            "schema_version": SCHEMA_VERSION,
            "document": {"filename": display_name(doc.filename), "sha256": doc.sha256, "format": doc.format,
                         "pages": doc.pages, "words": doc.words, "ocr_pages": len(doc.ocr_pages), "language": "nl"},
            "criteria": crit,
            "flags": raised,
            "verdict": verdict(met, codes),
            "priority": priority({k: f.score for k, f in criteria.items()}, {k: f.score for k, f in flags.items()}),
            "versions": self.versions,
        }
