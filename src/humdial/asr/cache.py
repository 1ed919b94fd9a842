"""On-disk transcript cache, so re-running an evaluation never re-runs ASR on the same audio.

Key: sha256 over (cache format, audio content hash, backend, model hash or id, decoding options).
Paths, thread counts and other settings that do not change the output are not part of the key.
Entries are written atomically (humdial.execute.cache: temp file + rename), so a killed run leaves
no half-written entry; an entry that cannot be read, is malformed or does not match its key is
ignored and recomputed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from humdial.asr.base import Transcriber, only_result, transcribe_many
from humdial.protocol.transcript import Transcript
from humdial.audio.io import Audio
from humdial.errors import ItemError
from humdial.execute.cache import JsonCache, key_of

CACHE_FORMAT = 1
"""Bump when the entry layout or the meaning of a key changes; old entries then simply miss."""

log = logging.getLogger(__name__)


def audio_hash(audio: Audio) -> str:
    """sha256 of the analysis samples (float32, little-endian) and their rate."""
    digest = hashlib.sha256(f"{audio.sample_rate}:".encode())
    digest.update(np.ascontiguousarray(audio.samples, dtype="<f4").tobytes())
    return digest.hexdigest()


def key_material(description: dict, audio_digest: str) -> dict[str, Any]:
    """What determines a transcript: the audio, the backend, the exact model and the decoding options."""
    return {"format": CACHE_FORMAT, "audio": audio_digest, "backend": description.get("backend"),
            "model": description.get("model_sha256") or description.get("model"),
            "options": description.get("options", {})}


class TranscriptCache:
    """A directory of `<key[:2]>/<key>.json` entries, each holding its key material and transcript."""

    def __init__(self, root: str | Path):
        self.root = Path(root).expanduser()
        self._store = JsonCache(self.root)

    def get(self, material: dict[str, Any]) -> Transcript | None:
        """The cached transcript, or None on a miss or an unusable (corrupted, mismatched) entry."""
        key = key_of(material)
        entry = self._store.get(key)
        if entry is None:
            return None
        if not isinstance(entry, dict) or entry.get("key") != material:
            log.warning("ignoring transcript cache entry %s: it does not match its key", key)
            return None
        try:
            return Transcript.from_official(entry.get("transcript"), f"transcript cache entry {key}")
        except ItemError as exc:
            log.warning("ignoring malformed transcript cache entry (%s)", exc)
            return None

    def put(self, material: dict[str, Any], transcript: Transcript) -> None:
        self._store.put(key_of(material), {"key": material, "transcript": transcript.to_official()})


class CachedTranscriber:
    """Wraps any Transcriber with a TranscriptCache; counts hits and misses for reports."""

    def __init__(self, inner: Transcriber, cache: TranscriptCache):
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.hits = 0
        self.misses = 0
        self._description: dict | None = None
        self._count_lock = threading.Lock()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_count_lock")
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._count_lock = threading.Lock()

    def describe(self) -> dict:
        if self._description is None:
            self._description = self.inner.describe()
        return self._description

    def transcribe(self, audio: Audio) -> Transcript:
        return only_result(self.transcribe_many([audio]))

    def has(self, audio: Audio) -> bool:
        """Whether `audio`'s transcript is cached (decodes nothing; counts neither a hit nor a miss)."""
        return self.cache.get(key_material(self.describe(), audio_hash(audio))) is not None

    def transcribe_many(self, audios: list[Audio]) -> list[Transcript | ItemError]:
        """Cached transcripts where there are some; the misses go to the backend together (in order)."""
        materials = [key_material(self.describe(), audio_hash(audio)) for audio in audios]
        results: list[Transcript | ItemError | None] = [self.cache.get(m) for m in materials]
        misses = [i for i, r in enumerate(results) if r is None]
        with self._count_lock:
            self.misses += len(misses)
            self.hits += len(audios) - len(misses)
        for i, result in zip(misses, transcribe_many(self.inner, [audios[i] for i in misses])):
            if not isinstance(result, ItemError):
                self.cache.put(materials[i], result)
            results[i] = result
        return [r for r in results if r is not None]
