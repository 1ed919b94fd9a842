"""Judge selection from a command-line spec: `make_judge(spec, track=...)`.

    proxy                        the offline proxy judge of the track (default; not comparable to official scores)
    openai:MODEL@BASE_URL        any OpenAI-compatible endpoint (grammar: `humdial.llm.spec`), e.g.
                                 openai:deepseek-chat@https://api.deepseek.com
                                 openai:Qwen/Qwen3-Omni-30B-A3B-Instruct@http://localhost:8000/v1

The key comes from the environment variable named by `api_key_env` (`humdial.llm.keys`), never from the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from humdial.errors import HumdialError
from humdial.judge.base import Judge
from humdial.judge.cache import CACHE_MODES, CachedJudge, CacheMode, VerdictCache
from humdial.llm.client import ClientSettings
from humdial.llm.keys import DEFAULT_KEY_ENV
from humdial.llm.spec import is_llm_spec, parse_llm_spec

SPEC_HELP = "proxy (offline) or openai:MODEL@BASE_URL (key from the variable named by --key-env)"
TRACKS = ("track1", "track2")


@dataclass(frozen=True)
class JudgeSpec:
    backend: str
    model: str = ""
    base_url: str = ""


def parse_judge_spec(spec: str) -> JudgeSpec:
    spec = spec.strip()
    if spec == "proxy":
        return JudgeSpec("proxy")
    if is_llm_spec(spec):
        parsed = parse_llm_spec(spec, what="judge")
        return JudgeSpec("openai", model=parsed.model, base_url=parsed.base_url or "")
    raise HumdialError(f"unknown judge spec; use {SPEC_HELP}")


def make_judge(spec: str, *, track: str = "track2", cache_dir: str | Path | None = None,
               cache_mode: CacheMode = "use", api_key_env: str = DEFAULT_KEY_ENV,
               settings: ClientSettings | None = None) -> Judge:
    """Build the judge a spec names for `track`, wrapped in a verdict cache when `cache_dir` is given.

    `proxy` is the track's own offline judge (Track 1: text, event and acoustic heuristics; Track 2:
    behaviour tags). In `replay` mode an LLM judge is never contacted: misses become judge_failed verdicts.
    """
    if track not in TRACKS:
        raise HumdialError(f"unknown track {track!r}; use one of {', '.join(TRACKS)}")
    if cache_mode not in CACHE_MODES:
        raise HumdialError(f"cache mode must be one of {', '.join(CACHE_MODES)}")
    parsed = parse_judge_spec(spec)
    judge: Judge
    if parsed.backend == "proxy" and track == "track1":
        from humdial.judge.proxy.track1_judge import Track1ProxyJudge

        judge = Track1ProxyJudge()
    elif parsed.backend == "proxy":
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
