"""Leaderboard placement states judge, data, languages and samples; proxy or partial runs are set apart."""

from __future__ import annotations

import json
import re

from humdial.cli import main
from humdial.scoring.leaderboard import Row, place, published_rows, run_facts
from humdial.scoring.track2 import DelayScoreParams


def _results(backend="proxy", layout="dev", langs=("en",), samples=28, failed=0):
    return {"provenance": {"judge": {"backend": backend, "model": "m"}, "layout": layout},
            "counts": {"samples": samples, "with_errors": failed}, "units": {lang: {} for lang in langs}}


def test_proxy_english_only_synthetic_run_is_set_apart_with_every_caveat():
    facts = run_facts(_results())
    assert not facts.comparable
    caveat = facts.caveat()
    assert "proxy" in caveat and "own synthetic" in caveat and "languages: en" in caveat and "samples: 28" in caveat
    published = published_rows()
    before = [r.team for r in published]
    strong = Row("mine", 95.0, 90.0, 0.3, ours=True)  # would beat everyone
    rows, at, would = place(published, strong, DelayScoreParams(), facts)
    assert at is None and would == 1
    assert [r.team for r in rows] == before  # published order untouched, our row not among them
    assert [r.final for r in rows] == [r.published_final for r in rows]  # its delay did not move L_min


def test_official_llm_full_run_is_ranked():
    facts = run_facts(_results(backend="openai-compatible", layout="test", langs=("en", "zh"), samples=900))
    assert facts.comparable and facts.judge.startswith("LLM")
    rows, at, _ = place(published_rows(), Row("mine", 95.0, 90.0, 0.3, ours=True), DelayScoreParams(), facts)
    assert at == 1 and rows[0].team == "mine"


def test_partial_or_unknown_runs_are_not_ranked():
    assert not run_facts(_results(backend="openai-compatible", layout="test", langs=("en", "zh"), failed=3)).comparable
    assert not run_facts(None).comparable and "unknown" in run_facts(None).caveat()


def _results_file(tmp_path, backend="proxy", layout="dev", langs=("en",), samples=28):
    from humdial.protocol import track2 as registry

    inter = {"headline": 0.95, "stop_latency": 0.3, "response_latency": 0.4, "first_response_delay": 0.3}
    scen = {sid: (dict(inter) if sid in ("follow_up", "negation", "repetition", "topic_switch", "stop")
                  else {"headline": 0.95, "first_response_delay": 0.3}) for sid in (s.id for s in registry.scenarios())}
    data = {"schema": "humdial.track2_results/2", "mode": "official",
            "provenance": {"judge": {"backend": backend, "model": "m"}, "layout": layout},
            "counts": {"samples": samples, "with_errors": 0}, "units": {lang: {} for lang in langs},
            "official": {"scenarios": {lang: scen for lang in langs}, "languages": {}, "overall": {}}}
    path = tmp_path / "track2_results.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_terminal_placement_sets_a_proxy_english_only_synthetic_run_apart(tmp_path, capsys, monkeypatch):
    """Issue 13: a proxy-judged, en-only, 28-sample synthetic run was shown at #2 among the official rows."""
    monkeypatch.setenv("COLUMNS", "200")
    path = _results_file(tmp_path)
    assert main(["leaderboard", "track2", str(path), "--name", "mine"]) == 0
    out = capsys.readouterr().out
    mine = next(line for line in out.splitlines() if "mine" in line and "│" in line)
    assert mine.split("│")[1].strip() == "apart" and "proxy" in mine and "own synthetic" in mine and "28" in mine
    assert re.search(r"│\s*en\s*│", mine)  # the languages column says en only
    ranks = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    numbered = [r for r in ranks if r.isdigit()]
    assert numbered == [str(i) for i in range(1, len(numbered) + 1)] and len(numbered) == len(published_rows())
    assert "set apart, not ranked" in out and "languages: en (en only)" in out


def test_terminal_placement_ranks_a_comparable_run(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    path = _results_file(tmp_path, backend="openai-compatible", layout="test", langs=("en", "zh"), samples=900)
    assert main(["leaderboard", "track2", str(path), "--name", "mine"]) == 0
    out = capsys.readouterr().out
    mine = next(line for line in out.splitlines() if "mine" in line and "│" in line)
    assert mine.split("│")[1].strip() == "1" and "LLM" in mine and "official test" in mine
    assert "not ranked" not in out and "apart" not in out


def test_placement_refused_with_the_reason_the_results_give(tmp_path, capsys):
    path = _results_file(tmp_path)
    data = json.loads(path.read_text())
    data["official"]["scenarios"]["en"]["follow_up"]["headline"] = None
    data["official"]["overall"]["unavailable"] = {"interruption_total": {
        "reason": "no_judge", "why": "the overall interruption total cannot be computed: headline of follow_up "
                                     "missing (no judge requested (--judge none))"}}
    path.write_text(json.dumps(data))
    assert main(["leaderboard", "track2", str(path)]) == 2
    err = capsys.readouterr().err
    assert "no judge requested (--judge none)" in err and "pending" not in err
