"""Precomputed transcripts and the on-disk transcript cache."""

from __future__ import annotations

import json

import numpy as np
import pytest

from humdial.asr.cache import CachedTranscriber, TranscriptCache, audio_hash, key_material
from humdial.asr.precomputed import PrecomputedTranscriber
from humdial.protocol.transcript import Transcript, Word
from humdial.audio.io import from_array, load_audio, write_audio
from humdial.errors import HumdialError, TranscriptError

OFFICIAL = {"text": "hello there", "chunks": [{"text": "hello", "timestamp": [0.5, 0.8]},
                                              {"text": "there", "timestamp": [0.9, 1.2]}]}


@pytest.fixture
def wav(tmp_path):
    path = tmp_path / "0001_0002.wav"
    write_audio(path, np.zeros(8000, np.float32), 16000)
    return path


def test_reads_stem_json_next_to_the_wav(wav):
    (wav.parent / "0001_0002.json").write_text(json.dumps(OFFICIAL))
    result = PrecomputedTranscriber().transcribe(load_audio(wav))
    assert result.words == (Word("hello", 0.5, 0.8), Word("there", 0.9, 1.2))


def test_reads_from_a_given_directory(wav, tmp_path):
    other = tmp_path / "transcripts"
    other.mkdir()
    (other / "0001_0002.json").write_text(json.dumps({"text": "", "chunks": []}))
    assert PrecomputedTranscriber(other).transcribe(load_audio(wav)).is_empty


@pytest.mark.parametrize("content, reason", [
    (None, "not found"),
    ("{not json", "not valid UTF-8 JSON"),
    (json.dumps([1, 2]), "expected a JSON object"),
    (json.dumps({"chunks": [{"text": "a", "timestamp": [2.0, 1.0]}]}), "invalid time span"),
    (json.dumps({"chunks": [{"text": "a"}]}), "chunk 0"),
])
def test_missing_or_malformed_files_are_item_errors(wav, content, reason):
    if content is not None:
        (wav.parent / "0001_0002.json").write_text(content)
    with pytest.raises(TranscriptError, match=reason):
        PrecomputedTranscriber().transcribe(load_audio(wav))


def test_in_memory_audio_and_missing_directory(tmp_path):
    with pytest.raises(TranscriptError, match="in-memory"):
        PrecomputedTranscriber().transcribe(from_array(np.zeros(100, np.float32), 16000))
    with pytest.raises(HumdialError, match="does not exist"):
        PrecomputedTranscriber(tmp_path / "nope")


class Counting:
    """A Transcriber that counts its calls; its output depends on the audio."""

    name = "fake"

    def __init__(self, options=None):
        self.calls = 0
        self.options = options or {"beam": 1}

    def describe(self):
        return {"backend": "fake", "model": "/somewhere/model", "model_sha256": "ab" * 32, "options": self.options}

    def transcribe(self, audio):
        self.calls += 1
        return Transcript.from_words([Word(f"n{len(audio.samples)}", 0.0, 0.25)])


def _audio(n):
    return from_array(np.full(n, 0.1, np.float32), 16000)


def test_cache_hit_and_miss(tmp_path):
    inner = Counting()
    cached = CachedTranscriber(inner, TranscriptCache(tmp_path))
    first = cached.transcribe(_audio(100))
    again = cached.transcribe(_audio(100))
    other = cached.transcribe(_audio(200))
    assert first == again and other.words[0].text == "n200"
    assert inner.calls == 2 and (cached.hits, cached.misses) == (1, 2)
    # A fresh process (new wrapper) reuses the entries on disk.
    fresh = CachedTranscriber(Counting(), TranscriptCache(tmp_path))
    assert fresh.transcribe(_audio(100)) == first and fresh.inner.calls == 0
    assert not list(tmp_path.rglob("*.tmp"))


def test_cache_key_follows_audio_model_and_options_not_paths():
    base = Counting().describe()
    key = key_material(base, audio_hash(_audio(100)))
    assert key != key_material(base, audio_hash(_audio(101)))
    assert key != key_material(dict(base, options={"beam": 5}), audio_hash(_audio(100)))
    assert key != key_material(dict(base, model_sha256="cd" * 32), audio_hash(_audio(100)))
    assert key == key_material(dict(base, model="/moved/model", threads=8), audio_hash(_audio(100)))


@pytest.mark.parametrize("garbage", [b"{truncated", b"\xff\xfe\x00", json.dumps({"key": {}, "transcript": {}}).encode(),
                                     b"[]"])
def test_corrupted_entries_are_ignored_and_recomputed(tmp_path, garbage):
    inner = Counting()
    cached = CachedTranscriber(inner, TranscriptCache(tmp_path))
    expected = cached.transcribe(_audio(100))
    (entry,) = list(tmp_path.rglob("*.json"))
    entry.write_bytes(garbage)
    assert cached.transcribe(_audio(100)) == expected and inner.calls == 2
    assert json.loads(entry.read_text())["transcript"] == expected.to_official()  # repaired


def test_malformed_transcript_inside_a_matching_entry_is_recomputed(tmp_path):
    inner = Counting()
    cached = CachedTranscriber(inner, TranscriptCache(tmp_path))
    cached.transcribe(_audio(100))
    (entry,) = list(tmp_path.rglob("*.json"))
    data = json.loads(entry.read_text())
    data["transcript"] = {"chunks": [{"text": "x", "timestamp": "bad"}]}
    entry.write_text(json.dumps(data))
    cached.transcribe(_audio(100))
    assert inner.calls == 2
