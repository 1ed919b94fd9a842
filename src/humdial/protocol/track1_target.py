"""Which turn Task 3 evaluates.

The official code (and HumDial-EIBench) take the second turn whose gold emotion is not neutral; the
README prose says the last non-neutral turn. Both are offered; the default matches the code. A dialogue
without such a turn is not evaluable: it is reported with its reason and counted, never dropped silently.
"""

from __future__ import annotations

from typing import Literal

from humdial.protocol.track1 import NEUTRAL_LABELS, Dialogue, Turn, is_neutral

T3TurnRule = Literal["second", "last"]
T3_TURN_RULES: tuple[str, ...] = ("second", "last")


def choose_t3_turn(gold: Dialogue, rule: T3TurnRule = "second",
                   neutral: frozenset[str] = NEUTRAL_LABELS) -> tuple[Turn | None, str]:
    """(turn, explanation). The turn is None when the dialogue has no turn the rule can pick.

    Gold emotions are required; a turn without one is an error in the gold file, not 'non-neutral'
    (the official code's silent fallback).
    """
    if any(t.emotion is None for t in gold.turns):
        return None, "gold dialogue has turns without an emotion label"
    emotional = [t for t in gold.turns if not is_neutral(t.emotion, neutral)]
    if rule == "second":
        if len(emotional) < 2:
            return None, f"fewer than two non-neutral turns ({len(emotional)}); rule 'second' picks none"
        return emotional[1], f"second non-neutral turn (turn {emotional[1].turn_id})"
    if rule == "last":
        if not emotional:
            return None, "no non-neutral turn; rule 'last' picks none"
        return emotional[-1], f"last non-neutral turn (turn {emotional[-1].turn_id})"
    raise ValueError(f"unknown Task 3 turn rule {rule!r}; choose from {T3_TURN_RULES}")
