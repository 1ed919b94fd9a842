import json

from humdial.protocol.track1_exclusions import load_exclusions
from humdial.evaluate.track1.human import load_human_ratings
from humdial.evaluate.track1.language import detect_language, language_mismatch
from humdial.layouts.track1 import find_task_files, load_dialogues, load_tree
from humdial.protocol.track1 import Task, normalise_emotion, parse_dialogue_id, task_from_number
from humdial.protocol.track1_target import choose_t3_turn


def _write(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                    encoding="utf-8")
    return path


def _gold(did, emotions):
    return {"dialogue_id": did, "turns": [{"turn_id": i, "text": f"turn {i}", "emotion": e,
                                           "split_audio_file": f"a/{did}_{i}.wav"} for i, e in enumerate(emotions, 1)]}


def test_gold_loader_reports_every_bad_line(tmp_path):
    path = _write(tmp_path / "zh" / "HD-Track1-T1.jsonl", [
        _gold("task1_3_zh_0001_0001", ["Happy ", "neutral", "SAD"]),
        "{not json",
        {"dialogue_id": "task1_3_zh_0001_0002", "turns": [{"turn_id": 1, "text": "x"}]},
        {"dialogue_id": "task1_3_zh_0001_0003", "turns": [{"turn_id": 1, "input_text": "y", "input_emotion": " Fear"},
                                                         {"turn_id": 1, "text": "z", "emotion": "anger"}]},
        _gold("task1_3_zh_0001_0001", ["anger"]),
        "",
        {"dialogue_id": "task1_3_zh_0001_0004", "turns": [{"turn_id": "2", "text": "b", "emotion": "Very  Happy"},
                                                         {"turn_id": 1, "input_text": "a", "text": "ignored",
                                                          "input_emotion": "calm", "emotion": "x"}]},
    ])
    result = load_dialogues(path, "gold", "zh", Task.TRAJECTORY)
    # a turn without an emotion is reported but keeps its dialogue (the official scripts drop only the turn)
    assert [d.dialogue_id for d in result.dialogues] == ["task1_3_zh_0001_0001", "task1_3_zh_0001_0002",
                                                         "task1_3_zh_0001_0004"]
    assert [t.emotion for t in result.dialogues[0].turns] == ["happy", "neutral", "sad"]
    assert [t.label for t in result.dialogues[0].turns] == ["Happy ", "neutral", "SAD"]
    assert result.dialogues[1].turns[0].emotion is None
    last = result.dialogues[2]
    assert [t.turn_id for t in last.turns] == [1, 2]
    assert last.turns[0].text == "a" and last.turns[0].emotion == "calm" and last.turns[1].emotion == "very happy"
    messages = [(e.line, e.message) for e in result.errors]
    assert messages[0][0] == 2 and "malformed JSON" in messages[0][1]
    assert any(line == 3 and "missing 'input_emotion'" in m and "not fatal" in m for line, m in messages)
    assert any(line == 4 and "duplicate turn_id" in m for line, m in messages)
    assert any(line == 5 and "duplicate dialogue_id" in m for line, m in messages)
    assert result.dialogues[0].source.endswith(":1") and result.dialogues[0].lang == "zh"


def test_submission_needs_response_text(tmp_path):
    path = _write(tmp_path / "s.jsonl", [
        {"dialogue_id": "d1", "turns": [{"turn_id": 1, "input_audio": "x.wav", "response_text": "hi"}]},
        {"dialogue_id": "d2", "turns": [{"turn_id": 1, "response_text": 5}]},
        {"dialogue_id": "d3", "turns": []},
        [1, 2],
    ])
    result = load_dialogues(path, "submission")
    assert [d.dialogue_id for d in result.dialogues] == ["d1"]
    assert len(result.errors) == 3


def test_task_numbering_and_discovery(tmp_path):
    assert task_from_number(2, "old") is Task.TRAJECTORY and task_from_number(4, "old") is Task.EMPATHY
    assert task_from_number(1, "old") is Task.RECOGNITION and task_from_number(2) is Task.REASONING
    parts = parse_dialogue_id("task2_4_en_0002_0014")
    assert (parts.task, parts.n_turns, parts.lang) == (2, 4, "en")
    assert parse_dialogue_id("zh_0001_0001").lang == "zh"
    for rel in ["HD-Track1-Test/zh/HD-Track1-T3.jsonl", "HD-Track1-Test/en/HD-Track1-T1.jsonl",
                "train/en/task2_3.jsonl", "train/en/task1.jsonl", "notes/x.jsonl"]:
        _write(tmp_path / rel, [_gold("zh_0001_0001", ["neutral"])])
    new = {(f.lang, f.task, f.path.name) for f in find_task_files(tmp_path)}
    assert ("zh", Task.EMPATHY, "HD-Track1-T3.jsonl") in new and ("en", Task.REASONING, "task2_3.jsonl") in new
    old = {(f.lang, f.task, f.path.name) for f in find_task_files(tmp_path, "old")}
    assert ("en", Task.TRAJECTORY, "task2_3.jsonl") in old and ("en", Task.RECOGNITION, "task1.jsonl") in old
    ranked = load_tree(tmp_path, "gold", "old")
    assert all(d.task.ranked for d in ranked.dialogues) and len(ranked.dialogues) == 3


def test_emotion_normalisation_is_open():
    assert normalise_emotion("  Mildly\tANNOYED ") == "mildly annoyed"
    assert normalise_emotion("开心") == "开心"


def test_exclusions(tmp_path):
    ex = load_exclusions(None)
    assert ex.reason("task2_4_en_0002_0014") and ex.reason("task2_5_zh_0015_0003")
    assert ex.reason("task2_4_en_0002_0015") is None and ex.reason("task1_3_zh_0015_0001") is None
    assert load_exclusions("none").reason("task2_4_en_0002_0014") is None
    custom = tmp_path / "ex.txt"
    custom.write_text("# mine\nabc\ntask9_*\n")
    mine = load_exclusions(str(custom))
    assert mine.reason("abc") and mine.reason("task9_1") and not mine.reason("abcd")


def test_language_detection():
    assert detect_language("我理解你现在很难过，要不要先休息一下？").lang == "zh"
    assert detect_language("这个 deadline 真的让你很有压力").lang == "zh"
    assert detect_language("That sounds really hard, 加油!").lang == "en"
    assert detect_language("[laughter] ...").lang is None
    assert detect_language("<|im_start|>assistant 好的").lang == "zh"
    assert language_mismatch("zh", "I understand how you feel.")
    assert language_mismatch("en", "I understand how you feel.") is None
    assert language_mismatch("en", "") is None


def test_t3_turn_choice():
    from humdial.protocol.track1 import Dialogue, Turn
    d = Dialogue("x", tuple(Turn(i, "t", e) for i, e in enumerate(["fear", "neutral", "Anger", "sad", "neutral"], 1)))
    assert choose_t3_turn(d, "second")[0].turn_id == 3
    assert choose_t3_turn(d, "last")[0].turn_id == 4
    one = Dialogue("y", (Turn(1, "t", "neutral"), Turn(2, "t", "happy")))
    assert choose_t3_turn(one, "second")[0] is None and "fewer than two" in choose_t3_turn(one, "second")[1]
    assert choose_t3_turn(one, "last")[0].turn_id == 2


def test_human_ratings(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("dialogue_id,turn_id,rater,d2,d3\n"
                    "d1,2,a,4,3\nd1,2,b,5,4\nd1,2,a,1,1\nd2,3,a,6,2\nd2,x,a,3,3\nd3,1,c,2.5,3\n")
    ratings = load_human_ratings(path)
    s = ratings.get("d1", 2)
    assert (s.d2, s.d3, s.raters) == (4.5, 3.5, 2)
    assert ratings.get("d3", 1).d2 == 2.5 and ratings.get("d2", 3) is None
    assert len(ratings.errors) == 3
