"""Clocks for the duplex engine: three ways to let computation take time, with one contract.

The batch clocks stand still while audio is fed and advance only when a computation runs inside
`compute()`, so an output decided after a 300 ms ASR call lands at least 300 ms after the input it
depended on, as it would in a live system with one worker thread. They differ in what a computation
is charged:

- `CostClock` (`--clock cost`, the default): a fixed cost from a calibrated cost profile
  (`agent/costs.py`), computed from the size of the work (frames, audio seconds). It never reads
  wall time, so the same input gives byte-identical outputs and event logs whatever the machine's
  load: the reproducible mode, and the one every test runs under.
- `WallClock` (`--clock wall`): the measured wall time of the computation. Honest about this machine
  at this moment, therefore load-dependent.
- `RealClock` (`--realtime`, live serving): time is the wall clock; compute time passes by itself.
"""

from __future__ import annotations

from contextlib import contextmanager
from time import perf_counter, sleep
from typing import ContextManager, Iterator, Protocol

from humdial.agent.costs import CostProfile, load_profile
from humdial.errors import HumdialError

CLOCK_MODES = ("cost", "wall", "real")


class ComputeSpan:
    """One charged computation. `units` is the size of the work (frames, audio seconds); code inside
    the block may set it once the size is known (synthesis: seconds of audio produced). `cost_s` is
    filled in on exit: the time the clock charged (profile cost, or measured wall time)."""

    def __init__(self, what: str, variant: str, units: float, started: float):
        self.what, self.variant, self.units, self.started = what, variant, units, started
        self.cost_s = 0.0
        self.cost_key = ""
        """Profile entry that priced it (cost clock); empty for the wall and real clocks."""


class Clock(Protocol):
    mode: str
    realtime: bool
    charged_s: float
    """Total compute time charged so far (the session's compute budget on this clock)."""

    def now(self) -> float:
        """Seconds since the first input sample was presented."""
        ...

    def wait_until(self, t: float) -> None:
        """Block (or advance) until time t: the moment an input frame becomes available."""
        ...

    def compute(self, what: str, variant: str = "", units: float = 1.0) -> ContextManager[ComputeSpan]:
        """Context manager around one computation; the clock reflects its cost afterwards."""
        ...

    def describe(self) -> dict:
        """Provenance for the event log and the run summary."""
        ...


class _BatchClock:
    """Time that moves only with the input and with charged computation (never waits)."""

    realtime = False

    def __init__(self) -> None:
        self._now = 0.0
        self.charged_s = 0.0

    def now(self) -> float:
        return self._now

    def wait_until(self, t: float) -> None:
        self._now = max(self._now, t)


class CostClock(_BatchClock):
    """Batch clock charging each computation its profile cost; never reads wall time."""

    mode = "cost"

    def __init__(self, profile: CostProfile) -> None:
        super().__init__()
        self.profile = profile

    @contextmanager
    def compute(self, what: str, variant: str = "", units: float = 1.0) -> Iterator[ComputeSpan]:
        span = ComputeSpan(what, variant, units, self._now)
        yield span  # an exception inside is charged nothing: the work is abandoned, not priced
        span.cost_key, span.cost_s = self.profile.cost(what, variant, span.units)
        self._now += span.cost_s
        self.charged_s += span.cost_s

    def describe(self) -> dict:
        return {"clock": self.mode, "cost_profile": self.profile.provenance()}


class WallClock(_BatchClock):
    """Batch clock charging each computation its measured wall time (load-dependent, honest)."""

    mode = "wall"

    @contextmanager
    def compute(self, what: str, variant: str = "", units: float = 1.0) -> Iterator[ComputeSpan]:
        span = ComputeSpan(what, variant, units, self._now)
        start = perf_counter()
        try:
            yield span
        finally:
            span.cost_s = perf_counter() - start
            self._now += span.cost_s
            self.charged_s += span.cost_s

    def describe(self) -> dict:
        return {"clock": self.mode}


class RealClock:
    """Live clock: time is the wall clock since construction; compute time passes by itself."""

    mode = "real"
    realtime = True

    def __init__(self) -> None:
        self._t0 = perf_counter()
        self.charged_s = 0.0

    def now(self) -> float:
        return perf_counter() - self._t0

    def wait_until(self, t: float) -> None:
        delay = t - self.now()
        if delay > 0:
            sleep(delay)

    @contextmanager
    def compute(self, what: str, variant: str = "", units: float = 1.0) -> Iterator[ComputeSpan]:
        span = ComputeSpan(what, variant, units, self.now())
        start = perf_counter()
        try:
            yield span
        finally:
            span.cost_s = perf_counter() - start
            self.charged_s += span.cost_s

    def describe(self) -> dict:
        return {"clock": self.mode}


def make_clock(mode: str = "cost", profile: CostProfile | None = None) -> Clock:
    """'cost' (with `profile`, default: the shipped one), 'wall' or 'real'."""
    if mode == "cost":
        return CostClock(profile or load_profile())
    if mode == "wall":
        return WallClock()
    if mode == "real":
        return RealClock()
    raise HumdialError(f"unknown clock {mode!r}; use one of {', '.join(CLOCK_MODES)}")
