"""Benchmark: time per document for the whole review on one core, stage by stage, and peak memory.

Run: ``.venv/bin/python bench/review.py [--n 30]``. Renders corpus POPs (train split) as text PDFs,
then reviews each in-process with one torch thread: parse → NLP → features → embeddings + heads →
assessors → report (pseudonymisation). Prints a markdown table the README quotes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from pop_review.config import Settings  # noqa: E402
from pop_review.corpus.labels import split_ids  # noqa: E402
from pop_review.corpus.render import render  # noqa: E402
from pop_review.ingest import load_bytes  # noqa: E402
from pop_review.review import Reviewer  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "pop"


def main() -> None:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    settings = Settings()
    t = time.perf_counter()
    reviewer = Reviewer(settings)
    load_s = time.perf_counter() - t
    ids = split_ids(CORPUS, "train")[: args.n]
    docs = [(i, render(i, (CORPUS / "docs" / f"{i}.txt").read_text(encoding="utf-8"), "pdf")[1]) for i in ids]
    reviewer.review_bytes(docs[0][1], "warmup.pdf")  # first call compiles regexes and warms caches
    stages: dict[str, list[float]] = {k: [] for k in ("parse", "nlp", "embed", "assess", "report", "total")}
    pages, words = [], []
    for doc_id, data in docs:
        if reviewer.encoder is not None:
            reviewer.encoder.cache_clear()  # type: ignore[attr-defined]  (measure cold documents)
        t0 = time.perf_counter()
        doc = load_bytes(data, f"{doc_id}.pdf", settings)
        t1 = time.perf_counter()
        laps: dict[str, float] = {}
        reviewer.review_document(doc, timings=laps)
        t5 = time.perf_counter()
        stages["parse"].append((t1 - t0) * 1000)
        for k in ("nlp", "embed", "assess", "report"):
            stages[k].append(laps[k] * 1000)
        stages["total"].append((t5 - t0) * 1000)
        pages.append(doc.pages)
        words.append(doc.words)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(docs)} text-PDF POPs, median {statistics.median(pages)} pages / {statistics.median(words)} words; "
          f"model load {load_s:.1f} s; embeddings: {'on' if reviewer.encoder is not None else 'off'}")
    print("\n| stage | median ms/doc | p90 ms/doc |\n| --- | ---: | ---: |")
    for k, v in stages.items():
        v = sorted(v)
        print(f"| {k} | {statistics.median(v):.0f} | {v[int(0.9 * (len(v) - 1))]:.0f} |")
    per_page = [s / p for s, p in zip(stages["total"], pages, strict=True)]
    wps = sum(words) / (sum(stages["nlp"]) / 1000)
    print(f"\nper page: median {statistics.median(per_page):.0f} ms; NLP (parse excluded): {wps:,.0f} words/s; "
          f"pseudonymised report: {100 * statistics.median(stages['report']) / statistics.median(stages['total']):.0f}% "
          f"of the time; peak RSS {peak_mb:.0f} MB (one process, one core)")


def thousand_words() -> None:
    """Issue 3's check: a 1,000-word POP read end to end (parse → report) without embeddings."""
    settings = Settings(use_embeddings=False)
    reviewer = Reviewer(settings)
    ids = split_ids(CORPUS, "train")
    parts, words = [], 0
    for i in ids:
        text = (CORPUS / "docs" / f"{i}.txt").read_text(encoding="utf-8")
        parts.append(text)
        words += len(text.split())
        if words >= 1000:
            break
    data = render("bench_1000", "\n\n".join(parts), "pdf")[1]
    reviewer.review_bytes(data, "warmup.pdf")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        review = reviewer.review_bytes(data, "bench.pdf")
        times.append((time.perf_counter() - t) * 1000)
    print(f"\n{review.document.words}-word POP ({review.document.pages} pages), end to end without embeddings: "
          f"median {statistics.median(times):.0f} ms over 5 runs")


if __name__ == "__main__":
    thousand_words()
    main()
