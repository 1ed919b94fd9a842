"""Track 2 section of the report, built from `track2_results.json` (+ the run's verdict log).

Point values are copied from the results file (the report never recomputes a headline number).
Confidence intervals come from a stratified bootstrap over samples: each replicate resamples the
samples of every (language, unit) group and re-runs the evaluator's own `aggregate`, so the intervals
use exactly the arithmetic that produced the point values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from humdial.protocol import track2 as registry
from humdial.report.bootstrap import BootstrapConfig, Interval, stratified_bootstrap

HEADLINE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("final_score", "Final score", ""), ("interruption_total", "Interruption", ""),
    ("rejection_total", "Rejection", ""), ("total_delay_s", "Total delay", " s"), ("delay_score", "Delay score", ""))
"""(key in results[mode]['overall'], display name, unit)."""


@dataclass
class Track2View:
    mode: str
    overall: dict
    intervals: dict[str, Interval]
    languages: dict[str, dict]
    language_intervals: dict[str, dict[str, Interval]]
    scenario_rows: list[dict]
    latencies: dict[str, list[float]]
    judge_note: str
    pending: list[str]
    counts: dict
    samples: list[dict] = field(default_factory=list)


def sample_tag(record: dict, verdicts: dict[tuple[str, str], dict]) -> str | None:
    """The behaviour tag of one sample: from the record itself, else from the run's verdict log."""
    judge = record.get("judge")
    if isinstance(judge, dict) and judge.get("tag"):
        return str(judge["tag"])
    verdict = verdicts.get((record.get("unit", ""), record.get("sample_id", "")))
    if verdict and verdict.get("status", "ok") == "ok" and verdict.get("tag"):
        return str(verdict["tag"])
    return None


def judge_ratios(records: list[dict], verdicts: dict[tuple[str, str], dict], results: dict) -> dict | None:
    """(lang, unit) -> {'ratio', 'n'} for judge-scored units.

    Per-sample tags are used when they exist (so the bootstrap resamples them); otherwise a ratio the
    results file already carries is held fixed, and a unit with neither stays pending (None).
    """
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        groups[(r["lang"], r["unit"])].append(r)
    out: dict[tuple[str, str], dict] = {}
    for (lang, key), recs in groups.items():
        unit = registry.unit_by_key(key)
        if unit.judge_target is None:
            continue
        tags = [sample_tag(r, verdicts) for r in recs]
        judged = [t for t in tags if t is not None]
        if judged:
            ratio = sum(t == unit.judge_target for t in judged) / len(judged)
            out[(lang, key)] = {"ratio": ratio, "n": len(judged), "strict_ratio": ratio * len(judged) / len(recs),
                                "strict_n": len(recs)}
            continue
        fixed = results.get("units", {}).get(lang, {}).get(key, {}).get("official", {}).get("headline")
        if fixed is not None:
            n = results["units"][lang][key]["official"].get("headline_n", len(recs))
            out[(lang, key)] = {"ratio": fixed, "n": n}
    return out or None


def _params(results: dict):
    from humdial.scoring.track2 import DelayScoreParams

    raw = results.get("official", {}).get("overall", {}).get("delay_score_params")
    if not isinstance(raw, dict):
        return DelayScoreParams()
    return DelayScoreParams(**{k: raw[k] for k in ("k", "L_min", "L_base", "clip") if k in raw})


def _scenario_rows(results: dict, mode: str) -> list[dict]:
    rows = []
    block = results.get(mode, {}).get("scenarios", {})
    for lang, scen in block.items():
        units = results.get("units", {}).get(lang, {})
        for sc in registry.scenarios():
            value = scen.get(sc.id)
            if value is None:
                continue
            n = sum(units.get(u.key, {}).get("n_samples", 0) for u in sc.units)
            errors = sum(sum(units.get(u.key, {}).get("errors", {}).values()) for u in sc.units)
            pending = "; ".join(units.get(u.key, {}).get(mode, {}).get("pending", "") for u in sc.units
                                if units.get(u.key, {}).get(mode, {}).get("pending"))
            rows.append({"lang": lang, "scenario": sc.official_name, "id": sc.id, "category": sc.category, "n": n,
                         "errors": errors, "headline": value.get("headline"),
                         "stop_latency": value.get("stop_latency"), "response_latency": value.get("response_latency"),
                         "first_response_delay": value.get("first_response_delay"),
                         "note": pending or value.get("missing", "")})
    return rows


def latencies(records: list[dict]) -> dict[str, list[float]]:
    """Per-interval values as the official means use them (usable samples only)."""
    out: dict[str, list[float]] = {"stop": [], "response": [], "first_response": []}
    for r in records:
        if r.get("status") != "ok":
            continue
        out["stop"] += [e - s for s, e in r.get("stop_intervals", [])]
        out["response"] += [m - u for u, m in r.get("response_intervals", [])]
        fr = r.get("first_response") or {}
        if fr.get("diff") is not None:
            out["first_response"].append(fr["diff"])
    return out


def build_track2_view(results: dict, verdicts: dict[tuple[str, str], dict],
                      config: BootstrapConfig = BootstrapConfig()) -> Track2View:
    from humdial.evaluate.track2.aggregate import aggregate

    mode = results.get("mode", "official")
    records = [r for r in results.get("samples", []) if isinstance(r, dict) and "lang" in r and "unit" in r]
    params = _params(results)

    def statistic(sample: list[dict]) -> dict[str, float | None]:
        summary = aggregate(sample, judge_ratios(sample, verdicts, results), params)[mode]
        values = {key: summary["overall"].get(key) for key, _, _ in HEADLINE_KEYS}
        for lang, block in summary["languages"].items():
            for key in ("interruption_total", "rejection_total", "total_delay_s"):
                values[f"{lang}/{key}"] = block.get(key)
        return values

    intervals = stratified_bootstrap(records, lambda r: (r["lang"], r["unit"]), statistic, config)
    languages = results.get(mode, {}).get("languages", {})
    lang_iv = {lang: {k: intervals[f"{lang}/{k}"] for k in ("interruption_total", "rejection_total", "total_delay_s")
                      if f"{lang}/{k}" in intervals} for lang in languages}
    tagged = sum(sample_tag(r, verdicts) is not None for r in records)
    judge_models = sorted({v.get("judge", "?") for (task, _), v in verdicts.items() if registry_has(task)})
    if tagged:
        proxy = any(m == "proxy" for m in judge_models)
        judge_note = (f"behaviour tags for {tagged} of {len(records)} samples from judge(s) {', '.join(judge_models) or 'in results'}"
                      + (" - PROXY judge: not comparable to official LLM-judged numbers" if proxy else ""))
    else:
        judge_note = "no behaviour-judge tags in this run: judge-scored headlines are pending or held fixed"
    return Track2View(mode=mode, overall=results.get(mode, {}).get("overall", {}), intervals=intervals,
                      languages=languages, language_intervals=lang_iv, scenario_rows=_scenario_rows(results, mode),
                      latencies=latencies(records), judge_note=judge_note, pending=list(results.get("pending", [])),
                      counts=results.get("counts", {}), samples=records)


def registry_has(task: str) -> bool:
    """True when a verdict-log task name is a Track 2 unit key."""
    return task in {u.key for u in registry.units()}
