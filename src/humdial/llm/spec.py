"""The one grammar for naming an LLM endpoint on the command line: `openai:MODEL@URL`.

    openai:deepseek-chat@https://api.deepseek.com
    openai:Qwen/Qwen3-Omni-30B-A3B-Instruct@http://localhost:8000/v1
    openai:team@model-7b@http://localhost:8000/v1      model "team@model-7b"
    openai:m@http://user:pw@host/v1                    model "m", URL with credentials (redacted when shown)

The model may contain ':' and '@'. The URL starts at the LAST '@' that is followed by http:// or
https://, so an '@' inside the model name or inside the URL never moves the split. `run` (agent and
Track 1 responders), `eval` (judges) and `gen` (script writers) all parse with this function, so one
spec names the same endpoint everywhere. Where a caller allows it (`require_url=False`), a spec
without a URL means the OpenAI API's own endpoint.

A spec that does not parse is never echoed back in the error: a mistyped one may hold a credential.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from humdial.errors import HumdialError

PREFIX = "openai:"
GRAMMAR = "openai:MODEL@URL (an http:// or https:// URL; the key comes from an environment variable)"
_URL_START = re.compile(r"@(?=https?://)", re.IGNORECASE)


@dataclass(frozen=True)
class LLMSpec:
    """An OpenAI-compatible endpoint: model name and base URL (None: the OpenAI API's default)."""

    model: str
    base_url: str | None = None


def is_llm_spec(text: str) -> bool:
    return text.strip().startswith(PREFIX)


def parse_llm_spec(text: str, *, require_url: bool = True, what: str = "LLM") -> LLMSpec:
    """Parse `openai:MODEL@URL`; see the module docstring for the split rule."""
    text = text.strip()
    if not text.startswith(PREFIX):
        raise HumdialError(f"{what} spec: expected {GRAMMAR}")
    body = text[len(PREFIX):]
    starts = [m.start() for m in _URL_START.finditer(body)]
    if starts:
        model, url = body[:starts[-1]].strip(), body[starts[-1] + 1:].strip()
    else:
        model, url = body.strip(), ""
        if "@" in model and require_url:
            raise HumdialError(f"{what} spec: the part after '@' is not an http(s) URL; expected {GRAMMAR}")
    if not model:
        raise HumdialError(f"{what} spec: no model name; expected {GRAMMAR}")
    if not url and require_url:
        raise HumdialError(f"{what} spec: no base URL; expected {GRAMMAR}")
    return LLMSpec(model=model, base_url=url or None)
