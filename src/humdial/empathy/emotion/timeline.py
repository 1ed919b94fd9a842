"""The emotional state timeline of one dialogue: the label of every turn, stretches of equal state, and
each change tied to the event the user named in the turn where it happened."""

from __future__ import annotations

from dataclasses import dataclass

from humdial.empathy.emotion.fusion import TurnEmotion


@dataclass(frozen=True)
class Stretch:
    label: str
    first_turn: int
    last_turn: int
    event: str
    """What the user said happened at the start of the stretch."""
    peak_confidence: float


@dataclass(frozen=True)
class Change:
    turn_id: int
    before: str
    after: str
    cause: str
    abrupt: bool
    """True when the change happens between two emotional states with no neutral turn between them."""


@dataclass(frozen=True)
class EmotionTimeline:
    turns: tuple[TurnEmotion, ...]
    stretches: tuple[Stretch, ...]
    changes: tuple[Change, ...]

    @property
    def labels(self) -> list[str]:
        return [t.label for t in self.turns]

    def as_dict(self) -> dict:
        return {"turns": [t.as_dict() for t in self.turns],
                "stretches": [s.__dict__ for s in self.stretches],
                "changes": [c.__dict__ for c in self.changes]}


def build_timeline(turns: list[TurnEmotion]) -> EmotionTimeline:
    stretches: list[Stretch] = []
    changes: list[Change] = []
    for t in turns:
        if stretches and stretches[-1].label == t.label:
            s = stretches[-1]
            stretches[-1] = Stretch(s.label, s.first_turn, t.turn_id, s.event, max(s.peak_confidence, t.confidence))
            continue
        if stretches:
            before = stretches[-1].label
            changes.append(Change(t.turn_id, before, t.label, t.event,
                                  abrupt=before != "neutral" and t.label != "neutral"))
        stretches.append(Stretch(t.label, t.turn_id, t.turn_id, t.event, t.confidence))
    return EmotionTimeline(tuple(turns), tuple(stretches), tuple(changes))
