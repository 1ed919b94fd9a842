"""Short-window Whisper decoding with word timestamps: encode only as much audio as a clip holds.

Why: faster-whisper pads every window to 30 s (3000 mel frames) before the encoder, so a 4 s speech
region costs the same encoder pass as 30 s of audio (2.2-2.8 CPU s per file with base on the shared
2-core machine), and the decoder's cross-attention reads 1500 positions instead of 200. CTranslate2's
Whisper encoder accepts a shorter mel input (humdial.asr.partial does this for the agent's text-only
partials). This module does it for the evaluator, which also needs segment and word times: each
window is the remaining audio (at most 30 s) zero-padded up to a whole number of `step_s` steps,
then decoded with timestamps, and word times come from faster-whisper's own public pieces
(`get_prompt`, `generate_with_fallback`, `add_word_timestamps`, which run CTranslate2's `align` on the
same short encoder output). The loop over windows follows faster-whisper's (seek to the last
timestamp when a window ends mid-segment; skip a window its no-speech test rejects), so with
`step_s` = 30 it reproduces `WhisperModel.transcribe` word for word (tested).
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from humdial.protocol.transcript import Word

FULL_WINDOW_FRAMES = 3000
"""Whisper's window: 30 s of 10 ms mel frames; no window is ever longer."""

TAIL_S = 5.0
"""Padding always left after the audio in a short window. Whisper learnt that a window ends in padding; a
window that ends right after the speech made it repeat the last sentence or loop ("in the name of the name
of ...") on 7 of 18 generated English inputs. Measured on those 7 files with a 2 s step (words found / the
30 s path's): no tail 36/24, 36/18, 247/24; 2 s tail 38/24 on one file; 5 s tail identical word counts on all
7 (docs/asr.md)."""


@dataclass(frozen=True)
class WindowSettings:
    """The decoding settings the loop needs (a subset of humdial.asr.whisper.WhisperOptions)."""

    language: str
    step_s: float
    tail_s: float = TAIL_S
    beam_size: int = 1
    temperature: float = 0.0
    initial_prompt: str | None = None
    no_repeat_ngram_size: int = 0


def window_frames(content_frames: int, step_s: float, frames_per_s: int, tail_s: float = 0.0) -> int:
    """Encoder input length for `content_frames` of audio followed by at least `tail_s` of padding: rounded up
    to whole steps, at most 30 s."""
    step = max(1, round(step_s * frames_per_s))
    need = content_frames + round(tail_s * frames_per_s)
    return min(FULL_WINDOW_FRAMES, max(step, math.ceil(need / step) * step))


def transcription_options(model: Any, tokenizer: Any, settings: WindowSettings) -> Any:
    """faster-whisper's TranscriptionOptions as `WhisperModel.transcribe` builds them from its own defaults,
    with ours applied (greedy, one temperature, word timestamps, no conditioning on previous windows)."""
    from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

    defaults = {name: p.default for name, p in inspect.signature(type(model).transcribe).parameters.items()
                if p.default is not inspect.Parameter.empty}
    ours = {"beam_size": settings.beam_size, "best_of": 1, "temperatures": [settings.temperature],
            "no_repeat_ngram_size": settings.no_repeat_ngram_size, "condition_on_previous_text": False,
            "initial_prompt": settings.initial_prompt, "word_timestamps": True, "without_timestamps": False,
            "multilingual": False, "suppress_tokens": get_suppressed_tokens(tokenizer, [-1])}
    names = TranscriptionOptions.__dataclass_fields__
    return TranscriptionOptions(**{name: ours[name] if name in ours else defaults[name] for name in names})


def split_at_timestamps(tokens: list[int], timestamp_begin: int, seek: int, size: int,
                        time_offset: float, precision: float, stride: int) -> tuple[list[dict], int, bool]:
    """One window's tokens -> (segments, next seek in frames, whether the window ended on a lone timestamp).

    Whisper writes `<|t0|> text <|t1|><|t1'|> text <|t2|>`: two timestamps in a row close a segment and
    open the next. A window that ends on a single timestamp ends in silence (the next window starts after
    it); otherwise its last segment is unfinished and the next window starts at its last timestamp.
    """
    stamps = [i for i in range(1, len(tokens)) if tokens[i] >= timestamp_begin and tokens[i - 1] >= timestamp_begin]
    lone_end = len(tokens) >= 2 and tokens[-2] < timestamp_begin <= tokens[-1]
    if not stamps:
        times = [t - timestamp_begin for t in tokens if t >= timestamp_begin]
        duration = times[-1] * precision if times and times[-1] > 0 else size / 100.0
        return [{"seek": seek, "start": time_offset, "end": time_offset + duration, "tokens": tokens}], seek + size, lone_end
    cuts = stamps + ([len(tokens)] if lone_end else [])
    segments, begin = [], 0
    for cut in cuts:
        part = tokens[begin:cut]
        segments.append({"seek": seek, "start": time_offset + (part[0] - timestamp_begin) * precision,
                         "end": time_offset + (part[-1] - timestamp_begin) * precision, "tokens": part})
        begin = cut
    next_seek = seek + size if lone_end else seek + (tokens[begin - 1] - timestamp_begin) * stride
    return segments, next_seek, lone_end


class ShortWindowDecoder:
    """Decodes one clip's samples to words (times on the clip's axis) with short encoder windows."""

    def __init__(self, model: Any, settings: WindowSettings):
        from faster_whisper.tokenizer import Tokenizer

        self.model = model
        self.settings = settings
        self.tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                                   language=settings.language if model.model.is_multilingual else "en")
        self.options = transcription_options(model, self.tokenizer, settings)
        prompt = settings.initial_prompt
        self.prompt_tokens = self.tokenizer.encode(" " + prompt.strip()) if prompt else []

    def decode(self, samples: np.ndarray) -> list[Word]:
        import ctranslate2

        model, tok, opts = self.model, self.tokenizer, self.options
        fps = model.frames_per_second
        features = model.feature_extractor(samples)
        content = features.shape[-1] - 1
        seek, previous, last_speech = 0, list(self.prompt_tokens), 0.0
        words: list[Word] = []
        while seek < content:
            size = min(FULL_WINDOW_FRAMES, content - seek)
            window = np.zeros((1, features.shape[0], window_frames(size, self.settings.step_s, fps, self.settings.tail_s)), np.float32)
            window[0, :, :size] = features[:, seek:seek + size]
            encoded = model.model.encode(ctranslate2.StorageView.from_array(window), to_cpu=False)
            prompt = model.get_prompt(tok, previous, without_timestamps=False)
            result, avg_logprob, _temperature, _ratio = model.generate_with_fallback(encoded, prompt, tok, opts)
            if (opts.no_speech_threshold is not None and result.no_speech_prob > opts.no_speech_threshold
                    and not (opts.log_prob_threshold is not None and avg_logprob > opts.log_prob_threshold)):
                seek += size  # faster-whisper's no-speech test: skip the window
                continue
            time_offset = seek / fps
            segments, seek_next, lone_end = split_at_timestamps(
                result.sequences_ids[0], tok.timestamp_begin, seek, size, time_offset, model.time_precision,
                model.input_stride)
            last_speech = model.add_word_timestamps([segments], tok, encoded, size, opts.prepend_punctuations,
                                                    opts.append_punctuations, last_speech_timestamp=last_speech)
            if not lone_end:
                ends = [w["end"] for s in segments for w in s.get("words") or ()]
                last_end = ends[-1] if ends else (segments[-1]["end"] if segments else None)
                if last_end is not None and last_end > time_offset:
                    seek_next = round(last_end * fps)
            seek = seek_next
            previous = []  # the prompt conditions the first decoded window only (condition_on_previous_text off)
            for segment in segments:
                if segment["start"] == segment["end"] or not tok.decode(segment["tokens"]).strip():
                    continue
                for w in segment.get("words") or ():
                    text = str(w["word"]).strip()
                    if text:
                        words.append(Word(text, round(float(w["start"]), 3), round(float(w["end"]), 3)))
        return words
