"""The Transcriber protocol every ASR backend implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from humdial.protocol.transcript import Transcript
from humdial.audio.io import Audio


@runtime_checkable
class Transcriber(Protocol):
    name: str
    """Backend name, e.g. 'whisper', 'paraformer', 'parakeet', 'precomputed'."""

    def describe(self) -> dict:
        """Provenance and cache-key material: backend, model id or path, model hash, options."""
        ...

    def transcribe(self, audio: Audio) -> Transcript:
        """Word- (or character-) level transcript of 16 kHz mono audio, times in seconds."""
        ...
