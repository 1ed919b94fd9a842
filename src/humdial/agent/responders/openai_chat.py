"""Replies from any OpenAI-compatible chat endpoint: spec `openai:MODEL@URL` (grammar: `humdial.llm.spec`).

Requests go through the shared `humdial.llm` client, so retries, timeouts and the key convention are
the judge's: the key comes from the variable named by `key_env` (default $HUMDIAL_LLM_API_KEY, with
the documented fallbacks) and is never logged or stored. A spec without a URL means the OpenAI API.
Requests are deterministic where the server allows (temperature 0, fixed seed); a failed call raises
an ItemError, so the sample is recorded as failed instead of crashing the run.
"""

from __future__ import annotations

from typing import Any

from humdial.agent.responders.base import Reply, ResponseRequest, build_messages
from humdial.errors import HumdialError, ItemError
from humdial.llm.client import ChatClient, ClientSettings, public_url
from humdial.llm.keys import DEFAULT_KEY_ENV, FALLBACK_KEY_ENVS, key_source
from humdial.llm.spec import parse_llm_spec

SETTINGS = ClientSettings(seed=0, max_tokens=200, timeout_s=30.0, max_retries=1, max_reasks=0,
                          backoff_base_s=0.5, backoff_max_s=2.0)
"""A live dialogue cannot wait long: 30 s per request, one retry, 200 tokens (a few spoken sentences)."""


class OpenAIResponder:
    name = "openai"

    def __init__(self, model: str, base_url: str | None = None, key_env: str = DEFAULT_KEY_ENV,
                 settings: ClientSettings = SETTINGS, client: Any = None):
        """`client`: an object with `.chat.completions.create(**kwargs)` used instead of the openai SDK (tests)."""
        if not model:
            raise HumdialError("openai responder needs a model name: openai:MODEL@URL")
        self.model, self.base_url, self.key_env = model, base_url, key_env
        if client is None and base_url is None and key_source(key_env) is None:
            raise HumdialError(f"the openai responder without a URL needs an API key in ${key_env} "
                               f"(or ${' or $'.join(FALLBACK_KEY_ENVS)})")
        self.chat = ChatClient(model, base_url, key_env=key_env, settings=settings, sdk_client=client)

    @classmethod
    def from_spec(cls, spec: str, key_env: str = DEFAULT_KEY_ENV) -> "OpenAIResponder":
        parsed = parse_llm_spec(spec, require_url=False, what="responder")
        return cls(parsed.model, parsed.base_url, key_env=key_env)

    def describe(self) -> dict:
        return {"backend": "openai", "model": self.model, "base_url": public_url(self.base_url) or None}

    def respond(self, request: ResponseRequest) -> Reply:
        answer = self.chat.ask(build_messages(request), lambda raw: {"text": raw.strip()})
        if answer.status != "ok":
            raise ItemError(f"responder call to {self.model} failed: {answer.error}")
        text = answer.parsed["text"] if answer.parsed else ""
        if not text:
            raise ItemError(f"responder {self.model} returned an empty reply")
        return Reply.from_text(text, request.intent.value, request.lang)
