"""Shared fixtures: synthetic speech from the bundled espeak-ng, cached per test session."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
import soxr


@lru_cache(maxsize=64)
def _speech(text: str, lang: str, voice: str | None) -> tuple[np.ndarray, tuple]:
    from humdial.tts.espeak import EspeakSynthesizer

    utt = EspeakSynthesizer().synthesize(text, lang, voice=voice)
    samples = soxr.resample(utt.samples, utt.sample_rate, 16000).astype(np.float32)
    loud = np.flatnonzero(np.abs(samples) > 0.02 * np.abs(samples).max())
    start, end = int(loud[0]), int(loud[-1]) + 1
    words = tuple((w.text, w.start - start / 16000, w.end - start / 16000) for w in utt.words)
    return samples[start:end], words


@pytest.fixture(scope="session")
def speech():
    """speech(text, lang='en', voice=None) -> (16 kHz samples trimmed to audible speech, words relative to it)."""

    def make(text: str, lang: str = "en", voice: str | None = None):
        return _speech(text, lang, voice)

    return make


@pytest.fixture(autouse=True, scope="session")
def _private_asr_cache(tmp_path_factory):
    """Tests never write transcripts into the user's shared ASR cache (eval track2's default)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("HUMDIAL_ASR_CACHE", str(tmp_path_factory.mktemp("asr_cache")))
    yield
    patch.undo()
