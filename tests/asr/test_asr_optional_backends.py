"""paraformer (funasr) and parakeet (NeMo): path and extra checks, loading through stand-in modules,
and the conversion of result objects shaped like the libraries' real outputs."""

from __future__ import annotations

import sys
import types
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf

from humdial.asr import paraformer, parakeet, support
from humdial.asr.paraformer import ParaformerTranscriber, split_tokens, words_from_funasr
from humdial.asr.parakeet import ParakeetTranscriber, words_from_nemo
from humdial.protocol.transcript import Word
from humdial.audio.io import from_array
from humdial.errors import HumdialError, MissingExtraError, TranscriptError

AUDIO = from_array(np.zeros(16000, np.float32), 16000)


@pytest.fixture
def model_dir(tmp_path):
    folder = tmp_path / "paraformer-zh"
    folder.mkdir()
    (folder / "model.pt").write_bytes(b"weights")
    (folder / "config.yaml").write_text("model: Paraformer\n")
    return folder


@pytest.fixture
def nemo_file(tmp_path):
    path = tmp_path / "parakeet-tdt-0.6b-v2.nemo"
    path.write_bytes(b"nemo archive")
    return path


@pytest.fixture
def no_extras(monkeypatch):
    real = support.importlib.util.find_spec
    monkeypatch.setattr(support.importlib.util, "find_spec",
                        lambda name, *a: None if name in ("funasr", "nemo") else real(name, *a))


@pytest.fixture
def extras_present(monkeypatch):
    monkeypatch.setattr(support, "require_module", lambda *a: None)
    monkeypatch.setattr(paraformer, "require_module", lambda *a: None)
    monkeypatch.setattr(parakeet, "require_module", lambda *a: None)


# -- paths and extras ---------------------------------------------------------------------------------

# (backend class, extra, fixture holding a valid model path, fixture holding the wrong kind of path, message)
BACKENDS = [(ParaformerTranscriber, "paraformer", "model_dir", "nemo_file", "expected a model directory"),
            (ParakeetTranscriber, "parakeet", "nemo_file", "model_dir", "expected a model file")]


@pytest.mark.parametrize("cls, extra, _good, _wrong, _msg", BACKENDS)
@pytest.mark.parametrize("path", [None, "", "/nonexistent/model"])
def test_model_path_must_exist(cls, extra, _good, _wrong, _msg, path):
    with pytest.raises(HumdialError, match=extra) as info:
        cls(path)
    assert not isinstance(info.value, MissingExtraError)


@pytest.mark.parametrize("cls, extra, good, wrong, message", BACKENDS)
def test_wrong_kind_of_path_and_missing_extra(request, no_extras, cls, extra, good, wrong, message):
    with pytest.raises(HumdialError, match=message):
        cls(request.getfixturevalue(wrong))
    with pytest.raises(MissingExtraError, match=rf"humdial\[{extra}\]") as info:
        cls(request.getfixturevalue(good))
    assert info.value.extra == extra


def test_import_failure_at_load_time_is_a_missing_extra(model_dir, nemo_file, extras_present, monkeypatch):
    monkeypatch.setitem(sys.modules, "funasr", None)  # makes `import funasr` raise ImportError
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingExtraError, match="paraformer"):
        ParaformerTranscriber(model_dir).transcribe(AUDIO)
    with pytest.raises(MissingExtraError, match="parakeet"):
        ParakeetTranscriber(nemo_file).transcribe(AUDIO)


# -- loading through stand-in libraries ---------------------------------------------------------------

def test_paraformer_loads_local_dir_without_hub_and_converts(model_dir, tmp_path, extras_present, monkeypatch):
    calls = {}

    class AutoModel:
        def __init__(self, **kwargs):
            calls["init"] = kwargs

        def generate(self, **kwargs):
            calls["generate"] = kwargs
            return [{"key": "rand_key_1", "text": "你 好 hello 世 界",
                     "timestamp": [[380, 620], [620, 860], [900, 1300], [1400, 1560], [1560, 1800]]}]

    monkeypatch.setitem(sys.modules, "funasr", types.SimpleNamespace(AutoModel=AutoModel))
    vad = tmp_path / "fsmn-vad"
    vad.mkdir()
    (vad / "model.pt").write_bytes(b"vad")
    asr = ParaformerTranscriber(model_dir, vad)
    result = asr.transcribe(AUDIO)

    assert calls["init"] == {"model": str(model_dir), "vad_model": str(vad), "device": "cpu", "disable_update": True}
    assert calls["generate"]["batch_size_s"] == 300 and calls["generate"]["input"] is AUDIO.samples
    assert result.words == (Word("你", 0.38, 0.62), Word("好", 0.62, 0.86), Word("hello", 0.9, 1.3),
                            Word("世", 1.4, 1.56), Word("界", 1.56, 1.8))
    info = asr.describe()
    assert info["backend"] == "paraformer" and len(info["model_sha256"]) == 64
    assert info["options"]["vad_model"] is not None


def test_parakeet_restores_local_file_and_converts(nemo_file, extras_present, monkeypatch):
    calls = {}

    class Model:
        def eval(self):
            calls["eval"] = True

        def transcribe(self, paths, timestamps, verbose):
            calls["audio"] = sf.read(paths[0])
            hyp = SimpleNamespace(text="Hello there.", timestamp={
                "word": [{"word": "Hello", "start": 0.32, "end": 0.64, "start_offset": 4, "end_offset": 8},
                         {"word": "there.", "start": 0.72, "end": 1.04, "start_offset": 9, "end_offset": 13}],
                "segment": [], "char": []})
            return [hyp]

    class ASRModel:
        @staticmethod
        def restore_from(restore_path, map_location):
            calls["restore"] = (restore_path, map_location)
            return Model()

    for name in ("nemo", "nemo.collections", "nemo.collections.asr"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "nemo.collections.asr.models", SimpleNamespace(ASRModel=ASRModel))
    monkeypatch.setitem(sys.modules, "torch", SimpleNamespace(device=lambda name: f"device({name})"))

    result = ParakeetTranscriber(nemo_file).transcribe(AUDIO)
    assert calls["restore"] == (str(nemo_file), "device(cpu)") and calls["eval"]
    samples, rate = calls["audio"]
    assert rate == 16000 and len(samples) == 16000
    assert result.words == (Word("Hello", 0.32, 0.64), Word("there.", 0.72, 1.04))
    assert result.text == "Hello there."


# -- conversion functions -----------------------------------------------------------------------------

def test_funasr_ms_to_seconds_and_empty_results():
    assert words_from_funasr([{"key": "k", "text": "", "timestamp": []}]) == []
    assert words_from_funasr([]) == []
    assert words_from_funasr({"text": "好", "timestamp": [[1234, 1500]]}) == [Word("好", 1.234, 1.5)]


def test_funasr_resplits_punctuated_text_per_character():
    result = [{"text": "你好，world！", "timestamp": [[0, 100], [100, 200], [300, 700]]}]
    assert [w.text for w in words_from_funasr(result)] == ["你", "好", "world"]
    assert split_tokens("我 想 订 table for two。") == ["我", "想", "订", "table", "for", "two"]


def test_funasr_length_mismatch_is_an_item_error_not_a_truncation():
    with pytest.raises(TranscriptError, match="3 tokens but 2 timestamps"):
        words_from_funasr([{"text": "你 好 吗", "timestamp": [[0, 100], [100, 200]]}], "x.wav")


def test_funasr_malformed_entries():
    with pytest.raises(TranscriptError):
        words_from_funasr([{"text": "好", "timestamp": [[1]]}])
    with pytest.raises(TranscriptError):
        words_from_funasr(["not a dict"])


def test_nemo_dict_shaped_hypothesis_and_errors():
    hyp = {"timestamp": {"word": [{"word": " hi ", "start": 0.1, "end": 0.3}, {"word": "", "start": 0.3, "end": 0.3}]}}
    assert words_from_nemo(hyp) == [Word("hi", 0.1, 0.3)]
    assert words_from_nemo(SimpleNamespace(timestamp={"word": []})) == []
    with pytest.raises(TranscriptError, match="timestamps=True"):
        words_from_nemo(SimpleNamespace(text="hi", timestamp=None))
    with pytest.raises(TranscriptError, match="'word' key missing"):
        words_from_nemo(SimpleNamespace(timestamp={"char": []}))
    with pytest.raises(TranscriptError, match="word, start, end"):
        words_from_nemo({"timestamp": {"word": [{"word": "hi", "start_offset": 3}]}})
