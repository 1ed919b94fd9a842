import json

import pytest

from humdial.judge.base import JudgeRequest
from humdial.judge.proxy import NOT_OFFICIAL, ProxyConfig, ProxyJudge, decide_behaviour
from humdial.models.sentence_encoder import shared_encoder
from humdial.judge.proxy.text import bigram_containment, find_phrase, join_words, tokens
from humdial.judge.track2_behaviour import behaviour_request, parse_behaviour
from judge_cases import CASES, EXTRA_CASES, OVERLAP_AT, sample, transcript


@pytest.fixture(scope="module")
def encoder():
    return shared_encoder()


ALL = {**CASES, **EXTRA_CASES}


@pytest.mark.parametrize("key", sorted(ALL), ids=lambda k: f"{k[0]}-{k[1]}")
def test_constructed_case_gets_expected_tag(key, encoder):
    lang, _ = key
    overlap, after, expected = ALL[key]
    decision = decide_behaviour(sample(lang, overlap, after), encoder)
    assert decision.tag == expected, decision.reason
    assert decision.reason


def test_every_tag_is_covered_in_both_languages():
    for lang in ("en", "zh"):
        assert {exp for (l, _), (_, _, exp) in CASES.items() if l == lang} == {
            "C_RESPOND", "C_RESUME", "C_UNCERTAIN_HANDLING", "C_UNKNOWN"}


def test_segment_already_under_way_does_not_count(encoder):
    s = sample("en", "Uh-huh.", None)
    one_sentence = "Paris is the capital of France and it has a population of two million people."
    s["output_noisy"] = transcript((one_sentence, 2.0))
    decision = decide_behaviour(s, encoder)
    assert decision.tag == "C_UNKNOWN" and "no new model speech" in decision.reason
    s["output_noisy"] = transcript((one_sentence + " It is famous for the Eiffel Tower and its long history.", 2.0))
    decision = decide_behaviour(s, encoder)
    assert decision.tag == "C_RESUME"
    assert decision.segment_text.startswith("It is famous")


def test_overlap_located_from_hints_or_pause_without_clean_input(encoder):
    s = sample("en", "What about the food there?", "The food in Paris is wonderful, with fresh croissants.")
    s["input_clean"] = {"text": "", "chunks": []}
    for extra in ({}, {"overlap_start": OVERLAP_AT}, {"first_query_end": 1.5}):
        decision = decide_behaviour({**s, **extra}, encoder)
        assert decision.tag == "C_RESPOND"
        assert decision.overlap_start == pytest.approx(OVERLAP_AT)


def test_no_overlap_is_unknown(encoder):
    s = sample("en", None, "It is famous for the Eiffel Tower and its long history.")
    assert decide_behaviour(s, encoder).tag == "C_UNKNOWN"


def test_text_helpers():
    assert join_words(["巴", "黎，", "有", "a", "b"]) == "巴黎，有 a b"
    assert tokens("I'll STOP, now! 好的") == ["i'll", "stop", "now", "好", "的"]
    assert find_phrase("Okay, I'll stop.", ["i'll stop"]) == "i'll stop"
    assert find_phrase("a bookkeeper", ["ok"]) is None
    assert find_phrase("我 没 听 清", ["没听清"]) == "没听清"
    assert bigram_containment("a b c", "x a b y") == 0.5
    assert bigram_containment("a", "a") == 0.0


def test_proxy_judge_verdicts_are_labelled_and_parse(encoder):
    judge = ProxyJudge(encoder=encoder)
    overlap, after, expected = CASES[("zh", "uncertain")]
    request = behaviour_request(sample("zh", overlap, after), metadata={"sample_id": "x"})
    verdict = judge.judge(request, parse_behaviour)
    assert verdict.status == "ok" and verdict.parsed == {"behaviour": [expected]}
    assert json.loads(verdict.raw) == {"behaviour": [expected]}
    assert verdict.judge == "proxy" and verdict.reason and verdict.rubric_id == "track2_behaviour"
    info = judge.describe()
    assert info["comparable_to_official"] is False and info["note"] == NOT_OFFICIAL
    assert "proxy" in verdict.model


def test_proxy_judge_bad_input_is_a_failed_verdict_not_a_crash(encoder):
    judge = ProxyJudge(encoder=encoder)
    no_context = JudgeRequest("track2_behaviour", "1", "rubric", ())
    assert judge.judge(no_context, parse_behaviour).status == "judge_failed"
    bad = behaviour_request(sample("en", "Uh-huh.", "x"))
    bad.context["output_noisy"] = {"chunks": [{"text": "x", "timestamp": "nope"}]}
    verdict = judge.judge(bad, parse_behaviour)
    assert verdict.status == "judge_failed" and "bad input" in verdict.error


def test_config_changes_the_cache_identity():
    assert ProxyJudge().cache_identity() != ProxyJudge(ProxyConfig(shift_min=0.5)).cache_identity()


@pytest.mark.parametrize("lang,overlap,fragment", [("zh", "没错", "我可算"), ("zh", "没错", "问题"), ("zh", "没错", "你能这个"),
                                                   ("en", "Uh-huh.", "stay?")])
def test_a_fragment_after_the_overlap_is_no_evidence_of_a_response(lang, overlap, fragment, encoder):
    """Whisper base often decodes only a piece of a resumed reply ("我可算"): the sentence encoder rates any
    such piece close to a short overlap, so without the length guard it read as a response to "没错"."""
    s = sample(lang, overlap, fragment)
    assert decide_behaviour(s, encoder, ProxyConfig(shift_min_words=0)).tag == "C_RESPOND"  # proxy v2
    decision = decide_behaviour(s, encoder)
    assert decision.tag == "C_UNKNOWN" and "overlap's content" not in decision.reason.split(";")[0]
    # a fragment that opens with an acknowledgement still answers the overlap
    assert decide_behaviour(sample(lang, overlap, "好的" if lang == "zh" else "Okay then."), encoder).tag == "C_RESPOND"
