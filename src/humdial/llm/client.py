"""One client for every OpenAI-compatible chat-completions endpoint (vLLM, DeepSeek, OpenAI, llama.cpp...).

The judge, the agent's responder and the script writer all talk to their LLM through `ChatClient`,
so retries, timeouts, key handling and structured output behave the same everywhere.

Everything that can loop is bounded:
- HTTP-level retries (connection errors, timeouts, 408/409/429/5xx) use exponential back-off with jitter,
  at most `max_retries` per ask; a `Retry-After` header is honoured up to `backoff_max_s`.
- An answer that does not parse is re-asked at most `max_reasks` times, with the parser's complaint.
- Other 4xx answers (bad request, auth) fail the ask at once: retrying cannot fix them.
So one `ask` costs at most (1 + max_retries) * (1 + max_reasks) HTTP calls (plus one, once per client,
when the server refuses structured output; see below).

Structured output: `ask(..., json_output=True)` sends `response_format={"type": "json_object"}`, which
vLLM, OpenAI and DeepSeek honour. A server that rejects the field (HTTP 400/404/422 on the first such
request) is asked again without it, and the client remembers not to send it again; the caller's strict
parser and the re-ask loop then carry the shape, as they do for every answer anyway.

The API key is read from the environment (see `humdial.llm.keys`); it never appears in describe(),
cache identities or error texts.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Literal
from urllib.parse import urlsplit, urlunsplit

from humdial.llm.keys import DEFAULT_KEY_ENV, PLACEHOLDER_KEY, key_source, resolve_key, scrub

REASK_TEMPLATE = ("Your previous answer could not be used ({error}). Answer again following the required "
                  "output format exactly, with nothing else.")
RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Plus every status >= 500."""
NO_STRUCTURED_STATUS = frozenset({400, 404, 422})
"""Answers to a request with response_format that mean "this server does not do structured output"."""
JSON_FORMAT = {"type": "json_object"}
BEARER = re.compile(r"(?i)(bearer\s+)[^\s'\",}]+")
"""Any bearer token a server quotes back in an error (even one that is not our key) is masked."""

AnswerStatus = Literal["ok", "parse_failed", "failed"]


@dataclass(frozen=True)
class ClientSettings:
    """Request and robustness settings; the defaults are deterministic and bounded."""

    temperature: float = 0.0
    """0 = greedy decoding, the deterministic default."""
    seed: int | None = 1234
    """Sent as `seed`; servers that honour it (vLLM, OpenAI) then sample reproducibly. None omits it."""
    max_tokens: int = 1024
    top_p: float | None = None
    timeout_s: float = 120.0
    """Per HTTP request."""
    max_retries: int = 4
    """HTTP retries per ask (so at most 1 + max_retries calls per ask)."""
    max_reasks: int = 2
    """Extra asks when the answer does not parse."""
    backoff_base_s: float = 1.0
    """Wait before retry n (0-based) is base * 2**n plus up to the same again as jitter."""
    backoff_max_s: float = 30.0
    concurrency: int = 4
    """Requests in flight at once where a caller fans out (judge_many, script writing)."""
    extra_body: dict[str, Any] = field(default_factory=dict)
    """Server-specific fields passed through (e.g. vLLM `chat_template_kwargs`); part of the cache identity."""


@dataclass(frozen=True)
class Answer:
    """The outcome of one `ask`: ok (parsed), parse_failed (answered, never in shape) or failed (no answer)."""

    status: AnswerStatus
    raw: str = ""
    parsed: dict | None = None
    error: str = ""
    attempts: int = 0
    """HTTP calls made."""


class LLMError(Exception):
    """No usable answer from the endpoint (message already free of the key)."""

    def __init__(self, message: str, calls: int, retryable: bool):
        super().__init__(message)
        self.calls = calls
        self.retryable = retryable


def redact_url(url: str) -> str:
    """Drop any user:password@ from a URL before it is shown or stored."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url


def public_url(url: str | None) -> str:
    """The base URL as recorded: no user:password, no query string or fragment (either may hold a key)."""
    if not url:
        return ""
    parts = urlsplit(redact_url(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class ChatClient:
    """Chat completions over an OpenAI-compatible endpoint. Thread-safe."""

    def __init__(self, model: str, base_url: str | None, key_env: str = DEFAULT_KEY_ENV,
                 settings: ClientSettings | None = None, sdk_client: Any = None):
        """`sdk_client`: an object with `.chat.completions.create(**kwargs)` to use instead of the openai SDK."""
        self.model = model
        self.base_url = base_url
        self.key_env = key_env
        self.settings = settings or ClientSettings()
        self._sdk = sdk_client
        self._errors: Any = None
        self._structured: bool | None = None
        """None: not tried yet; False: the server refused response_format once."""
        self._rng = random.Random()

    # --- identity --------------------------------------------------------------------------------
    def describe(self) -> dict:
        s = self.settings
        return {"backend": "openai-compatible", "model": self.model, "base_url": public_url(self.base_url),
                "api_key_env": self.key_env, "api_key_set": key_source(self.key_env) is not None,
                "temperature": s.temperature, "seed": s.seed, "max_tokens": s.max_tokens, "top_p": s.top_p,
                "timeout_s": s.timeout_s, "max_retries": s.max_retries, "max_reasks": s.max_reasks,
                "concurrency": s.concurrency, "extra_body": s.extra_body}

    def cache_identity(self) -> dict:
        """What changes the answer: model and sampling settings (not URL, key, timeouts or retries)."""
        s = self.settings
        return {"model": self.model, "temperature": s.temperature, "seed": s.seed, "max_tokens": s.max_tokens,
                "top_p": s.top_p, "extra_body": s.extra_body}

    # --- one HTTP call ---------------------------------------------------------------------------
    def _client(self) -> Any:
        if self._sdk is None:
            import openai  # imported here so `humdial --help` stays fast

            self._errors = openai
            self._sdk = openai.OpenAI(base_url=self.base_url, api_key=resolve_key(self.key_env) or PLACEHOLDER_KEY,
                                      timeout=self.settings.timeout_s, max_retries=0)
        return self._sdk

    def _error_types(self) -> Any:
        if self._errors is None:
            try:
                import openai

                self._errors = openai
            except ImportError:  # an injected client without the SDK installed
                self._errors = False
        return self._errors

    def _call(self, messages: list[dict], json_output: bool, overrides: dict[str, Any] | None = None) -> str:
        s = self.settings
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": s.temperature,
                                  "max_tokens": s.max_tokens, "stream": False}
        if s.seed is not None:
            kwargs["seed"] = s.seed
        if s.top_p is not None:
            kwargs["top_p"] = s.top_p
        if s.extra_body:
            kwargs["extra_body"] = s.extra_body
        if overrides is not None:  # request-level sampling replaces the client's (fields it leaves out are not sent)
            for name in ("temperature", "max_tokens", "seed", "top_p"):
                kwargs.pop(name, None)
            kwargs.update({k: v for k, v in overrides.items() if k != "extra_body"})
            if overrides.get("extra_body") or s.extra_body:
                kwargs["extra_body"] = {**s.extra_body, **overrides.get("extra_body", {})}
        structured = json_output and self._structured is not False
        if structured:
            kwargs["response_format"] = JSON_FORMAT
        client = self._client()
        err = self._error_types()
        key = resolve_key(self.key_env)
        try:
            response = client.chat.completions.create(**kwargs)
        except Exception as exc:  # noqa: BLE001 - classified below; every path is bounded
            status = getattr(exc, "status_code", None)
            if err and isinstance(exc, err.APIStatusError) and status is not None:
                if structured and status in NO_STRUCTURED_STATUS and self._structured is None:
                    self._structured = False  # this server does not do response_format: ask again without
                    return self._call(messages, json_output, overrides)
                if status in RETRYABLE_STATUS or status >= 500:
                    raise _Retryable(f"HTTP {status}", _retry_after(exc)) from exc
                raise LLMError(f"HTTP {status}: {_short(scrub(str(exc), key))}", 1, retryable=False) from exc
            if err and isinstance(exc, err.APITimeoutError):
                raise _Retryable(f"timed out after {s.timeout_s:g} s") from exc
            if err and isinstance(exc, err.APIConnectionError):
                raise _Retryable(f"connection failed: {_short(scrub(str(exc), key))}") from exc
            raise _Retryable(f"{type(exc).__name__}: {_short(scrub(str(exc), key))}") from exc
        if structured:
            self._structured = True
        return _content(response, key)

    def complete(self, messages: list[dict], json_output: bool = False,
                 overrides: dict[str, Any] | None = None) -> tuple[str, int]:
        """(answer text, HTTP calls made); LLMError when the retry budget is spent or the error is fatal.

        `overrides`: request keyword arguments (temperature, top_p, max_tokens, n, seed, extra_body) that replace
        the client's settings for this request only; a field they leave out is not sent.
        """
        s = self.settings
        calls = 0
        for retry in range(s.max_retries + 1):
            calls += 1
            try:
                return self._call(messages, json_output, overrides), calls
            except _Retryable as exc:
                if retry == s.max_retries:
                    raise LLMError(f"{exc} (gave up after {calls} attempts)", calls, retryable=True) from exc
                time.sleep(self._backoff(retry, exc.retry_after))
            except LLMError as exc:
                exc.calls = calls
                raise
        raise AssertionError("unreachable")

    def _backoff(self, retry: int, retry_after: float | None) -> float:
        s = self.settings
        if retry_after is not None:
            return min(max(retry_after, 0.0), s.backoff_max_s)
        base = min(s.backoff_base_s * 2 ** retry, s.backoff_max_s)
        return min(base + self._rng.uniform(0, base), s.backoff_max_s)

    # --- ask and re-ask ----------------------------------------------------------------------------
    def ask(self, messages: list[dict], parse: Callable[[str], dict], json_output: bool = False,
            overrides: dict[str, Any] | None = None, max_reasks: int | None = None) -> Answer:
        """Ask, parse with `parse` (ValueError = not in shape), re-ask with the complaint up to max_reasks times
        (None: the client's setting; 0: one answer only, as the official Track 1 procedure)."""
        attempts = 0
        raw = error = ""
        reasks = self.settings.max_reasks if max_reasks is None else max_reasks
        for _ in range(reasks + 1):
            try:
                raw, calls = self.complete(messages, json_output, overrides)
                attempts += calls
            except LLMError as exc:
                return Answer("failed", raw=raw, error=str(exc), attempts=attempts + exc.calls)
            try:
                parsed = parse(raw)
            except ValueError as exc:
                error = f"answer does not parse: {exc}"
                messages = messages + [{"role": "assistant", "content": raw},
                                       {"role": "user", "content": REASK_TEMPLATE.format(error=exc)}]
                continue
            return Answer("ok", raw=raw, parsed=parsed, attempts=attempts)
        return Answer("parse_failed", raw=raw, error=f"{error} (after {reasks + 1} asks)",
                      attempts=attempts)


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _short(text: str, limit: int = 200) -> str:
    """One line of at most `limit` characters; callers scrub the key from the FULL text first, so a
    truncation can never leave part of a key behind."""
    text = " ".join(BEARER.sub(r"\1***", text).split())
    return text if len(text) <= limit else text[:limit] + "..."


def _content(response: Any, key: str | None) -> str:
    """The answer text of a chat completion, whatever shape a broken server gives it.

    `message: null`, no choices, or a non-text content become a retryable error with a reason (never
    an AttributeError); a list of content parts is joined from its text parts. The key is scrubbed
    from the answer too (a server may echo the request's headers).
    """
    choices = getattr(response, "choices", None) or []
    if not isinstance(choices, (list, tuple)) or not choices:
        raise _Retryable("response has no choices")
    message = getattr(choices[0], "message", None)
    if message is None:
        raise _Retryable("response choice has no message")
    content = getattr(message, "content", None)
    if content is None:
        return ""
    if isinstance(content, (list, tuple)):
        texts = [p.get("text") if isinstance(p, dict) else getattr(p, "text", None) for p in content]
        content = "".join(t for t in texts if isinstance(t, str))
    if not isinstance(content, str):
        raise _Retryable(f"response content is a {type(content).__name__}, not text")
    return scrub(content, key)
