"""Shared helpers for the agent tests: espeak speech placed on a timeline, and a shared model kit."""

from __future__ import annotations

import numpy as np
import pytest
import soxr


@pytest.fixture(scope="session")
def espeak():
    from humdial.tts.espeak import EspeakSynthesizer

    return EspeakSynthesizer()


@pytest.fixture(scope="session")
def say(espeak):
    cache: dict = {}

    def _say(text: str, voice: str = "en-us+m3", gain: float = 1.0, lang: str = "en") -> np.ndarray:
        key = (text, voice, lang)
        if key not in cache:
            u = espeak.synthesize(text, lang, voice=voice)
            cache[key] = soxr.resample(u.samples, u.sample_rate, 16000).astype(np.float32)
        return cache[key] * np.float32(gain)

    return _say


def _timeline(duration_s: float, items: list[tuple[float, np.ndarray]]) -> np.ndarray:
    out = np.zeros(int(duration_s * 16000), np.float32)
    for t, audio in items:
        i = int(t * 16000)
        n = min(len(audio), len(out) - i)
        out[i:i + n] += audio[:n]
    return out


@pytest.fixture(scope="session")
def timeline():
    """Place (start_s, samples) items on a 16 kHz timeline of the given duration."""
    return _timeline


@pytest.fixture(scope="session")
def kit():
    """English kit with the real fast whisper partials, GE2E (or fallback) and no topic encoder (speed)."""
    from humdial.agent.build import AgentKit
    from humdial.agent.config import AgentConfig

    return AgentKit.load(["en"], config=AgentConfig(topic_similarity=False))
