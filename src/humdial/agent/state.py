"""The explicit duplex state machine and its event log.

States:
- LISTENING: nobody has the floor; the agent is silent.
- USER_SPEAKING: the user holds the floor (the agent may hold a suspended reply to resume).
- THINKING: the user's turn is over; understanding, reply and first speech are being computed.
- SPEAKING: the agent's speech is playing.
- PAUSED: the agent stopped mid-reply because someone spoke over it, and is deciding whether to
  resume (backchannel, third party, aside) or yield (a real interruption).

Every transition names its reason; a transition the table does not allow raises, so a logic error
in the engine cannot silently produce an impossible state sequence.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

from humdial.agent.frames import Frame


class DuplexState(str, Enum):
    LISTENING = "LISTENING"
    USER_SPEAKING = "USER_SPEAKING"
    THINKING = "THINKING"
    SPEAKING = "SPEAKING"
    PAUSED = "PAUSED"


S = DuplexState
ALLOWED: dict[DuplexState, frozenset[DuplexState]] = {
    S.LISTENING: frozenset({S.USER_SPEAKING, S.THINKING}),
    S.USER_SPEAKING: frozenset({S.LISTENING, S.THINKING, S.SPEAKING}),  # SPEAKING: resume after an aside
    S.THINKING: frozenset({S.SPEAKING, S.LISTENING, S.USER_SPEAKING}),
    S.SPEAKING: frozenset({S.LISTENING, S.PAUSED, S.THINKING}),
    S.PAUSED: frozenset({S.SPEAKING, S.USER_SPEAKING, S.THINKING, S.LISTENING}),
}


class IllegalTransition(RuntimeError):
    pass


def _plain(value: Any) -> Any:
    """JSON fallback for numpy scalars and arrays that slip into evidence."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


class EventLog:
    """Ordered events of one session; written as JSONL (one object per line) when asked."""

    def __init__(self, sink: TextIO | None = None):
        self.events: list[dict[str, Any]] = []
        self._sink = sink

    def add(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if self._sink is not None:
            self._sink.write(json.dumps(event, ensure_ascii=False, default=_plain) + "\n")

    def frame(self, frame: Frame) -> None:
        self.add(frame.as_event())

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == kind]

    def write(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            for event in self.events:
                handle.write(json.dumps(event, ensure_ascii=False, default=_plain) + "\n")
        tmp.replace(path)


class StateMachine:
    def __init__(self, log: EventLog, initial: DuplexState = DuplexState.LISTENING):
        self.state = initial
        self.log = log
        self.since = 0.0

    def go(self, to: DuplexState, t: float, reason: str, **evidence: Any) -> None:
        if to == self.state:
            return
        if to not in ALLOWED[self.state]:
            raise IllegalTransition(f"{self.state.value} -> {to.value} is not allowed ({reason})")
        self.log.add({"t": round(t, 4), "type": "state", "from": self.state.value, "to": to.value,
                      "reason": reason, **({"evidence": evidence} if evidence else {})})
        self.state = to
        self.since = t

    def is_(self, *states: DuplexState) -> bool:
        return self.state in states
