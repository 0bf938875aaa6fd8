"""Validate the POP corpus labels against the texts and the contract's verdict rule.

Usage: ``python corpora/pop/tools/check.py [ID ...]`` — prints one line per problem and exits 1 if any.
Used by the corpus writers while writing and by ``tests/test_corpus.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CRITERIA = ("career_question", "competences", "tailored", "development_plan", "action_plan")
BLOCKING = {"test_only", "advice_only", "application_only", "excluded_context", "employer_initiated"}
FLAGS = BLOCKING | {"out_of_scope", "template_copy"}
PII_TYPES = {"NAAM", "INSZ", "ADRES", "TELEFOON", "EMAIL", "GEBOORTEDATUM", "IBAN", "NUMMER"}
KINDS = {"compliant", "test_only", "advice_only", "application_only", "excluded_context",
         "employer_initiated", "out_of_scope", "partial", "template_copy"}


def expected_verdict(criteria: dict[str, bool], flags: list[str]) -> str:
    """The contract's verdict rule."""
    if BLOCKING & set(flags):
        return "non_compliant"
    if all(criteria.values()) and not flags:
        return "compliant"
    return "review"


def plain_text(markup: str) -> str:
    """The text with markup removed, the way quotes are matched (whitespace folded)."""
    lines = []
    for line in markup.splitlines():
        s = line.strip()
        if s.startswith("@header:") or s.startswith("@footer:"):
            s = s.split(":", 1)[1]
        s = re.sub(r"^#{1,3}\s+", "", s)
        s = re.sub(r"^[-*•]\s+", "", s)
        s = re.sub(r"^\d+[.)]\s+", "", s)
        if s.startswith("|"):
            s = " \n ".join(c.strip() for c in s.strip("|").split("|"))
        lines.append(s)
    return re.sub(r"[ \t]+", " ", "\n".join(lines))


def fold(s: str) -> str:
    """Fold whitespace so quotes spanning line breaks still match."""
    return re.sub(r"\s+", " ", s).strip()


def check_one(doc_id: str) -> list[str]:
    """All problems of one document."""
    problems: list[str] = []
    lab_path, doc_path = ROOT / "labels" / f"{doc_id}.json", ROOT / "docs" / f"{doc_id}.txt"
    if not doc_path.exists():
        return [f"{doc_id}: docs/{doc_id}.txt missing"]
    try:
        lab = json.loads(lab_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{doc_id}: labels unreadable: {exc}"]
    text = fold(plain_text(doc_path.read_text(encoding="utf-8")))
    words = len(text.split())
    if not 150 <= words <= 2000:
        problems.append(f"{doc_id}: {words} words (expected 250-1600)")
    if lab.get("id") != doc_id:
        problems.append(f"{doc_id}: id field is {lab.get('id')!r}")
    crit = lab.get("criteria", {})
    if set(crit) != set(CRITERIA) or not all(isinstance(v, bool) for v in crit.values()):
        problems.append(f"{doc_id}: criteria must have exactly {CRITERIA} as booleans")
        return problems
    flags = lab.get("flags", [])
    if not set(flags) <= FLAGS:
        problems.append(f"{doc_id}: unknown flags {set(flags) - FLAGS}")
    if lab.get("kind") not in KINDS:
        problems.append(f"{doc_id}: unknown kind {lab.get('kind')!r}")
    if lab.get("verdict") != expected_verdict(crit, flags):
        problems.append(f"{doc_id}: verdict {lab.get('verdict')} but rule gives {expected_verdict(crit, flags)}")
    if ("template_copy" in flags) != bool(lab.get("template_group")):
        problems.append(f"{doc_id}: template_copy flag and template_group must go together")
    ev = lab.get("evidence", {})
    needed = [c for c in CRITERIA if crit[c]] + [f for f in flags if f != "template_copy"]
    for key in needed:
        if not ev.get(key):
            problems.append(f"{doc_id}: no evidence for {key}")
    for key, quotes in ev.items():
        for q in quotes:
            if not 5 <= len(q) <= 300:
                problems.append(f"{doc_id}: evidence {key} quote length {len(q)}: {q[:40]!r}")
            if fold(q) not in text:
                problems.append(f"{doc_id}: evidence {key} not in text: {q[:60]!r}")
    for item in lab.get("pii", []):
        if item.get("type") not in PII_TYPES:
            problems.append(f"{doc_id}: unknown pii type {item.get('type')!r}")
        if fold(item.get("text", "")) not in text:
            problems.append(f"{doc_id}: pii not in text: {item.get('text')!r}")
    return problems


def main(argv: list[str]) -> int:
    """Check the given ids, or every labelled document."""
    ids = argv or sorted(p.stem for p in (ROOT / "labels").glob("*.json"))
    problems = [p for i in ids for p in check_one(i)]
    orphans = {p.stem for p in (ROOT / "docs").glob("*.txt")} - {p.stem for p in (ROOT / "labels").glob("*.json")}
    problems += [f"{o}: text without labels" for o in sorted(orphans) if not argv]
    for p in problems:
        print(p)
    print(f"{len(ids)} documents checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
