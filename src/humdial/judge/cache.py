"""A verdict cache on disk, and a Judge wrapper that uses it.

Key = sha256 over (judge name, judge identity: model and answer-changing settings, request fingerprint).
The request fingerprint covers rubric id + version, the rubric text, every content part (audio by the
sha256 of its bytes) and the structured context (see `JudgeRequest.fingerprint`). The endpoint URL and
the API key are not part of the key (and the key is never stored).

Misses are asked `concurrency` at a time (humdial.judge.concurrent) and each verdict is stored the
moment it returns, so a run killed half-way keeps every answer it got. Only usable verdicts (`ok`) are
stored: `judge_failed` (no answer) and `parse_failed` (an answer not in shape within the re-ask budget,
e.g. from an overloaded or misconfigured server) are never stored, so a re-run against a healthy judge
retries exactly those.
On a hit the stored raw answer is parsed again with the caller's parser, so a fixed parser fixes old
cached answers without asking the judge again.

Modes: `use` (read and write), `refresh` (ask again, overwrite), `replay` (read only; a miss becomes a
judge_failed verdict and the network is never touched), `off`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Literal, Sequence

from humdial.judge.base import Judge, JudgeRequest, Parser, Verdict, failed_verdict
from humdial.judge.concurrent import DoneCallback, judge_each

CacheMode = Literal["use", "refresh", "replay", "off"]
CACHE_MODES: tuple[str, ...] = ("use", "refresh", "replay", "off")
FORMAT_VERSION = 1
"""Bump when the stored entry layout changes; older entries are then ignored (misses)."""


def reparse(verdict: Verdict, parse: Parser) -> Verdict:
    """Parse a stored raw answer again with the current parser."""
    if verdict.status == "judge_failed":
        return verdict
    try:
        parsed = parse(verdict.raw)
    except ValueError as exc:
        return replace(verdict, parsed=None, status="parse_failed", error=f"answer does not parse: {exc}")
    return replace(verdict, parsed=parsed, status="ok", error="")


class VerdictCache:
    """One JSON file per verdict under `root/<key[:2]>/<key>.json`, written atomically."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @staticmethod
    def key(judge_name: str, identity: dict, request: JudgeRequest) -> str:
        material = {"format": FORMAT_VERSION, "judge": judge_name, "identity": identity,
                    "request": request.fingerprint()}
        return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Verdict | None:
        """The stored verdict, or None (missing, unreadable or from an older format: all misses)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT_VERSION:
                return None
            verdict = Verdict.from_dict(data["verdict"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return replace(verdict, cached=True, request_key=key)

    def put(self, key: str, verdict: Verdict) -> bool:
        """Store a usable verdict; returns False (and stores nothing) for judge_failed and parse_failed."""
        if verdict.status != "ok":
            return False
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"format": FORMAT_VERSION, "verdict": replace(verdict, cached=False, request_key=key).to_dict()}
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True

    def __len__(self) -> int:
        return sum(1 for _ in self.root.glob("??/*.json")) if self.root.exists() else 0


class CachedJudge:
    """Wraps any Judge with a VerdictCache; itself a Judge."""

    def __init__(self, inner: Judge, cache: VerdictCache, mode: CacheMode = "use"):
        if mode not in CACHE_MODES:
            raise ValueError(f"cache mode must be one of {CACHE_MODES}, not {mode!r}")
        self.inner = inner
        self.cache = cache
        self.mode = mode
        self.name = inner.name

    def describe(self) -> dict:
        return {**self.inner.describe(), "cache": {"dir": str(self.cache.root), "mode": self.mode}}

    def _identity(self) -> dict:
        identity = getattr(self.inner, "cache_identity", None)
        return identity() if callable(identity) else {"model": self.inner.describe().get("model", "")}

    def _model(self) -> str:
        return str(self._identity().get("model", ""))

    def judge(self, request: JudgeRequest, parse: Parser) -> Verdict:
        return self.judge_many([request], parse)[0]

    @property
    def concurrency(self) -> int:
        """The inner judge's requests in flight (1 for an in-process judge such as the proxy)."""
        return max(1, int(getattr(self.inner, "concurrency", 1)))

    def judge_many(self, requests: Sequence[JudgeRequest], parse: Parser,
                   on_done: DoneCallback | None = None) -> list[Verdict]:
        """Verdicts in input order. Hits come from the cache; misses are asked `concurrency` at a time, each
        stored the moment it returns (a killed run keeps every answer it got); identical requests in one call
        are asked once. `on_done(i, verdict)` follows every verdict, cached or fresh."""
        identity = self._identity()
        keys = [VerdictCache.key(self.name, identity, r) for r in requests]
        results: list[Verdict | None] = [None] * len(requests)

        def settle(i: int, verdict: Verdict) -> None:
            results[i] = verdict
            if on_done is not None:
                on_done(i, verdict)

        if self.mode in ("use", "replay"):
            for i, key in enumerate(keys):
                hit = self.cache.get(key)
                if hit is not None:
                    settle(i, reparse(hit, parse))
        missing = [i for i, v in enumerate(results) if v is None]
        if missing and self.mode == "replay":
            for i in missing:
                settle(i, replace(failed_verdict(self.name, self._model(), requests[i],
                                                 "not in the verdict cache (replay only; network not used)"),
                                  request_key=keys[i]))
        elif missing:
            owners: dict[str, list[int]] = {}  # identical requests in one call are asked once
            for i in missing:
                owners.setdefault(keys[i], []).append(i)
            unique = [group[0] for group in owners.values()]

            def answered(j: int, verdict: Verdict) -> None:
                key = keys[unique[j]]
                if self.mode != "off":
                    self.cache.put(key, verdict)
                for i in owners[key]:
                    settle(i, replace(verdict, request_key=key if self.mode != "off" else ""))

            judge_each(lambda r: self.inner.judge(r, parse), [requests[i] for i in unique], self.concurrency,
                       lambda r, message: failed_verdict(self.name, self._model(), r, message), answered)
        return [v for v in results if v is not None]
