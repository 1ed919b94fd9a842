"""The report's numbers are the results files' numbers; missing parts degrade to notes."""

import json
import re

import pytest

from humdial.cli import main
from humdial.report import ReportOptions, build_report
from humdial.report.bootstrap import BootstrapConfig, stratified_bootstrap
from humdial.report.track1_view import substitute_finals
from humdial.results.track1 import load_track1_results
from humdial.results.track2 import dump, load_track2_results
from humdial.results.verdicts import read_verdicts

FAST = ReportOptions(bootstrap=BootstrapConfig(replicates=60))


def _data(html: str) -> dict:
    blob = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob.replace("<\\/", "</"))


def _cards(html: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r'data-key="([^"]+)" data-value="([^"]+)"', html)}


def test_track2_numbers_equal_results(report_run, tmp_path):
    out = build_report(report_run, ReportOptions(out=tmp_path / "r.html", bootstrap=BootstrapConfig(replicates=60)))
    html = out.read_text(encoding="utf-8")
    results = json.loads((report_run / "track2_results.json").read_text())
    data = _data(html)["track2"]
    mode = results["mode"]
    assert data["overall"] == {k: results[mode]["overall"].get(k) for k in data["overall"]}
    for key, value in _cards(html).items():
        assert value == results[mode]["overall"][key.split("/", 1)[1]]
    for row in data["scenarios"]:
        source = results[mode]["scenarios"][row["lang"]][row["id"]]
        assert row["headline"] == source["headline"]
        assert row["first_response_delay"] == source["first_response_delay"]
        if row["headline"] is not None:
            shown = f"{row['headline'] * 100:.1f}%"  # headlines are fractions, shown as percentages at 1 dp
            assert re.search(rf'<td class="l">{re.escape(row["scenario"])}</td>.*?<td class="">{re.escape(shown)}</td>', html)
    # every drawn sample has both waveforms and the VAD lanes on one axis
    assert html.count('data-chart="timeline"') == len(results["samples"])
    assert "C_RESUME" in html or "C_RESPOND" in html  # the proxy judge's verdicts are shown
    assert "proxy" in html
    assert not re.search(r">\s*None\s*<", html)
    assert not re.search(r"<td[^>]*>\d+\.\d{4,}</td>", html)  # no raw floats in any table


def test_every_sample_has_a_verdict_with_a_reason(report_run, tmp_path):
    """Results carry the verdict; the page lists every sample with it, a failures filter and scenario links."""
    results = load_track2_results(report_run / "track2_results.json")
    assert all(s.verdict is not None and s.verdict.reason for s in results.samples)
    by_id = {s.sample_id: s for s in results.samples}
    # the fixture's last pause sample starts 0.8 s early: it must fail on timestamp order
    early = [s for s in results.samples if s.unit == "pause" and s.first_response and s.first_response.diff < 0]
    assert early and all(s.verdict.verdict == "failed" and "early start" in s.verdict.reason for s in early)
    waited = [s for s in results.samples if s.unit == "pause" and s.first_response and s.first_response.diff > 0]
    assert waited and all(s.verdict.verdict == "passed" for s in waited)
    html = build_report(report_run, ReportOptions(out=tmp_path / "v.html", bootstrap=BootstrapConfig(replicates=20))).read_text()
    data = _data(html)["track2"]
    assert set(data["verdicts"]) == set(by_id)
    assert {k: v["verdict"] for k, v in data["verdicts"].items()} == {k: s.verdict.verdict for k, s in by_id.items()}
    assert html.count('class="srow"') == len(by_id)
    assert 'id="track2-samples-verdict"' in html and '<option value="failed">' in html
    assert html.count('class="goto"') == len(data["scenarios"])
    assert ">evaluated<" in html and ">ok<" not in html


def test_track1_numbers_equal_results_and_bootstrap_uses_the_same_arithmetic(tmp_path):
    from humdial.generate.track1.example import write_example

    gold, sub = write_example(tmp_path / "ex")
    run = tmp_path / "run"
    assert main(["eval", "track1", "--gold", str(gold), "--submission", str(sub), "--out", str(run)]) in (0, 1)
    results = json.loads((run / "track1_results.json").read_text())
    recomputed = substitute_finals(load_track1_results(run / "track1_results.json").items)
    for lang in ("zh", "en"):
        published = results["per_language"][lang]["final_with_judge_audio_dims"]["value"]
        assert round(recomputed[lang] + 1e-9, 2) == published
    html = build_report(run, FAST).read_text(encoding="utf-8")
    cards = _cards(html)
    assert cards["track1/substitute/overall"] == results["overall"]["judge_audio"]
    assert cards["track1/substitute/en"] == results["per_language"]["en"]["final_with_judge_audio_dims"]["value"]
    iv = _data(html)["track1"]["intervals"]["overall"]
    assert iv["low"] <= recomputed["overall"] <= iv["high"]
    assert "NOT official" in html or "not official" in html


def test_missing_and_broken_parts_become_notes(tmp_path):
    empty = build_report(tmp_path, FAST).read_text(encoding="utf-8")
    assert "No results yet" in empty and "no track2_results.json" in empty
    (tmp_path / "track2_results.json").write_text("{not json", encoding="utf-8")
    broken = build_report(tmp_path, FAST).read_text(encoding="utf-8")
    assert "unreadable" in broken
    (tmp_path / "track2_results.json").write_text(json.dumps({"schema": "humdial.track2_results/0"}), encoding="utf-8")
    old = build_report(tmp_path, FAST).read_text(encoding="utf-8")
    assert "schema humdial.track2_results/0 is not readable" in old and "No results yet" in old
    (tmp_path / "track2_results.json").write_text(json.dumps({"schema": "humdial.track2_results/1", "samples": [{}]}),
                                                  encoding="utf-8")
    invalid = build_report(tmp_path, FAST).read_text(encoding="utf-8")
    assert "samples.0.sample_id" in invalid


def test_results_file_reads_back_unchanged_with_every_tag(report_run):
    path = report_run / "track2_results.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert dump(load_track2_results(path)) == raw
    judged = [s for s in raw["samples"] if s["unit"] == "follow_up"]
    assert judged and all(s["judge"]["tags"] for s in judged)
    log = read_verdicts(report_run)
    assert all(list(log.records[("follow_up", s["sample_id"])].tags) == s["judge"]["tags"] for s in judged)


def test_bootstrap_is_seeded_and_stratified():
    items = [("a", 1.0)] * 5 + [("b", 0.0)] * 5 + [("b", 1.0)] * 5

    def stat(sample):
        a = [v for g, v in sample if g == "a"]
        return {"a_mean": sum(a) / len(a), "overall": sum(v for _, v in sample) / len(sample)}

    first = stratified_bootstrap(items, lambda x: x[0], stat, BootstrapConfig(replicates=200, seed=1))
    again = stratified_bootstrap(items, lambda x: x[0], stat, BootstrapConfig(replicates=200, seed=1))
    assert first == again
    assert first["a_mean"].low == first["a_mean"].high == 1.0  # stratum 'a' never loses its members
    assert first["overall"].low < 2 / 3 < first["overall"].high


@pytest.mark.parametrize("mode,needle", [("link", 'src="'), ("embed", "data:audio/ogg;base64,")])
def test_audio_modes(report_run, tmp_path, mode, needle):
    out = build_report(report_run, ReportOptions(out=tmp_path / f"{mode}.html", audio=mode,
                                                 bootstrap=BootstrapConfig(replicates=20)))
    html = out.read_text(encoding="utf-8")
    srcs = re.findall(r'<audio controls preload="none" src="([^"]*)"', html)
    assert srcs and all(s.startswith("data:audio/ogg") == (mode == "embed") for s in srcs)
    if mode == "link":
        assert all((out.parent / s).is_file() for s in srcs)
