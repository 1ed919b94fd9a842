"""Preflight: a wrong set-up stops `eval track2` in seconds with a precise message and exit 2/3."""

from __future__ import annotations

import os
import time

import pytest

from humdial.cli import main

BASE = ["eval", "track2", "--quiet", "--asr", "en=precomputed", "--lang", "en"]


def _eval(data, run, *extra):
    return main(BASE + ["--data", str(data), "--out", str(run), *extra])


def test_data_one_folder_too_low(pause_set, tmp_path, capsys):
    assert _eval(pause_set / "en", tmp_path / "run", "--judge", "none") == 2
    err = capsys.readouterr().err
    assert "one language folder" in err and "dev layout" in err and "Traceback" not in err
    assert not (tmp_path / "run" / "track2_results.json").exists()


def test_data_one_folder_too_high(pause_set, tmp_path, capsys):
    assert _eval(pause_set.parent, tmp_path / "run", "--judge", "none") == 2
    err = capsys.readouterr().err
    assert "one level too high" in err and str(pause_set) in err


def test_missing_outputs_named_and_limited(pause_set, tmp_path, capsys):
    (pause_set / "en" / "Pause_Handling" / "0002_0001_output.wav").unlink()
    assert _eval(pause_set, tmp_path / "run", "--judge", "none") == 2
    err = capsys.readouterr().err
    assert "1 of 2 samples have no system output" in err and "0002_0001_output.wav" in err
    assert _eval(pause_set, tmp_path / "run", "--judge", "none", "--allow-missing", "50%") == 1
    assert _eval(pause_set, tmp_path / "run2", "--judge", "none", "--allow-missing", "all") == 1


def test_allow_missing_rejects_garbage(pause_set, tmp_path, capsys):
    assert _eval(pause_set, tmp_path / "run", "--judge", "none", "--allow-missing", "lots") == 2
    assert "--allow-missing" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_or_folder_as_output_is_missing_not_a_hang(pause_set, tmp_path, capsys):
    folder = pause_set / "en" / "Pause_Handling"
    (folder / "0002_0001_output.wav").unlink()
    os.mkfifo(folder / "0002_0001_output.wav")
    (folder / "0002_0002_output.wav").unlink()
    (folder / "0002_0002_output.wav").mkdir()
    assert _eval(pause_set, tmp_path / "run", "--judge", "none") == 2
    assert "2 of 2 samples have no system output" in capsys.readouterr().err


def test_unreachable_judge_fails_fast_after_one_probe(pause_set, tmp_path, capsys):
    started = time.monotonic()
    rc = _eval(pause_set, tmp_path / "run", "--judge", "openai:m@http://127.0.0.1:9/v1")
    assert rc == 3
    assert time.monotonic() - started < 60  # one refused connection, not minutes of retries
    err = capsys.readouterr().err
    assert "did not answer a probe request" in err and "nothing was evaluated" in err
    assert not (tmp_path / "run" / "track2_results.json").exists()


@pytest.mark.parametrize("flags", [["--l-min", "-1"], ["--l-min", "2.531"], ["--l-min", "0"], ["--k", "nan"]])
def test_bad_delay_params_are_usage_errors(pause_set, tmp_path, capsys, flags):
    assert _eval(pause_set, tmp_path / "run", "--judge", "none", *flags) == 2
    assert "L_min < L_base" in capsys.readouterr().err


def _test_layout(pause_set, tmp_path, ids):
    import json
    import shutil

    src = pause_set / "en" / "Pause_Handling"
    root = tmp_path / "test"
    (root / "annotations").mkdir(parents=True)
    (root / "HD-Track2" / "test").mkdir(parents=True)
    shutil.copy(src / "0002_0001.wav", root / "test-1.wav")
    shutil.copy(src / "0002_0001_sentence.json", root / "annotations" / "test-1_sentence.json")
    shutil.copy(src / "0002_0001_output.wav", root / "HD-Track2" / "test" / "test-1_output.wav")
    shutil.copy(src / "0002_0001_output.json", root / "HD-Track2" / "test" / "test-1_output.json")
    (root / "pairing.jsonl").write_text("".join(json.dumps({"id": i, "lang": "en", "scenario": "Pause_Handling"}) + "\n"
                                                for i in ids))
    return root


def test_pairing_id_with_dotdot_never_writes_outside(pause_set, tmp_path, capsys):
    root = _test_layout(pause_set, tmp_path, ["1", "../../../escape", "/abs"])
    run = tmp_path / "run"
    before = {p for p in tmp_path.rglob("*")}
    assert main(["eval", "track2", "--data", str(root), "--out", str(run), "--quiet", "--asr", "en=precomputed",
                 "--judge", "none"]) == 1  # two pairing lines could not be used: said, and counted
    import json

    res = json.loads((run / "track2_results.json").read_text())
    assert res["counts"]["samples"] == 1
    assert sum("not a plain file-name part" in p["reason"] for p in res["layout_problems"]) == 2
    new = {p for p in tmp_path.rglob("*")} - before
    assert all(run in p.parents or p == run for p in new)
    root_only = _test_layout(pause_set, tmp_path / "b", ["../x"])
    assert main(["eval", "track2", "--data", str(root_only), "--out", str(tmp_path / "run2"), "--quiet",
                 "--asr", "en=precomputed", "--judge", "none"]) == 2
