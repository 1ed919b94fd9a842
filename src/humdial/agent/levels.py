"""The session's own level scale: its noise floor, and speech levels measured above it.

Why: level cues (a third party is quieter than the user; speech before the user's first turn is
background speech) must not depend on one microphone gain or one noise level. The floor is the median
level of the input frames the VAD calls silence so far; a speech level is compensated for it (the noise
power is subtracted), so a level difference means the same at 10 dB and at 40 dB signal-to-noise ratio.
"""

from __future__ import annotations

import math

import numpy as np

from humdial.audio.prosody import level_dbfs

MIN_FLOOR_FRAMES = 8
"""Silent frames (8 x 32 ms) needed before the floor is trusted; until then no floor is known."""
MAX_FLOOR_FRAMES = 2000
"""The floor is the median of the latest this many silent frames (64 s), so it follows a changing room."""
DIGITAL_SILENCE_DB = -120.0


class LevelTracker:
    def __init__(self) -> None:
        self._silence: list[float] = []

    def add_silence(self, frame: np.ndarray) -> None:
        self._silence.append(level_dbfs(frame))
        if len(self._silence) > MAX_FLOOR_FRAMES:
            del self._silence[: len(self._silence) - MAX_FLOOR_FRAMES]

    @property
    def floor_db(self) -> float | None:
        """Median level of the silent frames (dBFS); None until MIN_FLOOR_FRAMES were seen."""
        if len(self._silence) < MIN_FLOOR_FRAMES:
            return None
        return float(np.median(self._silence))

    def above_floor(self, level_db: float) -> float | None:
        """dB between a speech level and the floor (its signal-to-noise ratio); None without a floor."""
        floor = self.floor_db
        return None if floor is None else level_db - floor

    def speech_level(self, level_db: float) -> float:
        """The level of the speech alone: the floor's power subtracted from the measured level.

        A measured level at most 0.5 dB above the floor is mostly noise; it is kept 0.5 dB-equivalent
        above it rather than going to minus infinity.
        """
        return compensate(level_db, self.floor_db)


def compensate(level_db: float, floor_db: float | None) -> float:
    """`level_db` with the noise power at `floor_db` removed (unchanged without a floor)."""
    if floor_db is None or floor_db <= DIGITAL_SILENCE_DB:
        return level_db
    excess = 10 ** (level_db / 10) - 10 ** (floor_db / 10)
    least = 10 ** (floor_db / 10) * (10 ** 0.05 - 1)  # a level 0.5 dB above the floor
    return 10 * math.log10(max(excess, least))
