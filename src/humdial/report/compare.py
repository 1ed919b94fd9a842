"""Compare Track 2 runs of different systems on the same data (`humdial compare RUN_A RUN_B ...`).

Every run after the first is compared with the first (the reference). Differences are B - A over the
samples both runs share (same sample id), so a sample one system skipped does not move the other's
number. Each difference carries a paired bootstrap interval: every replicate draws the same shared
samples (stratified by language and unit, as `report.bootstrap` does) for both runs and re-runs the
evaluator's own arithmetic (`scoring.track2_aggregate.aggregate`, judge ratios from
`scoring.judge_ratio`) on each, so the interval reflects the pairing. Samples whose per-sample verdict
(`scoring.sample_verdict`) changed are listed as flips.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from humdial.report.bootstrap import BootstrapConfig, Interval, stratified_bootstrap
from humdial.report.load import RunData, load_run
from humdial.report.track2_view import HEADLINE_KEYS, LANGUAGE_KEYS, _params, judge_ratios, sample_tags
from humdial.results.track2 import SampleRecord
from humdial.scoring.sample_verdict import SampleVerdict, sample_verdict
from humdial.scoring.track2_aggregate import aggregate

OVERALL = "overall"
SCENARIO_KEYS = ("headline", "first_response_delay")
"""Per-scenario values compared (headline: a fraction; first-response delay: seconds)."""


@dataclass
class Difference:
    """One compared value: where it applies (`lang`, `scenario`; "" = overall), its name and unit."""

    lang: str
    scenario: str
    key: str
    unit: str
    a: float | None
    b: float | None
    interval: Interval | None = None

    @property
    def diff(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    def as_dict(self) -> dict:
        return {"lang": self.lang, "scenario": self.scenario, "key": self.key, "unit": self.unit, "a": self.a,
                "b": self.b, "diff": self.diff, "interval": self.interval.as_dict() if self.interval else None}


@dataclass
class Flip:
    sample_id: str
    a: SampleVerdict
    b: SampleVerdict


@dataclass
class Pair:
    """Run B compared with the reference run A."""

    a: str
    b: str
    mode: str
    shared: int
    only_a: int
    only_b: int
    differences: list[Difference] = field(default_factory=list)
    flips: list[Flip] = field(default_factory=list)


@dataclass
class RunSide:
    name: str
    data: RunData
    records: dict[str, SampleRecord]
    tags: dict[str, list[str] | None]
    verdicts: dict[str, SampleVerdict]


def _unit_of(key: str) -> str:
    return "s" if key.endswith(("_s", "delay", "latency")) else "score"


def statistics(records: list[dict], side: RunSide, mode: str) -> dict[str, float | None]:
    """Every compared value of one run on `records`, named "LANG/SCENARIO/KEY" (LANG `overall` across
    languages; SCENARIO empty for totals)."""
    results = side.data.track2
    assert results is not None
    summary = aggregate(records, judge_ratios(records, side.tags, results), _params(results))[mode]
    values: dict[str, float | None] = {f"{OVERALL}//{k}": summary["overall"].get(k) for k, _, _ in HEADLINE_KEYS}
    for lang, block in summary["languages"].items():
        values.update({f"{lang}//{k}": block.get(k) for k in LANGUAGE_KEYS})
    for lang, scenarios in summary["scenarios"].items():
        for sid, v in scenarios.items():
            values.update({f"{lang}/{sid}/{k}": v.get(k) for k in SCENARIO_KEYS})
    return values


def load_side(run_dir: Path) -> RunSide:
    data = load_run(run_dir)
    if data.track2 is None:
        from humdial.errors import HumdialError

        raise HumdialError(f"{run_dir}: no readable Track 2 results ({'; '.join(data.notes) or 'not found'})")
    records = {s.sample_id: s for s in data.track2.samples}
    tags = {sid: sample_tags(s, data.verdicts) for sid, s in records.items()}
    verdicts = {sid: sample_verdict(s.model_dump(), tags[sid]) for sid, s in records.items()}
    return RunSide(str(run_dir), data, records, tags, verdicts)


def compare_pair(a: RunSide, b: RunSide, mode: str, config: BootstrapConfig = BootstrapConfig()) -> Pair:
    shared = sorted(set(a.records) & set(b.records))
    pairs = [(a.records[s].model_dump(), b.records[s].model_dump()) for s in shared]

    def diff(sample: list[tuple[dict, dict]]) -> dict[str, float | None]:
        va = statistics([p[0] for p in sample], a, mode)
        vb = statistics([p[1] for p in sample], b, mode)
        return {k: None if va.get(k) is None or vb.get(k) is None else vb[k] - va[k] for k in va.keys() | vb.keys()}

    point_a = statistics([p[0] for p in pairs], a, mode) if pairs else {}
    point_b = statistics([p[1] for p in pairs], b, mode) if pairs else {}
    intervals = stratified_bootstrap(pairs, lambda p: (p[0]["lang"], p[0]["unit"]), diff, config)
    out = Pair(a.name, b.name, mode, len(shared), len(set(a.records) - set(b.records)),
               len(set(b.records) - set(a.records)))
    for name in sorted(point_a.keys() | point_b.keys(), key=_order):
        lang, scenario, key = name.split("/")
        unit = "%" if key == "headline" else _unit_of(key)
        out.differences.append(Difference(lang, scenario, key, unit, point_a.get(name),
                                          point_b.get(name), intervals.get(name)))
    out.flips = [Flip(s, a.verdicts[s], b.verdicts[s]) for s in shared
                 if a.verdicts[s].verdict != b.verdicts[s].verdict]
    return out


def _order(name: str) -> tuple:
    lang, scenario, key = name.split("/")
    return (lang != OVERALL, lang, scenario != "", scenario, key)


def compare_runs(run_dirs: list[Path], mode: str | None = None,
                 config: BootstrapConfig = BootstrapConfig()) -> tuple[list[RunSide], list[Pair]]:
    """Load every run and compare each later one with the first. `mode` defaults to the first run's."""
    sides = [load_side(Path(d)) for d in run_dirs]
    chosen = mode or sides[0].data.track2.mode  # type: ignore[union-attr]
    return sides, [compare_pair(sides[0], other, chosen, config) for other in sides[1:]]
