"""Assemble an agent from specs, load its models once per process, and warm them up.

Model loading and the first (slow) call of each model happen here, before any session starts, as a
live system would do at start-up; they are not charged to a session's clock. The kit also holds the
cost profile that prices computations on the default (cost) clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from humdial.agent.clock import make_clock
from humdial.agent.config import AgentConfig
from humdial.agent.costs import CostProfile, load_profile
from humdial.agent.engine import DuplexAgent
from humdial.respond import Responder, make_responder
from humdial.agent.speaker import SpeakerEncoder, load_speaker_encoder
from humdial.agent.state import EventLog
from humdial.asr.base import Transcriber
from humdial.audio.io import from_array
from humdial.errors import HumdialError
from humdial.tts.base import Synthesizer

DEFAULT_ASR = {"en": "partials", "zh": "partials"}
"""ASR per language: short-window whisper partials (humdial.asr.partial), the bundled tiny.en for
English and the bundled multilingual base for Chinese (decoded piece by piece in 2 s windows)."""


def make_transcriber(spec: str, lang: str) -> Transcriber | None:
    """'none', 'partials[:DIR]' (short-window whisper, fast; the default for English), or any spec of
    `humdial.asr.registry` that transcribes audio (whisper[:DIR], paraformer:DIR, parakeet:PATH...)."""
    spec = spec.strip()
    if spec in ("", "none"):
        return None
    if spec == "partials" or spec.startswith("partials:"):
        from humdial.asr.partial import ShortWindowWhisper

        return ShortWindowWhisper(spec.partition(":")[2] or None, language=lang)
    from humdial.asr import registry

    parsed = registry.parse_spec(spec)
    if parsed.backend == "precomputed":
        raise HumdialError("the agent listens to audio as it arrives; precomputed transcripts cannot serve it "
                           "(use none, partials, whisper, paraformer or parakeet)")
    return registry.build(parsed, lang, threads=1)


def make_synthesizer() -> Synthesizer:
    from humdial.tts.espeak import EspeakSynthesizer

    return EspeakSynthesizer()


@dataclass
class AgentKit:
    """Everything a session needs that is expensive to load; one per process, reused across samples."""

    synthesizer: Synthesizer
    responder: Responder
    transcribers: dict[str, Transcriber | None]
    speaker_encoder: SpeakerEncoder
    sentence_encoder: Any = None
    config: AgentConfig = field(default_factory=AgentConfig)
    cost_profile: CostProfile = field(default_factory=load_profile)

    @classmethod
    def load(cls, langs: list[str], responder: str = "offline", asr: dict[str, str] | None = None,
             config: AgentConfig | None = None, cost_profile: CostProfile | None = None) -> "AgentKit":
        config = config or AgentConfig()
        specs = {**DEFAULT_ASR, **(asr or {})}
        sentence_encoder = None
        if config.topic_similarity:
            from humdial.models.sentence_encoder import shared_encoder

            sentence_encoder = shared_encoder(threads=1)
        kit = cls(make_synthesizer(), make_responder(responder),
                  {lang: make_transcriber(specs.get(lang, "none"), lang) for lang in langs},
                  load_speaker_encoder(config.speaker_encoder), sentence_encoder, config,
                  cost_profile or load_profile())
        kit.warm_up(langs)
        return kit

    def warm_up(self, langs: list[str]) -> None:
        """First calls are slow (model load, allocation); make them before any clock runs."""
        noise = (np.random.default_rng(0).standard_normal(16000) * 0.01).astype(np.float32)
        for lang in langs:
            if self.transcribers.get(lang) is not None:
                self.transcribers[lang].transcribe(from_array(noise, 16000))
            self.synthesizer.synthesize("Hello." if lang != "zh" else "你好。", lang)
        self.speaker_encoder.embed(noise)
        if self.sentence_encoder is not None:
            self.sentence_encoder.encode(["hello", "你好"])

    def describe(self) -> dict:
        return {"responder": self.responder.describe(), "speaker_encoder": self.speaker_encoder.name,
                "asr": {lang: (t.describe() if t is not None else None) for lang, t in self.transcribers.items()},
                "synthesizer": getattr(self.synthesizer, "name", "?"), "config": self.config.as_dict(),
                "cost_profile": self.cost_profile.provenance()}

    def agent(self, lang: str, clock: str = "cost", log: EventLog | None = None) -> DuplexAgent:
        """A fresh session; `clock`: 'cost' (deterministic, the kit's profile), 'wall' or 'real' (live)."""
        return DuplexAgent(lang, self.synthesizer, self.responder, self.transcribers.get(lang), self.speaker_encoder,
                           self.config, self.sentence_encoder, make_clock(clock, self.cost_profile), log)
