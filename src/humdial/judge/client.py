"""A judge backed by any OpenAI-compatible endpoint: judge-specific request building and verdicts only.

HTTP, retries, timeouts, re-asks and the API key are `humdial.llm.client.ChatClient`'s job (the same
client the agent's responder and the script writer use); this module turns a `JudgeRequest` (text and
audio parts) into chat messages and the client's `Answer` into a `Verdict`.
"""

from __future__ import annotations

from typing import Any, Sequence

from humdial.judge.base import JudgeRequest, Parser, Verdict, failed_verdict
from humdial.judge.concurrent import DoneCallback, judge_each
from humdial.llm.client import ChatClient, ClientSettings, redact_url  # noqa: F401 - re-exported for callers
from humdial.llm.keys import DEFAULT_KEY_ENV


def judge_messages(request: JudgeRequest) -> list[dict]:
    """System prompt (the rubric) plus one user message: a plain string for text only, else content parts."""
    messages: list[dict] = []
    if request.system:
        messages.append({"role": "system", "content": request.system})
    if len(request.parts) == 1 and request.parts[0].kind == "text":
        content: Any = request.parts[0].text  # plain string: accepted by text-only APIs too
    else:
        content = [p.to_openai() for p in request.parts]
    messages.append({"role": "user", "content": content})
    return messages


class OpenAIJudge:
    """Judge over an OpenAI-compatible endpoint. Thread-safe; judge_many keeps `settings.concurrency` in flight."""

    name = "openai"

    def __init__(self, model: str, base_url: str, api_key_env: str = DEFAULT_KEY_ENV,
                 settings: ClientSettings | None = None):
        self.client = ChatClient(model, base_url, key_env=api_key_env, settings=settings)
        self.model = model
        self.settings = self.client.settings

    @property
    def concurrency(self) -> int:
        """Requests in flight at once (ClientSettings.concurrency, `--judge-concurrency`)."""
        return max(1, self.settings.concurrency)

    def describe(self) -> dict:
        return self.client.describe()

    def cache_identity(self) -> dict:
        return self.client.cache_identity()

    def judge(self, request: JudgeRequest, parse: Parser) -> Verdict:
        sampling = request.sampling  # request-level sampling (e.g. the official Track 1 parameters) wins
        answer = self.client.ask(judge_messages(request), parse,
                                 overrides=sampling.request_kwargs() if sampling else None,
                                 max_reasks=sampling.max_reasks if sampling else None)
        if answer.status == "failed":
            return failed_verdict(self.name, self.model, request, answer.error, answer.attempts, answer.raw)
        return Verdict(judge=self.name, model=self.model, rubric_id=request.rubric_id,
                       rubric_version=request.rubric_version, raw=answer.raw, parsed=answer.parsed,
                       status=answer.status, error=answer.error, attempts=answer.attempts)

    def judge_many(self, requests: Sequence[JudgeRequest], parse: Parser,
                   on_done: DoneCallback | None = None) -> list[Verdict]:
        """Verdicts in input order; `on_done(i, verdict)` as each returns (humdial.judge.concurrent)."""
        return judge_each(lambda r: self.judge(r, parse), requests, self.concurrency, self._failed, on_done)

    def _failed(self, request: JudgeRequest, message: str) -> Verdict:
        return failed_verdict(self.name, self.model, request, message)
