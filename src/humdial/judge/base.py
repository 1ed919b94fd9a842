"""Shared judge contracts: what a judge is asked (JudgeRequest) and what it answers (Verdict).

Every judge backend (the OpenAI-compatible client, the offline proxy, a test double) implements the
`Judge` protocol, so evaluators for Track 1 and Track 2 never care which one is behind the flag.

Two dictionaries ride on a request and are kept apart on purpose:
- `context`: structured inputs a non-LLM judge reads (e.g. the four transcripts for the proxy).
  It is part of the request fingerprint, so a cached verdict is only reused for identical inputs.
- `metadata`: bookkeeping for the caller (sample id, task, language). It is NOT part of the
  fingerprint, so the same content asked for two samples is judged (and paid for) once.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Protocol, Sequence, runtime_checkable

from humdial.results.verdicts import STATUSES  # declared with the verdict log (results/ sits below judge/)

VerdictStatus = Literal["ok", "parse_failed", "judge_failed"]
Parser = Callable[[str], dict]
"""Turns a raw judge answer into a dict; raises ValueError when the answer does not parse."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ContentPart:
    """One piece of the user message: text, or audio sent as base64 `input_audio`."""

    kind: Literal["text", "audio"]
    text: str = ""
    audio_b64: str = ""
    audio_format: str = "wav"

    @classmethod
    def of_text(cls, text: str) -> "ContentPart":
        return cls(kind="text", text=text)

    @classmethod
    def of_audio(cls, data: bytes, audio_format: str = "wav") -> "ContentPart":
        """Audio from encoded file bytes (a whole wav file, header included)."""
        return cls(kind="audio", audio_b64=base64.b64encode(data).decode("ascii"), audio_format=audio_format)

    @classmethod
    def of_audio_file(cls, path: str | Path) -> "ContentPart":
        path = Path(path)
        return cls.of_audio(path.read_bytes(), path.suffix.lstrip(".").lower() or "wav")

    @property
    def audio_sha256(self) -> str:
        return _sha256(base64.b64decode(self.audio_b64)) if self.kind == "audio" else ""

    def to_openai(self) -> dict[str, Any]:
        """The chat-completions content-part shape."""
        if self.kind == "text":
            return {"type": "text", "text": self.text}
        return {"type": "input_audio", "input_audio": {"data": self.audio_b64, "format": self.audio_format}}

    def key_material(self) -> dict[str, Any]:
        """What identifies this part in a cache key: the text itself, or the hash of the audio bytes."""
        if self.kind == "text":
            return {"text": self.text}
        return {"audio_sha256": self.audio_sha256, "format": self.audio_format}


@dataclass(frozen=True)
class Sampling:
    """Per-request sampling parameters; when a request carries one, it replaces the client's defaults.

    A field left None is not sent at all (the server's default applies), so "temperature 0.6, no seed"
    and "temperature 0, seed 1234" are both expressible. `top_k` is not an OpenAI field: it travels in
    `extra_body` (vLLM reads it there). `max_reasks` bounds the extra asks after an unparsable answer
    (0 = one sample only, the official procedure).
    """

    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    max_tokens: int | None = None
    n: int | None = None
    seed: int | None = None
    max_reasks: int | None = None
    """None: the client's own setting."""
    extra_body: tuple[tuple[str, Any], ...] = ()
    """Further server-specific fields, as sorted (key, value) pairs (hashable)."""

    def request_kwargs(self) -> dict[str, Any]:
        """The chat-completions keyword arguments these settings add (None fields omitted)."""
        kwargs: dict[str, Any] = {k: v for k, v in (("temperature", self.temperature), ("top_p", self.top_p),
                                                   ("max_tokens", self.max_tokens), ("n", self.n),
                                                   ("seed", self.seed)) if v is not None}
        extra = dict(self.extra_body)
        if self.top_k is not None:
            extra["top_k"] = self.top_k
        if extra:
            kwargs["extra_body"] = extra
        return kwargs

    def describe(self) -> dict[str, Any]:
        return {**{k: v for k, v in asdict(self).items() if k != "extra_body"}, "extra_body": dict(self.extra_body)}


@dataclass(frozen=True)
class JudgeRequest:
    """One question to a judge, under one rubric."""

    rubric_id: str
    rubric_version: str
    system: str
    """The rubric text, sent as the system message."""
    parts: tuple[ContentPart, ...]
    context: dict[str, Any] = field(default_factory=dict)
    """Structured, JSON-serialisable inputs for non-LLM judges; part of the fingerprint."""
    metadata: dict[str, Any] = field(default_factory=dict)
    """Caller bookkeeping (sample id, task, language); not part of the fingerprint."""
    sampling: Sampling | None = None
    """Request-level sampling (e.g. the official Track 1 parameters); None: the client's defaults."""

    def fingerprint(self) -> str:
        """sha256 over rubric id + version, system text, every part (audio by hash), context and sampling."""
        material = {
            "rubric_id": self.rubric_id,
            "rubric_version": self.rubric_version,
            "system": self.system,
            "parts": [p.key_material() for p in self.parts],
            "context": self.context,
        }
        if self.sampling is not None:  # absent key keeps fingerprints of requests without sampling unchanged
            material["sampling"] = self.sampling.describe()
        return _sha256(json.dumps(material, sort_keys=True, ensure_ascii=False,
                                  separators=(",", ":")).encode("utf-8"))


@dataclass
class Verdict:
    """A judge's answer to one request, with everything needed to audit or replay it."""

    judge: str
    model: str
    rubric_id: str
    rubric_version: str
    raw: str
    parsed: dict | None
    status: VerdictStatus
    error: str = ""
    attempts: int = 0
    """Requests sent to the judge for this verdict (HTTP retries and re-asks included)."""
    cached: bool = False
    reason: str = ""
    """Short human-readable reason (the proxy always fills it; LLM judges may leave it empty)."""
    request_key: str = ""
    """The cache key this verdict is stored under (empty when uncached)."""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Verdict":
        known = {f for f in cls.__dataclass_fields__}
        verdict = cls(**{k: v for k, v in data.items() if k in known})
        if verdict.status not in STATUSES:
            raise ValueError(f"unknown verdict status {verdict.status!r}")
        return verdict


@runtime_checkable
class Judge(Protocol):
    name: str
    """Backend name: 'openai', 'proxy', ..."""

    def describe(self) -> dict:
        """Provenance: backend, model, endpoint (never a key), sampling settings, comparability note."""
        ...

    def judge(self, request: JudgeRequest, parse: Parser) -> Verdict:
        """Answer one request. Never raises for per-item problems: they become the verdict status."""
        ...

    def judge_many(self, requests: Sequence[JudgeRequest], parse: Parser) -> list[Verdict]:
        """Answer many requests (bounded concurrency where the backend supports it), in input order.

        Backends may also take `on_done=callback(index, verdict)`, called as each verdict is ready
        (humdial.judge.concurrent); callers check with `takes_on_done` before passing it."""
        ...


def failed_verdict(judge: str, model: str, request: JudgeRequest, error: str, attempts: int = 0,
                   raw: str = "") -> Verdict:
    """A judge_failed verdict for `request` (no usable answer)."""
    return Verdict(judge=judge, model=model, rubric_id=request.rubric_id, rubric_version=request.rubric_version,
                   raw=raw, parsed=None, status="judge_failed", error=error, attempts=attempts)


def answered_verdict(judge: str, model: str, request: JudgeRequest, raw: str, parse: Parser, *,
                     attempts: int = 1, reason: str = "") -> Verdict:
    """An `ok` verdict when `parse(raw)` succeeds, else a `parse_failed` one naming the parser's complaint."""
    base = dict(judge=judge, model=model, rubric_id=request.rubric_id, rubric_version=request.rubric_version,
                raw=raw, attempts=attempts, reason=reason)
    try:
        return Verdict(**base, parsed=parse(raw), status="ok")
    except ValueError as exc:
        return Verdict(**base, parsed=None, status="parse_failed", error=f"answer does not parse: {exc}")
