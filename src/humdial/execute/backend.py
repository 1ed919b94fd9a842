"""Which engine runs the parallel stages: the local process pool or a Ray cluster.

Commands open the chosen engine once around their work (`use_executor`), and every `map_chunks`
call underneath (generation, the agent batch, transcribe and measure) runs on it without a
parameter threaded through each layer. `--jobs N` keeps its meaning: N local processes, or N Ray
worker actors (each loads its models once and keeps them for every chunk it is given).
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Executor
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

from humdial.errors import HumdialError

EXECUTORS: tuple[str, ...] = ("local", "ray")


@dataclass(frozen=True)
class ExecutorSpec:
    kind: str = "local"
    address: str | None = None
    """Ray only: an existing cluster (`HOST:PORT`, `ray://HOST:PORT` or `auto`); None starts a local instance."""

    def __post_init__(self) -> None:
        if self.kind not in EXECUTORS:
            raise HumdialError(f"unknown executor {self.kind!r}; executors are {', '.join(EXECUTORS)}")
        if self.address and self.kind != "ray":
            raise HumdialError("--ray-address needs --executor ray")


class _Session:
    """The engine of one command: built on first use (so a local run never imports ray), closed at the end."""

    def __init__(self, spec: ExecutorSpec):
        self.spec = spec
        self._remote = None

    def executor(self, jobs: int) -> Executor | None:
        if self.spec.kind == "local":
            return None
        if self._remote is None:
            from humdial.execute.ray_pool import RayExecutor

            self._remote = RayExecutor(self.spec.address, workers=jobs)
        return self._remote

    def close(self) -> None:
        if self._remote is not None:
            self._remote.shutdown()
            self._remote = None


_active: ContextVar[_Session | None] = ContextVar("humdial_executor", default=None)


@contextlib.contextmanager
def use_executor(spec: ExecutorSpec | None) -> Iterator[None]:
    """Run the enclosed `map_chunks` calls on `spec`'s engine (None or local: the process pool)."""
    session = _Session(spec or ExecutorSpec())
    token = _active.set(session)
    try:
        yield
    finally:
        _active.reset(token)
        session.close()


def remote_requested() -> bool:
    """Whether the enclosing command asked for a remote engine (without starting it)."""
    session = _active.get()
    return session is not None and session.spec.kind != "local"


def active_executor(jobs: int) -> Executor | None:
    """The enclosing command's remote executor, or None for the local pool."""
    session = _active.get()
    return session.executor(jobs) if session is not None else None
