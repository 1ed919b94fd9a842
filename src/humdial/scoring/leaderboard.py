"""Place a Track 2 result among the published leaderboard rows.

The delay score depends on the field (L_min is the lowest delay among the rows), so every
row's delay score and final score are recomputed with the new row included.
Published rows are on the official test set; a humdial run is on its own data: the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from humdial.protocol.resources import published_results
from humdial.scoring import track2 as scoring


@dataclass
class Row:
    team: str
    interruption_total: float
    rejection_total: float
    total_delay_s: float
    published_final: float | None = None
    ours: bool = False
    delay_score: float | None = None
    final: float | None = None


def published_rows(include_fdbench: bool = False) -> list[Row]:
    t2 = published_results()["track2"]
    rows = [Row(r["team"], r["int_total"], r["rej_total"], r["total_delay_s"], r["total"])
            for r in t2["test_leaderboard"]]
    if include_fdbench:
        rows += [Row(r["team"] + " (FDBench)", r["int_total"], r["rej_total"], r["total_delay_s"], r["total"])
                 for r in t2["fdbench_extra_systems"]]
    return rows


def rank(rows: list[Row], params: scoring.DelayScoreParams, recompute_l_min: bool = True) -> list[Row]:
    """Recompute delay and final scores for all rows (L_min = fastest row when asked) and sort by final."""
    if recompute_l_min:
        params = replace(params, L_min=min(r.total_delay_s for r in rows))
    for r in rows:
        r.delay_score = scoring.delay_score(r.total_delay_s, params)
        r.final = scoring.final_score(r.interruption_total, r.rejection_total, r.delay_score)
    return sorted(rows, key=lambda r: -r.final)
