"""Judge selection from a command-line spec.

    proxy                        the offline proxy judge (default; not comparable to official scores)
    openai:MODEL@BASE_URL        any OpenAI-compatible endpoint, e.g.
                                 openai:deepseek-chat@https://api.deepseek.com
                                 openai:Qwen/Qwen3-Omni-30B-A3B-Instruct@http://localhost:8000/v1

The model may itself contain ':' or '@'; the base URL is what follows the LAST '@'.
The key comes from the environment variable named by `api_key_env` (never from the spec).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from humdial.errors import HumdialError
from humdial.judge.base import Judge
from humdial.judge.cache import CACHE_MODES, CachedJudge, CacheMode, VerdictCache
from humdial.judge.client import DEFAULT_API_KEY_ENV, ClientSettings

SPEC_HELP = "proxy (offline, default) or openai:MODEL@BASE_URL (key from the env variable named by --judge-key-env)"


@dataclass(frozen=True)
class JudgeSpec:
    backend: str
    model: str = ""
    base_url: str = ""


def parse_judge_spec(spec: str) -> JudgeSpec:
    spec = spec.strip()
    if spec == "proxy":
        return JudgeSpec("proxy")
    backend, sep, rest = spec.partition(":")
    if backend == "openai" and sep:
        model, at, url = rest.rpartition("@")
        if not at or not model or not url.startswith(("http://", "https://")):
            raise HumdialError(f"judge spec {spec!r}: expected openai:MODEL@BASE_URL with an http(s) URL")
        return JudgeSpec("openai", model=model, base_url=url)
    raise HumdialError(f"unknown judge spec {spec!r}; use {SPEC_HELP}")


def make_judge(spec: str, *, cache_dir: str | Path | None = None, cache_mode: CacheMode = "use",
               api_key_env: str = DEFAULT_API_KEY_ENV, settings: ClientSettings | None = None) -> Judge:
    """Build the judge a spec names, wrapped in a verdict cache when `cache_dir` is given.

    In `replay` mode an LLM judge is never contacted: misses become judge_failed verdicts.
    """
    if cache_mode not in CACHE_MODES:
        raise HumdialError(f"cache mode must be one of {', '.join(CACHE_MODES)}")
    parsed = parse_judge_spec(spec)
    judge: Judge
    if parsed.backend == "proxy":
        from humdial.judge.proxy import ProxyJudge

        judge = ProxyJudge()
    else:
        from humdial.judge.client import OpenAIJudge

        judge = OpenAIJudge(parsed.model, parsed.base_url, api_key_env=api_key_env, settings=settings)
    if cache_dir is None:
        if cache_mode == "replay":
            raise HumdialError("replay mode needs a verdict cache directory")
        return judge
    return CachedJudge(judge, VerdictCache(cache_dir), cache_mode)
