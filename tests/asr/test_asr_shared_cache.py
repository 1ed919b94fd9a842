"""The shared, content-addressed ASR cache and the stage-aware choice of files to transcribe."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from humdial.asr.cache import CachedTranscriber, TranscriptCache
from humdial.asr.registry import ASR_CACHE_ENV, default_cache_dir
from humdial.audio.io import Audio
from humdial.evaluate.track2.transcripts import judge_needs_transcripts
from humdial.execute.cache import JsonCache
from humdial.protocol.transcript import Transcript, Word


def test_default_cache_is_the_user_cache_and_env_overrides(monkeypatch, tmp_path):
    monkeypatch.delenv(ASR_CACHE_ENV, raising=False)
    monkeypatch.setenv("HUMDIAL_CACHE_DIR", str(tmp_path / "root"))
    assert default_cache_dir() == tmp_path / "root" / "asr"
    monkeypatch.setenv(ASR_CACHE_ENV, str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"


def test_only_the_judge_stage_needs_the_judge_files():
    assert judge_needs_transcripts(("transcribe", "measure", "judge", "score"), True)
    assert not judge_needs_transcripts(("transcribe", "measure", "score"), True)
    assert not judge_needs_transcripts(("transcribe", "measure", "judge", "score"), False)


class _Counting:
    name = "fake"

    def __init__(self, tag: str = "m1"):
        self.calls = 0
        self.tag = tag

    def describe(self) -> dict:
        return {"backend": "fake", "model_sha256": self.tag, "options": {"beam": 1}}

    def transcribe(self, audio: Audio) -> Transcript:
        self.calls += 1
        return Transcript.from_words([Word(f"w{len(audio.samples)}", 0.5, 0.75)])


def _audio(n: int, path: str) -> Audio:
    return Audio(np.linspace(-0.1, 0.1, n, dtype=np.float32), 16000, 16000, 1, Path(path))


def test_two_runs_share_entries_by_content_not_path(tmp_path):
    first = CachedTranscriber(_Counting(), TranscriptCache(tmp_path))
    first.transcribe(_audio(1600, "/run1/a.wav"))
    second_inner = _Counting()
    second = CachedTranscriber(second_inner, TranscriptCache(tmp_path))
    got = second.transcribe(_audio(1600, "/elsewhere/b.wav"))
    assert second_inner.calls == 0 and second.hits == 1
    assert got.words[0].text == "w1600"
    other_model = _Counting("m2")
    CachedTranscriber(other_model, TranscriptCache(tmp_path)).transcribe(_audio(1600, "/run1/a.wav"))
    assert other_model.calls == 1, "a different model hash must miss"


def test_concurrent_writers_leave_one_whole_entry_and_no_temp_files(tmp_path):
    cache = JsonCache(tmp_path)
    payload = {"words": ["x" * 1000] * 50}

    def write() -> None:
        for _ in range(20):
            cache.put("ab" + "0" * 62, payload)
            assert cache.get("ab" + "0" * 62) in (None, payload)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    files = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert [f.name for f in files] == ["ab" + "0" * 62 + ".json"]
    assert json.loads(files[0].read_text()) == payload
