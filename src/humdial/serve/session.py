"""One live session: the engine on its own thread, fed by the connection's reader, draining into
its sender. Everything between them is bounded.

- input: a queue of `in_queue_s` of audio; when the engine falls behind, the reader stops reading
  and TCP pushes back on the client (back-pressure, nothing dropped);
- output: at most `out_backlog_s` of audio waiting to be sent; a client that stops reading fills
  it and the session ends with `client_not_reading` (the engine never blocks on the network).

A failure inside one session (bad frame, agent exception, vanished client) ends that session
only; its event log is written whatever happened.
"""

from __future__ import annotations

import queue
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import soxr

from humdial.agent.config import AgentConfig
from humdial.agent.frames import SystemFrame
from humdial.audio.io import ANALYSIS_RATE
from humdial.serve.live import LiveAgent, LiveClock, LiveLog
from humdial.serve.protocol import CLOSE_NORMAL, ERRORS, ProtocolError, Start, encode_frame

END = object()
"""Input sentinel: the client sent {"type": "end"}."""


@dataclass(frozen=True)
class SessionLimits:
    in_queue_s: float = 2.0
    """Audio the server buffers ahead of the engine before it stops reading (back-pressure)."""
    out_backlog_s: float = 5.0
    """Agent audio allowed to wait for a slow client before the session is ended as not reading."""
    idle_s: float = 30.0
    """A session with no message for this long is closed (a client that went silent without closing)."""
    max_session_s: float = 3600.0
    """Longest accepted input (bounds the memory one session can hold)."""
    out_frame_ms: float = 32.0
    """Duration of the audio frames the server sends (the engine's hop)."""


class ClientStalled(Exception):
    pass


@dataclass
class Models:
    """What a session needs from the loaded kit, already made safe to share between threads."""

    synthesizer: Any
    responder: Any
    transcribers: dict[str, Any]
    speaker_encoder: Any
    sentence_encoder: Any
    config: AgentConfig
    describe: dict = field(default_factory=dict)

    @classmethod
    def from_kit(cls, kit: Any) -> "Models":
        """Models are shared by every session; calls into each are serialised by its own lock (espeak-ng
        and some ASR backends are not re-entrant)."""
        return cls(Serialized(kit.synthesizer, "synthesize"), Serialized(kit.responder, "respond"),
                   {k: (Serialized(v, "transcribe") if v is not None else None) for k, v in kit.transcribers.items()},
                   Serialized(kit.speaker_encoder, "embed"),
                   Serialized(kit.sentence_encoder, "encode") if kit.sentence_encoder is not None else None,
                   kit.config, kit.describe())


class Serialized:
    """Proxy that runs one method of a shared model under a lock; everything else passes through."""

    def __init__(self, inner: Any, method: str):
        self._inner, self._method, self._lock = inner, method, threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name != self._method:
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return call


def log_name(name: str, session_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:120]
    return f"{safe}.{session_id}" if safe else session_id


class Session:
    """The engine side of one connection. `post` hands messages (dict or bytes) to the connection;
    the connection calls `sent()` for each one it delivered."""

    def __init__(self, start: Start, models: Models, post: Callable[[Any], None], limits: SessionLimits,
                 log_dir: Path | None):
        self.id = uuid.uuid4().hex[:12]
        self.start, self.models, self._post, self.limits = start, models, post, limits
        self.log_dir = log_dir
        hop_s = models.config.hop_samples / ANALYSIS_RATE
        self.inbox: queue.Queue = queue.Queue(maxsize=max(2, int(limits.in_queue_s / 0.02)))
        self.cancel = threading.Event()
        self._backlog = 0
        self._backlog_lock = threading.Lock()
        self._max_backlog = max(4, int(limits.out_backlog_s / (limits.out_frame_ms / 1000)))
        self.out_frame = int(start.output_rate * limits.out_frame_ms / 1000)
        self.log = LiveLog(self._event)
        self.agent: LiveAgent | None = None
        self.error: ProtocolError | None = None
        self._closing = False
        self.outcome = "running"
        self.stats: dict[str, Any] = {"frames_in": 0, "samples_in": 0, "samples_out": 0, "frames_out": 0,
                                      "max_lag_s": 0.0, "lag_sum_s": 0.0, "hops": 0}
        self._hop_s = hop_s
        self._resampler = (soxr.ResampleStream(start.input_rate, ANALYSIS_RATE, 1, dtype="float32")
                           if start.input_rate != ANALYSIS_RATE else None)
        self._pending16 = np.zeros(0, np.float32)
        self._pending_out = np.zeros(0, np.float32)
        self._emitted = 0

    # ---- connection side --------------------------------------------------------------------------
    def sent(self) -> None:
        with self._backlog_lock:
            self._backlog -= 1

    def ready_message(self) -> dict[str, Any]:
        lo, hi = self.start.frame_bounds()
        return {"type": "ready", "session": self.id, "protocol": 1, "language": self.start.language,
                "input_rate": self.start.input_rate, "output_rate": self.start.output_rate,
                "input_frame_samples": [lo, hi], "output_frame_samples": self.out_frame,
                "agent": {k: self.models.describe.get(k) for k in ("responder", "asr", "synthesizer")}}

    # ---- engine side ------------------------------------------------------------------------------
    def post(self, message: Any) -> None:
        with self._backlog_lock:
            if self._backlog >= self._max_backlog:
                raise ClientStalled(f"more than {self.limits.out_backlog_s:g} s of output waiting: "
                                    "the client stopped reading")
            self._backlog += 1
        self._post(message)

    def _event(self, event: dict[str, Any]) -> None:
        if self._closing:
            return  # the session is ending: its log still gets the event, the client no longer does
        kind = event.get("type")
        if kind in ("state", "decision", "transcript", "latency"):
            self.post(event)
        else:
            self.post({"type": "log", "event": event})

    def run(self) -> None:
        """Engine thread body: never raises; always writes the log and tells the connection it is done."""
        try:
            try:
                self._loop()
            except ClientStalled as exc:
                self.error = ProtocolError("client_not_reading", str(exc))
            except ProtocolError as exc:
                self.error = exc
            except Exception as exc:  # one session's agent failure must not reach the server
                self.error = ProtocolError("agent_error", f"{type(exc).__name__}: {exc}")
            self._closing = True
            if self.error is not None:
                self.outcome = self.error.code
                self.log.add({"t": round(self.agent.clock.now(), 4) if self.agent else 0.0, "type": "system",
                              "name": "cancel", "reason": self.error.code, "message": str(self.error)})
            self._write_log()
        finally:
            self._post(None)

    def _loop(self) -> None:
        idle_since = time.monotonic()
        while True:
            if self.cancel.is_set():
                if self.error is not None:
                    raise self.error
                self._closing = True
                self.outcome = "cancelled"
                self.log.add({"t": round(self.agent.clock.now(), 4) if self.agent else 0.0, "type": "system",
                              "name": "cancel", "reason": "client closed or vanished before 'end'"})
                return
            try:
                item = self.inbox.get(timeout=0.05)
            except queue.Empty:
                if time.monotonic() - idle_since > self.limits.idle_s:
                    raise ProtocolError("idle", f"no audio for {self.limits.idle_s:g} s")
                continue
            idle_since = time.monotonic()
            if item is END:
                self._finish()
                self.outcome = "ok"
                return
            self._audio(item)

    def _ensure_agent(self, first_frame_s: float) -> LiveAgent:
        if self.agent is None:
            m = self.models
            self.agent = LiveAgent(self.start.language, m.synthesizer, m.responder,
                                   m.transcribers.get(self.start.language), m.speaker_encoder, m.config,
                                   m.sentence_encoder, LiveClock(first_frame_s), self.log)
            self.agent.begin(self.start.output_rate)
        return self.agent

    def _audio(self, samples: np.ndarray) -> None:
        agent = self._ensure_agent(len(samples) / self.start.input_rate)
        self.stats["frames_in"] += 1
        self.stats["samples_in"] += len(samples)
        if self.stats["samples_in"] > self.limits.max_session_s * self.start.input_rate:
            raise ProtocolError("too_long", f"session longer than {self.limits.max_session_s:g} s")
        x = self._resampler.resample_chunk(samples) if self._resampler is not None else samples
        self._pending16 = np.concatenate([self._pending16, x.astype(np.float32)])
        hop = agent.config.hop_samples
        while len(self._pending16) >= hop:
            frame, self._pending16 = self._pending16[:hop], self._pending16[hop:]
            self._hop(agent, frame, hop)

    def _hop(self, agent: LiveAgent, frame: np.ndarray, valid: int) -> None:
        t1 = (agent._n + valid) / ANALYSIS_RATE
        lag = max(0.0, agent.clock.now() - t1)
        self.stats["max_lag_s"] = max(self.stats["max_lag_s"], lag)
        self.stats["lag_sum_s"] += lag
        self.stats["hops"] += 1
        agent.hop(frame, valid)
        upto = int(round(agent._n / ANALYSIS_RATE * self.start.output_rate))
        limit = int(round(self.stats["samples_in"] * self.start.output_rate / self.start.input_rate))
        self._emit_audio(agent, min(upto, limit), final=False)

    def _emit_audio(self, agent: LiveAgent, upto: int, final: bool) -> None:
        if upto > self._emitted:
            self._pending_out = np.concatenate([self._pending_out, agent.render_window(self._emitted, upto)])
            self._emitted = upto
        n = self.out_frame
        while len(self._pending_out) >= n or (final and len(self._pending_out)):
            chunk, self._pending_out = self._pending_out[:n], self._pending_out[n:]
            self.post(encode_frame(chunk))
            self.stats["frames_out"] += 1
            self.stats["samples_out"] += len(chunk)

    def _finish(self) -> None:
        agent = self.agent
        if agent is None:  # 'end' before any audio: an empty session
            self.post(self._end_message())
            return
        if self._resampler is not None:
            tail = self._resampler.resample_chunk(np.zeros(0, np.float32), last=True)
            self._pending16 = np.concatenate([self._pending16, tail.astype(np.float32)])
        hop = agent.config.hop_samples
        while len(self._pending16):
            frame, self._pending16 = self._pending16[:hop], self._pending16[hop:]
            self._hop(agent, frame, len(frame))
        agent.end()
        total = int(round(self.stats["samples_in"] * self.start.output_rate / self.start.input_rate))
        self._emit_audio(agent, total, final=True)
        self.post(self._end_message())

    def _end_message(self) -> dict[str, Any]:
        s = self.stats
        lat = self.log.latencies
        return {"type": "end", "session": self.id,
                "stats": {"frames_in": s["frames_in"], "input_s": round(s["samples_in"] / self.start.input_rate, 4),
                          "frames_out": s["frames_out"],
                          "output_s": round(s["samples_out"] / self.start.output_rate, 4),
                          "engine_lag_max_s": round(s["max_lag_s"], 4),
                          "engine_lag_mean_s": round(s["lag_sum_s"] / s["hops"], 4) if s["hops"] else 0.0,
                          "compute_s": round(self.agent.clock.charged_s, 4) if self.agent else 0.0,
                          "latencies": [{k: m[k] for k in ("kind", "from_t", "to_t", "latency_s")} for m in lat]}}

    def _write_log(self) -> None:
        if self.log_dir is None:
            return
        try:
            self.log.write(self.log_dir / f"{log_name(self.start.name, self.id)}.events.jsonl")
        except OSError:
            pass  # a full disk must not take the server down; the session's outcome is still reported


def close_code(error: ProtocolError | None) -> int:
    return CLOSE_NORMAL if error is None else ERRORS.get(error.code, 1011)
