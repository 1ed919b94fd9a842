"""Resume after a false alarm: continue the paused reply where it stopped.

The reply restarts at the beginning of the word that was cut (a listener hears a whole word);
after a long pause it restarts the sentence, so the continuation still makes sense on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from humdial.agent.strategies.base import Verdict


@dataclass(frozen=True)
class ResumeConfig:
    restart_sentence_after_s: float = 1.2
    """Pauses longer than this restart the interrupted sentence instead of the interrupted word."""
    preroll_s: float = 0.03
    """Audio kept before the resumed word's onset, so its first phoneme is not clipped."""


class ResumeStrategy:
    def __init__(self, config: ResumeConfig = ResumeConfig()):
        self.config = config

    def decide(self, paused_s: float, word_index: int) -> Verdict:
        ev = {"paused_s": round(paused_s, 3), "word_index": word_index}
        if paused_s > self.config.restart_sentence_after_s and word_index > 0:
            return Verdict("sentence", f"paused {paused_s:.1f}s > {self.config.restart_sentence_after_s}s: "
                                       "restart the sentence", ev)
        return Verdict("word", "continue from the interrupted word", ev)
