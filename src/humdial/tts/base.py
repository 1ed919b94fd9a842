"""The Synthesizer protocol shared by the data generator and the baseline agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from humdial.protocol.transcript import Word


@dataclass(frozen=True)
class Utterance:
    """Synthesised speech with engine word timings (seconds from the start of `samples`)."""

    samples: np.ndarray
    sample_rate: int
    words: tuple[Word, ...]
    text: str

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@runtime_checkable
class Synthesizer(Protocol):
    name: str

    def voices(self, lang: str) -> list[str]:
        """Voice names available for a language ('en' or 'zh')."""
        ...

    def synthesize(self, text: str, lang: str, voice: str | None = None, emotion: str | None = None,
                   rate: float = 1.0) -> Utterance:
        """`rate` multiplies the voice's speaking rate (the generator varies it per speaker)."""
        ...
