"""Per-sample verdicts against the scenario's criterion, with the reason."""

import pytest

from humdial.scoring.sample_verdict import FAILED, PASSED, PENDING, sample_verdict


def rec(unit, diff=0.5, speech=2.0, tags=None, judge_status="ok", output="out.wav", errors=()):
    r = {"sample_id": "s", "lang": "en", "unit": unit, "files": {"input": "in.wav", "output": output},
         "errors": list(errors), "model_speech_s": speech, "first_response": {"anchor_end": 1.0, "diff": diff}}
    if tags is not None:
        r["judge"] = {"status": judge_status, "tags": tags}
    return r


@pytest.mark.parametrize("unit", ["pause", "third_party.before"])
def test_rejection_is_timestamp_order(unit):
    assert sample_verdict(rec(unit, diff=0.4)).verdict == PASSED
    early = sample_verdict(rec(unit, diff=-0.8))
    assert early.verdict == FAILED and "early start" in early.reason and "0.800 s" in early.reason
    assert sample_verdict(rec(unit, diff=0.0)).verdict == FAILED  # zero does not count as waiting here
    assert sample_verdict(rec(unit, diff=None)).verdict == FAILED


def test_judge_units_need_the_target_tag():
    assert sample_verdict(rec("follow_up", tags=["C_RESPOND"])).verdict == PASSED
    wrong = sample_verdict(rec("follow_up", tags=["C_RESUME", "C_UNCERTAIN_HANDLING"]))
    assert wrong.verdict == FAILED and "expected C_RESPOND" in wrong.reason and "C_RESUME" in wrong.reason
    assert sample_verdict(rec("backchannel", tags=["C_RESUME"])).verdict == PASSED
    assert sample_verdict(rec("speech_to_others", tags=["C_RESPOND"])).verdict == FAILED
    assert sample_verdict(rec("follow_up")).verdict == PENDING
    assert sample_verdict(rec("follow_up", tags=[], judge_status="parse_error")).verdict == PENDING
    # tags from elsewhere (the verdict log) override the record's own
    assert sample_verdict(rec("follow_up"), tags=["C_RESPOND"]).verdict == PASSED


def test_early_start_in_a_judged_unit_is_flagged_not_decisive():
    v = sample_verdict(rec("follow_up", diff=-0.3, tags=["C_RESPOND"]))
    assert v.verdict == PASSED and any("early start" in f for f in v.flags)


def test_missing_and_silent_outputs_fail_first():
    missing = sample_verdict(rec("follow_up", output=None, tags=["C_RESPOND"],
                                 errors=[{"kind": "output_missing", "message": "no file"}]))
    assert missing.verdict == FAILED and "missing output" in missing.reason
    assert any("output_missing" in f for f in missing.flags)
    silent = sample_verdict(rec("pause", speech=0, diff=None))
    assert silent.verdict == FAILED and "silent output" in silent.reason
