"""The shipped cost profile v3: English entries CPU-timed, and the CPU timer sees the espeak-ng worker."""

from __future__ import annotations

import os
from time import process_time

import pytest

from humdial.agent.calibrate import TIMERS, cpu_time
from humdial.agent.costs import load_profile


def test_shipped_profile_is_v3_cpu_timed_and_says_so():
    profile = load_profile()
    assert (profile.name, profile.version) == ("humdial-default-2cpu", 3)
    assert profile.measured_on["timer"] == "cpu" and profile.measured_on["cpus"] == 2
    # v1/v2 priced an English tiny.en partial of 2 s at 0.45 s (wall-timed under load); its CPU time is ~0.2 s
    key, partial = profile.cost("asr", "whisper-partials", 2.0)
    assert key == "asr:whisper-partials" and 0.12 <= partial <= 0.32
    # the Chinese entry was already CPU-timed in v2 and is kept as it was
    assert profile.cost("asr", "whisper-partials-base", 2.0)[1] == pytest.approx(0.126868 + 2 * 0.074634)


def test_profile_notes_say_what_was_timed_how():
    import json
    from importlib import resources

    raw = json.loads(resources.files("humdial.agent").joinpath("data", "cost_profile_2cpu.json").read_text("utf-8"))
    notes = raw["notes"]
    assert "--timer cpu" in notes and "load average" in notes and "whisper-partials-base" in notes


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_cpu_timer_counts_the_forked_synthesis_worker():
    """espeak-ng synthesises in a forked child: `process_time()` alone would price synthesis at the fork."""
    assert TIMERS["cpu"] is cpu_time
    t0, p0 = cpu_time(), process_time()
    pid = os.fork()
    if pid == 0:  # child: burn 0.15 s of its own CPU time (not wall time: load cannot shorten it)
        start = process_time()
        while process_time() - start < 0.15:
            pass
        os._exit(0)
    os.waitpid(pid, 0)
    assert cpu_time() - t0 >= 0.14
    assert process_time() - p0 < 0.14
