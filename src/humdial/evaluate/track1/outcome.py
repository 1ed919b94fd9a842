"""How a Track 1 evaluation went, from its `counts` block: which items failed and the exit code it earns.

One function for every caller (`humdial eval track1`, the demo's eval stage), so "how many items failed"
means the same everywhere (docs/exit_codes.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from humdial.errors import EXIT_ITEMS_FAILED, EXIT_OK, EXIT_STAGE_FAILED


@dataclass(frozen=True)
class Track1Outcome:
    asked: int
    """Items the judge was asked about (verdicts of any status)."""
    judge_failures: int
    """Verdicts without a usable answer (judge_failed + parse_failed)."""
    problems: dict[str, int]
    """Failed items per kind, only kinds that occurred: judge failures, unreadable lines, missing replies,
    missing or unreadable Task 3 reply audio, missing human ratings (the evaluator's item_errors)."""

    @property
    def failed_items(self) -> int:
        return sum(self.problems.values())

    @property
    def judge_answered_nothing(self) -> bool:
        return self.asked > 0 and self.judge_failures == self.asked

    @property
    def exit_code(self) -> int:
        """3 when the judge answered none of the items it was asked, 1 when some items failed, else 0."""
        if self.judge_answered_nothing:
            return EXIT_STAGE_FAILED
        return EXIT_ITEMS_FAILED if self.problems else EXIT_OK

    def message(self) -> str:
        """The line for stderr ("" when nothing failed)."""
        if self.judge_answered_nothing:
            return (f"the judge gave no usable answer for any of {self.asked} items (see verdicts.jsonl)")
        if self.problems:
            return "some items failed: " + ", ".join(f"{k} {v}" for k, v in self.problems.items())
        return ""


def track1_outcome(counts: dict) -> Track1Outcome:
    """Read the `counts` block of track1_results.json (evaluate/track1/pipeline.py writes it)."""
    verdicts = counts.get("verdicts") or {}
    failed = int(verdicts.get("judge_failed", 0)) + int(verdicts.get("parse_failed", 0))
    kinds = {"judge failures": failed, "unreadable gold lines": int(counts.get("gold_load_errors", 0)),
             "unreadable submission lines": int(counts.get("submission_load_errors", 0)),
             "missing replies": int((counts.get("status") or {}).get("missing", 0)),
             **{kind.replace("_", " "): int(n) for kind, n in sorted((counts.get("item_errors") or {}).items())},
             "unreadable human rating rows": int(counts.get("human_rating_row_errors", 0))}
    return Track1Outcome(asked=int(sum(verdicts.values())), judge_failures=failed,
                         problems={k: v for k, v in kinds.items() if v})
