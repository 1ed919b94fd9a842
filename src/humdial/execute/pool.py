"""Parallel map over chunks of items with a rich progress bar.

`jobs=1` runs in-process (easy to debug); more jobs use a spawn-context process pool so
each worker builds its own ONNX sessions. Any concurrent.futures Executor can be passed instead;
inside `humdial.execute.backend.use_executor(ExecutorSpec("ray"))` the Ray actor pool is used.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from typing import Callable, Iterator, Sequence, TypeVar

from humdial.execute.backend import active_executor
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

T = TypeVar("T")
R = TypeVar("R")


def progress_bar(quiet: bool = False, console: Console | None = None) -> Progress:
    """The bar every long stage shows; on stderr unless `console` says otherwise, so stdout carries only
    results and can be piped."""
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), disable=quiet, transient=False,
                    console=console or Console(stderr=True))


def local_pool(jobs: int) -> ProcessPoolExecutor:
    """`jobs` spawn-context worker processes (spawn: each builds its own ONNX and CTranslate2 sessions)."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


@contextlib.contextmanager
def shared_pool(jobs: int) -> Iterator[Executor | None]:
    """One executor for several `map_chunks` calls in a row (pass it as `executor`).

    Why: each `map_chunks` without an executor starts `jobs` fresh processes, and every one of them pays
    Python's start-up, humdial's imports and its model loads again (`eval track2 --jobs 2` started four
    workers for two stages; a warm re-run spent most of its time on that). Inside a Ray session this is
    the session's executor; with `jobs` <= 1 it is None (in-process). The pool is shut down on exit,
    with pending chunks cancelled if the block raised.
    """
    remote = active_executor(jobs)
    if remote is not None or jobs <= 1:
        yield remote
        return
    pool = local_pool(jobs)
    try:
        yield pool
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def map_chunks(fn: Callable[[list[T]], list[R]], items: Sequence[T], jobs: int = 1, chunk_size: int = 16,
               description: str = "working", quiet: bool = False, executor: Executor | None = None) -> list[R]:
    """Apply `fn` to chunks of `items`; results come back in input order."""
    if executor is None:
        executor = active_executor(jobs)
    chunks = chunked(items, max(1, chunk_size))
    results: list[list[R] | None] = [None] * len(chunks)
    with progress_bar(quiet) as bar:
        task = bar.add_task(description, total=len(items))
        if executor is None and jobs <= 1:
            for k, chunk in enumerate(chunks):
                results[k] = fn(chunk)
                bar.advance(task, len(chunk))
        else:
            own = executor is None
            pool = executor or local_pool(jobs)
            try:
                futures = {pool.submit(fn, chunk): k for k, chunk in enumerate(chunks)}
                for fut in as_completed(futures):
                    k = futures[fut]
                    results[k] = fut.result()
                    bar.advance(task, len(chunks[k]))
            finally:
                if own:
                    pool.shutdown(cancel_futures=True)
    return [r for chunk in results for r in (chunk or [])]
