"""`humdial serve` for real: a server on a free port, real WebSocket clients, bad ones included."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.request

import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from humdial.serve.client import stream_audio
from humdial.serve.protocol import encode_frame
from humdial.serve.session import SessionLimits

HANG_S = 180.0
"""Hang guard only (see conftest): never a statement about speed."""


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, HANG_S))


async def raw_session(url: str, first: str | bytes, then: list[bytes | str] = ()) -> tuple[list, int | None]:
    """Send messages, collect what comes back until the server closes; (messages, close code)."""
    got = []
    async with connect(url, compression=None) as ws:
        for m in (first, *then):
            try:
                await ws.send(m)
            except ConnectionClosed:
                break
        try:
            async for m in ws:
                got.append(json.loads(m) if isinstance(m, str) else m)
        except ConnectionClosed:
            pass
    return got, ws.close_code


START = json.dumps({"type": "start", "language": "en", "input_rate": 16000, "output_rate": 16000, "name": "t"})


def test_session_answers_with_aligned_output_and_writes_its_log(serve, query_audio, tmp_path):
    x, q_end = query_audio
    server = serve()
    result = run(stream_audio(server.url, x, 16000, "en", "sample one", output_rate=24000))
    assert result.error is None, result.error
    assert len(result.output) == int(round(len(x) * 24000 / 16000))
    assert result.stats["output_samples"] == len(result.output)  # the server sent exactly the input's length
    assert result.stats["close_code"] == 1000
    states = [e["to"] for e in result.events if e["type"] == "state"]
    assert states[:3] == ["USER_SPEAKING", "THINKING", "SPEAKING"]
    latency = [e for e in result.events if e["type"] == "latency" and e["kind"] == "response"]
    assert latency and latency[0]["from_t"] <= latency[0]["to_t"]
    first_audio = np.flatnonzero(np.abs(result.output) > 1e-3)
    assert first_audio.size and first_audio[0] / 24000 > q_end - 0.1  # answered, and not before the question ended
    logs = list((tmp_path / "logs").glob("sample_one.*.events.jsonl"))
    assert len(logs) == 1
    events = [json.loads(line) for line in logs[0].read_text().splitlines()]
    assert [e["name"] for e in events if e["type"] == "system"] == ["start", "end"]
    assert any(e["type"] == "reply" for e in events)


def test_resampled_rates_keep_the_length(serve):
    server = serve()
    x = np.zeros(int(1.3 * 48000), np.float32)
    result = run(stream_audio(server.url, x, 48000, "en", output_rate=22050, frame_ms=25, realtime=False))
    assert result.error is None and len(result.output) == int(round(1.3 * 22050))
    assert result.stats["output_samples"] == len(result.output)


@pytest.mark.parametrize("first,then,code,close", [
    ("hello", [], "bad_json", 1002),
    (b"\x00\x01" * 320, [], "bad_start", 1002),
    (json.dumps({"type": "start", "input_rate": 11025}), [], "bad_rate", 1007),
    (START, [b"\x00" * 641], "bad_frame", 1007),  # odd byte count
    (START, [b"\x00" * 2 * 960], "bad_frame", 1007),  # 48 kHz frames declared as 16 kHz
    (START, [json.dumps({"type": "dance"})], "bad_message", 1002),
    (START, [b"\x00" * 640, "{not json"], "bad_json", 1002),
])
def test_garbage_gets_a_clear_error_and_a_close(serve, first, then, code, close):
    server = serve()
    got, close_code = run(raw_session(server.url, first, then))
    errors = [m for m in got if isinstance(m, dict) and m.get("type") == "error"]
    assert errors and errors[-1]["code"] == code and errors[-1]["message"]
    assert close_code == close
    # the server is still up and serves the next session
    ok = run(stream_audio(server.url, np.zeros(8000, np.float32), 16000, realtime=False))
    assert ok.error is None


def test_page_and_health_over_http(serve):
    server = serve()
    base = f"http://127.0.0.1:{server.server.port}"
    with urllib.request.urlopen(base + "/", timeout=30) as r:
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/html")
        assert b"<html" in r.read().lower()
    with urllib.request.urlopen(base + "/healthz", timeout=30) as r:
        assert json.loads(r.read())["max_sessions"] == 16
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(base + "/etc/passwd", timeout=30)
    assert err.value.code == 404


def test_vanishing_client_is_cancelled_and_others_go_on(serve, query_audio, wait_for):
    server = serve()
    x, _ = query_audio

    async def vanish():
        ws = await connect(server.url, compression=None)
        await ws.send(START)
        for k in range(40):
            await ws.send(encode_frame(np.zeros(320, np.float32)))
        await asyncio.sleep(0.3)
        ws.transport.abort()  # no close frame: the process died or the network went away

    async def both():
        return await asyncio.gather(vanish(), stream_audio(server.url, x, 16000, "en", "survivor"))

    _, survivor = run(both())
    assert survivor.error is None and len(survivor.output) == len(x)
    wait_for(lambda: any(f.get("outcome") == "cancelled" for f in server.server.finished), "the cancelled session")
    wait_for(lambda: not server.server.active, "no session left running")
    logs = {p.name: p.read_text() for p in (server.server.options.log_dir).glob("*.events.jsonl")}
    cancelled = [text for text in logs.values() if '"name": "cancel"' in text]
    assert len(cancelled) == 1 and "vanished" in cancelled[0]


def test_client_that_stops_reading_is_closed_without_blocking_others(serve, query_audio, wait_for):
    server = serve(limits=SessionLimits(out_backlog_s=1.0), send_buffer=4096)
    x, _ = query_audio

    async def deaf():
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", server.server.port))
        ws = await connect(server.url, sock=sock, compression=None, max_queue=1)
        await ws.send(START)
        try:
            for k in range(40 * 50):  # 40 s of input, never reading the answer
                await ws.send(encode_frame(np.zeros(320, np.float32)))
                await asyncio.sleep(0.005)
                if any(f.get("outcome") == "client_not_reading" for f in server.server.finished):
                    break
        except ConnectionClosed:
            pass
        ws.transport.abort()

    async def both():
        return await asyncio.gather(deaf(), stream_audio(server.url, x, 16000, "en", "reader"))

    _, reader = run(both())
    assert reader.error is None and len(reader.output) == len(x)
    wait_for(lambda: any(f.get("outcome") == "client_not_reading" for f in server.server.finished),
             "the deaf session to be ended")


def test_ten_sessions_at_once(serve, query_audio, wait_for):
    server = serve()
    x, _ = query_audio
    short = x[: 16000 * 2]

    async def many():
        return await asyncio.gather(*(stream_audio(server.url, short, 16000, "en", f"s{i}", realtime=False)
                                      for i in range(10)))

    results = run(many())
    assert [r.error for r in results] == [None] * 10
    assert all(len(r.output) == len(short) and r.stats["output_samples"] == len(short) for r in results)
    wait_for(lambda: len([f for f in server.server.finished if f.get("outcome") == "ok"]) == 10, "ten ok sessions")


def test_session_limit_answers_overloaded(serve):
    server = serve(max_sessions=1)

    async def two():
        first = asyncio.create_task(stream_audio(server.url, np.zeros(16000 * 2, np.float32), 16000))
        await asyncio.sleep(0)
        while not server.server.active:
            await asyncio.sleep(0.02)
        second = await raw_session(server.url, START)
        return await first, second

    first, (got, code) = run(two())
    assert first.error is None
    assert code == 1013 and got[0]["code"] == "overloaded"


def test_a_short_frame_must_be_the_last(serve):
    server = serve()
    got, code = run(raw_session(server.url, START, [b"\x00" * 200, b"\x00" * 640]))
    assert code == 1007 and [m["code"] for m in got if isinstance(m, dict) and m["type"] == "error"] == ["bad_frame"]
