"""Transcribing several files at once: batched VAD, same transcripts, per-file errors, one model per process."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from humdial.asr.base import transcribe_many
from humdial.asr.cache import CachedTranscriber, TranscriptCache
from humdial.asr.snap import SnapConfig
from humdial.asr.whisper import WhisperOptions, WhisperTranscriber
from humdial.audio.io import Audio, from_array
from humdial.audio.vad import speech_probabilities_batch
from humdial.errors import AudioError, ItemError
from humdial.protocol.transcript import Transcript, Word

RATE = 16000


def _placed(samples: np.ndarray, lead_s: float, tail_s: float) -> np.ndarray:
    return np.concatenate([np.zeros(int(lead_s * RATE), np.float32), samples,
                           np.zeros(int(tail_s * RATE), np.float32)])


@pytest.fixture(scope="module")
def files(speech) -> list[Audio]:
    """Three files of different lengths and speech placements, plus a quiet-noise one."""
    a, _ = speech("Hello, I would like to book a table for two people tomorrow evening.")
    b, _ = speech("Stop. I said stop talking.")
    noise = np.random.default_rng(3).normal(0, 0.002, 3 * RATE).astype(np.float32)
    return [from_array(_placed(a, 1.25, 2.0), RATE), from_array(_placed(b, 0.4, 6.0), RATE),
            from_array(_placed(np.concatenate([b, np.zeros(RATE, np.float32), a]), 3.0, 0.5), RATE),
            from_array(noise, RATE)]


def test_batched_vad_probabilities_are_bitwise_those_of_one_file_at_a_time(files):
    """What makes batching safe: a transcript must not depend on which files share its VAD batch."""
    config = SnapConfig().vad_config()
    alone = [speech_probabilities_batch([f.samples], config)[0] for f in files]
    together = speech_probabilities_batch([f.samples for f in files], config)
    for one, many in zip(alone, together):
        assert one.dtype == many.dtype and np.array_equal(one, many)
    pairs = speech_probabilities_batch([files[2].samples, files[0].samples], config)
    assert np.array_equal(pairs[0], alone[2]) and np.array_equal(pairs[1], alone[0])


@pytest.fixture(scope="module")
def transcriber() -> WhisperTranscriber:
    return WhisperTranscriber(None, WhisperOptions(language="en", threads=1))


def test_transcribe_many_equals_one_by_one(transcriber, files):
    one_by_one = [transcriber.transcribe(f).to_official() for f in files]
    together = [t.to_official() for t in transcriber.transcribe_many(files)]
    assert together == one_by_one
    assert together[0]["text"] and together[3]["chunks"] == []  # speech found, quiet noise gives nothing


def test_a_bad_file_is_its_own_error_and_the_others_still_transcribe(files):
    decoded: list[int] = []
    transcriber = WhisperTranscriber(None, WhisperOptions(language="en", threads=1))
    transcriber._decode = lambda samples: (decoded.append(len(samples)), ([Word("x", 0.5, 0.7)], None))[1]
    wrong_rate = Audio(files[0].samples, 8000, 8000, 1, Path("/data/phone.wav"))
    silent = from_array(np.zeros(60 * RATE, np.float32), RATE)
    results = transcriber.transcribe_many([files[0], wrong_rate, silent, files[1]])
    assert isinstance(results[1], AudioError) and "8000" in str(results[1])
    assert results[2].words == ()
    assert [len(r.words) for r in (results[0], results[3])] == [1, 1]
    assert len(decoded) == 2, "the wrong-rate and the silent file must never reach the decoder"
    with pytest.raises(AudioError):
        transcriber.transcribe(wrong_rate)


def test_english_and_chinese_routes_share_one_loaded_model():
    en = WhisperTranscriber(None, WhisperOptions(language="en", threads=1))
    zh = WhisperTranscriber(None, WhisperOptions(language="zh", threads=1))
    assert en._lazy_model(en._load) is zh._lazy_model(zh._load)
    other_threads = WhisperTranscriber(None, WhisperOptions(language="en", threads=2))
    assert other_threads._lazy_model(other_threads._load) is not en._lazy_model(en._load)


class _Batching:
    """A fake backend with a batch method: records each batch it is given; 'bad' audio fails."""

    name = "fake"

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def describe(self) -> dict:
        return {"backend": "fake", "model_sha256": "m", "options": {}}

    def transcribe(self, audio: Audio) -> Transcript:
        raise AssertionError("the cache must hand its misses over as one batch")

    def transcribe_many(self, audios: list[Audio]) -> list[Transcript | ItemError]:
        self.batches.append([len(a.samples) for a in audios])
        return [AudioError("unreadable", a.path) if a.path and a.path.name == "bad.wav"
                else Transcript.from_words([Word(f"w{len(a.samples)}", 0.1, 0.2)]) for a in audios]


def _audio(n: int, name: str = "a.wav") -> Audio:
    return Audio(np.linspace(-0.1, 0.1, n, dtype=np.float32), RATE, RATE, 1, Path("/d") / name)


def test_cache_sends_only_its_misses_together_and_never_caches_an_error(tmp_path):
    inner = _Batching()
    cached = CachedTranscriber(inner, TranscriptCache(tmp_path))
    cached.transcribe(_audio(200))
    results = cached.transcribe_many([_audio(100), _audio(200), _audio(300, "bad.wav"), _audio(400)])
    assert inner.batches == [[200], [100, 300, 400]]
    assert [r.words[0].text for r in (results[0], results[1], results[3])] == ["w100", "w200", "w400"]
    assert isinstance(results[2], AudioError)
    assert (cached.hits, cached.misses) == (1, 4)
    cached.transcribe_many([_audio(300, "bad.wav")])
    assert inner.batches[-1] == [300], "a failed file is tried again, not served from the cache"


class _OneByOne:
    name = "plain"

    def describe(self) -> dict:
        return {"backend": "plain"}

    def transcribe(self, audio: Audio) -> Transcript:
        if audio.path and audio.path.name == "bad.wav":
            raise AudioError("unreadable", audio.path)
        return Transcript.from_words([Word("ok", 0.0, 0.1)])


def test_a_backend_without_a_batch_method_goes_one_by_one_with_per_file_errors():
    results = transcribe_many(_OneByOne(), [_audio(10), _audio(10, "bad.wav"), _audio(10)])
    assert isinstance(results[1], AudioError)
    assert [r.words[0].text for r in (results[0], results[2])] == ["ok", "ok"]
