"""shared_pool: one set of local workers for several map_chunks calls, in-process for one job."""

from __future__ import annotations

import os

import pytest

from humdial.execute.pool import map_chunks, shared_pool


def _tag_with_pid(chunk: list[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in chunk]


def _fail_on_three(chunk: list[int]) -> list[int]:
    if 3 in chunk:
        raise ValueError("three")
    return chunk


def test_two_stages_run_on_the_same_two_workers_and_keep_their_order():
    with shared_pool(2) as pool:
        first = map_chunks(_tag_with_pid, list(range(8)), jobs=2, chunk_size=1, quiet=True, executor=pool)
        second = map_chunks(_tag_with_pid, list(range(8, 16)), jobs=2, chunk_size=1, quiet=True, executor=pool)
    assert [item for item, _ in first + second] == list(range(16))
    workers = {pid for _, pid in first + second}
    assert os.getpid() not in workers
    assert len(workers) <= 2, "the second stage must reuse the first stage's workers, not start new ones"


def test_one_job_runs_in_process():
    with shared_pool(1) as pool:
        assert pool is None
        out = map_chunks(_tag_with_pid, [1, 2], jobs=1, quiet=True, executor=pool)
    assert {pid for _, pid in out} == {os.getpid()}


def test_an_error_in_a_chunk_reaches_the_caller_and_the_pool_is_shut_down():
    with pytest.raises(ValueError, match="three"):
        with shared_pool(2) as pool:
            map_chunks(_fail_on_three, list(range(6)), jobs=2, chunk_size=1, quiet=True, executor=pool)
    with pytest.raises(RuntimeError):
        pool.submit(_fail_on_three, [1])


def test_cached_items_run_in_process_and_start_no_worker():
    """A warm run: every item is marked cheap, so the pool never starts (no spawn, no Ray instance)."""
    with shared_pool(2) as pool:
        out = map_chunks(_tag_with_pid, list(range(6)), jobs=2, chunk_size=2, quiet=True, executor=pool,
                         local=lambda item: True)
        assert not pool.started
    assert out == [(i, os.getpid()) for i in range(6)]


def test_cheap_and_costly_items_are_split_and_keep_their_order():
    with shared_pool(2) as pool:
        out = map_chunks(_tag_with_pid, list(range(8)), jobs=2, chunk_size=2, quiet=True, executor=pool,
                         local=lambda item: item % 3 == 0)
        assert pool.started
    assert [item for item, _ in out] == list(range(8))
    here = {item for item, pid in out if pid == os.getpid()}
    assert here == {0, 3, 6}


def test_a_ray_session_is_not_started_when_everything_is_cached(monkeypatch):
    import humdial.execute.ray_pool as ray_pool
    from humdial.execute.backend import ExecutorSpec, use_executor

    class Refuse:
        def __init__(self, *args, **kwargs):
            raise AssertionError("Ray was started for cached work")

    monkeypatch.setattr(ray_pool, "RayExecutor", Refuse)
    with use_executor(ExecutorSpec("ray")):
        with shared_pool(2) as pool:
            out = map_chunks(_tag_with_pid, [1, 2, 3], jobs=2, quiet=True, executor=pool, local=lambda item: True)
        with pytest.raises(AssertionError, match="cached work"):
            map_chunks(_tag_with_pid, [4], jobs=2, quiet=True)  # real work does start it
    assert [item for item, _ in out] == [1, 2, 3]
