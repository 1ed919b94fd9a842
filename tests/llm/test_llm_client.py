"""The shared LLM client: structured output with a fallback, the key convention, the answer cache."""

from __future__ import annotations

import json

import pytest

from humdial.llm.cache import REPLAY_MISS, AnswerCache, CachedClient
from humdial.llm.client import ChatClient, ClientSettings
from humdial.llm.keys import DEFAULT_KEY_ENV, FALLBACK_KEY_ENVS, key_source, resolve_key

from judge_server import JudgeServer, Reply

FAST = ClientSettings(timeout_s=5.0, max_retries=1, max_reasks=1, backoff_base_s=0.01, backoff_max_s=0.05)
ANSWER = json.dumps({"ok": True})
KEY_VARS = (DEFAULT_KEY_ENV, *FALLBACK_KEY_ENVS, "MY_KEY")


@pytest.fixture(autouse=True)
def no_keys(monkeypatch):
    for name in KEY_VARS:
        monkeypatch.delenv(name, raising=False)


def test_structured_output_is_requested_when_the_server_takes_it():
    with JudgeServer(lambda call, body: Reply(content=ANSWER)) as server:
        answer = ChatClient("m", server.url, settings=FAST).ask([{"role": "user", "content": "JSON please"}],
                                                                 json.loads, json_output=True)
    assert answer.status == "ok" and answer.parsed == {"ok": True}
    assert server.requests[0]["response_format"] == {"type": "json_object"}


def test_a_server_without_structured_output_is_asked_again_without_it():
    def script(call, body):
        if "response_format" in body:
            return Reply(status=400, body=json.dumps({"error": {"message": "response_format not supported"}}))
        return Reply(content=ANSWER)

    with JudgeServer(script) as server:
        client = ChatClient("m", server.url, settings=FAST)
        first = client.ask([{"role": "user", "content": "a"}], json.loads, json_output=True)
        second = client.ask([{"role": "user", "content": "b"}], json.loads, json_output=True)
    assert first.status == second.status == "ok"
    assert ["response_format" in r for r in server.requests] == [True, False, False]  # remembered


def test_plain_requests_never_carry_a_response_format():
    with JudgeServer(lambda call, body: Reply(content="hello")) as server:
        text, calls = ChatClient("m", server.url, settings=FAST).complete([{"role": "user", "content": "hi"}])
    assert (text, calls) == ("hello", 1) and "response_format" not in server.requests[0]


def test_key_convention_named_variable_then_documented_fallbacks(monkeypatch):
    assert key_source("MY_KEY") is None and resolve_key("MY_KEY") is None
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    assert key_source("MY_KEY") == "OPENAI_API_KEY"
    monkeypatch.setenv("HUMDIAL_JUDGE_API_KEY", "sk-judge")
    assert key_source("MY_KEY") == "HUMDIAL_JUDGE_API_KEY"
    monkeypatch.setenv("MY_KEY", "sk-mine")
    assert resolve_key("MY_KEY") == "sk-mine"
    with JudgeServer(lambda call, body: Reply(content="hi")) as server:
        ChatClient("m", server.url, key_env="MY_KEY", settings=FAST).complete([{"role": "user", "content": "x"}])
        ChatClient("m", server.url, settings=FAST).complete([{"role": "user", "content": "x"}])
    assert [h["authorization"] for h in server.headers] == ["Bearer sk-mine", "Bearer sk-judge"]


def test_the_key_never_appears_in_an_error(monkeypatch):
    monkeypatch.setenv(DEFAULT_KEY_ENV, "sk-very-secret-42")

    def echo_auth(call, body):  # a careless server that quotes the credential back
        return Reply(status=401, body=json.dumps({"error": {"message": "bad key sk-very-secret-42"}}))

    with JudgeServer(echo_auth) as server:
        client = ChatClient("m", server.url, settings=FAST)
        answer = client.ask([{"role": "user", "content": "x"}], json.loads)
    assert answer.status == "failed" and "401" in answer.error
    assert "sk-very-secret-42" not in answer.error + json.dumps(client.describe())
    assert len(server.requests) == 1  # auth errors are not retried


def test_answer_cache_use_replay_and_reparse(tmp_path):
    messages = [{"role": "user", "content": "x"}]
    with JudgeServer(lambda call, body: Reply(content=ANSWER)) as server:
        live = CachedClient(ChatClient("m", server.url, settings=FAST), AnswerCache(tmp_path))
        first, again = live.ask(messages, json.loads, True), live.ask(messages, json.loads, True)
        assert len(server.requests) == 1
    assert not first.cached and again.cached and first.key == again.key and again.answer.parsed == {"ok": True}
    offline = CachedClient(ChatClient("m", "http://127.0.0.1:9/v1", settings=FAST), AnswerCache(tmp_path), "replay")
    assert offline.ask(messages, json.loads, True).answer.parsed == {"ok": True}
    miss = offline.ask([{"role": "user", "content": "never asked"}], json.loads, True)
    assert miss.answer.status == "failed" and miss.answer.error == REPLAY_MISS

    def picky(raw: str) -> dict:
        raise ValueError("stricter parser")

    assert offline.ask(messages, picky, True).answer.status == "parse_failed"  # stored raw, parsed again
    assert "sk-" not in "".join(p.read_text() for p in tmp_path.rglob("*.json"))
