"""The duplex engine driven one input frame at a time, as audio arrives (the live counterpart of
`DuplexAgent.run`, which takes a whole file).

`LiveAgent.hop` does for one frame exactly what one iteration of `DuplexAgent.run` does (a test
checks that frame-by-frame and whole-file runs agree on a deterministic clock), then renders the
output timeline up to the end of that frame. That slice is final: the engine never schedules
speech before the moment it decides it, and the clock has reached the frame's end, so later
decisions only touch later samples.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from humdial.agent.clock import RealClock
from humdial.agent.engine import DuplexAgent
from humdial.agent.frames import SystemFrame
from humdial.agent.speech_out import SpeechOutput
from humdial.agent.state import EventLog
from humdial.audio.io import ANALYSIS_RATE


class LiveClock(RealClock):
    """Real clock whose zero is the first input sample: the moment the first frame arrived minus its
    duration (a frame can only be sent once it has been recorded). Otherwise agent.clock.RealClock."""

    def __init__(self, first_frame_s: float = 0.0):
        super().__init__()
        self._t0 = time.perf_counter() - first_frame_s

class LiveLog(EventLog):
    """The session's event log; every event is also handed to `on_event` as it happens, and latency
    marks are derived from the engine's own events (the reply's input time, its first sentence, a cut)."""

    def __init__(self, on_event: Callable[[dict[str, Any]], None]):
        super().__init__()
        self.on_event = on_event
        self._reply_input_t: float | None = None
        self._barge_t: float | None = None
        self.latencies: list[dict[str, Any]] = []

    def add(self, event: dict[str, Any]) -> None:
        super().add(event)
        self.on_event(event)
        mark = self._latency(event)
        if mark is not None:
            self.latencies.append(mark)
            super().add(mark)
            self.on_event(mark)

    def _latency(self, e: dict[str, Any]) -> dict[str, Any] | None:
        kind = e.get("type")
        if kind == "compute" and e.get("what") == "respond":
            self._reply_input_t = e.get("input_t")
        elif kind == "user" and e.get("event") == "speech_start":
            self._barge_t = e["t"] if e.get("agent_state") in ("SPEAKING", "PAUSED") else None
        elif kind == "speech" and e.get("event") == "sentence_start" and self._reply_input_t is not None:
            user_end, self._reply_input_t = self._reply_input_t, None
            return {"t": e["t"], "type": "latency", "kind": "response", "from_t": user_end, "to_t": e["t"],
                    "latency_s": round(e["t"] - user_end, 4)}
        elif kind == "speech" and e.get("event") == "paused" and self._barge_t is not None:
            start, self._barge_t = self._barge_t, None
            return {"t": e["t"], "type": "latency", "kind": "stop", "from_t": start, "to_t": e["t"],
                    "latency_s": round(e["t"] - start, 4)}
        return None


class LiveAgent(DuplexAgent):
    """A DuplexAgent fed frame by frame. Call `begin` once, `hop` per 16 kHz frame, `end` once."""

    def begin(self, output_rate: int) -> None:
        from humdial.audio.vad import StreamingVad

        self.output_rate = output_rate
        self.speech = SpeechOutput(self.synth, self.lang, output_rate, self.clock, self.log, self.config.speech)
        self._vad = StreamingVad()
        self.hop_s = self.config.hop_samples / ANALYSIS_RATE
        self._buf = np.zeros(ANALYSIS_RATE * 8, np.float32)
        self._n = 0
        self._frames = 0
        self.samples = self._buf[:0]
        self.log.frame(SystemFrame(0.0, "start", {"lang": self.lang, **self.clock.describe(), "live": True,
                                                  "output_rate": output_rate}))

    def hop(self, frame: np.ndarray, valid: int | None = None) -> None:
        """One hop (`config.hop_samples` at 16 kHz, zero-padded if short); `valid` real samples in it."""
        hop = self.config.hop_samples
        if len(frame) < hop:
            frame = np.pad(frame, (0, hop - len(frame)))
        valid = hop if valid is None else valid
        if self._n + hop > len(self._buf):
            self._buf = np.concatenate([self._buf, np.zeros(max(len(self._buf), hop), np.float32)])
        self._buf[self._n:self._n + valid] = frame[:valid]
        self._n += valid
        self.samples = self._buf[:self._n]
        i = self._frames
        self._frames += 1
        t0, t1 = i * self.hop_s, i * self.hop_s + valid / ANALYSIS_RATE
        self.clock.wait_until(t1)
        with self.clock.compute("vad", "silero") as span:
            prob = self._vad.probability(frame)
        self.vad_s += span.cost_s
        self._track_speech(i, prob, t0, t1, frame)
        self.speech.tick(hold=self.turn is not None and not self.turn.ignored and self._in_speech)
        self._step(t1)

    def end(self) -> None:
        self.log.frame(SystemFrame(self.clock.now(), "end", {"state": self.sm.state.value,
                                                             "input_s": round(self._n / ANALYSIS_RATE, 3),
                                                             "compute_s": round(self.clock.charged_s, 4),
                                                             "vad_s": round(self.vad_s, 4)}))

    def render_window(self, a: int, b: int) -> np.ndarray:
        """Output samples [a, b) at the output rate, from every span placed so far."""
        out = np.zeros(max(0, b - a), np.float32)
        speech = self.speech
        spans = list(speech.finished_spans)
        if speech.current is not None:
            spans += [(speech.current, s) for s in speech.current.spans]
        for pb, span in spans:
            at = int(round(span.start_t * self.output_rate))
            lo, hi = max(a, at), min(b, at + span.last - span.first)
            if lo < hi:
                src = pb.sentences[span.sentence].samples
                out[lo - a:hi - a] += src[span.first + lo - at: span.first + hi - at]
        return out
