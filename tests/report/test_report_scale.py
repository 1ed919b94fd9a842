"""A 1,000-sample run gives a page that stays small: every sample listed, 40 drawn, audio linked past the budget.
Measured: 4.4 MB with all 80 drawn clips embedded as Ogg Vorbis (FLAC made 14 MB for 56 samples)."""

import json

from humdial.report import ReportOptions, build_report
from humdial.report.bootstrap import BootstrapConfig

PAGE_LIMIT_MB = 12
"""What a 1,000-sample page may weigh (4 MB embedded audio + list + 40 drill-downs)."""


def test_thousand_sample_page_stays_small(report_run, tmp_path):
    raw = json.loads((report_run / "track2_results.json").read_text(encoding="utf-8"))
    base = raw["samples"]
    raw["samples"] = [{**base[i % len(base)], "sample_id": f"{base[i % len(base)]['sample_id']}-{i}"}
                      for i in range(1000)]
    run = tmp_path / "big"
    run.mkdir()
    (run / "track2_results.json").write_text(json.dumps(raw), encoding="utf-8")
    out = build_report(run, ReportOptions(bootstrap=BootstrapConfig(replicates=5)))
    html = out.read_text(encoding="utf-8")
    assert html.count('class="srow"') == 1000
    assert html.count('data-chart="timeline"') == 40
    assert out.stat().st_size < PAGE_LIMIT_MB * 1024 * 1024, out.stat().st_size
    assert 'src="data:audio/ogg' in html
    small = build_report(run, ReportOptions(out=tmp_path / "small.html", embed_budget_mb=0.2,
                                            bootstrap=BootstrapConfig(replicates=5))).read_text(encoding="utf-8")
    assert 'src="data:audio/ogg' in small and 'preload="none" src="../' in small  # embedded, then linked
