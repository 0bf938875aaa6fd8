"""Decide a file's real format from its bytes, never from its name.

A ``.pdf`` that is really a DOCX is read as a DOCX; a ``.docx`` that is really a JPEG is refused as an
unknown format. ZIP containers are told apart by their members (``word/document.xml`` for DOCX, the
``mimetype`` member for ODT); any other ZIP is an archive of inputs (batch only).
"""

from __future__ import annotations

import io
import zipfile

PDF, DOCX, ODT, TXT, ZIP = "pdf", "docx", "odt", "txt", "zip"


def sniff(data: bytes) -> str:
    """Return ``pdf``, ``docx``, ``odt``, ``txt``, ``zip`` or a short description of an unsupported kind."""
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole (legacy .doc/.xls)"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    for magic, name in ((b"\x89PNG", "png image"), (b"\xff\xd8\xff", "jpeg image"), (b"GIF8", "gif image"),
                        (b"II*\x00", "tiff image"), (b"MM\x00*", "tiff image"), (b"\x1f\x8b", "gzip"),
                        (b"7z\xbc\xaf", "7z archive"), (b"Rar!", "rar archive"), (b"\x7fELF", "executable")):
        if data.startswith(magic):
            return name
    if _looks_like_text(data[:65536]):
        return TXT
    return "binary"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    mime = zf.read("mimetype").decode("ascii", "replace").strip()
                    if mime == "application/vnd.oasis.opendocument.text":
                        return ODT
                    return f"opendocument ({mime})"
            return ZIP
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # A broken ZIP header: let the DOCX reader produce the "corrupt" error with its code.
        return "corrupt zip"


def _looks_like_text(sample: bytes) -> bool:
    if not sample or b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        text = sample.decode("cp1252", errors="replace")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable / len(text) > 0.95
