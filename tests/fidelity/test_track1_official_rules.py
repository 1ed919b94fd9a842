"""Known answers for the official Track 1 procedure, written from track1.md 2.0-2.4 (not from the scripts)."""

import json

import pytest

from humdial.evaluate.track1.cleaning import official_clean
from humdial.evaluate.track1.items import HistoryTurn, Item, build_item, JoinReport
from humdial.evaluate.track1.parsing import parse_official, parse_scores
from humdial.evaluate.track1.requests import (OFFICIAL_SAMPLING, STRICT_SAMPLING, build_request, fill_template,
                                              mode_sampling, official_history)
from humdial.judge.rubrics import Rubric
from humdial.protocol.track1 import Dialogue, Task, Turn, validate_dialogue
from humdial.protocol.track1_exclusions import Exclusions

T1 = ("Accuracy_Completeness", "Depth_Granularity", "Added_Value")
T3 = ("textual_empathy_insight", "vocal_empathy_congruence", "audio_quality_naturalness")


def _ans(scores, **extra):
    return json.dumps({"scores": scores, **extra})


# (answer, task, expected scores or None = error, repaired)
CASES = [
    ("plain 5/3/1", _ans(dict(zip(T1, (5, 3, 1)))), Task.TRAJECTORY, (5, 3, 1), False),
    ("2 and 4 map down", _ans(dict(zip(T1, (2, 4, 5)))), Task.TRAJECTORY, (1, 3, 5), False),
    ("string '4' -> 3", _ans(dict(zip(T1, ("4", "5", "1")))), Task.TRAJECTORY, (3, 5, 1), False),
    ("4.9 int() -> 4 -> 3", _ans(dict(zip(T1, (4.9, 5, 5)))), Task.TRAJECTORY, (3, 5, 5), False),
    ("'4.5' int() fails -> 1", _ans(dict(zip(T1, ("4.5", 5, 5)))), Task.TRAJECTORY, (1, 5, 5), False),
    ("null -> 1", _ans(dict(zip(T1, (None, 3, 3)))), Task.TRAJECTORY, (1, 3, 3), False),
    ("7 -> 5, 0 -> 1", _ans(dict(zip(T1, (7, 0, 3)))), Task.TRAJECTORY, (5, 1, 3), False),
    ("missing key -> 1", _ans({T1[0]: 5, T1[1]: 5}), Task.TRAJECTORY, (5, 5, 1), False),
    ("case-changed key is missing -> 1", _ans({T1[0].lower(): 5, T1[1]: 5, T1[2]: 5}), Task.TRAJECTORY,
     (1, 5, 5), False),
    ("json fence", "```json\n" + _ans(dict(zip(T1, (5, 5, 5)))) + "\n```", Task.TRAJECTORY, (5, 5, 5), False),
    ("json fence after prose", "Here:\n```json\n" + _ans(dict(zip(T1, (3, 3, 3)))) + "\n```\nDone.",
     Task.TRAJECTORY, (3, 3, 3), False),
    ("bare fence", "```\n" + _ans(dict(zip(T1, (1, 1, 1)))) + "\n```", Task.TRAJECTORY, (1, 1, 1), False),
    ("unclosed json fence", "```json\n" + _ans(dict(zip(T1, (5, 3, 3)))), Task.TRAJECTORY, (5, 3, 3), False),
    ("truncated: closing braces appended", _ans(dict(zip(T1, (5, 3, 1))), justification={"a": "b"})[:-2],
     Task.TRAJECTORY, (5, 3, 1), True),
    ("truncated inside an array", '{"scores": {"Accuracy_Completeness": 5, "Depth_Granularity": 3, '
     '"Added_Value": 3}, "notes": ["a", "b"', Task.TRAJECTORY, (5, 3, 3), True),
    ("truncated inside a string", '{"scores": {"Accuracy_Completeness": 5, "Depth_Granularity": 3, '
     '"Added_Value": 3}, "overall_comment": "good bu', Task.TRAJECTORY, None, False),
    ("prose then JSON", "The scores: " + _ans(dict(zip(T1, (5, 5, 5)))), Task.TRAJECTORY, None, False),
    ("trailing comma", '{"scores": {"Accuracy_Completeness": 5, "Depth_Granularity": 5, "Added_Value": 5,}}',
     Task.TRAJECTORY, None, False),
    ("no scores wrapper", json.dumps(dict(zip(T1, (5, 5, 5)))), Task.TRAJECTORY, None, False),
    ("scores not an object", '{"scores": [5, 5, 5]}', Task.TRAJECTORY, None, False),
    ("empty answer", "", Task.TRAJECTORY, None, False),
    ("T3 clamps: 4 stays, 9 -> 5, -2 -> 1", _ans(dict(zip(T3, (4, 9, -2)))), Task.EMPATHY, (4, 5, 1), False),
    ("T3 2 stays 2", _ans(dict(zip(T3, (2, "3", 4.7)))), Task.EMPATHY, (2, 3, 4), False),
    ("T3 no wrapper fails (not 5/5/5)", json.dumps(dict(zip(T3, (5, 5, 5)))), Task.EMPATHY, None, False),
    ("T3 missing keys -> 1", _ans({}), Task.EMPATHY, (1, 1, 1), False),
    ("T3 bool True -> 1", _ans(dict(zip(T3, (True, 5, 5)))), Task.EMPATHY, (1, 5, 5), False),
]


@pytest.mark.parametrize("name,raw,task,expected,repaired", CASES, ids=[c[0] for c in CASES])
def test_official_parsing_known_answers(name, raw, task, expected, repaired):
    dims = T3 if task is Task.EMPATHY else T1
    if expected is None:
        with pytest.raises(ValueError):
            parse_official(raw, task)
        return
    got = parse_official(raw, task)
    assert tuple(got["scores"][d] for d in dims) == expected
    assert got["repaired"] is repaired


def test_official_records_coercions_and_mappings():
    got = parse_official(_ans(dict(zip(T1, ("4.5", 4, None)))), Task.TRAJECTORY)
    assert got["mapped"] == ["Depth_Granularity: 4->3"]
    assert any(c.startswith("Accuracy_Completeness") for c in got["coerced"])
    assert any(c.startswith("Added_Value") for c in got["coerced"])


def test_t3_brackets_are_not_closed_only_braces():
    raw = '{"scores": {"textual_empathy_insight": 4, "vocal_empathy_congruence": 3, ' \
          '"audio_quality_naturalness": 3}, "notes": ["a"'
    with pytest.raises(ValueError):
        parse_official(raw, Task.EMPATHY)
    assert parse_official(raw, Task.REASONING, T3)["repaired"] is True  # Tasks 1-2 also close brackets


def test_strict_stays_principled():
    with pytest.raises(ValueError):
        parse_scores(_ans(dict(zip(T1, ("4.5", 5, 5)))), Task.TRAJECTORY)
    with pytest.raises(ValueError):
        parse_scores(_ans(dict(zip(T3, (9, 5, 5)))), Task.EMPATHY)
    with pytest.raises(ValueError):
        parse_scores(_ans({T1[0]: 5, T1[1]: 5}), Task.TRAJECTORY)
    # truncated answer whose inner scores object is complete: found, and recorded as repaired
    truncated = _ans(dict(zip(T1, (5, 3, 1))), justification={"a": "b"})[:-2]
    assert parse_scores(truncated, Task.TRAJECTORY)["repaired"] is True
    assert parse_scores(_ans(dict(zip(T1, (5, 3, 1)))), Task.TRAJECTORY)["repaired"] is False


def test_official_reply_cleaning():
    assert official_clean("<|im_start|>assistant\n  Hello there \n") == ("Hello there", [
        'kept text after the last "assistant\\n" (official rule)'])
    assert official_clean("x assistant\n a assistant\nb ", strip=False)[0] == "b "
    assert official_clean("<think>hm</think> Hi")[0] == "<think>hm</think> Hi"  # official keeps it


def _dialogue(task, turns, did="task1_3_en_0001_0001"):
    d, problems = validate_dialogue({"dialogue_id": did, "turns": turns}, "gold")
    return d.with_context(lang="en", task=task), problems


def _submission(did, replies):
    d, _ = validate_dialogue({"dialogue_id": did, "turns": [{"turn_id": i, "response_text": r}
                                                            for i, r in enumerate(replies, 1)]}, "submission")
    return d.with_context(lang="en", task=None)


def _item(task, gold_turns, replies, official=True, rule="second"):
    gold, _ = _dialogue(task, gold_turns)
    sub = _submission(gold.dialogue_id, replies).with_context(task=task)
    return build_item(gold, sub, rule, Exclusions(), False, JoinReport(), official)


def test_official_history_tasks_1_2_drops_unlabelled_turn_keeps_labels_and_falls_back_to_text():
    turns = [{"turn_id": 1, "text": "I lost my keys.", "emotion": "ANGER"},
             {"turn_id": 2, "text": "Found them.", "emotion": ""},
             {"turn_id": 3, "input_text": "", "text": "How did I feel?", "emotion": "Neutral"}]
    item = _item(Task.TRAJECTORY, turns, ["assistant\nOh no.", "Great!", " You were angry, then calm. "])
    assert item.status == "judge"
    assert official_history(item) == ("用户(emotion:ANGER): I lost my keys.\nAI: Oh no.\n"
                                      "用户(emotion:Neutral): How did I feel?\nAI: You were angry, then calm.")
    template = "H:\n{conversation_history}\nQ: {user_question}\nA: {final_model_response}\n{\n\"scores\": 1}"
    request = build_request(item, Rubric("track1_trajectory", "x", template, "test"), None, OFFICIAL_SAMPLING)
    assert request.system == "" and len(request.parts) == 1
    assert request.parts[0].text.endswith("Q: How did I feel?\nA: You were angry, then calm.\n{\n\"scores\": 1}")
    assert request.sampling.request_kwargs() == {"temperature": 0.6, "top_p": 0.95, "max_tokens": 16384, "n": 1,
                                                  "extra_body": {"top_k": 20}}


def test_official_history_task3_format_and_escaped_template():
    turns = [{"turn_id": 1, "text": "Hi.", "emotion": "neutral"}, {"turn_id": 2, "text": "I failed.", "emotion": "SAD"},
             {"turn_id": 3, "text": "Ugh.", "emotion": "Neutral"}, {"turn_id": 4, "text": "Why me?", "emotion": "anger"}]
    item = _item(Task.EMPATHY, turns, ["Hello.", "That hurts.", "Yes.", "It is unfair. "])
    assert item.eval_turn == 4
    assert official_history(item) == ("User(neutral): Hi.\nAI: Hello.\nUser(SAD): I failed.\nAI: That hurts.\n"
                                       "User(Neutral): Ugh.\nAI: Yes.\nUser(anger): Why me?\nAI: It is unfair. ")
    filled = fill_template('C:\n{conversation_context}\nOut: {{"scores": {{"a": 1}}}}', {
        "conversation_context": "X {y}", "conversation_history": "", "user_question": "", "final_model_response": ""})
    assert filled == 'C:\nX {y}\nOut: {"scores": {"a": 1}}'


def test_official_t3_counts_an_unlabelled_turn_as_non_neutral_strict_refuses():
    turns = [{"turn_id": 1, "text": "a", "emotion": "sad"}, {"turn_id": 2, "text": "b"},
             {"turn_id": 3, "text": "c", "emotion": "anger"}]
    assert _item(Task.EMPATHY, turns, ["x", "y", "z"], official=True).eval_turn == 2
    assert _item(Task.EMPATHY, turns, ["x", "y", "z"], official=False).status == "not_evaluable"


def test_mode_request_parameters():
    assert OFFICIAL_SAMPLING.max_reasks == 0 and OFFICIAL_SAMPLING.seed is None
    assert STRICT_SAMPLING.temperature == 0 and STRICT_SAMPLING.max_reasks == 2
    assert mode_sampling("official", temperature=0.0, top_k=None).temperature == 0.0
    assert mode_sampling("official", top_k=None).top_k == 20
    assert "extra_body" not in mode_sampling("official", top_k=0).request_kwargs()
