import io
import pickle
import struct

import numpy as np
import pytest

from humdial.agent.speaker import (SpectralEncoder, cosine, default_weights_path, load_speaker_encoder,
                                   mel_filterbank, power_mel)
from humdial.agent.torch_checkpoint import LEGACY_MAGIC, load_legacy_checkpoint
from humdial.errors import HumdialError


def _u(text: str) -> bytes:
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw  # BINUNICODE


def _i(value: int) -> bytes:
    return b"J" + struct.pack("<i", value)  # BININT


def _tuple(items: list[bytes]) -> bytes:
    return b"(" + b"".join(items) + b"t"  # MARK ... TUPLE


def _write_legacy(path, tensors: dict[str, np.ndarray]) -> None:
    """A legacy-format checkpoint {'model_state': {name: tensor}} written opcode by opcode (no torch)."""
    buf = io.BytesIO()
    for obj in (LEGACY_MAGIC, 1001, {"protocol_version": 1001, "little_endian": True}):
        pickle.dump(obj, buf, protocol=2)
    body = b"\x80\x02}" + _u("model_state") + b"}"  # PROTO 2, EMPTY_DICT, key, EMPTY_DICT
    for key, (name, arr) in enumerate(tensors.items()):
        pid = _tuple([_u("storage"), b"ctorch\nFloatStorage\n", _u(str(key)), _u("cpu"), _i(arr.size), b"N"]) + b"Q"
        args = _tuple([pid, _i(0), _tuple([_i(d) for d in arr.shape]),
                       _tuple([_i(st // arr.itemsize) for st in arr.strides]), b"\x89", b"}"])
        body += _u(name) + b"ctorch._utils\n_rebuild_tensor_v2\n" + args + b"R" + b"s"  # REDUCE, SETITEM
    body += b"s."  # SETITEM (model_state into the outer dict), STOP
    buf.write(body)
    pickle.dump([str(k) for k in range(len(tensors))], buf, protocol=2)
    for arr in tensors.values():
        flat = np.ascontiguousarray(arr, dtype="<f4").ravel()
        buf.write(struct.pack("<q", flat.size) + flat.tobytes())
    path.write_bytes(buf.getvalue())


def test_legacy_checkpoint_roundtrip(tmp_path):
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    b = np.array([1.5, -2.0], dtype=np.float32)
    path = tmp_path / "tiny.pt"
    _write_legacy(path, {"w": a, "b": b})
    state = load_legacy_checkpoint(path)["model_state"]
    np.testing.assert_array_equal(state["w"], a)
    np.testing.assert_array_equal(state["b"], b)


def test_checkpoint_reader_refuses_foreign_globals(tmp_path):
    buf = io.BytesIO()
    for obj in (LEGACY_MAGIC, 1001, {"little_endian": True}):
        pickle.dump(obj, buf, protocol=2)
    buf.write(b"cos\nsystem\n(S'echo pwned'\ntR.")  # GLOBAL os.system call
    path = tmp_path / "evil.pt"
    path.write_bytes(buf.getvalue())
    with pytest.raises(HumdialError, match="os.system"):
        load_legacy_checkpoint(path)


def test_not_a_checkpoint(tmp_path):
    path = tmp_path / "x.pt"
    path.write_bytes(b"PK\x03\x04 not a legacy checkpoint")
    with pytest.raises(HumdialError):
        load_legacy_checkpoint(path)


def test_mel_filterbank_shape_and_coverage():
    bank = mel_filterbank(16000, 400, 40)
    assert bank.shape == (40, 201)
    assert np.all(bank >= 0)
    assert np.all(bank.max(axis=1) > 0)  # every band has some weight
    tone = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000).astype(np.float32)
    mel = power_mel(tone)
    assert mel.shape == (101, 40)
    assert mel.mean(axis=0).argmax() < 15  # 440 Hz lands in a low band


def test_spectral_fallback_prefers_same_voice(say):
    enc = SpectralEncoder()
    a = enc.embed(say("Can you tell me how to make coffee at home?", "en-us+m3"))
    b = enc.embed(say("What about the price of the beans, then?", "en-us+m3"))
    c = enc.embed(say("What about the price of the beans, then?", "en-us+f2"))
    assert cosine(a, b) > cosine(a, c)


@pytest.mark.skipif(default_weights_path() is None, reason="GE2E weights not installed (resemblyzer wheel)")
def test_ge2e_separates_voices(say):
    enc = load_speaker_encoder("ge2e")
    assert enc.name == "ge2e"
    enrol = enc.embed(say("Can you tell me how to make a good cup of coffee at home?", "en-us+m3"))
    same = enc.embed(say("Wait, what about the price of the beans at the market?", "en-us+m3"))
    other = enc.embed(say("Wait, what about the price of the beans at the market?", "en-us+f2"))
    assert np.isclose(np.linalg.norm(same), 1.0, atol=1e-4)
    assert cosine(enrol, same) > 0.8
    assert cosine(enrol, same) - cosine(enrol, other) > 0.1


def test_unknown_encoder_kind():
    with pytest.raises(HumdialError):
        load_speaker_encoder("xvector")
