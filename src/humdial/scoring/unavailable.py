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
    """The full sentence: what is missing and why, with counts."""
    cause: str = ""
    """The root cause in a few words ("no transcripts for zh (no ASR chosen)"), for tables and for the
    sentences of totals built on this value; defaults to `why`."""

    def as_dict(self) -> dict[str, str]:
        return {"reason": self.reason, "why": self.why, "cause": self.cause or self.why}


def because(reason: str, why: str, cause: str = "") -> dict[str, str]:
    """The JSON form written into the results (`{"reason": code, "why": sentence, "cause": few words}`)."""
    return Unavailable(reason, why, cause).as_dict()


def _causes(part: dict) -> list[str]:
    return [c for c in (part.get("cause") or part.get("why") or "").split("; ") if c]


def missing_component(what: str, parts: list[tuple[str, dict | None]]) -> dict[str, str]:
    """`what` cannot be computed because each of `parts` (name, its reason or None) is unavailable.

    Parts with the same cause are named together, so a total over nine scenarios that all lack a
    transcript reads as one clause. The reason code is the parts' common code when they share one
    (e.g. every part lacks a judge), else `missing_component`.
    """
    codes = {p["reason"] for _, p in parts if p}
    reason = codes.pop() if len(codes) == 1 and all(p for _, p in parts) else MISSING_COMPONENT
    groups: dict[str, list[str]] = {}
    for name, part in parts:
        groups.setdefault("; ".join(_causes(part)) if part else "reason not recorded", []).append(name)
    clauses = "; ".join(f"{_names(names)} missing ({cause})" for cause, names in groups.items())
    causes = list(dict.fromkeys(c for _, p in parts if p for c in _causes(p)))
    return because(reason, f"{what} cannot be computed: {clauses}", "; ".join(causes) or "reason not recorded")


def _names(names: list[str]) -> str:
    """"headline of a, headline of b" -> "headline of a, b" when every name shares the "<field> of " prefix."""
    head = names[0].split(" of ")[0] + " of " if " of " in names[0] else ""
    if head and len(names) > 1 and all(n.startswith(head) for n in names):
        return head + ", ".join(n[len(head):] for n in names)
    return ", ".join(names)
