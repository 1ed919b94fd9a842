"""Ask a judge many requests with a bounded number in flight, handing each verdict on as it returns.

Why: an LLM judge (e.g. vLLM serving Qwen3-Omni) is bound by round trips, not by this process, and a
server batches the requests it holds at once; one request at a time leaves it idle. The pool is
bounded (`workers`) so a hosted API is not flooded, and every verdict is passed to `on_done` the
moment it exists, so a cache can store it at once: a run killed half-way keeps every answer it got.
An exception from one request becomes that request's judge_failed verdict; it never loses the others.
"""

from __future__ import annotations

import inspect
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Sequence

from humdial.judge.base import Judge, JudgeRequest, Parser, Verdict

DoneCallback = Callable[[int, Verdict], None]
"""Called once per request, with its index and verdict, as soon as the verdict exists (in the caller's thread)."""


def judge_each(ask: Callable[[JudgeRequest], Verdict], requests: Sequence[JudgeRequest], workers: int,
               fail: Callable[[JudgeRequest, str], Verdict], on_done: DoneCallback | None = None) -> list[Verdict]:
    """Verdicts of `ask` over `requests` in input order, at most `workers` in flight (1 = in this thread).

    `fail(request, message)` builds the verdict for a request whose `ask` raised.
    """
    results: list[Verdict | None] = [None] * len(requests)

    def settle(i: int, verdict: Verdict) -> None:
        results[i] = verdict
        if on_done is not None:
            on_done(i, verdict)

    def guarded(request: JudgeRequest) -> Verdict:
        try:
            return ask(request)
        except Exception as exc:  # noqa: BLE001 - one request's failure must not lose the others' answers
            return fail(request, f"{type(exc).__name__}: {exc}")

    if workers <= 1 or len(requests) <= 1:
        for i, request in enumerate(requests):
            settle(i, guarded(request))
        return [v for v in results if v is not None]
    with ThreadPoolExecutor(max_workers=min(workers, len(requests)), thread_name_prefix="judge") as pool:
        pending: dict[Future, int] = {}
        queue = iter(enumerate(requests))
        for i, request in queue:  # fill the pool, then submit one more each time one returns
            pending[pool.submit(guarded, request)] = i
            if len(pending) >= workers:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                settle(pending.pop(future), future.result())
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(guarded, nxt[1])] = nxt[0]
    return [v for v in results if v is not None]


def takes_on_done(judge: Judge) -> bool:
    """Whether `judge.judge_many` accepts the optional `on_done` callback."""
    try:
        params = inspect.signature(judge.judge_many).parameters
    except (TypeError, ValueError):
        return False
    return "on_done" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def judge_with_progress(judge: Judge, requests: Sequence[JudgeRequest], parse: Parser, description: str,
                        quiet: bool = False) -> list[Verdict]:
    """`judge.judge_many` with a progress bar on stderr that advances as each verdict returns.

    A judge whose judge_many takes no `on_done` (a test double, a third-party judge) still works: its
    bar advances once, when the whole batch returns.
    """
    from rich.console import Console

    from humdial.execute.pool import progress_bar

    with progress_bar(quiet, console=Console(file=sys.stderr)) as bar:
        task = bar.add_task(description, total=len(requests))
        if takes_on_done(judge):
            return judge.judge_many(requests, parse, on_done=lambda _i, _v: bar.advance(task))  # type: ignore[call-arg]
        verdicts = judge.judge_many(requests, parse)
        bar.advance(task, len(requests))
        return verdicts
