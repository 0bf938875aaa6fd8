"""ODT ingestion with odfpy: headings, paragraphs, lists and tables in body order.

The container passes the same checks as a DOCX first (zip bomb, path traversal, DTD/entity
declarations): odfpy parses ``content.xml`` with a SAX parser that would otherwise expand entities.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pop_review.config import Settings
from pop_review.document import Block, Document, table_text
from pop_review.errors import ErrorCode, PopReviewError
from pop_review.ingest.safezip import check_xml_members, open_checked, read_member


def read_odt(data: bytes, filename: str, sha256: str, settings: Settings) -> Document:
    """Parse ODT bytes into a :class:`Document`."""
    zf = open_checked(data, settings, corrupt=ErrorCode.E204)
    check_xml_members(zf, settings)
    # odfpy swallows XML errors, prints the whole part to stdout and returns an empty document: that
    # would put document text on the console. Every XML part is parsed first (defusedxml), and a
    # broken one is refused with a code.
    import defusedxml.ElementTree as det

    for name in ("content.xml", "styles.xml", "meta.xml"):
        if name in zf.namelist():
            try:
                det.fromstring(read_member(zf, name, settings))
            except PopReviewError:
                raise
            except Exception as exc:
                raise PopReviewError(ErrorCode.E204, detail=f"{name}: {type(exc).__name__}") from None
    if "content.xml" not in zf.namelist():
        raise PopReviewError(ErrorCode.E204, detail="no content.xml")
    try:
        import contextlib

        from odf.opendocument import load

        with contextlib.redirect_stdout(io.StringIO()):
            doc = load(io.BytesIO(data))
    except Exception as exc:  # odfpy raises plain exceptions of many kinds
        raise PopReviewError(ErrorCode.E204, detail=type(exc).__name__) from None
    blocks: list[Block] = []
    _walk(doc.text, blocks)
    meta: dict[str, str] = {}
    try:
        from odf import dc
        from odf import meta as odfmeta

        for tag, key in ((dc.Title, "title"), (dc.Creator, "author"), (odfmeta.CreationDate, "created")):
            els = doc.meta.getElementsByType(tag)
            if els:
                meta[key] = _text(els[0])
    except Exception:  # metadata is optional
        pass
    return Document(filename, sha256, "odt", 1, blocks, metadata=meta)


def _qname(el: Any) -> str:
    return getattr(el, "qname", ("", ""))[1] if hasattr(el, "qname") else ""


def _text(el: Any) -> str:
    from odf import teletype

    return re.sub(r"\s+", " ", teletype.extractText(el)).strip()


def _walk(el: Any, blocks: list[Block]) -> None:
    for child in getattr(el, "childNodes", []):
        name = _qname(child)
        if name == "h":
            txt = _text(child)
            if txt:
                lvl = child.getAttribute("outlinelevel") or "1"
                blocks.append(Block("heading", txt, level=int(lvl) if str(lvl).isdigit() else 1))
        elif name == "p":
            txt = _text(child)
            if txt:
                blocks.append(Block("paragraph", txt))
        elif name == "list":
            for item in child.childNodes:
                if _qname(item) == "list-item":
                    txt = _text(item)
                    if txt:
                        blocks.append(Block("list_item", txt))
        elif name == "table":
            rows = []
            for row in _iter(child, "table-row"):
                cells = [_text(c) for c in row.childNodes if _qname(c) == "table-cell"]
                if any(cells):
                    rows.append(cells)
            if rows:
                blocks.append(Block("table", table_text(rows), rows=rows))
        elif name in ("section", "text", "body"):
            _walk(child, blocks)


def _iter(el: Any, name: str) -> list[Any]:
    out = []
    for child in getattr(el, "childNodes", []):
        if _qname(child) == name:
            out.append(child)
        elif _qname(child) in ("table-header-rows", "table-rows", "table-row-group"):
            out.extend(_iter(child, name))
    return out
