"""Per-unit, per-scenario, per-language and overall Track 2 values in two modes.

official: the organisers' arithmetic, including their drops (missing or silent outputs leave
          rejection denominators, early starts leave the delay mean, empty latency sets give 0.0).
strict:   every sample counts: missing/silent outputs fail rejection, early starts are counted and
          reported, latencies are per sample (event-scoped: the annotated interruption only),
          with medians, P90s and counts of samples with no model speech.
Judge-based headline values (RESPOND / RESUME) come in through `judge_ratios`; without them
they are reported as pending.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median

import numpy as np

from humdial.protocol import track2 as registry
from humdial.scoring import track2 as scoring
from humdial.scoring.rounding import round_half_up

JudgeRatios = dict[tuple[str, str], dict]
"""(lang, unit key) -> `humdial.scoring.judge_ratio.judge_ratio` of the unit's samples."""


def _stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "mean": None, "median": None, "p90": None}
    return {"n": len(values), "mean": round(float(np.mean(values)), 6), "median": round(float(median(values)), 6),
            "p90": round(float(np.percentile(values, 90)), 6)}


def _value3(values: list[float]) -> float | None:
    """An official per-scenario latency: the mean of raw values, kept to 3 decimals half up (EVAL/readme.txt:
    every intermediate value 3 dp)."""
    return round_half_up(float(np.mean(values)), 3) if values else None


def unit_values(unit: registry.Unit, records: list[dict], judge: dict | None) -> dict:
    """Both modes for one (language, unit) group of sample records."""
    n = len(records)
    # A sample contributes every measurement it has: a transcript error does not void its VAD timing.
    usable = records
    silent = sum(1 for r in records if r.get("model_speech_s") == 0)
    errors: dict[str, int] = defaultdict(int)
    for r in records:
        for kind in {e["kind"] for e in r["errors"]}:  # samples per kind, not error records
            errors[kind] += 1
    frs = [r["first_response"] for r in usable if r.get("first_response")]
    spoke = [f for f in frs if f["diff"] is not None]
    accepts_zero = unit.delay_accepts_zero
    kept = [f["diff"] for f in spoke if f["diff"] > 0 or (accepts_zero and f["diff"] == 0)]
    early = sum(1 for f in spoke if f["diff"] < 0 or (f["diff"] == 0 and not accepts_zero))
    official: dict = {"first_response_delay": _value3(kept),
                      "first_response_delay_n": len(kept)}
    strict: dict = {"first_response_delay": _stats(kept), "early_starts": early,
                    "no_response": n - len(spoke), "silent_outputs": silent}
    if unit.timing_latencies:
        stops = [e - s for r in usable for s, e in r.get("stop_intervals", [])]
        resps = [m - u for r in usable for u, m in r.get("response_intervals", [])]
        official["stop_latency"] = _value3(stops) if stops else 0.0
        official["response_latency"] = _value3(resps) if resps else 0.0
        official["stop_intervals_n"], official["response_intervals_n"] = len(stops), len(resps)
        events = [r["event"] for r in usable if r.get("event")]
        strict["stop_latency"] = _stats([e["stop_latency"] for e in events])
        answered = [e["response_latency"] for e in events if e["response_latency"] is not None]
        strict["response_latency"] = _stats(answered)
        strict["unanswered_interruptions"] = len(events) - len(answered)
    if unit.headline == "timestamp_rejection":
        waited = sum(1 for f in spoke if f["diff"] > 0)
        official["headline"] = round_half_up(waited / len(spoke), 3) if spoke else None
        official["headline_n"] = len(spoke)
        strict["headline"] = round(waited / n, 6) if n else None
        strict["headline_n"] = n
    else:
        if judge is None:
            official["headline"] = strict["headline"] = None
            official["pending"] = strict["pending"] = f"needs the behaviour judge ({unit.judge_target} ratio)"
        else:
            official["headline"] = None if judge["ratio"] is None else round_half_up(judge["ratio"], 2)
            official["headline_n"] = judge["n"]
            strict_ratio = judge.get("strict_ratio", judge["ratio"])
            strict["headline"] = None if strict_ratio is None else round(strict_ratio, 6)
            strict["headline_n"] = judge.get("strict_n", judge["n"])
    n_ok = sum(1 for r in records if r["status"] == "ok")
    return {"n_samples": n, "n_ok": n_ok, "errors": dict(errors), "official": official, "strict": strict}


def _strict_mean(stats: dict) -> float | None:
    return stats["mean"] if isinstance(stats, dict) else stats


def scenario_values(units: dict[str, dict], mode: str) -> dict[str, dict]:
    """Collapse units into the nine scenarios (third_party: 0.5 after + 0.5 before)."""
    out: dict[str, dict] = {}
    for sc in registry.scenarios():
        parts = {u.variant: units.get(u.key, {}).get(mode) for u in sc.units}
        if any(p is None for p in parts.values()):
            out[sc.id] = {"headline": None, "first_response_delay": None, "missing": "no samples"}
            continue
        if len(parts) == 1:
            p = next(iter(parts.values()))
            value = {"headline": p["headline"], "first_response_delay": _strict_mean(p["first_response_delay"])}
            if "stop_latency" in p:
                value["stop_latency"] = _strict_mean(p["stop_latency"])
                value["response_latency"] = _strict_mean(p["response_latency"])
        else:
            a, b = parts["after"], parts["before"]
            head = (scoring.combine_third_party(a["headline"], b["headline"])
                    if a["headline"] is not None and b["headline"] is not None else None)
            frds = [_strict_mean(a["first_response_delay"]), _strict_mean(b["first_response_delay"])]
            frd = float(np.mean(frds)) if None not in frds else None
            if frd is not None and mode == "official":  # an intermediate value: 3 dp half up
                frd = round_half_up(frd, 3)
            value = {"headline": head, "after": a["headline"], "before": b["headline"], "first_response_delay": frd}
        out[sc.id] = value
    return out


def aggregate(records: list[dict], judge_ratios: JudgeRatios | None = None,
              params: scoring.DelayScoreParams = scoring.DelayScoreParams()) -> dict:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        groups[(r["lang"], r["unit"])].append(r)
    units: dict[str, dict[str, dict]] = defaultdict(dict)
    for (lang, key), recs in sorted(groups.items()):
        judge = (judge_ratios or {}).get((lang, key))
        units[lang][key] = unit_values(registry.unit_by_key(key), recs, judge)
    result: dict = {"units": dict(units)}
    for mode in ("official", "strict"):
        scen = {lang: scenario_values(u, mode) for lang, u in units.items()}
        langs = {lang: scoring.language_block(s) for lang, s in scen.items()}
        result[mode] = {"scenarios": scen, "languages": langs, "overall": scoring.overall_block(langs, params)}
    return result
