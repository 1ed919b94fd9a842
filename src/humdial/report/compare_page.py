"""The comparison as one self-contained HTML page: differences with paired intervals, and the samples
whose verdict flipped, each run's drill-down side by side."""

from __future__ import annotations

import datetime as _dt
from html import escape
from pathlib import Path

from humdial.report.compare import Difference, Pair, RunSide
from humdial.report.drilldown import track2_sample_html
from humdial.report.fmt import MISSING, by_unit, interval
from humdial.report.media import AudioBudget
from humdial.report.page import SMALL_SAMPLE, page, table

EXTRA_CSS = (".pair{display:grid;grid-template-columns:1fr 1fr;gap:12px;border-top:2px solid #cbd5e0;margin-top:10px}"
             ".pair>div{overflow-x:auto;min-width:0}.better{color:#276749}.worse{color:#c53030}")
LOWER_IS_BETTER = ("total_delay_s", "first_response_delay")
MAX_FLIPS_DRAWN = 30
"""Flipped samples drawn side by side per pair (all flips are listed in the table)."""


LABELS = {"final_score": "final", "interruption_total": "interruption", "rejection_total": "rejection",
          "total_delay_s": "total delay (s)", "delay_score": "delay score", "headline": "headline (%)",
          "first_response_delay": "first resp (s)"}


def _signed(d: Difference) -> str:
    if d.diff is None:
        return MISSING
    text = by_unit(abs(d.diff), d.unit)
    return ("+" if d.diff > 0 else "-" if d.diff < 0 else "") + text


def _significance(d: Difference) -> str:
    iv = d.interval
    if d.diff is None:
        return MISSING
    if iv is None or iv.low is None or iv.high is None or iv.low <= 0 <= iv.high:
        return "no clear difference"
    better = (d.diff < 0) == (d.key in LOWER_IS_BETTER)
    return "B better" if better else "B worse"


def difference_rows(pair: Pair) -> list[list[object]]:
    """Rows with a value in at least one run (scenarios neither run has are left out)."""
    return [[d.lang, d.scenario or "(total)", LABELS.get(d.key, d.key), by_unit(d.a, d.unit), by_unit(d.b, d.unit), _signed(d),
             interval(d.interval.low, d.interval.high, d.unit) if d.interval else MISSING, _significance(d)]
            for d in pair.differences if d.a is not None or d.b is not None]


def _pair_html(pair: Pair, sides: dict[str, RunSide], report_dir: Path, budget: AudioBudget) -> str:
    a, b = sides[pair.a], sides[pair.b]
    warn = (f"<p class='note'>Only {pair.shared} shared samples: intervals from fewer than {SMALL_SAMPLE} samples "
            "are unreliable.</p>" if pair.shared < SMALL_SAMPLE else "")
    flips = [[f.sample_id, f.a.verdict, f.a.reason, f.b.verdict, f.b.reason] for f in pair.flips]
    drawn = []
    for f in pair.flips[:MAX_FLIPS_DRAWN]:
        left = track2_sample_html(a.records[f.sample_id], a.data.verdicts, a.data.run_dir, report_dir, budget,
                                  f.a, anchor="a-")
        right = track2_sample_html(b.records[f.sample_id], b.data.verdicts, b.data.run_dir, report_dir, budget,
                                   f.b, anchor="b-")
        drawn.append(f'<div class="pair" data-sample="{escape(f.sample_id)}"><div><b>A</b> {left}</div>'
                     f'<div><b>B</b> {right}</div></div>')
    return (f'<section class="block compare"><h2>B = <code>{escape(pair.b)}</code> vs A = <code>{escape(pair.a)}</code>'
            f' <span class="badge">mode: {escape(pair.mode)}</span></h2>'
            f'<p class="muted">Shared samples {pair.shared}; only in A {pair.only_a}; only in B {pair.only_b}. '
            f'Differences are B - A over the shared samples, with a paired stratified bootstrap 95% interval.</p>{warn}'
            + table(["lang", "scenario", "value", "A", "B", "B - A", "95% CI of B - A", "reading"],
                    difference_rows(pair), left=3, cls="diffs")
            + f'<h3>Samples whose verdict flipped ({len(pair.flips)})</h3>'
            + (table(["sample", "A", "A: why", "B", "B: why"], flips, left=5) if flips else "<p>none</p>")
            + (f'<h3>Flipped samples side by side ({len(drawn)} drawn)</h3>' + "".join(drawn) if drawn else "")
            + "</section>")


def write_compare_page(sides: list[RunSide], pairs: list[Pair], out: Path, audio: str = "auto",
                       embed_budget_mb: float = 4.0) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    budget = AudioBudget(mode=audio, limit_bytes=int(embed_budget_mb * 1024 * 1024))
    by_name = {s.name: s for s in sides}
    body = "".join(_pair_html(p, by_name, out.parent, budget) for p in pairs)
    data = {"runs": [s.name for s in sides],
            "pairs": [{"a": p.a, "b": p.b, "mode": p.mode, "shared": p.shared,
                       "differences": [d.as_dict() for d in p.differences],
                       "flips": [{"sample_id": f.sample_id, "a": f.a.as_dict(), "b": f.b.as_dict()} for f in p.flips]}
                      for p in pairs]}
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    html = page("humdial run comparison", f"{len(sides)} runs - generated {stamp} by humdial", body, data)
    out.write_text(html.replace("</style>", EXTRA_CSS + "</style>", 1), encoding="utf-8")
    return out
