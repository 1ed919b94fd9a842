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
