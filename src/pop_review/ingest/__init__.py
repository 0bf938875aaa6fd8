"""Ingestion: bytes → :class:`~pop_review.document.Document`, and expansion of batch inputs.

``load_bytes`` sniffs the real format and dispatches to the reader; ``expand_inputs`` turns files,
folders (recursive) and ZIP archives (read in memory, never extracted to disk) into named byte sources.
Every refusal is a :class:`~pop_review.errors.PopReviewError` with a code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pop_review.config import Settings
from pop_review.document import Document
from pop_review.errors import ErrorCode, PopReviewError
from pop_review.ingest.sniff import DOCX, ODT, PDF, TXT, ZIP, sniff

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".odt", ".txt", ".zip", ".text", ".md"}


def load_bytes(data: bytes, filename: str, settings: Settings) -> Document:
    """Parse one document from its bytes.

    Raises
    ------
    PopReviewError
        E101 empty, E102 unsupported, E103 too large, and the reader's own codes.
    """
    if not data or not data.strip():
        raise PopReviewError(ErrorCode.E101)
    if len(data) > settings.max_file_mb * 1024 * 1024:
        raise PopReviewError(ErrorCode.E103, size_mb=len(data) / 1048576, limit_mb=settings.max_file_mb)
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    if kind == PDF:
        from pop_review.ingest.pdf import read_pdf

        doc = read_pdf(data, filename, sha, settings)
    elif kind in (DOCX, "corrupt zip") and filename.lower().endswith((".docx", ".docm")):
        from pop_review.ingest.docx import read_docx

        doc = read_docx(data, filename, sha, settings)
    elif kind == DOCX:
        from pop_review.ingest.docx import read_docx

        doc = read_docx(data, filename, sha, settings)
    elif kind == ODT or (kind == "corrupt zip" and filename.lower().endswith(".odt")):
        from pop_review.ingest.odt import read_odt

        doc = read_odt(data, filename, sha, settings)
    elif kind == TXT:
        from pop_review.ingest.txt import read_txt

        doc = read_txt(data, filename, sha)
    elif kind == "corrupt zip":
        raise PopReviewError(ErrorCode.E205, detail="bad zip structure")
    else:
        raise PopReviewError(ErrorCode.E102, detected=kind)
    if not doc.blocks or doc.words == 0:
        raise PopReviewError(ErrorCode.E207)
    return doc


@dataclass(slots=True)
class Source:
    """One input document: a display name, a stable key and a way to get its bytes (or an error)."""

    name: str
    data: bytes | None
    error: PopReviewError | None = None


def expand_inputs(inputs: list[str], settings: Settings) -> Iterator[Source]:
    """Yield every document under the inputs: files, folders (recursive) and ``.zip`` archives.

    A ZIP is read in memory after the archive checks (bomb, traversal, entry count); a broken input
    yields a ``Source`` carrying its error so the batch records it and goes on.
    """
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and not p.name.startswith(".") and not p.is_symlink():
                    yield from _file_sources(p, settings)
        elif path.is_file():
            yield from _file_sources(path, settings)
        else:
            yield Source(str(path), None, PopReviewError(ErrorCode.E108, path=path.name))


def _file_sources(path: Path, settings: Settings) -> Iterator[Source]:
    try:
        size = path.stat().st_size
        if size > settings.max_file_mb * 1024 * 1024:
            raise PopReviewError(ErrorCode.E103, size_mb=size / 1048576, limit_mb=settings.max_file_mb)
        data = path.read_bytes()
    except PopReviewError as exc:
        yield Source(str(path), None, exc)
        return
    except OSError:
        yield Source(str(path), None, PopReviewError(ErrorCode.E108, path=path.name))
        return
    if path.suffix.lower() == ".zip" or (data[:4] == b"PK\x03\x04" and sniff(data) == ZIP):
        yield from _zip_sources(str(path), data, settings)
    else:
        yield Source(str(path), data)


def _zip_sources(name: str, data: bytes, settings: Settings) -> Iterator[Source]:
    from pop_review.ingest.safezip import open_checked, read_member

    try:
        zf = open_checked(data, settings, corrupt=ErrorCode.E205)
    except PopReviewError as exc:
        yield Source(name, None, exc)
        return
    with zf:
        for info in zf.infolist():
            if info.is_dir() or Path(info.filename).name.startswith("."):
                continue
            member = f"{name}!{info.filename}"
            try:
                inner = read_member(zf, info.filename, settings, xml=False)
            except PopReviewError as exc:
                yield Source(member, None, exc)
                continue
            yield Source(member, inner)
