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

from humdial.execute.backend import active_executor, remote_requested
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


class LazyExecutor(Executor):
    """An executor that starts the real one on its first `submit`, so work that turns out to be all cached
    never pays for workers (a warm Ray run used to spend about 12 s starting a local Ray instance for
    nothing). `owned`: shut the real one down with this one (a local pool), or leave it to its owner (the
    command's Ray session)."""

    def __init__(self, make: Callable[[], Executor], owned: bool):
        self._make = make
        self._owned = owned
        self._inner: Executor | None = None
        self._closed = False

    @property
    def started(self) -> bool:
        return self._inner is not None

    def submit(self, fn: Callable[..., R], /, *args, **kwargs):
        if self._closed:
            raise RuntimeError("cannot submit to an executor that was shut down")
        if self._inner is None:
            self._inner = self._make()
        return self._inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed = True
        if self._inner is not None and self._owned:
            self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)


@contextlib.contextmanager
def shared_pool(jobs: int) -> Iterator[Executor | None]:
    """One executor for several `map_chunks` calls in a row (pass it as `executor`).

    Why: each `map_chunks` without an executor starts `jobs` fresh processes, and every one of them pays
    Python's start-up, humdial's imports and its model loads again (`eval track2 --jobs 2` started four
    workers for two stages; a warm re-run spent most of its time on that). Inside a Ray session this is
    the session's executor; with `jobs` <= 1 it is None (in-process). Either way it starts on first use
    (`LazyExecutor`), and a local pool is shut down on exit, with pending chunks cancelled if the block raised.
    """
    if not remote_requested() and jobs <= 1:
        yield None
        return
    if remote_requested():
        pool = LazyExecutor(lambda: active_executor(jobs), owned=False)
    else:
        pool = LazyExecutor(lambda: local_pool(jobs), owned=True)
    try:
        yield pool
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def map_chunks(fn: Callable[[list[T]], list[R]], items: Sequence[T], jobs: int = 1, chunk_size: int = 16,
               description: str = "working", quiet: bool = False, executor: Executor | None = None,
               local: Callable[[T], bool] | None = None) -> list[R]:
    """Apply `fn` to chunks of `items`; results come back in input order (`fn` returns one result per item).

    `local(item)` True marks an item as cheap (its work is cached): such items run in this process, and
    when every item is cheap no worker is started at all. A wrong guess costs time, never results: the
    item is computed in-process instead. Without `local` every item goes to the executor.
    """
    if executor is None and jobs <= 1 and not remote_requested():
        local = lambda _item: True  # noqa: E731 - everything in-process, as before
    here = [i for i, item in enumerate(items) if local is not None and _cheap(local, item)]
    here_set = set(here)
    away = [i for i in range(len(items)) if i not in here_set]
    results: list[R | None] = [None] * len(items)
    with progress_bar(quiet) as bar:
        task = bar.add_task(description, total=len(items))
        pool, own, futures = None, False, {}
        try:
            if away:
                pool = executor or active_executor(jobs)
                if pool is None:
                    pool, own = local_pool(jobs), True
                futures = {pool.submit(fn, [items[i] for i in chunk]): chunk
                           for chunk in chunked(away, max(1, chunk_size))}
            for chunk in chunked(here, max(1, chunk_size)):
                _place(results, chunk, fn([items[i] for i in chunk]))
                bar.advance(task, len(chunk))
            for fut in as_completed(futures):
                _place(results, futures[fut], fut.result())
                bar.advance(task, len(futures[fut]))
        finally:
            if own and pool is not None:
                pool.shutdown(cancel_futures=True)
    return results  # type: ignore[return-value]


def _cheap(local: Callable[[T], bool], item: T) -> bool:
    """`local(item)`, with a failing guess counted as costly: the worker then meets (and records) the problem."""
    try:
        return bool(local(item))
    except Exception:  # noqa: BLE001 - only decides where the item runs
        return False


def _place(results: list, indices: list[int], chunk_results: list) -> None:
    if len(chunk_results) != len(indices):
        raise RuntimeError(f"a chunk of {len(indices)} items returned {len(chunk_results)} results")
    for i, r in zip(indices, chunk_results):
        results[i] = r
