"""Load any wav/flac as mono float32 at one analysis rate, with a clear per-file error for bad audio."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from humdial.errors import AudioError

ANALYSIS_RATE = 16_000
"""Every metric works at 16 kHz, as the official VAD step resamples to 16 kHz."""


@dataclass(frozen=True)
class Audio:
    """Mono float32 samples plus where they came from."""

    samples: np.ndarray
    sample_rate: int
    source_rate: int
    source_channels: int
    path: str | None = None

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def load_audio(path: str | Path, target_rate: int | None = ANALYSIS_RATE) -> Audio:
    """Read, downmix (channel mean) and resample with soxr (high quality).

    Raises AudioError for files that cannot be read, have no samples, or contain NaN/inf.
    `target_rate=None` keeps the file's own rate.
    """
    path = Path(path)
    if not path.exists():
        raise AudioError(f"audio file not found: {path}", path)
    if path.stat().st_size == 0:
        raise AudioError(f"audio file is empty (0 bytes): {path}", path)
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:  # soundfile raises several types for corrupt headers
        raise AudioError(f"unreadable audio file {path}: {exc}", path) from exc
    return from_array(data, rate, target_rate=target_rate, path=path)


def from_array(data: np.ndarray, rate: int, target_rate: int | None = ANALYSIS_RATE,
               path: str | Path | None = None) -> Audio:
    """Validate and normalise an in-memory array of shape (n,) or (n, channels)."""
    data = np.asarray(data, dtype=np.float32)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2:
        raise AudioError(f"audio must be 1-D or 2-D (samples, channels), got shape {data.shape}", path)
    channels = data.shape[1]
    if data.shape[0] == 0 or channels == 0:
        raise AudioError(f"audio has zero length: {path or 'array'}", path)
    finite = np.isfinite(data)
    if not finite.any():
        raise AudioError(f"audio is entirely NaN/inf: {path or 'array'}", path)
    if not finite.all():
        raise AudioError(f"audio contains {int((~finite).sum())} NaN/inf samples: {path or 'array'}", path)
    mono = data.mean(axis=1) if channels > 1 else data[:, 0]
    out_rate = rate
    if target_rate is not None and rate != target_rate:
        mono = soxr.resample(mono, rate, target_rate, quality="HQ").astype(np.float32)
        out_rate = target_rate
    return Audio(samples=np.ascontiguousarray(mono, dtype=np.float32), sample_rate=out_rate,
                 source_rate=rate, source_channels=channels, path=None if path is None else str(path))


PCM16_SCALE = 32768.0
"""float = int16 / 32768, as libsndfile reads PCM-16; `to_pcm16` is its exact inverse."""


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples -> int16 with the exact inverse of `from_pcm16`, so PCM-16 audio read as float
    and quantised again comes back sample for sample (a 32767 scale would move every sample above
    -6 dBFS by one step, which is enough to change a whisper transcript)."""
    return np.round(np.clip(samples, -1.0, 32767 / PCM16_SCALE) * PCM16_SCALE).astype(np.int16)


def from_pcm16(pcm: np.ndarray) -> np.ndarray:
    """int16 -> float32 in [-1, 1), the scale libsndfile uses when it reads PCM-16 as float."""
    return np.asarray(pcm, dtype=np.float32) / np.float32(PCM16_SCALE)


def write_audio(path: str | Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write mono PCM-16 wav (clipped, quantised by `to_pcm16`, so what `load_audio` read from a PCM-16
    file is written back unchanged); creates parent folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), to_pcm16(np.asarray(samples, dtype=np.float32)), sample_rate, subtype="PCM_16")
