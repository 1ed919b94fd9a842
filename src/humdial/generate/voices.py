"""Which voices, rates, levels, noise and room a generated sample gets (`--voices`, `--rooms`, `--spread`).

Why: a baseline tuned and measured on one synthetic voice at one level learns that voice. These
options let the generator draw from several engines and conditions, so that an agent can be fitted
on some voices and measured on others (`benchmarks/agent_track2.py --voices`).

Engines: `espeak` (espeak-ng variants per role, data/espeak.yaml), `piper` (the Piper neural English
voice in three pitch variants; Chinese has no Piper voice and keeps espeak), `mixed` (both pools).
The user's and the third party's voices always differ. The default options reproduce the plain
generator exactly (no extra draws), so existing data sets keep their bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from humdial.errors import HumdialError
from humdial.tts.base import Synthesizer
from humdial.tts.espeak import voices_for_role

ENGINES = ("espeak", "piper", "mixed")
RATE_FACTOR = (0.85, 1.2)
"""With spread: each speaker's speaking-rate factor (on the engine's base rate and emotion)."""
USER_LEVEL_DBFS = (-36.0, -14.0)
"""With spread: the user's RMS level (the plain generator draws -26..-20), 22 dB of device gains."""
THIRD_PARTY_LEVEL_DB = (-10.0, 0.0)
"""With spread: third-party level relative to the user (plain: -12..-4); a room adds distance cues."""
SNR_DB = (10.0, 35.0)
"""With spread and no --snr: the sample's signal-to-noise ratio (stationary room noise)."""


@dataclass(frozen=True)
class VoiceOptions:
    """The generator's voice conditions; the default is the plain generator."""

    engines: str = "espeak"
    rooms: bool = False
    """Convolve every utterance with its role's simulated-room impulse response (generate/rooms.py)."""
    spread: bool = False
    """Draw speaking rates, levels and SNRs from the wider ranges above."""

    def __post_init__(self) -> None:
        if self.engines not in ENGINES:
            raise HumdialError(f"--voices must be one of {', '.join(ENGINES)}, not {self.engines!r}")

    @property
    def plain(self) -> bool:
        return self == VoiceOptions()

    def describe(self) -> dict:
        return {"engines": self.engines, "rooms": self.rooms, "spread": self.spread}


def _piper_voices(lang: str) -> list[str]:
    from humdial.tts.piper import PITCH_FACTORS, PREFIX

    return [PREFIX + v for v in PITCH_FACTORS] if lang == "en" else []


def pool(lang: str, role: str, engines: str) -> list[str]:
    """Candidate voices of a role; Piper has English only, so Chinese keeps espeak."""
    espeak = voices_for_role(lang, role)
    piper = _piper_voices(lang)
    if engines == "piper":
        return piper or espeak
    if engines == "mixed":
        return espeak + piper
    return espeak


def pick_voices(lang: str, options: VoiceOptions, rng: random.Random) -> tuple[str, str]:
    """(user voice, third-party voice), different from each other."""
    user = rng.choice(pool(lang, "user", options.engines))
    others = [v for v in pool(lang, "third_party", options.engines) if v != user]
    if options.engines != "espeak" and lang == "en":
        others = [v for v in dict.fromkeys(others + pool(lang, "user", options.engines)) if v != user]
    return user, rng.choice(others)


_PIPER = None


def synthesizer_for(voice: str, default: Synthesizer) -> Synthesizer:
    """The engine of a voice name: `piper:*` -> this process's Piper synthesizer, else `default`."""
    global _PIPER
    if not voice.startswith("piper:"):
        return default
    if _PIPER is None:
        from humdial.tts.piper import PiperSynthesizer

        _PIPER = PiperSynthesizer()
    return _PIPER
