"""`humdial demo` end to end on a tiny benchmark: every available stage runs, the rest are skipped with a reason."""

import json

import pytest

from humdial.cli import main
from humdial.pipeline.demo import available_commands


@pytest.mark.slow
def test_tiny_demo_end_to_end(tmp_path, capsys):
    out = tmp_path / "demo"
    rc = main(["demo", "--out", str(out), "--n", "1", "--lang", "en", "--jobs", "1", "--quiet"])
    printed = capsys.readouterr().out
    meta = json.loads((out / "demo.json").read_text())
    stages = {s["name"]: s for s in meta["stages"]}
    assert rc == (1 if any(s["status"] == "failed" for s in stages.values()) else 0)
    commands = available_commands()
    for name, command in (("gen track2", ("gen", "track2")), ("gen track1", ("gen", "track1"))):
        if command not in commands:
            assert stages[name]["status"] == "skipped" and "not available" in stages[name]["note"]
    for s in stages.values():  # nothing vanishes: a stage that did not run says why, also in the report
        if s["status"] in ("skipped", "failed"):
            assert s["note"] and s["name"] in printed
    report = out / "report.html"
    html = report.read_text(encoding="utf-8")
    assert "report:" in printed and str(report) in printed
    for s in meta["skipped"]:
        assert s.split(":")[0] in html
    if stages["eval track2"]["status"] in ("ok", "items_failed"):
        results = json.loads((out / "track2" / "track2_results.json").read_text())
        assert results["counts"]["samples"] > 0 and 'data-chart="timeline"' in html
        assert "scoreboard" in printed
    if stages["eval track1"]["status"] in ("ok", "items_failed"):
        assert (out / "track1" / "track1_results.json").is_file() and 'id="track1"' in html
