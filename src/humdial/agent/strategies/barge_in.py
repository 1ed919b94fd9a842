"""Barge-in: when speech over the agent's own speech makes it stop talking.

The agent pauses (it does not yet give up its reply) as soon as overlapping speech has lasted
`min_speech_s`; the other strategies then decide between resuming and yielding. Pausing early keeps
the overlap (the protocol's stop latency) short; a backchannel or a bystander costs only a short
gap, after which the reply continues where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

from humdial.agent.strategies.base import Verdict


@dataclass(frozen=True)
class BargeInConfig:
    min_speech_s: float = 0.064
    """Overlapping speech (VAD-positive time) needed before the agent pauses. Larger values let short
    backchannels pass without any gap but lengthen every real interruption's overlap by the same amount."""
    grace_after_start_s: float = 0.0
    """Ignore overlapping speech this long after the agent starts a reply (e.g. the tail of the user's
    own turn picked up late). 0 disables it."""


class BargeInStrategy:
    def __init__(self, config: BargeInConfig = BargeInConfig()):
        self.config = config

    def decide(self, overlap_speech_s: float, since_reply_start_s: float) -> Verdict:
        c = self.config
        ev = {"overlap_speech_s": round(overlap_speech_s, 3), "since_reply_start_s": round(since_reply_start_s, 3)}
        if since_reply_start_s < c.grace_after_start_s:
            return Verdict("keep", f"speech within {c.grace_after_start_s}s of reply start", ev)
        if overlap_speech_s >= c.min_speech_s:
            return Verdict("pause", f"user speech over agent speech for >= {c.min_speech_s}s", ev)
        return Verdict("keep", "overlap too short so far", ev)
