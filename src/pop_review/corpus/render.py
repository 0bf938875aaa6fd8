"""Deterministic renderer: corpus sources → PDF, DOCX (real or fake headings), ODT, scanned PDF, TXT.

Every document is assigned a layout from a hash of its id (so the assignment never changes), and the
rendering varies fonts, sizes and table styles per centre, so the whole ingestion path — text PDFs with
ruled tables, DOCX heading styles and bold pseudo-headings, ODT, and image-only scans that need OCR —
is exercised by the evaluation. Run: ``python -m pop_review.corpus.render corpora/pop --out DIR``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
from pathlib import Path

from pop_review.corpus.markup import Source, parse

LAYOUTS = (("pdf", 35), ("docx", 25), ("docx_fake", 10), ("scan", 10), ("odt", 10), ("txt", 10))
SUFFIX = {"pdf": ".pdf", "docx": ".docx", "docx_fake": ".docx", "scan": ".pdf", "odt": ".odt", "txt": ".txt"}


def _h(s: str) -> int:
    return int(hashlib.sha256(s.encode()).hexdigest()[:8], 16)


def layout_for(doc_id: str) -> str:
    """The layout assigned to a document id (stable)."""
    r = _h(doc_id) % 100
    acc = 0
    for name, share in LAYOUTS:
        acc += share
        if r < acc:
            return name
    return "pdf"


def render_pdf(src: Source, style_key: str) -> bytes:
    """A text PDF with headings, lists, ruled tables and running header/footer."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    v = _h(style_key)
    body_font, bold_font = [("Helvetica", "Helvetica-Bold"), ("Times-Roman", "Times-Bold"),
                            ("Helvetica", "Helvetica-Bold"), ("Courier", "Courier-Bold")][v % 4]
    size = [10, 10.5, 11, 9.5][(v >> 3) % 4]
    body = ParagraphStyle("b", fontName=body_font, fontSize=size, leading=size * 1.35, spaceAfter=size * 0.6)
    h1 = ParagraphStyle("h1", fontName=bold_font, fontSize=size + [6, 4, 5, 3][(v >> 5) % 4], leading=size + 10,
                        spaceBefore=10, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=bold_font, fontSize=size + 2, leading=size + 6, spaceBefore=8, spaceAfter=4)
    cell = ParagraphStyle("c", fontName=body_font, fontSize=size - 1, leading=(size - 1) * 1.25)
    story: list[object] = []
    for it in src.items:
        if it.kind == "heading":
            story.append(Paragraph(escape(it.text), h1 if it.level == 1 else h2))
        elif it.kind == "paragraph" or it.kind == "numbered":
            story.append(Paragraph(escape(it.text), body))
        elif it.kind == "bullet":
            story.append(ListFlowable([ListItem(Paragraph(escape(it.text), body))], bulletType="bullet",
                                      start="•", leftIndent=14))
        elif it.kind == "table":
            width = max(len(r) for r in it.rows)
            rows = [[Paragraph(escape(c), cell) for c in r] + [""] * (width - len(r)) for r in it.rows]
            t = Table(rows, colWidths=[(16 * cm) / width] * width, repeatRows=1)
            ts = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            if (v >> 7) % 2:
                ts.append(("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey))
            t.setStyle(TableStyle(ts))
            story += [t, Spacer(1, 6)]

    def deco(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(body_font, 8)  # type: ignore[attr-defined]
        if src.header:
            canvas.drawString(2 * cm, A4[1] - 1.2 * cm, src.header)  # type: ignore[attr-defined]
        foot = (src.footer + "   " if src.footer else "") + f"p. {canvas.getPageNumber()}"  # type: ignore[attr-defined]
        canvas.drawString(2 * cm, 1.0 * cm, foot)  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm, topMargin=2.5 * cm,
                      bottomMargin=2.2 * cm, title="POP", author="").build(story, onFirstPage=deco, onLaterPages=deco)
    return buf.getvalue()


def render_docx(src: Source, *, fake_headings: bool) -> bytes:
    """A DOCX with heading styles, or with bold paragraphs posing as headings."""
    import docx
    from docx.shared import Pt

    d = docx.Document()
    if src.header:
        d.sections[0].header.paragraphs[0].text = src.header
    if src.footer:
        d.sections[0].footer.paragraphs[0].text = src.footer
    for it in src.items:
        if it.kind == "heading":
            if fake_headings:
                p = d.add_paragraph()
                r = p.add_run(it.text)
                r.bold = True
                r.font.size = Pt(14 if it.level == 1 else 12)
            else:
                d.add_heading(it.text, level=it.level)
        elif it.kind == "bullet":
            d.add_paragraph(it.text, style="List Bullet")
        elif it.kind == "table":
            width = max(len(r) for r in it.rows)
            t = d.add_table(rows=0, cols=width)
            t.style = "Table Grid"
            for row in it.rows:
                cells = t.add_row().cells
                for i, c in enumerate(row):
                    cells[i].text = c
        else:
            d.add_paragraph(it.text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def render_odt(src: Source) -> bytes:
    """An ODT with headings, lists and tables."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    for it in src.items:
        if it.kind == "heading":
            doc.text.addElement(H(outlinelevel=it.level, text=it.text))
        elif it.kind == "bullet":
            lst = List()
            li = ListItem()
            li.addElement(P(text=it.text))
            lst.addElement(li)
            doc.text.addElement(lst)
        elif it.kind == "table":
            width = max(len(r) for r in it.rows)
            t = Table()
            t.addElement(TableColumn(numbercolumnsrepeated=width))
            for row in it.rows:
                tr = TableRow()
                for c in row + [""] * (width - len(row)):
                    tc = TableCell()
                    tc.addElement(P(text=c))
                    tr.addElement(tc)
                t.addElement(tr)
            doc.text.addElement(t)
        else:
            doc.text.addElement(P(text=it.text))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_scan(src: Source, style_key: str, dpi: int = 200) -> bytes:
    """An image-only PDF: the text PDF rasterised (slightly grey, as a scanner does), no text layer."""
    import pypdfium2 as pdfium
    from PIL import ImageFilter

    pdf = pdfium.PdfDocument(render_pdf(src, style_key))
    images = []
    for i in range(len(pdf)):
        img = pdf[i].render(scale=dpi / 72).to_pil().convert("L")
        img = img.filter(ImageFilter.GaussianBlur(0.4)).point(lambda p: 235 if p > 235 else p)
        images.append(img.convert("RGB"))
    pdf.close()
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()


def render_txt(src: Source) -> bytes:
    """Plain text as a centre's export would give it."""
    out = []
    for it in src.items:
        if it.kind == "heading":
            out.append(it.text.upper() if it.level == 1 else it.text)
        elif it.kind == "bullet":
            out.append(f"- {it.text}")
        elif it.kind == "table":
            out.append("\n".join(" | ".join(r) for r in it.rows))
        else:
            out.append(it.text)
    return ("\n\n".join(out) + "\n").encode("utf-8")


def render(doc_id: str, markup: str, layout: str | None = None) -> tuple[str, bytes]:
    """Render one document in its assigned (or the given) layout; returns (suffix, bytes)."""
    layout = layout or layout_for(doc_id)
    src = parse(markup)
    centre = doc_id.split("_")[0]
    data = {
        "pdf": lambda: render_pdf(src, centre),
        "docx": lambda: render_docx(src, fake_headings=False),
        "docx_fake": lambda: render_docx(src, fake_headings=True),
        "scan": lambda: render_scan(src, centre),
        "odt": lambda: render_odt(src),
        "txt": lambda: render_txt(src),
    }[layout]()
    return SUFFIX[layout], data


def render_corpus(corpus: Path, out: Path, ids: list[str] | None = None) -> dict[str, Path]:
    """Render every document (or the given ids) into ``out``; returns id → file path."""
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for src in sorted((corpus / "docs").glob("*.txt")):
        if ids is not None and src.stem not in ids:
            continue
        suffix, data = render(src.stem, src.read_text(encoding="utf-8"))
        path = out / f"{src.stem}{suffix}"
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        paths[src.stem] = path
    return paths


def main() -> None:
    """Command line: render the corpus."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    paths = render_corpus(args.corpus, args.out)
    print(f"{len(paths)} documents rendered into {args.out}")


if __name__ == "__main__":
    main()
