"""The Track 1 baseline: a valid submission, replies that name feeling and event, gold labels never read."""

import json

import pytest

from humdial.empathy.hearing import HearingOptions
from humdial.empathy.responder import question_goal
from humdial.empathy.runner import Track1RunOptions, run_track1
from humdial.submit.track1 import check_track1
from humdial.evaluate.track1.language import detect_language


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    from humdial.generate.track1.example import write_example

    root = tmp_path_factory.mktemp("t1")
    gold, _ = write_example(root / "ex")
    out = root / "baseline"
    # the example's user audio is a speech-like signal, not speech: these tests read the script text
    result = run_track1(Track1RunOptions(data=gold, out=out, encoder=False, quiet=True,
                                         hearing=HearingOptions("transcript")))
    return gold, out, result


def _lines(out, lang, task):
    path = out / "HD-Track1" / lang / f"HD-Track1-T{task}.jsonl"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_submission_passes_the_checker(example):
    gold, out, result = example
    report = check_track1(out / "HD-Track1", gold)
    assert report.ok, report.render()
    assert result.dialogues == 12 and not result.errors


def test_replies_are_in_the_users_language_and_name_event(example):
    gold, out, _ = example
    for lang in ("en", "zh"):
        gold_lines = [json.loads(x) for x in (gold / lang / "HD-Track1-T3.jsonl").read_text(encoding="utf-8").splitlines()]
        for sub, g in zip(_lines(out, lang, 3), gold_lines):
            for turn, gturn in zip(sub["turns"], g["turns"]):
                assert detect_language(turn["response_text"]).lang == lang
                assert (out / "HD-Track1" / lang / turn["response_audio"]).is_file()
        first = _lines(out, lang, 1)[0]["turns"][0]["response_text"]
        assert ("your boss" in first) if lang == "en" else ("你" in first)


def test_final_turns_summarise_or_explain(example):
    _, out, _ = example
    summary = _lines(out, "en", 1)[0]["turns"][-1]["response_text"]
    reasons = _lines(out, "en", 2)[0]["turns"][-1]["response_text"]
    assert summary.startswith("Here is how your feelings moved") and "At first" in summary
    assert "because" in reasons and "need" in reasons
    assert "变化" in _lines(out, "zh", 1)[0]["turns"][-1]["response_text"]
    assert "因为" in _lines(out, "zh", 2)[0]["turns"][-1]["response_text"]


def test_gold_labels_are_never_read(example, tmp_path):
    gold, out, _ = example
    import shutil

    altered = tmp_path / "altered"
    shutil.copytree(gold, altered)
    for path in altered.rglob("*.jsonl"):
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        for d in lines:
            for t in d["turns"]:
                t["emotion"] = "disgust"
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines), encoding="utf-8")
    run_track1(Track1RunOptions(data=altered, out=tmp_path / "again", encoder=False, quiet=True,
                                hearing=HearingOptions("transcript")))
    for lang in ("en", "zh"):
        for task in (1, 2, 3):
            a = (out / "HD-Track1" / lang / f"HD-Track1-T{task}.jsonl").read_text(encoding="utf-8")
            b = (tmp_path / "again" / "HD-Track1" / lang / f"HD-Track1-T{task}.jsonl").read_text(encoding="utf-8")
            assert a == b
    first = json.loads((out / "track1_emotion.json").read_text())
    second = json.loads((tmp_path / "again" / "track1_emotion.json").read_text())
    assert [t["predicted"] for t in first["turns"]] == [t["predicted"] for t in second["turns"]]
    assert all(t["gold"] == "disgust" for t in second["turns"])


def test_emotion_file_scores_predictions(example):
    _, out, result = example
    data = json.loads((out / "track1_emotion.json").read_text())
    for lang in ("en", "zh"):
        turns = [t for t in data["turns"] if t["lang"] == lang]
        assert data["accuracy"][lang] == round(sum(t["gold"] == t["predicted"] for t in turns) / len(turns), 4)
    assert sum(sum(r.values()) for r in data["confusion"].values()) == len(data["turns"])


def test_bad_lines_and_missing_audio_are_counted_not_fatal(tmp_path):
    lang_dir = tmp_path / "data" / "en"
    lang_dir.mkdir(parents=True)
    good = {"dialogue_id": "task3_3_en_0001_0001", "turns": [
        {"turn_id": 1, "text": "I'm furious, my flight was cancelled.", "split_audio_file": "missing.wav"},
        {"turn_id": 2, "text": "[laughter] But my friend is driving me, so happy!"}]}
    (lang_dir / "HD-Track1-T3.jsonl").write_text("{broken\n" + json.dumps(good) + "\n", encoding="utf-8")
    result = run_track1(Track1RunOptions(data=tmp_path / "data", out=tmp_path / "out", encoder=False, quiet=True))
    assert result.dialogues == 1 and len(result.errors) == 2
    assert result.user_text.startswith("transcript (auto: 2 of 2 user turns have no wav")
    line = json.loads((tmp_path / "out" / "HD-Track1" / "en" / "HD-Track1-T3.jsonl").read_text())
    assert "angry" in line["turns"][0]["response_text"] or "frustrating" in line["turns"][0]["response_text"]


@pytest.mark.parametrize("lang,text,goal", [("en", "Why do you think I felt like that?", "reasoning"),
                                             ("en", "Can you sum up how my mood changed?", "trajectory"),
                                             ("zh", "你觉得我为什么会这样？", "reasoning"),
                                             ("zh", "帮我总结一下我的情绪变化吧。", "trajectory"),
                                             ("en", "Thanks for listening.", "empathy")])
def test_question_goal(lang, text, goal):
    assert question_goal(text, lang, "empathy") == goal
