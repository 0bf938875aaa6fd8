"""ConText-style qualifiers for Dutch: is a cue negated, hypothetical or in the future?

A trigger word opens a scope that runs forward (or, for Dutch post-verbal *niet*, backward) until a
clause terminator (``,``, ``;``, *maar*, *want*, *wel*, *omdat* …) or a window of tokens. A cue inside a
negation scope does not count as presence: "er werd geen test afgenomen", "een actieplan is nog niet
opgesteld". Hypothetical scope ("indien", "zou", "eventueel", "misschien") makes a cue weaker, not absent.
"""

from __future__ import annotations

from dataclasses import dataclass

NEGATION_FORWARD = {"geen", "niet", "nooit", "zonder", "noch", "niets", "nergens", "geen enkele", "allerminst"}
# Dutch puts "niet" after the object in main clauses ("ik heb de test niet gedaan"): look back too
NEGATION_BACKWARD = {"niet", "nooit", "ontbreekt", "ontbrak", "ontbreken", "achterwege"}
HYPOTHETICAL = {"indien", "eventueel", "eventuele", "misschien", "mogelijk", "mogelijks", "zou", "zouden",
                "kan", "kunnen", "ooit", "later", "wellicht", "desgewenst", "als", "tenzij", "overwegen",
                "overweeg", "overweegt"}
TERMINATORS = {",", ";", ":", "maar", "want", "wel", "omdat", "doch", "echter", "terwijl", "en", "(", ")",
               "-", "–", "dus", "toch"}
PSEUDO = {"niet alleen", "niet enkel", "niet zomaar", "geen probleem", "zonder twijfel", "niet meer weg",
          "geen twijfel"}
FORWARD_WINDOW, BACKWARD_WINDOW = 7, 5


@dataclass(frozen=True, slots=True)
class Context:
    """Qualifiers of one cue occurrence."""

    negated: bool = False
    hypothetical: bool = False


def qualify(tokens: list[str], start: int, end: int) -> Context:
    """Qualify the cue at token positions ``[start, end)`` of a sentence.

    Parameters
    ----------
    tokens:
        The sentence's tokens, lower-cased.
    start, end:
        Token span of the cue.
    """
    negated = hypothetical = False
    # forward triggers before the cue
    for i in range(start - 1, max(-1, start - 1 - FORWARD_WINDOW), -1):
        tok = tokens[i]
        if tok in TERMINATORS:
            break
        pair = f"{tok} {tokens[i + 1]}" if i + 1 < len(tokens) else tok
        if pair in PSEUDO:
            continue
        if tok in NEGATION_FORWARD:
            negated = True
        elif tok in HYPOTHETICAL:
            hypothetical = True
    # backward triggers after the cue ("... de test niet gedaan")
    for i in range(end, min(len(tokens), end + BACKWARD_WINDOW)):
        tok = tokens[i]
        if tok in TERMINATORS:
            break
        pair = f"{tok} {tokens[i + 1]}" if i + 1 < len(tokens) else tok
        if pair in PSEUDO:
            continue
        if tok in NEGATION_BACKWARD:
            negated = True
    return Context(negated=negated, hypothetical=hypothetical)
