"""Compare runs of different systems on the same data (`humdial compare RUN_A RUN_B ...`), both tracks.

Every run after the first is compared with the first (the reference), on every track all runs have
(Track 1: `report.compare_track1`). Track 2 differences are B - A over the
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

from humdial.errors import HumdialError
from humdial.report.bootstrap import BootstrapConfig, stratified_bootstrap
from humdial.report.compare_track1 import Track1Pair, Track1Side, compare_track1, track1_side
from humdial.report.difference import Difference, PairCounts
from humdial.report.load import RunData, load_run
from humdial.report.track2_view import HEADLINE_KEYS, LANGUAGE_KEYS, _params, judge_ratios, sample_tags
from humdial.results.track2 import SampleRecord
from humdial.scoring.sample_verdict import SampleVerdict, sample_verdict
from humdial.scoring.track2_aggregate import aggregate

OVERALL = "overall"
DEFAULT_MODE = "official"
"""As in `eval`: the organisers' rules and drops; strict counts every item."""
SCENARIO_KEYS = ("headline", "first_response_delay")
"""Per-scenario values compared (headline: a fraction; first-response delay: seconds)."""


@dataclass
class Flip:
    sample_id: str
    a: SampleVerdict
    b: SampleVerdict


@dataclass
class Pair(PairCounts):
    """Track 2 run B compared with the reference run A."""

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


def track2_side(name: str, data: RunData) -> RunSide:
    if data.track2 is None:
        raise HumdialError(f"{name}: no readable Track 2 results ({'; '.join(data.notes) or 'not found'})")
    records = {s.sample_id: s for s in data.track2.samples}
    tags = {sid: sample_tags(s, data.verdicts) for sid, s in records.items()}
    verdicts = {sid: sample_verdict(s.model_dump(), tags[sid]) for sid, s in records.items()}
    return RunSide(name, data, records, tags, verdicts)


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


def compare_runs(run_dirs: list[Path], mode: str = DEFAULT_MODE,
                 config: BootstrapConfig = BootstrapConfig()) -> tuple[list[RunSide], list[Pair]]:
    """Track 2 only: load every run and compare each later one with the first."""
    sides = [track2_side(str(d), load_run(d)) for d in run_dirs]
    return sides, [compare_pair(sides[0], other, mode, config) for other in sides[1:]]


@dataclass
class Comparison:
    """Every later run against the first, per track that all the runs have."""

    runs: list[str]
    mode: str
    track2_sides: list[RunSide] = field(default_factory=list)
    track2: list[Pair] = field(default_factory=list)
    track1_sides: list[Track1Side] = field(default_factory=list)
    track1: list[Track1Pair] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Tracks left out and why."""


def compare_all(run_dirs: list[Path], mode: str = DEFAULT_MODE,
                config: BootstrapConfig = BootstrapConfig()) -> Comparison:
    """Both tracks where every run has readable results for them; HumdialError when no track is shared."""
    names = [str(d) for d in run_dirs]
    datas = [load_run(Path(d)) for d in run_dirs]
    out = Comparison(names, mode)
    for track, attr in (("Track 2", "track2"), ("Track 1", "track1")):
        lacking = [n for n, d in zip(names, datas) if getattr(d, attr) is None]
        if lacking:
            out.notes.append(f"{track} not compared: no readable {track} results in {', '.join(lacking)}")
    if all(d.track2 is not None for d in datas):
        out.track2_sides = [track2_side(n, d) for n, d in zip(names, datas)]
        out.track2 = [compare_pair(out.track2_sides[0], s, mode, config) for s in out.track2_sides[1:]]
    if all(d.track1 is not None for d in datas):
        out.track1_sides = [track1_side(n, d, mode) for n, d in zip(names, datas)]
        out.track1 = [compare_track1(out.track1_sides[0], s, mode, config) for s in out.track1_sides[1:]]
    if not out.track2 and not out.track1:
        details = "; ".join(f"{n}: {'; '.join(d.notes) or 'no results'}" for n, d in zip(names, datas))
        raise HumdialError(f"no track with readable results in every run ({details})")
    return out
