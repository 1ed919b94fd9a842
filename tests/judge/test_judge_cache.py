import json
from dataclasses import replace

from humdial.judge.base import ContentPart, JudgeRequest, Verdict
from humdial.judge.cache import CachedJudge, VerdictCache
from humdial.judge.client import ClientSettings, OpenAIJudge
from humdial.judge.track2_behaviour import parse_behaviour
from judge_server import JudgeServer

FAST = ClientSettings(timeout_s=2.0, max_retries=1, max_reasks=1, backoff_base_s=0.01, backoff_max_s=0.02,
                      concurrency=2)


def request(i: int, audio: bytes | None = None, **metadata) -> JudgeRequest:
    parts = (ContentPart.of_text(f"sample {i}"),) + ((ContentPart.of_audio(audio),) if audio else ())
    return JudgeRequest("track2_behaviour", "1", "Tag it.", parts, metadata=metadata)


def verdict(status="ok", raw='{"behaviour": ["C_RESUME"]}') -> Verdict:
    return Verdict("openai", "m", "track2_behaviour", "1", raw, {"behaviour": ["C_RESUME"]}, status)


def test_key_covers_rubric_model_settings_and_audio_bytes_but_not_metadata():
    key = VerdictCache.key
    base = key("openai", {"model": "m"}, request(1))
    assert base == key("openai", {"model": "m"}, request(1, sample_id="other"))
    assert base != key("openai", {"model": "m2"}, request(1))
    assert base != key("openai", {"model": "m", "temperature": 0.6}, request(1))
    assert base != key("openai", {"model": "m"}, replace(request(1), rubric_version="2"))
    assert key("openai", {}, request(1, b"RIFF-a")) != key("openai", {}, request(1, b"RIFF-b"))


def test_store_and_load_final_verdicts_only(tmp_path):
    cache = VerdictCache(tmp_path)
    assert cache.put("ab" * 32, verdict()) is True
    assert cache.put("cd" * 32, verdict(status="judge_failed")) is False
    loaded = cache.get("ab" * 32)
    assert loaded.cached and loaded.status == "ok" and loaded.model == "m" and loaded.rubric_version == "1"
    assert cache.get("cd" * 32) is None and len(cache) == 1
    assert not list(tmp_path.rglob(".tmp-*"))


def test_corrupt_entry_is_a_miss(tmp_path):
    cache = VerdictCache(tmp_path)
    cache.put("ab" * 32, verdict())
    next(tmp_path.rglob("*.json")).write_text("{not json")
    assert cache.get("ab" * 32) is None


def test_replay_mode_never_touches_the_network(tmp_path):
    with JudgeServer() as server:
        live = CachedJudge(OpenAIJudge("m", server.url, settings=FAST), VerdictCache(tmp_path))
        first = live.judge_many([request(1), request(2)], parse_behaviour)
        replay = CachedJudge(OpenAIJudge("m", server.url, settings=FAST), VerdictCache(tmp_path), mode="replay")
        again = replay.judge_many([request(1), request(3), request(2)], parse_behaviour)
    assert len(server.requests) == 2
    assert [v.status for v in again] == ["ok", "judge_failed", "ok"]
    assert again[0].cached and again[0].parsed == first[0].parsed and again[2].parsed == first[1].parsed
    assert "replay" in again[1].error


def test_cached_raw_answer_is_parsed_again_with_the_current_parser(tmp_path):
    cache = VerdictCache(tmp_path)
    with JudgeServer() as server:
        judge = CachedJudge(OpenAIJudge("m", server.url, settings=FAST), cache)
        judge.judge(request(1), parse_behaviour)

        def stricter(raw: str) -> dict:
            raise ValueError("new parser rejects everything")

        again = judge.judge(request(1), stricter)
    assert len(server.requests) == 1
    assert again.cached and again.status == "parse_failed" and "rejects" in again.error


def test_an_answer_that_did_not_parse_is_asked_again_on_a_rerun(tmp_path):
    cache = VerdictCache(tmp_path)
    with JudgeServer() as server:
        judge = CachedJudge(OpenAIJudge("m", server.url, settings=FAST), cache)

        def broken(raw: str) -> dict:
            raise ValueError("garbage")

        first = judge.judge(request(1), broken)
        asked = len(server.requests)
        again = judge.judge(request(1), parse_behaviour)
    assert first.status == "parse_failed"
    assert len(cache) == 1  # only the usable answer was stored
    assert len(server.requests) > asked and again.status == "ok" and not again.cached


def _run(url: str, cache_dir, requests):
    judge = CachedJudge(OpenAIJudge("m", url, settings=FAST), VerdictCache(cache_dir))
    return judge.judge_many(requests, parse_behaviour)


def test_server_dying_midway_then_rerun_completes_only_the_failed(tmp_path):
    requests = [request(i) for i in range(12)]
    with JudgeServer() as reference_server:
        reference = _run(reference_server.url, tmp_path / "reference", requests)
    assert all(v.ok for v in reference)

    with JudgeServer(die_after=5) as dying:
        interrupted = _run(dying.url, tmp_path / "cache", requests)
    failed = [i for i, v in enumerate(interrupted) if v.status == "judge_failed"]
    assert 0 < len(failed) < len(requests)
    assert all(interrupted[i].ok for i in range(12) if i not in failed)

    with JudgeServer() as live:
        resumed = _run(live.url, tmp_path / "cache", requests)
    asked = sorted(int(json.dumps(r["messages"][1]["content"]).strip('"').split()[1]) for r in live.requests)
    assert asked == failed
    assert [v.parsed for v in resumed] == [v.parsed for v in reference]
    assert all(resumed[i].cached for i in range(12) if i not in failed)


def test_identical_requests_in_one_batch_are_asked_once(tmp_path):
    with JudgeServer() as server:
        verdicts = _run(server.url, tmp_path, [request(1), request(2), request(1, sample_id="dup")])
    assert len(server.requests) == 2
    assert verdicts[0].parsed == verdicts[2].parsed and all(v.ok for v in verdicts)
