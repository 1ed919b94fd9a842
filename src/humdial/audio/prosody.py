"""Cheap prosodic evidence for turn decisions: level in dBFS and a pitch track with its final movement.

Why: completeness evidence without a transcript (Mandarin without an ASR model) and level-change
evidence for speech turned away from the device. Pitch is found by normalised autocorrelation on
40 ms frames, which is crude but deterministic and fast enough to run at every pause.
"""

from __future__ import annotations

import numpy as np


def level_dbfs(samples: np.ndarray) -> float:
    """RMS level in dB relative to full scale; -120 for digital silence."""
    if len(samples) == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20.0 * np.log10(rms) if rms > 1e-6 else -120.0


def pitch_track(samples: np.ndarray, rate: int = 16000, hop_s: float = 0.01, frame_s: float = 0.04,
                fmin: float = 70.0, fmax: float = 400.0, voicing: float = 0.45) -> np.ndarray:
    """F0 in Hz per hop (0 where unvoiced or too quiet)."""
    x = np.asarray(samples, dtype=np.float32)
    frame, hop = int(rate * frame_s), int(rate * hop_s)
    if len(x) < frame:
        return np.zeros(0, dtype=np.float32)
    n = 1 + (len(x) - frame) // hop
    idx = np.arange(frame)[None, :] + hop * np.arange(n)[:, None]
    frames = x[idx] - x[idx].mean(axis=1, keepdims=True)
    energy = np.sqrt(np.mean(frames ** 2, axis=1))
    gate = energy > max(1e-4, 0.1 * float(np.percentile(energy, 90)))
    spec = np.fft.rfft(frames * np.hanning(frame), n=2 * frame, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, :frame]
    ac = ac / np.maximum(ac[:, :1], 1e-12)
    lo, hi = int(rate / fmax), min(frame - 1, int(rate / fmin))
    lag = lo + np.argmax(ac[:, lo:hi], axis=1)
    peak = ac[np.arange(n), lag]
    f0 = np.where(gate & (peak >= voicing), rate / lag, 0.0)
    return f0.astype(np.float32)


def final_pitch_movement(samples: np.ndarray, rate: int = 16000, tail_s: float = 0.4) -> float | None:
    """Semitones between the last voiced stretch (tail) and the utterance median; None if unvoiced.

    Negative means a fall (declaratives usually end low), positive a rise (questions, continuation).
    """
    f0 = pitch_track(samples, rate)
    voiced = np.flatnonzero(f0 > 0)
    if len(voiced) < 8:
        return None
    median = float(np.median(f0[voiced]))
    tail = voiced[voiced >= voiced[-1] - int(tail_s / 0.01)]
    return float(12.0 * np.log2(float(np.median(f0[tail])) / median))
