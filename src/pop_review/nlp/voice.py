"""Who speaks in a sentence, and is it an expert verdict?

Real POPs are mostly written in the client's first person ("Ik ontdekte…"); the counsellor writes to
the client in *je/u*; a report speaks about "de klant" or "mevrouw X". Verdict style ("Uit de test blijkt
dat u…", "Wij adviseren…") is the register of advice-only and test-only reports (brief §5).
"""

from __future__ import annotations

import re

FIRST = {"ik", "mijn", "mij", "me", "mezelf", "mijzelf", "'k"}
SECOND = {"je", "jij", "jou", "jouw", "jezelf", "u", "uw", "uzelf"}
THIRD = re.compile(r"\b(de klant|de cliënt|de client|de deelnemer|de kandidaat|mevrouw|meneer|mevr\.|dhr\.|"
                   r"de heer|betrokkene|de werknemer)\b", re.IGNORECASE)
COUNSELLOR_WE = {"wij", "we", "ons", "onze"}
VERDICT = re.compile(
    r"(uit (de|het|je|uw) \w+ (blijkt|bleek|komt naar voren)|(wij|we) (adviseren|raden|bevelen|concluderen)|"
    r"(ons|mijn) advies|u bent (een|niet|zeer|uitermate|bijzonder)? ?(geschikt|type)|je bent (niet )?geschikt|"
    r"geschikte (beroepen|functies|jobs)|onze conclusie|(wij|we) zien (u|je)|is (sterk )?aangewezen|"
    r"raden (u|je) aan|adviseer (ik|wij) (u|je)|het is raadzaam|u past (best|het best|goed))",
    re.IGNORECASE)


def voice(tokens: list[str], text: str) -> str:
    """``first``, ``second``, ``third`` or ``none`` for one sentence (lower-cased tokens)."""
    toks = set(tokens)
    # quoted speech inside a report is the client's voice too
    if toks & FIRST:
        return "first"
    if toks & SECOND:
        return "second"
    if THIRD.search(text):
        return "third"
    return "none"


def is_verdict(text: str) -> bool:
    """True when the sentence is in expert-verdict register."""
    return bool(VERDICT.search(text))
