"""Safe reading of ZIP containers (DOCX, ODT and ZIP archives of POPs).

Every container is checked before anything inside it is parsed: number of entries, declared total
uncompressed size, compression ratio (zip bombs), unsafe member paths (absolute, ``..``, drive
letters: path traversal) and XML parts with DTD/entity declarations (billion laughs, external
entities). Members are read with a hard byte cap, because a ZIP header can lie about sizes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from pop_review.config import Settings
from pop_review.errors import ErrorCode, PopReviewError

_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def open_checked(data: bytes, settings: Settings, *, corrupt: ErrorCode) -> zipfile.ZipFile:
    """Open a ZIP container after checking it against the limits.

    Parameters
    ----------
    data:
        The container bytes.
    settings:
        Limits (entries, uncompressed size, ratio).
    corrupt:
        The code to raise when the container cannot be read (E203 DOCX, E204 ODT, E205 ZIP).
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise PopReviewError(corrupt, detail=type(exc).__name__) from None
    if len(infos) > settings.max_archive_entries:
        raise PopReviewError(ErrorCode.E109, entries=len(infos), limit=settings.max_archive_entries)
    total = sum(i.file_size for i in infos)
    limit = settings.max_uncompressed_mb * 1024 * 1024
    if total > limit:
        raise PopReviewError(ErrorCode.E105, detail=f"{total / 1e6:.0f} MB uncompressed")
    packed = max(1, sum(i.compress_size for i in infos))
    if total > 1_000_000 and total / packed > settings.max_compression_ratio:
        raise PopReviewError(ErrorCode.E105, detail=f"ratio {total / packed:.0f}:1")
    for info in infos:
        if not safe_member_name(info.filename):
            raise PopReviewError(ErrorCode.E107, detail=_printable(info.filename))
    return zf


def safe_member_name(name: str) -> bool:
    """True when a member path stays inside the archive (no absolute path, no ``..``, no drive)."""
    if not name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return False
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return ".." not in parts


def read_member(zf: zipfile.ZipFile, name: str, settings: Settings, *, xml: bool = True) -> bytes:
    """Read one member with a byte cap; refuse XML with DTD or entity declarations."""
    cap = int(settings.max_uncompressed_mb * 1024 * 1024)
    with zf.open(name) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise PopReviewError(ErrorCode.E105, detail="member larger than declared")
    if xml and _DTD.search(data):
        raise PopReviewError(ErrorCode.E106)
    return data


def check_xml_members(zf: zipfile.ZipFile, settings: Settings) -> None:
    """Scan every XML member of an office document for DTD/entity declarations."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")) or info.filename == "content.xml":
            read_member(zf, info.filename, settings)


def _printable(name: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in name)[:120]
