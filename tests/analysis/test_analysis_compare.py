"""`humdial compare`: paired differences over shared samples, verdict flips, terminal tables and one HTML page."""

import json
import re

from humdial.cli import main
from humdial.report.bootstrap import BootstrapConfig
from humdial.report.compare import compare_runs


def test_compare_finds_the_flip_and_the_difference(two_runs, silenced):
    run_a, run_b = two_runs
    sides, (pair,) = compare_runs([run_a, run_b], config=BootstrapConfig(replicates=40))
    assert pair.shared == 4 and pair.only_a == pair.only_b == 0
    flipped = {f.sample_id: f for f in pair.flips}
    sid = f"en/pause/{silenced}"
    assert sid in flipped and flipped[sid].a.verdict == "passed" and flipped[sid].b.verdict == "failed"
    assert "silent output" in flipped[sid].b.reason
    pause = next(d for d in pair.differences if d.lang == "en" and d.scenario == "pause" and d.key == "headline")
    a_value = sides[0].data.track2.block(pair.mode).scenarios["en"]["pause"].headline
    assert pause.a == a_value  # the reference's point value over all (= shared) samples is the results file's
    if pair.mode == "strict":
        assert pause.diff < 0
    same = next(d for d in pair.differences if d.lang == "en" and d.scenario == "follow_up" and d.key == "headline")
    assert same.diff in (0, None)  # untouched scenario: no difference
    if same.diff == 0 and same.interval and same.interval.low is not None:
        assert same.interval.low == same.interval.high == 0  # paired resampling: identical samples cancel


def test_compare_command_prints_titled_tables_and_writes_the_page(two_runs, silenced, tmp_path, capsys):
    run_a, run_b = two_runs
    out = tmp_path / "cmp.html"
    assert main(["compare", str(run_a), str(run_b), "--out", str(out), "--replicates", "30", "--mode", "strict",
                 "--all-rows"]) == 0
    captured = capsys.readouterr()
    assert "[en] mode=strict" in captured.out  # titled with language and mode (rich markup escaped)
    assert "None" not in captured.out and silenced in captured.out
    assert "comparison page" in captured.err and "comparison page" not in captured.out  # progress on stderr
    html = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1).replace("<\\/", "</"))
    (pair,) = data["pairs"]
    assert [f["sample_id"] for f in pair["flips"]] == [f"en/pause/{silenced}"]
    assert html.count('class="pair"') == 1 and html.count('data-chart="timeline"') == 2  # side by side
    pause = [d for d in pair["differences"] if d["scenario"] == "pause" and d["key"] == "headline"][0]
    assert pause["diff"] < 0  # strict: the silent sample fails the rejection criterion
    assert main(["compare", str(run_a)]) == 2
