"""Track 2 section of the report, built from a `Track2Results` (+ the run's verdict log).

Point values are copied from the results file (the report never recomputes a headline number).
Confidence intervals come from a stratified bootstrap over samples: each replicate resamples the
samples of every (language, unit) group and re-runs the same arithmetic that produced the point
values (`humdial.scoring.track2_aggregate.aggregate`, with judge ratios from
`humdial.scoring.judge_ratio.judge_ratio` over every tag of each sample), so an interval and its
point value estimate the same quantity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from humdial.protocol import track2 as registry
from humdial.report.bootstrap import BootstrapConfig, Interval, stratified_bootstrap
from humdial.results.track2 import (Counts, LanguageBlock, OverallBlock, SampleRecord, Track2Results,
                                    UnavailableEntry)
from humdial.results.verdicts import VerdictRecord
from humdial.scoring.sample_verdict import FAILED, INCOMPLETE, PASSED, SampleVerdict, sample_verdict
from humdial.scoring.judge_ratio import SampleTags, judge_ratio
from humdial.scoring.track2 import DelayScoreParams
from humdial.scoring.track2_aggregate import aggregate

HEADLINE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("final_score", "Final score", ""), ("interruption_total", "Interruption", ""),
    ("rejection_total", "Rejection", ""), ("total_delay_s", "Total delay", " s"), ("delay_score", "Delay score", ""))
"""(field of the mode's OverallBlock, display name, unit)."""
LANGUAGE_KEYS = ("interruption_total", "rejection_total", "total_delay_s")

Verdicts = dict[tuple[str, str], VerdictRecord]


@dataclass
class Track2View:
    mode: str
    overall: OverallBlock
    intervals: dict[str, Interval]
    languages: dict[str, LanguageBlock]
    language_intervals: dict[str, dict[str, Interval]]
    scenario_rows: list[dict]
    latencies: dict[str, list[float]]
    judge_note: str
    unavailable: list[UnavailableEntry]
    """Every value of the run's mode that cannot be computed, with where and why."""
    counts: Counts
    samples: list[SampleRecord] = field(default_factory=list)
    verdicts: dict[str, SampleVerdict] = field(default_factory=dict)
    """sample id -> pass/fail against the scenario's criterion."""


def sample_tags(record: SampleRecord, verdicts: Verdicts) -> SampleTags:
    """Every behaviour tag of one sample: from the record itself, else from the run's verdict log.
    None when the sample has no parsed verdict."""
    if record.judge is not None:
        return list(record.judge.tags) if record.judge.status == "ok" else None
    verdict = verdicts.get((record.unit, record.sample_id))
    if verdict is not None and verdict.status == "ok":
        return list(verdict.tags)
    return None


def verdict_of(record: SampleRecord, verdicts: Verdicts) -> SampleVerdict:
    """The sample's verdict, recomputed from the record and every tag known for it (the results file's
    own `verdict` may predate a later judge run, and files from before verdicts have none)."""
    return sample_verdict(record.model_dump(), sample_tags(record, verdicts))


def judge_ratios(records: list[dict], tags: dict[str, SampleTags], results: Track2Results) -> dict | None:
    """(lang, unit) -> `judge_ratio` of the unit's samples, for judge-scored units.

    Per-sample tags are used when any sample of the unit has them (so the bootstrap resamples them);
    otherwise a ratio the results file already carries is held fixed, and a unit with neither stays
    absent (its headline unavailable).
    """
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        groups[(r["lang"], r["unit"])].append(r)
    out: dict[tuple[str, str], dict] = {}
    for (lang, key), recs in groups.items():
        unit = registry.unit_by_key(key)
        if unit.judge_target is None:
            continue
        unit_tags = [tags.get(r["sample_id"]) for r in recs]
        if any(t is not None for t in unit_tags):
            out[(lang, key)] = judge_ratio(unit_tags, unit.judge_target)
            continue
        values = results.units.get(lang, {}).get(key)
        if values is not None and values.official.headline is not None:
            out[(lang, key)] = {"ratio": values.official.headline, "n": values.official.headline_n or len(recs)}
    return out or None


def _params(results: Track2Results) -> DelayScoreParams:
    raw = results.official.overall.delay_score_params or {}
    return DelayScoreParams(**{k: raw[k] for k in ("k", "L_min", "L_base", "clip") if k in raw})


def _grouped_reasons(unavailable: dict) -> str:
    """One clause per distinct reason, naming the values it covers: "headline, stop latency: no samples of
    ..." rather than the same sentence once per value."""
    by_why: dict[str, list[str]] = {}
    for key, reason in unavailable.items():
        by_why.setdefault(reason.why, []).append(key.replace("_", " "))
    return "; ".join(f"{', '.join(keys)}: {why}" for why, keys in by_why.items())


def _scenario_rows(results: Track2Results, mode: str, verdicts: dict[str, SampleVerdict]) -> list[dict]:
    rows = []
    for lang, scen in results.block(mode).scenarios.items():
        units = results.units.get(lang, {})
        for sc in registry.scenarios():
            value = scen.get(sc.id)
            if value is None:
                continue
            present = [units[u.key] for u in sc.units if u.key in units]
            n = sum(u.n_samples for u in present)
            errors = sum(sum(u.errors.values()) for u in present)
            reasons = _grouped_reasons(value.unavailable)
            keys = {u.key for u in sc.units}
            mine = [verdicts[r.sample_id].verdict for r in results.samples
                    if r.lang == lang and r.unit in keys and r.sample_id in verdicts]
            rows.append({"lang": lang, "scenario": sc.official_name, "id": sc.id, "category": sc.category, "n": n,
                         "passed": mine.count(PASSED), "failed": mine.count(FAILED),
                         "incomplete": mine.count(INCOMPLETE),
                         "errors": errors, "headline": value.headline, "stop_latency": value.stop_latency,
                         "response_latency": value.response_latency,
                         "first_response_delay": value.first_response_delay,
                         "note": reasons or value.missing or ""})
    return rows


def latencies(records: list[SampleRecord]) -> dict[str, list[float]]:
    """Per-interval values as the official means use them (usable samples only)."""
    out: dict[str, list[float]] = {"stop": [], "response": [], "first_response": []}
    for r in records:
        if r.status != "ok":
            continue
        out["stop"] += [e - s for s, e in r.stop_intervals]
        out["response"] += [m - u for u, m in r.response_intervals]
        if r.first_response is not None and r.first_response.diff is not None:
            out["first_response"].append(r.first_response.diff)
    return out


def build_track2_view(results: Track2Results, verdicts: Verdicts,
                      config: BootstrapConfig = BootstrapConfig()) -> Track2View:
    mode = results.mode
    samples = results.samples
    records = [s.model_dump() for s in samples]
    tags = {s.sample_id: sample_tags(s, verdicts) for s in samples}
    sample_verdicts = {s.sample_id: sample_verdict(s.model_dump(), tags[s.sample_id]) for s in samples}
    params = _params(results)

    def statistic(sample: list[dict]) -> dict[str, float | None]:
        summary = aggregate(sample, judge_ratios(sample, tags, results), params)[mode]
        values = {key: summary["overall"].get(key) for key, _, _ in HEADLINE_KEYS}
        for lang, block in summary["languages"].items():
            for key in LANGUAGE_KEYS:
                values[f"{lang}/{key}"] = block.get(key)
        return values

    intervals = stratified_bootstrap(records, lambda r: (r["lang"], r["unit"]), statistic, config)
    block = results.block(mode)
    lang_iv = {lang: {k: intervals[f"{lang}/{k}"] for k in LANGUAGE_KEYS if f"{lang}/{k}" in intervals}
               for lang in block.languages}
    tagged = sum(t is not None for t in tags.values())
    judge_models = sorted({v.judge for (task, _), v in verdicts.items() if registry_has(task)})
    if tagged:
        proxy = any(m == "proxy" for m in judge_models) or (results.provenance.judge or {}).get("backend") == "proxy"
        judge_note = (f"behaviour tags for {tagged} of {len(samples)} samples from judge(s) "
                      f"{', '.join(judge_models) or 'in results'}"
                      + (" - PROXY judge: not comparable to official LLM-judged numbers" if proxy else ""))
    else:
        judge_note = ("no behaviour-judge tags in this run: judge-scored headlines are unavailable (see why) "
                      "or held fixed from the results file")
    return Track2View(mode=mode, overall=block.overall, intervals=intervals, languages=block.languages,
                      language_intervals=lang_iv, scenario_rows=_scenario_rows(results, mode, sample_verdicts),
                      latencies=latencies(samples), judge_note=judge_note, unavailable=list(results.unavailable),
                      counts=results.counts, samples=samples, verdicts=sample_verdicts)


def registry_has(task: str) -> bool:
    """True when a verdict-log task name is a Track 2 unit key."""
    return task in {u.key for u in registry.units()}
