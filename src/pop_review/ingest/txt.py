"""Plain-text ingestion: encoding detection and light structure.

UTF-8 (with or without BOM) is tried first, then cp1252, the encoding Windows tools in Flanders still
write. Structure is inferred the way a reader does: a short line without closing punctuation, standing
alone, is a heading; lines that start with a bullet or a number are list items; lines with ``|`` or
tab-separated cells are table rows.
"""

from __future__ import annotations

import re

from pop_review.document import Block, Document, table_text
from pop_review.errors import ErrorCode, PopReviewError

_BULLET = re.compile(r"^\s*(?:[-*•▪◦–]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"^\s*#{1,4}\s+")


def decode(data: bytes) -> str:
    """Decode text bytes: UTF-8 (BOM allowed), else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise PopReviewError(ErrorCode.E206)


def read_txt(data: bytes, filename: str, sha256: str) -> Document:
    """Parse text bytes into a :class:`Document`."""
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    return Document(filename, sha256, "txt", 1, blocks_from_text(text))


def blocks_from_text(text: str, *, page: int = 1, ocr: bool = False) -> list[Block]:
    """Split text into blocks (also used for OCR output)."""
    blocks: list[Block] = []
    table: list[list[str]] = []

    def flush_table() -> None:
        if table:
            blocks.append(Block("table", table_text(table), page=page, rows=list(table), ocr=ocr))
            table.clear()

    buf: list[str] = []  # lines of the paragraph being built (emptied by flush_buf)

    def flush_buf() -> None:
        if buf:
            blocks.append(Block("paragraph", " ".join(s.strip() for s in buf), page=page, ocr=ocr))
            buf.clear()

    for para in re.split(r"\n\s*\n", text):
        lines = [ln.rstrip() for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue

        for ln in lines:
            s = ln.strip()
            if s.count("|") >= 2 or ("\t" in s and len(s.split("\t")) >= 2):
                flush_buf()
                cells = [c.strip() for c in (s.strip("|").split("|") if "|" in s else s.split("\t"))]
                table.append(cells)
                continue
            flush_table()
            if _MD_HEADING.match(s):
                flush_buf()
                level = len(s) - len(s.lstrip("#"))
                blocks.append(Block("heading", s.lstrip("#").strip(), page=page, level=level, ocr=ocr))
            elif _BULLET.match(s):
                flush_buf()
                blocks.append(Block("list_item", _BULLET.sub("", s, count=1), page=page, ocr=ocr))
            else:
                buf.append(s)
        flush_table()
        if len(buf) == 1 and _is_heading_line(buf[0]):
            blocks.append(Block("heading", buf[0].strip(), page=page, level=2, ocr=ocr))
            buf.clear()
        flush_buf()
    return blocks


def _is_heading_line(s: str) -> bool:
    s = s.strip()
    return 0 < len(s) <= 70 and not s.endswith((".", ",", ";", "?", "!")) and len(s.split()) <= 9 \
        and not s[0].islower()
