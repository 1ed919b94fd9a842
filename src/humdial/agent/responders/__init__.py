"""Responders: what the agent says. `make_responder(spec)` builds one from a command-line spec.

Specs: `offline` (default, deterministic, no network), `openai:MODEL@URL` (any OpenAI-compatible
chat endpoint, parsed by `humdial.llm.spec` like every other LLM spec; key from the variable named by
`key_env`, see `humdial.llm.keys`), `gguf:PATH` (a local GGUF model through llama-cpp-python, optional
extra `llm`).
"""

from __future__ import annotations

from humdial.agent.responders.base import Reply, ResponseRequest, Responder
from humdial.errors import HumdialError
from humdial.llm.keys import DEFAULT_KEY_ENV


def make_responder(spec: str = "offline", key_env: str = DEFAULT_KEY_ENV) -> Responder:
    spec = spec.strip()
    if spec in ("", "offline"):
        from humdial.agent.responders.offline import OfflineResponder

        return OfflineResponder()
    if spec.startswith("openai:"):
        from humdial.agent.responders.openai_chat import OpenAIResponder

        return OpenAIResponder.from_spec(spec, key_env=key_env)
    if spec.startswith("gguf:"):
        from humdial.agent.responders.llama_cpp import LlamaCppResponder

        return LlamaCppResponder(spec[len("gguf:"):])
    raise HumdialError(f"unknown responder {spec!r}; use offline, openai:MODEL@URL or gguf:PATH")


__all__ = ["Reply", "ResponseRequest", "Responder", "make_responder"]
