"""Offline PROXY scorers for the two audio dimensions of Track 1 Task 3. Not human ratings, not the judge.

Both officially came from human raters (vocal empathy, audio quality). These proxies measure what a
signal can show, with numpy only:
- vocal_empathy_congruence proxy = prosodic expressiveness: pitch movement (standard deviation of f0 in
  semitones over voiced frames) and loudness movement (standard deviation of frame level in dB over
  active frames). Flat, robotic delivery scores low; it cannot tell whether the emotion *fits*.
- audio_quality_naturalness proxy = signal health: estimated SNR (loud-frame level minus noise-floor
  level), clipping, breathing pauses in longer replies, and a minimum duration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from humdial.judge.proxy.track1_text import DimScore

AUDIO_PROXY_VERSION = 1


@dataclass(frozen=True)
class AcousticConfig:
    frame_s: float = 0.040
    """Analysis window (40 ms holds two periods of a 50 Hz voice)."""
    hop_s: float = 0.010
    f0_min: float = 70.0
    f0_max: float = 400.0
    voicing_threshold: float = 0.5
    """Normalised autocorrelation peak above which an active frame counts as voiced."""
    active_below_peak_db: float = 30.0
    """Frames within this many dB of the loud level (95th percentile) count as active."""
    pause_below_peak_db: float = 25.0
    """Frames quieter than loud level minus this count as pause."""
    min_voiced_frames: int = 20
    clip_level: float = 0.99


@dataclass(frozen=True)
class AcousticFeatures:
    duration_s: float
    snr_db: float
    clip_fraction: float
    pause_fraction: float
    voiced_frames: int
    pitch_sd_semitones: float
    level_sd_db: float

    def as_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _frames(x: np.ndarray, size: int, hop: int) -> np.ndarray:
    if len(x) < size:
        x = np.pad(x, (0, size - len(x)))
    count = 1 + (len(x) - size) // hop
    index = np.arange(size)[None, :] + hop * np.arange(count)[:, None]
    return x[index]


def _f0(frames: np.ndarray, rate: int, cfg: AcousticConfig) -> tuple[np.ndarray, np.ndarray]:
    """(f0 in Hz, autocorrelation peak) per frame, by normalised autocorrelation via FFT."""
    centred = frames - frames.mean(axis=1, keepdims=True)
    n = 2 * frames.shape[1]
    spec = np.fft.rfft(centred * np.hanning(frames.shape[1]), n=n)
    ac = np.fft.irfft(np.abs(spec) ** 2, n=n)[:, : frames.shape[1]]
    ac = ac / np.maximum(ac[:, :1], 1e-12)
    lo, hi = int(rate / cfg.f0_max), int(rate / cfg.f0_min)
    lag = lo + np.argmax(ac[:, lo:hi], axis=1)
    peak = ac[np.arange(len(ac)), lag]
    return rate / lag, peak


def acoustic_features(samples: np.ndarray, rate: int, cfg: AcousticConfig = AcousticConfig()) -> AcousticFeatures:
    x = np.asarray(samples, dtype=np.float64)
    size, hop = int(cfg.frame_s * rate), int(cfg.hop_s * rate)
    frames = _frames(x, size, hop)
    level = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-10)
    loud, floor = np.percentile(level, 95), np.percentile(level, 10)
    active = level > loud - cfg.active_below_peak_db
    f0, peak = _f0(frames, rate, cfg)
    voiced = active & (peak > cfg.voicing_threshold)
    semitones = 12 * np.log2(f0[voiced] / np.median(f0[voiced])) if voiced.any() else np.array([])
    return AcousticFeatures(
        duration_s=len(x) / rate, snr_db=float(loud - floor),
        clip_fraction=float(np.mean(np.abs(x) >= cfg.clip_level)),
        pause_fraction=float(np.mean(level < loud - cfg.pause_below_peak_db)),
        voiced_frames=int(voiced.sum()),
        pitch_sd_semitones=float(np.std(semitones)) if len(semitones) else 0.0,
        level_sd_db=float(np.std(level[active])) if active.any() else 0.0)


def vocal_expressiveness(f: AcousticFeatures, cfg: AcousticConfig = AcousticConfig()) -> DimScore:
    if f.voiced_frames < cfg.min_voiced_frames:
        return DimScore(1, f"proxy: almost no voiced speech ({f.voiced_frames} voiced frames)")
    sd = f.pitch_sd_semitones
    pitch = 0 if sd < 0.5 else 1 if sd < 1.5 else 2 if sd <= 8 else 1
    energy = 0 if f.level_sd_db < 2 else 1 if f.level_sd_db < 4 else 2
    return DimScore(1 + pitch + energy, f"proxy: pitch SD {sd:.1f} st, level SD {f.level_sd_db:.1f} dB "
                                        "(prosodic movement, not emotional fit)")


def signal_quality(f: AcousticFeatures) -> DimScore:
    if f.duration_s < 0.5:
        return DimScore(1, f"proxy: only {f.duration_s:.2f} s of audio")
    score, notes = 5, []
    if f.snr_db < 15:
        score, notes = score - 2, notes + [f"low SNR {f.snr_db:.0f} dB"]
    elif f.snr_db < 25:
        score, notes = score - 1, notes + [f"modest SNR {f.snr_db:.0f} dB"]
    if f.clip_fraction > 0.01:
        score, notes = score - 2, notes + [f"clipping {100 * f.clip_fraction:.1f}%"]
    elif f.clip_fraction > 0.001:
        score, notes = score - 1, notes + [f"some clipping {100 * f.clip_fraction:.2f}%"]
    if f.duration_s > 4 and f.pause_fraction < 0.03:
        score, notes = score - 1, notes + ["no pauses in a long reply"]
    return DimScore(max(score, 1), "proxy: " + (", ".join(notes) or f"clean signal (SNR {f.snr_db:.0f} dB)"))
