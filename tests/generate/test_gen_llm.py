"""`humdial gen --llm`: scripts written by an LLM behind a real local OpenAI-compatible server.

The server is the scripted one of the judge tests (tests/judge/judge_server.py). A fake LLM reads
the request the writer sent (language, parts or emotions) and answers with a script, so every check
below goes through HTTP, the shared LLM client, the answer cache and the renderers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from humdial.cli import main
from humdial.generate.driver import generate_track1, generate_track2
from humdial.generate.llm_scripts import (ScriptRejected, load_prompt, make_writer, parse_track1, parse_track2,
                                          script_share, track1_spec, track2_spec)
from humdial.generate.track2.plan import plan_dev
from humdial.llm.client import ClientSettings
from humdial.layouts.track2 import read_dev
from humdial.layouts.track1 import load_tree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "judge"))
from judge_server import JudgeServer, Reply  # noqa: E402

FAST = ClientSettings(timeout_s=5.0, max_retries=1, max_reasks=1, backoff_base_s=0.01, backoff_max_s=0.05,
                      concurrency=4)

TRACK2_TEXT = {
    "en": {"query": "Can you explain in detail how the weather usually changes here during a whole week?",
           "interruption": "Wait, what about next month?", "backchannel": ["uh-huh", "right", "okay"],
           "pause": "So I was wondering, [break] how long does it take to bake bread at home?",
           "third_party": "Hey, dinner is ready, come and eat.", "query2": "And what should I pack for that?",
           "aside": "Hold on Anna, I will be there in a minute."},
    "zh": {"query": "请详细给我讲讲明天北京的天气情况好吗", "interruption": "等一下，那后天呢",
           "backchannel": ["嗯", "对", "好的"], "pause": "我想问一下 [break] 怎么在家里做面包",
           "third_party": "喂，饭做好了，快来吃吧", "query2": "那我应该带什么衣服",
           "aside": "妈妈，我马上就过来"},
}
TRACK1_TEXT = {
    "en": {"emotional": ("[sigh] Something happened {p} this morning that I keep thinking about, it was {e}.",
                         "something {p} made you feel {e}",
                         "I hear you, that sounds like a lot. Do you want to tell me more about it?"),
           "neutral": [("By the way, what should I cook for dinner tonight?", "",
                        "How about a quick vegetable soup? It is easy and warm."),
                       ("Do you know a good book to read on the train?", "",
                        "A short story collection works well on a train ride.")],
           "question": "Can you tell me how my feelings changed while we talked?",
           "summary": "You went from one feeling to another as things happened at home."},
    "zh": {"emotional": ("唉，今天早上{p}发生的事情让我一直很{e}", "{p}发生的事情让你{e}",
                         "我明白，这听起来真的不容易。你愿意多说一点吗？"),
           "neutral": [("对了，今天晚上我应该做什么菜呢？", "", "做一个简单的蔬菜汤怎么样？又快又暖和。"),
                       ("你知道坐火车的时候适合看什么书吗？", "", "短篇小说集很适合在火车上看。")],
           "question": "你能说说我刚才聊天时心情是怎么变化的吗？",
           "summary": "家里发生的事情让你的心情起伏了好几次。"},
}

PLACES = {"en": ["at work", "at the station", "at home", "in the park", "at school"],
          "zh": ["在公司", "在车站", "在家里", "在公园", "在学校"]}
ZH_EMOTION = {"anger": "生气", "sadness": "难过", "happiness": "开心", "fear": "害怕", "surprise": "惊讶",
              "disgust": "恶心"}


def request_text(body: dict) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def language_of(message: str) -> str:
    return "zh" if "Language: Mandarin" in message else "en"


def track2_answer(message: str, lang: str | None = None) -> str:
    """A valid script for the parts the request lists (or in another language when `lang` says so)."""
    text = TRACK2_TEXT[lang or language_of(message)]
    parts, backchannels = [], iter(text["backchannel"])
    for role, kind in re.findall(r'^\d+\. role "(\w+)", kind "(\w+)"', message, re.M):
        if kind == "backchannel":
            line = next(backchannels)
        elif kind == "query" and "Scenario: Pause handling" in message:
            line = text["pause"]
        else:
            line = text[kind]
        parts.append({"role": role, "kind": kind, "text": line, "emotion": "neutral"})
    return json.dumps({"parts": parts}, ensure_ascii=False)


def track1_answer(message: str) -> str:
    text = TRACK1_TEXT[language_of(message)]
    plan = re.findall(r"^\d+\. (\w+)( \(the final question)?", message, re.M)
    turns = []
    neutral = iter(text["neutral"])
    for k, (emotion, final) in enumerate(plan):
        if final:
            said, cause, reply = text["question"], "", text["summary"]
        elif emotion == "neutral":
            said, cause, reply = next(neutral)
        else:
            word = emotion if language_of(message) == "en" else ZH_EMOTION[emotion]
            place = PLACES[language_of(message)][k]
            said, cause, reply = (s.format(e=word, p=place) for s in text["emotional"])
        turns.append({"text": said, "emotion": emotion, "cause": cause, "response_text": reply})
    return json.dumps({"turns": turns}, ensure_ascii=False)


def fake_llm(call: int, body: dict) -> Reply:
    message = request_text(body)
    if "user turns" in message:
        return Reply(content=track1_answer(message))
    return Reply(content=track2_answer(message))


def writer(track: str, server: JudgeServer, cache: Path, **options):
    return make_writer(track, f"openai:fake-llm@{server.url}", cache_dir=cache, settings=FAST, **options)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def track2_dev(tmp_path_factory):
    """A dev set whose every script the fake LLM wrote, plus the server that wrote it."""
    root = tmp_path_factory.mktemp("llm_t2")
    with JudgeServer(fake_llm) as server:
        summary = generate_track2(root / "dev", ["en", "zh"], n=1, seed=3, quiet=True,
                                  llm=writer("track2", server, root / "cache"))
    assert summary.errors == [] and summary.written == 20
    assert summary.llm["written"] == 20 and summary.llm["calls"] == 20 and summary.llm["cached"] == 0
    return root, server


def test_track2_llm_dev_set_reads_back_with_llm_texts(track2_dev):
    root, server = track2_dev
    data = read_dev(root / "dev")
    assert len(data.samples) == 20 and not data.problems and all(not s.problems for s in data.samples)
    manifest = lines(root / "dev" / "manifest.jsonl")
    prompt = load_prompt("track2")
    for rec in manifest:
        source = rec["script_source"]
        assert source["writer"] == "llm" and source["model"] == "fake-llm" and source["base_url"] == server.url
        assert source["prompt"] == f"track2_scripts.v{prompt.version}" and len(source["request_key"]) == 64
        assert all(text in json.dumps(TRACK2_TEXT, ensure_ascii=False) for text in rec["texts"])
        if rec["unit"] == "pause":
            assert rec["texts"][0].count("[break]") == 1 and len(rec["timing"]["pauses_s"]) == 1
    units = {(r["lang"], r["unit"]): [p["role"] for p in r["parts"]] for r in manifest}
    assert units[("zh", "third_party.before")] == ["third_party", "user"]
    assert units[("en", "speech_to_others")] == ["user", "user", "user"]
    sent = server.requests[0]
    assert sent["temperature"] == 0 and sent["seed"] == 1234 and sent["model"] == "fake-llm"
    assert sent["messages"][0]["content"] == prompt.text
    assert not (root / "dev" / "llm_rejected.jsonl").exists()


def test_cache_makes_a_rerun_free_and_byte_identical(track2_dev):
    root, _ = track2_dev
    with JudgeServer(fake_llm) as server:
        summary = generate_track2(root / "again", ["en", "zh"], n=1, seed=3, quiet=True,
                                  llm=writer("track2", server, root / "cache"))
        url = server.url
    assert server.requests == []
    assert summary.llm["cached"] == 20 and summary.llm["calls"] == 0
    first, again = tree(root / "dev"), tree(root / "again")
    assert first.keys() == again.keys()
    # everything but the manifest is byte-identical; the manifest differs only by the server's port
    assert {k: v for k, v in first.items() if k != "manifest.jsonl"} == \
           {k: v for k, v in again.items() if k != "manifest.jsonl"}
    old_url = lines(root / "dev" / "manifest.jsonl")[0]["script_source"]["base_url"]
    assert again["manifest.jsonl"] == first["manifest.jsonl"].replace(old_url.encode(), url.encode())


def test_replay_mode_never_touches_the_network(tmp_path):
    jobs = plan_dev(tmp_path / "out", ["en"], 1, 5)[:2]
    with JudgeServer(fake_llm) as server:
        attached = writer("track2", server, tmp_path / "cache", cache_mode="replay").attach(jobs, quiet=True)
    assert server.requests == [] and attached.counts["failed"] == 2 and len(attached.errors) == 2
    assert all("not in the answer cache" in r["reasons"][0] for r in attached.rejected)


def test_track1_llm_test_layout_loads(tmp_path, monkeypatch):
    monkeypatch.setenv("HUMDIAL_LLM_API_KEY", "sk-test-secret")
    out = tmp_path / "t1"
    with JudgeServer(fake_llm) as server:
        summary = generate_track1(out, ["en", "zh"], n=1, seed=2, layout="test", quiet=True,
                                  llm=writer("track1", server, tmp_path / "cache"))
    assert summary.errors == [] and summary.written == 18 and summary.llm["written"] == 18
    assert all(h["authorization"] == "Bearer sk-test-secret" for h in server.headers)
    loaded = load_tree(out / "HD-Track1-Test", "gold")
    assert len(loaded.dialogues) == 18 and not loaded.errors
    for lang in ("en", "zh"):
        for task in (1, 2, 3):
            for d in lines(out / "HD-Track1-Test" / lang / f"HD-Track1-T{task}.jsonl"):
                turns = d["turns"]
                assert 3 <= len(turns) <= 5 and all(t["emotion"] for t in turns)
                assert sum(t["emotion"] != "neutral" for t in turns) >= 2
                assert all((t["cause"] == "") == (t["emotion"] == "neutral") for t in turns)
                assert all((out / "HD-Track1-Test" / lang / t["split_audio_file"]).exists() for t in turns)
                if task != 3:
                    assert turns[-1]["text"] == TRACK1_TEXT[lang]["question"]
                assert all(script_share(t["text"], lang) == 1.0 for t in turns)
    manifest = lines(out / "manifest.jsonl")
    assert {m["script_source"]["prompt"] for m in manifest} == {"track1_scripts.v1"}
    assert all("sk-test-secret" not in p.read_text(encoding="utf-8", errors="replace")
               for p in out.rglob("*.json*"))


def test_malformed_answer_is_reasked_with_the_complaint(tmp_path):
    def first_prose(call: int, body: dict) -> Reply:
        if len(body["messages"]) == 2:  # first ask: system + user
            return Reply(content="Sure! Here is a lovely script for you: parts = query, interruption")
        return fake_llm(call, body)

    jobs = [j for j in plan_dev(tmp_path / "out", ["en"], 1, 5) if j.unit in ("stop", "backchannel")]
    with JudgeServer(first_prose) as server:
        attached = writer("track2", server, tmp_path / "cache").attach(jobs, quiet=True)
    assert attached.counts["written"] == 2 and attached.counts["calls"] == 4 and not attached.rejected
    reask = [r for r in server.requests if len(r["messages"]) == 4]
    assert len(reask) == 2 and all("not one JSON object" in r["messages"][-1]["content"] for r in reask)
    stop = next(i for i in attached.items if i.unit == "stop")
    assert [p.kind for p in stop.script.parts] == ["query", "interruption"]


def english_everywhere(call: int, body: dict) -> Reply:
    """Answers zh requests in English, and writes the third party's remark as the user's."""
    message = request_text(body)
    answer = json.loads(track2_answer(message, lang="en"))
    for part in answer["parts"]:
        part["role"] = "user"
    return Reply(content=json.dumps(answer))


def test_invalid_scripts_are_reported_skipped_and_exit_1(tmp_path, capsys):
    out, cache = tmp_path / "out", tmp_path / "cache"
    with JudgeServer(english_everywhere) as server:
        code = main(["gen", "track2", "--out", str(out), "--lang", "zh", "--n", "1", "--quiet",
                     "--llm", f"openai:fake-llm@{server.url}", "--llm-cache", str(cache)])
    assert code == 1
    assert len(server.requests) == 10 * (1 + ClientSettings().max_reasks)  # each rejection was re-asked
    rejected = {r["sample_id"]: r for r in lines(out / "llm_rejected.jsonl")}
    assert len(rejected) == 10 and all(r["status"] == "invalid" and r["fallback"] == "none" for r in rejected.values())
    tp = next(r for k, r in rejected.items() if "add" in k)
    assert any("wrong language" in x for x in tp["reasons"]) and 'no part by role "third_party"' in tp["reasons"]
    errors = lines(out / "errors.jsonl")
    assert len(errors) == 10 and all(e["stage"] == "llm_script" for e in errors)
    assert (out / "manifest.jsonl").read_text() == "" and not list(out.rglob("*.wav"))
    printed = capsys.readouterr().out
    assert '"invalid": 10' in printed and "llm_rejected.jsonl" in printed


def test_bank_fallback_only_for_rejected_items(tmp_path):
    def half_bad(call: int, body: dict) -> Reply:
        message = request_text(body)
        return english_everywhere(call, body) if "Stop request" in message else fake_llm(call, body)

    jobs = [j for j in plan_dev(tmp_path / "out", ["zh"], 1, 5) if j.unit in ("stop", "negation")]
    with JudgeServer(half_bad) as server:
        attached = writer("track2", server, tmp_path / "cache", fallback="bank").attach(jobs, quiet=True)
    by_unit = {i.unit: (i, s) for i, s in zip(attached.items, attached.sources)}
    assert not attached.errors and attached.counts["fallback"] == 1 and attached.counts["invalid"] == 1
    assert by_unit["stop"][0].script is None and by_unit["stop"][1]["writer"] == "bank"
    assert "wrong language" in by_unit["stop"][1]["llm_rejected"]
    assert by_unit["negation"][0].script is not None and by_unit["negation"][1]["writer"] == "llm"


def test_strict_parser_shapes_and_contents():
    spec, message = track2_spec("zh", "pause", seed=1, index=0)
    assert "[break]" in message and spec.parts == (("user", "query"),)
    good = json.dumps({"parts": [{"role": "user", "kind": "query", "text": "我想问一下[break]怎么做面包"}]},
                      ensure_ascii=False)
    assert parse_track2(good, spec)["parts"][0]["text"] == "我想问一下 [break] 怎么做面包"
    assert parse_track2(f"```json\n{good}\n```", spec)["parts"][0]["emotion"] == "neutral"
    cases = {
        '{"parts": [], "note": 1}': (True, "single key"),
        '{"parts": [{"role": "user", "kind": "query", "text": 3}]}': (True, "non-string"),
        '{"parts": [{"role": "user", "kind": "query", "text": "我想问一下怎么做面包"}]}': (False, "[break] exactly once"),
        '{"parts": [{"role": "user", "kind": "query", "text": "wo xiang [break] wen yi xia"}]}':
            (False, "wrong language"),
        '{"parts": [{"role": "user", "kind": "query", "text": "我想[break]问[break]一下"}]}': (False, "exactly once"),
    }
    for raw, (malformed, reason) in cases.items():
        with pytest.raises(ScriptRejected) as caught:
            parse_track2(raw, spec)
        assert caught.value.malformed is malformed and reason in str(caught.value), raw


def test_track1_parser_checks_plan_causes_and_final_question():
    spec, message = track1_spec("en", 2, 4, "task2_4_en_0001_0001", seed=1, index=0)
    assert len(spec.emotions) == 4 and spec.emotions[-1] == "neutral" and "sigh" in spec.tags
    good = json.loads(track1_answer(message))["turns"]
    assert [t["emotion"] for t in parse_track1(json.dumps({"turns": good}), spec)["turns"]] == list(spec.emotions)

    def rejected(turns: list[dict]) -> str:
        with pytest.raises(ScriptRejected) as caught:
            parse_track1(json.dumps({"turns": turns}), spec)
        assert not caught.value.malformed
        return str(caught.value)

    swapped = [dict(t) for t in good]
    swapped[0]["emotion"] = "calm"
    assert "emotions must be" in rejected(swapped)
    assert "needs exactly 4 turns" in rejected(good[:3])
    statement = [dict(t) for t in good]
    statement[-1]["text"] = "Tell me how my feelings changed."
    assert "must be a question" in rejected(statement)
    same_event = [dict(t) for t in good]
    emotional = [t for t in same_event if t["emotion"] != "neutral"]
    emotional[1]["cause"] = emotional[0]["cause"]
    assert "cause repeated" in rejected(same_event)
    tagged = [dict(t) for t in good]
    tagged[0]["text"] = "[giggle] " + tagged[0]["text"]
    assert "unknown tag [giggle]" in rejected(tagged)


def test_llm_spec_must_be_openai(tmp_path):
    from humdial.errors import HumdialError

    for bad in ("proxy", "openai:model", "openai:model@ftp://x"):
        with pytest.raises(HumdialError, match="--llm"):
            make_writer("track2", bad, cache_dir=tmp_path)
    with pytest.raises(HumdialError) as caught:
        make_writer("track2", "openai:m@user:pw", cache_dir=tmp_path)
    assert "pw" not in str(caught.value)
    w = make_writer("track2", "openai:m@https://llm.example/v1?key=abc", cache_dir=tmp_path)
    assert w.source["base_url"] == "https://llm.example/v1" and w.source["model"] == "m"
