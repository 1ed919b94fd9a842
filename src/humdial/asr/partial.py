"""Fast partial transcripts for the agent: a bundled whisper model with a shortened audio context.

Why: whisper always encodes a 30 s window, which costs over a second per call on a busy 2-core CPU
(the multilingual base: 2.1-2.4 s per Chinese partial measured on an idle moment, 3.1-4.3 s under
load); the agent transcribes a few seconds of speech at every pause and needs the text within a few
hundred milliseconds. CTranslate2 accepts a shorter mel input, so the audio is encoded in a window
just long enough for the audio (rounded up to `window_s`): for base on 1.6 s of Mandarin, 0.18 s with
a 2 s window, 0.25 s with 4 s, 0.56 s with 10 s, 2.4 s with 30 s (one idle-moment measurement on the
shared 2-core machine). Accuracy does not drop for short clips (character error rate on 41 generated
Mandarin speech segments: 0.57 with a 4 s window, 0.62 with 30 s; espeak Mandarin is hard for base).
The evaluation pipeline keeps the full-window transcriber. Greedy decoding, no timestamps: the agent
needs only the text. The model is PARTIAL_MODEL's bundled one for the language (Chinese text is
converted to simplified characters), a bundled name, or a directory.
"""

from __future__ import annotations

import re
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

WINDOW_S = {"en": 10.0, "zh": 2.0}
"""Encoder window per language (audio is padded up to a multiple of it). English keeps tiny.en's 10 s
(tuned with it); Chinese uses 2 s: the agent decodes Chinese turns piece by piece (each stretch of speech
since the previous partial, `incremental`), which rarely exceeds 4 s."""

TOKENS_PER_S = 12.0
"""Decoding stops after `TOKENS_PER_S` tokens per second of audio plus 8 (and at `max_tokens`): speech
carries at most ~6 Chinese characters or ~4 English words a second, so longer output is a decoding
loop, whose tokens would only cost time."""

_LATIN = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_WORD = re.compile(r"\w")


class ShortWindowWhisper:
    """Short-window whisper partials; `name` keys its cost on the agent's cost clock, per model."""

    def __init__(self, model_dir: str | Path | None = None, language: str = "en", window_s: float | None = None,
                 threads: int = 1, max_tokens: int = 96):
        self.model_dir = model_dir
        self.language, self.threads, self.max_tokens = language, threads, max_tokens
        self.window_s = window_s if window_s is not None else WINDOW_S.get(language, 10.0)
        self.no_repeat_ngram_size = 3 if language == "zh" else 0
        """Chinese decodes with PARTIAL_PROMPT and an n-gram block (loops otherwise)."""
        self.incremental = language == "zh"
        """The agent may transcribe only the speech since its previous partial and append the text: Chinese
        needs no spaces between pieces, and short pieces keep each call within a 2-4 s window."""
        model = str(model_dir or PARTIAL_MODEL.get(language, "base"))
        self.name = {"tiny.en": "whisper-partials", "base": "whisper-partials-base"}.get(model, "whisper-partials-dir")
        """Cost key variant: tiny.en keeps the historical `whisper-partials`; base and custom models differ."""
        self._model: Any = None
        self._lock = threading.Lock()

    def describe(self) -> dict:
        return {"backend": self.name, "model_dir": str(self.model_dir or "bundled default"), "window_s": self.window_s,
                "language": self.language, "decoding": "greedy, no timestamps",
                "incremental": self.incremental}

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel
                from faster_whisper.tokenizer import Tokenizer

                from humdial.asr.features import FixedOrderFeatures
                from humdial.asr.whisper import BUNDLED_MODELS, resolve_bundled

                name = str(self.model_dir or PARTIAL_MODEL.get(self.language, "base"))
                path = str(resolve_bundled(name)[0]) if name in BUNDLED_MODELS else name
                model = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=self.threads)
                # the evaluator's thread-independent features: the same partial text (and so the same
                # decisions) in every process and on every machine, whatever its BLAS thread count
                model.feature_extractor = FixedOrderFeatures(model.feature_extractor)
                tok = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                                language=self.language if model.model.is_multilingual else "en")
                prompt = list(tok.sot_sequence) + [tok.no_timestamps]
                if self.language == "zh":
                    text = " " + PARTIAL_PROMPT
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
        budget = min(self.max_tokens, int(8 + TOKENS_PER_S * len(samples) / ANALYSIS_RATE))
        result = model.model.generate(encoded, [prompt], beam_size=1, max_length=budget + len(prompt),
                                      suppress_blank=True, no_repeat_ngram_size=self.no_repeat_ngram_size)
        text = tok.decode(result[0].sequences_ids[0]).strip()
        if self.language == "zh":
            text = clean_chinese(text)
        return Transcript(text=text, words=())


PARTIAL_PROMPT = "以下是普通话的句子。"
"""The Mandarin decoding prompt of the agent's partials, kept when the evaluator's CHINESE_PRESET moved
to a conversational one: the echo rules below and the agent's Chinese rules were fitted with it, and
on pieces decoded as the agent decodes them a conversational prompt (你好，今天我想问你一个问题。)
was echoed as a question ("请问你一个问题") and looped on stop requests (CER 91 -> 119 %; docs/asr.md,
"Chinese decoding prompt"). An echo of this prompt is never a request."""
PROMPT_ECHOES = ("以下是普通话的句子", "普通话的句子", "以下是普通话的", "以下是普通话")
"""PARTIAL_PROMPT written back as if heard, whole or cut
short: a short or unclear piece often decodes to the prompt itself ("我当时去以下是普通话的句子。"; the
acknowledgement 原来如此 heard as "以下是普通话的。" and taken for a request), which is never the user's.
Longest first, so a shorter echo never leaves the tail of a longer one."""
PROMPT_OPENING = "以下是"
"""The prompt's first words: a piece that opens with them ("以下是不一样啊", a backchannel, seed 5353) began as an
echo and they are dropped; a piece made only of a start of the prompt ("以", "以下", both backchannels over the
reply, seed 5353) is dropped whole. A user's turn over a reply or at a quiet moment hardly opens with 以下是
("the following is")."""
BLOCK_RUN = 5
BLOCK_SPAN = 0x30
"""A run of BLOCK_RUN or more characters whose code points all lie within BLOCK_SPAN of each other is a
decoding loop through the code table ("伴伸伭伟伍估伺伞优众", "喧喧喵喘喊喇喋喍", seen in agent logs), not
speech: real text of five characters that close together (one radical, one stroke count) is vanishingly rare."""
_BAD = re.compile("[\ufffd]")


def _drop_block_runs(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and "\u3400" <= text[j] <= "\u9fff":
            window = text[i:j + 1]
            if max(map(ord, window)) - min(map(ord, window)) > BLOCK_SPAN:
                break
            j += 1
        if j - i >= BLOCK_RUN:
            i = j
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def clean_chinese(text: str) -> str:
    """Simplified characters, Latin words dropped with the punctuation left between them: base drifts
    into English on espeak Mandarin ("我要给我最好的朋友, my son really will"), which is never the user's
    Chinese and would hide how the utterance ends. Also dropped: the decoding prompt echoed back
    (PROMPT_ECHOES), code-table loops (BLOCK_RUN) and undecodable bytes (U+FFFD)."""
    from humdial.asr.chinese import to_simplified

    text = _BAD.sub("", to_simplified(text))
    for echo in PROMPT_ECHOES:
        text = text.replace(echo + "。", "").replace(echo, "")
    text = text.strip()
    if text.startswith(PROMPT_OPENING):
        text = text[len(PROMPT_OPENING):]
    if text and PROMPT_ECHOES[0].startswith(text.rstrip("。，,.!?！？ ")):
        text = ""
    text = _drop_block_runs(text)
    return "".join(t for t in _LATIN.sub(" ", text).split() if _WORD.search(t))
