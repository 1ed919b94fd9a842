"""Compare Track 1 runs of different systems on the same gold data (the Track 1 half of `humdial compare`).

Items are paired by item id (`lang/task/dialogue_id`); only items both runs have count. Compared values,
each B - A with a paired bootstrap interval (the same resampled items for both runs, stratified by
language and task, as the report's Track 1 intervals are):
- the mean of every judged dimension per language and task (judge scores, 1-5);
- the task average of T1 and T2 (mean of its dimension means, as the official formula takes it);
- the final per language and overall with the judge's audio scores in place of the human T3 D2/D3
  (`track1_view.substitute_finals`): NOT the official final, which needs human ratings.

`mode` has the meaning it has in `eval track1`: official leaves judge failures out of the means, strict
scores them 1 (and a Task 3 reply without audio 1 on the audio dimensions). The results file holds the
scores after its own mode's policy; a different mode re-applies only this failure policy (the mode's
answer parser and request parameters would need a re-run of `eval track1`), and the comparison says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean

from humdial.protocol.track1 import Task
from humdial.protocol.track1_dimensions import AUDIO_DIMS_T3, DIMENSIONS
from humdial.report.bootstrap import BootstrapConfig, stratified_bootstrap
from humdial.report.difference import Difference, PairCounts
from humdial.report.load import RunData
from humdial.report.track1_view import substitute_finals
from humdial.results.track1 import ItemRecord

OVERALL = "overall"
FINAL = "final (not official)"
"""With the judge's audio scores for T3 D2/D3; the official final needs human ratings."""
AVERAGE = "average"
TASK_DIMS = {t.code: DIMENSIONS[t] for t in DIMENSIONS}
FAILURE_SOURCES = ("min:judge_failure",)
"""score_source of a judge failure scored 1 under strict; under official such an item has no scores."""


@dataclass
class Track1Side:
    name: str
    data: RunData
    items: dict[str, ItemRecord]
    """Item id -> the item with its scores under the compared mode."""
    eval_mode: str
    """The mode `eval track1` ran in (what the results file's scores follow)."""


@dataclass
class ItemChange:
    """One item whose outcome or scores differ between A and B."""

    item_id: str
    a: ItemRecord
    b: ItemRecord

    @property
    def mean_a(self) -> float | None:
        return item_mean(self.a)

    @property
    def mean_b(self) -> float | None:
        return item_mean(self.b)

    @property
    def diff(self) -> float | None:
        a, b = self.mean_a, self.mean_b
        return None if a is None or b is None else b - a

    def as_dict(self) -> dict:
        return {"item_id": self.item_id, "a": outcome(self.a), "b": outcome(self.b), "scores_a": self.a.scores,
                "scores_b": self.b.scores, "mean_a": self.mean_a, "mean_b": self.mean_b, "diff": self.diff}


def item_mean(item: ItemRecord) -> float | None:
    return fmean(item.scores.values()) if item.scores else None


def outcome(item: ItemRecord) -> str:
    """What decided the item's scores: judged, scored 1 for a reason (missing reply, wrong language, judge
    failure), or not counted (excluded, judge failure under official)."""
    if item.scores and item.score_source.startswith("min:"):
        return f"scored 1 ({item.score_source[4:].replace('_', ' ')})"
    if item.scores:
        return "judged"
    return f"not counted ({item.status if item.status != 'judge' else 'judge failure'})"


def in_mode(item: ItemRecord, mode: str) -> ItemRecord:
    """The item's scores under `mode`'s judge-failure policy (see the module docstring)."""
    scores = dict(item.scores)
    source = item.score_source
    judge_failed = item.status == "judge" and (source in FAILURE_SOURCES or (not scores and source == "none"))
    if judge_failed:
        if mode == "strict":
            scores, source = {d: 1.0 for d in TASK_DIMS.get(item.task, ())}, FAILURE_SOURCES[0]
        else:
            scores, source = {}, "none"
    elif item.task == Task.EMPATHY.code and item.status == "judge" and item.audio is None and scores:
        if mode == "strict":
            scores.update({d: 1.0 for d in AUDIO_DIMS_T3})
        else:
            scores = {d: v for d, v in scores.items() if d not in AUDIO_DIMS_T3}
    return item.model_copy(update={"scores": scores, "score_source": source})


def track1_side(name: str, data: RunData, mode: str) -> Track1Side:
    assert data.track1 is not None
    items = {it.id: in_mode(it, mode) for it in data.track1.items}
    return Track1Side(name, data, items, data.track1.provenance.mode)


def track1_statistics(items: list[ItemRecord]) -> dict[str, float | None]:
    """Every compared value over `items`, named "LANG/TASK/VALUE" (TASK empty for finals)."""
    values: dict[str, list[float]] = {}
    for it in items:
        for dim, score in it.scores.items():
            values.setdefault(f"{it.lang}/{it.task}/{dim}", []).append(float(score))
    out: dict[str, float | None] = {k: fmean(v) for k, v in values.items()}
    for lang, task in {(it.lang, it.task) for it in items}:
        dims = TASK_DIMS.get(task, ())
        means = [out.get(f"{lang}/{task}/{d}") for d in dims]
        if task != Task.EMPATHY.code:
            out[f"{lang}/{task}/{AVERAGE}"] = (fmean(m for m in means if m is not None)
                                               if means and None not in means else None)
    out.update({f"{lang}//{FINAL}": value for lang, value in substitute_finals(items).items()})
    return out


@dataclass
class Track1Pair(PairCounts):
    """Track 1 run B compared with the reference run A."""

    changes: list[ItemChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _order(name: str) -> tuple:
    lang, task, key = name.split("/", 2)
    return (lang != OVERALL, lang, task != "", task, key == AVERAGE, key)


def compare_track1(a: Track1Side, b: Track1Side, mode: str, config: BootstrapConfig = BootstrapConfig()) -> Track1Pair:
    shared = sorted(set(a.items) & set(b.items))
    pairs = [(a.items[i], b.items[i]) for i in shared]

    def diff(sample: list[tuple[ItemRecord, ItemRecord]]) -> dict[str, float | None]:
        va = track1_statistics([p[0] for p in sample])
        vb = track1_statistics([p[1] for p in sample])
        return {k: None if va.get(k) is None or vb.get(k) is None else vb[k] - va[k]  # type: ignore[operator]
                for k in va.keys() | vb.keys()}

    point_a = track1_statistics([p[0] for p in pairs])
    point_b = track1_statistics([p[1] for p in pairs])
    intervals = stratified_bootstrap(pairs, lambda p: (p[0].lang, p[0].task), diff, config)
    out = Track1Pair(a.name, b.name, mode, len(shared), len(set(a.items) - set(b.items)),
                     len(set(b.items) - set(a.items)))
    for name in sorted(point_a.keys() | point_b.keys(), key=_order):
        lang, task, key = name.split("/", 2)
        out.differences.append(Difference(lang, task, key, "t1", point_a.get(name), point_b.get(name),
                                          intervals.get(name)))
    out.changes = sorted((ItemChange(i, a.items[i], b.items[i]) for i in shared
                          if outcome(a.items[i]) != outcome(b.items[i]) or a.items[i].scores != b.items[i].scores),
                         key=lambda c: (-abs(c.diff or 0.0), c.item_id))
    for side in (a, b):
        if side.eval_mode != mode:
            out.notes.append(f"{side.name} was evaluated in {side.eval_mode} mode; compared in {mode} mode by "
                             f"re-applying only the judge-failure policy (its answer parser and request parameters "
                             f"stay {side.eval_mode}'s: re-run `eval track1 --mode {mode}` for a full {mode} score)")
    return out
