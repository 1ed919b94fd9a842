import base64
import io
import json
import sys
from pathlib import Path

import pytest
import soundfile as sf

from humdial.cli import main
from humdial.judge.client import ClientSettings
from humdial.judge.proxy.track1_judge import Track1ProxyJudge
from humdial.judge.spec import make_judge
from humdial.results.verdicts import read_verdicts
from humdial.evaluate.track1.pipeline import EvalOptions, evaluate
from humdial.generate.track1.example import write_example
from humdial.evaluate.track1.human import load_human_ratings
from humdial.scoring.track1 import Components, display, language_final
from humdial.submit.pack import pack_track1

sys.path.insert(0, str(Path(__file__).parents[1] / "judge"))
from judge_server import JudgeServer, Reply  # noqa: E402  (the judge tests' real local HTTP server)


def _rewrite(path, fn):
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    lines = fn(lines)
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines),
                    encoding="utf-8")


@pytest.fixture()
def defective(tmp_path):
    """Example set with: missing turns, a wrong-language reply, a malformed line, a missing Task 3 wav, an excluded item."""
    gold, sub = write_example(tmp_path / "ex")
    _rewrite(sub / "en" / "HD-Track1-T1.jsonl", lambda ls: [ls[0], {**ls[1], "turns": ls[1]["turns"][:2]}])
    def english_in_zh(ls):
        ls[0]["turns"][-1]["response_text"] = "I think you were angry because of the deadline and then relieved."
        return ls
    _rewrite(sub / "zh" / "HD-Track1-T2.jsonl", english_in_zh)
    _rewrite(sub / "zh" / "HD-Track1-T1.jsonl", lambda ls: [ls[0], "{oops"])
    (sub / "en" / "HD-Track1-T3" / "task3_4_en_0001_0001_4_response.wav").unlink()
    def add_excluded(ls):
        ls.append({**ls[0], "dialogue_id": "task2_4_en_0002_0014"})
        return ls
    _rewrite(gold / "en" / "HD-Track1-T2.jsonl", add_excluded)
    _rewrite(sub / "en" / "HD-Track1-T2.jsonl", add_excluded)
    return gold, sub


def _items(results):
    return {it["id"]: it for it in results["items"]}


def test_defective_submission_scored_with_every_case_reported(defective, tmp_path):
    gold, sub = defective
    results = evaluate(gold, sub, Track1ProxyJudge(), tmp_path / "run")
    items = _items(results)
    missing = items["en/T1/task1_4_en_0001_0002"]
    assert missing["status"] == "missing" and missing["scores"] == {
        "Accuracy_Completeness": 1.0, "Depth_Granularity": 1.0, "Added_Value": 1.0}
    assert "turns [3, 4] not answered" in " ".join(missing["notes"])
    assert "en/T1/task1_4_en_0001_0002: [3, 4]" in results["join"]["missing_turns"]
    wrong = items["zh/T2/task2_4_zh_0001_0001"]
    assert wrong["status"] == "language_mismatch" and set(wrong["scores"].values()) == {1.0}
    malformed = results["load_errors"]["submission"]
    assert len(malformed) == 1 and malformed[0]["line"] == 2 and "malformed JSON" in malformed[0]["message"]
    assert items["zh/T1/task1_4_zh_0001_0002"]["status"] == "missing"  # its line was the malformed one
    no_wav = items["en/T3/task3_4_en_0001_0001"]
    assert no_wav["status"] == "judge" and no_wav["audio"] is None
    assert set(no_wav["scores"]) == {"textual_empathy_insight"}
    assert [e["kind"] for e in no_wav["errors"]] == ["missing_response_audio"]
    assert no_wav["errors"][0]["path"].endswith("en/HD-Track1-T3/task3_4_en_0001_0001_4_response.wav")
    assert results["counts"]["item_errors"] == {"missing_response_audio": 1}
    assert items["en/T2/task2_4_en_0002_0014"]["status"] == "excluded"
    assert items["en/T2/task2_4_en_0002_0014"]["scores"] == {}
    en_t2 = results["per_language"]["en"]["tasks"]["T2"]
    assert en_t2["status"] == {"judge": 2, "excluded": 1} and en_t2["dims"]["Clarity_Logic"]["n"] == 2
    t3 = results["per_language"]["en"]["tasks"]["T3"]
    assert t3["judge_audio"]["vocal_empathy_congruence"]["n"] == 1
    assert results["per_language"]["en"]["final"] is None and "human" in results["per_language"]["en"]["final_status"]
    assert results["provenance"]["comparable_to_official"] is False
    assert results["provenance"]["rubrics"]["T3"]["id"] == "track1_empathy"
    log = read_verdicts(tmp_path / "run")
    judged = [it for it in results["items"] if it["status"] == "judge"]
    assert len(log.records) == len(judged) and not log.errors


def test_human_ratings_complete_the_official_final(tmp_path):
    gold, sub = write_example(tmp_path / "ex")
    csv = tmp_path / "human.csv"
    rows = ["dialogue_id,turn_id,rater,d2,d3"]
    for lang in ("zh", "en"):
        rows += [f"task3_4_{lang}_0001_0001,4,a,4,5", f"task3_4_{lang}_0001_0001,4,b,5,5",
                 f"task3_4_{lang}_0001_0002,4,a,2,1"]
    csv.write_text("\n".join(rows) + "\n")
    options = EvalOptions(human=load_human_ratings(csv))
    results = evaluate(gold, sub, Track1ProxyJudge(), tmp_path / "run", options)
    for lang in ("zh", "en"):
        entry = results["per_language"][lang]
        tasks = entry["tasks"]
        assert tasks["T3"]["human"] == {"d2": 3.25, "d3": 3.0, "d2_unrounded": 3.25, "d3_unrounded": 3.0,
                                        "n": 2, "missing": 0}
        comps = Components.from_dims([tasks["T1"]["avg"]], [tasks["T2"]["avg"]],
                                     tasks["T3"]["dims"]["textual_empathy_insight"]["mean"], 3.25, 3.0)
        assert entry["final"] == display(language_final(comps))
    assert results["overall"]["official"] is not None and results["overall"]["status"] == "complete"


def test_t3_turn_rule_changes_the_evaluated_turn(tmp_path):
    gold, sub = write_example(tmp_path / "ex", langs=("en",), per_task=1)
    def three_emotional(ls):
        for turn, e in zip(ls[0]["turns"], ["fear", "anger", "sad", "sad"]):
            turn["emotion"] = e
        return ls
    _rewrite(gold / "en" / "HD-Track1-T3.jsonl", three_emotional)
    second = evaluate(gold, sub, Track1ProxyJudge(), tmp_path / "a", EvalOptions(langs=("en",)))
    last = evaluate(gold, sub, Track1ProxyJudge(), tmp_path / "b", EvalOptions(t3_rule="last", langs=("en",)))
    assert _items(second)["en/T3/task3_4_en_0001_0001"]["eval_turn"] == 2
    assert _items(last)["en/T3/task3_4_en_0001_0001"]["eval_turn"] == 4


def _scores_for(body):
    text = json.dumps(body["messages"])
    if "textual_empathy_insight" in text:
        return {"textual_empathy_insight": 4, "vocal_empathy_congruence": 3, "audio_quality_naturalness": 5}
    if "Information_Integration" in text:
        return {"Information_Integration": 5, "Insight_RootCause": "3", "Clarity_Logic": 4}
    return {"Accuracy_Completeness": 5, "Depth_Granularity": 3, "Added_Value": 1}


def test_openai_judge_end_to_end_with_audio(tmp_path):
    gold, sub = write_example(tmp_path / "ex")
    zipped = pack_track1(sub, tmp_path / "HD-Track1.zip").zip_path

    def script(call, body):
        if call == 1:
            return Reply(content="Let me think... the reply is decent. Score: 4.5")  # no JSON: re-asked
        scores = _scores_for(body)
        return Reply(content="```json\n" + json.dumps({"scores": scores, "reasons": {}}) + "\n```")

    with JudgeServer(script) as server:
        judge = make_judge(f"openai:test-omni@{server.url}", cache_dir=tmp_path / "run" / "judge_cache",
                           settings=ClientSettings(backoff_base_s=0.01, concurrency=2))
        results = evaluate(gold, zipped, judge, tmp_path / "run", EvalOptions(mode="strict"))
        audio_bodies = [b for b in server.requests
                        if isinstance(b["messages"][-1]["content"], list)
                        and any(p.get("type") == "input_audio" for p in b["messages"][-1]["content"])]
    assert results["counts"]["verdicts"] == {"ok": 12}
    assert len(audio_bodies) == 4  # one Task 3 item per dialogue and language
    part = next(p for p in audio_bodies[0]["messages"][-1]["content"] if p["type"] == "input_audio")
    data, rate = sf.read(io.BytesIO(base64.b64decode(part["input_audio"]["data"])))
    assert rate == 16000 and len(data) == 3 * 16000
    assert audio_bodies[0]["messages"][0]["role"] == "system"
    items = _items(results)
    t2 = items["en/T2/task2_4_en_0001_0001"]
    assert t2["scores"] == {"Information_Integration": 5.0, "Insight_RootCause": 3.0, "Clarity_Logic": 3.0}
    assert t2["verdict"]["mapped"] == ["Clarity_Logic: 4->3"]
    assert any(it["verdict"]["attempts"] == 2 for it in results["items"])
    assert results["per_language"]["en"]["tasks"]["T1"]["avg"] == 3.0
    assert results["provenance"]["judge"]["model"] == "test-omni"
    # a replay from the cache needs no server and gives the same numbers
    replay = make_judge("openai:test-omni@http://127.0.0.1:9/v1", cache_dir=tmp_path / "run" / "judge_cache",
                        cache_mode="replay")
    again = evaluate(gold, zipped, replay, tmp_path / "run2", EvalOptions(mode="strict"))
    assert again["per_language"] == results["per_language"]


def test_cli_eval_track1(tmp_path, capsys):
    gold, sub = write_example(tmp_path / "ex", per_task=1)
    code = main(["eval", "track1", "--gold", str(gold), "--submission", str(sub), "--out", str(tmp_path / "run"),
                 "--t3-turn", "last", "--mode", "strict"])
    out = capsys.readouterr().out
    assert code == 0 and "NOT" in out and (tmp_path / "run" / "track1_results.json").is_file()
    saved = json.loads((tmp_path / "run" / "track1_results.json").read_text())
    assert saved["provenance"]["policies"]["t3_turn_rule"] == "last" and saved["provenance"]["mode"] == "strict"
