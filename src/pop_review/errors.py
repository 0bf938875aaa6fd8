"""Coded errors: every way a document can fail to be reviewed, with one line for a person.

Codes are grouped like spaCy's ``Errors``: ``E1xx`` input (size, format, archive safety), ``E2xx``
parsing, ``E3xx`` OCR, ``E4xx`` resources (models), ``E5xx`` limits of time. The message never holds
document text or personal data: it names the file only by the label the caller passes in (a filename,
which a batch pseudonymises where needed). The API maps codes to HTTP statuses at its edge.
"""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    """Stable error codes with their message templates."""

    E101 = "empty file"
    E102 = "unknown or unsupported format (detected: {detected})"
    E103 = "file is larger than the limit ({size_mb:.2f} MB > {limit_mb:.2f} MB)"
    E104 = "too many pages ({pages} > {limit})"
    E105 = "archive or document decompresses to an implausible size (possible zip bomb: {detail})"
    E106 = "XML with entity or DTD declarations refused (possible XML bomb or external entity)"
    E107 = "archive entry with an unsafe path refused: {detail}"
    E108 = "file or folder not found: {path}"
    E109 = "too many entries in the archive ({entries} > {limit})"
    E201 = "corrupt or unreadable PDF ({detail})"
    E202 = "password-protected or encrypted PDF"
    E203 = "corrupt or unreadable DOCX ({detail})"
    E204 = "corrupt or unreadable ODT ({detail})"
    E205 = "corrupt or unreadable ZIP archive ({detail})"
    E206 = "text could not be decoded"
    E207 = "document contains no readable text"
    E301 = "OCR needed but Tesseract is not installed (install the Debian packages tesseract-ocr tesseract-ocr-nld)"
    E302 = "OCR failed on page {page} ({detail})"
    E401 = "model not found: {name} (build it with: {command})"
    E501 = "document took longer than the time limit ({seconds:.0f} s)"
    E502 = "document processing failed unexpectedly ({detail})"


class PopReviewError(Exception):
    """An error with a stable code and a one-line message that carries no document text.

    Parameters
    ----------
    code:
        The error code.
    **fields:
        Values for the message template of the code.
    """

    def __init__(self, code: ErrorCode, **fields: object) -> None:
        self.code = code
        self.fields = fields
        try:
            detail = code.value.format(**fields)
        except (KeyError, IndexError, ValueError):
            detail = code.value
        self.detail = detail
        super().__init__(f"{code.name}: {detail}")

    def to_dict(self) -> dict[str, str]:
        """The error as the contract's ``{"code", "message"}`` object."""
        return {"code": self.code.name, "message": self.detail}


def short(exc: BaseException) -> str:
    """A one-line, text-free description of an unexpected exception (its type only).

    Library exception messages can quote document content (a parser echoing a bad token), so only
    the class name is kept.
    """
    return type(exc).__name__
