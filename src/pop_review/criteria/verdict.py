"""The contract's verdict rule and the auditor's priority.

``non_compliant`` when any flag with that effect is raised; ``compliant`` when all five criteria are met
and no flag is raised; ``review`` otherwise. Priority orders an auditor's work: the most likely
non-compliant first — the strongest blocking flag, then how many criteria fail and by how much.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pop_review.criteria.assessors import Finding

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


def out_of_scope_first(flags: dict[str, Finding], superseded: list[str]) -> dict[str, Finding]:
    """Flags with those in ``superseded`` withdrawn when ``out_of_scope`` is raised.

    The blocking flags say what kind of loopbaancheque service a POP shows (only a test, only job
    applications…). A document that is no loopbaancheque POP at all — a VDAB job-seeker plan is mostly
    about applications, an HR development talk is the employer's — is out of scope first: it goes to a
    person for review, not to a reclaim. All 44 out-of-scope POPs of both corpora carry that flag alone.
    The withdrawn flag keeps its score in the explanation, so a reviewer sees what was found.
    """
    oos = flags.get("out_of_scope")
    if oos is None or not oos.positive:
        return flags
    out = dict(flags)
    for key in superseded:
        f = out.get(key)
        if f is not None and f.positive:
            out[key] = replace(f, positive=False, evidence=[], explanation=(
                f"Niet toegepast: het document is geen loopbaancheque-POP (signaal 'buiten scope'); "
                f"op zichzelf gelezen gaf dit signaal score {f.score:.2f}."))
    return out
