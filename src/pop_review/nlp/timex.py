"""Time expressions and dated actions in Dutch POP text.

An action plan is concrete when its steps are time-bound: "tegen 31/03", "eind april", "na de zomer",
"binnen twee weken", "in het voorjaar van 2025", "Q3". This module finds those expressions; an action
is a sentence (or table row) with a time expression and an action cue whose subject is the client.
"""

from __future__ import annotations

import re

MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
          "jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec")
TIMEX = re.compile(
    rf"(\b\d{{1,2}}[/.-]\d{{1,2}}([/.-]\d{{2,4}})?\b|\b\d{{1,2}} ({MONTHS})\b|\b(begin|eind|einde|half|midden|"
    rf"medio|tegen|vóór|voor|in|na|vanaf|tijdens|uiterlijk) ({MONTHS})\b|\b({MONTHS}) (\d{{4}})\b|"
    r"\bbinnen (de )?(\w+ )?(dagen|weken|week|maand|maanden|jaar)\b|\b(volgende|komende|deze|over \w+) "
    r"(week|weken|maand|maanden|jaar|zomer|winter|herfst|lente|schooljaar|semester)\b|\bna de (zomer|"
    r"vakantie|kerstvakantie|paasvakantie|krokusvakantie|herfstvakantie|jaarwisseling|feestdagen)\b|"
    r"\btegen (eind|einde|begin|de zomer|het einde|volgend|\d)|\bq[1-4]\b|\b(voor|tegen|in) (het )?"
    r"(voorjaar|najaar|zomer|schooljaar|nieuwe jaar)\b|\b(20[12]\d)\b|\bdeadline\b|\b(eerstvolgende|"
    r"volgend) (gesprek|overleg|jaar)\b|\bper (week|maand)\b|\bwekelijks\b|\bmaandelijks\b|\bdit jaar\b)",
    re.IGNORECASE)


def has_timex(text: str) -> bool:
    """True when the text holds a time expression usable as a deadline or moment."""
    return bool(TIMEX.search(text))


OWNER_CLIENT = re.compile(r"\b(ik|mij|me|mijn|je|jij|u|de klant|de cliënt|klant|hij|zij|ze|mevrouw|meneer|"
                          r"ikzelf|zelf)\b", re.IGNORECASE)
OWNER_COUNSELLOR = re.compile(r"\b(de (loopbaan)?begeleider|de coach|wij|we|ons centrum|het centrum|"
                              r"begeleider)\b", re.IGNORECASE)
OWNER_EMPLOYER = re.compile(r"\b(werkgever|hr|leidinggevende|directie|personeelsdienst)\b", re.IGNORECASE)


def find_timex(text: str) -> str | None:
    """The first time expression of a text, or None."""
    m = TIMEX.search(text)
    return m.group(0) if m else None


def action_owner(text: str, voice: str) -> str:
    """Who owns an action: ``client``, ``counsellor``, ``employer`` or ``unknown``.

    A first-person sentence, or an action addressed to the client (je/u), is the client's; a table
    row's "Wie" cell ("ik", "klant", "begeleider") decides for rows.
    """
    cells = [c.strip().lower() for c in text.split("|")]
    if len(cells) >= 3:  # an action table row: the owner column is usually short
        for c in reversed(cells):
            if len(c) <= 30:
                if OWNER_COUNSELLOR.search(c) and not OWNER_CLIENT.search(c):
                    return "counsellor"
                if OWNER_CLIENT.search(c):
                    return "client"
    if voice in ("first", "second") or OWNER_CLIENT.search(text):
        return "client"
    if OWNER_COUNSELLOR.search(text):
        return "counsellor"
    if OWNER_EMPLOYER.search(text):
        return "employer"
    return "unknown"
