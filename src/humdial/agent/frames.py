"""Frames: the units that flow through the agent (vocabulary after pipecat).

Data frames carry audio and text; system frames mark the life of a session and are never dropped
by an interruption. Every frame has a time `t` in seconds on the session clock, and can describe
itself as one JSON object for the event log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Frame:
    t: float

    kind = "frame"

    def as_event(self) -> dict[str, Any]:
        return {"t": round(self.t, 4), "type": self.kind}


@dataclass(frozen=True)
class TranscriptFrame(Frame):
    """A (partial) transcript of the current user burst; `audio_end` is the input time it covers."""

    text: str = ""
    audio_start: float = 0.0
    audio_end: float = 0.0
    final: bool = False

    kind = "transcript"

    def as_event(self) -> dict[str, Any]:
        return {**super().as_event(), "text": self.text, "audio": [round(self.audio_start, 3), round(self.audio_end, 3)],
                "final": self.final}


@dataclass(frozen=True)
class DecisionFrame(Frame):
    """A strategy's verdict and why: e.g. strategy='backchannel', decision='resume'."""

    strategy: str = ""
    decision: str = ""
    reason: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)

    kind = "decision"

    def as_event(self) -> dict[str, Any]:
        return {**super().as_event(), "strategy": self.strategy, "decision": self.decision,
                "reason": self.reason, "evidence": self.evidence}


@dataclass(frozen=True)
class SystemFrame(Frame):
    """Session life: name is 'start', 'end' or 'cancel'."""

    name: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    kind = "system"

    def as_event(self) -> dict[str, Any]:
        return {**super().as_event(), "name": self.name, **self.info}
