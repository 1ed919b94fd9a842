"""Agreement between two judges' verdict logs: raw agreement and Cohen's kappa, per task and per tag.

Only samples present in both logs with status `ok` in both are compared; everything else is counted in
`coverage` so nothing disappears silently.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Hashable, Sequence

from humdial.results.verdicts import VerdictLogReadResult, VerdictRecord

ALL_TASKS = "all"


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """(p_o - p_e) / (1 - p_e) for two raters' labels on the same items.

    p_o = share of items with equal labels; p_e = sum over labels of (share of a) * (share of b).
    None when undefined (no items, or p_e = 1: both raters used one and the same label throughout).
    """
    if len(a) != len(b):
        raise ValueError("both raters must label the same items")
    n = len(a)
    if n == 0:
        return None
    p_o = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    p_e = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    return sum(x == y for x, y in zip(a, b)) / len(a) if a else None


def label_stats(a: Sequence[Hashable], b: Sequence[Hashable]) -> dict[str, Any]:
    """Agreement, kappa, per-label one-vs-rest counts and kappa, and the confusion table (rows = A)."""
    labels = sorted({*a, *b}, key=str)
    per_label = {}
    for label in labels:
        in_a = [x == label for x in a]
        in_b = [y == label for y in b]
        per_label[str(label)] = {"a": sum(in_a), "b": sum(in_b), "both": sum(p and q for p, q in zip(in_a, in_b)),
                                 "kappa": cohen_kappa(in_a, in_b)}
    confusion = {str(x): {str(y): 0 for y in labels} for x in labels}
    for x, y in zip(a, b):
        confusion[str(x)][str(y)] += 1
    return {"n": len(a), "agreement": percent_agreement(a, b), "kappa": cohen_kappa(a, b),
            "per_label": per_label, "confusion": confusion}


def _score_dims(record: VerdictRecord) -> dict[str, float]:
    score = record.score
    if isinstance(score, dict):
        return {str(k): v for k, v in score.items() if isinstance(v, (int, float))}
    return {"score": score} if isinstance(score, (int, float)) else {}


def compare_logs(a: VerdictLogReadResult, b: VerdictLogReadResult, tasks: Sequence[str] | None = None) -> dict:
    """The agreement report (a JSON-serialisable dict) between two verdict logs."""
    wanted = set(tasks) if tasks else None
    keys_a = {k for k in a.records if wanted is None or k[0] in wanted}
    keys_b = {k for k in b.records if wanted is None or k[0] in wanted}
    common = sorted(keys_a & keys_b)
    usable = [k for k in common if a.records[k].status == "ok" and b.records[k].status == "ok"]
    coverage = {"in_a": len(keys_a), "in_b": len(keys_b), "in_both": len(common), "compared": len(usable),
                "only_in_a": len(keys_a - keys_b), "only_in_b": len(keys_b - keys_a),
                "not_ok_in_a_or_b": len(common) - len(usable)}
    tag_pairs: dict[str, tuple[list, list]] = {}
    score_pairs: dict[str, dict[str, tuple[list, list]]] = {}
    skipped_mismatch = 0
    for key in usable:
        ra, rb = a.records[key], b.records[key]
        task = key[0]
        if ra.tag is not None and rb.tag is not None:
            for group in (task, ALL_TASKS):
                pair = tag_pairs.setdefault(group, ([], []))
                pair[0].append(ra.tag)
                pair[1].append(rb.tag)
            continue
        dims_a, dims_b = _score_dims(ra), _score_dims(rb)
        shared = sorted(set(dims_a) & set(dims_b))
        if not shared:
            skipped_mismatch += 1
            continue
        for dim in shared:
            pair = score_pairs.setdefault(task, {}).setdefault(dim, ([], []))
            pair[0].append(dims_a[dim])
            pair[1].append(dims_b[dim])
    coverage["not_comparable"] = skipped_mismatch
    report_tasks: dict[str, Any] = {}
    for task, (la, lb) in sorted(tag_pairs.items()):
        report_tasks[task] = {"kind": "tag", **label_stats(la, lb)}
    for task, dims in sorted(score_pairs.items()):
        report_tasks.setdefault(task, {"kind": "score"})["dimensions"] = {
            dim: {**label_stats(sa, sb), "mean_abs_diff": sum(abs(x - y) for x, y in zip(sa, sb)) / len(sa)}
            for dim, (sa, sb) in sorted(dims.items())}
    return {"coverage": coverage, "tasks": report_tasks}


def describe_log(result: VerdictLogReadResult) -> dict[str, Any]:
    """Which judges, models and rubric versions a log holds (for the report header)."""
    records = list(result.records.values())
    return {"judges": sorted({r.judge for r in records}), "models": sorted({r.model for r in records}),
            "rubrics": sorted({f"{r.rubric_id} v{r.rubric_version}" for r in records}),
            "records": len(records), "unreadable_lines": len(result.errors)}
