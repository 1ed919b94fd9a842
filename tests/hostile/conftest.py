"""A tiny Track 2 dev set (noise bursts, precomputed transcripts) that hostile tests copy and break."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from humdial.protocol.annotation import SentenceAnnotation, SpeechSegment

SR = 16000


def _wav(path: Path, seconds: float, bursts: list[tuple[float, float]]) -> None:
    x = np.zeros(int(seconds * SR), np.float32)
    rng = np.random.default_rng(0)
    for a, b in bursts:
        x[int(a * SR):int(b * SR)] = 0.3 * rng.standard_normal(int(b * SR) - int(a * SR)).astype(np.float32)
    sf.write(path, x, SR)


def make_pause_set(root: Path, n: int = 2) -> Path:
    """`root/en/Pause_Handling/0002_000k{,_output,_sentence}` plus precomputed transcripts; returns root."""
    folder = root / "en" / "Pause_Handling"
    folder.mkdir(parents=True)
    for k in range(1, n + 1):
        stem = f"0002_{k:04d}"
        _wav(folder / f"{stem}.wav", 4.0, [(0.5, 1.5)])
        _wav(folder / f"{stem}_output.wav", 4.0, [(2.0, 3.0)])
        SentenceAnnotation(4.0, (SpeechSegment(0.5, 1.5, "hello there"),)).save(folder / f"{stem}_sentence.json")
        for name, (a, b) in ((stem, (0.5, 1.5)), (f"{stem}_output", (2.0, 3.0))):
            (folder / f"{name}.json").write_text(json.dumps(
                {"text": "hello there", "chunks": [{"text": "hello", "timestamp": [a, b]}]}))
    return root


@pytest.fixture
def pause_set(tmp_path):
    return make_pause_set(tmp_path / "data")
