"""--executor/--ray-address: one definition, the same parse in every command that runs parallel stages."""

from __future__ import annotations

import sys

import pytest

from humdial.cli import build_parser, main
from humdial.commands.options import executor_spec
from humdial.errors import HumdialError
from humdial.execute.backend import EXECUTORS
from humdial.commands import options

COMMANDS = {
    ("gen", "track1"): ["--out", "o"],
    ("gen", "track2"): ["--out", "o"],
    ("run", "track2"): ["--data", "d", "--out", "o"],
    ("eval", "track2"): ["--data", "d", "--out", "o"],
}


def test_the_options_list_matches_the_backends():
    assert options.EXECUTORS == EXECUTORS


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_parallel_command_takes_the_executor_flags(command):
    parser = build_parser()
    plain = parser.parse_args([*command, *COMMANDS[command]])
    assert (plain.executor, plain.ray_address) == ("local", None)
    ray = parser.parse_args([*command, *COMMANDS[command], "--executor", "ray", "--ray-address", "head:6379"])
    assert executor_spec(ray).kind == "ray" and executor_spec(ray).address == "head:6379"
    with pytest.raises(SystemExit):
        parser.parse_args([*command, *COMMANDS[command], "--executor", "dask"])
    stray = parser.parse_args([*command, *COMMANDS[command], "--ray-address", "head:6379"])
    with pytest.raises(HumdialError, match="--ray-address needs --executor ray"):
        executor_spec(stray)


def test_missing_ray_extra_is_a_one_line_cli_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)
    rc = main(["gen", "track2", "--out", str(tmp_path / "d"), "--n", "1", "--lang", "en", "--quiet",
               "--executor", "ray"])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert err == "humdial: error: the Ray executor needs the ray extra: pip install 'humdial[ray]'"
