"""Per-unit, per-scenario, per-language and overall Track 2 values in two modes.

official: the organisers' arithmetic, including their drops (missing or silent outputs leave
          rejection denominators, early starts leave the delay mean, empty latency sets give 0.0).
strict:   every sample counts: missing/silent outputs fail rejection, early starts are counted and
          reported, latencies are per sample (event-scoped: the annotated interruption only),
          with medians, P90s and counts of samples with no model speech.
Judge-based headline values (RESPOND / RESUME) come in through `judge_ratios`. A value that cannot be
computed is None with a reason beside it (`unavailable: {field: {"reason", "why"}}`, codes in
`humdial.scoring.unavailable`) at every level: unit, scenario, language and overall.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

import numpy as np

from humdial.protocol import track2 as registry
from humdial.scoring import track2 as scoring
from humdial.scoring.rounding import round_half_up
from humdial.scoring.sample_verdict import TRANSCRIPT_ERROR, evaluation_gap, system_failure
from humdial.scoring.unavailable import (INCOMPLETE, JUDGE_FAILED, NO_FIRST_RESPONSE, NO_JUDGE, NO_SAMPLES,
                                         NO_TRANSCRIPTS, NO_VALID_DELAY, Unavailable, because, missing_component)

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


@dataclass(frozen=True)
class AggregateContext:
    """What the evaluator knows about why a value may be missing, for the sentences beside None values."""

    judge_missing: str | None = None
    """Why no judge ratios were given at all (e.g. "no judge requested (--judge none)"); None: not known."""
    asr: dict[str, str] = field(default_factory=dict)
    """language -> the ASR route that made the output transcripts (e.g. "precomputed"), for "no transcripts" sentences."""


def _no_transcripts(lang: str, missing: int, n: int, context: AggregateContext) -> dict:
    route = context.asr.get(lang)
    if route is None:
        how, short = "", ""
    elif route.startswith("precomputed"):
        how, short = (f"; no ASR chosen for {lang} (--asr {lang}={route}) and no precomputed transcript files",
                      " (no ASR chosen)")
    else:
        how, short = f"; ASR for {lang}: {route}", f" (ASR {route} failed)"
    return because(NO_TRANSCRIPTS, f"no transcripts for {lang} ({missing} of {n} samples have no transcript of the "
                                   f"output{how})", f"no transcripts for {lang}{short}")


def _gaps(unit: registry.Unit, records: list[dict]) -> dict[str, Unavailable]:
    """sample id -> why the evaluator could not check the sample (the system did speak)."""
    out = {}
    for r in records:
        gap = evaluation_gap(r)
        if gap is not None and gap.reason != NO_JUDGE:  # no judge at all leaves the whole unit unavailable
            out[r["sample_id"]] = gap
    return out


def _headline_reason(unit: registry.Unit, lang: str, records: list[dict], gaps: dict[str, Unavailable],
                     context: AggregateContext) -> dict:
    """Why a unit's headline has no value (no first response measured, or no judge ratio)."""
    n = len(records)
    name = f"{unit.key} ({lang})"
    codes = [g.reason for g in gaps.values()]
    if codes and len(codes) == n and all(c == NO_TRANSCRIPTS for c in codes):
        return _no_transcripts(lang, n, n, context)
    if unit.headline == "timestamp_rejection":
        failed = sum(1 for r in records if system_failure(r))
        return because(NO_FIRST_RESPONSE, f"no first response measured in {name}: {failed} of {n} samples have a "
                                          f"missing or silent output, {len(gaps)} lack a transcript",
                       f"no first response measured in {name}")
    judge_failed = codes.count(JUDGE_FAILED) + codes.count(NO_TRANSCRIPTS)
    if judge_failed:
        return because(JUDGE_FAILED, f"judge failed for {judge_failed} of {n} samples of {name}, "
                                     f"{codes.count(NO_TRANSCRIPTS)} of them for want of a transcript",
                       f"judge failed ({lang})")
    return because(NO_JUDGE, context.judge_missing or f"no behaviour-judge ratio for {name} "
                                                     f"(needs the {unit.judge_target} ratio)",
                   context.judge_missing or "no judge ratio")


def _delay_reason(unit: registry.Unit, lang: str, records: list[dict], spoke: int, early: int,
                  context: AggregateContext) -> dict:
    """Why a unit has no first-response delay (no sample answered after the user stopped, or no transcripts)."""
    n = len(records)
    untranscribed = sum(1 for r in records if _lacks_transcript(r))
    if untranscribed == n:
        return _no_transcripts(lang, n, n, context)
    silent = sum(1 for r in records if system_failure(r))
    return because(NO_VALID_DELAY, f"no valid delay in scenario {unit.key} ({lang}): 0 of {n} samples answered after "
                                   f"the user stopped ({early} started early, {silent} missing or silent, "
                                   f"{untranscribed} without a transcript, {n - spoke - silent - untranscribed} "
                                   "without an output word)", f"no valid delay in {unit.key} ({lang})")


def _lacks_transcript(record: dict) -> bool:
    return (not system_failure(record) and (record.get("first_response") or {}).get("diff") is None
            and any(e.get("kind") == TRANSCRIPT_ERROR and e.get("stage") != "judge" for e in record.get("errors") or []))


def unit_values(unit: registry.Unit, records: list[dict], judge: dict | None, lang: str = "",
                context: AggregateContext = AggregateContext()) -> dict:
    """Both modes for one (language, unit) group of sample records.

    Strict counts every sample the system answered or failed to answer; a sample the evaluator could
    not check (no transcript, no judge verdict: `evaluation_gap`) is counted as `incomplete` and left
    out of the strict denominators, never counted as a failure. Every None value has a reason in the
    mode's `unavailable` map.
    """
    n = len(records)
    # A sample contributes every measurement it has: a transcript error does not void its VAD timing.
    usable = records
    silent = sum(1 for r in records if r.get("model_speech_s") == 0)
    gaps = _gaps(unit, records)
    errors: dict[str, int] = defaultdict(int)
    for r in records:
        for kind in {e["kind"] for e in r["errors"]}:  # samples per kind, not error records
            errors[kind] += 1
    frs = [r["first_response"] for r in usable if r.get("first_response")]
    spoke = [f for f in frs if f["diff"] is not None]
    accepts_zero = unit.delay_accepts_zero
    kept = [f["diff"] for f in spoke if f["diff"] > 0 or (accepts_zero and f["diff"] == 0)]
    early = sum(1 for f in spoke if f["diff"] < 0 or (f["diff"] == 0 and not accepts_zero))
    untranscribed = sum(1 for r in records if _lacks_transcript(r))
    official: dict = {"first_response_delay": _value3(kept),
                      "first_response_delay_n": len(kept)}
    strict: dict = {"first_response_delay": _stats(kept), "early_starts": early,
                    "no_response": n - len(spoke) - untranscribed, "silent_outputs": silent,
                    "incomplete": len(gaps)}
    if gaps:
        first = next(iter(gaps.values()))
        strict["incomplete_why"] = (f"evaluation incomplete for {len(gaps)} of {n} samples (e.g. {first.why}); "
                                    "they are left out of the strict headline, not counted as failures")
        official["incomplete"] = len(gaps)
        official["incomplete_why"] = (f"evaluation incomplete for {len(gaps)} of {n} samples (e.g. {first.why}); "
                                      "the official arithmetic leaves them out of its means")
    if not kept:
        reason = _delay_reason(unit, lang, records, len(spoke), early, context)
        official.setdefault("unavailable", {})["first_response_delay"] = reason
        strict.setdefault("unavailable", {})["first_response_delay"] = reason
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
        checked = n - len(gaps)
        strict["headline"] = round(waited / checked, 6) if checked else None
        strict["headline_n"] = checked
        if not spoke:
            official.setdefault("unavailable", {})["headline"] = _headline_reason(unit, lang, records, gaps, context)
        if not checked:
            strict.setdefault("unavailable", {})["headline"] = _headline_reason(unit, lang, records, gaps, context)
    else:
        if judge is None or judge.get("ratio") is None:
            reason = _headline_reason(unit, lang, records, gaps, context)
            official["headline"] = strict["headline"] = None
            official.setdefault("unavailable", {})["headline"] = reason
            strict.setdefault("unavailable", {})["headline"] = reason
            if judge is not None:
                official["headline_n"] = judge.get("n", 0)
        else:
            official["headline"] = round_half_up(judge["ratio"], 2)
            official["headline_n"] = judge["n"]
            strict_n = judge.get("strict_n", judge["n"])
            strict_ratio = judge.get("strict_ratio", judge["ratio"])
            hits = round(strict_ratio * strict_n) if strict_ratio is not None else 0
            checked = strict_n - sum(1 for r in records if r["sample_id"] in gaps)
            strict["headline"] = round(hits / checked, 6) if checked > 0 else None
            strict["headline_n"] = max(checked, 0)
            if strict["headline"] is None:
                strict.setdefault("unavailable", {})["headline"] = because(
                    INCOMPLETE, f"evaluation incomplete: none of the {n} samples of {unit.key} ({lang}) could be "
                                "checked (no transcript or no judge verdict)", f"evaluation incomplete ({lang})")
    n_ok = sum(1 for r in records if r["status"] == "ok")
    return {"n_samples": n, "n_ok": n_ok, "errors": dict(errors), "official": official, "strict": strict}


def _strict_mean(stats: dict) -> float | None:
    return stats["mean"] if isinstance(stats, dict) else stats


SCENARIO_FIELDS = ("headline", "first_response_delay", "stop_latency", "response_latency")


def _scenario_reasons(value: dict, parts: dict[str, dict], sc_id: str, lang: str) -> dict:
    """The unit reasons of every None value of one scenario (third-party: the variants' reasons)."""
    out = {}
    for key in SCENARIO_FIELDS:
        if key not in value or value[key] is not None:
            continue
        causes = [(f"{sc_id}.{variant}" if len(parts) > 1 else sc_id, (p.get("unavailable") or {}).get(key))
                  for variant, p in parts.items() if _strict_mean(p.get(key)) is None]
        if len(causes) == 1 and causes[0][1]:
            out[key] = causes[0][1]
        elif causes:
            out[key] = missing_component(f"{key} of {sc_id} ({lang})", causes)
    return out


def scenario_values(units: dict[str, dict], mode: str, lang: str = "") -> dict[str, dict]:
    """Collapse units into the nine scenarios (third_party: 0.5 after + 0.5 before)."""
    out: dict[str, dict] = {}
    for sc in registry.scenarios():
        parts = {u.variant: units.get(u.key, {}).get(mode) for u in sc.units}
        if any(p is None for p in parts.values()):
            reason = because(NO_SAMPLES, f"no samples of scenario {sc.id} ({lang or 'this language'}) in the data set",
                             f"no samples ({lang})" if lang else "no samples")
            fields = SCENARIO_FIELDS if sc.is_interruption else SCENARIO_FIELDS[:2]
            out[sc.id] = {"headline": None, "first_response_delay": None, "missing": "no samples",
                          "unavailable": {key: reason for key in fields}}
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
        incomplete = sum(p.get("incomplete", 0) for p in parts.values())
        if incomplete and mode == "strict":
            value["incomplete"] = incomplete
        reasons = _scenario_reasons(value, parts, sc.id, lang)
        if reasons:
            value["unavailable"] = reasons
        out[sc.id] = value
    return out


LANGUAGE_PARTS = {"interruption_total": ("headline", scoring.INTERRUPTION_KEYS),
                  "rejection_total": ("headline", scoring.REJECTION_KEYS)}


def _words(key: str) -> str:
    """A field name in words: "total_delay_s" -> "total delay"."""
    return key.removesuffix("_s").replace("_", " ")


def language_reasons(scen: dict[str, dict], block: dict, lang: str) -> dict:
    """Why each None total of one language block is None: the scenario values it needs, with their reasons."""
    out = {}
    for total, (key, ids) in LANGUAGE_PARTS.items():
        if block.get(total) is None:
            out[total] = missing_component(f"the {lang} {_words(total)}", [
                (f"{key} of {sid}", (scen.get(sid, {}).get("unavailable") or {}).get(key))
                for sid in ids if scen.get(sid, {}).get(key) is None])
    if block.get("total_delay_s") is None:
        parts = []
        for sid in scoring.INTERRUPTION_KEYS + scoring.REJECTION_KEYS:
            keys = ("stop_latency", "response_latency", "first_response_delay") if sid in scoring.INTERRUPTION_KEYS \
                else ("first_response_delay",)
            for key in keys:
                if scen.get(sid, {}).get(key) is None:
                    parts.append((f"{key} of {sid}", (scen.get(sid, {}).get("unavailable") or {}).get(key)))
        out["total_delay_s"] = missing_component(f"the {lang} total delay", parts)
    return out


def overall_reasons(languages: dict[str, dict], overall: dict) -> dict:
    """Why each None value of the overall block is None, naming the language and component missing."""
    out: dict = {}
    if overall.get("scope") == "none":
        return {"final_score": because(NO_SAMPLES, "no language has any sample, so there is nothing to score",
                                       "no samples")}
    for key in ("interruption_total", "rejection_total", "total_delay_s"):
        if overall.get(key) is None:
            out[key] = missing_component(f"the overall {_words(key)}", [
                (f"{lang} {_words(key)}", (b.get("unavailable") or {}).get(key))
                for lang, b in languages.items() if b.get(key) is None])
    if overall.get("delay_score") is None and "total_delay_s" in out:
        out["delay_score"] = missing_component("the delay score", [("the total delay", out["total_delay_s"])])
    if overall.get("final_score") is None:
        out["final_score"] = missing_component("the final score", [
            (_words(k), out[k]) for k in ("interruption_total", "rejection_total", "delay_score") if k in out])
    return out


def _add_reasons(scen: dict[str, dict[str, dict]], langs: dict[str, dict], overall: dict) -> None:
    for lang, block in langs.items():
        reasons = language_reasons(scen[lang], block, lang)
        if reasons:
            block["unavailable"] = reasons
        incomplete = sum(v.get("incomplete", 0) for v in scen[lang].values())
        if incomplete:
            block["incomplete"] = incomplete
    reasons = overall_reasons(langs, overall)
    if reasons:
        overall["unavailable"] = reasons
    incomplete = sum(b.get("incomplete", 0) for b in langs.values())
    if incomplete:
        overall["incomplete"] = incomplete


def aggregate(records: list[dict], judge_ratios: JudgeRatios | None = None,
              params: scoring.DelayScoreParams = scoring.DelayScoreParams(),
              context: AggregateContext = AggregateContext()) -> dict:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        groups[(r["lang"], r["unit"])].append(r)
    units: dict[str, dict[str, dict]] = defaultdict(dict)
    for (lang, key), recs in sorted(groups.items()):
        judge = (judge_ratios or {}).get((lang, key))
        units[lang][key] = unit_values(registry.unit_by_key(key), recs, judge, lang, context)
    result: dict = {"units": dict(units)}
    for mode in ("official", "strict"):
        scen = {lang: scenario_values(u, mode, lang) for lang, u in units.items()}
        langs = {lang: scoring.language_block(s) for lang, s in scen.items()}
        overall = scoring.overall_block(langs, params)
        _add_reasons(scen, langs, overall)
        result[mode] = {"scenarios": scen, "languages": langs, "overall": overall}
    return result


def unavailable_list(summary: dict, mode: str) -> list[dict]:
    """Every value of `mode` that cannot be computed, with where it is: units, then languages, then overall."""
    out = []
    for lang, units in summary["units"].items():
        for key, u in units.items():
            for metric, reason in (u[mode].get("unavailable") or {}).items():
                out.append({"where": f"{lang}/{key}", "metric": metric, **reason})
    block = summary[mode]
    for lang, b in block["languages"].items():
        for metric, reason in (b.get("unavailable") or {}).items():
            out.append({"where": lang, "metric": metric, **reason})
    for metric, reason in (block["overall"].get("unavailable") or {}).items():
        out.append({"where": "overall", "metric": metric, **reason})
    return out
