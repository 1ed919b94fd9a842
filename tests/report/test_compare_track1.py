"""`humdial compare` on Track 1: paired differences per dimension, task and language, changed items, both modes."""

import json
import re

import pytest
from track1_fixtures import WRONG_LANGUAGE

from humdial.cli import main
from humdial.report.bootstrap import BootstrapConfig
from humdial.report.compare import compare_all
from humdial.report.compare_track1 import FINAL, in_mode, outcome
from humdial.results.track1 import ItemRecord, load_track1_results

FAST = BootstrapConfig(replicates=40)


def _diff(pair, lang, task, key):
    return next(d for d in pair.differences if (d.lang, d.scenario, d.key) == (lang, task, key))


def test_track1_differences_and_changed_items(track1_runs):
    run_a, run_b = track1_runs
    cmp = compare_all([run_a, run_b], config=FAST)
    assert cmp.track2 == [] and any("Track 2 not compared" in n for n in cmp.notes)
    (pair,) = cmp.track1
    assert pair.shared == 12 and pair.only_a == pair.only_b == 0 and pair.mode == "official"
    assert {c.item_id for c in pair.changes} == set(WRONG_LANGUAGE)
    assert all(outcome(c.a) == "judged" and outcome(c.b) == "scored 1 (language mismatch)" for c in pair.changes)
    results_a = load_track1_results(run_a / "track1_results.json")
    results_b = load_track1_results(run_b / "track1_results.json")
    t2 = _diff(pair, "en", "T2", "average")
    assert t2.a == pytest.approx(results_a.per_language["en"].tasks["T2"].avg, abs=5e-5)  # the evaluator's number
    assert t2.b == pytest.approx(results_b.per_language["en"].tasks["T2"].avg, abs=5e-5)
    assert t2.diff < 0
    final = _diff(pair, "overall", "", FINAL)
    assert round(final.a, 2) == results_a.overall.judge_audio and round(final.b, 2) == results_b.overall.judge_audio
    # untouched language: identical items cancel in every paired replicate
    for d in pair.differences:
        if d.lang == "zh" and d.diff is not None:
            assert d.diff == 0 and d.interval.low == d.interval.high == 0
    # a changed language: the interval of B - A is not degenerate, and it brackets the point difference
    assert t2.interval.low <= t2.diff <= t2.interval.high and t2.interval.low < 0


def test_mode_reapplies_the_judge_failure_policy():
    failed = ItemRecord(id="en/T1/d1", lang="en", task="T1", dialogue_id="d1", status="judge", score_source="none")
    strict = in_mode(failed, "strict")
    assert set(strict.scores.values()) == {1.0} and len(strict.scores) == 3 and outcome(strict).startswith("scored 1")
    assert in_mode(strict, "official").scores == {}  # a strict run's failure is left out under official
    no_audio = ItemRecord(id="en/T3/d2", lang="en", task="T3", dialogue_id="d2", status="judge", score_source="judge",
                          scores={"textual_empathy_insight": 4.0})
    assert len(in_mode(no_audio, "strict").scores) == 3 and in_mode(no_audio, "official").scores == no_audio.scores
    judged = ItemRecord(id="en/T1/d3", lang="en", task="T1", dialogue_id="d3", status="judge", score_source="judge",
                        scores={"Accuracy_Completeness": 5.0})
    assert in_mode(judged, "strict").scores == in_mode(judged, "official").scores == judged.scores


def test_compare_command_track1_tables_page_and_mode(track1_runs, tmp_path, capsys):
    run_a, run_b = track1_runs
    out = tmp_path / "cmp.html"
    assert main(["compare", str(run_a), str(run_b), "--out", str(out), "--replicates", "30", "--mode", "strict"]) == 0
    captured = capsys.readouterr()
    for lang in ("overall", "en", "zh"):
        assert f"Track 1 compare [{lang}] mode=strict" in captured.out
    assert "None" not in captured.out and all(i in captured.out for i in WRONG_LANGUAGE)
    assert "evaluated in official mode; compared in strict mode" in captured.err  # the re-applied policy is said
    html = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1).replace("<\\/", "</"))
    (pair,) = data["track1_pairs"]
    assert pair["mode"] == "strict" and {c["item_id"] for c in pair["changes"]} == set(WRONG_LANGUAGE)
    assert html.count('class="pair" data-item=') == 2
    t3 = html[html.index(f'data-item="{WRONG_LANGUAGE[1]}"'):]
    assert t3.count("<audio") == 2  # both systems' replies playable side by side
    assert not re.search(r"<td[^>]*>\d+\.\d{3,}</td>", html)  # Track 1 values at 2 dp


def test_compare_without_a_shared_track_is_a_usage_error(track1_runs, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["compare", str(track1_runs[0]), str(empty), "--out", str(tmp_path / "x.html")]) == 2
    assert "no track with readable results in every run" in capsys.readouterr().err
