"""Hostile and broken inputs: every one is refused with its error code, fast, without document text.

Each case is built in memory at test time. ``load_bytes`` must raise a :class:`PopReviewError` with
the expected code; a selection also goes through ``pop-review analyse`` in a subprocess, which must
exit 1 with one ``<file>: E...`` line on stderr and print nothing on stdout.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pop_review.config import Settings
from pop_review.errors import ErrorCode, PopReviewError
from pop_review.ingest import expand_inputs, load_bytes

POP_REVIEW = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "pop-review"

# A DTD whose entities expand to 10**8 copies of "lol" if a parser were to honour it.
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 9))
    + "]>"
)
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# --------------------------------------------------------------------------- builders


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """A copy of a ZIP container with members replaced or added (deflated)."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, payload in add.items():
            zout.writestr(name, payload)
    return out.getvalue()


def with_dtd(xml: bytes, dtd: str, entity: str) -> bytes:
    """Insert ``dtd`` after the XML declaration and use ``entity`` in the first text node."""
    text = xml.decode("utf-8")
    decl_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
    text = text[:decl_end] + dtd + text[decl_end:]
    text = text.replace("Identificatie", f"&{entity};", 1)
    return text.encode("utf-8")


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def encrypted_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")  # user password: cannot be opened without it
    c.drawString(72, 720, "Mijn loopbaanvraag: welke job past bij mij na twaalf jaar boekhouding?")
    c.save()
    return buf.getvalue()


def png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 32), "white").save(buf, format="PNG")
    return buf.getvalue()


def archive(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return buf.getvalue()


# --------------------------------------------------------------------------- load_bytes cases

# (id, builder(make) -> (bytes, filename), settings overrides, expected code)
# ``make`` is a dict of the conftest builders; the builders run inside the test.
Case = tuple[str, Callable[[dict], tuple[bytes, str]], dict, ErrorCode]

CASES: list[Case] = [
    # nothing at all
    ("empty", lambda m: (b"", "leeg.pdf"), {}, ErrorCode.E101),
    # spaces, tabs and newlines only: no text to review
    ("whitespace-only", lambda m: (b" \t\r\n  \n\n\t ", "leeg.txt"), {}, ErrorCode.E101),
    # random bytes with NULs: not text, no known magic
    ("unknown-binary", lambda m: (bytes(range(256)) * 16, "pop.pdf"), {}, ErrorCode.E102),
    # a PNG under a .pdf name: the bytes decide
    ("png-named-pdf", lambda m: (png(), "pop.pdf"), {}, ErrorCode.E102),
    # legacy Word 97-2003: OLE compound file header
    ("ole-doc", lambda m: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048, "pop.doc"), {},
     ErrorCode.E102),
    # an executable renamed to .docx
    ("elf-named-docx", lambda m: (b"\x7fELF\x02\x01\x01" + b"\x00" * 512, "pop.docx"), {}, ErrorCode.E102),
    # a real PDF cut in half (transfer aborted): no xref, no trailer
    ("pdf-truncated", lambda m: (m["pdf"]()[: len(m["pdf"]()) // 2], "half.pdf"), {}, ErrorCode.E201),
    # the PDF magic followed by garbage
    ("pdf-garbage", lambda m: (b"%PDF-1.7\n" + bytes(range(256)) * 40, "rommel.pdf"), {}, ErrorCode.E201),
    # only the PDF header line
    ("pdf-header-only", lambda m: (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "kop.pdf"), {}, ErrorCode.E201),
    # a PDF with a user password
    ("pdf-encrypted", lambda m: (encrypted_pdf(), "geheim.pdf"), {}, ErrorCode.E202),
    # a DOCX whose main part is not XML
    ("docx-broken-xml", lambda m: (rezip(m["docx"](), {"word/document.xml": b"<w:document><unclosed"}),
                                   "kapot.docx"), {}, ErrorCode.E203),
    # a DOCX cut in half: no central directory
    ("docx-truncated", lambda m: (m["docx"]()[: len(m["docx"]()) // 2], "half.docx"), {}, ErrorCode.E203),
    # a ZIP without the DOCX main part, named .docx: not a document (an archive of inputs)
    ("docx-without-document-xml", lambda m: (archive({"readme.txt": b"hallo"}), "pop.docx"), {},
     ErrorCode.E102),
    # a truncated ZIP without a .docx/.odt name: a corrupt archive
    ("zip-truncated", lambda m: (m["docx"]()[: len(m["docx"]()) // 3], "pop.bin"), {}, ErrorCode.E205),
    # larger than max_file_mb (checked before anything is parsed)
    ("too-large", lambda m: (m["pdf"]() + b"\n%" + b"x" * 200_000, "groot.pdf"), {"max_file_mb": 0.1},
     ErrorCode.E103),
    # three pages with max_pages=2
    ("too-many-pages", lambda m: (m["pdf"](m["long"]), "lang.pdf"), {"max_pages": 2}, ErrorCode.E104),
    # zip bomb: a 30 MB member of zeros deflates ~1000:1, over max_uncompressed_mb=10
    ("docx-zip-bomb-size", lambda m: (rezip(m["docx"](), add={"word/media/image1.bin": b"0" * 30_000_000}),
                                      "bom.docx"), {"max_uncompressed_mb": 10}, ErrorCode.E105),
    # below the size limit but with an implausible compression ratio (> max_compression_ratio)
    ("docx-zip-bomb-ratio", lambda m: (rezip(m["docx"](), add={"word/media/image1.bin": b"0" * 8_000_000}),
                                       "bom.docx"), {"max_uncompressed_mb": 10, "max_compression_ratio": 100},
     ErrorCode.E105),
    # an ODT bomb
    ("odt-zip-bomb", lambda m: (rezip(m["odt"](), add={"Pictures/x.bin": b"0" * 30_000_000}), "bom.odt"),
     {"max_uncompressed_mb": 10}, ErrorCode.E105),
    # billion laughs in the DOCX main part
    ("docx-billion-laughs", lambda m: (rezip(m["docx"](), {"word/document.xml": with_dtd(
        member(m["docx"](), "word/document.xml"), BILLION_LAUGHS, "lol8")}), "lol.docx"), {}, ErrorCode.E106),
    # external entity (XXE) in a DOCX relationship part
    ("docx-xxe-rels", lambda m: (rezip(m["docx"](), {"word/_rels/document.xml.rels": with_dtd(
        member(m["docx"](), "word/_rels/document.xml.rels"), XXE, "xxe")}), "xxe.docx"), {}, ErrorCode.E106),
    # billion laughs in the ODT body
    ("odt-billion-laughs", lambda m: (rezip(m["odt"](), {"content.xml": with_dtd(
        member(m["odt"](), "content.xml"), BILLION_LAUGHS, "lol8")}), "lol.odt"), {}, ErrorCode.E106),
    # external entity in the ODT styles (odfpy parses styles.xml with SAX too)
    ("odt-xxe-styles", lambda m: (rezip(m["odt"](), {"styles.xml": with_dtd(
        member(m["odt"](), "styles.xml"), XXE, "xxe")}), "xxe.odt"), {}, ErrorCode.E106),
    # a lower-case doctype is still a doctype
    ("odt-lowercase-doctype", lambda m: (rezip(m["odt"](), {"content.xml": with_dtd(
        member(m["odt"](), "content.xml"), BILLION_LAUGHS.replace("DOCTYPE", "doctype"), "lol8")}),
        "lol.odt"), {}, ErrorCode.E106),
    # a DOCX with more members than max_archive_entries
    ("docx-too-many-entries", lambda m: (rezip(m["docx"](), add={f"customXml/item{i}.bin": b"x" for i in range(60)}),
                                         "veel.docx"), {"max_archive_entries": 50}, ErrorCode.E109),
    # a DOCX with a traversal member name
    ("docx-traversal-member", lambda m: (rezip(m["docx"](), add={"../../evil.txt": b"x"}), "pad.docx"), {},
     ErrorCode.E107),
]


@pytest.fixture(scope="module")
def builders(make_pdf, make_docx, make_odt, long_pop_markup: str) -> dict:
    return {"pdf": make_pdf, "docx": make_docx, "odt": make_odt, "long": long_pop_markup}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case_id, build, overrides, code", CASES, ids=[c[0] for c in CASES])
def test_load_bytes_refuses(builders: dict, settings: Settings, case_id: str,
                            build: Callable[[dict], tuple[bytes, str]], overrides: dict, code: ErrorCode,
                            capsys: pytest.CaptureFixture[str]) -> None:
    data, filename = build(builders)
    s = settings.model_copy(update=overrides) if overrides else settings
    with pytest.raises(PopReviewError) as ei:
        load_bytes(data, filename, s)
    err = ei.value
    assert err.code is code, f"{case_id}: got {err}"
    # one line, code first, and no document text in it
    line = str(err)
    assert line.startswith(f"{code.name}: ") and "\n" not in line
    assert "loopbaanvraag" not in line.lower() and "Wuyts" not in line
    assert err.to_dict() == {"code": code.name, "message": err.detail}
    out = capsys.readouterr()
    assert "Wuyts" not in out.out + out.err


def test_default_limits_accept_the_builders(builders: dict) -> None:
    """Sanity check for the table above: the unmodified documents pass with default settings."""
    s = Settings()
    for kind in ("pdf", "docx", "odt"):
        assert load_bytes(builders[kind](), f"pop.{kind}", s).words > 100
    assert load_bytes(builders["pdf"](builders["long"]), "lang.pdf", s).pages >= 3


def test_corrupt_odt_content_is_refused(make_odt, settings: Settings) -> None:
    # a broken content.xml never yields a "reviewed" document
    data = rezip(make_odt(), {"content.xml": b"<office:document-content><unclosed"})
    with pytest.raises(PopReviewError) as ei:
        load_bytes(data, "kapot.odt", settings)
    assert ei.value.code in (ErrorCode.E204, ErrorCode.E207)


def test_corrupt_odt_is_e204_and_silent(make_odt, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    xml = member(make_odt(), "content.xml").replace(b"</office:document-content>", b"")
    with pytest.raises(PopReviewError) as ei:
        load_bytes(rezip(make_odt(), {"content.xml": xml}), "kapot.odt", settings)
    assert "Wuyts" not in capsys.readouterr().out
    assert ei.value.code is ErrorCode.E204


# --------------------------------------------------------------------------- archives for batch

# (id, members or raw bytes, settings overrides, expected code)
ARCHIVE_CASES = [
    # parent-directory traversal
    ("dotdot", {"ok.txt": b"Mijn loopbaanvraag gaat over HR.", "../evil.txt": b"x"}, {}, ErrorCode.E107),
    # absolute path
    ("absolute", {"ok.txt": b"Mijn loopbaanvraag gaat over HR.", "/etc/passwd": b"root:x:0:0"}, {},
     ErrorCode.E107),
    # traversal hidden in the middle of the path, Windows separators
    ("nested-backslash", {"pops\\..\\..\\evil.txt": b"x"}, {}, ErrorCode.E107),
    # drive letter
    ("drive-letter", {"C:/Windows/evil.txt": b"x"}, {}, ErrorCode.E107),
    # more entries than max_archive_entries
    ("too-many-entries", {f"pop{i:03d}.txt": b"Mijn loopbaanvraag." for i in range(30)},
     {"max_archive_entries": 10}, ErrorCode.E109),
    # a bomb among the inputs
    ("bomb", {"pop.txt": b"0" * 30_000_000}, {"max_uncompressed_mb": 10}, ErrorCode.E105),
    # not a readable ZIP at all, but named .zip
    ("corrupt", b"PK\x03\x04" + b"\x00" * 64, {}, ErrorCode.E205),
]


@pytest.mark.parametrize("case_id, content, overrides, code", ARCHIVE_CASES, ids=[c[0] for c in ARCHIVE_CASES])
def test_expand_inputs_refuses_archive(tmp_path: Path, settings: Settings, case_id: str,
                                       content: dict | bytes, overrides: dict, code: ErrorCode) -> None:
    path = tmp_path / "inzending.zip"
    path.write_bytes(content if isinstance(content, bytes) else archive(content))
    s = settings.model_copy(update=overrides) if overrides else settings
    sources = list(expand_inputs([str(tmp_path)], s))
    assert len(sources) == 1, "a refused archive is one failed source, none of its members is read"
    src = sources[0]
    assert src.data is None and src.error is not None
    assert src.error.code is code
    assert src.name == str(path)
    # nothing was extracted next to (or above) the archive
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inzending.zip"]
    assert not (tmp_path.parent / "evil.txt").exists()


def test_expand_inputs_reads_safe_archive_in_memory(tmp_path: Path, settings: Settings, make_docx) -> None:
    path = tmp_path / "ok.zip"
    path.write_bytes(archive({"map/pop.docx": make_docx(), "map/.verborgen": b"x", "map/": b""}))
    sources = list(expand_inputs([str(path)], settings))
    assert [(s.name, s.error) for s in sources] == [(f"{path}!map/pop.docx", None)]
    assert sources[0].data == make_docx()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.zip"]


def test_expand_inputs_missing_path(tmp_path: Path, settings: Settings) -> None:
    (src,) = expand_inputs([str(tmp_path / "bestaat-niet.pdf")], settings)
    assert src.error is not None and src.error.code is ErrorCode.E108


# --------------------------------------------------------------------------- through the CLI

# (id, builder(make) -> (bytes, filename), POP_REVIEW_* environment, expected code)
CLI_CASES = [
    # empty file
    ("empty", lambda m: (b"", "leeg.pdf"), {}, "E101"),
    # legacy .doc
    ("ole-doc", lambda m: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048, "oud.doc"), {}, "E102"),
    # garbage after the PDF magic
    ("pdf-garbage", lambda m: (b"%PDF-1.7\n" + bytes(range(256)) * 40, "rommel.pdf"), {}, "E201"),
    # password-protected PDF
    ("pdf-encrypted", lambda m: (encrypted_pdf(), "geheim.pdf"), {}, "E202"),
    # limits from the environment: max pages
    ("too-many-pages", lambda m: (m["pdf"](m["long"]), "lang.pdf"), {"POP_REVIEW_MAX_PAGES": "2"}, "E104"),
    # zip bomb with a 10 MB limit from the environment
    ("docx-zip-bomb", lambda m: (rezip(m["docx"](), add={"word/media/x.bin": b"0" * 30_000_000}), "bom.docx"),
     {"POP_REVIEW_MAX_UNCOMPRESSED_MB": "10"}, "E105"),
    # billion laughs
    ("docx-billion-laughs", lambda m: (rezip(m["docx"](), {"word/document.xml": with_dtd(
        member(m["docx"](), "word/document.xml"), BILLION_LAUGHS, "lol8")}), "lol.docx"), {}, "E106"),
    # over the file size limit: refused by the CLI before a worker starts
    ("too-large", lambda m: (m["pdf"]() + b"\n%" + b"x" * 300_000, "groot.pdf"),
     {"POP_REVIEW_MAX_FILE_MB": "0.1"}, "E103"),
]


def cli_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POP_REVIEW_")}
    env.update(extra)
    return env


@pytest.mark.parametrize("case_id, build, env, code", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli_analyse_refuses(builders: dict, tmp_path: Path, case_id: str,
                             build: Callable[[dict], tuple[bytes, str]], env: dict[str, str], code: str) -> None:
    data, filename = build(builders)
    path = tmp_path / filename
    path.write_bytes(data)
    proc = subprocess.run([str(POP_REVIEW), "analyse", str(path), "--format", "json"], check=False,
                          capture_output=True, text=True, timeout=60, cwd=tmp_path, env=cli_env(env))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if re.search(r"\bE\d{3}\b", ln)]
    assert len(lines) == 1, proc.stderr
    assert re.fullmatch(rf"{re.escape(filename)}: {code}: \S.*", lines[0]), lines[0]
    assert "Wuyts" not in proc.stderr and "loopbaanvraag" not in proc.stderr.lower()
