"""Hostile LLM endpoints: odd answer shapes, echoed secrets, huge or deeply nested answers."""

from __future__ import annotations

import time
from types import SimpleNamespace as NS

import pytest

from humdial.judge.jsonscan import json_objects
from humdial.llm.client import ChatClient, ClientSettings

KEY = "sk-very-secret-key-0123456789"


class FakeSDK:
    """An injected `.chat.completions.create` answering from a list of responses or exceptions."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.chat = NS(completions=NS(create=self.create))

    def create(self, **kwargs):
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def _client(sdk, monkeypatch) -> ChatClient:
    monkeypatch.setenv("HUMDIAL_LLM_API_KEY", KEY)
    return ChatClient("m", "http://127.0.0.1:9/v1", settings=ClientSettings(max_retries=1, backoff_base_s=0.001,
                                                                             max_reasks=0), sdk_client=sdk)


def _reply(message):
    return NS(choices=[NS(message=message)])


@pytest.mark.parametrize("response", [_reply(None), NS(choices=None), NS(choices=[]), _reply(NS(content=42))])
def test_broken_answer_shapes_fail_with_a_reason(response, monkeypatch):
    answer = _client(FakeSDK(response), monkeypatch).ask([{"role": "user", "content": "x"}], lambda raw: {"raw": raw})
    assert answer.status == "failed" and answer.error


def test_list_content_is_joined_from_its_text_parts(monkeypatch):
    response = _reply(NS(content=[{"type": "text", "text": '{"ok": '}, {"type": "text", "text": "true}"}]))
    answer = _client(FakeSDK(response), monkeypatch).ask([{"role": "user", "content": "x"}], lambda raw: {"raw": raw})
    assert answer.status == "ok" and answer.parsed == {"raw": '{"ok": true}'}


@pytest.mark.parametrize("padding", [0, 170, 185, 400])
def test_key_echoed_in_an_error_never_leaks(padding, monkeypatch):
    echo = RuntimeError("x" * padding + f" 401 Unauthorized: header Authorization: Bearer {KEY} rejected")
    answer = _client(FakeSDK(echo), monkeypatch).ask([{"role": "user", "content": "x"}], lambda raw: {})
    assert answer.status == "failed"
    assert KEY[:12] not in answer.error and KEY not in answer.raw


def test_key_echoed_in_an_answer_is_scrubbed(monkeypatch):
    answer = _client(FakeSDK(_reply(NS(content=f"you sent {KEY}"))), monkeypatch).ask(
        [{"role": "user", "content": "x"}], lambda raw: {"raw": raw})
    assert KEY not in answer.raw and KEY not in str(answer.parsed)


def test_json_scan_is_linear_on_hostile_answers():
    started = time.monotonic()
    assert list(json_objects("{" * 10_000_000)) == []
    assert list(json_objects('{"a":' * 200_000 + "1" + "}" * 200_000)) is not None  # too deep: no crash
    assert list(json_objects("noise " * 10 + '{"behaviour": ["C_RESPOND"]}')) == [{"behaviour": ["C_RESPOND"]}]
    assert time.monotonic() - started < 30  # seconds even on a loaded machine; the old scan took hours
