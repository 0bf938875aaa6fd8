"""DOCX ingestion with python-docx, in body order.

Paragraphs and tables are read interleaved as they stand in the body. Headings come from heading
styles (Heading/Kop/Title/Titel) and, because many centres' templates fake them, from short paragraphs
set entirely in bold. List items come from list styles or numbering properties. Headers and footers of
every section are kept apart from the body.
"""

from __future__ import annotations

import io
import re

from pop_review.config import Settings
from pop_review.document import Block, Document, table_text
from pop_review.errors import ErrorCode, PopReviewError
from pop_review.ingest.safezip import check_xml_members, open_checked

_HEADING_STYLE = re.compile(r"^(heading|kop|title|titel|subtitle|ondertitel)\s*(\d*)", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list|lijst|opsomming|bullet", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, filename: str, sha256: str, settings: Settings) -> Document:
    """Parse DOCX bytes into a :class:`Document`."""
    zf = open_checked(data, settings, corrupt=ErrorCode.E203)
    check_xml_members(zf, settings)
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        d = docx.Document(io.BytesIO(data))
    except PopReviewError:
        raise
    except Exception as exc:  # python-docx raises many types on broken parts
        raise PopReviewError(ErrorCode.E203, detail=type(exc).__name__) from None

    blocks: list[Block] = []
    body = d.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            block = _paragraph_block(Paragraph(child, d))
            if block:
                blocks.append(block)
        elif child.tag == f"{_W}tbl":
            rows = _table_rows(Table(child, d))
            if rows:
                blocks.append(Block("table", table_text(rows), rows=rows))
    headers, footers = [], []
    for section in d.sections:
        for part, out in ((section.header, headers), (section.footer, footers)):
            try:
                txt = " ".join(p.text.strip() for p in part.paragraphs if p.text.strip())
            except Exception:  # a broken header must not lose the body
                txt = ""
            if txt and txt not in out:
                out.append(txt)
    props = d.core_properties
    meta = {k: str(v) for k, v in {"title": props.title, "author": props.author,
                                   "created": props.created, "modified": props.modified}.items() if v}
    pages = 1 + sum(1 for _ in body.iter(f"{_W}br") if _.get(f"{_W}type") == "page")
    return Document(filename, sha256, "docx", pages, blocks, headers, footers, meta)


def _paragraph_block(p: object) -> Block | None:
    from docx.text.paragraph import Paragraph

    assert isinstance(p, Paragraph)
    text = re.sub(r"\s+", " ", p.text).strip()
    if not text:
        return None
    style = (p.style.name if p.style is not None else "") or ""
    m = _HEADING_STYLE.match(style)
    if m:
        level = int(m.group(2)) if m.group(2) else 1
        return Block("heading", text, level=level)
    num = p._p.pPr is not None and p._p.pPr.numPr is not None
    if num or _LIST_STYLE.search(style):
        return Block("list_item", text)
    runs = [r for r in p.runs if r.text.strip()]
    if runs and len(text) <= 90 and not text.endswith((".", ",", ";")) and all(r.bold for r in runs):
        return Block("heading", text, level=2)
    return Block("paragraph", text)


def _table_rows(table: object) -> list[list[str]]:
    from docx.table import Table

    assert isinstance(table, Table)
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        prev = None
        for cell in row.cells:
            # merged cells repeat the same object: keep one copy
            if prev is not None and cell._tc is prev:
                continue
            prev = cell._tc
            cells.append(re.sub(r"\s+", " ", cell.text).strip())
        if any(cells):
            rows.append(cells)
    return rows
