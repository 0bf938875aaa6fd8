"""Shared fixtures: small-limit settings, a realistic Dutch POP in corpus markup, and byte builders.

Every test document is generated at test time with :mod:`pop_review.corpus.render` (no binary fixture
files in the repository). Builders are session-scoped and cache their output, so a test that asks for
the same document twice pays for one rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pytest

from pop_review.config import Settings
from pop_review.corpus.render import render

# Invented client and counsellor; no real person or number. The markup is that of
# corpora/pop/FORMAT.md: @header/@footer, # / ## headings, a pipe table, bullets, paragraphs.
POP_MARKUP = """\
@header: Loopbaancentrum De Horizon – Persoonlijk Ontwikkelingsplan
@footer: Loopbaancentrum De Horizon vzw – Kouter 7, 9000 Gent

# Persoonlijk Ontwikkelingsplan

## Identificatie

Naam: Katrien Wuyts

Loopbaanbegeleider: Joris Claeys

Sessies: 14 februari 2024, 6 maart 2024 en 27 maart 2024 – totaal 4 uur

## Mijn loopbaanvraag

Ik werk sinds 2012 als boekhouder bij een transportbedrijf in Gent. Mijn loopbaanvraag is: hoe kan ik \
tegen eind 2024 overstappen naar een job waarin ik meer met mensen werk, zonder mijn financiële \
zekerheid op te geven?

## Wat ik over mezelf ontdekte

Met de waardenkaartjes en een interessetest ontdekte ik dat samenwerken en mensen helpen voor mij \
belangrijker zijn dan ik dacht. Mijn sterktes zijn nauwkeurigheid, geduld en goed kunnen uitleggen. \
Mijn valkuil is dat ik conflicten vermijd; tijdens de tweede sessie oefenden we hoe ik een moeilijk \
gesprek aanpak.

| Competentie | Score start | Score einde |
| Zelfkennis | 2 | 4 |
| Keuzes maken | 1 | 3 |
| Netwerken | 2 | 3 |

## Mijn actieplan

- Vóór 30 april 2024 volg ik een infosessie over de opleiding HR-medewerker bij Syntra.
- In mei 2024 doe ik twee informatiegesprekken met payroll-consulenten.
- Tegen 30 juni 2024 beslis ik samen met mijn partner of ik de opleiding start.

Ik bespreek de voortgang in september 2024 met Joris.
"""

# Extra body text that pushes the rendered PDF over several pages (page numbers, E104).
LONG_TAIL = "\n\n## Verkenning\n\n" + "\n\n".join(
    f"In sessie {i} bespraken we mijn interesses, mijn waarden en de beroepen die ik wil verkennen, en ik "
    "noteerde telkens wat ik daaruit leerde over mezelf en over de volgende stap in mijn loopbaan."
    for i in range(1, 40)
)

# A centre id whose PDF style (Times, 11 pt) the renderer picks deterministically from the id hash.
DEFAULT_DOC_ID = "c01_01"


@pytest.fixture
def settings() -> Settings:
    """Settings with limits small enough to trip in tests, yet above every generated document."""
    return Settings(
        max_file_mb=5.0,
        max_pages=20,
        max_uncompressed_mb=10.0,
        max_archive_entries=200,
        doc_timeout_s=60.0,
    )


@pytest.fixture(scope="session")
def pop_markup() -> str:
    """A short, realistic Dutch POP in corpus markup (invented personal data)."""
    return POP_MARKUP


@pytest.fixture(scope="session")
def long_pop_markup() -> str:
    """The POP plus a long exploration section: renders to three or more PDF pages."""
    return POP_MARKUP + LONG_TAIL


@lru_cache(maxsize=64)
def _render(doc_id: str, markup: str, layout: str) -> bytes:
    return render(doc_id, markup, layout)[1]


Builder = Callable[..., bytes]


def _builder(layout: str, default_markup: str) -> Builder:
    def build(markup: str | None = None, doc_id: str = DEFAULT_DOC_ID) -> bytes:
        return _render(doc_id, markup if markup is not None else default_markup, layout)

    return build


@pytest.fixture(scope="session")
def make_pdf(pop_markup: str) -> Builder:
    """``make_pdf(markup=None, doc_id="c01_01")`` → text PDF bytes (ruled table, running header/footer)."""
    return _builder("pdf", pop_markup)


@pytest.fixture(scope="session")
def make_docx(pop_markup: str) -> Builder:
    """``make_docx(markup=None, doc_id=..., fake_headings=False)`` → DOCX bytes."""

    def build(markup: str | None = None, doc_id: str = DEFAULT_DOC_ID, *, fake_headings: bool = False) -> bytes:
        return _render(doc_id, markup if markup is not None else pop_markup,
                       "docx_fake" if fake_headings else "docx")

    return build


@pytest.fixture(scope="session")
def make_odt(pop_markup: str) -> Builder:
    """``make_odt(markup=None)`` → ODT bytes."""
    return _builder("odt", pop_markup)


@pytest.fixture(scope="session")
def make_txt(pop_markup: str) -> Builder:
    """``make_txt(markup=None)`` → UTF-8 text bytes as a centre's export gives them."""
    return _builder("txt", pop_markup)


@pytest.fixture(scope="session")
def make_scan(pop_markup: str) -> Builder:
    """``make_scan(markup=None)`` → an image-only PDF (no text layer): needs OCR."""
    return _builder("scan", pop_markup)
