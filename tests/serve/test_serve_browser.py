"""The live page in headless Chromium with a fake microphone playing a generated wav: the agent answers,
stops when the user talks over it, and the page shows the latencies. Debian's chromium driven by
Playwright (never a downloaded browser), as in tests/report/test_report_browser.py."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import soxr

CHROMIUM = Path(os.environ.get("HUMDIAL_CHROMIUM", "/usr/bin/chromium"))
HANG_MS = 180_000
"""Hang guard only: the page needs the wav's duration in real time plus the agent's compute."""


@pytest.fixture
def talk(speech, tmp_path):
    """A question, a pause for the answer, 'stop' spoken over the answer, then silence (48 kHz wav)."""
    q, _ = speech("Can you tell me how to make a good cup of coffee at home?")
    stop, _ = speech("Stop, stop please, that's enough.")
    lead = np.zeros(8000, np.float32)
    gap = np.zeros(int(4.0 * 16000), np.float32)
    tail = np.zeros(int(3.0 * 16000), np.float32)
    x = np.concatenate([lead, q, gap, stop, tail])
    path = tmp_path / "user.wav"
    sf.write(str(path), soxr.resample(x, 16000, 48000).astype(np.float32), 48000, subtype="PCM_16")
    q_end = (len(lead) + len(q)) / 16000
    stop_at = q_end + len(gap) / 16000
    return path, q_end, stop_at, stop_at + len(stop) / 16000, len(x) / 16000


def test_page_talks_listens_and_shows_latencies(serve, talk):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run the browser test")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[test])")
    wav, q_end, stop_at, stop_end, duration = talk
    server = serve()
    base = f"http://127.0.0.1:{server.server.port}/"
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}%noloop",
            "--autoplay-policy=no-user-gesture-required"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base)
        page.click("#start")
        page.wait_for_function("window.humdialLive.connected || window.humdialLive.error", timeout=HANG_MS)
        assert page.evaluate("window.humdialLive.error") is None
        # the whole wav has been played into the session (plus a second for the agent's reaction)
        page.wait_for_function(f"window.humdialLive.framesSent * 0.02 > {duration + 1.0}", timeout=HANG_MS)
        page.click("#stop")
        page.wait_for_function("window.humdialLive.ended", timeout=HANG_MS)
        live = page.evaluate("""() => { const l = window.humdialLive;
            return {states: l.states.map(s => [s.t, s.to]), latencies: l.latencies.map(m => ({kind: m.kind, from_t: m.from_t,
                    to_t: m.to_t, latency_s: m.latency_s})), e2e: l.endToEnd, agentFrames: l.agentAudioFrames,
                    levels: l.agentLevels, rate: l.rate, error: l.error}; }""")
        rows = page.locator("#latencies tbody tr")
        row_texts = [rows.nth(i).inner_text() for i in range(rows.count())]
        summary = page.inner_text("#latency-summary")
        page.screenshot(path=str(wav.with_name("page.png")))
        browser.close()

    assert errors == [] and live["error"] is None, (errors, live["error"])
    assert all(u.startswith(base) or u.startswith(("blob:", "data:")) for u in requests), requests  # no CDN
    # the agent answered: its voice came back, after the question ended
    assert live["agentFrames"] > 10
    first_voice = next(t for t, v in live["levels"] if v > 1e-3)
    assert first_voice > q_end - 0.1
    states = [s for _, s in live["states"]]
    assert states[:3] == ["USER_SPEAKING", "THINKING", "SPEAKING"]
    # it stopped when talked over: a PAUSED state and a stop latency mark after the interruption began,
    # and its voice is silent from shortly after the stop until the user finished
    kinds = [m["kind"] for m in live["latencies"]]
    assert "response" in kinds and "stop" in kinds, live["latencies"]
    stop = next(m for m in live["latencies"] if m["kind"] == "stop")
    assert stop["from_t"] >= stop_at - 0.3 and "PAUSED" in states
    quiet = [v for t, v in live["levels"] if stop["to_t"] + 0.1 <= t <= stop_end]
    # mostly silent: page-side playback buffering can still play a few ms of the paused sentence
    assert quiet and sum(v < 1e-3 for v in quiet) >= 0.8 * len(quiet), quiet
    # the page shows the latencies: the agent's and the measured end-to-end one
    assert any("reply" in r and " ms" in r for r in row_texts) and any(r.startswith("stop") for r in row_texts)
    assert live["e2e"] and all(m["seconds"] > 0 for m in live["e2e"])
    assert "mean reply" in summary and "–" not in summary.split(";")[0]
