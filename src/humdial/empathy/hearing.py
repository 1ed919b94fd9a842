"""What the Track 1 baseline knows the user said: the data's script text, or its own ASR of the user's audio.

Why: a real participant of Track 1 only has the user's recordings; the transcripts in our generated data
(and the paralinguistic tags in them, `[sigh]`) are gold material a live system never sees. `audio` runs
the evaluator's default ASR (asr registry: bundled multilingual whisper base for zh and en, Chinese in
simplified characters) through the shared content-addressed transcript cache, so re-runs never decode
the same audio twice. `transcript` reads the script text (the old behaviour, an upper bound). `auto`
(the default) hears the audio when every user turn of the data names a wav that exists, else reads the
transcripts and says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

import numpy as np

from humdial.asr.chinese import has_cjk
from humdial.asr.whisper import CHINESE_PRESET
from humdial.audio.io import Audio, load_audio
from humdial.errors import HumdialError, ItemError
from humdial.protocol.transcript import Transcript, Word

UserText = Literal["auto", "transcript", "audio"]
USER_TEXT_CHOICES: tuple[str, ...] = ("auto", "transcript", "audio")
CLAUSE_PAUSE_S = 0.35
"""A gap between two recognised Chinese characters at least this long becomes a comma: whisper's Chinese
output loses its punctuation in post-processing, and the event-clause finder splits on punctuation
(a clause pause in espeak Mandarin is ~0.4 s or more; pauses inside a clause are shorter)."""
MAX_REPEAT = 3
"""A token repeated more often than this in a row is a decoding loop, not speech: whisper base turned the
generator's synthetic laughter into "ha" x223 (2 of 36 English turns measured); the rest is dropped."""


@dataclass(frozen=True)
class HearingOptions:
    user_text: str = "auto"
    """auto | transcript | audio (module docs)."""
    asr: tuple[str, ...] = ()
    """`--asr` values ([LANG=]BACKEND[:PATH]); empty: the default routes (whisper base for en and zh)."""
    asr_cache: str | None = None
    """Transcript cache folder; None: the user's shared cache (asr.registry.default_cache_dir); "": no cache."""
    asr_threads: int | None = None
    """CPU threads per whisper model (None: the backend's default)."""


@dataclass(frozen=True)
class HeardTurn:
    text: str
    """The user's words as this run knows them (script text or ASR output; "" when nothing was heard)."""
    samples: np.ndarray | None
    """The turn's 16 kHz audio for the voice evidence (None: no readable recording)."""
    error: str = ""


def resolve_user_text(requested: str, audio_paths: Iterable[Path | None]) -> tuple[str, str]:
    """The source this run uses ('audio' or 'transcript') and why, for `requested` auto|transcript|audio."""
    if requested not in USER_TEXT_CHOICES:
        raise HumdialError(f"--user-text {requested!r}: use one of {', '.join(USER_TEXT_CHOICES)}")
    if requested != "auto":
        return requested, f"--user-text {requested}"
    paths = list(audio_paths)
    missing = sum(1 for p in paths if p is None or not p.is_file())
    if not paths:
        return "transcript", "auto: the data has no user turns"
    if missing:
        return "transcript", (f"auto: {missing} of {len(paths)} user turns have no wav on disk, so the script "
                              "transcripts are used (--user-text audio hears the ones that exist)")
    return "audio", f"auto: all {len(paths)} user turns have a wav, so the baseline hears them with ASR"


def _without_loops(words: list[Word]) -> list[Word]:
    out: list[Word] = []
    run = 0
    for word in words:
        same = bool(out) and _norm(word.text) == _norm(out[-1].text)
        run = run + 1 if same else 1
        if run <= MAX_REPEAT:
            out.append(word)
    return out


def _norm(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower())


def _without_prompt_echo(words: list[Word]) -> list[Word]:
    """Drop whisper's Chinese decoding prompt when it comes back as the transcript's opening characters (it
    did for 1 of 36 generated Chinese turns, with nothing else recognised)."""
    echo = [c for c in CHINESE_PRESET["initial_prompt"] if has_cjk(c)]
    if [w.text for w in words[: len(echo)]] == echo:
        return words[len(echo):]
    return words


def spoken_text(transcript: Transcript, lang: str) -> str:
    """One string of the recognised words, decoding loops cut (MAX_REPEAT): Chinese characters joined without
    spaces, a comma at each clause pause (CLAUSE_PAUSE_S), the decoding prompt's echo dropped; other words
    joined by spaces as recognised (whisper keeps their punctuation)."""
    words = _without_loops(list(transcript.words))
    if lang != "zh":
        return " ".join(w.text for w in words)
    out = ""
    prev = None
    for word in _without_prompt_echo(words):
        if prev is not None:
            if word.start - prev.end >= CLAUSE_PAUSE_S:
                out += "，"
            elif not (has_cjk(word.text) and has_cjk(prev.text)):
                out += " "
        out += word.text
        prev = word
    return out


class Ears:
    """Hears user turns for one run: loads each turn's audio and, in `audio` mode, transcribes it.

    The ASR router is built on first use (one per worker process), so `transcript` runs never load a model.
    """

    def __init__(self, options: HearingOptions):
        if options.user_text not in ("transcript", "audio"):
            raise HumdialError(f"resolve --user-text {options.user_text!r} first (resolve_user_text)")
        self.options = options
        self._router = None

    @property
    def router(self):
        if self._router is None:
            from humdial.asr.cache import TranscriptCache
            from humdial.asr.registry import AsrRouter, default_cache_dir, parse_routes

            folder = self.options.asr_cache
            cache = None if folder == "" else TranscriptCache(folder or default_cache_dir())
            self._router = AsrRouter(parse_routes(list(self.options.asr)), cache=cache,
                                     threads=self.options.asr_threads)
        return self._router

    def hear(self, lang: str, script_text: str, audio_path: Path | None) -> HeardTurn:
        """One turn; a missing or unreadable recording, or an ASR failure, is an error on the turn, never raised."""
        audio: Audio | None = None
        error = ""
        if audio_path is not None:
            try:
                audio = load_audio(audio_path)
            except ItemError as exc:
                error = str(exc)
        elif self.options.user_text == "audio":
            error = "no user audio for this turn: nothing heard"
        samples = audio.samples if audio is not None else None
        if self.options.user_text == "transcript":
            return HeardTurn(script_text, samples, error)
        if audio is None:
            return HeardTurn("", None, error)
        try:
            transcript = self.router.for_language(lang).transcribe(audio)
        except Exception as exc:  # noqa: BLE001 - one turn's ASR failure is that turn's error, not the run's
            return HeardTurn("", samples, f"asr: {type(exc).__name__}: {exc}")
        return HeardTurn(spoken_text(transcript, lang), samples, error)
