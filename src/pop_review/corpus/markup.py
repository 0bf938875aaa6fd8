"""Parse the corpus's light markup (``corpora/pop/FORMAT.md``) into renderable items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(slots=True)
class Item:
    """One markup item: heading (level 1/2), paragraph, bullet, numbered, or table rows."""

    kind: str
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class Source:
    """A parsed corpus source."""

    header: str
    footer: str
    items: list[Item]


def parse(markup: str) -> Source:
    """Parse the markup of one corpus document."""
    header = footer = ""
    items: list[Item] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if para:
            items.append(Item("paragraph", " ".join(para)))
            para.clear()
        if table:
            items.append(Item("table", rows=[list(r) for r in table]))
            table.clear()

    for line in markup.splitlines():
        s = line.strip()
        if s.startswith("@header:"):
            header = s.split(":", 1)[1].strip()
            continue
        if s.startswith("@footer:"):
            footer = s.split(":", 1)[1].strip()
            continue
        if not s:
            flush()
            continue
        if s.startswith("|"):
            if para:
                items.append(Item("paragraph", " ".join(para)))
                para.clear()
            table.append([c.strip() for c in s.strip("|").split("|")])
            continue
        if table:
            items.append(Item("table", rows=[list(r) for r in table]))
            table.clear()
        m = re.match(r"^(#{1,3})\s+(.*)$", s)
        if m:
            flush()
            items.append(Item("heading", m.group(2).strip(), level=min(2, len(m.group(1)))))
        elif re.match(r"^[-*•]\s+", s):
            flush()
            items.append(Item("bullet", re.sub(r"^[-*•]\s+", "", s)))
        elif re.match(r"^\d+[.)]\s+", s):
            flush()
            items.append(Item("numbered", s))
        else:
            para.append(s)
    flush()
    return Source(header, footer, items)
