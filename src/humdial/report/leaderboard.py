"""Leaderboard charts: the run placed beside the published rows of both tracks.

Published numbers are on the official (human-recorded) test sets with the organisers' judging. A run
is drawn among them, with a rank number, only when `RunFacts.comparable` holds (LLM judge, official test
layout, both languages, no failed sample); any other run (proxy-judged, synthetic, one language) is drawn
in a separate band below the published rows, unnumbered, labelled with its judge, data, languages and
sample count, so it can never read as "#1 above the published winner".
"""

from __future__ import annotations

from humdial.protocol.resources import published_results
from humdial.report.bootstrap import Interval
from humdial.report.svg import Bar, bar_chart
from humdial.scoring.leaderboard import RunFacts

CAVEAT = ("Grey bars: published results on the official test sets, numbered by rank. A run that is not "
          "comparable (proxy judge, own synthetic data, one language, or failed samples) is drawn below the "
          "dashed line, unnumbered: it is not a placement among the published rows.")
PROXY_NOTE = "orange = scored with the offline proxy judge, not comparable to the official LLM/human judging"
APART_TITLE = "your run (not comparable, not ranked):"
"""Title of the band below the published rows; the run's judge, data, languages and sample count follow it."""


def _ours(label: str, value: float | None, interval: Interval | None, facts: RunFacts) -> Bar | None:
    """Our bar; a ranked one carries the run's facts in its label, an apart one under the band's title."""
    if value is None:
        return None
    text = f"{label} ({facts.short_label()})" if facts.comparable else label
    return Bar(text, float(value), "proxy" if facts.proxy else "ours",
               interval.low if interval else None, interval.high if interval else None,
               note=facts.caveat())


def _chart(published: list[Bar], ours: Bar | None, facts: RunFacts, title: str, x_max: float,
           missing_note: str) -> tuple[str, str]:
    if ours is None:
        return bar_chart(published, title, x_max=x_max), missing_note
    if facts.comparable:
        note = f"This run is ranked among the published rows ({facts.caveat()})."
        return bar_chart(published + [ours], title, x_max=x_max), note
    note = (f"This run is set apart, not ranked ({facts.caveat()})."
            + (" " + PROXY_NOTE if facts.proxy else ""))
    return bar_chart(published, title, x_max=x_max, apart=[ours],
                     apart_title=f"{APART_TITLE[:-1]}: {facts.short_label()}"), note


def track2_chart(final: float | None, interval: Interval | None, facts: RunFacts, label: str = "this run",
                 why_missing: str = "") -> tuple[str, str]:
    """(svg, note). `why_missing`: why the run has no final score (drawn without our bar then)."""
    rows = published_results()["track2"]["test_leaderboard"]
    missing = ("This run has no Track 2 final score (" + (why_missing or "it could not be computed")
               + "), so only the published rows are drawn.")
    return _chart([Bar(r["team"], r["total"]) for r in rows], _ours(label, final, interval, facts), facts,
                  "Track 2 final score (published test leaderboard; this run apart unless comparable)", 100, missing)


def track1_chart(final: float | None, interval: Interval | None, facts: RunFacts, label: str = "this run",
                 why_missing: str = "") -> tuple[str, str]:
    rows = published_results()["track1"]["final_ranking"]
    missing = ("This run has no Track 1 final score (" + (why_missing or "it could not be computed")
               + "), so only the published rows are drawn.")
    return _chart([Bar(r["team"], r["final"]) for r in rows], _ours(label, final, interval, facts), facts,
                  "Track 1 final score (published ranking; this run apart unless comparable)", 5, missing)
