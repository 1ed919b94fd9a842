"""A real server on a free port (its own event-loop thread) and real clients; no test asserts on speed.

Timeouts here are hang guards only: a session's wall time is its input's duration plus the agent's
compute, which on a loaded machine can be several times longer."""

from __future__ import annotations

import time

import numpy as np
import pytest

HANG_S = 180.0
"""Hang guard only: never a statement about speed."""


@pytest.fixture
def wait_for():
    """wait_for(predicate, what): poll until the server's own threads have caught up (a hang guard, not a timer)."""

    def poll(predicate, what: str, timeout: float = HANG_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    return poll

@pytest.fixture(scope="session")
def models():
    """English agent without ASR and with the cheap spectral speaker encoder: the protocol tests exercise
    the transport, not the agent's understanding (which has its own tests)."""
    from humdial.agent.build import AgentKit
    from humdial.agent.config import AgentConfig
    from humdial.serve.session import Models

    kit = AgentKit.load(["en"], asr={"en": "none"},
                        config=AgentConfig(topic_similarity=False, speaker_encoder="spectral"))
    return Models.from_kit(kit)


@pytest.fixture
def serve(models, tmp_path):
    """serve(**options) -> a started BackgroundServer (stopped at teardown); its logs go to tmp_path/logs."""
    from humdial.serve.server import BackgroundServer, ServeOptions

    started = []

    def start(**kw):
        kw.setdefault("log_dir", tmp_path / "logs")
        server = BackgroundServer(models, ServeOptions(port=0, **kw)).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


@pytest.fixture(scope="session")
def query_audio(speech):
    """A spoken question then silence for the answer: (16 kHz samples, end of the question in seconds)."""
    q, _ = speech("Can you tell me how to make a good cup of coffee at home?")
    x = np.concatenate([np.zeros(4800, np.float32), q, np.zeros(16000 * 3, np.float32)])
    return x, (4800 + len(q)) / 16000
