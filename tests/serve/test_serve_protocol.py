"""The protocol's validation, on its own (no server)."""

import numpy as np
import pytest

from humdial.serve.protocol import ProtocolError, Start, decode_frame, encode_frame, parse_json, parse_start


def test_start_defaults_and_rates():
    s = parse_start({"type": "start", "language": "EN", "input_rate": 48000, "output_rate": 24000})
    assert (s.language, s.input_rate, s.output_rate) == ("en", 48000, 24000)
    assert s.frame_bounds() == (960, 1536)


@pytest.mark.parametrize("msg,code", [
    ({"type": "audio"}, "bad_start"),
    ({"type": "start", "protocol": 7}, "bad_start"),
    ({"type": "start", "language": "fr"}, "bad_language"),
    ({"type": "start", "input_rate": 12345}, "bad_rate"),
    ({"type": "start", "output_rate": "16000"}, "bad_rate"),
    ({"type": "start", "options": [1]}, "bad_start"),
])
def test_bad_start_is_a_named_error(msg, code):
    with pytest.raises(ProtocolError) as err:
        parse_start(msg)
    assert err.value.code == code and err.value.event()["fatal"] is True


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"no": "type"}'])
def test_text_must_be_a_typed_object(text):
    with pytest.raises(ProtocolError) as err:
        parse_json(text)
    assert err.value.code == "bad_json"


def test_frames_round_trip_and_bounds():
    start = Start()
    x = np.linspace(-1, 1, 320, dtype=np.float32)
    y = decode_frame(encode_frame(x), start)
    assert np.abs(x - y).max() < 1e-4
    assert len(decode_frame(b"\x00" * 2 * 100, start, last_ok=True)) == 100  # the final frame may be short
    for bad in (b"\x00" * 641, b"\x00" * 2 * 319, b"\x00" * 2 * 513, b"\x00" * 2 * 960, b""):
        with pytest.raises(ProtocolError) as err:
            decode_frame(bad, start)
        assert err.value.code == "bad_frame" and err.value.close_code == 1007


def test_pcm16_crosses_the_wire_and_the_disk_unchanged(tmp_path):
    """Every int16 value survives decode -> encode, and a PCM-16 wav read as float and written again is
    the same file: with a 32767 scale, each sample above -6 dBFS moved by one step on the way in, and the
    agent's partial transcripts of the same speech differed between `run track2` and `humdial stream`."""
    from humdial.audio.io import load_audio, write_audio

    every = np.arange(-32768, 32768, dtype="<i2").tobytes()
    start = Start("en", 16000, 16000, "", {})
    frames = [every[i:i + 1024] for i in range(0, len(every), 1024)]  # 512-sample (32 ms) frames
    assert b"".join(encode_frame(decode_frame(f, start)) for f in frames) == every
    pcm = np.random.default_rng(3).integers(-32768, 32768, 16000).astype(np.int16)
    import soundfile as sf

    sf.write(str(tmp_path / "a.wav"), pcm, 16000, subtype="PCM_16")
    write_audio(tmp_path / "b.wav", load_audio(tmp_path / "a.wav").samples, 16000)
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    assert encode_frame(np.array([1.5, -1.5], np.float32)) == np.array([32767, -32768], "<i2").tobytes()
