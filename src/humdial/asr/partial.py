"""Fast partial transcripts for the agent: a bundled whisper model with a shortened audio context.

Why: whisper always encodes a 30 s window, which costs over a second per call on a busy 2-core CPU;
the agent transcribes a few seconds of speech at every pause and needs the text within a few hundred
milliseconds. CTranslate2 accepts a shorter mel input, so the audio is encoded in a window just long
enough for the turn (rounded up to `window_s`), about 5x faster. Accuracy drops a little (the model
was trained on 30 s windows), which is acceptable for turn decisions; the evaluation pipeline keeps
using the full-window transcriber. Greedy decoding, no timestamps: the agent needs only the text.
The model is PARTIAL_MODEL's bundled one for the language (Chinese text is converted to simplified
characters), a bundled name, or a directory.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from humdial.protocol.transcript import Transcript
from humdial.audio.io import ANALYSIS_RATE, Audio


PARTIAL_MODEL = {"en": "tiny.en"}
"""Bundled model for partials per language, else the multilingual base. English keeps tiny.en, about
twice as fast as base: the agent's turn decisions wait for partials, and its English intents were tuned
on tiny.en text."""


class ShortWindowWhisper:
    name = "whisper-partials"

    def __init__(self, model_dir: str | Path | None = None, language: str = "en", window_s: float = 10.0,
                 threads: int = 1, max_tokens: int = 96):
        self.model_dir = model_dir
        self.language, self.window_s, self.threads, self.max_tokens = language, window_s, threads, max_tokens
        self.no_repeat_ngram_size = 3 if language == "zh" else 0
        """Chinese decodes with humdial.asr.whisper.CHINESE_PRESET's prompt and n-gram block (loops otherwise)."""
        self._model: Any = None
        self._lock = threading.Lock()

    def describe(self) -> dict:
        return {"backend": self.name, "model_dir": str(self.model_dir or "bundled default"), "window_s": self.window_s,
                "language": self.language, "decoding": "greedy, no timestamps"}

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel
                from faster_whisper.tokenizer import Tokenizer

                from humdial.asr.whisper import BUNDLED_MODELS, resolve_bundled

                name = str(self.model_dir or PARTIAL_MODEL.get(self.language, "base"))
                path = str(resolve_bundled(name)[0]) if name in BUNDLED_MODELS else name
                model = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=self.threads)
                tok = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                                language=self.language if model.model.is_multilingual else "en")
                prompt = list(tok.sot_sequence) + [tok.no_timestamps]
                if self.language == "zh":
                    from humdial.asr.whisper import CHINESE_PRESET

                    text = " " + CHINESE_PRESET["initial_prompt"]
                    prompt = [tok.sot_prev] + tok.encode(text) + prompt
                self._model = (model, prompt, tok)
            return self._model

    def transcribe(self, audio: Audio) -> Transcript:
        import ctranslate2

        model, prompt, tok = self._load()
        samples = np.asarray(audio.samples, dtype=np.float32)[: int(30 * ANALYSIS_RATE)]
        feats = model.feature_extractor(samples)
        frames_per_s = 100
        window = int(self.window_s * frames_per_s)
        n = min(3000, max(window, -(-feats.shape[1] // window) * window))
        padded = np.zeros((1, feats.shape[0], n), dtype=np.float32)
        k = min(n, feats.shape[1])
        padded[0, :, :k] = feats[:, :k]
        encoded = model.model.encode(ctranslate2.StorageView.from_array(padded), to_cpu=False)
        result = model.model.generate(encoded, [prompt], beam_size=1, max_length=self.max_tokens + len(prompt),
                                      suppress_blank=True, no_repeat_ngram_size=self.no_repeat_ngram_size)
        text = tok.decode(result[0].sequences_ids[0]).strip()
        if self.language == "zh":
            from humdial.asr.chinese import to_simplified

            text = to_simplified(text)
        return Transcript(text=text, words=())
