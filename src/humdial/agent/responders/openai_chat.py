"""Replies from any OpenAI-compatible chat endpoint: spec `openai:MODEL@URL` (URL optional).

The API key comes from $HUMDIAL_LLM_API_KEY or $OPENAI_API_KEY and is never logged or stored. The
request is deterministic where the server allows (temperature 0, fixed seed); a failed call raises
an ItemError, so the sample is recorded as failed instead of crashing the run.
"""

from __future__ import annotations

import os
from typing import Any

from humdial.agent.responders.base import Reply, ResponseRequest, build_messages
from humdial.errors import HumdialError, ItemError

KEY_ENV = ("HUMDIAL_LLM_API_KEY", "OPENAI_API_KEY")


class OpenAIResponder:
    name = "openai"

    def __init__(self, model: str, base_url: str | None = None, timeout_s: float = 30.0, max_tokens: int = 200,
                 client: Any = None):
        if not model:
            raise HumdialError("openai responder needs a model name: openai:MODEL@URL")
        self.model, self.base_url, self.timeout_s, self.max_tokens = model, base_url, timeout_s, max_tokens
        self._client = client

    @classmethod
    def from_spec(cls, spec: str) -> "OpenAIResponder":
        body = spec[len("openai:"):]
        model, _, url = body.partition("@")
        return cls(model.strip(), url.strip() or None)

    def describe(self) -> dict:
        return {"backend": "openai", "model": self.model, "base_url": self.base_url}

    @property
    def client(self) -> Any:
        if self._client is None:
            from openai import OpenAI

            key = next((os.environ[k] for k in KEY_ENV if os.environ.get(k)), None)
            if key is None and self.base_url is None:
                raise HumdialError(f"the openai responder needs an API key in ${KEY_ENV[0]} or ${KEY_ENV[1]}")
            self._client = OpenAI(api_key=key or "not-needed", base_url=self.base_url, timeout=self.timeout_s,
                                  max_retries=1)
        return self._client

    def respond(self, request: ResponseRequest) -> Reply:
        try:
            out = self.client.chat.completions.create(model=self.model, messages=build_messages(request),
                                                      temperature=0, seed=0, max_tokens=self.max_tokens)
            text = (out.choices[0].message.content or "").strip()
        except HumdialError:
            raise
        except Exception as exc:  # network, HTTP and schema errors all end this sample only
            raise ItemError(f"responder call to {self.model} failed: {type(exc).__name__}: {exc}") from exc
        if not text:
            raise ItemError(f"responder {self.model} returned an empty reply")
        return Reply.from_text(text, request.intent.value, request.lang)
