"""Voice evidence: pitch level and range, loudness and speaking rate of a turn, relative to the same
speaker's other turns in the dialogue.

Why relative: absolute pitch says more about the speaker than the feeling; what carries emotion is how a
turn departs from the speaker's own habit. Each emotion has a profile of expected departures (the
textbook correlates: high arousal is faster, higher, wider and louder; sadness slower, lower, flatter and
quieter), and a turn's evidence is how well its departures match each profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from humdial.audio.prosody import level_dbfs, pitch_track

RATE = 16000

PROFILES: dict[str, tuple[float, float, float, float]] = {
    # (pitch shift in semitones, pitch range ratio in log2, level change in dB, rate ratio in log2)
    "neutral": (0.0, 0.0, 0.0, 0.0),
    "happiness": (2.5, 0.6, 1.5, 0.15),
    "sadness": (-2.5, -0.9, -3.0, -0.3),
    "anger": (1.0, 0.7, 3.5, 0.18),
    "fear": (3.0, 0.3, -0.5, 0.25),
    "surprise": (3.5, 0.9, 1.8, 0.05),
    "disgust": (-1.5, -0.2, 0.0, -0.18),
}
"""Expected departure of a turn from the speaker's dialogue median, per emotion."""
SCALES: tuple[float, float, float, float] = (2.0, 0.5, 2.5, 0.15)
"""Spread used to turn each feature's distance into a likelihood (roughly one just-noticeable step)."""


@dataclass(frozen=True)
class VoiceFeatures:
    pitch_st: float | None
    """Median F0 of voiced frames in semitones re 100 Hz (None if unvoiced)."""
    range_st: float | None
    """10th-90th percentile F0 spread in semitones."""
    level_db: float
    """Level of the active (non-silent) frames in dBFS."""
    rate: float | None
    """Energy peaks (syllable nuclei) per second of active speech."""
    duration: float

    def as_dict(self) -> dict:
        return {k: (None if v is None else round(float(v), 3)) for k, v in self.__dict__.items()}


def voice_features(samples: np.ndarray, rate: int = RATE) -> VoiceFeatures:
    x = np.asarray(samples, dtype=np.float32)
    duration = len(x) / rate
    f0 = pitch_track(x, rate)
    voiced = f0[f0 > 0]
    pitch = range_st = None
    if len(voiced) >= 5:
        st = 12 * np.log2(voiced / 100.0)
        pitch, range_st = float(np.median(st)), float(np.percentile(st, 90) - np.percentile(st, 10))
    hop = int(0.01 * rate)
    frames = len(x) // hop
    energy = np.sqrt(np.mean(x[: frames * hop].reshape(frames, hop) ** 2, axis=1)) if frames else np.zeros(0)
    active = energy > max(1e-4, 0.05 * float(energy.max(initial=0)))
    level = level_dbfs(x[: frames * hop].reshape(frames, hop)[active].ravel()) if active.any() else -120.0
    speech_rate = None
    if active.sum() >= 20:
        smooth = np.convolve(energy, np.ones(5) / 5, mode="same")
        peaks = (smooth[1:-1] > smooth[:-2]) & (smooth[1:-1] >= smooth[2:]) & (smooth[1:-1] > 0.3 * smooth.max())
        speech_rate = float(peaks.sum()) / (active.sum() * 0.01)
    return VoiceFeatures(pitch, range_st, level, speech_rate, duration)


def _deltas(turn: VoiceFeatures, ref: dict[str, float | None]) -> list[float | None]:
    def diff(a, b, log=False):
        if a is None or b is None:
            return None
        if log:
            return float(np.log2(max(a, 1e-3) / max(b, 1e-3)))
        return float(a - b)

    return [diff(turn.pitch_st, ref["pitch_st"]), diff(turn.range_st, ref["range_st"], log=True),
            diff(turn.level_db, ref["level_db"]), diff(turn.rate, ref["rate"], log=True)]


def voice_evidence(turns: list[VoiceFeatures | None]) -> list[dict[str, float] | None]:
    """Per turn, a probability per emotion from departures against the dialogue median (None: no audio)."""
    present = [t for t in turns if t is not None]
    if len(present) < 2:
        return [None for _ in turns]
    ref = {}
    for key in ("pitch_st", "range_st", "level_db", "rate"):
        vals = [getattr(t, key) for t in present if getattr(t, key) is not None]
        ref[key] = float(np.median(vals)) if vals else None
    out: list[dict[str, float] | None] = []
    for t in turns:
        if t is None:
            out.append(None)
            continue
        deltas = _deltas(t, ref)
        logl = {}
        for emotion, profile in PROFILES.items():
            terms = [((d - p) / s) ** 2 for d, p, s in zip(deltas, profile, SCALES) if d is not None]
            logl[emotion] = -0.5 * float(np.mean(terms)) if terms else 0.0
        top = max(logl.values())
        weights = {e: float(np.exp(v - top)) for e, v in logl.items()}
        total = sum(weights.values())
        out.append({e: w / total for e, w in weights.items()})
    return out
