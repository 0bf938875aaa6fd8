"""The contract's verdict rule and the auditor's priority.

``non_compliant`` when any flag with that effect is raised; ``compliant`` when all five criteria are met
and no flag is raised; ``review`` otherwise. Priority orders an auditor's work: the most likely
non-compliant first — the strongest blocking flag, then how many criteria fail and by how much.
"""

from __future__ import annotations

BLOCKING = frozenset({"test_only", "advice_only", "application_only", "excluded_context", "employer_initiated"})


def verdict(criteria: dict[str, bool], flags: list[str]) -> str:
    """``compliant``, ``review`` or ``non_compliant``."""
    if BLOCKING & set(flags):
        return "non_compliant"
    if all(criteria.values()) and not flags:
        return "compliant"
    return "review"


def priority(criteria_scores: dict[str, float], flag_scores: dict[str, float]) -> float:
    """0–1: likelihood that the POP is non-compliant, for ordering reviews."""
    blocking = max((s for k, s in flag_scores.items() if k in BLOCKING), default=0.0)
    missing = sum(1.0 - s for s in criteria_scores.values()) / max(1, len(criteria_scores))
    other = max((s for k, s in flag_scores.items() if k not in BLOCKING), default=0.0)
    return round(min(1.0, max(blocking, 0.6 * missing + 0.2 * other)), 3)
