"""Numbers as the report and the terminal show them: one format per unit, never a raw float.

SECONDS_DP / PERCENT_DP / SCORE_DP are the display precisions (the results files keep full values):
seconds at 3 dp (1 ms, the resolution of the published latencies), percentages and 0-100 scores at
1 dp (the official totals' rounding).
"""

from __future__ import annotations

SECONDS_DP = 3
PERCENT_DP = 1
SCORE_DP = 1
MISSING = "-"
"""What a missing value prints as (never `None`)."""


class Markup(str):
    """A table cell that is already HTML (a link), so it is not escaped."""


def seconds(x: float | None, unit: bool = False) -> str:
    return MISSING if x is None else f"{x:.{SECONDS_DP}f}" + (" s" if unit else "")


def percent(fraction: float | None) -> str:
    """A fraction in [0, 1] as a percentage."""
    return MISSING if fraction is None else f"{fraction * 100:.{PERCENT_DP}f}%"


def score(x: float | None) -> str:
    """A 0-100 score or total (already on the percentage scale)."""
    return MISSING if x is None else f"{x:.{SCORE_DP}f}"


def track1_score(x: float | None) -> str:
    """Track 1 finals are published at 2 dp (scores on the judge's 1-5 / 0-100 scales)."""
    return MISSING if x is None else f"{x:.2f}"


def count(x: int | None) -> str:
    return MISSING if x is None else str(int(x))


def by_unit(x: float | None, unit: str) -> str:
    """Format by a unit name: "s", "%" (fraction), "score"."""
    return {"s": seconds, "%": percent}.get(unit, score)(x)


def interval(low: float | None, high: float | None, unit: str) -> str:
    if low is None or high is None:
        return MISSING
    return f"[{by_unit(low, unit)}, {by_unit(high, unit)}]"
