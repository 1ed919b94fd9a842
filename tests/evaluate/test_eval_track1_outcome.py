"""Track 1 evaluation outcome (one failure count for eval track1 and the demo) and the judge progress bar."""

from __future__ import annotations

import pytest

from humdial.errors import EXIT_ITEMS_FAILED, EXIT_OK, EXIT_STAGE_FAILED
from humdial.evaluate.track1.outcome import track1_outcome
from humdial.evaluate.track1.progress import JUDGE_BATCH, judge_groups
from humdial.judge.base import JudgeRequest, Verdict


def _counts(verdicts=None, missing=0, gold_errors=0, sub_errors=0) -> dict:
    return {"verdicts": verdicts or {}, "status": {"judge": 3, "missing": missing} if missing else {"judge": 3},
            "gold_load_errors": gold_errors, "submission_load_errors": sub_errors}


def test_clean_run_is_ok():
    outcome = track1_outcome(_counts({"ok": 3}))
    assert (outcome.exit_code, outcome.failed_items, outcome.message()) == (EXIT_OK, 0, "")


def test_every_kind_of_failed_item_counts():
    outcome = track1_outcome(_counts({"ok": 1, "judge_failed": 1, "parse_failed": 1}, missing=2, gold_errors=1,
                                     sub_errors=4))
    assert outcome.exit_code == EXIT_ITEMS_FAILED and outcome.failed_items == 2 + 2 + 1 + 4
    assert outcome.message() == ("some items failed: judge failures 2, unreadable gold lines 1, "
                                 "unreadable submission lines 4, missing replies 2")


def test_a_judge_that_answered_nothing_fails_the_stage():
    outcome = track1_outcome(_counts({"judge_failed": 2, "parse_failed": 1}))
    assert outcome.exit_code == EXIT_STAGE_FAILED and "any of 3 items" in outcome.message()
    assert track1_outcome(_counts({}, missing=3)).exit_code == EXIT_ITEMS_FAILED  # nothing asked: not a judge failure


def test_eval_track1_and_the_demo_count_the_same(tmp_path, capsys):
    from humdial.commands.eval_track1 import exit_code

    counts = _counts({"ok": 2}, missing=1)
    assert exit_code(counts) == EXIT_ITEMS_FAILED and "missing replies 1" in capsys.readouterr().err
    assert track1_outcome(counts).failed_items == 1


class _Recording:
    """A judge that answers each request with its own index and records the batch sizes it was sent."""

    name = "recording"

    def __init__(self):
        self.batches: list[int] = []

    def describe(self) -> dict:
        return {}

    def judge(self, request, parse):
        return self.judge_many([request], parse)[0]

    def judge_many(self, requests, parse):
        self.batches.append(len(requests))
        return [Verdict(judge="r", model="m", rubric_id="x", rubric_version="1", raw=r.metadata["i"],
                        parsed={}, status="ok") for r in requests]


def _requests(n: int) -> list[JudgeRequest]:
    return [JudgeRequest(rubric_id="x", rubric_version="1", system="", parts=(), metadata={"i": str(i)}) for i in range(n)]


@pytest.mark.parametrize("quiet", [False, True])
def test_judging_in_batches_keeps_order_and_draws_on_stderr_only(quiet, capsys):
    judge = _Recording()
    n = 2 * JUDGE_BATCH + 3
    answers = judge_groups(judge, [("T1", _requests(n), lambda raw: {}), ("T2", _requests(2), lambda raw: {})],
                           quiet=quiet)
    assert [[v.raw for v in group] for group in answers] == [[str(i) for i in range(n)], ["0", "1"]]
    assert judge.batches == [JUDGE_BATCH, JUDGE_BATCH, 3, 2]
    captured = capsys.readouterr()
    assert captured.out == ""
    assert ("Track 1 judge: T1" in captured.err and f"{n}/{n}" in captured.err) != quiet
