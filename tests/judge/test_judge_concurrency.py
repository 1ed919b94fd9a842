"""Concurrent judge requests: the bounded pool fills, verdicts equal a sequential run, each is cached as it
returns, and one failing request never loses the others (humdial.judge.concurrent)."""

from __future__ import annotations

import json
import threading
import time

import pytest

from humdial.judge.base import ContentPart, JudgeRequest, answered_verdict
from humdial.judge.cache import CachedJudge, VerdictCache
from humdial.judge.client import ClientSettings, OpenAIJudge
from humdial.judge.concurrent import judge_each, judge_with_progress, takes_on_done
from humdial.judge.track2_behaviour import parse_behaviour
from judge_server import JudgeServer, Reply, deterministic_tag

WAIT_FOR_POOL_S = 20.0
"""How long the stub holds a request while waiting for the pool to fill; only reached when the client is
broken (sequential), so the test never depends on machine speed."""


def settings(concurrency: int) -> ClientSettings:
    return ClientSettings(timeout_s=60.0, max_retries=1, max_reasks=0, backoff_base_s=0.01, backoff_max_s=0.02,
                          concurrency=concurrency)


def request(i: int) -> JudgeRequest:
    return JudgeRequest("track2_behaviour", "1", "Tag it.", (ContentPart.of_text(f"sample {i}"),),
                        metadata={"sample_id": f"s{i}"})


class PoolServer(JudgeServer):
    """Holds every request until `n` are in flight at once (once), then answers each after a short latency."""

    def __init__(self, n: int, latency_s: float = 0.05, bad: frozenset[str] = frozenset()):
        self.filled = threading.Event()

        def script(call: int, body: dict) -> Reply:
            deadline = time.monotonic() + WAIT_FOR_POOL_S
            while not self.filled.is_set() and time.monotonic() < deadline:
                if self.in_flight >= n:
                    self.filled.set()
                time.sleep(0.005)
            if body["messages"][-1]["content"] in bad:
                return Reply(content="not json at all", delay_s=latency_s)
            return Reply(content=json.dumps({"behaviour": [deterministic_tag(body)]}), delay_s=latency_s)

        super().__init__(script, lifetime_s=120.0)


@pytest.mark.parametrize("n", [1, 4])
def test_pool_reaches_n_in_flight_and_never_more(n):
    with PoolServer(n) as server:
        verdicts = OpenAIJudge("m", server.url, settings=settings(n)).judge_many(
            [request(i) for i in range(10)], parse_behaviour)
    assert server.max_in_flight == n
    assert [v.status for v in verdicts] == ["ok"] * 10


def test_concurrent_verdicts_equal_the_sequential_run(tmp_path):
    requests = [request(i) for i in range(9)]
    with PoolServer(1) as server:
        sequential = OpenAIJudge("m", server.url, settings=settings(1)).judge_many(requests, parse_behaviour)
    with PoolServer(3) as server:
        judge = CachedJudge(OpenAIJudge("m", server.url, settings=settings(3)), VerdictCache(tmp_path))
        concurrent = judge.judge_many(requests, parse_behaviour)
    assert server.max_in_flight == 3
    assert [v.parsed for v in concurrent] == [v.parsed for v in sequential]
    assert [v.raw for v in concurrent] == [v.raw for v in sequential]


def test_each_answer_is_cached_as_it_returns_and_a_bad_one_loses_nothing(tmp_path):
    cache = VerdictCache(tmp_path)
    requests = [request(i) for i in range(8)]
    seen: list[tuple[int, str, bool]] = []

    def on_done(i: int, verdict) -> None:  # the cache already holds every final verdict when it is reported
        seen.append((i, verdict.status, cache.get(verdict.request_key) is not None))

    with PoolServer(4, bad=frozenset({"sample 5"})) as server:
        judge = CachedJudge(OpenAIJudge("m", server.url, settings=settings(4)), cache)
        verdicts = judge.judge_many(requests, parse_behaviour, on_done=on_done)
    assert sorted(i for i, _, _ in seen) == list(range(8))
    assert all(stored for _, status, stored in seen if status == "ok")
    assert [v.status for v in verdicts] == ["ok"] * 5 + ["parse_failed"] + ["ok"] * 2
    assert len(cache) == 7  # parse_failed is not stored: a re-run against a healthy judge asks again


class Exploding:
    """A judge whose request 3 raises: the others must still come back, and be cached."""

    name = "exploding"

    def describe(self) -> dict:
        return {"model": "x"}

    def judge(self, req: JudgeRequest, parse):
        if req.parts[0].text == "sample 3":
            raise RuntimeError("connection pool exploded")
        return answered_verdict(self.name, "x", req, '{"behaviour": ["C_RESUME"]}', parse)


def test_an_exception_in_one_request_becomes_its_verdict_only(tmp_path):
    judge = CachedJudge(Exploding(), VerdictCache(tmp_path))
    verdicts = judge.judge_many([request(i) for i in range(6)], parse_behaviour)
    assert [v.status for v in verdicts] == ["ok"] * 3 + ["judge_failed"] + ["ok"] * 2
    assert "connection pool exploded" in verdicts[3].error
    assert len(VerdictCache(tmp_path)) == 5  # failures are not cached: a re-run retries them


def test_judge_each_keeps_input_order_with_out_of_order_completion():
    release = {i: threading.Event() for i in range(4)}

    def ask(req: JudgeRequest):
        i = int(req.parts[0].text.split()[1])
        if i < 3:
            release[i + 1].wait(10)  # 0 waits for 1, 1 for 2...: the last one finishes first
        release[i].set()
        return answered_verdict("t", "m", req, json.dumps({"behaviour": [f"C_{i}"]}), json.loads)

    order: list[int] = []
    verdicts = judge_each(ask, [request(i) for i in range(4)], 4, lambda r, m: None, lambda i, v: order.append(i))
    assert [v.parsed["behaviour"][0] for v in verdicts] == ["C_0", "C_1", "C_2", "C_3"]
    # every answer reported once; when each callback runs after its release is up to the scheduler
    assert sorted(order) == [0, 1, 2, 3]


def test_progress_works_for_judges_without_on_done():
    class Plain:
        name = "plain"

        def judge_many(self, requests, parse):
            return [answered_verdict("plain", "m", r, '{"behaviour": ["C_RESUME"]}', parse) for r in requests]

    assert not takes_on_done(Plain())
    verdicts = judge_with_progress(Plain(), [request(i) for i in range(3)], parse_behaviour, "judge", quiet=True)
    assert [v.status for v in verdicts] == ["ok"] * 3


def test_progress_bar_goes_to_stderr_and_counts_every_verdict(capsys, tmp_path):
    judge = CachedJudge(Exploding(), VerdictCache(tmp_path))
    verdicts = judge_with_progress(judge, [request(i) for i in range(5)], parse_behaviour, "Track 2 judge")
    assert len(verdicts) == 5
    captured = capsys.readouterr()
    assert "Track 2 judge" in captured.err and "5/5" in captured.err
    assert "Track 2 judge" not in captured.out


def test_judge_concurrency_flag_reaches_the_client_in_both_eval_commands():
    from humdial.cli import build_parser
    from humdial.commands import options
    from humdial.judge.spec import make_judge

    assert options.DEFAULT_JUDGE_CONCURRENCY == ClientSettings().concurrency
    for argv in (["eval", "track2", "--data", "d", "--out", "o"],
                 ["eval", "track1", "--gold", "g", "--submission", "s", "--out", "o"]):
        args = build_parser().parse_args([*argv, "--judge-concurrency", "7"])
        judge = make_judge("openai:m@http://127.0.0.1:9/v1", settings=options.judge_settings(args))
        assert judge.concurrency == 7
        assert options.judge_settings(build_parser().parse_args(argv)).concurrency == 4
        with pytest.raises(SystemExit):
            build_parser().parse_args([*argv, "--judge-concurrency", "0"])
