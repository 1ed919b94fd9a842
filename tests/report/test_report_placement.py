"""Leaderboard charts in the report: a proxy, synthetic or partial run is drawn apart from the published
rows, unnumbered and labelled, never as #1 above the published winner (issue 13 item 4, issue 17)."""

import json
import re

from humdial.protocol.resources import published_results
from humdial.report import ReportOptions, build_report
from humdial.report.bootstrap import BootstrapConfig
from humdial.results.track1 import SCHEMA as T1_SCHEMA

FAST = ReportOptions(bootstrap=BootstrapConfig(replicates=20))


def _track1_run(tmp_path, judge_audio=4.9):
    data = {"schema": T1_SCHEMA,
            "provenance": {"judge": {"backend": "proxy", "model": "proxy"}, "comparable_to_official": False},
            "per_language": {"en": {"final": None, "final_with_judge_audio_dims": {"value": judge_audio}}},
            "overall": {"official": None, "judge_audio": judge_audio},
            "items": [{"id": f"i{k}", "lang": "en", "task": "T1", "dialogue_id": f"d{k}", "status": "ok"}
                      for k in range(5)]}
    (tmp_path / "track1_results.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def _bars(svg: str) -> list[tuple[str, str]]:
    """(kind, label) of every bar, top to bottom."""
    return re.findall(r'<g class="bar bar-(\w+)">.*?class="label"[^>]*>([^<]*)</text>', svg)


def test_track1_proxy_run_is_not_drawn_as_first_above_the_published_winner(tmp_path):
    html = build_report(_track1_run(tmp_path), FAST).read_text(encoding="utf-8")
    section = html[html.index('id="track1"'):]
    svg = section[section.index("<svg"):section.index("</svg>")]
    bars = _bars(svg)
    winner = max(published_results()["track1"]["final_ranking"], key=lambda r: r["final"])["team"]
    assert bars[0] == ("published", f"#1 {winner}")  # the published winner stays first
    ours = [b for b in bars if b[0] != "published"]
    assert len(ours) == 1 and bars[-1] == ours[0]  # drawn last, below the divider
    kind, label = ours[0]
    assert kind == "proxy" and not label.startswith("#")  # unnumbered
    assert label.startswith("this run")
    band = re.search(r'class="apart-title"[^>]*>([^<]*)<', svg).group(1)
    assert band.startswith("your run (not comparable, not ranked)")
    assert "proxy judge" in band and "own data" in band and "en only" in band and "n=5" in band
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1).replace("<\\/", "</"))
    assert data["track1"]["placement"]["comparable"] is False
    assert "set apart, not ranked" in section
    # the finals that cannot be computed say why: no zh dialogues, and the official one needs human D2/D3
    official_card = section[section.index('data-key="track1/official/overall"'):]
    official_card = official_card[:official_card.index("</div></div>") if "</div></div>" in official_card else 800]
    assert "unavailable: no zh dialogues" in official_card and "incomplete" in official_card


def test_track2_chart_states_why_no_final_and_facts_of_the_run(report_run, tmp_path):
    html = build_report(report_run, ReportOptions(out=tmp_path / "r.html",
                                                   bootstrap=BootstrapConfig(replicates=20))).read_text("utf-8")
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1).replace("<\\/", "</"))
    placement = data["track2"]["placement"]
    assert placement["comparable"] is False
    assert "judge:" in placement["facts"] and "data:" in placement["facts"] and "samples:" in placement["facts"]
    section = html[html.index('id="track2"'):]
    svg = section[section.index('data-chart="bar"') - 40:]
    svg = svg[:svg.index("</svg>")]
    numbered = [label for kind, label in _bars(svg) if label.startswith("#")]
    assert all(kind == "published" for kind, label in _bars(svg) if label.startswith("#"))
    assert len(numbered) == len(published_results()["track2"]["test_leaderboard"])
    assert ">pending<" not in html and "Pending" not in html
