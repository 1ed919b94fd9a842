"""What every strategy returns: a decision word, a human-readable reason, and the evidence used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Verdict:
    decision: str
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:  # a verdict is "positive" unless it says wait/no/keep
        return self.decision not in ("wait", "no", "keep", "unknown")
