"""Leaderboard placement states judge, data, languages and samples; proxy or partial runs are set apart."""

from __future__ import annotations

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
