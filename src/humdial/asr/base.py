"""The Transcriber protocol every ASR backend implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from humdial.protocol.transcript import Transcript
from humdial.audio.io import Audio
from humdial.errors import ItemError


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


def transcribe_many(transcriber: Transcriber, audios: list[Audio]) -> list[Transcript | ItemError]:
    """One result per file, in order: its transcript, or the ItemError that file raised (the others still run).

    A backend with its own `transcribe_many` (whisper, the transcript cache) batches the work that does not
    change a result; any other backend transcribes the files one by one.
    """
    batch = getattr(transcriber, "transcribe_many", None)
    if batch is not None:
        return batch(audios)
    results: list[Transcript | ItemError] = []
    for audio in audios:
        try:
            results.append(transcriber.transcribe(audio))
        except ItemError as exc:
            results.append(exc)
    return results


def only_result(results: list[Transcript | ItemError]) -> Transcript:
    """The transcript of a one-file `transcribe_many` call, or its error raised (for single-file `transcribe`)."""
    result = results[0]
    if isinstance(result, ItemError):
        raise result
    return result
