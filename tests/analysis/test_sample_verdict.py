"""Per-sample verdicts against the scenario's criterion, with the reason."""

import pytest

from humdial.scoring.sample_verdict import FAILED, INCOMPLETE, PASSED, sample_verdict


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
    no_judge = sample_verdict(rec("follow_up"))
    assert no_judge.verdict == INCOMPLETE and "no judge verdict" in no_judge.reason
    broken = sample_verdict(rec("follow_up", tags=[], judge_status="parse_error"))
    assert broken.verdict == INCOMPLETE and "parse_error" in broken.reason
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


def test_no_transcript_is_incomplete_not_a_failure_but_silence_still_fails():
    """The evaluator lacking a transcript is not the system failing to answer (issue 13: strict 46.7)."""
    missing = {"stage": "first_response", "kind": "transcript_error", "message": "transcript not found: x.json"}
    v = sample_verdict(rec("pause", diff=None, errors=[missing]))
    assert v.verdict == INCOMPLETE and "no transcript" in v.reason and "transcript not found" in v.reason
    # the same missing transcript with a silent output: the system did not answer, whatever the transcript
    assert sample_verdict(rec("pause", diff=None, speech=0, errors=[missing])).verdict == FAILED
    judged = sample_verdict(rec("follow_up", errors=[{"stage": "judge", "kind": "transcript_error", "message": "m"}]))
    assert judged.verdict == INCOMPLETE and "no transcript for the judge" in judged.reason
