"""A judge backed by any OpenAI-compatible chat-completions endpoint (vLLM, DeepSeek, OpenAI, ...).

Everything that can loop is bounded:
- HTTP-level retries (connection errors, timeouts, 408/409/429/5xx) use exponential back-off with jitter,
  at most `max_retries` per ask; a `Retry-After` header is honoured up to `backoff_max_s`.
- An answer that does not parse is re-asked at most `max_reasks` times, with the parser's complaint.
- Other 4xx answers (bad request, auth) fail the item at once: retrying cannot fix them.
So one request costs at most (1 + max_retries) * (1 + max_reasks) HTTP calls.

The API key is read from the environment variable NAMED by `api_key_env`; it never appears in code,
logs, results, describe() or the cache.
"""

from __future__ import annotations

import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Sequence
from urllib.parse import urlsplit, urlunsplit

from humdial.judge.base import JudgeRequest, Parser, Sampling, Verdict, failed_verdict

DEFAULT_API_KEY_ENV = "HUMDIAL_JUDGE_API_KEY"
PLACEHOLDER_KEY = "not-set"
"""Sent when the key variable is unset: local servers (vLLM) accept any key; real APIs answer 401."""

REASK_TEMPLATE = ("Your previous answer could not be used ({error}). Answer again following the required "
                  "output format exactly, with nothing else.")
RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Plus every status >= 500."""


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
    """Requests in flight at once in judge_many."""
    extra_body: dict[str, Any] = field(default_factory=dict)
    """Server-specific fields passed through (e.g. vLLM `chat_template_kwargs`); part of the cache key."""


def redact_url(url: str) -> str:
    """Drop any user:password@ from a URL before it is shown or stored."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class _Fatal(Exception):
    pass


class OpenAIJudge:
    """Judge over an OpenAI-compatible endpoint. Thread-safe; judge_many runs `concurrency` at once."""

    name = "openai"

    def __init__(self, model: str, base_url: str, api_key_env: str = DEFAULT_API_KEY_ENV,
                 settings: ClientSettings | None = None):
        import openai  # imported here so `humdial --help` stays fast

        self.model = model
        self.base_url = base_url
        self.api_key_env = api_key_env
        self.settings = settings or ClientSettings()
        self._openai = openai
        self._client = openai.OpenAI(base_url=base_url, api_key=os.environ.get(api_key_env) or PLACEHOLDER_KEY,
                                     timeout=self.settings.timeout_s, max_retries=0)
        self._rng = random.Random()

    def describe(self) -> dict:
        s = self.settings
        return {"backend": "openai-compatible", "model": self.model, "base_url": redact_url(self.base_url),
                "api_key_env": self.api_key_env, "api_key_set": bool(os.environ.get(self.api_key_env)),
                "temperature": s.temperature, "seed": s.seed, "max_tokens": s.max_tokens, "top_p": s.top_p,
                "timeout_s": s.timeout_s, "max_retries": s.max_retries, "max_reasks": s.max_reasks,
                "concurrency": s.concurrency, "extra_body": s.extra_body}

    def cache_identity(self) -> dict:
        """What changes the answer: model and sampling settings (not URL, key, timeouts or retries)."""
        s = self.settings
        return {"model": self.model, "temperature": s.temperature, "seed": s.seed, "max_tokens": s.max_tokens,
                "top_p": s.top_p, "extra_body": s.extra_body}

    # --- one HTTP call -------------------------------------------------------------------------
    def _messages(self, request: JudgeRequest) -> list[dict]:
        messages: list[dict] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        if len(request.parts) == 1 and request.parts[0].kind == "text":
            content: Any = request.parts[0].text  # plain string: accepted by text-only APIs too
        else:
            content = [p.to_openai() for p in request.parts]
        messages.append({"role": "user", "content": content})
        return messages

    def _call(self, messages: list[dict], sampling: Sampling | None = None) -> str:
        s = self.settings
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": s.temperature,
                                  "max_tokens": s.max_tokens, "stream": False}
        if s.seed is not None:
            kwargs["seed"] = s.seed
        if s.top_p is not None:
            kwargs["top_p"] = s.top_p
        if s.extra_body:
            kwargs["extra_body"] = s.extra_body
        if sampling is not None:  # request-level sampling replaces the client's (None fields are not sent)
            for key in ("temperature", "max_tokens", "seed", "top_p"):
                kwargs.pop(key, None)
            kwargs.update(sampling.request_kwargs())
            if s.extra_body:
                kwargs["extra_body"] = {**s.extra_body, **kwargs.get("extra_body", {})}
        err = self._openai
        try:
            response = self._client.chat.completions.create(**kwargs)
        except err.APIStatusError as exc:
            status = exc.status_code
            if status in RETRYABLE_STATUS or status >= 500:
                raise _Retryable(f"HTTP {status}", _retry_after(exc)) from exc
            raise _Fatal(f"HTTP {status}: {_short(exc)}") from exc
        except err.APITimeoutError as exc:
            raise _Retryable(f"timed out after {s.timeout_s:g} s") from exc
        except err.APIConnectionError as exc:
            raise _Retryable(f"connection failed: {_short(exc)}") from exc
        except err.APIError as exc:  # e.g. a body that is not a chat completion
            raise _Retryable(f"bad response: {_short(exc)}") from exc
        except Exception as exc:  # noqa: BLE001 - e.g. a body that is not JSON; bounded like any retry
            raise _Retryable(f"unexpected {type(exc).__name__}: {_short(exc)}") from exc
        choices = getattr(response, "choices", None) or []
        if not choices:
            raise _Retryable("response has no choices")
        return choices[0].message.content or ""

    def _call_with_retries(self, messages: list[dict], sampling: Sampling | None = None) -> tuple[str, int]:
        """(answer, calls made); raises _Fatal or _Retryable (the last error) when the budget is spent."""
        s = self.settings
        calls = 0
        for retry in range(s.max_retries + 1):
            calls += 1
            try:
                return self._call(messages, sampling), calls
            except _Retryable as exc:
                if retry == s.max_retries:
                    raise _Retryable(f"{exc} (gave up after {calls} attempts)") from exc
                time.sleep(self._backoff(retry, exc.retry_after))
            except _Fatal as exc:
                exc.calls = calls  # type: ignore[attr-defined]
                raise
        raise AssertionError("unreachable")

    def _backoff(self, retry: int, retry_after: float | None) -> float:
        s = self.settings
        if retry_after is not None:
            return min(max(retry_after, 0.0), s.backoff_max_s)
        base = min(s.backoff_base_s * 2 ** retry, s.backoff_max_s)
        return min(base + self._rng.uniform(0, base), s.backoff_max_s)

    # --- Judge protocol ------------------------------------------------------------------------
    def judge(self, request: JudgeRequest, parse: Parser) -> Verdict:
        messages = self._messages(request)
        attempts = 0
        raw = ""
        error = ""
        sampling = request.sampling
        reasks = sampling.max_reasks if sampling and sampling.max_reasks is not None else self.settings.max_reasks
        for ask in range(reasks + 1):
            try:
                raw, calls = self._call_with_retries(messages, sampling)
                attempts += calls
            except _Retryable as exc:
                attempts += self.settings.max_retries + 1
                return failed_verdict(self.name, self.model, request, str(exc), attempts, raw)
            except _Fatal as exc:
                attempts += getattr(exc, "calls", 1)
                return failed_verdict(self.name, self.model, request, str(exc), attempts, raw)
            try:
                parsed = parse(raw)
            except ValueError as exc:
                error = f"answer does not parse: {exc}"
                messages = messages + [{"role": "assistant", "content": raw},
                                       {"role": "user", "content": REASK_TEMPLATE.format(error=exc)}]
                continue
            return Verdict(judge=self.name, model=self.model, rubric_id=request.rubric_id,
                           rubric_version=request.rubric_version, raw=raw, parsed=parsed, status="ok",
                           attempts=attempts)
        return Verdict(judge=self.name, model=self.model, rubric_id=request.rubric_id,
                       rubric_version=request.rubric_version, raw=raw, parsed=None, status="parse_failed",
                       error=f"{error} (after {reasks + 1} asks)", attempts=attempts)

    def judge_many(self, requests: Sequence[JudgeRequest], parse: Parser) -> list[Verdict]:
        if not requests:
            return []
        workers = max(1, min(self.settings.concurrency, len(requests)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="judge") as pool:
            return list(pool.map(lambda r: self.judge(r, parse), requests))


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _short(exc: Exception, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "..."
