"""Turning script text into 16 kHz clips with word timings, and the signal helpers of the renderers.

A Clip's samples start at the first audible sample (the synthesizer trims its edges), so a clip
placed at time t has its speech onset at t: the annotation's `xmin` is exact by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import soxr
import yaml

from humdial.protocol.transcript import Word
from humdial.generate.bank import BANK_DIR
from humdial.tts.base import Synthesizer

OUTPUT_RATE = 16_000
"""Every generated input is 16 kHz mono PCM-16, the rate the official VAD step works at."""
PEAK_LIMIT = 0.95
"""A clip louder than this after level setting is scaled down so the mix never clips hard."""

_TAG = re.compile(r"\[([a-z][a-z _-]*)\]")


@dataclass(frozen=True)
class Clip:
    samples: np.ndarray
    words: tuple[Word, ...]
    text: str

    @property
    def duration(self) -> float:
        return len(self.samples) / OUTPUT_RATE


@lru_cache(maxsize=1)
def _tag_speech() -> dict[str, dict[str, str]]:
    return yaml.safe_load((BANK_DIR / "paralinguistic.yaml").read_text(encoding="utf-8"))["spoken_as"]


def spoken_text(text: str, lang: str) -> str:
    """Script text as the TTS should read it: paralinguistic tags become sounds, unknown tags vanish."""
    table = _tag_speech().get(lang, {})

    def sub(match: re.Match) -> str:
        return f" {table[match.group(1)]} " if match.group(1) in table else " "

    return re.sub(r"\s+", " ", _TAG.sub(sub, text)).strip()


def speak(tts: Synthesizer, text: str, lang: str, voice: str, emotion: str | None = None,
          rate: float = 1.0) -> Clip:
    """Synthesise one stretch of speech (no [break] inside) at OUTPUT_RATE; `rate` scales the speaking rate."""
    kwargs = {"rate": rate} if rate != 1.0 else {}
    utt = tts.synthesize(spoken_text(text, lang), lang, voice=voice, emotion=emotion, **kwargs)
    samples = utt.samples.astype(np.float32)
    if utt.sample_rate != OUTPUT_RATE:
        samples = soxr.resample(samples, utt.sample_rate, OUTPUT_RATE, quality="HQ").astype(np.float32)
    return Clip(samples=samples, words=utt.words, text=text)


def concat_with_pauses(clips: list[Clip], pauses_s: list[float], text: str) -> Clip:
    """Join clips with silences between them (a paused utterance), shifting word times."""
    pieces: list[np.ndarray] = []
    words: list[Word] = []
    offset = 0
    for i, clip in enumerate(clips):
        if i:
            gap = int(round(pauses_s[i - 1] * OUTPUT_RATE))
            pieces.append(np.zeros(gap, dtype=np.float32))
            offset += gap
        t0 = offset / OUTPUT_RATE
        words.extend(Word(w.text, w.start + t0, w.end + t0) for w in clip.words)
        pieces.append(clip.samples)
        offset += len(clip.samples)
    return Clip(samples=np.concatenate(pieces), words=tuple(words), text=text)


def set_level(samples: np.ndarray, rms_dbfs: float) -> np.ndarray:
    """Scale to a target RMS (dBFS), then down if the peak would exceed PEAK_LIMIT."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if rms <= 0:
        return samples
    out = samples * (10 ** (rms_dbfs / 20) / rms)
    peak = float(np.max(np.abs(out)))
    if peak > PEAK_LIMIT:
        out *= PEAK_LIMIT / peak
    return out.astype(np.float32)


def room_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Stationary low-pass ("brown-ish") noise as a stand-in for room tone; unit RMS."""
    white = rng.standard_normal(n)
    # one-pole low-pass mixed with some white keeps energy across the speech band
    from scipy.signal import lfilter

    coloured = lfilter([1.0], [1.0, -0.97], white)
    noise = 0.8 * coloured / (np.std(coloured) + 1e-12) + 0.2 * white
    return (noise / (np.sqrt(np.mean(noise ** 2)) + 1e-12)).astype(np.float32)


def add_noise(mix: np.ndarray, speech_rms: float, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """Add room noise whose RMS is `snr_db` below the speech RMS (the RMS of the speech, not the mix)."""
    level = speech_rms / (10 ** (snr_db / 20))
    return (mix + level * room_noise(len(mix), rng)).astype(np.float32)


