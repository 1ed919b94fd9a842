"""Why a Track 2 value could not be computed: a machine-readable reason code and a sentence for people.

Every value the results carry as None (a headline, a latency, a language total, the final score) comes
with one `Unavailable` beside it, so no table, report or leaderboard has to say "pending" for a value
that will never be computed: it says what is missing and why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

NO_JUDGE = "no_judge"
"""No behaviour judge ran and no earlier judge ratios were reused (e.g. --judge none)."""
JUDGE_FAILED = "judge_failed"
"""The judge ran but gave no usable verdict for any sample of the group."""
NO_TRANSCRIPTS = "no_transcripts"
"""The evaluator has no transcript of the outputs (no ASR chosen for the language, or ASR failed)."""
NO_VALID_DELAY = "no_valid_delay"
"""No sample answered after the user stopped, so the delay mean has no values."""
NO_FIRST_RESPONSE = "no_first_response"
"""No sample has a measured first response (silent or missing outputs, annotation problems)."""
NO_SAMPLES = "no_samples"
"""The data set has no sample of this scenario and language."""
MISSING_COMPONENT = "missing_component"
"""A total or score that needs a value listed as unavailable; `why` names it and its reason."""
INCOMPLETE = "incomplete"
"""Strict mode: every sample of the group lacks what the evaluator needs to judge it."""

REASONS = (NO_JUDGE, JUDGE_FAILED, NO_TRANSCRIPTS, NO_VALID_DELAY, NO_FIRST_RESPONSE, NO_SAMPLES,
           MISSING_COMPONENT, INCOMPLETE)


@dataclass(frozen=True)
class Unavailable:
    reason: str
    why: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def because(reason: str, why: str) -> dict[str, str]:
    """The JSON form written into the results (`{"reason": code, "why": sentence}`)."""
    return Unavailable(reason, why).as_dict()


def missing_component(what: str, parts: list[tuple[str, dict | None]]) -> dict[str, str]:
    """`what` cannot be computed because each of `parts` (name, its reason or None) is unavailable.

    The reason code is the parts' common cause when they share one (e.g. every part lacks a judge),
    else `missing_component`; the sentence names every part and its cause.
    """
    causes = [p for _, p in parts if p]
    codes = {c["reason"] for c in causes}
    reason = codes.pop() if len(codes) == 1 else MISSING_COMPONENT
    listed = "; ".join(f"{name}: {p['why']}" if p else name for name, p in parts)
    return because(reason, f"{what} cannot be computed, it needs {listed}")


def legacy_pending(text: str) -> dict[str, str]:
    """The reason of a value an older results file (schema 1) marked `pending`: a judge was not run."""
    return because(NO_JUDGE, f"no behaviour-judge ratio in this (older) results file: {text}")
