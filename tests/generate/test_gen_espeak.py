"""EspeakSynthesizer: audio, word timings, emotion prosody, voices, and history-independent output."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from humdial.errors import HumdialError, ItemError
from humdial.tts.base import Synthesizer
from humdial.tts.espeak import EspeakSynthesizer, voices_for_role


@pytest.fixture(scope="module")
def tts() -> EspeakSynthesizer:
    return EspeakSynthesizer()


def _digest(u) -> str:
    return hashlib.sha256(u.samples.tobytes()).hexdigest()


def test_protocol_and_rate(tts):
    assert isinstance(tts, Synthesizer)
    u = tts.synthesize("Could you tell me the weather tomorrow?", "en")
    assert u.sample_rate == 22050 and u.samples.dtype == np.float32
    assert 1.0 < u.duration < 4.0
    assert [w.text for w in u.words] == ["Could", "you", "tell", "me", "the", "weather", "tomorrow"]
    starts = [w.start for w in u.words]
    assert starts == sorted(starts) and starts[0] < 0.05
    assert all(w.start <= w.end <= u.duration + 1e-9 for w in u.words)


def test_mandarin_one_token_per_character(tts):
    text = "请帮我查一下明天的天气。"
    u = tts.synthesize(text, "zh")
    assert "".join(w.text for w in u.words) == "请帮我查一下明天的天气"
    # about 0.2-0.4 s per syllable: a character spelled as pinyin with a tone digit would take far longer
    assert 0.15 < u.duration / 11 < 0.45


def test_emotion_changes_prosody(tts):
    text = "I cannot believe this happened to me today."
    sad, angry = (tts.synthesize(text, "en", emotion=e) for e in ("sadness", "anger"))
    assert sad.duration > 1.2 * angry.duration
    rms = lambda u: float(np.sqrt(np.mean(u.samples ** 2)))  # noqa: E731
    assert rms(angry) > 1.5 * rms(sad)
    assert tts.prosody("sad") == tts.prosody("sadness")
    with pytest.raises(HumdialError):
        tts.prosody("boredom-xyz")


def test_roles_have_distinct_voices(tts):
    for lang in ("en", "zh"):
        user, third = voices_for_role(lang, "user"), voices_for_role(lang, "third_party")
        assert len(user) >= 3 and len(third) >= 3 and not set(user) & set(third)
        text = "hello there" if lang == "en" else "你好"
        digests = {_digest(tts.synthesize(text, lang, voice=v)) for v in user[:3]}
        assert len(digests) == 3


def test_output_does_not_depend_on_history(tts):
    first = _digest(tts.synthesize("uh-huh, yes", "en", voice="en-us+f1", emotion="happiness"))
    tts.synthesize("这是一段完全不同的中文句子", "zh", voice="cmn+m3", emotion="sadness")
    tts.synthesize("Another long sentence spoken in between with a different voice.", "en", voice="en-us+m1")
    assert _digest(tts.synthesize("uh-huh, yes", "en", voice="en-us+f1", emotion="happiness")) == first
    assert tts.describe()["deterministic"] is True


def test_threads_take_turns(tts):
    texts = [("one two three", "en"), ("四五六", "zh"), ("seven eight", "en"), ("九十", "zh")] * 2
    sequential = [_digest(tts.synthesize(t, lang)) for t, lang in texts]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda a: _digest(tts.synthesize(*a)), texts))
    assert threaded == sequential


def test_bad_input(tts):
    with pytest.raises(ItemError):
        tts.synthesize("   ", "en")
    with pytest.raises(HumdialError):
        tts.synthesize("hello", "fr")


_HASH_ALL_VOICES = """
import hashlib, json
from humdial.tts.espeak import EspeakSynthesizer
s = EspeakSynthesizer()
out = {v: hashlib.sha256(s.synthesize("uh-huh, tell me more" if lang == "en" else "嗯，再说说", lang, v,
                                      "happiness").samples.tobytes()).hexdigest()
       for lang in ("en", "zh") for v in s.voices(lang)}
print(json.dumps(out))
"""


def test_every_voice_is_identical_across_processes(tts):
    """Some espeak variants (breath noise) differ between processes; none of those may be listed."""
    import json
    import subprocess
    import sys

    runs = [json.loads(subprocess.run([sys.executable, "-c", _HASH_ALL_VOICES], capture_output=True, text=True,
                                      check=True).stdout) for _ in range(2)]
    assert runs[0] == runs[1]
    assert len(runs[0]) >= 20
