import base64
import io
import json

import numpy as np
import pytest
import soundfile as sf

from humdial.judge.base import ContentPart, JudgeRequest
from humdial.judge.cache import CachedJudge, VerdictCache
from humdial.judge.client import ClientSettings, OpenAIJudge, redact_url
from humdial.judge.track2_behaviour import parse_behaviour
from judge_server import JudgeServer, Reply, good_answer

FAST = ClientSettings(timeout_s=5.0, max_retries=2, max_reasks=1, backoff_base_s=0.01, backoff_max_s=0.05,
                      concurrency=3)


def request(i: int = 0, parts=None) -> JudgeRequest:
    return JudgeRequest("track2_behaviour", "1", "Tag the behaviour.",
                        parts or (ContentPart.of_text(f"sample {i}"),), metadata={"sample_id": f"s{i}"})


def judge_for(server, **changes) -> OpenAIJudge:
    settings = ClientSettings(**{**FAST.__dict__, **changes})
    return OpenAIJudge("test-judge", server.url, settings=settings)


def test_good_answer_with_deterministic_settings():
    with JudgeServer() as server:
        verdict = judge_for(server).judge(request(), parse_behaviour)
    assert verdict.status == "ok" and verdict.attempts == 1
    assert verdict.parsed["behaviour"][0].startswith("C_")
    sent = server.requests[0]
    assert sent["temperature"] == 0 and sent["seed"] == 1234 and sent["stream"] is False
    assert sent["messages"][0] == {"role": "system", "content": "Tag the behaviour."}
    assert sent["messages"][1] == {"role": "user", "content": "sample 0"}


def test_malformed_answer_is_reasked_with_the_complaint():
    answers = iter(["I think it is RESPOND", '```json\n{"behaviour": "C_RESUME"}\n```'])
    with JudgeServer(lambda call, body: Reply(content=next(answers))) as server:
        verdict = judge_for(server).judge(request(), parse_behaviour)
    assert verdict.status == "ok" and verdict.parsed == {"behaviour": ["C_RESUME"]} and verdict.attempts == 2
    reask = server.requests[1]["messages"]
    assert reask[2] == {"role": "assistant", "content": "I think it is RESPOND"}
    assert "could not be used" in reask[3]["content"]


def test_answer_that_never_parses_is_parse_failed_after_bounded_reasks():
    with JudgeServer(lambda call, body: Reply(content='{"behaviour": ["C_MAYBE"]}')) as server:
        verdict = judge_for(server, max_reasks=2).judge(request(), parse_behaviour)
    assert verdict.status == "parse_failed" and verdict.attempts == 3 and len(server.requests) == 3
    assert "C_MAYBE" in verdict.error and verdict.raw == '{"behaviour": ["C_MAYBE"]}'


@pytest.mark.parametrize("status,headers", [(429, {"retry-after": "0"}), (500, {}), (503, {})])
def test_transient_http_errors_are_retried(status, headers):
    def script(call, body):
        return Reply(status=status, body='{"error": {"message": "busy"}}', headers=headers) if call < 3 \
            else good_answer(call, body)

    with JudgeServer(script) as server:
        verdict = judge_for(server).judge(request(), parse_behaviour)
    assert verdict.status == "ok" and verdict.attempts == 3


def test_persistent_500_gives_up_after_bounded_retries():
    with JudgeServer(lambda call, body: Reply(status=500, body="{}")) as server:
        verdict = judge_for(server).judge(request(), parse_behaviour)
    assert verdict.status == "judge_failed" and verdict.attempts == 3 and len(server.requests) == 3
    assert "HTTP 500" in verdict.error


def test_client_errors_are_not_retried():
    with JudgeServer(lambda call, body: Reply(status=400, body='{"error": {"message": "bad"}}')) as server:
        verdict = judge_for(server).judge(request(), parse_behaviour)
    assert verdict.status == "judge_failed" and len(server.requests) == 1 and "HTTP 400" in verdict.error


def test_non_json_body_is_retried_then_fails():
    with JudgeServer(lambda call, body: Reply(body="<html>proxy error</html>")) as server:
        verdict = judge_for(server, max_retries=1).judge(request(), parse_behaviour)
    assert verdict.status == "judge_failed" and len(server.requests) == 2


def test_slow_response_times_out_and_is_retried():
    def script(call, body):
        # the first answer never comes in time; the retry answers at once. The 5 s timeout leaves the retry
        # ample time on a loaded machine (with 0.3 s, a busy machine timed the retry out too: 3 attempts).
        return Reply(content='{"behaviour": ["C_RESPOND"]}', delay_s=25.0 if call == 1 else 0.0)

    with JudgeServer(script) as server:
        verdict = judge_for(server, timeout_s=5.0).judge(request(), parse_behaviour)
    assert verdict.status == "ok" and verdict.attempts == 2


def test_concurrency_is_bounded_and_order_kept():
    with JudgeServer(lambda call, body: Reply(content='{"behaviour": ["C_RESUME"]}', delay_s=0.1)) as server:
        # a generous timeout: a retry under machine load would send a request twice and break the count below
        verdicts = judge_for(server, concurrency=2, timeout_s=60.0).judge_many([request(i) for i in range(6)],
                                                                               parse_behaviour)
    assert [v.status for v in verdicts] == ["ok"] * 6
    assert server.max_in_flight <= 2
    assert sorted(r["messages"][1]["content"] for r in server.requests) == [f"sample {i}" for i in range(6)]


def test_audio_part_reaches_the_server_and_decodes():
    rate = 16000
    tone = 0.1 * np.sin(2 * np.pi * 440 * np.arange(rate // 2) / rate)
    buffer = io.BytesIO()
    sf.write(buffer, tone, rate, format="WAV", subtype="PCM_16")
    received = {}

    def script(call, body):
        parts = body["messages"][1]["content"]
        audio = next(p for p in parts if p["type"] == "input_audio")["input_audio"]
        samples, sr = sf.read(io.BytesIO(base64.b64decode(audio["data"])))
        received.update(format=audio["format"], rate=sr, frames=len(samples), text=parts[1]["text"])
        return Reply(content='{"score": 4}')

    parts = (ContentPart.of_audio(buffer.getvalue()), ContentPart.of_text("Rate the empathy."))
    with JudgeServer(script) as server:
        verdict = judge_for(server).judge(request(parts=parts), json.loads)
    assert verdict.status == "ok" and verdict.parsed == {"score": 4}
    assert received == {"format": "wav", "rate": rate, "frames": rate // 2, "text": "Rate the empathy."}


def test_key_is_sent_but_never_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("MY_JUDGE_KEY", "sk-very-secret-123")
    with JudgeServer() as server:
        judge = OpenAIJudge("test-judge", server.url, api_key_env="MY_JUDGE_KEY", settings=FAST)
        cached = CachedJudge(judge, VerdictCache(tmp_path))
        verdict = cached.judge(request(), parse_behaviour)
    assert server.headers[0]["authorization"] == "Bearer sk-very-secret-123"
    stored = "".join(p.read_text() for p in tmp_path.rglob("*.json"))
    everything = stored + json.dumps(verdict.to_dict()) + json.dumps(cached.describe())
    assert "sk-very-secret-123" not in everything
    assert cached.describe()["api_key_env"] == "MY_JUDGE_KEY" and cached.describe()["api_key_set"] is True


def test_redact_url():
    assert redact_url("https://user:pw@host:8000/v1") == "https://host:8000/v1"
    assert redact_url("http://127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1"


def test_request_sampling_replaces_client_defaults_and_top_k_travels_in_extra_body():
    from dataclasses import replace

    from humdial.evaluate.track1.requests import OFFICIAL_SAMPLING

    answers = iter(["not json", "still not json"])
    with JudgeServer(lambda call, body: Reply(content=next(answers))) as server:
        verdict = judge_for(server, extra_body={"chat_template_kwargs": {"x": 1}}).judge(
            replace(request(), sampling=OFFICIAL_SAMPLING), parse_behaviour)
    assert verdict.status == "parse_failed" and len(server.requests) == 1  # one sample, no re-ask
    sent = server.requests[0]
    assert sent["temperature"] == 0.6 and sent["top_p"] == 0.95 and sent["max_tokens"] == 16384
    assert sent["top_k"] == 20 and sent["chat_template_kwargs"] == {"x": 1}  # extra_body merges into the body
    assert "seed" not in sent and sent["n"] == 1
    assert replace(request(), sampling=OFFICIAL_SAMPLING).fingerprint() != request().fingerprint()
