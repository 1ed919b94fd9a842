"""One judge-ratio function: the evaluator and the report's bootstrap count every tag of an answer."""

import pytest

from humdial.evaluate.track2 import behaviour
from humdial.protocol import track2 as registry
from humdial.report.bootstrap import BootstrapConfig
from humdial.report.track2_view import build_track2_view, judge_ratios
from humdial.results.track2 import build_track2_results
from humdial.scoring import judge_ratio as ratio_mod
from humdial.scoring.judge_ratio import contribution, judge_ratio
from humdial.scoring.track2_aggregate import aggregate

EXAMPLE = {"s1": ["C_RESPOND", "C_UNCERTAIN_HANDLING"], "s2": ["C_RESUME"]}


def test_example_counts_every_tag():
    out = judge_ratio(EXAMPLE.values(), "C_RESPOND")
    assert out["ratio"] == pytest.approx(1 / 3) and out["n"] == 3
    assert out["strict_ratio"] == pytest.approx(1 / 2) and out["strict_n"] == 2
    assert out["tag_counts"] == {"C_RESPOND": 1, "C_RESUME": 1, "C_UNCERTAIN_HANDLING": 1}
    assert contribution(None, "C_RESPOND") == contribution([], "C_RESPOND")  # no verdict: no tags, strict miss
    assert judge_ratio([None, None], "C_RESPOND")["ratio"] is None


def test_evaluator_and_report_share_the_function():
    assert behaviour.judge_ratio is ratio_mod.judge_ratio
    records = [{"sample_id": sid, "lang": "en", "unit": "follow_up"} for sid in EXAMPLE]
    report = judge_ratios(records, dict(EXAMPLE), build_track2_results({}))
    assert report[("en", "follow_up")]["ratio"] == pytest.approx(1 / 3)


def _record(sid: str, unit: registry.Unit, k: int) -> dict:
    """A usable sample: the model speaks after the anchor, stops and answers an interruption."""
    rec = {"sample_id": sid, "lang": "en", "unit": unit.key, "status": "ok", "files": {}, "errors": [],
           "warnings": [], "model_speech_s": 2.0,
           "first_response": {"anchor_end": 2.0, "first_word_start": 2.5 + 0.1 * k, "diff": 0.5 + 0.1 * k}}
    if unit.timing_latencies:
        rec["stop_intervals"] = [[4.0, 4.6 + 0.1 * k]]
        rec["response_intervals"] = [[5.0, 5.8 + 0.1 * k]]
        rec["event"] = {"onset": 4.0, "end": 5.0, "stop_latency": 0.6 + 0.1 * k, "response_latency": 0.8 + 0.1 * k}
    return rec


# Every sample of a judged unit gets the same multi-tag answer, so the bootstrap distribution of each
# total is a single point: the interval must be exactly the point value (a first-tag estimator is not).
TAGS = {"C_RESPOND": ["C_RESPOND", "C_UNCERTAIN_HANDLING", "C_RESUME"], "C_RESUME": ["C_RESUME", "C_RESPOND"]}


def test_report_interval_contains_point_value_for_multi_tag_answers():
    records, tags = [], {}
    for unit in registry.units():
        for k in range(3):
            rec = _record(f"{unit.key}-{k}", unit, k)
            if unit.judge_target:
                rec["judge"] = {"status": "ok", "tags": TAGS[unit.judge_target]}
                tags[rec["sample_id"]] = TAGS[unit.judge_target]
            records.append(rec)
    ratios = {("en", u.key): judge_ratio([tags[f"{u.key}-{k}"] for k in range(3)], u.judge_target)
              for u in registry.units() if u.judge_target}
    assert ratios[("en", "follow_up")]["ratio"] == pytest.approx(1 / 3)  # the evaluator's value
    results = build_track2_results({"mode": "official", **aggregate(records, ratios), "samples": records})
    overall = results.official.overall
    assert overall.interruption_total is not None and overall.final_score is not None
    view = build_track2_view(results, {}, BootstrapConfig(replicates=50))
    for key in ("interruption_total", "rejection_total", "final_score"):
        iv, point = view.intervals[key], getattr(overall, key)
        assert iv.low <= point <= iv.high, (key, iv, point)
    # the bootstrap's judge ratios are the evaluator's: every replicate gives the same interruption total
    assert view.intervals["interruption_total"].low == view.intervals["interruption_total"].high == \
        overall.interruption_total
