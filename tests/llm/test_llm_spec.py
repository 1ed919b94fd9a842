"""`openai:MODEL@URL`: one grammar, and one endpoint for the same spec in run, eval and gen."""

from __future__ import annotations

import itertools
import json

import pytest

from humdial.errors import HumdialError
from humdial.llm.client import ClientSettings
from humdial.llm.spec import parse_llm_spec

from judge_server import JudgeServer, Reply

MODELS = ["m", "gpt-4o", "team@model-7b", "a@b", "Qwen/Qwen3-Omni-30B-A3B-Instruct", "org:model@v2", "x@y@z",
          "deepseek-chat"]
URLS = ["http://h/v1", "https://api.deepseek.com", "http://127.0.0.1:8000/v1", "https://user:pw@host:8443/v1",
        "http://u@h/v1", "HTTP://H/v1"]


@pytest.mark.parametrize(("model", "url"), list(itertools.product(MODELS, URLS)))
def test_spec_round_trips_whatever_the_at_signs(model, url):
    parsed = parse_llm_spec(f"openai:{model}@{url}")
    assert (parsed.model, parsed.base_url) == (model, url)


def test_the_issue_example():
    assert parse_llm_spec("openai:a@b@http://h/v1") == parse_llm_spec(" openai:a@b@http://h/v1 ")
    assert (parse_llm_spec("openai:a@b@http://h/v1").model, parse_llm_spec("openai:a@b@http://h/v1").base_url) \
        == ("a@b", "http://h/v1")


def test_url_is_optional_only_where_the_caller_allows_it():
    assert parse_llm_spec("openai:gpt-4o-mini", require_url=False).base_url is None
    assert parse_llm_spec("openai:a@b", require_url=False).model == "a@b"
    for bad in ("openai:model", "openai:@http://x", "gpt4", "openai:m@ftp://x", "openai:", "proxy"):
        with pytest.raises(HumdialError):
            parse_llm_spec(bad)


def test_a_bad_spec_is_never_echoed():
    with pytest.raises(HumdialError) as caught:
        parse_llm_spec("openai:m@sk-secret-token-123")
    assert "sk-secret" not in str(caught.value)


def _record_model(call: int, body: dict) -> Reply:
    return Reply(content=json.dumps({"behaviour": ["C_RESPOND"]}))


def test_same_endpoint_in_run_eval_and_gen(tmp_path):
    """One spec, three consumers (agent responder, judge, script writer): the same model reaches the same server."""
    from humdial.agent.intent import Intent
    from humdial.agent.responders import ResponseRequest, make_responder
    from humdial.generate.llm_scripts import make_writer
    from humdial.judge.base import ContentPart, JudgeRequest
    from humdial.judge.spec import make_judge

    with JudgeServer(_record_model) as server:
        spec = f"openai:team@model-7b@{server.url}"
        responder = make_responder(spec)
        judge = make_judge(spec, track="track2", cache_dir=tmp_path / "verdicts", cache_mode="off",
                           settings=ClientSettings(max_retries=0, max_reasks=0))
        writer = make_writer("track2", spec, cache_dir=tmp_path / "answers", cache_mode="off",
                             settings=ClientSettings(max_retries=0, max_reasks=0))
        responder.respond(ResponseRequest("en", Intent.QUERY, "Hi?"))
        judge.judge(JudgeRequest(rubric_id="r", rubric_version="1", system="s",
                                 parts=(ContentPart.of_text("x"),)), json.loads)
        writer.llm.ask([{"role": "user", "content": "x"}], json.loads)
    assert [r["model"] for r in server.requests] == ["team@model-7b"] * 3
    auth = {h["authorization"] for h in server.headers}
    assert len(auth) == 1  # one key convention: the same credential source for all three
    assert responder.describe()["base_url"] == judge.describe()["base_url"] == writer.source["base_url"] \
        == server.url
