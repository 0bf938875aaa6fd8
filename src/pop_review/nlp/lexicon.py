"""Loading and compiling the domain lexicons (``corpora/lexicons/*.json``).

Each entry's patterns become one case-insensitive regular expression. Patterns are matched against
the sentence text and against its lemma string, which makes the matching inflection-aware (through the
lemmatiser) and compound-aware (patterns may match inside a word, e.g. ``\\w*test`` in
*persoonlijkheidstest*).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pop_review.config import REPO_ROOT

LEXICON_DIR = REPO_ROOT / "corpora" / "lexicons"


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One cue family: id, category, weight and its compiled regular expression.

    ``requires``, when set, is what the sentence must also say for the family's cues to count: an
    employer offering or proposing *something* is a cue only when the sentence names the guidance
    ("HR bood haar een plaats aan in de magazijnadministratie" is a job offer, "de werkgever biedt aan
    de stage te financieren" a training).
    """

    id: str
    category: str
    weight: float
    regex: re.Pattern[str]
    requires: re.Pattern[str] | None = None


def _compile(patterns: list[str], compound: bool) -> re.Pattern[str]:
    parts = []
    for p in patterns:
        if not compound:
            if p[:1].isalpha():
                p = r"\b" + p
            if p[-1:].isalpha():
                p = p + r"\b"
        elif p[:1].isalpha():
            # compounds may extend a cue at the end (loopbaanvraag-en) but a cue must start a word
            # or a compound part; requiring a word start avoids hits inside unrelated words
            p = r"(?<![^\W\d_])" + p if len(p) < 6 else p
        parts.append(f"(?:{p})")
    return re.compile("|".join(parts), re.IGNORECASE)


@lru_cache(maxsize=4)
def load_lexicons(directory: Path = LEXICON_DIR) -> tuple[LexiconEntry, ...]:
    """All entries of every lexicon file in ``directory``."""
    entries: list[LexiconEntry] = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for e in data["entries"]:
            requires = re.compile(e["requires"], re.IGNORECASE) if e.get("requires") else None
            entries.append(LexiconEntry(e["id"], e["category"], float(e["weight"]),
                                        _compile(e["patterns"], bool(e.get("compound"))), requires))
    return tuple(entries)


def lexicon_version(directory: Path = LEXICON_DIR) -> str:
    """A version string for the lexicons: the files' own versions."""
    versions = []
    for path in sorted(directory.glob("*.json")):
        versions.append(f"{path.stem}:{json.loads(path.read_text(encoding='utf-8')).get('version', '0')}")
    return ",".join(versions)
