"""The one API-key convention for every LLM endpoint (judge, agent responder, script writer).

The key is read from the environment variable NAMED by `--key-env` (default `HUMDIAL_LLM_API_KEY`).
When that variable is unset, the older names are tried in order, so existing setups keep working:
`HUMDIAL_JUDGE_API_KEY` (the judge's old variable) then `OPENAI_API_KEY` (the OpenAI SDK's own).
A key is never taken from the command line, and never written to results, caches, logs or errors.
"""

from __future__ import annotations

import os

DEFAULT_KEY_ENV = "HUMDIAL_LLM_API_KEY"
FALLBACK_KEY_ENVS: tuple[str, ...] = ("HUMDIAL_JUDGE_API_KEY", "OPENAI_API_KEY")
"""Documented fallbacks, tried in this order when the named variable is unset."""
PLACEHOLDER_KEY = "not-set"
"""Sent when no variable is set: local servers (vLLM, llama.cpp) accept any key; real APIs answer 401."""


def key_source(key_env: str = DEFAULT_KEY_ENV) -> str | None:
    """The name of the variable the key is taken from, or None when none of them is set."""
    for name in (key_env, *FALLBACK_KEY_ENVS):
        if name and os.environ.get(name):
            return name
    return None


def resolve_key(key_env: str = DEFAULT_KEY_ENV) -> str | None:
    """The API key (value), or None when no variable is set."""
    source = key_source(key_env)
    return os.environ[source] if source else None


def scrub(text: str, key: str | None) -> str:
    """`text` with every occurrence of the key replaced, for error messages that quote a server."""
    return text.replace(key, "***") if key and len(key) >= 4 else text
