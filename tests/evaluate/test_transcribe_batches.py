"""The transcribe stage hands a chunk's files to the backend together, and a bad file stays its own error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from humdial.asr.registry import AsrSpec
from humdial.audio.io import Audio, write_audio
from humdial.errors import AudioError, ItemError
from humdial.evaluate.track2 import transcripts
from humdial.evaluate.track2.transcripts import TranscribeConfig, role_path, transcribe_chunk
from humdial.layouts.track2 import read_track2
from humdial.protocol.annotation import SentenceAnnotation, SpeechSegment
from humdial.protocol.transcript import Transcript, Word, load_transcript

SR = 16000


class _Recorder:
    """Fake backend: one word naming the file's length; records every batch; 'broken' audio fails."""

    name = "fake"

    def __init__(self) -> None:
        self.batches: list[int] = []

    def describe(self) -> dict:
        return {"backend": "fake"}

    def transcribe_many(self, audios: list[Audio]) -> list[Transcript | ItemError]:
        self.batches.append(len(audios))
        return [AudioError("broken", a.path) if Path(str(a.path)).name == "0001_0002_output.wav"
                else Transcript.from_words([Word(f"n{len(a.samples)}", 0.1, 0.2)]) for a in audios]


class _Router:
    def __init__(self, backend: _Recorder) -> None:
        self.backend = backend

    def for_language(self, language: str) -> _Recorder:
        return self.backend


@pytest.fixture
def dataset(tmp_path):
    """Three Follow-up samples (four files each, judged); the third's input wav is not audio at all."""
    folder = tmp_path / "data" / "en" / "Follow-up_Questions"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for k in range(1, 4):
        stem = f"0001_000{k}"
        for name in (stem, f"{stem}_output", f"clean_{stem}", f"clean_{stem}_output"):
            write_audio(folder / f"{name}.wav", rng.normal(0, 0.01, (4 + k) * SR).astype(np.float32), SR)
        SentenceAnnotation(4.0 + k, (SpeechSegment(0.5, 1.5, ""), SpeechSegment(2.0, 3.0, ""))).save(
            folder / f"{stem}_sentence.json")
    (folder / "0001_0003.wav").write_bytes(b"not a wav file")
    return read_track2(tmp_path / "data", None, ["en"], None).samples


def _run(samples, store, monkeypatch, batch_s: float) -> tuple[list[dict], list[int]]:
    backend = _Recorder()
    monkeypatch.setattr(transcripts, "router", lambda config: _Router(backend))
    monkeypatch.setattr(transcripts, "BATCH_AUDIO_S", batch_s)
    config = TranscribeConfig(routes={"en": AsrSpec("whisper")}, store=store)
    return transcribe_chunk(samples, config), backend.batches


def test_a_chunk_is_one_batch_and_a_smaller_budget_gives_the_same_records(dataset, tmp_path, monkeypatch):
    big, batches = _run(dataset, tmp_path / "a", monkeypatch, 600.0)
    assert batches == [11], "all files of the chunk (12, less the unreadable one) go to the backend together"
    small, batches = _run(dataset, tmp_path / "b", monkeypatch, 1.0)
    assert batches == [4, 4, 3], "a budget of 1 s flushes after every sample"
    assert big == small
    for s in (dataset[0], dataset[2]):
        for role in ("output", "input_clean"):
            a = load_transcript(role_path(tmp_path / "a", s.sample_id, role))
            assert a == load_transcript(role_path(tmp_path / "b", s.sample_id, role)) and a.words


def test_each_bad_file_is_an_error_of_its_own_role(dataset, tmp_path, monkeypatch):
    records, _ = _run(dataset, tmp_path / "s", monkeypatch, 600.0)
    by_id = {r["sample_id"].split("/")[-1]: r for r in records}
    assert [r["sample_id"] for r in records] == [s.sample_id for s in dataset]
    first, second, third = (by_id[f"0001_000{k}"] for k in range(1, 4))
    assert first["errors"] == [] and set(first["roles"]) == {"input", "output", "input_clean", "output_clean"}
    assert [(e["role"], e["kind"]) for e in second["errors"]] == [("output", "audio_error")]
    assert "output" not in second["roles"] and len(second["roles"]) == 3
    assert [e["role"] for e in third["errors"]] == ["input"]
    assert set(third["roles"]) == {"output", "input_clean", "output_clean"}
