"""Template copies: near-identical POPs of different clients, found after the per-document pass.

Copying shows in shared *wording*, not shared meaning, so documents are compared by MinHash over word
3-gram shingles of their text after personal data, digits and case are normalised away (two POPs about
the same topic written separately share few 3-grams; a copy with names and dates changed shares most).
Only the signature leaves the worker, never the text.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

N_PERM = 128
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20261128)
_A = _rng.integers(1, _PRIME, N_PERM, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, N_PERM, dtype=np.uint64)


def normalise(text: str, *, pseudonymised: bool = False) -> list[str]:
    """Words of the text with personal data replaced by type tags, digits folded, lower-cased
    (``pseudonymised``: the placeholders are already in, as the review made them)."""
    from pop_review.privacy import pseudonymise_text

    t = text if pseudonymised else pseudonymise_text(text)
    t = re.sub(r"\[([A-Z]+)-\d+\]", r"\1", t)
    t = re.sub(r"\d+", "0", t.lower())
    return re.findall(r"\w+", t)


def fingerprint(text: str, k: int = 3, *, pseudonymised: bool = False) -> list[int]:
    """MinHash signature (N_PERM values) of the word k-gram shingles; empty for very short texts."""
    words = normalise(text, pseudonymised=pseudonymised)
    if len(words) < k + 5:
        return []
    shingles = {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}
    hashes = np.array([int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") >> 3
                       for s in shingles], dtype=np.uint64)
    # (a*x + b) mod p over uint64 would overflow: use Python ints on the reduced hashes via object math
    hv = (np.outer(hashes % np.uint64(1 << 31), _A % np.uint64(1 << 31)) + _B) % np.uint64(_PRIME)
    return [int(v) for v in hv.min(axis=0)]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or not b:
        return 0.0
    return float(np.mean(np.array(a) == np.array(b)))


def find_groups(signatures: dict[str, list[int]], min_similarity: float) -> dict[str, list[tuple[str, float]]]:
    """For every document, the other documents it nearly copies (similarity ≥ threshold)."""
    names = [n for n, s in signatures.items() if s]
    if not names:
        return {}
    mat = np.array([signatures[n] for n in names], dtype=np.uint64)
    out: dict[str, list[tuple[str, float]]] = {}
    for i in range(len(names) - 1):
        sims = (mat[i + 1:] == mat[i]).mean(axis=1)
        for off in np.nonzero(sims >= min_similarity)[0]:
            j, sim = i + 1 + int(off), float(sims[off])
            out.setdefault(names[i], []).append((names[j], sim))
            out.setdefault(names[j], []).append((names[i], sim))
    return out
