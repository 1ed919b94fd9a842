"""`humdial demo` end to end on a tiny benchmark, and how the demo treats a failing stage."""

import json

import pytest
from rich.console import Console

from humdial.cli import main
from humdial.pipeline.demo import Demo, DemoOptions


@pytest.mark.slow
def test_tiny_demo_end_to_end(tmp_path, capsys):
    out = tmp_path / "demo"
    rc = main(["demo", "--out", str(out), "--n", "1", "--lang", "en", "--jobs", "1", "--quiet"])
    printed = capsys.readouterr().out
    meta = json.loads((out / "demo.json").read_text())
    stages = {s["name"]: s for s in meta["stages"]}
    assert rc == 0
    assert set(stages) == {"gen track2", "gen track1", "run track2", "run track1", "eval track2", "eval track1"}
    assert all(s["status"] in ("ok", "items_failed") for s in stages.values()), stages
    report = out / "report.html"
    html = report.read_text(encoding="utf-8")
    assert "report:" in printed and str(report) in printed and "scoreboard" in printed
    assert "Track 2 final score" in printed and "evaluator's own ASR: en=whisper" in printed
    en_line = next(line.strip() for line in printed.splitlines() if line.strip().startswith("en: "))
    assert en_line.startswith("en: no final score: ") or float(en_line.split()[1]) >= 0  # a value or its reason
    assert any(line.strip().startswith("overall: ") for line in printed.splitlines())
    results = json.loads((out / "track2" / "track2_results.json").read_text())
    assert results["counts"]["samples"] == 10 and 'data-chart="timeline"' in html
    assert (out / "track1" / "track1_results.json").is_file() and 'id="track1"' in html


def test_a_failing_stage_is_reported_and_the_rest_go_on(tmp_path, monkeypatch):
    demo = Demo(DemoOptions(out=tmp_path), Console(file=open(tmp_path / "log.txt", "w")))

    def boom() -> int:
        raise RuntimeError("disk full")

    demo._stage(1, 3, "first", boom)
    demo._stage(2, 3, "second", lambda: 0, needs=("first",))
    demo._stage(3, 3, "third", lambda: 2)
    by_name = {s.name: s for s in demo.result.stages}
    assert by_name["first"].status == "failed" and "disk full" in by_name["first"].note
    assert by_name["second"].status == "skipped" and "first" in by_name["second"].note
    assert by_name["third"].status == "items_failed" and "2 item" in by_name["third"].note
    assert demo.result.skipped == ["first: RuntimeError: disk full", "second: needs first, which did not run"]


def test_the_demo_evaluator_never_reads_system_transcripts(tmp_path, monkeypatch):
    import humdial.pipeline.demo as demo_module
    from humdial.asr.registry import parse_routes

    assert {spec.backend for spec in parse_routes(list(demo_module.EVALUATOR_ASR)).values()} == {"whisper"}
    monkeypatch.setattr(demo_module, "EVALUATOR_ASR", ("zh=precomputed", "en=whisper"))
    demo = Demo(DemoOptions(out=tmp_path), Console(file=open(tmp_path / "log.txt", "w")))
    with pytest.raises(Exception, match="own ASR"):
        demo._eval_track2()
