"""funasr Paraformer (paraformer-zh, the official Chinese ASR): one token per Chinese character.

Optional extra `paraformer` (funasr, torch). The model comes from a local directory the user gives
(a ModelScope download of `iic/speech_seaco_paraformer_large_asr_nat-zh-cn-16k-common-vocab8404-pytorch`,
which is what funasr's name `paraformer-zh` resolves to); humdial never passes a hub name, so nothing is
downloaded at run time. No such model is available from the package registries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from humdial.asr.chinese import split_tokens
from humdial.asr.support import LazyModel, model_fingerprint, require_module, require_path
from humdial.protocol.transcript import Transcript, Word
from humdial.audio.io import ANALYSIS_RATE, Audio
from humdial.errors import AudioError, MissingExtraError, TranscriptError

EXTRA = "paraformer"
PATH_HINT = ("Download paraformer-zh (ModelScope iic/speech_seaco_paraformer_large_asr_nat-zh-cn-16k-common-"
             "vocab8404-pytorch) once and pass its directory, e.g. --asr zh=paraformer:/models/paraformer-zh")

@dataclass(frozen=True)
class ParaformerOptions:
    """funasr generate() settings (cache-key material)."""

    batch_size_s: int = 300
    """Seconds of audio per batch, as in the official pipeline."""
    device: str = "cpu"


def words_from_funasr(result: Any, source: str | None = None) -> list[Word]:
    """funasr `generate()` output (a list with one dict: text, timestamp in ms) -> Words in seconds.

    Without a punctuation model funasr joins tokens with spaces, so `text.split()` pairs 1:1 with
    `timestamp`. If it does not (e.g. a punctuation model was configured), the text is re-split per
    character/word; if the counts still differ, this raises TranscriptError instead of silently
    truncating as `zip` would.
    """
    items = result if isinstance(result, list) else [result]
    words: list[Word] = []
    for item in items:
        if not isinstance(item, dict):
            raise TranscriptError(f"funasr result is not a dict: {type(item).__name__}", source)
        text = str(item.get("text") or "")
        stamps = item.get("timestamp") or []
        tokens = text.split()
        if len(tokens) != len(stamps):
            tokens = split_tokens(text)
        if len(tokens) != len(stamps):
            raise TranscriptError(f"funasr returned {len(tokens)} tokens but {len(stamps)} timestamps "
                                  f"for text {text[:60]!r}", source)
        for token, stamp in zip(tokens, stamps):
            try:
                start_ms, end_ms = stamp
                words.append(Word(token, round(float(start_ms) / 1000.0, 3), round(float(end_ms) / 1000.0, 3)))
            except (TypeError, ValueError) as exc:
                raise TranscriptError(f"funasr timestamp {stamp!r} is not [start_ms, end_ms]", source) from exc
    return words


class ParaformerTranscriber(LazyModel):
    """Transcriber over a local funasr Paraformer directory (plus an optional local fsmn-vad directory)."""

    name = "paraformer"

    def __init__(self, model_dir: str | Path | None, vad_model_dir: str | Path | None = None,
                 options: ParaformerOptions | None = None):
        self.model_dir = require_path(model_dir, "paraformer", PATH_HINT, kind="dir")
        self.vad_model_dir = None if vad_model_dir is None else require_path(
            vad_model_dir, "paraformer VAD model", "Pass the fsmn-vad directory with ?vad=/path.", kind="dir")
        require_module("funasr", EXTRA, "Chinese ASR (paraformer)")
        self.options = options or ParaformerOptions()
        self._fingerprint: str | None = None

    def describe(self) -> dict:
        if self._fingerprint is None:
            self._fingerprint = model_fingerprint(self.model_dir)
        options = asdict(self.options)
        options["vad_model"] = None if self.vad_model_dir is None else model_fingerprint(self.vad_model_dir)
        return {"backend": self.name, "model": str(self.model_dir), "model_sha256": self._fingerprint,
                "options": options}

    def _load(self) -> Any:
        try:
            from funasr import AutoModel
        except ImportError as exc:
            raise MissingExtraError(EXTRA, "funasr", "Chinese ASR (paraformer)") from exc
        # Local directories only, and no version check: funasr contacts no hub.
        kwargs: dict[str, Any] = {"model": str(self.model_dir), "device": self.options.device,
                                  "disable_update": True}
        if self.vad_model_dir is not None:
            kwargs["vad_model"] = str(self.vad_model_dir)
        return AutoModel(**kwargs)

    def transcribe(self, audio: Audio) -> Transcript:
        if audio.sample_rate != ANALYSIS_RATE:
            raise AudioError(f"paraformer needs {ANALYSIS_RATE} Hz audio, got {audio.sample_rate} Hz", audio.path)
        result = self._lazy_model(self._load).generate(input=audio.samples, fs=ANALYSIS_RATE,
                                       batch_size_s=self.options.batch_size_s)
        return Transcript.from_words(words_from_funasr(result, audio.path))
