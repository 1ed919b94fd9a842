"""Did one Track 2 sample pass its scenario's criterion, and why (the per-sample view of the headline).

The criterion is the one the unit's headline counts (strict reading: every sample counts):
- timestamp rejection (pause, backchannel, third-party before...): passed when the model's first word
  comes after the end of the user's turn (first-response diff > 0); spoke early or never spoke fails;
- judge units (follow-up, topic switch, ...; third-party after): passed when the judge's tags include
  the unit's target tag (C_RESPOND / C_RESUME); without a parsed verdict the sample is `pending`.
Before the criterion, a missing output or a silent output (no model speech at all) fails the sample.
Things worth knowing that do not decide the verdict (an early start in a judged unit, evaluation
errors) are listed in `flags`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

from humdial.protocol import track2 as registry

PASSED, FAILED, PENDING = "passed", "failed", "pending"
"""Verdict values: `pending` = the criterion needs a judge verdict this sample does not have."""


@dataclass(frozen=True)
class SampleVerdict:
    verdict: str
    reason: str
    criterion: str
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _criterion(unit: registry.Unit) -> str:
    if unit.headline == "timestamp_rejection":
        return "model waits: first word after the end of the user's turn"
    return f"judge tags include {unit.judge_target}"


def _tags(record: dict, tags: Sequence[str] | None) -> list[str] | None:
    if tags is not None:
        return list(tags)
    judge = record.get("judge")
    if judge and judge.get("status") == "ok":
        return list(judge.get("tags") or [])
    return None


def sample_verdict(record: dict, tags: Sequence[str] | None = None) -> SampleVerdict:
    """Verdict of one sample record (the dict the evaluator writes). `tags` overrides the record's own
    judge tags (e.g. tags read from the run's verdict log for an older results file)."""
    unit = registry.unit_by_key(record["unit"])
    criterion = _criterion(unit)
    flags = [f"evaluation error {e.get('kind')}: {e.get('message', '')}".strip() for e in record.get("errors") or []]
    fr = record.get("first_response") or {}
    diff = fr.get("diff")
    if any(e.get("kind") == "output_missing" for e in record.get("errors") or []) or not (record.get("files") or {}).get("output"):
        return SampleVerdict(FAILED, "missing output: no output audio for this sample", criterion, flags)
    if record.get("model_speech_s") == 0:
        return SampleVerdict(FAILED, "silent output: no model speech detected", criterion, flags)
    early = diff is not None and (diff < 0 or (diff == 0 and not unit.delay_accepts_zero))
    if unit.headline == "timestamp_rejection":
        if diff is None:
            reason = "no first response measured (no output word after the user's turn started)"
            return SampleVerdict(FAILED, reason, criterion, flags)
        if diff > 0:
            return SampleVerdict(PASSED, f"waited: first word {diff:.3f} s after the user's turn ended", criterion, flags)
        return SampleVerdict(FAILED, f"early start: first word {-diff:.3f} s before the user's turn ended", criterion, flags)
    if early:
        flags.append(f"early start: first word {-diff:.3f} s before the end of the anchor segment")
    given = _tags(record, tags)
    if given is None:
        judge = record.get("judge") or {}
        why = f"judge verdict {judge['status']}" if judge.get("status") else "no judge verdict"
        return SampleVerdict(PENDING, f"{why}: cannot check for {unit.judge_target}", criterion, flags)
    if unit.judge_target in given:
        return SampleVerdict(PASSED, f"judge tagged {', '.join(given)}", criterion, flags)
    shown = ", ".join(given) if given else "no tags"
    return SampleVerdict(FAILED, f"judge tagged {shown}; expected {unit.judge_target}", criterion, flags)
