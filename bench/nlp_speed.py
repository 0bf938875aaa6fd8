"""Measure the speed of the Dutch pipeline (``models/nl_pop_ud``) on one CPU core.

Runs the pipeline over the raw text of the held-out UD test part (documents of ten sentences)
twice: with the parser, and with the parser excluded so that the senter splits sentences.

Usage::

    python bench/nlp_speed.py [--model models/nl_pop_ud] [--repeats 3]
"""

from __future__ import annotations

import os

# One core: BLAS and OpenMP must be pinned before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import time
from pathlib import Path

import spacy

import pop_review.nlp.tokenizer  # noqa: F401
from pop_review.training import ud

ROOT = Path(__file__).resolve().parents[1]


def heldout_texts() -> list[str]:
    """Return the held-out test text as documents of up to ten consecutive sentences."""
    sentences = [
        s
        for name in ud.CURRENT_DEV
        for s in ud.read_conllu(ud.ORIGINAL_DIR / name)
        if ud.is_heldout(s)
    ]
    texts: list[str] = []
    group: list[str] = []
    for s in sentences:
        group.append(ud.sentence_text(s))
        if len(group) == ud.SENTENCES_PER_DOC:
            texts.append(" ".join(group))
            group = []
    if group:
        texts.append(" ".join(group))
    return texts


def words_per_second(nlp: spacy.language.Language, texts: list[str], repeats: int) -> float:
    """Best-of-``repeats`` throughput in tokens per second."""
    list(nlp.pipe(texts[:20]))  # warm-up
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        n_words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
        best = max(best, n_words / (time.perf_counter() - start))
    return best


def main() -> None:
    """Print the measurements as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "nl_pop_ud")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    texts = heldout_texts()
    full = spacy.load(args.model)
    no_parser = spacy.load(args.model, exclude=["parser"])
    result = {
        "words": sum(len(doc) for doc in full.tokenizer.pipe(texts)),
        "with_parser_wps": round(words_per_second(full, texts, args.repeats)),
        "parser_excluded_senter_wps": round(words_per_second(no_parser, texts, args.repeats)),
        "pipeline": full.pipe_names,
        "pipeline_without_parser": no_parser.pipe_names,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
