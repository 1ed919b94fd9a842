"""Whisper's log-mel features computed the same way in every process, whatever its BLAS threads.

Why: faster-whisper's feature extractor applies the mel filter bank with one numpy matrix product,
which OpenBLAS splits over its threads; the split changes the float32 summation order, and with it the
features and sometimes the words. OpenBLAS takes its thread count from `OPENBLAS_NUM_THREADS`, else
`OMP_NUM_THREADS`, else the machine's cores, so a Ray worker (Ray sets `OMP_NUM_THREADS=1`) decoded
"turbulent God question" where a plain local process decoded "turbulent? Good question" from the same
audio, and two machines with different core counts could disagree the same way. Measured: the features
of a 13 s file hash differently under `OMP_NUM_THREADS=1` and unset (2 cores), and identically under
`OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2`; the VAD and CTranslate2's intra-op threads (1 or 2) did not
change anything. Here each mel band is summed bin by bin in a fixed order with elementwise float32
numpy operations (no BLAS, no threads, no fused multiply-add), so the features depend on the samples
alone. The bands are sparse (a few FFT bins each), so this costs about as much as the matrix product.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FEATURES_ID = "log-mel/fixed-order-v1"
"""Names this computation in the transcript cache key: features computed another way (faster-whisper's
BLAS product) can give other words, so their transcripts are never reused for these."""

PAD_SAMPLES = 160
"""Zeros appended before the STFT, as faster-whisper's extractor does by default (one hop)."""


class FixedOrderFeatures:
    """Drop-in for faster-whisper's FeatureExtractor (same attributes, same call) with fixed-order mel sums."""

    def __init__(self, inner: Any):
        self.inner = inner
        filters = np.asarray(inner.mel_filters, dtype=np.float32)
        self._bands = [(np.flatnonzero(row), row[np.flatnonzero(row)]) for row in filters]
        self._window = np.hanning(inner.n_fft + 1)[:-1].astype(np.float32)

    def __getattr__(self, name: str) -> Any:
        # sampling_rate, hop_length, n_fft, nb_max_frames, time_per_frame, ... come from faster-whisper's
        return getattr(self.__dict__["inner"], name)

    def __call__(self, waveform: np.ndarray, padding: int = PAD_SAMPLES, chunk_length: int | None = None) -> np.ndarray:
        inner = self.inner
        if chunk_length is not None:  # faster-whisper's contract: a chunk length resizes its window
            inner.n_samples = chunk_length * inner.sampling_rate
            inner.nb_max_frames = inner.n_samples // inner.hop_length
        samples = np.asarray(waveform, dtype=np.float32)
        if padding:
            samples = np.pad(samples, (0, padding))
        spectrum = inner.stft(samples, inner.n_fft, inner.hop_length, window=self._window,
                              return_complex=True).astype(np.complex64)
        power = (np.abs(spectrum[..., :-1]) ** 2).astype(np.float32)
        return log_mel(power, self._bands)


def log_mel(power: np.ndarray, bands: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Whisper's normalised log-mel (log10, floored 8 below the maximum, scaled) of a power spectrogram."""
    mel = np.zeros((len(bands), power.shape[1]), dtype=np.float32)
    for band, (bins, weights) in enumerate(bands):
        row = mel[band]
        for k, weight in zip(bins, weights):
            row += weight * power[k]  # one bin at a time: the same order on every machine and thread count
    log = np.log10(np.maximum(mel, np.float32(1e-10)))
    log = np.maximum(log, log.max() - np.float32(8.0))
    return ((log + np.float32(4.0)) / np.float32(4.0)).astype(np.float32)
