"""NVIDIA NeMo Parakeet-TDT (the official English ASR) from a local `.nemo` file: word timestamps in seconds.

Optional extra `parakeet` (nemo-toolkit[asr], torch). The official pipeline uses
`nvidia/parakeet-tdt-0.6b-v2`; download its `.nemo` file once and pass the path. humdial never calls
`from_pretrained`, so nothing is downloaded at run time.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping

from humdial.asr.support import LazyModel, model_fingerprint, require_module, require_path
from humdial.protocol.transcript import Transcript, Word
from humdial.audio.io import ANALYSIS_RATE, Audio, write_audio
from humdial.errors import AudioError, MissingExtraError, TranscriptError

EXTRA = "parakeet"
PURPOSE = "English ASR (NeMo parakeet-tdt)"
PATH_HINT = ("Download nvidia/parakeet-tdt-0.6b-v2 once and pass its .nemo file, "
             "e.g. --asr en=parakeet:/models/parakeet-tdt-0.6b-v2.nemo")


@dataclass(frozen=True)
class ParakeetOptions:
    """NeMo settings (cache-key material)."""

    device: str = "cpu"
    """torch device for the model, e.g. 'cpu' or 'cuda'."""


def words_from_nemo(hypothesis: Any, source: str | None = None) -> list[Word]:
    """A NeMo Hypothesis (or a dict shaped like one) -> Words from `timestamp['word']` (seconds)."""
    stamps = hypothesis.get("timestamp") if isinstance(hypothesis, Mapping) else getattr(hypothesis, "timestamp", None)
    if stamps is None:
        raise TranscriptError("NeMo result has no timestamps (transcribe must be called with timestamps=True)",
                              source)
    if not isinstance(stamps, Mapping) or "word" not in stamps:
        raise TranscriptError("NeMo result has no word-level timestamps ('word' key missing)", source)
    words: list[Word] = []
    for i, entry in enumerate(stamps["word"] or ()):
        try:
            text = str(entry["word"]).strip()
            start, end = float(entry["start"]), float(entry["end"])
        except (KeyError, TypeError, ValueError) as exc:
            raise TranscriptError(f"NeMo word timestamp {i} is not {{word, start, end}}: {entry!r}", source) from exc
        if text:
            words.append(Word(text, round(start, 3), round(end, 3)))
    return words


class ParakeetTranscriber(LazyModel):
    """Transcriber over a local parakeet-tdt `.nemo` checkpoint."""

    name = "parakeet"

    def __init__(self, model_path: str | Path | None, options: ParakeetOptions | None = None):
        self.model_path = require_path(model_path, "parakeet", PATH_HINT, kind="file")
        require_module("nemo", EXTRA, PURPOSE)
        self.options = options or ParakeetOptions()
        self._fingerprint: str | None = None

    def describe(self) -> dict:
        if self._fingerprint is None:
            self._fingerprint = model_fingerprint(self.model_path)
        return {"backend": self.name, "model": str(self.model_path), "model_sha256": self._fingerprint,
                "options": asdict(self.options)}

    def _load(self) -> Any:
        try:
            import torch
            from nemo.collections.asr.models import ASRModel
        except ImportError as exc:
            raise MissingExtraError(EXTRA, "nemo", PURPOSE) from exc
        model = ASRModel.restore_from(restore_path=str(self.model_path),
                                      map_location=torch.device(self.options.device))
        model.eval()
        return model

    def transcribe(self, audio: Audio) -> Transcript:
        if audio.sample_rate != ANALYSIS_RATE:
            raise AudioError(f"parakeet needs {ANALYSIS_RATE} Hz audio, got {audio.sample_rate} Hz", audio.path)
        model = self._lazy_model(self._load)
        # NeMo's transcribe reads files; a mono 16 kHz temp wav is what the official script feeds it too.
        with tempfile.TemporaryDirectory(prefix="humdial-parakeet-") as tmp:
            wav = Path(tmp) / "audio.wav"
            write_audio(wav, audio.samples, audio.sample_rate)
            output = model.transcribe([str(wav)], timestamps=True, verbose=False)
        if isinstance(output, tuple):  # some NeMo versions return (best, all) hypotheses
            output = output[0]
        if not output:
            raise TranscriptError("NeMo returned no hypothesis", audio.path)
        return Transcript.from_words(words_from_nemo(output[0], audio.path))
