"""Values that cannot be computed say why; strict mode tells "no transcript" from "the system did not answer".

Issue 13/12: with no Chinese ASR, strict mode turned every Chinese sample into a failure (overall
interruption 46.7 while the system did answer). Here the evaluator's gap is `incomplete`, counted apart.
"""

from humdial.protocol import track2 as registry
from humdial.scoring.judge_ratio import judge_ratio
from humdial.scoring.track2_aggregate import AggregateContext, aggregate, unavailable_list

NO_TRANSCRIPT = {"stage": "first_response", "kind": "transcript_error", "message": "transcript not found: x.json"}
JUDGE_NO_TRANSCRIPT = {"stage": "judge", "kind": "transcript_error", "message": "transcript not found: y.json"}
INTERRUPTION = ("follow_up", "negation", "repetition", "topic_switch", "stop")
REJECTION = ("backchannel", "pause", "third_party.after", "third_party.before", "speech_to_others")


def _rec(lang, unit, i, diff=0.6, speech=2.0, tags=("C_RESPOND",), transcript=True):
    errors = [] if transcript else [NO_TRANSCRIPT]
    target = registry.unit_by_key(unit).judge_target
    rec = {"sample_id": f"{lang}/{unit}/{i}", "lang": lang, "unit": unit, "status": "ok" if transcript else "error",
           "files": {"input": "in.wav", "output": "out.wav"}, "errors": errors, "warnings": [],
           "model_speech_s": speech, "first_response": {"anchor_end": 1.0, "diff": diff if transcript else None},
           "stop_intervals": [[1.0, 1.2]], "response_intervals": [[2.0, 2.5]],
           "event": {"onset": 1.0, "end": 2.0, "stop_latency": 0.2, "response_latency": 0.5}}
    if target and transcript:
        rec["judge"] = {"status": "ok", "tags": [target] if tags else []}
    elif target:
        rec["errors"].append(JUDGE_NO_TRANSCRIPT)
    return rec


def _ratios(records):
    groups = {}
    for r in records:
        groups.setdefault((r["lang"], r["unit"]), []).append(r)
    out = {}
    for key, recs in groups.items():
        target = registry.unit_by_key(key[1]).judge_target
        if target:
            out[key] = judge_ratio([(r.get("judge") or {}).get("tags") if (r.get("judge") or {}).get("status") == "ok"
                                    else None for r in recs], target)
    return out


def _run(zh_transcripts: bool):
    records = []
    for lang in ("en", "zh"):
        for unit in INTERRUPTION + REJECTION:
            for i in range(3):
                records.append(_rec(lang, unit, i, transcript=lang == "en" or zh_transcripts))
    ctx = AggregateContext(asr={"en": "whisper:tiny.en", "zh": "precomputed"})
    return aggregate(records, _ratios(records), context=ctx)


def test_no_chinese_transcripts_is_incomplete_not_a_silent_system():
    summary = _run(zh_transcripts=False)
    strict = summary["strict"]
    zh = summary["units"]["zh"]
    for unit in INTERRUPTION + REJECTION:
        s = zh[unit]["strict"]
        assert s["incomplete"] == 3 and s["no_response"] == 0  # the system spoke; the evaluator could not look
        assert s["headline"] is None and s["unavailable"]["headline"]["reason"] == "no_transcripts"
    assert "no ASR chosen for zh" in zh["pause"]["strict"]["unavailable"]["headline"]["why"]
    # before: zh totals 0.0 and an overall interruption of (100 + 0) / 2 = 50 shown as a result
    assert strict["languages"]["zh"]["interruption_total"] is None
    assert strict["overall"]["interruption_total"] is None and strict["overall"]["final_score"] is None
    why = strict["overall"]["unavailable"]["final_score"]
    assert "no transcripts for zh" in why["why"] and "interruption total" in why["why"]
    assert strict["overall"]["incomplete"] == 30 and strict["languages"]["zh"]["incomplete"] == 30
    # English is untouched and complete
    assert strict["languages"]["en"]["interruption_total"] == 100.0
    assert "incomplete" not in strict["languages"]["en"]
    entries = unavailable_list(summary, "strict")
    assert any(e["where"] == "overall" and e["metric"] == "final_score" for e in entries)
    assert all(e["why"] and e["reason"] for e in entries)


def test_with_transcripts_the_same_system_gets_a_final_score():
    summary = _run(zh_transcripts=True)
    assert summary["strict"]["overall"]["final_score"] is not None
    assert "unavailable" not in summary["strict"]["overall"] and "incomplete" not in summary["strict"]["overall"]


def test_one_missing_transcript_leaves_the_denominator_and_silence_still_fails():
    records = [_rec("en", "pause", 0), _rec("en", "pause", 1), _rec("en", "pause", 2, transcript=False)]
    u = aggregate(records)["units"]["en"]["pause"]["strict"]
    assert u["headline"] == 1.0 and u["headline_n"] == 2 and u["incomplete"] == 1  # not 2/3 = 66.7
    assert "left out of the strict headline" in u["incomplete_why"]
    silent = _rec("en", "pause", 2, transcript=False, speech=0)
    u = aggregate(records[:2] + [silent])["units"]["en"]["pause"]["strict"]
    assert u["headline"] == round(2 / 3, 6) and u["incomplete"] == 0  # a silent system fails, transcript or not


def test_judge_unit_with_some_samples_unjudged_counts_them_apart():
    records = [_rec("en", "follow_up", 0), _rec("en", "follow_up", 1, tags=()),
               _rec("en", "follow_up", 2, transcript=False)]
    u = aggregate(records, _ratios(records))["units"]["en"]["follow_up"]
    assert u["strict"]["headline"] == 0.5 and u["strict"]["headline_n"] == 2 and u["strict"]["incomplete"] == 1
    assert u["official"]["headline"] == 1.0  # official counts tags of parsed verdicts only: 1 of 1


def test_no_valid_delay_and_no_judge_say_why():
    early = [_rec("en", "pause", i, diff=-0.5) for i in range(2)]
    summary = aggregate(early + [_rec("en", "follow_up", 0)],
                        context=AggregateContext(judge_missing="no judge requested (--judge none)"))
    pause = summary["units"]["en"]["pause"]["official"]["unavailable"]["first_response_delay"]
    assert pause["reason"] == "no_valid_delay"
    assert "0 of 2 samples answered after the user stopped (2 started early" in pause["why"]
    fu = summary["units"]["en"]["follow_up"]["official"]["unavailable"]["headline"]
    assert fu == {"reason": "no_judge", "why": "no judge requested (--judge none)",
                  "cause": "no judge requested (--judge none)"}
    missing = summary["official"]["scenarios"]["en"]["negation"]["unavailable"]["headline"]
    assert missing["reason"] == "no_samples"
    lang = summary["official"]["languages"]["en"]["unavailable"]["interruption_total"]
    assert lang["reason"] == "missing_component"
    assert "headline of follow_up missing (no judge requested (--judge none))" in lang["why"]
    assert "headline of negation, repetition, topic_switch, stop missing (no samples (en))" in lang["why"]
