"""Speaker embeddings for third-party rejection: enrol the user, then compare later speech.

Two encoders behind one small protocol:
- `Ge2eEncoder`: the pretrained GE2E speaker encoder (3-layer LSTM over 40 mel bands, 256-d
  embedding) whose weights ship inside the `resemblyzer` wheel. We run it with numpy, reading the
  checkpoint with our own safe reader, so neither torch nor librosa is needed. Install the weights
  with `pip install --no-deps resemblyzer==0.1.4` (--no-deps: the wheel's own code needs torch,
  ours does not), or point `HUMDIAL_SPEAKER_WEIGHTS` at a compatible `pretrained.pt`.
- `SpectralEncoder`: the documented fallback when those weights are absent: a normalised vector of
  log-mel means and deviations plus pitch statistics. Weaker (it also reacts to channel and level),
  but it needs nothing beyond numpy.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from humdial.audio.prosody import pitch_track
from humdial.agent.torch_checkpoint import load_legacy_checkpoint

WEIGHTS_ENV = "HUMDIAL_SPEAKER_WEIGHTS"
"""Environment variable naming a GE2E `pretrained.pt` (overrides the resemblyzer wheel's copy)."""
RESEMBLYZER_WEIGHTS_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
"""sha256 of pretrained.pt in the resemblyzer==0.1.4 wheel, checked before the weights are read."""


class SpeakerEncoder(Protocol):
    name: str

    def embed(self, samples: np.ndarray, rate: int = 16000) -> np.ndarray:
        """Unit-length embedding of speech-only audio (16 kHz mono float32)."""
        ...


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    denom = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / denom) if denom > 0 else 0.0


@lru_cache(maxsize=4)
def mel_filterbank(rate: int, n_fft: int, n_mels: int) -> np.ndarray:
    """Triangular filters on the Slaney mel scale, area-normalised (the convention GE2E was trained with)."""

    def hz_to_mel(f: np.ndarray) -> np.ndarray:
        f = np.asarray(f, dtype=np.float64)
        lin = f / (200.0 / 3)
        log_part = 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
        return np.where(f >= 1000.0, log_part, lin)

    def mel_to_hz(m: np.ndarray) -> np.ndarray:
        m = np.asarray(m, dtype=np.float64)
        lin = m * (200.0 / 3)
        log_part = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0))
        return np.where(m >= 15.0, log_part, lin)

    fft_freqs = np.linspace(0, rate / 2, n_fft // 2 + 1)
    mel_points = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(rate / 2), n_mels + 2))
    bank = np.zeros((n_mels, len(fft_freqs)))
    for i in range(n_mels):
        lo, mid, hi = mel_points[i], mel_points[i + 1], mel_points[i + 2]
        rising = (fft_freqs - lo) / (mid - lo)
        falling = (hi - fft_freqs) / (hi - mid)
        bank[i] = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (hi - lo))
    return bank.astype(np.float32)


def power_mel(samples: np.ndarray, rate: int = 16000, win_ms: float = 25.0, hop_ms: float = 10.0,
              n_mels: int = 40) -> np.ndarray:
    """(frames, n_mels) mel power spectrogram with a centred Hann window and zero padding."""
    n_fft = int(rate * win_ms / 1000)
    hop = int(rate * hop_ms / 1000)
    padded = np.pad(np.asarray(samples, dtype=np.float32), n_fft // 2)
    n_frames = 1 + max(0, (len(padded) - n_fft) // hop)
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32)  # periodic Hann
    spec = np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2
    return (spec @ mel_filterbank(rate, n_fft, n_mels).T).astype(np.float32)


def normalise_level(samples: np.ndarray, target_dbfs: float = -30.0) -> np.ndarray:
    """Raise quiet audio to the target RMS level (never lowers it), as the encoder expects."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    if rms <= 0:
        return samples
    gain_db = target_dbfs - 20 * np.log10(rms)
    return samples * np.float32(10 ** (gain_db / 20)) if gain_db > 0 else samples


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # overflow-free logistic


def default_weights_path() -> Path | None:
    """GE2E weights: $HUMDIAL_SPEAKER_WEIGHTS, else the installed resemblyzer wheel's pretrained.pt."""
    env = os.environ.get(WEIGHTS_ENV)
    if env:
        return Path(env)
    spec = importlib.util.find_spec("resemblyzer")  # locating only: importing it would import torch
    if spec is None or not spec.submodule_search_locations:
        return None
    candidate = Path(list(spec.submodule_search_locations)[0]) / "pretrained.pt"
    if not candidate.exists():
        return None
    from humdial.errors import HumdialError
    from humdial.execute.cache import file_sha256

    digest = file_sha256(candidate)
    if digest != RESEMBLYZER_WEIGHTS_SHA256:
        raise HumdialError(f"{candidate} has sha256 {digest}, not the pinned resemblyzer==0.1.4 weights "
                           f"({RESEMBLYZER_WEIGHTS_SHA256}); reinstall with pip install --no-deps resemblyzer==0.1.4")
    return candidate


@dataclass(frozen=True)
class Ge2eSettings:
    partial_frames: int = 160
    """Frames (10 ms each) per partial utterance; the network was trained on 1.6 s partials."""
    partials_per_s: float = 1.3
    """Partial windows per second of audio (they overlap); embeddings are averaged over them."""
    min_coverage: float = 0.75
    """A last partial shorter than this share of a window is dropped (unless it is the only one)."""


class Ge2eEncoder:
    """GE2E LSTM speaker encoder evaluated in numpy (batch of partial windows at once)."""

    name = "ge2e"

    def __init__(self, weights: str | Path, settings: Ge2eSettings = Ge2eSettings()):
        state = load_legacy_checkpoint(weights)["model_state"]
        self.layers = []
        for k in range(3):
            w_ih = state[f"lstm.weight_ih_l{k}"].astype(np.float32)
            w_hh = state[f"lstm.weight_hh_l{k}"].astype(np.float32)
            bias = (state[f"lstm.bias_ih_l{k}"] + state[f"lstm.bias_hh_l{k}"]).astype(np.float32)
            self.layers.append((w_ih.T.copy(), w_hh.T.copy(), bias))
        self.proj_w = state["linear.weight"].astype(np.float32).T.copy()
        self.proj_b = state["linear.bias"].astype(np.float32)
        self.settings = settings
        self.weights = str(weights)

    def _windows(self, mel: np.ndarray) -> np.ndarray:
        s = self.settings
        step = max(1, int(round(100.0 / s.partials_per_s)))
        n = len(mel)
        starts = list(range(0, max(1, n - s.partial_frames + step + 1), step))
        if len(starts) > 1 and (n - starts[-1]) / s.partial_frames < s.min_coverage:
            starts.pop()
        need = starts[-1] + s.partial_frames
        if need > n:
            mel = np.pad(mel, ((0, need - n), (0, 0)))
        return np.stack([mel[a:a + s.partial_frames] for a in starts])

    def _lstm_last(self, x: np.ndarray) -> np.ndarray:
        """Final hidden state of the top layer for a batch (B, T, F); gate order i, f, g, o."""
        batch, steps, _ = x.shape
        seq = x
        h = np.zeros((batch, 256), np.float32)
        for w_ih, w_hh, bias in self.layers:
            pre = seq @ w_ih + bias  # input projections for every step at once
            h = np.zeros((batch, w_hh.shape[0]), np.float32)
            c = np.zeros_like(h)
            outs = np.empty((batch, steps, h.shape[1]), np.float32)
            for t in range(steps):
                gates = pre[:, t] + h @ w_hh
                i, f, g, o = np.split(gates, 4, axis=1)
                c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
                h = _sigmoid(o) * np.tanh(c)
                outs[:, t] = h
            seq = outs
        return h

    def embed(self, samples: np.ndarray, rate: int = 16000) -> np.ndarray:
        if rate != 16000:
            raise ValueError("the GE2E encoder runs at 16 kHz")
        mel = power_mel(normalise_level(np.asarray(samples, np.float32)))
        partials = np.maximum(self._lstm_last(self._windows(mel)) @ self.proj_w + self.proj_b, 0.0)
        partials /= np.maximum(np.linalg.norm(partials, axis=1, keepdims=True), 1e-9)
        mean = partials.mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-9)


class SpectralEncoder:
    """Fallback voice signature: log-mel mean and spread plus pitch statistics, standardised."""

    name = "spectral"

    def embed(self, samples: np.ndarray, rate: int = 16000) -> np.ndarray:
        mel = np.log(power_mel(normalise_level(np.asarray(samples, np.float32)), rate) + 1e-6)
        voiced = mel[mel.mean(axis=1) > np.percentile(mel.mean(axis=1), 40)] if len(mel) > 4 else mel
        shape = voiced - voiced.mean(axis=1, keepdims=True)  # remove overall level: a level cue lives elsewhere
        f0 = pitch_track(samples, rate)
        f0 = f0[f0 > 0]
        pitch = np.array([np.log(np.median(f0)) - np.log(150.0), np.std(np.log(f0))]) if len(f0) > 3 else np.zeros(2)
        vec = np.concatenate([shape.mean(axis=0) / 4.0, shape.std(axis=0) / 4.0, pitch * 4.0])
        vec = vec - vec.mean()
        return (vec / max(float(np.linalg.norm(vec)), 1e-9)).astype(np.float32)


@lru_cache(maxsize=2)
def _cached_ge2e(path: str) -> Ge2eEncoder:
    return Ge2eEncoder(path)


def load_speaker_encoder(kind: str = "auto") -> SpeakerEncoder:
    """'ge2e' (needs the weights), 'spectral', or 'auto' (GE2E when its weights are installed)."""
    from humdial.errors import HumdialError

    if kind not in ("auto", "ge2e", "spectral"):
        raise HumdialError(f"unknown speaker encoder {kind!r}; use auto, ge2e or spectral")
    if kind == "spectral":
        return SpectralEncoder()
    path = default_weights_path()
    if path is None or not path.exists():
        if kind == "ge2e":
            raise HumdialError("GE2E speaker weights not found: pip install --no-deps resemblyzer==0.1.4, "
                               f"or set {WEIGHTS_ENV} to a pretrained.pt")
        return SpectralEncoder()
    return _cached_ge2e(str(path))
