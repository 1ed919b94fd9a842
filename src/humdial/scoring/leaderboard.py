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


@dataclass(frozen=True)
class RunFacts:
    """What a placement must state about a run: who judged, on what data, which languages, how many samples."""

    judge: str
    data: str
    languages: str
    samples: int | None
    failed: int = 0

    @property
    def comparable(self) -> bool:
        """Ranked among the published rows only when judged by an LLM on the official test layout, both
        languages, every sample evaluated; anything else is set apart (a proxy or partial run is not a rank)."""
        return (self.judge.startswith("LLM") and self.data == "official test layout"
                and self.languages == "en+zh" and not self.failed and bool(self.samples))

    @property
    def proxy(self) -> bool:
        return self.judge.startswith("offline proxy")

    @property
    def scope(self) -> str:
        """The languages in words: both, en only, zh only."""
        return {"en+zh": "both languages", "en": "en only", "zh": "zh only"}.get(self.languages, self.languages)

    def caveat(self) -> str:
        n = "unknown" if self.samples is None else str(self.samples)
        text = f"judge: {self.judge}; data: {self.data}; languages: {self.languages} ({self.scope}); samples: {n}"
        return text + (f"; {self.failed} samples failed" if self.failed else "")

    def short_label(self) -> str:
        """A few words for a chart row: why the run is or is not comparable with the published rows."""
        judge = "proxy judge" if self.proxy else ("LLM judge" if self.judge.startswith("LLM") else f"judge {self.judge}")
        data = "official test" if self.data == "official test layout" else (
            "own synthetic/dev data" if self.data.startswith("own synthetic") else
            "own data" if self.data.startswith("own") else "data unknown")
        n = "?" if self.samples is None else str(self.samples)
        tail = "" if self.comparable else ", not comparable"
        return f"{judge}, {data}, {self.scope}, n={n}{tail}"


def run_facts(results: dict | None) -> RunFacts:
    """RunFacts from a track2_results.json dict (None or a bare scenario-values file: provenance unknown)."""
    prov = (results or {}).get("provenance") or {}
    if not prov:
        return RunFacts("unknown", "unknown (scenario values without provenance)", "unknown", None)
    judge = prov.get("judge") or {}
    backend = judge.get("backend") if isinstance(judge, dict) else None
    if backend == "proxy":
        kind = "offline proxy (NOT comparable to official LLM-judged scores)"
    elif backend:
        kind = f"LLM {judge.get('model', '')}".strip()
    else:
        kind = "none (judge-based values reused or missing)"
    data = "official test layout" if prov.get("layout") == "test" else "own synthetic/dev data"
    counts = results.get("counts") or {}
    langs = sorted((results.get("units") or {}).keys())
    return RunFacts(kind, data, "+".join(langs) if langs else "none", counts.get("samples"),
                    int(counts.get("with_errors") or 0))


def track1_facts(results: dict | None) -> RunFacts:
    """RunFacts of a track1_results.json dict. Track 1 runs are never ranked: the official final needs the
    organisers' human D2/D3 ratings and judge, and no humdial run records that it used the official test set."""
    prov = (results or {}).get("provenance") or {}
    if not prov:
        return RunFacts("unknown", "unknown", "unknown", None)
    judge = prov.get("judge") or {}
    if judge.get("backend") == "proxy":
        kind = "offline proxy (NOT comparable to official LLM-judged scores)"
    elif judge.get("backend"):
        kind = f"LLM {judge.get('model', '')}".strip() + ("" if prov.get("comparable_to_official", True)
                                                          else " (own rubrics, not official)")
    else:
        kind = "unknown"
    langs = sorted((results.get("per_language") or {}).keys())
    items = results.get("items") or []
    return RunFacts(kind, "own data (not recorded as the official test set)", "+".join(langs) if langs else "none",
                    len(items) if items else None)


def place(published: list[Row], ours: Row, params: scoring.DelayScoreParams, facts: RunFacts,
          recompute_l_min: bool = True) -> tuple[list[Row], int | None, int]:
    """(rows to show, our rank or None when set apart, the rank it would take).

    A comparable run is ranked with the field. Any other run is scored against the published field
    alone (its own delay never moves L_min) and shown apart: the published ranks do not change.
    """
    if facts.comparable:
        rows = rank(published + [ours], params, recompute_l_min)
        at = rows.index(ours) + 1
        return rows, at, at
    if recompute_l_min:
        params = replace(params, L_min=min(r.total_delay_s for r in published))
    rows = rank(published, params, recompute_l_min=False)
    ours.delay_score = scoring.delay_score(ours.total_delay_s, params)
    ours.final = scoring.final_score(ours.interruption_total, ours.rejection_total, ours.delay_score)
    would = 1 + sum(r.final > ours.final for r in rows)
    return rows, None, would
