"""Did one Track 2 sample pass its scenario's criterion, and why (the per-sample view of the headline).

The criterion is the one the unit's headline counts (strict reading: every sample counts):
- timestamp rejection (pause, backchannel, third-party before...): passed when the model's first word
  comes after the end of the user's turn (first-response diff > 0); spoke early or never spoke fails;
- judge units (follow-up, topic switch, ...; third-party after): passed when the judge's tags include
  the unit's target tag (C_RESPOND / C_RESUME).
Before the criterion, a missing output or a silent output (no model speech at all) fails the sample:
those are the system's doing. When the system did speak but the evaluator lacks what the criterion
needs (no transcript of the output, no judge verdict) the sample is `incomplete`, never `failed`:
"the evaluator could not look" is not "the system did not answer" (`evaluation_gap` says which).
Things worth knowing that do not decide the verdict (an early start in a judged unit, evaluation
errors) are listed in `flags`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

from humdial.protocol import track2 as registry
from humdial.scoring.unavailable import JUDGE_FAILED, NO_JUDGE, NO_TRANSCRIPTS, Unavailable

PASSED, FAILED, INCOMPLETE = "passed", "failed", "incomplete"
"""Verdict values: `incomplete` = the evaluator could not check the criterion (no transcript, no judge verdict)."""
VERDICTS = (PASSED, FAILED, INCOMPLETE)
TRANSCRIPT_ERROR = "transcript_error"
"""The error kind `humdial.errors.TranscriptError` records: a transcript missing or unreadable."""


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


def system_failure(record: dict) -> str | None:
    """Why the system itself failed before any criterion (missing or silent output), else None."""
    errors = record.get("errors") or []
    if any(e.get("kind") == "output_missing" for e in errors) or not (record.get("files") or {}).get("output"):
        return "missing output: no output audio for this sample"
    if record.get("model_speech_s") == 0:
        return "silent output: no model speech detected"
    return None


def _first(errors: list[dict], test) -> dict | None:
    return next((e for e in errors if test(e)), None)


def evaluation_gap(record: dict, tags: Sequence[str] | None = None) -> Unavailable | None:
    """Why the evaluator could not check this sample's criterion although the system produced speech.

    None when the criterion could be checked, or when the system itself failed (`system_failure`).
    Timestamp units need the output transcript (first word); judge units need a parsed judge verdict
    (`tags` given by the caller count as one).
    """
    if system_failure(record):
        return None
    unit = registry.unit_by_key(record["unit"])
    errors = record.get("errors") or []
    if unit.headline == "timestamp_rejection":
        if (record.get("first_response") or {}).get("diff") is not None:
            return None
        err = _first(errors, lambda e: e.get("kind") == TRANSCRIPT_ERROR and e.get("stage") != "judge")
        if err is None:
            return None
        return Unavailable(NO_TRANSCRIPTS, f"no transcript of the output ({err.get('message') or 'missing'})")
    if _tags(record, tags) is not None:
        return None
    err = _first(errors, lambda e: e.get("stage") == "judge")
    judge = record.get("judge") or {}
    if err is not None and err.get("kind") == TRANSCRIPT_ERROR:
        return Unavailable(NO_TRANSCRIPTS, f"no transcript for the judge ({err.get('message') or 'missing'})")
    if err is not None or judge.get("status"):
        status = judge.get("status") or (err or {}).get("kind")
        detail = (err or {}).get("message") or ""
        return Unavailable(JUDGE_FAILED, f"judge gave no usable verdict ({status}{': ' + detail if detail else ''})")
    return Unavailable(NO_JUDGE, "no judge verdict for this sample (no judge ran on it)")


def sample_verdict(record: dict, tags: Sequence[str] | None = None) -> SampleVerdict:
    """Verdict of one sample record (the dict the evaluator writes). `tags` overrides the record's own
    judge tags (e.g. tags read from the run's verdict log for an older results file)."""
    unit = registry.unit_by_key(record["unit"])
    criterion = _criterion(unit)
    flags = [f"evaluation error {e.get('kind')}: {e.get('message', '')}".strip() for e in record.get("errors") or []]
    fr = record.get("first_response") or {}
    diff = fr.get("diff")
    failure = system_failure(record)
    if failure:
        return SampleVerdict(FAILED, failure, criterion, flags)
    gap = evaluation_gap(record, tags)
    if gap is not None:
        return SampleVerdict(INCOMPLETE, f"evaluation incomplete: {gap.why}; cannot check: {criterion}",
                             criterion, flags)
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
    given = _tags(record, tags) or []
    if unit.judge_target in given:
        return SampleVerdict(PASSED, f"judge tagged {', '.join(given)}", criterion, flags)
    shown = ", ".join(given) if given else "no tags"
    return SampleVerdict(FAILED, f"judge tagged {shown}; expected {unit.judge_target}", criterion, flags)
