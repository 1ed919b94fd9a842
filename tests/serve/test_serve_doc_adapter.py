"""The example adapter in docs/streaming.md runs as printed, and `stream_audio` talks to it."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from humdial.serve.client import stream_audio

DOC = Path(__file__).resolve().parents[2] / "docs" / "streaming.md"


def adapter_source() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### A minimal adapter", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_doc_adapter_parrots_one_second_later(tmp_path):
    script = tmp_path / "adapter.py"
    script.write_text(adapter_source())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(script), str(port)])
    try:
        deadline = time.monotonic() + 60
        while True:  # hang guard only
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "adapter did not start"
                time.sleep(0.1)
        x = (np.random.default_rng(1).uniform(-0.5, 0.5, 16000 * 2 + 123)).astype(np.float32)
        result = asyncio.run(asyncio.wait_for(stream_audio(f"ws://127.0.0.1:{port}", x, 16000, realtime=False), 120))
    finally:
        proc.terminate()
        proc.wait(10)
    assert result.error is None and result.stats["output_samples"] == len(x)
    quantised = np.round(x * 32768) / 32768
    np.testing.assert_allclose(result.output[16000:], quantised[:-16000], atol=1e-6)
    assert not result.output[:16000].any()
