"""Raw LLM answers on disk, keyed by content, so a re-run with the same requests sends nothing.

Key = sha256 over (format, the client's cache identity: model and sampling settings, the messages,
whether structured output was asked for). The URL and the key are not part of it and are never stored.
Only final answers are stored (ok and parse_failed); a failed ask is retried by the next run. On a hit
the stored raw answer is parsed again with the caller's parser, so a fixed parser fixes old answers.

Modes: use (read and write), refresh (ask again, overwrite), replay (read only; a miss fails and the
network is never touched), off. The judge keeps its own verdict cache (`humdial.judge.cache`), whose
entries also carry verdict fields; this one serves callers that only need the raw text.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from humdial.errors import HumdialError
from humdial.llm.client import Answer, ChatClient

CACHE_MODES: tuple[str, ...] = ("use", "refresh", "replay", "off")
FORMAT_VERSION = 1
"""Bump when the stored entry layout changes; older entries are then misses."""
REPLAY_MISS = "not in the answer cache (replay only; network not used)"


@dataclass(frozen=True)
class CachedAnswer:
    answer: Answer
    key: str
    cached: bool


class AnswerCache:
    """One JSON file per answer under `root/<key[:2]>/<key>.json`, written atomically."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @staticmethod
    def key(identity: dict, messages: list[dict], json_output: bool) -> str:
        material = {"format": FORMAT_VERSION, "identity": identity, "messages": messages, "json": json_output}
        return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        """The stored raw answer, or None (missing, unreadable or an older format)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION or not isinstance(data.get("raw"), str):
            return None
        return data["raw"]

    def put(self, key: str, raw: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"format": FORMAT_VERSION, "raw": raw}, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class CachedClient:
    """A ChatClient behind an AnswerCache: `ask` answers from disk when it can."""

    def __init__(self, client: ChatClient, cache: AnswerCache, mode: str = "use"):
        if mode not in CACHE_MODES:
            raise HumdialError(f"cache mode must be one of {', '.join(CACHE_MODES)}")
        self.client, self.cache, self.mode = client, cache, mode

    def ask(self, messages: list[dict], parse: Callable[[str], dict], json_output: bool = False) -> CachedAnswer:
        key = AnswerCache.key({**self.client.cache_identity()}, messages, json_output)
        if self.mode in ("use", "replay"):
            raw = self.cache.get(key)
            if raw is not None:
                return CachedAnswer(_reparse(raw, parse), key, cached=True)
            if self.mode == "replay":
                return CachedAnswer(Answer("failed", error=REPLAY_MISS), key, cached=False)
        answer = self.client.ask(messages, parse, json_output)
        if self.mode != "off" and answer.status != "failed":
            self.cache.put(key, answer.raw)
        return CachedAnswer(answer, key, cached=False)


def _reparse(raw: str, parse: Callable[[str], dict]) -> Answer:
    try:
        return Answer("ok", raw=raw, parsed=parse(raw))
    except ValueError as exc:
        return replace(Answer("parse_failed", raw=raw), error=f"answer does not parse: {exc}")
