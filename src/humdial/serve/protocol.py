"""The streaming protocol (version 1), shared by the server, the stream client and the docs.

One WebSocket connection is one session. Text messages are JSON objects with a "type"; binary
messages are audio: 16-bit little-endian PCM, mono, 20-32 ms per frame. docs/streaming.md is the
reference; this module holds the constants and the validation both sides apply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from humdial.audio.io import from_pcm16, to_pcm16

VERSION = 1
RATES = (8000, 16000, 22050, 24000, 32000, 44100, 48000)
"""Sample rates accepted both ways (the agent listens at 16 kHz; others are resampled)."""
MIN_FRAME_MS = 20.0
MAX_FRAME_MS = 32.0
"""Audio frame duration bounds, both ways: short enough for live turn-taking, long enough to keep
message overhead low. Frames outside them are a protocol error (this also catches audio sent at a
rate other than the declared one, whose frames then have the wrong length)."""
LANGUAGES = ("en", "zh")

# Close codes (RFC 6455 + application range).
CLOSE_NORMAL = 1000
CLOSE_PROTOCOL = 1002
CLOSE_BAD_DATA = 1007
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011
CLOSE_OVERLOADED = 1013

ERRORS = {
    "bad_json": CLOSE_PROTOCOL,          # a text message that is not a JSON object
    "bad_start": CLOSE_PROTOCOL,         # missing/invalid start message, or audio before it
    "bad_rate": CLOSE_BAD_DATA,          # sample rate not in RATES
    "bad_language": CLOSE_BAD_DATA,
    "bad_frame": CLOSE_BAD_DATA,         # odd byte count, or duration outside 20-32 ms
    "bad_message": CLOSE_PROTOCOL,       # unknown message type
    "too_long": CLOSE_TOO_BIG,           # session over the server's maximum length
    "idle": CLOSE_POLICY,                # no audio for too long
    "client_not_reading": CLOSE_POLICY,  # output backlog over its bound
    "overloaded": CLOSE_OVERLOADED,      # server at its session limit
    "agent_error": CLOSE_SERVER_ERROR,   # the agent failed on this session (others go on)
}


class ProtocolError(Exception):
    """A client broke the protocol: reported as an error event, then the session is closed."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code

    @property
    def close_code(self) -> int:
        return ERRORS.get(self.code, CLOSE_PROTOCOL)

    def event(self) -> dict[str, Any]:
        return {"type": "error", "code": self.code, "message": str(self), "fatal": True}


@dataclass(frozen=True)
class Start:
    """The client's first message."""

    language: str = "en"
    input_rate: int = 16000
    output_rate: int = 16000
    name: str = ""
    """Free label (e.g. the sample id); used to name the server's event log."""
    options: dict[str, Any] = field(default_factory=dict)

    def frame_bounds(self, rate: int | None = None) -> tuple[int, int]:
        rate = rate or self.input_rate
        return int(np.ceil(rate * MIN_FRAME_MS / 1000)), int(np.floor(rate * MAX_FRAME_MS / 1000))

    def message(self) -> dict[str, Any]:
        return {"type": "start", "protocol": VERSION, "language": self.language, "input_rate": self.input_rate,
                "output_rate": self.output_rate, "name": self.name, "options": self.options}


def parse_json(text: str) -> dict[str, Any]:
    try:
        msg = json.loads(text)
    except ValueError as exc:
        raise ProtocolError("bad_json", f"text message is not JSON: {exc}") from None
    if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
        raise ProtocolError("bad_json", "a text message must be a JSON object with a string 'type'")
    return msg


def parse_start(msg: dict[str, Any], languages: tuple[str, ...] = LANGUAGES) -> Start:
    if msg.get("type") != "start":
        raise ProtocolError("bad_start", f"the first message must be {{'type': 'start', ...}}, got {msg.get('type')!r}")
    if msg.get("protocol", VERSION) != VERSION:
        raise ProtocolError("bad_start", f"protocol version {msg.get('protocol')!r} not supported (this server: {VERSION})")
    lang = str(msg.get("language", "en")).lower()
    if lang not in languages:
        raise ProtocolError("bad_language", f"language {lang!r} not served (served: {', '.join(languages)})")
    rates = {}
    for key in ("input_rate", "output_rate"):
        value = msg.get(key, 16000)
        if not isinstance(value, int) or isinstance(value, bool) or value not in RATES:
            raise ProtocolError("bad_rate", f"{key} {value!r} not supported (one of {', '.join(map(str, RATES))})")
        rates[key] = value
    options = msg.get("options") or {}
    if not isinstance(options, dict):
        raise ProtocolError("bad_start", "'options' must be an object")
    return Start(lang, rates["input_rate"], rates["output_rate"], str(msg.get("name", ""))[:200], options)


def decode_frame(data: bytes, start: Start, last_ok: bool = False) -> np.ndarray:
    """int16 LE bytes -> float32 samples in [-1, 1]; raises on a malformed frame. `last_ok`: accept a
    shorter frame (the caller then allows only 'end' after it)."""
    if len(data) % 2:
        raise ProtocolError("bad_frame", f"audio frame of {len(data)} bytes: 16-bit PCM needs an even byte count")
    n = len(data) // 2
    lo, hi = start.frame_bounds()
    if not (lo <= n <= hi or (last_ok and 0 < n < lo)):
        raise ProtocolError("bad_frame", f"audio frame of {n} samples = {1000 * n / start.input_rate:.1f} ms at "
                                         f"{start.input_rate} Hz; frames must be {MIN_FRAME_MS:g}-{MAX_FRAME_MS:g} ms "
                                         f"({lo}-{hi} samples): is the audio at the declared rate?")
    return from_pcm16(np.frombuffer(data, dtype="<i2"))


def encode_frame(samples: np.ndarray) -> bytes:
    """float32 samples -> int16 LE bytes, the exact inverse of `decode_frame` (humdial.audio.io.to_pcm16):
    a PCM-16 wav streamed in reaches the agent sample for sample as `run track2` reads it."""
    return to_pcm16(samples).astype("<i2").tobytes()
