"""Exports: per-sample rows (JSONL, CSV), lhotse manifests read back by lhotse, provenance of every run."""

import csv
import io
import json

import pytest

from humdial.cli import main
from humdial.results.track2 import load_track2_results


def test_export_samples_jsonl_and_csv(two_runs, tmp_path, capsys):
    run_a, _ = two_runs
    results = load_track2_results(run_a / "track2_results.json")
    assert main(["export", "samples", str(run_a), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["sample_id"] for r in rows] == [s.sample_id for s in results.samples]
    assert {r["sample_id"]: r["verdict"] for r in rows} == {s.sample_id: s.verdict.verdict for s in results.samples}
    assert all(r["reason"] and r["criterion"] for r in rows)
    out = tmp_path / "rows.csv"
    assert main(["export", "samples", str(run_a), "--format", "csv", "--out", str(out)]) == 0
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == len(rows) and table[0]["sample_id"] == rows[0]["sample_id"]
    assert "None" not in out.read_text(encoding="utf-8")
    assert main(["export", "samples", str(tmp_path / "nowhere")]) == 2


def test_every_run_records_its_provenance(two_runs):
    run_a, _ = two_runs
    prov = json.loads((run_a / "track2_results.json").read_text())["provenance"]
    assert prov["command_line"].startswith("humdial") or prov["command_line"]
    assert prov["host"] and prov["started_at"] <= prov["finished_at"]
    assert "humdial_commit" in prov  # None outside a git checkout


def test_lhotse_manifests_load_back(tmp_path, two_runs):
    lhotse = pytest.importorskip("lhotse", reason="lhotse extra not installed (pip install 'humdial[lhotse]')")
    run_a, _ = two_runs
    data = run_a.parent / "data"
    out = tmp_path / "lhotse"
    assert main(["export", "lhotse", str(data), "--out", str(out)]) == 0
    cuts = lhotse.load_manifest(out / "cuts.jsonl.gz")
    recordings = lhotse.load_manifest(out / "recordings.jsonl.gz")
    sups = lhotse.load_manifest(out / "supervisions.jsonl.gz")
    assert len(cuts) == len(recordings) == 4
    by_id = {c.recording_id: c for c in cuts}
    follow = by_id["en__follow_up__0001_0001"]
    assert len(follow.supervisions) == 2  # the query and the interruption, as annotated
    assert all(s.speaker == "user" and s.language == "en" for s in follow.supervisions)
    assert follow.supervisions[0].start == pytest.approx(0.5, abs=1e-3)
    audio = follow.load_audio()
    assert audio.shape[-1] == pytest.approx(10 * 16000, abs=2)
    assert len(sups) == sum(len(c.supervisions) for c in cuts)
