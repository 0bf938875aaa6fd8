"""Measure document parsing (``pop_review.ingest.load_bytes``) per format, on one CPU core.

Renders N corpus POPs (``corpora/pop/docs/*.txt``, spread over the centres) with the corpus renderer as
text PDF, DOCX, ODT and TXT, plus a few image-only scans that need OCR, then parses every document
``--repeat`` times. Per document the median of its repeats is kept; the table gives the median and the
90th percentile over documents:

* text PDF: milliseconds per page;
* DOCX / ODT / TXT: milliseconds per document;
* scanned PDF (Tesseract ``nld``): seconds per page;

and the peak resident memory of this process (Tesseract's own subprocess is not included).
Rendering is not timed. Usage::

    .venv/bin/python bench/parse.py [--n 30] [--scans 3] [--repeat 5] [--ocr-repeat 5]
"""

from __future__ import annotations

import os

# One core: Tesseract's OpenMP threads and BLAS must be pinned before anything imports them.
for _var in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

from pop_review.config import Settings
from pop_review.corpus.render import render
from pop_review.ingest import load_bytes
from pop_review.ingest.ocr import tesseract_available

ROOT = Path(__file__).resolve().parents[1]
SUFFIX = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt", "txt": ".txt", "scan": ".pdf"}


def pick(docs: list[Path], n: int) -> list[Path]:
    """``n`` documents spread evenly over the sorted list (so over the centres)."""
    if n >= len(docs):
        return docs
    step = len(docs) / n
    return [docs[int(i * step)] for i in range(n)]


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (``q`` in 0–100)."""
    xs = sorted(values)
    if len(xs) == 1:
        return xs[0]
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def time_parse(data: bytes, name: str, settings: Settings, repeat: int) -> tuple[float, int, int]:
    """Median seconds of ``repeat`` parses, with the page count and number of OCR'd pages."""
    times = []
    pages = ocr = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        doc = load_bytes(data, name, settings)
        times.append(time.perf_counter() - t0)
        pages, ocr = doc.pages, len(doc.ocr_pages)
    return statistics.median(times), pages, ocr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "pop")
    ap.add_argument("--n", type=int, default=30, help="corpus POPs rendered per format")
    ap.add_argument("--scans", type=int, default=3, help="image-only PDFs (OCR)")
    ap.add_argument("--repeat", type=int, default=5, help="parses per document")
    ap.add_argument("--ocr-repeat", type=int, default=None, help="parses per scan (default: --repeat)")
    args = ap.parse_args()
    ocr_repeat = args.ocr_repeat or args.repeat

    settings = Settings()
    sources = sorted((args.corpus / "docs").glob("*.txt"))
    if not sources:
        sys.exit(f"no corpus documents under {args.corpus / 'docs'}")
    chosen = pick(sources, args.n)
    scans = pick(chosen, args.scans) if tesseract_available() else []

    t0 = time.perf_counter()
    rendered: dict[str, list[tuple[str, bytes]]] = {k: [] for k in SUFFIX}
    for src in chosen:
        markup = src.read_text(encoding="utf-8")
        for layout in ("pdf", "docx", "odt", "txt"):
            rendered[layout].append((src.stem + SUFFIX[layout], render(src.stem, markup, layout)[1]))
    for src in scans:
        rendered["scan"].append((src.stem + ".pdf", render(src.stem, src.read_text(encoding="utf-8"), "scan")[1]))
    render_s = time.perf_counter() - t0

    # warm-up: imports and first-call costs of every reader are not part of the numbers
    for layout in ("pdf", "docx", "odt", "txt"):
        load_bytes(rendered[layout][0][1], rendered[layout][0][0], settings)

    rows: list[tuple[str, str, int, int, float, float]] = []
    for layout, label in (("pdf", "text PDF"), ("docx", "DOCX"), ("odt", "ODT"), ("txt", "TXT"),
                          ("scan", "scanned PDF (OCR)")):
        items = rendered[layout]
        if not items:
            continue
        per_unit: list[float] = []
        pages_total = 0
        for name, data in items:
            secs, pages, ocr = time_parse(data, name, settings, ocr_repeat if layout == "scan" else args.repeat)
            pages_total += pages
            if layout == "pdf":
                per_unit.append(secs * 1000 / pages)
            elif layout == "scan":
                assert ocr == pages, f"{name}: expected every page to be OCR'd"
                per_unit.append(secs / pages)
            else:
                per_unit.append(secs * 1000)
            print(f"  {label:<18} {name:<12} {pages:>2} p. {secs * 1000:9.1f} ms", file=sys.stderr)
        unit = {"pdf": "ms / page", "scan": "s / page"}.get(layout, "ms / document")
        rows.append((label, unit, len(items), pages_total, statistics.median(per_unit), percentile(per_unit, 90)))

    # KiB on Linux. Tesseract runs as a child process and is not included: RUSAGE_CHILDREN would report
    # the fork-time image of this process, not Tesseract's own memory.
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"Parsing benchmark: {len(chosen)} corpus POPs per format, {len(scans)} scans, "
          f"{args.repeat} parses per document ({ocr_repeat} per scan), median of the repeats per document; "
          f"Python {platform.python_version()}, {platform.machine()}, one thread, "
          f"rendering took {render_s:.1f} s (not timed).")
    print()
    print("| format | unit | documents | pages | median | p90 |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for label, unit, n_docs, n_pages, med, p90 in rows:
        fmt = "{:.2f}" if unit == "s / page" else "{:.1f}"
        print(f"| {label} | {unit} | {n_docs} | {n_pages} | {fmt.format(med)} | {fmt.format(p90)} |")
    print()
    print(f"Peak RSS: {self_mb:.0f} MB (this process: parsers, pdfium, page images for OCR; "
          "the tesseract subprocess not included).")
    if not scans:
        print("OCR not measured: tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-nld).")


if __name__ == "__main__":
    main()
