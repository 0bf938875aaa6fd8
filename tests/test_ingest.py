"""Ingestion: real format from bytes, and the block structure each reader produces.

Documents are rendered at test time from the POP in ``conftest.py``; assertions check what the rest of
the pipeline depends on: headings, paragraphs, list items and tables in body order, page numbers, and
running headers/footers kept out of the body.
"""

from __future__ import annotations

import io

import pytest

from pop_review.config import Settings
from pop_review.document import Document
from pop_review.errors import ErrorCode, PopReviewError
from pop_review.ingest import load_bytes
from pop_review.ingest.ocr import tesseract_available
from pop_review.ingest.sniff import DOCX, ODT, PDF, TXT, ZIP, sniff

HEADINGS = ["Persoonlijk Ontwikkelingsplan", "Identificatie", "Mijn loopbaanvraag",
            "Wat ik over mezelf ontdekte", "Mijn actieplan"]
TABLE_ROWS = [["Competentie", "Score start", "Score einde"], ["Zelfkennis", "2", "4"],
              ["Keuzes maken", "1", "3"], ["Netwerken", "2", "3"]]
ACTIONS = ["Vóór 30 april 2024 volg ik een infosessie over de opleiding HR-medewerker bij Syntra.",
           "In mei 2024 doe ik twee informatiegesprekken met payroll-consulenten.",
           "Tegen 30 juni 2024 beslis ik samen met mijn partner of ik de opleiding start."]
HEADER = "Loopbaancentrum De Horizon – Persoonlijk Ontwikkelingsplan"
FOOTER = "Loopbaancentrum De Horizon vzw – Kouter 7, 9000 Gent"


def kinds(doc: Document, kind: str) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == kind]


def index_of(doc: Document, kind: str, startswith: str) -> int:
    for i, b in enumerate(doc.blocks):
        if b.kind == kind and b.text.startswith(startswith):
            return i
    raise AssertionError(f"no {kind} starting with {startswith!r} in {[(b.kind, b.text[:30]) for b in doc.blocks]}")


def assert_pop_structure(doc: Document) -> None:
    """The structure every faithful reader must recover from the conftest POP."""
    assert kinds(doc, "heading")[:5] == HEADINGS
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].rows == TABLE_ROWS
    assert "Zelfkennis | 2 | 4" in tables[0].text
    assert kinds(doc, "list_item") == ACTIONS
    # body order: question → insights → table → action plan heading → actions → closing paragraph
    order = [index_of(doc, "heading", "Mijn loopbaanvraag"), index_of(doc, "paragraph", "Ik werk sinds 2012"),
             index_of(doc, "heading", "Wat ik over mezelf"), index_of(doc, "paragraph", "Met de waardenkaartjes"),
             index_of(doc, "table", "Competentie"), index_of(doc, "heading", "Mijn actieplan"),
             index_of(doc, "list_item", "Vóór 30 april"), index_of(doc, "paragraph", "Ik bespreek de voortgang")]
    assert order == sorted(order)
    # the running header/footer are not body text
    assert not any(HEADER in b.text or FOOTER in b.text for b in doc.blocks)


# --------------------------------------------------------------------------- sniffing


class TestSniff:
    def test_kinds_from_bytes(self, make_pdf, make_docx, make_odt, make_txt) -> None:
        assert sniff(make_pdf()) == PDF
        assert sniff(make_docx()) == DOCX
        assert sniff(make_odt()) == ODT
        assert sniff(make_txt()) == TXT

    def test_plain_zip_is_an_archive(self, make_docx) -> None:
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("pop.docx", make_docx())
        assert sniff(buf.getvalue()) == ZIP

    def test_pdf_named_docx_is_read_as_pdf(self, make_pdf, settings: Settings) -> None:
        doc = load_bytes(make_pdf(), "plan.docx", settings)
        assert doc.format == "pdf"
        assert "Mijn loopbaanvraag" in kinds(doc, "heading")

    def test_docx_named_pdf_is_read_as_docx(self, make_docx, settings: Settings) -> None:
        doc = load_bytes(make_docx(), "plan.pdf", settings)
        assert doc.format == "docx"

    def test_png_named_pdf_is_refused(self, settings: Settings) -> None:
        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", (40, 20), "white").save(buf, format="PNG")
        with pytest.raises(PopReviewError) as ei:
            load_bytes(buf.getvalue(), "plan.pdf", settings)
        assert ei.value.code is ErrorCode.E102
        assert "png" in ei.value.detail

    def test_pdf_magic_after_leading_junk(self, make_pdf, settings: Settings) -> None:
        # some mail gateways prepend bytes; the header only has to be in the first KiB
        doc = load_bytes(b"\r\n" + make_pdf(), "plan.pdf", settings)
        assert doc.format == "pdf"


# --------------------------------------------------------------------------- PDF


class TestPdf:
    # Three centre styles of the renderer: Times 11 pt, Courier 10.5 pt, Helvetica 11 pt.
    @pytest.mark.parametrize("doc_id", ["c01_01", "c02_01", "c09_01"])
    def test_structure(self, make_pdf, settings: Settings, doc_id: str) -> None:
        doc = load_bytes(make_pdf(doc_id=doc_id), "pop.pdf", settings)
        assert doc.format == "pdf"
        assert doc.pages == 1
        assert doc.ocr_pages == []
        assert_pop_structure(doc)

    def test_heading_levels(self, make_pdf, settings: Settings) -> None:
        doc = load_bytes(make_pdf(), "pop.pdf", settings)
        levels = {b.text: b.level for b in doc.blocks if b.kind == "heading"}
        assert levels["Persoonlijk Ontwikkelingsplan"] == 1
        assert levels["Mijn loopbaanvraag"] == 2

    def test_structure_small_body_font(self, make_pdf, settings: Settings) -> None:
        doc = load_bytes(make_pdf(doc_id="c04_01"), "pop.pdf", settings)  # Helvetica 9.5 pt
        assert "•" not in kinds(doc, "heading")
        assert kinds(doc, "list_item") == ACTIONS

    def test_running_header_and_footer_kept_apart(self, make_pdf, settings: Settings) -> None:
        doc = load_bytes(make_pdf(), "pop.pdf", settings)
        assert doc.headers == [HEADER]
        assert len(doc.footers) == 1 and doc.footers[0].startswith(FOOTER)
        assert doc.footers[0].endswith("p. 1")
        assert HEADER not in doc.text and FOOTER not in doc.text

    def test_page_numbers(self, make_pdf, long_pop_markup: str, settings: Settings) -> None:
        doc = load_bytes(make_pdf(long_pop_markup), "lang.pdf", settings)
        assert doc.pages >= 3
        pages = [b.page for b in doc.blocks]
        assert pages == sorted(pages), "blocks must stay in page order"
        assert set(pages) == set(range(1, doc.pages + 1))
        assert doc.blocks[0].page == 1 and doc.blocks[0].text == "Persoonlijk Ontwikkelingsplan"
        assert doc.blocks[-1].page == doc.pages and doc.blocks[-1].text.startswith("In sessie 39 ")
        # one footer per page (the page number differs), one header for all pages
        assert doc.headers == [HEADER]
        assert [f.rsplit(" ", 1)[-1] for f in doc.footers] == [str(p) for p in range(1, doc.pages + 1)]

    def test_metadata_and_hash(self, make_pdf, settings: Settings) -> None:
        import hashlib

        data = make_pdf()
        doc = load_bytes(data, "pop.pdf", settings)
        assert doc.sha256 == hashlib.sha256(data).hexdigest()
        assert doc.metadata.get("title") == "POP"
        assert doc.words > 100


# --------------------------------------------------------------------------- DOCX


class TestDocx:
    def test_heading_styles(self, make_docx, settings: Settings) -> None:
        doc = load_bytes(make_docx(), "pop.docx", settings)
        assert doc.format == "docx"
        assert_pop_structure(doc)
        levels = {b.text: b.level for b in doc.blocks if b.kind == "heading"}
        assert levels["Persoonlijk Ontwikkelingsplan"] == 1
        assert levels["Mijn loopbaanvraag"] == 2

    def test_bold_fake_headings(self, make_docx, settings: Settings) -> None:
        doc = load_bytes(make_docx(fake_headings=True), "pop.docx", settings)
        assert_pop_structure(doc)
        # short bold paragraphs count as headings; ordinary paragraphs do not
        assert "Naam: Katrien Wuyts" in kinds(doc, "paragraph")

    def test_header_footer_separate(self, make_docx, settings: Settings) -> None:
        doc = load_bytes(make_docx(), "pop.docx", settings)
        assert doc.headers == [HEADER]
        assert doc.footers == [FOOTER]

    def test_paragraph_table_interleaving(self, settings: Settings) -> None:
        import docx
        from docx.enum.text import WD_BREAK

        d = docx.Document()
        d.add_heading("Kop van het plan", level=1)
        d.add_paragraph("Eerste alinea voor de eerste tabel.")
        t1 = d.add_table(rows=2, cols=2)
        t1.cell(0, 0).text, t1.cell(0, 1).text = "Stap", "Datum"
        t1.cell(1, 0).text, t1.cell(1, 1).text = "Infosessie", "30 april 2024"
        d.add_paragraph("Tweede alinea tussen de tabellen.")
        d.add_paragraph("Een opsomming met lijststijl", style="List Bullet")
        d.add_paragraph("Een genummerde stap", style="List Number")
        t2 = d.add_table(rows=1, cols=3)
        a, b, c = t2.rows[0].cells
        a.text, b.text, c.text = "Netwerken", "2", "3"
        merged = d.add_table(rows=1, cols=3)
        merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Samengevoegd"
        merged.cell(0, 2).text = "los"
        p = d.add_paragraph("Slotalinea na een paginabreuk.")
        p.runs[0].add_break(WD_BREAK.PAGE)
        buf = io.BytesIO()
        d.save(buf)

        doc = load_bytes(buf.getvalue(), "order.docx", settings)
        assert [(b.kind, b.text) for b in doc.blocks] == [
            ("heading", "Kop van het plan"),
            ("paragraph", "Eerste alinea voor de eerste tabel."),
            ("table", "Stap | Datum\nInfosessie | 30 april 2024"),
            ("paragraph", "Tweede alinea tussen de tabellen."),
            ("list_item", "Een opsomming met lijststijl"),
            ("list_item", "Een genummerde stap"),
            ("table", "Netwerken | 2 | 3"),
            ("table", "Samengevoegd | los"),  # a merged cell is kept once
            ("paragraph", "Slotalinea na een paginabreuk."),
        ]
        assert doc.pages == 2  # one explicit page break

    def test_bold_long_sentence_is_not_a_heading(self, settings: Settings) -> None:
        import docx

        d = docx.Document()
        d.add_paragraph().add_run("Korte vetgedrukte kop").bold = True
        d.add_paragraph().add_run("Dit is een volledige zin in het vet die eindigt op een punt.").bold = True
        buf = io.BytesIO()
        d.save(buf)
        doc = load_bytes(buf.getvalue(), "vet.docx", settings)
        assert [b.kind for b in doc.blocks] == ["heading", "paragraph"]

    def test_core_properties(self, settings: Settings) -> None:
        import docx

        d = docx.Document()
        d.core_properties.title = "POP Katrien"
        d.add_paragraph("Mijn loopbaanvraag gaat over een overstap naar HR.")
        buf = io.BytesIO()
        d.save(buf)
        assert load_bytes(buf.getvalue(), "p.docx", settings).metadata["title"] == "POP Katrien"


# --------------------------------------------------------------------------- ODT


class TestOdt:
    def test_structure(self, make_odt, settings: Settings) -> None:
        doc = load_bytes(make_odt(), "pop.odt", settings)
        assert doc.format == "odt"
        assert doc.pages == 1
        assert_pop_structure(doc)
        levels = {b.text: b.level for b in doc.blocks if b.kind == "heading"}
        assert levels["Persoonlijk Ontwikkelingsplan"] == 1
        assert levels["Identificatie"] == 2

    def test_odt_named_docx(self, make_odt, settings: Settings) -> None:
        assert load_bytes(make_odt(), "pop.docx", settings).format == "odt"


# --------------------------------------------------------------------------- TXT


class TestTxt:
    def test_utf8(self, make_txt, settings: Settings) -> None:
        doc = load_bytes(make_txt(), "pop.txt", settings)
        assert doc.format == "txt"
        assert kinds(doc, "list_item") == ACTIONS
        assert [b.rows for b in doc.blocks if b.kind == "table"] == [TABLE_ROWS]
        assert "financiële zekerheid" in doc.text

    def test_utf8_bom(self, make_txt, settings: Settings) -> None:
        doc = load_bytes(b"\xef\xbb\xbf" + make_txt(), "pop.txt", settings)
        assert not doc.text.startswith("\ufeff")
        assert doc.blocks[0].text == "PERSOONLIJK ONTWIKKELINGSPLAN"

    def test_cp1252(self, make_txt, settings: Settings) -> None:
        text = make_txt().decode("utf-8") + "\nIk wil mijn café-ervaring en mijn idee voor een coöperatie gebruiken.\n"
        data = text.replace("\n", "\r\n").encode("cp1252")
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        doc = load_bytes(data, "pop.txt", settings)
        assert doc.format == "txt"
        assert "café-ervaring" in doc.text and "coöperatie" in doc.text
        assert "Vóór 30 april 2024" in doc.text and "financiële" in doc.text
        assert "–" in doc.text  # cp1252 0x96, the en dash Word writes
        assert "\r" not in doc.text
        assert kinds(doc, "list_item")[:3] == ACTIONS

    def test_markdown_headings(self, settings: Settings) -> None:
        data = b"# Mijn POP\n\n## Loopbaanvraag\n\nIk wil weten welke job bij mij past.\n"
        doc = load_bytes(data, "pop.md", settings)
        assert [(b.kind, b.level) for b in doc.blocks] == [("heading", 1), ("heading", 2), ("paragraph", 0)]


# --------------------------------------------------------------------------- OCR


@pytest.mark.slow
@pytest.mark.skipif(not tesseract_available(), reason="tesseract is not installed")
def test_scanned_pdf_is_ocred(make_scan, settings: Settings) -> None:
    data = make_scan()
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        assert pdf[0].get_textpage().get_text_range().strip() == ""  # really image-only
    finally:
        pdf.close()
    doc = load_bytes(data, "scan.pdf", settings)
    assert doc.format == "pdf"
    assert len(doc.ocr_pages) > 0 and doc.ocr_pages == [1]
    assert all(b.ocr for b in doc.blocks)
    text = doc.text.lower()
    for word in ("loopbaanvraag", "actieplan", "boekhouder", "waardenkaartjes", "infosessie"):
        assert word in text
    assert "financiële" in text  # diacritics survive at the OCR resolution
