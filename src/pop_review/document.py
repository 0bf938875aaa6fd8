"""The document model every ingester produces: ordered blocks with page numbers, plus metadata.

A ``Document`` is what the rest of the pipeline reads; it is format-free. Blocks keep the reading order
of the body (paragraphs and tables interleaved); running headers and footers are kept apart so they
neither count as content nor disappear (auditors read them: centre names, dates, cheque numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass(slots=True)
class Block:
    """One unit of the body in reading order.

    Attributes
    ----------
    kind:
        heading, paragraph, list_item or table.
    text:
        The block's text; for a table, its rows joined with newlines and cells with `` | ``.
    page:
        1-based page number (1 for formats without pages).
    level:
        Heading level (1 = top), 0 for other blocks.
    rows:
        For tables: the cell texts per row.
    ocr:
        True when the text came from OCR.
    """

    kind: BlockKind
    text: str
    page: int = 1
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)
    ocr: bool = False


@dataclass(slots=True)
class Document:
    """A parsed POP: body blocks, running headers/footers and metadata."""

    filename: str
    sha256: str
    format: str
    pages: int
    blocks: list[Block]
    headers: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    ocr_pages: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body text, blocks separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks if b.text)

    @property
    def words(self) -> int:
        """Number of whitespace-separated words in the body."""
        return sum(len(b.text.split()) for b in self.blocks)


def table_text(rows: list[list[str]]) -> str:
    """The text form of a table: one line per row, cells joined by `` | ``."""
    return "\n".join(" | ".join(c for c in row) for row in rows)
