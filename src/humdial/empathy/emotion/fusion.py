"""Fusing the evidence of one dialogue's user turns into a label per turn.

Each source gives a distribution over EMOTIONS; the fused score is their weighted sum plus a neutral
prior, so a turn without emotional words, tags or a departing voice comes out neutral. The lexicon
distribution is its votes normalised with a floor (`lexicon_floor`), so one weak cue does not count as
certainty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from humdial.empathy.emotion.acoustic import VoiceFeatures, voice_evidence, voice_features
from humdial.empathy.emotion.labels import EMOTIONS
from humdial.empathy.emotion.text import event_clause, strip_tags, text_evidence


@dataclass(frozen=True)
class EmotionConfig:
    lexicon_weight: float = 1.0
    """Weight of the lexicon cues (the most specific evidence)."""
    encoder_weight: float = 0.6
    """Weight of sentence-encoder similarity to the labelled examples (0 disables the encoder)."""
    tag_weight: float = 0.5
    """Weight of paralinguistic tags ([sigh], [laughter], ...)."""
    voice_weight: float = 0.35
    """Weight of the voice evidence (pitch, range, level, rate against the speaker's own median)."""
    neutral_prior: float = 0.45
    """Added to neutral; the summed emotional evidence must beat neutral plus half this again to call a
    turn emotional (then the strongest emotion is the label)."""
    lexicon_floor: float = 1.0
    """Pseudo-count spread evenly before normalising lexicon votes (one cue gives ~0.6, not 1.0)."""


@dataclass(frozen=True)
class TurnEmotion:
    turn_id: int
    label: str
    confidence: float
    """Fused score of the label divided by the sum of fused scores."""
    event: str
    """The clause of the user's words that names what happened (for replies and the timeline)."""
    cues: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    voice: dict | None = None
    scores: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"turn_id": self.turn_id, "label": self.label, "confidence": round(self.confidence, 4),
                "event": self.event, "cues": list(self.cues), "tags": list(self.tags), "voice": self.voice,
                "scores": {k: round(v, 4) for k, v in self.scores.items()}}


def _normalise(votes: dict[str, float], floor: float) -> dict[str, float] | None:
    total = sum(votes.values())
    if total <= 0:
        return None
    spread = floor / len(votes)
    denom = total + floor
    return {e: (votes[e] + spread) / denom for e in votes}


class EmotionRecognizer:
    """Labels the user turns of one dialogue at a time (voice evidence needs the whole dialogue so far)."""

    def __init__(self, config: EmotionConfig = EmotionConfig(), prototypes=None):
        self.config = config
        self._prototypes = prototypes

    @property
    def prototypes(self):
        if self._prototypes is None and self.config.encoder_weight > 0:
            from humdial.empathy.emotion.prototypes import PrototypeScorer

            self._prototypes = PrototypeScorer()
        return self._prototypes

    def analyse(self, lang: str, turn_ids: list[int], texts: list[str],
                audios: list[np.ndarray | None]) -> list[TurnEmotion]:
        """One TurnEmotion per turn, with voice evidence against the whole dialogue (offline analysis).

        Texts may be empty (no transcript) and audios None (no recording)."""
        feats, encoder = self._features(texts, audios)
        voice = voice_evidence(feats) if self.config.voice_weight > 0 else [None] * len(texts)
        return [self._fuse(lang, tid, text, feats[k], encoder[k], voice[k])
                for k, (tid, text) in enumerate(zip(turn_ids, texts))]

    def analyse_causal(self, lang: str, turn_ids: list[int], texts: list[str],
                       audios: list[np.ndarray | None]) -> list[TurnEmotion]:
        """Like `analyse`, but turn k only sees turns 1..k (what a live system would know when replying)."""
        feats, encoder = self._features(texts, audios)
        out = []
        for k, (tid, text) in enumerate(zip(turn_ids, texts)):
            voice = voice_evidence(feats[: k + 1])[k] if self.config.voice_weight > 0 else None
            out.append(self._fuse(lang, tid, text, feats[k], encoder[k], voice))
        return out

    def _features(self, texts: list[str], audios: list[np.ndarray | None]):
        feats: list[VoiceFeatures | None] = [voice_features(a) if a is not None and len(a) else None for a in audios]
        encoder = (self.prototypes.score([strip_tags(t) for t in texts]) if self.prototypes is not None
                   else [None] * len(texts))
        return feats, encoder

    def _fuse(self, lang: str, tid: int, text: str, feats: VoiceFeatures | None, encoder: dict | None,
              voice: dict | None) -> TurnEmotion:
        cfg = self.config
        ev = text_evidence(text, lang)
        fused = {e: 0.0 for e in EMOTIONS}
        fused["neutral"] += cfg.neutral_prior
        for dist, weight in ((_normalise(ev.votes, cfg.lexicon_floor), cfg.lexicon_weight),
                             (_normalise(ev.tag_votes, cfg.lexicon_floor), cfg.tag_weight),
                             (encoder, cfg.encoder_weight), (voice, cfg.voice_weight)):
            if dist is None:
                continue
            for e in EMOTIONS:
                fused[e] += weight * dist.get(e, 0.0)
        emotional = [e for e in EMOTIONS if e != "neutral"]
        best = max(emotional, key=lambda e: fused[e])
        # emotional vs neutral first (all emotional evidence together), then which emotion: two cues of
        # different emotions in one turn must not let the neutral prior win by splitting the vote
        label = best if sum(fused[e] for e in emotional) > fused["neutral"] + cfg.neutral_prior * 0.5 else "neutral"
        return TurnEmotion(turn_id=tid, label=label, confidence=fused[label] / sum(fused.values()),
                           event=event_clause(text, lang), cues=ev.cues, tags=ev.tags,
                           voice=feats.as_dict() if feats else None, scores=fused)
