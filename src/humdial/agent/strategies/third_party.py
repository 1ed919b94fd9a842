"""Third-party speech: speech from someone other than the enrolled user is not a turn.

The user is enrolled from their first accepted turn (a speaker embedding plus its level); later
speech is compared with it. A clearly different voice is a third party; a borderline voice that is
also much quieter than the user (someone further from the microphone) is one as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from humdial.agent.speaker import cosine
from humdial.agent.strategies.base import Verdict


@dataclass(frozen=True)
class ThirdPartyConfig:
    min_speech_s: float = 1.4
    """Speech needed before a voice is compared: GE2E similarities of one speaker's 1 s clips spread
    down to 0.63, of 1.5 s clips only to 0.80 (measured on espeak voices)."""
    max_speech_s: float = 2.4
    """Speech used for one comparison (the start of the burst)."""
    same_threshold: float = 0.84
    """Cosine similarity to the enrolled voice at or above which the voice matches the user (GE2E)."""
    other_threshold: float = 0.80
    """Below this the voice is probably someone else; it counts as a third party when it is also at
    least `quieter_db` quieter than the user (measured: one speaker's 1.5 s clips stay above 0.80 on
    espeak voices, but real rooms vary, so voice alone does not decide)."""
    distinct_threshold: float = 0.6
    """Below this the voice is someone else whatever the level (clips of `short_clip_full_s` or more)."""
    short_clip_distinct_threshold: float = 0.5
    """The same cut-off for a clip of `short_clip_s` of speech; between the two lengths it rises linearly
    to `distinct_threshold`. Why: a short clip gives a noisy embedding. Measured with
    `benchmarks/agent_speaker_clips.py` on the English seed 8080 tune and eval sets (espeak and Piper in
    rooms; 52 enrolments as the agent makes them; same speaker 12-44 clips per length, other speakers
    714-1086): the user's own clips fall below 0.6 in 29 % of 0.7 s clips and 12 % of 0.9 s clips, none from
    1.1 s; their 5th percentile is 0.50 at 0.7 s, 0.56 at 0.9 s, 0.66 at 1.1 s. Applies to
    `short_clip_languages`."""
    short_clip_s: float = 0.7
    """Clip length of `short_clip_distinct_threshold` (the shortest clip the engine compares: half of
    `min_speech_s`)."""
    short_clip_full_s: float = 1.1
    """Clip length from which `distinct_threshold` holds."""
    short_clip_languages: tuple[str, ...] = ("en",)
    """Languages whose clips get the short-clip cut-off (measured on English only; the others keep
    `distinct_threshold` at every length)."""
    quieter_db: float = 3.0
    """Level drop that, with a voice below `other_threshold`, marks a third party. Levels are the
    session's own: the user's is the running mean of their accepted turns, and every level is measured
    above the session's noise floor (humdial.agent.levels), so the drop means the same at any gain or SNR."""
    much_quieter_db: float = 10.0
    """Speech this much quieter than the user is background speech whatever the voice."""
    enrol_min_speech_s: float = 0.8
    """Speech needed in a turn before it enrols (or refines) the user's voice."""


@dataclass
class Enrolment:
    embedding: np.ndarray
    level_db: float
    turns: int = 1


class ThirdPartyStrategy:
    def __init__(self, config: ThirdPartyConfig = ThirdPartyConfig(), encoder_name: str = "ge2e"):
        self.config = config
        self.enrolled: Enrolment | None = None
        self.encoder_name = encoder_name

    def enrol(self, embedding: np.ndarray, level_db: float, replace: bool = False) -> str:
        """Enrol or refine (running mean of embeddings and levels); returns what happened."""
        if self.enrolled is None or replace:
            self.enrolled = Enrolment(embedding / max(float(np.linalg.norm(embedding)), 1e-9), level_db)
            return "re-enrolled" if replace else "enrolled"
        e = self.enrolled
        mean = e.embedding * e.turns + embedding
        e.embedding = mean / max(float(np.linalg.norm(mean)), 1e-9)
        e.level_db = (e.level_db * e.turns + level_db) / (e.turns + 1)
        e.turns += 1
        return "refined"

    def distinct_cut(self, speech_s: float | None) -> float:
        """The 'someone else whatever the level' cut-off for a clip of `speech_s` seconds (None: full length)."""
        c = self.config
        if speech_s is None or speech_s >= c.short_clip_full_s:
            return c.distinct_threshold
        share = max(0.0, speech_s - c.short_clip_s) / (c.short_clip_full_s - c.short_clip_s)
        return c.short_clip_distinct_threshold + share * (c.distinct_threshold - c.short_clip_distinct_threshold)

    def decide(self, embedding: np.ndarray, level_db: float, speech_s: float | None = None) -> Verdict:
        """`speech_s`: the compared clip's speech length, to relax the cut-off for short clips (None: not)."""
        c = self.config
        if self.enrolled is None:
            return Verdict("unknown", "no enrolled user yet", {"level_db": round(level_db, 1)})
        sim = cosine(embedding, self.enrolled.embedding)
        drop = self.enrolled.level_db - level_db
        ev = {"similarity": round(sim, 3), "level_db": round(level_db, 1), "user_level_db": round(self.enrolled.level_db, 1),
              "quieter_db": round(drop, 1), "encoder": self.encoder_name}
        if self.enrolled.turns == 1 and -drop >= c.quieter_db and sim < c.same_threshold:
            return Verdict("user", f"{-drop:.1f} dB louder than the only enrolled turn with another voice: the "
                                   "first speaker was in the background; re-enrol", {**ev, "reenrol": True})
        if drop >= c.much_quieter_db:
            return Verdict("other", f"{drop:.1f} dB quieter than the user (background speech)", ev)
        distinct = round(self.distinct_cut(speech_s), 3)
        if speech_s is not None:
            ev["distinct_cut"] = distinct
        if sim < distinct:
            return Verdict("other", f"voice similarity {sim:.2f} < {distinct}: a different voice", ev)
        if sim < c.other_threshold and drop >= c.quieter_db:
            return Verdict("other", f"voice similarity {sim:.2f} < {c.other_threshold} and {drop:.1f} dB quieter", ev)
        if sim < c.same_threshold:
            return Verdict("user", f"voice similarity {sim:.2f} inconclusive at {drop:.1f} dB below the user's "
                                   "level: benefit of the doubt", ev)
        return Verdict("user", f"voice similarity {sim:.2f} >= {c.same_threshold}", ev)
