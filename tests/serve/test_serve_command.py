"""`humdial serve` binds to localhost unless told otherwise; `humdial stream` checks its arguments first."""

import pytest

from humdial.cli import main
from humdial.commands.serve import is_loopback


@pytest.mark.parametrize("host,loop", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                       ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)])
def test_loopback(host, loop):
    assert is_loopback(host) is loop


def test_another_host_needs_public(capsys):
    assert main(["serve", "--host", "0.0.0.0"]) == 2  # refused before any model loads
    assert "--public" in capsys.readouterr().err


@pytest.mark.parametrize("extra,message", [(["--url", "http://x"], "ws://"), (["--frame-ms", "50"], "frame-ms"),
                                           (["--sessions", "0"], "sessions")])
def test_stream_rejects_bad_arguments(tmp_path, capsys, extra, message):
    args = ["stream", "--url", "ws://127.0.0.1:1/ws", "--data", str(tmp_path), "--out", str(tmp_path / "o"), *extra]
    assert main(args) == 2
    assert message in capsys.readouterr().err
