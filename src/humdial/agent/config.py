"""Every setting of the baseline agent in one place; each strategy documents its own thresholds."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from humdial.agent.speech_out import SpeechConfig
from humdial.agent.strategies import (AddresseeConfig, BackchannelConfig, BargeInConfig, EndOfTurnConfig,
                                      ResumeConfig, ThirdPartyConfig)


@dataclass(frozen=True)
class AgentConfig:
    hop_samples: int = 512
    """Input frame: 512 samples = 32 ms at 16 kHz, the window of the streaming silero VAD."""
    vad_on: float = 0.5
    """Speech probability that starts speech (silero's default threshold)."""
    vad_off: float = 0.35
    """Speech continues until the probability drops below this (hysteresis, as silero does)."""
    onset_speech_s: float = 0.064
    """Speech needed before the user is considered to be speaking (filters clicks)."""
    preroll_s: float = 0.15
    """Audio kept before the first speech frame when a turn is transcribed or embedded."""
    ignored_turn_gap_s: float = 0.6
    """An ignored (third-party) burst is over after this much silence; speech before then belongs to it."""
    continuation_s: float = 1.3
    """User speech resuming this soon after the end of a turn the agent already answered (and that was
    not a finished question) continues that turn: the reply was premature, the user had only paused.
    Not when the new words carry their own intent (stop, repeat, negation, topic switch). The parts are
    answered together."""
    speaker_encoder: str = "auto"
    """'ge2e' (pretrained, weights from the resemblyzer wheel), 'spectral' (fallback) or 'auto'."""
    topic_similarity: bool = True
    """Use the multilingual sentence encoder for the topic-break cue of the addressee strategy."""
    barge_in: BargeInConfig = field(default_factory=BargeInConfig)
    backchannel: BackchannelConfig = field(default_factory=BackchannelConfig)
    end_of_turn: EndOfTurnConfig = field(default_factory=EndOfTurnConfig)
    third_party: ThirdPartyConfig = field(default_factory=ThirdPartyConfig)
    addressee: AddresseeConfig = field(default_factory=AddresseeConfig)
    resume: ResumeConfig = field(default_factory=ResumeConfig)
    speech: SpeechConfig = field(default_factory=SpeechConfig)

    def as_dict(self) -> dict:
        return asdict(self)
