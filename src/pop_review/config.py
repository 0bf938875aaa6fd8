"""Settings: one object, read from ``POP_REVIEW_*`` environment variables, safe single-machine defaults.

Limits protect the service from hostile or broken input (size, pages, decompression, time); paths say
where the trained models live. ``get_settings()`` returns a cached instance; tests and the API inject
their own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """All tunable settings of pop-review."""

    model_config = SettingsConfigDict(env_prefix="POP_REVIEW_", env_file=".env", extra="ignore")

    max_file_mb: float = Field(50.0, description="largest accepted input file")
    max_pages: int = Field(200, description="most pages read from one document")
    max_uncompressed_mb: float = Field(200.0, description="largest total uncompressed size of a DOCX/ODT/ZIP")
    max_compression_ratio: float = Field(100.0, description="largest uncompressed/compressed ratio of an archive")
    max_archive_entries: int = Field(20_000, description="most entries in a ZIP/DOCX/ODT")
    doc_timeout_s: float = Field(120.0, description="time limit for one document (parse + review)")
    ocr_dpi: int = Field(300, description="rendering resolution for OCR; 300 dpi reads Dutch diacritics")
    ocr_lang: str = Field("nld", description="Tesseract language")
    ocr_min_chars: int = Field(20, description="a page with fewer extracted characters is OCR'd")
    models_dir: Path = Field(REPO_ROOT / "models", description="trained models")
    nlp_model: str = Field("nl_pop_ud", description="spaCy pipeline folder under models_dir")
    nlp_fast: bool = Field(True, description="exclude the parser and use the senter (fast mode)")
    embeddings_model: str = Field("e5-small/model", description="sentence-transformers folder under models_dir")
    use_embeddings: bool = Field(True, description="use the sentence embeddings when the model is built")
    embeddings_int8: bool = Field(True, description="int8 encoder with fixed activation ranges (about 1.7x faster, batch-independent)")
    ruleset: Path = Field(REPO_ROOT / "src" / "pop_review" / "resources" / "ruleset.json")
    database_url: str = Field("sqlite:///pop_review.sqlite3", description="SQLAlchemy URL of the store")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
