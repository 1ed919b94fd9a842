"""Judge layer figures: proxy judge throughput, and client + cache overhead against a local server.

    .venv/bin/python benchmarks/judge_bench.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "judge"))

from judge_cases import CASES, EXTRA_CASES, sample  # noqa: E402
from judge_server import JudgeServer  # noqa: E402

from humdial.judge.cache import CachedJudge, VerdictCache  # noqa: E402
from humdial.judge.client import ClientSettings, OpenAIJudge  # noqa: E402
from humdial.judge.proxy import ProxyJudge  # noqa: E402
from humdial.judge.track2_behaviour import behaviour_request, parse_behaviour  # noqa: E402


def main() -> None:
    cases = {**CASES, **EXTRA_CASES}
    requests = [behaviour_request(sample(lang, ov, after)) for (lang, _), (ov, after, _) in cases.items()] * 10
    proxy = ProxyJudge()
    t0 = time.perf_counter()
    proxy.judge(requests[0], parse_behaviour)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    verdicts = proxy.judge_many(requests, parse_behaviour)
    took = time.perf_counter() - t0
    correct = sum(v.parsed["behaviour"][0] == exp for v, (_, _, exp) in zip(verdicts, list(cases.values()) * 10))
    print(f"proxy judge: {len(requests) / took:.1f} samples/s on this machine (first call incl. encoder load "
          f"{load:.2f} s); constructed cases correct {correct}/{len(requests)}")

    distinct = [behaviour_request(sample(lang, ov, after), first_query_end=1.5 + k * 1e-3)
                for k in range(10) for (lang, _), (ov, after, _) in cases.items()]
    requests = distinct
    with tempfile.TemporaryDirectory() as tmp, JudgeServer() as server:
        judge = CachedJudge(OpenAIJudge("bench", server.url, settings=ClientSettings(concurrency=8)),
                            VerdictCache(tmp))
        t0 = time.perf_counter()
        judge.judge_many(requests, parse_behaviour)
        live = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = judge.judge_many(requests, parse_behaviour)
        cached = time.perf_counter() - t0
    print(f"client vs local server: {len(requests) / live:.0f} requests/s live (concurrency 8, "
          f"{len(server.requests)} HTTP calls for {len(requests)} requests); cache replay {len(requests) / cached:.0f} verdicts/s, "
          f"{sum(v.cached for v in again)}/{len(again)} from cache")


if __name__ == "__main__":
    main()
