"""Leaderboard charts: the run placed among the published rows of both tracks.

Published numbers are on the official (human-recorded) test sets; ours are on the run's own data,
usually synthetic. The chart says so, and numbers from the proxy judge are drawn in their own colour.
"""

from __future__ import annotations

from humdial.protocol.resources import published_results
from humdial.report.bootstrap import Interval
from humdial.report.svg import Bar, bar_chart

CAVEAT = ("Grey bars: published results on the official test sets. Coloured bar: this run, on this run's data "
          "(not the official test set), so the comparison is indicative only.")
PROXY_NOTE = "orange = scored with the offline proxy judge, not comparable to the official LLM/human judging"


def _ours(label: str, value: float | None, interval: Interval | None, proxy: bool, facts: str = "") -> Bar | None:
    """Our bar, labelled as set apart: it is never a rank among the official rows (own data, maybe proxy)."""
    if value is None:
        return None
    label = f"{label} [not ranked: {'proxy judge, ' if proxy else ''}{facts or 'own data'}]"
    return Bar(label, float(value), "proxy" if proxy else "ours",
               interval.low if interval else None, interval.high if interval else None,
               note="proxy judge" if proxy else "")


def track2_chart(final: float | None, interval: Interval | None, proxy: bool, label: str = "this run",
                 facts: str = "") -> tuple[str, str]:
    """(svg, note). `facts`: judge, data, languages and sample count of the run, stated beside its bar.
    The note says why our bar is absent when no final score can be computed."""
    rows = published_results()["track2"]["test_leaderboard"]
    bars = [Bar(r["team"], r["total"]) for r in rows]
    ours = _ours(label, final, interval, proxy, facts)
    note = (CAVEAT + (" " + PROXY_NOTE if proxy else "") if ours else
            "This run has no Track 2 final score: a judge-based headline could not be computed (no judge was run, "
            "or it failed; see the notes), so only the published rows are drawn.")
    return bar_chart(bars + ([ours] if ours else []), "Track 2 final score (published test leaderboard vs this run)",
                     x_max=100), note


def track1_chart(final: float | None, interval: Interval | None, proxy: bool, label: str = "this run",
                 facts: str = "") -> tuple[str, str]:
    rows = published_results()["track1"]["final_ranking"]
    bars = [Bar(r["team"], r["final"]) for r in rows]
    ours = _ours(label, final, interval, proxy, facts)
    note = CAVEAT + (" " + PROXY_NOTE if proxy else "") if ours else "This run has no Track 1 final score, so only the published rows are drawn."
    return bar_chart(bars + ([ours] if ours else []), "Track 1 final score (published vs this run)", x_max=5), note
