"""Clocks for the duplex engine: one simulated (batch) and one real (live), with the same contract.

Honest batch timing: the simulated clock stands still while audio is fed, and every computation
run inside `compute()` advances it by the wall-clock time that computation really took. So an
output decided after a 300 ms ASR call lands at least 300 ms after the input it depended on, as it
would in a live system with one worker thread. The real clock sleeps until each frame's time and
lets compute time pass by itself.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator, Protocol


class Clock(Protocol):
    realtime: bool

    def now(self) -> float:
        """Seconds since the first input sample was presented."""
        ...

    def wait_until(self, t: float) -> None:
        """Block (or advance) until time t: the moment an input frame becomes available."""
        ...

    def compute(self, what: str) -> "ComputeSpan":
        """Context manager timing one computation; the clock reflects its duration afterwards."""
        ...


class ComputeSpan:
    """Result holder of one timed computation (wall seconds, filled in on exit)."""

    def __init__(self, what: str, started: float):
        self.what = what
        self.started = started
        self.wall_s = 0.0


class SimulatedClock:
    """Batch clock: advances to frame times and by measured compute time, never by sleeping."""

    realtime = False

    def __init__(self) -> None:
        self._now = 0.0
        self.compute_s = 0.0
        """Total measured compute time (for the real-time factor)."""

    def now(self) -> float:
        return self._now

    def wait_until(self, t: float) -> None:
        self._now = max(self._now, t)

    @contextmanager
    def compute(self, what: str) -> Iterator[ComputeSpan]:
        span = ComputeSpan(what, self._now)
        start = time.perf_counter()
        try:
            yield span
        finally:
            span.wall_s = time.perf_counter() - start
            self._now += span.wall_s
            self.compute_s += span.wall_s


class RealClock:
    """Live clock: time is the wall clock since construction; compute time passes by itself."""

    realtime = True

    def __init__(self) -> None:
        self._t0 = time.perf_counter()
        self.compute_s = 0.0

    def now(self) -> float:
        return time.perf_counter() - self._t0

    def wait_until(self, t: float) -> None:
        delay = t - self.now()
        if delay > 0:
            time.sleep(delay)

    @contextmanager
    def compute(self, what: str) -> Iterator[ComputeSpan]:
        span = ComputeSpan(what, self.now())
        start = time.perf_counter()
        try:
            yield span
        finally:
            span.wall_s = time.perf_counter() - start
            self.compute_s += span.wall_s
