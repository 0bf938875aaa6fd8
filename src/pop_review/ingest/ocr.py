"""OCR of pages without a text layer, with Tesseract (``nld``), one thread per process.

Tesseract's OpenMP threads fight each other on a small machine (ten times slower with two threads
here), so ``OMP_THREAD_LIMIT=1`` is set; parallelism comes from batch worker processes instead. Pages
are rendered at 300 dpi, enough for Dutch diacritics (é, ë, ï).
"""

from __future__ import annotations

import os
import shutil

from pop_review.config import Settings
from pop_review.document import Block
from pop_review.errors import ErrorCode, PopReviewError
from pop_review.ingest.txt import blocks_from_text

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def tesseract_available() -> bool:
    """True when the tesseract binary is on PATH."""
    return shutil.which("tesseract") is not None


def ocr_page(page: object, number: int, settings: Settings) -> list[Block]:
    """OCR one pypdfium2 page into blocks flagged ``ocr=True``."""
    if not tesseract_available():
        raise PopReviewError(ErrorCode.E301)
    import pytesseract

    image = page.render(scale=settings.ocr_dpi / 72).to_pil()  # type: ignore[attr-defined]
    try:
        text = pytesseract.image_to_string(image, lang=settings.ocr_lang, config="--psm 3",
                                           timeout=max(10, settings.doc_timeout_s / 2))
    except RuntimeError as exc:  # pytesseract's timeout
        raise PopReviewError(ErrorCode.E302, page=number, detail=type(exc).__name__) from None
    except pytesseract.TesseractError as exc:
        raise PopReviewError(ErrorCode.E302, page=number, detail=f"tesseract status {exc.status}") from None
    return blocks_from_text(text, page=number, ocr=True)
