import json

import pytest

from humdial.cli import main
from humdial.judge.agreement import cohen_kappa, compare_logs, label_stats
from humdial.judge.base import Verdict
from humdial.results.verdicts import (VerdictRecord, append_verdicts, read_verdicts, resolve_log_path,
                                       write_verdicts)


def test_kappa_two_labels_hand_computed():
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    # p_o = 35/50 = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_kappa_three_labels_hand_computed():
    # p_o = 4/6; A: x2 y2 z2, B: x2 y3 z1 -> p_e = (4 + 6 + 2)/36 = 1/3; kappa = (2/3 - 1/3)/(2/3) = 0.5
    assert cohen_kappa(list("xxyyzz"), list("xyyyzx")) == pytest.approx(0.5)


def test_kappa_edges():
    assert cohen_kappa(list("xy"), list("yx")) == pytest.approx(-1.0)
    assert cohen_kappa(list("xyz"), list("xyz")) == pytest.approx(1.0)
    assert cohen_kappa(list("xx"), list("xx")) is None  # p_e = 1: undefined
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError):
        cohen_kappa(["x"], [])


def test_label_stats_per_label_and_confusion():
    stats = label_stats(list("xxyyzz"), list("xyyyzx"))
    assert stats["agreement"] == pytest.approx(4 / 6)
    assert stats["per_label"]["y"] == {"a": 2, "b": 3, "both": 2, "kappa": pytest.approx(2 / 3)}
    assert stats["confusion"]["x"] == {"x": 1, "y": 1, "z": 0}


def record(sample, tag=None, score=None, status="ok", judge="proxy", task="follow_up"):
    return VerdictRecord(sample_id=sample, task=task, judge=judge, model=f"{judge}-model", rubric_id="r",
                         rubric_version="1", status=status, tag=tag, score=score)


def test_verdict_log_roundtrip_last_line_wins_and_bad_lines_reported(tmp_path):
    path = write_verdicts(tmp_path, [record("1", "C_RESPOND"), record("2", status="judge_failed")])
    assert path == tmp_path / "verdicts.jsonl" and resolve_log_path(tmp_path) == path
    append_verdicts(tmp_path, [record("2", "C_RESUME")])
    with path.open("a") as handle:
        handle.write("{broken\n" + json.dumps({"sample_id": "3", "task": "t", "judge": "j", "status": "??"}) + "\n")
    log = read_verdicts(tmp_path)
    assert log.records[("follow_up", "2")].tag == "C_RESUME" and log.records[("follow_up", "2")].status == "ok"
    assert len(log.records) == 2 and len(log.errors) == 2 and "unknown status" in log.errors[1]


def test_record_from_verdict_keeps_provenance():
    verdict = Verdict("openai", "deepseek-chat", "track2_behaviour", "1", '{"behaviour":["C_RESUME"]}',
                      {"behaviour": ["C_RESUME"]}, "ok", reason="why")
    rec = VerdictRecord.from_verdict("s1", "backchannel", verdict, tag="C_RESUME", language="zh")
    assert rec.to_dict() | {} == {**rec.to_dict()}
    assert (rec.model, rec.rubric_version, rec.raw, rec.reason, rec.language) == (
        "deepseek-chat", "1", '{"behaviour":["C_RESUME"]}', "why", "zh")


def test_compare_logs_counts_coverage_and_scores(tmp_path):
    a = [record("1", "C_RESPOND"), record("2", "C_RESUME"), record("3", "C_RESUME"), record("4", status="judge_failed"),
         record("5", "C_RESPOND"), record("t1", score={"d1": 5, "d2": 3}, task="t1_summary")]
    b = [record("1", "C_RESPOND", judge="openai"), record("2", "C_RESPOND", judge="openai"),
         record("3", "C_RESUME", judge="openai"), record("4", "C_RESUME", judge="openai"),
         record("t1", score={"d1": 3, "d2": 3}, task="t1_summary", judge="openai")]
    report = compare_logs(read_verdicts(write_verdicts(tmp_path / "a", a)),
                          read_verdicts(write_verdicts(tmp_path / "b", b)))
    assert report["coverage"] == {"in_a": 6, "in_b": 5, "in_both": 5, "compared": 4, "only_in_a": 1,
                                  "only_in_b": 0, "not_ok_in_a_or_b": 1, "not_comparable": 0}
    follow = report["tasks"]["follow_up"]
    assert follow["n"] == 3 and follow["agreement"] == pytest.approx(2 / 3)
    # A: RESPOND, RESUME, RESUME; B: RESPOND, RESPOND, RESUME -> p_o 2/3, p_e = (1*2 + 2*1)/9 = 4/9 -> 0.4
    assert follow["kappa"] == pytest.approx(0.4)
    dims = report["tasks"]["t1_summary"]["dimensions"]
    assert dims["d1"]["mean_abs_diff"] == 2 and dims["d2"]["agreement"] == 1


def test_cli_judge_agree(tmp_path, capsys):
    write_verdicts(tmp_path / "a", [record("1", "C_RESPOND"), record("2", "C_RESUME")])
    write_verdicts(tmp_path / "b", [record("1", "C_RESPOND", judge="openai"), record("2", "C_UNKNOWN", judge="openai")])
    out = tmp_path / "agree.json"
    code = main(["judge", "agree", str(tmp_path / "a"), str(tmp_path / "b" / "verdicts.jsonl"),
                 "--json", str(out), "--confusion"])
    text = capsys.readouterr().out
    assert code == 0
    assert "agreement=0.500" in text and "not comparable to official" in text
    assert json.loads(out.read_text())["tasks"]["follow_up"]["n"] == 2


def test_cli_judge_agree_missing_log_and_nothing_in_common(tmp_path, capsys):
    assert main(["judge", "agree", str(tmp_path / "nope"), str(tmp_path / "nope")]) == 2
    write_verdicts(tmp_path / "a", [record("1", "C_RESPOND")])
    write_verdicts(tmp_path / "b", [record("2", "C_RESPOND")])
    assert main(["judge", "agree", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
