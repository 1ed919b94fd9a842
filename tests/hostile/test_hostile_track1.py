"""`eval track1` preflight and exit codes: nothing evaluable, missing replies, an unreachable judge."""

from __future__ import annotations

import json
import time

from humdial.cli import main
from humdial.generate.track1.example import write_example


def _eval(gold, sub, run, *extra):
    return main(["eval", "track1", "--gold", str(gold), "--submission", str(sub), "--out", str(run), *extra])


def test_empty_submission_is_a_usage_error(tmp_path, capsys):
    gold, _ = write_example(tmp_path / "ex", per_task=1)
    (tmp_path / "empty").mkdir()
    assert _eval(gold, tmp_path / "empty", tmp_path / "run") == 2
    err = capsys.readouterr().err
    assert "no Track 1 dialogue found in the submission" in err and "HD-Track1/<lang>" in err


def test_gold_without_task_files_is_a_usage_error(tmp_path, capsys):
    _, sub = write_example(tmp_path / "ex", per_task=1)
    (tmp_path / "nogold").mkdir()
    assert _eval(tmp_path / "nogold", sub, tmp_path / "run") == 2
    assert "no gold Track 1 dialogue" in capsys.readouterr().err


def test_missing_replies_counted_against_allow_missing(tmp_path, capsys):
    gold, sub = write_example(tmp_path / "ex", per_task=1)
    t1 = sub / "en" / "HD-Track1-T1.jsonl"
    first = json.loads(t1.read_text(encoding="utf-8").splitlines()[0])
    t1.write_text("", encoding="utf-8")
    assert _eval(gold, sub, tmp_path / "run") == 2
    err = capsys.readouterr().err
    assert "have no reply" in err and first["dialogue_id"] in err
    assert _eval(gold, sub, tmp_path / "run", "--allow-missing", "all") == 1
    assert "missing replies 1" in capsys.readouterr().err


def test_unreachable_judge_fails_fast(tmp_path, capsys):
    gold, sub = write_example(tmp_path / "ex", per_task=1)
    started = time.monotonic()
    assert _eval(gold, sub, tmp_path / "run", "--judge", "openai:m@http://127.0.0.1:9/v1") == 3
    assert time.monotonic() - started < 60
    assert "did not answer a probe request" in capsys.readouterr().err
    assert not (tmp_path / "run" / "track1_results.json").exists()
