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


def test_missing_or_unreadable_task3_wav_is_a_counted_item_error(tmp_path, capsys):
    """Not a silent shrink of the audio dimensions' denominator with exit 0."""
    gold, sub = write_example(tmp_path / "ex", per_task=2)
    audio = sub / "en" / "HD-Track1-T3"
    (audio / "task3_4_en_0001_0001_4_response.wav").unlink()
    (audio / "task3_4_en_0001_0002_4_response.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    assert _eval(gold, sub, tmp_path / "run") == 1
    captured = capsys.readouterr()
    assert "missing response audio 1" in captured.err and "unreadable response audio 1" in captured.err
    assert "without response audio" in captured.err  # said by the preflight, before judging
    results = json.loads((tmp_path / "run" / "track1_results.json").read_text(encoding="utf-8"))
    assert results["counts"]["item_errors"] == {"missing_response_audio": 1, "unreadable_response_audio": 1}
    t3 = results["per_language"]["en"]["tasks"]["T3"]
    assert t3["item_errors"] == {"missing_response_audio": 1, "unreadable_response_audio": 1}
    items = {i["id"]: i for i in results["items"]}
    gone = items["en/T3/task3_4_en_0001_0001"]["errors"][0]
    assert gone["kind"] == "missing_response_audio" and "task3_4_en_0001_0001_4_response.wav" in gone["message"]


def test_human_ratings_missing_an_item_are_counted(tmp_path, capsys):
    gold, sub = write_example(tmp_path / "ex", per_task=1)
    csv = tmp_path / "human.csv"
    csv.write_text("dialogue_id,turn_id,rater,d2,d3\ntask3_4_en_0001_0001,4,a,4,5\nbroken,x,a,9,9\n")
    assert _eval(gold, sub, tmp_path / "run", "--human-ratings", str(csv)) == 1
    err = capsys.readouterr().err
    assert "missing human rating 1" in err and "unreadable human rating rows 1" in err


def test_gold_lacking_a_task_is_said_by_the_preflight(tmp_path, capsys):
    gold, sub = write_example(tmp_path / "ex", per_task=1)
    (gold / "zh" / "HD-Track1-T3.jsonl").unlink()
    assert _eval(gold, sub, tmp_path / "run") == 0
    assert "the gold set has no dialogues for zh T3" in capsys.readouterr().err
