"""espeak-ng speech synthesis through the library and data shipped by `espeakng-loader` (pip only).

Why ctypes and not the `espeak-ng` program: no apt package is needed, and the library reports word
events with sample positions, which become the word timings of every generated utterance.

Thread and process safety: espeak-ng keeps one global C state per process (current voice, parameters,
synth callback). Every call into it holds `_LOCK`, so threads in one process take turns; processes
each initialise their own copy lazily (the state is re-initialised after a fork, keyed by pid), so
a process pool scales across cores.

Determinism: the waveform generator carries state from one utterance to the next (glottal phase,
pitch flutter, echo buffer, breath resonators and noise, voice-dependent amplitudes...), so the same
text gave different samples depending on what was spoken before, even after
espeak_Terminate/espeak_Initialize; generated data would then depend on --jobs. Restoring the
known static variables was not enough. So each utterance is synthesised in a forked child of the
process (about 1-3 ms): the parent initialises espeak once and never synthesises itself, so every
child starts from the same freshly initialised state, and libc's rand() and espeak-ng's own generator
(breath noise; espeak-ng 1.52 seeds it from the clock at initialise) are reseeded.
Each utterance is thus a pure function of (text, voice, emotion). Without os.fork (not Linux/macOS)
synthesis runs in-process and `describe()` says `deterministic: false`.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from humdial.protocol.transcript import Word
from humdial.errors import HumdialError, ItemError
from humdial.tts.base import Utterance

DATA_FILE = Path(__file__).parent / "data" / "espeak.yaml"

# speak_lib.h constants
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_LIST_TERMINATED, _EVENT_WORD, _EVENT_SENTENCE, _EVENT_END, _EVENT_MSG_TERMINATED = 0, 1, 2, 5, 6
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4

SILENCE_THRESHOLD = 10 ** (-50 / 20)
"""Samples below -50 dBFS count as silence when trimming an utterance's edges and word ends."""
TRIM_FRAME_S = 0.005
"""Frame used to find speech edges: utterance onsets are exact to within 5 ms."""

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Prosody:
    """One emotion's espeak parameters (see data/espeak.yaml for the meaning of each field)."""

    rate: float
    pitch: int
    range: int
    volume: int


@lru_cache(maxsize=1)
def _config() -> dict:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def emotion_table() -> dict[str, Prosody]:
    return {name: Prosody(**values) for name, values in _config()["emotions"].items()}


def voices_for_role(lang: str, role: str) -> list[str]:
    """Voices meant for a speaker role ('user', 'third_party', 'bystander') in 'en' or 'zh'."""
    try:
        return list(_config()["languages"][lang]["roles"][role])
    except KeyError as exc:
        raise HumdialError(f"espeak: no voices for language {lang!r} and role {role!r}") from exc


class _Engine:
    """The process-wide espeak-ng state: library handle, sample rate and the collecting callback."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                          ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                          espeakng_loader.get_data_path().encode(), 0)
        if rate <= 0:
            raise HumdialError(f"espeak-ng failed to initialise (returned {rate})")
        self.sample_rate = rate
        self.pid = os.getpid()
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, int, int]] = []  # (type, text_position 1-based chars, sample)
        self._callback = _CALLBACK(self._collect)  # keep a reference: the C side holds only the pointer
        self.lib.espeak_SetSynthCallback(self._callback)
        self.libc = ctypes.CDLL(None)
        self.set_rand_seed = getattr(self.lib, "espeak_ng_SetRandSeed", None)
        """espeak-ng's own noise generator (breath noise of variants such as f3), seeded per process; without
        reseeding it in every child a breathy voice differed from one process to the next."""
        if self.set_rand_seed is not None:
            self.set_rand_seed.argtypes = [ctypes.c_long]

    def _collect(self, wav, n, events) -> int:
        if n > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, (n,)).copy())
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            e = events[i]
            self._events.append((e.type, e.text_position, e.sample))
            i += 1
        return 0

    def run(self, text: str, voice: str, wpm: int, prosody: Prosody) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise HumdialError(f"espeak-ng has no voice {voice!r}")
        for param, value in ((_RATE, wpm), (_PITCH, prosody.pitch), (_RANGE, prosody.range),
                             (_VOLUME, prosody.volume)):
            self.lib.espeak_SetParameter(param, int(value), 0)
        self._chunks, self._events = [], []
        data = text.encode("utf-8")
        err = self.lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        if err != 0:
            raise ItemError(f"espeak-ng synthesis failed (error {err}) for text {text!r}")
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.int16)
        return samples, self._events

    def run_isolated(self, text: str, voice: str, wpm: int,
                     prosody: Prosody) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
        """`run` in a forked child, so this process's engine state never changes (see module docstring)."""
        if not hasattr(os, "fork"):
            return self.run(text, voice, wpm, prosody)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: synthesise, send the result, exit without running any Python cleanup
            try:
                os.close(read_fd)
                self.libc.srand(1)  # breath noise uses libc rand(); same seed every utterance
                if self.set_rand_seed is not None:
                    self.set_rand_seed(1)
                samples, events = self.run(text, voice, wpm, prosody)
                payload = pickle.dumps((samples.tobytes(), events, None))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
                payload = pickle.dumps((b"", [], (isinstance(exc, ItemError), f"{exc}")))
            try:
                with os.fdopen(write_fd, "wb") as fh:
                    fh.write(payload)
            finally:
                os._exit(0)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as fh:
            data = fh.read()
        os.waitpid(pid, 0)
        if not data:
            raise ItemError(f"espeak-ng worker died while synthesising {text!r}")
        raw, events, error = pickle.loads(data)
        if error is not None:
            item, message = error
            raise (ItemError if item else HumdialError)(message)
        return np.frombuffer(raw, dtype=np.int16).copy(), events


_engine: _Engine | None = None


def _get_engine() -> _Engine:
    """The engine of this process; a forked child re-initialises instead of sharing the parent's state."""
    global _engine
    if _engine is None or _engine.pid != os.getpid():
        _engine = _Engine()
    return _engine


def _frame_activity(samples: np.ndarray, rate: int) -> tuple[np.ndarray, int]:
    frame = max(1, int(rate * TRIM_FRAME_S))
    n = len(samples) // frame * frame
    if n == 0:
        return np.zeros(0, dtype=bool), frame
    peaks = np.abs(samples[:n]).reshape(-1, frame).max(axis=1)
    return peaks > SILENCE_THRESHOLD, frame


def _speech_edges(samples: np.ndarray, rate: int) -> tuple[int, int] | None:
    active, frame = _frame_activity(samples, rate)
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return None
    return int(idx[0] * frame), min(len(samples), int((idx[-1] + 1) * frame))


def _tokens(text: str, start: int, end: int) -> list[str]:
    """Transcript tokens of one engine word: one per Chinese character (as Paraformer gives), else the word."""
    chunk = text[start:end].strip()
    chunk = _PUNCT.sub("", chunk)
    if not chunk:
        return []
    if _CJK.search(chunk):
        return [c for c in chunk if _CJK.match(c) or c.isalnum()]
    return [chunk]


def _words(text: str, events: list[tuple[int, int, int]], samples: np.ndarray, rate: int) -> list[Word]:
    """Word timings from the engine's word events; ends are trimmed to the last audible frame."""
    starts = [(pos - 1, sample) for kind, pos, sample in events if kind == _EVENT_WORD]
    bounds = sorted({sample for kind, _, sample in events if kind in (_EVENT_WORD, _EVENT_END, _EVENT_SENTENCE)}
                    | {len(samples)})
    active, frame = _frame_activity(samples, rate)
    words: list[Word] = []
    for i, (char_pos, s0) in enumerate(starts):
        char_end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        s1 = next((b for b in bounds if b > s0), len(samples))
        seg = active[s0 // frame: -(-s1 // frame)]
        voiced = np.flatnonzero(seg)
        if voiced.size:
            s_start = (s0 // frame + int(voiced[0])) * frame
            s_end = min(s1, (s0 // frame + int(voiced[-1]) + 1) * frame)
        else:
            s_start, s_end = s0, s1
        tokens = _tokens(text, char_pos, char_end)
        if not tokens:
            continue
        step = (s_end - s_start) / len(tokens)
        for k, tok in enumerate(tokens):
            words.append(Word(tok, (s_start + k * step) / rate, (s_start + (k + 1) * step) / rate))
    return words


class EspeakSynthesizer:
    """`Synthesizer` over espeak-ng: en and zh (Mandarin `cmn`), voices per role, emotion as prosody.

    `samples` are float32 at the engine's rate (22050 Hz), trimmed to the first and last audible 5 ms
    frame so that an utterance placed at time t starts sounding at t. Callers resample.
    """

    name = "espeak-ng"

    def __init__(self) -> None:
        self._emotions = emotion_table()
        self._aliases = dict(_config().get("emotion_aliases", {}))

    @property
    def sample_rate(self) -> int:
        return _get_engine().sample_rate

    def voices(self, lang: str) -> list[str]:
        roles = _config()["languages"].get(lang, {}).get("roles", {})
        out: list[str] = []
        for names in roles.values():
            out.extend(n for n in names if n not in out)
        return out

    def describe(self) -> dict:
        from importlib.metadata import version

        return {"engine": self.name, "package": f"espeakng-loader=={version('espeakng-loader')}",
                "sample_rate": self.sample_rate, "deterministic": hasattr(os, "fork")}

    def prosody(self, emotion: str | None) -> Prosody:
        key = (emotion or "neutral").strip().lower()
        key = self._aliases.get(key, key)
        if key not in self._emotions:
            raise HumdialError(f"espeak: no prosody for emotion {emotion!r}; known: {', '.join(self._emotions)}")
        return self._emotions[key]

    def synthesize(self, text: str, lang: str, voice: str | None = None, emotion: str | None = None,
                   rate: float = 1.0) -> Utterance:
        languages = _config()["languages"]
        if lang not in languages:
            raise HumdialError(f"espeak: unsupported language {lang!r}; use one of {', '.join(languages)}")
        if not text.strip():
            raise ItemError("espeak: cannot synthesise empty text")
        spec = languages[lang]
        prosody = self.prosody(emotion)
        wpm = round(spec["base_rate_wpm"] * prosody.rate * rate)
        with _LOCK:
            engine = _get_engine()
            pcm, events = engine.run_isolated(text, voice or spec["base"], wpm, prosody)
            rate = engine.sample_rate
        samples = pcm.astype(np.float32) / 32768.0
        edges = _speech_edges(samples, rate)
        if edges is None:
            raise ItemError(f"espeak produced no audible speech for {text!r}")
        words = _words(text, events, samples, rate)
        lo, hi = edges
        shift = lo / rate
        limit = (hi - lo) / rate
        words = [Word(w.text, min(max(0.0, w.start - shift), limit), min(max(0.0, w.end - shift), limit))
                 for w in words]
        return Utterance(samples=np.ascontiguousarray(samples[lo:hi]), sample_rate=rate,
                         words=tuple(words), text=text)
