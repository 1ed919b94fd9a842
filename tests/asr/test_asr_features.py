"""Whisper features are the same bytes under any BLAS/OpenMP thread setting (the Ray vs local difference)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from humdial.asr.features import FixedOrderFeatures

RATE = 16000

_PROBE = """
import hashlib, sys
import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor
from humdial.asr.features import FixedOrderFeatures
rng = np.random.default_rng(3)
t = np.arange(13 * 16000) / 16000
audio = (0.3 * np.sin(2 * np.pi * 220 * t) * (rng.random(t.size) > 0.3) + rng.normal(0, 0.05, t.size)).astype(np.float32)
print(hashlib.sha256(FixedOrderFeatures(FeatureExtractor())(audio).tobytes()).hexdigest())
"""


def _features_digest(env_update: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    env.update(env_update)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2] / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_features_are_identical_under_any_thread_setting():
    """Ray workers start with OMP_NUM_THREADS=1, local processes without it; OpenBLAS reads either. faster-whisper's
    own extractor gave other bytes (and sometimes other words) under each; ours must not."""
    digests = {_features_digest(env) for env in ({}, {"OMP_NUM_THREADS": "1"},
                                                  {"OPENBLAS_NUM_THREADS": "4", "OMP_NUM_THREADS": "3"})}
    assert len(digests) == 1 and len(next(iter(digests))) == 64


def test_features_match_faster_whisper_up_to_rounding():
    from faster_whisper.feature_extractor import FeatureExtractor

    rng = np.random.default_rng(5)
    audio = rng.normal(0, 0.1, 5 * RATE).astype(np.float32)
    theirs = FeatureExtractor()(audio)
    ours = FixedOrderFeatures(FeatureExtractor())(audio)
    assert ours.shape == theirs.shape and ours.dtype == np.float32
    assert float(np.max(np.abs(ours - theirs))) < 1e-4


def test_the_wrapper_keeps_faster_whispers_attributes_and_chunk_contract():
    from faster_whisper.feature_extractor import FeatureExtractor

    features = FixedOrderFeatures(FeatureExtractor())
    assert features.nb_max_frames == 3000 and features.time_per_frame == 0.01 and features.sampling_rate == RATE
    out = features(np.zeros(RATE, np.float32), chunk_length=10)
    assert features.nb_max_frames == 1000 and out.shape == (80, 101)
    assert hashlib.sha256(out.tobytes()).hexdigest() == hashlib.sha256(features(np.zeros(RATE, np.float32)).tobytes()).hexdigest()
