"""Before/after self-scores per competence, from tables and from text.

The evolution of a client's competences is most often recorded as a table ("Kwaliteitenreflectie |
4 | 7") or as arrows in text ("netwerken: 3 → 6", "van 4 naar 7"). A score pair is (label, before,
after); identical pairs everywhere are a template signal, not evolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = re.compile(r"^\s*(\d{1,2}(?:[.,]\d)?)\s*(?:/\s*(?:5|10))?\s*$")
_ARROW = re.compile(r"([A-Za-zÀ-ÿ][\w\s'/-]{2,40}?)\s*[:(]?\s*(\d{1,2})\s*(?:/\s*(?:5|10))?\s*"
                    r"(?:->|→|=>|⇒|naar|tot)\s*(\d{1,2})", re.I)


@dataclass(frozen=True, slots=True)
class ScorePair:
    """One self-score before and after."""

    label: str
    before: float
    after: float


def _num(cell: str) -> float | None:
    m = _NUM.match(cell)
    return float(m.group(1).replace(",", ".")) if m else None


def pairs_from_table(rows: list[list[str]]) -> list[ScorePair]:
    """Score pairs from a table with a label column and at least two numeric columns."""
    out = []
    for row in rows:
        nums = [(i, _num(c)) for i, c in enumerate(row)]
        nums = [(i, v) for i, v in nums if v is not None and 0 <= v <= 10]
        if len(nums) >= 2:
            label = next((c for c in row if _num(c) is None and c.strip()), "")
            out.append(ScorePair(label[:60], nums[0][1], nums[-1][1]))
    return out


def single_score_row(row: list[str]) -> bool:
    """Whether a table row holds exactly one score (0-10) beside its label: a current picture only.

    A "toen en nu" table that in fact lists only the scores at the end ("Thema | Score nu (op 10)")
    shows no start position, so no evolution (x53_01, x55_01).
    """
    scores = [v for v in map(_num, row) if v is not None and 0 <= v <= 10]
    return len(scores) == 1 and any(c.strip() and _num(c) is None for c in row)


def pairs_from_text(text: str) -> list[ScorePair]:
    """Score pairs written as arrows or "van 4 naar 7" in a sentence."""
    out = []
    for m in _ARROW.finditer(text):
        b, a = float(m.group(2)), float(m.group(3))
        if 0 <= b <= 10 and 0 <= a <= 10:
            out.append(ScorePair(m.group(1).strip()[:60], b, a))
    return out
