"""Client side of the streaming protocol: play one input into a live system in real time and record
its answer sample-aligned with the input (the engine of `humdial stream`).

Frame k of the input (`frame_ms` long) is sent when it would have been recorded, at
start + (k+1) * frame; the system's output stream is placed by sample count, so the written output
has exactly the input's length. How late each output frame arrived against that schedule (lag),
how late each input frame left (send jitter), and any output the system never sent (dropped) are
measured and returned with the audio.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidURI, InvalidHandshake

from humdial.audio.io import from_pcm16
from humdial.serve.protocol import MAX_FRAME_MS, MIN_FRAME_MS, Start, encode_frame

LATE_S = 0.2
"""An output frame arriving this much after its slot counts as late: a live listener with a typical
200 ms playout buffer would have heard a gap there."""
CONNECT_TIMEOUT_S = 20.0
END_TIMEOUT_S = 60.0
"""After the last input frame, how long to wait for the system to finish its output and close."""


@dataclass
class StreamResult:
    output: np.ndarray
    output_rate: int
    events: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    a = np.asarray(values, dtype=np.float64)
    return {"n": int(a.size), "mean_s": round(float(a.mean()), 4), "p95_s": round(float(np.percentile(a, 95)), 4),
            "max_s": round(float(a.max()), 4)}


async def stream_audio(url: str, samples: np.ndarray, rate: int, language: str = "en", name: str = "",
                       output_rate: int | None = None, frame_ms: float = 20.0, realtime: bool = True,
                       options: dict | None = None,
                       on_frame: Callable[[int, int], None] | None = None) -> StreamResult:
    """Stream float32 mono `samples` at `rate` into the system at `url`; never raises for a system's fault."""
    if not MIN_FRAME_MS <= frame_ms <= MAX_FRAME_MS:
        raise ValueError(f"frame_ms must be within {MIN_FRAME_MS:g}-{MAX_FRAME_MS:g}")
    out_rate = output_rate or rate
    start = Start(language, rate, out_rate, name, options or {})
    frame = int(round(rate * frame_ms / 1000))
    n_frames = -(-len(samples) // frame)
    expected = int(round(len(samples) * out_rate / rate))
    chunks: list[np.ndarray] = []
    arrivals: list[tuple[int, float]] = []  # (output samples received so far, arrival time)
    events: list[dict[str, Any]] = []
    sent_at: list[float] = []
    send_late: list[float] = []
    result = StreamResult(np.zeros(expected, np.float32), out_rate)
    t0 = 0.0

    async def send(ws: Any) -> None:
        nonlocal t0
        t0 = time.perf_counter()
        for k in range(n_frames):
            piece = samples[k * frame:(k + 1) * frame]
            due = t0 + (k + 1) * frame / rate
            if realtime:
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            await ws.send(encode_frame(piece))
            now = time.perf_counter()
            sent_at.append(now)
            send_late.append(max(0.0, now - due) if realtime else 0.0)
            if on_frame is not None:
                on_frame(k + 1, n_frames)
        await ws.send(json.dumps({"type": "end"}))

    async def receive(ws: Any) -> None:
        received = 0
        async for message in ws:
            if isinstance(message, bytes):
                x = from_pcm16(np.frombuffer(message, dtype="<i2"))
                chunks.append(x)
                received += len(x)
                arrivals.append((received, time.perf_counter()))
                continue
            try:
                event = json.loads(message)
            except ValueError:
                continue
            events.append(event)
            if event.get("type") == "error" and result.error is None:
                result.error = {"code": event.get("code"), "message": event.get("message")}

    try:
        ws = await connect(url, max_size=1 << 20, compression=None, open_timeout=CONNECT_TIMEOUT_S,
                           ping_interval=None)
    except (OSError, TimeoutError, InvalidURI, InvalidHandshake) as exc:
        result.error = {"code": "connect", "message": f"cannot connect to {url}: {type(exc).__name__}: {exc}"}
        return result
    padded_s = n_frames * frame / rate
    async with ws:
        await ws.send(json.dumps(start.message()))
        receiver = asyncio.create_task(receive(ws))
        sender = asyncio.create_task(send(ws))
        try:
            await asyncio.wait_for(asyncio.shield(sender), padded_s * (1 if realtime else 0) + END_TIMEOUT_S)
            await asyncio.wait_for(asyncio.shield(receiver), END_TIMEOUT_S)
        except (ConnectionClosed, asyncio.TimeoutError) as exc:
            if result.error is None:
                result.error = {"code": "stream", "message": f"{type(exc).__name__}: the system closed or stalled "
                                                             f"before the end of the stream"}
        finally:
            for task in (sender, receiver):
                task.cancel()
            await asyncio.gather(sender, receiver, return_exceptions=True)
    close = ws.close_code
    output = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    got = len(output)
    result.output[:min(got, expected)] = output[:expected]
    lag = [t - (t0 + n / out_rate) for n, t in arrivals if n <= expected]
    end = next((e for e in events if e.get("type") == "end"), None)
    out_frame = max(1, int(np.median(np.diff([0] + [n for n, _ in arrivals])))) if arrivals else 1
    result.events = events
    result.stats = {
        "input_s": round(len(samples) / rate, 4), "frames_sent": len(sent_at), "frames_total": n_frames,
        "output_samples": got, "expected_samples": expected,
        "dropped_output_frames": int(np.ceil(max(0, expected - got) / out_frame)),
        "extra_output_samples": max(0, got - expected),
        "send_jitter": _summary(send_late),
        "output_lag": _summary(lag),
        "late_output_frames": int(sum(1 for x in lag if x > LATE_S)),
        "end_to_end": _end_to_end(events, sent_at, frame / rate, arrivals, out_rate),
        "close_code": close,
        "server": (end or {}).get("stats"),
    }
    if end is None and result.error is None:
        result.error = {"code": "no_end", "message": f"the system closed (code {close}) without an 'end' message"}
    return result


def _end_to_end(events: list[dict], sent_at: list[float], frame_s: float, arrivals: list[tuple[int, float]],
                out_rate: int) -> list[dict[str, float]]:
    """Per reply: last user frame sent -> the output frame holding the reply's first sample received,
    both on this machine's clock (includes network, queueing and the system's own reaction)."""
    marks = []
    for e in events:
        if e.get("type") != "latency" or e.get("kind") != "response":
            continue
        k = min(len(sent_at) - 1, max(0, int(np.ceil(e["from_t"] / frame_s)) - 1))
        first = int(round(e["to_t"] * out_rate)) + 1
        got = next((t for n, t in arrivals if n >= first), None)
        if k < 0 or got is None or not sent_at:
            continue
        marks.append({"user_end_t": e["from_t"], "agent_start_t": e["to_t"], "engine_s": e["latency_s"],
                      "end_to_end_s": round(got - sent_at[k], 4)})
    return marks
