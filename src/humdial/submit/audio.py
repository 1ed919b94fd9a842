"""Checks on one submitted wav: readable, mono, finite, not silent, not clipped, a sane duration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from humdial.submit.problems import CheckReport


@dataclass(frozen=True)
class AudioLimits:
    min_seconds: float = 0.3
    """Shorter than this cannot hold a spoken reply."""
    max_seconds: float = 120.0
    """Longer than this is almost surely a wrong file (Track 1 replies run a few to tens of seconds)."""
    min_rate: int = 8000
    silence_peak: float = 1e-3
    """Peak absolute amplitude below this counts as silent."""
    clip_fraction: float = 0.01
    """More than this share of samples at full scale counts as clipped (a warning)."""


@dataclass(frozen=True)
class AudioFacts:
    duration: float
    sample_rate: int
    channels: int


def check_wav(path: Path, where: str, report: CheckReport, limits: AudioLimits = AudioLimits()) -> AudioFacts | None:
    """Record every problem of `path` in `report`; facts when the file could be read."""
    try:
        info = sf.info(str(path))
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:  # soundfile raises several types for corrupt files
        report.error(where, f"unreadable audio: {exc}")
        return None
    report.stats["audio files read"] += 1
    facts = AudioFacts(len(data) / rate if rate else 0.0, rate, data.shape[1])
    if info.channels != 1:
        report.error(where, f"audio has {info.channels} channels; mono is required")
    if rate < limits.min_rate:
        report.error(where, f"sample rate {rate} Hz is below {limits.min_rate} Hz")
    if len(data) == 0:
        report.error(where, "audio has no samples")
        return facts
    if not np.isfinite(data).all():
        report.error(where, "audio contains NaN or infinite samples")
        return facts
    if not limits.min_seconds <= facts.duration <= limits.max_seconds:
        report.error(where, f"duration {facts.duration:.2f} s outside {limits.min_seconds:g}..{limits.max_seconds:g} s")
    peak = float(np.abs(data).max())
    if peak < limits.silence_peak:
        report.error(where, f"audio is silent (peak {peak:.1e})")
    elif float(np.mean(np.abs(data) >= 0.999)) > limits.clip_fraction:
        report.warning(where, "audio is clipped (many samples at full scale)")
    return facts
