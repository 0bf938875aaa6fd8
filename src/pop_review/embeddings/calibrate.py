"""Fixed activation ranges for the int8 encoder, measured on the corpus's training sentences.

Dynamic int8 quantisation scales a linear layer's input by the range of the *whole* input tensor,
so a sentence's vector would depend on the sentences batched with it (and, through the cache, on the
documents reviewed before). Fixing each layer's range once — the smallest and largest input value the
float32 model gives on the training POPs' sentences — makes the quantisation a function of the
sentence alone, which is what lets :class:`~pop_review.embeddings.encoder.Encoder` batch again.

The ranges are a trained artefact: ``models/e5-small/activation_ranges.json`` is committed and
rebuilt with::

    python -m pop_review.embeddings.calibrate --corpus corpora/pop --out models/e5-small/activation_ranges.json

Only the ``train`` split is read; dev and test sentences never set a range.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import re
from collections.abc import Sequence
from pathlib import Path

from pop_review.corpus.labels import load_gold, plain_text
from pop_review.embeddings.build import DEFAULT_OUT, WEIGHTS_NAME, sha256_file

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_RANGES", "RANGES_FORMAT", "calibration_sentences", "load_ranges", "measure_ranges", "main"]

DEFAULT_RANGES = DEFAULT_OUT.parent / "activation_ranges.json"
RANGES_FORMAT = "pop-review activation ranges v1"
MAX_SENTENCES = 3000
_SPLIT = re.compile(r"(?<=[.!?])\s+|\n")


def calibration_sentences(corpus: Path, limit: int = MAX_SENTENCES, seed: int = 13) -> list[str]:
    """Content sentences of the train split (four words or more), a fixed random sample.

    Parameters
    ----------
    corpus : Path
        Corpus folder with ``splits.json``, ``docs/`` and ``labels/``.
    limit : int, optional
        Sample size.
    seed : int, optional
        Sampling seed, so that a rebuild gives the same ranges.

    Returns
    -------
    list of str
        Sentences in sample order.
    """
    sentences = sorted({
        s.strip()
        for gold in load_gold(corpus, "train")
        for s in _SPLIT.split(plain_text(gold.markup))
        if len(s.split()) >= 4
    })
    random.Random(seed).shuffle(sentences)
    return sentences[:limit]


def measure_ranges(model_dir: Path, sentences: Sequence[str], prompt: str = "query: ") -> dict[str, list[float]]:
    """Smallest and largest input of every linear layer of the float32 model over the sentences.

    Parameters
    ----------
    model_dir : Path
        Built sentence-transformers folder.
    sentences : sequence of str
        Calibration sentences.
    prompt : str, optional
        The prompt the encoder puts before every sentence.

    Returns
    -------
    dict
        Module name (as in ``named_modules``) → ``[low, high]``.
    """
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    ranges: dict[str, list[float]] = {}

    def hook(name: str):  # type: ignore[no-untyped-def]
        def record(_module: torch.nn.Module, inputs: tuple[torch.Tensor, ...], _output: torch.Tensor) -> None:
            x = inputs[0]
            lo, hi = float(x.min()), float(x.max())
            old = ranges.get(name)
            ranges[name] = [lo, hi] if old is None else [min(old[0], lo), max(old[1], hi)]
        return record

    handles = [m.register_forward_hook(hook(n)) for n, m in model.named_modules() if isinstance(m, torch.nn.Linear)]
    try:
        model.encode(list(sentences), prompt=prompt, batch_size=32, show_progress_bar=False)
    finally:
        for h in handles:
            h.remove()
    return ranges


def load_ranges(path: Path) -> dict[str, tuple[float, float]]:
    """Read an ``activation_ranges.json``.

    Raises
    ------
    FileNotFoundError
        If the file is absent.
    ValueError
        If it is not a ranges file of this format.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != RANGES_FORMAT or not isinstance(data.get("ranges"), dict):
        raise ValueError(f"{path} is not a {RANGES_FORMAT!r} file")
    return {name: (float(lo), float(hi)) for name, (lo, hi) in data["ranges"].items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: measure the ranges and write the JSON file."""
    parser = argparse.ArgumentParser(prog="python -m pop_review.embeddings.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpora/pop"))
    parser.add_argument("--model", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--out", type=Path, default=DEFAULT_RANGES)
    parser.add_argument("--limit", type=int, default=MAX_SENTENCES)
    args = parser.parse_args(argv)
    sentences = calibration_sentences(args.corpus, args.limit)
    ranges = measure_ranges(args.model, sentences)
    payload = {
        "format": RANGES_FORMAT,
        "model_sha256": sha256_file(args.model / WEIGHTS_NAME),
        "corpus": str(args.corpus),
        "split": "train",
        # the train split grows with the corpus: a later rebuild gives other ranges (and then the
        # criteria models must be retrained on the new vectors)
        "splits_version": json.loads((args.corpus / "splits.json").read_text(encoding="utf-8")).get("version"),
        "sentences": len(sentences),
        "prompt": "query: ",
        # rounded outwards, so that no calibration value falls outside its stored range
        "ranges": {name: [math.floor(lo * 1e4) / 1e4, math.ceil(hi * 1e4) / 1e4] for name, (lo, hi) in sorted(ranges.items())},
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    logger.info("wrote %d layer ranges from %d sentences", len(ranges), len(sentences))
    print(f"{args.out}: {len(ranges)} layers, {len(sentences)} sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
