"""A concurrent.futures Executor over a pool of Ray actors, so models load once per worker.

Each actor is a long-lived process: the functions it runs keep their per-process caches (the ASR
router, the VAD session, the TTS voices), so a worker loads each model once and reuses it for every
chunk it is sent. Chunks go to the actors in turn; results come back as ordinary futures, so
`map_chunks` keeps its ordering and progress bar. Without an address a local Ray instance is
started with `workers` CPUs; with one, the pool joins that cluster (humdial must be installed on
every node, see docs/scale.md).
"""

from __future__ import annotations

import socket
from concurrent.futures import Executor, Future
from typing import Any, Callable
from urllib.parse import urlsplit

from humdial.errors import HumdialError

INSTALL_HINT = "the Ray executor needs the ray extra: pip install 'humdial[ray]'"
CONNECT_TIMEOUT_S = 5.0
"""How long to wait for the cluster's head port before failing with a clear error (ray itself retries for minutes)."""


def require_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise HumdialError(INSTALL_HINT) from None
    return ray


def check_reachable(address: str) -> None:
    """Fail fast with one line when `HOST:PORT` (or ray://HOST:PORT) does not answer; `auto` is left to ray."""
    if address == "auto":
        return
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise HumdialError(f"--ray-address {address!r} is not HOST:PORT, ray://HOST:PORT or auto")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise HumdialError(f"cannot reach the Ray cluster at {address} ({exc}); start one with "
                           "`ray start --head` or drop --ray-address to run a local instance") from None


class _Worker:
    """The actor body: runs whatever chunk function it is sent, in its own long-lived process."""

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return fn(*args)


class RayExecutor(Executor):
    """`workers` actors of one CPU each; starts (and later stops) a local Ray instance when none is running."""

    def __init__(self, address: str | None = None, workers: int = 1):
        ray = require_ray()
        self._ray = ray
        self._owns_ray = False
        if not ray.is_initialized():
            if address:
                check_reachable(address)
            try:
                ray.init(address=address, num_cpus=None if address else max(1, workers),
                         include_dashboard=False, log_to_driver=False, configure_logging=False)
            except Exception as exc:  # ray raises ConnectionError, RuntimeError, ValueError...
                raise HumdialError(f"cannot start or join Ray ({address or 'local instance'}): {exc}") from None
            self._owns_ray = True
        actor = ray.remote(num_cpus=1)(_Worker)
        self._actors = [actor.remote() for _ in range(max(1, workers))]
        self._next = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if kwargs:
            raise TypeError("RayExecutor.submit takes positional arguments only")
        actor = self._actors[self._next % len(self._actors)]
        self._next += 1
        return actor.run.remote(fn, *args).future()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._owns_ray:
            self._ray.shutdown()
            self._owns_ray = False
