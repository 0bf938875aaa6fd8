"""Reading the corpus: labels, plain text, and the fixed train/dev/test splits."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class Gold:
    """One labelled document."""

    id: str
    centre: str
    markup: str
    labels: dict[str, Any]


def split_ids(corpus: Path, split: str) -> list[str]:
    """Document ids of a split (``train``, ``dev``, ``test`` or ``all``)."""
    splits = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))
    ids = sorted(p.stem for p in (corpus / "labels").glob("*.json"))
    if split == "all":
        return ids
    centres = set(splits[split])
    return [i for i in ids if i.split("_")[0] in centres]


def load_gold(corpus: Path, split: str) -> list[Gold]:
    """Labels and markup of every document of a split."""
    out = []
    for i in split_ids(corpus, split):
        labels = json.loads((corpus / "labels" / f"{i}.json").read_text(encoding="utf-8"))
        out.append(Gold(i, i.split("_")[0], (corpus / "docs" / f"{i}.txt").read_text(encoding="utf-8"), labels))
    return out


def plain_text(markup: str) -> str:
    """The document text without markup (as the check script reads it)."""
    lines = []
    for line in markup.splitlines():
        s = line.strip()
        if s.startswith(("@header:", "@footer:")):
            s = s.split(":", 1)[1]
        s = re.sub(r"^#{1,3}\s+", "", s)
        s = re.sub(r"^[-*•]\s+", "", s)
        if s.startswith("|"):
            s = " | ".join(c.strip() for c in s.strip("|").split("|"))
        lines.append(s)
    return "\n".join(lines)
