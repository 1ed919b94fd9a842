"""Track 1 section of the report, from `track1_results.json`.

The reader is tolerant about shape: it takes per-language finals from `languages.<lang>.final` and the
overall final from `overall.final` (or `final`), per-task dimension means from `languages.<lang>.tasks`,
and per-dialogue judge scores from `samples[]` (`dialogue_id`, `lang`, `task`, `scores: {dim: value}`,
optional `reason`, `judge`). Point values are shown as written; confidence intervals come from a
stratified bootstrap over dialogues of the official weighting recomputed from the per-sample scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from humdial.report.bootstrap import BootstrapConfig, Interval, stratified_bootstrap

TASK_WEIGHTS: dict[str, float] = {"T1": 0.2, "T2": 0.2, "T3D1": 0.1, "T3D2": 0.25, "T3D3": 0.25}
"""Official per-language weights (results page); T1/T2 enter as the mean of their three dimensions."""


@dataclass
class Track1View:
    finals: dict[str, float | None]
    """'overall' and per-language finals as written in the results file."""
    intervals: dict[str, Interval]
    task_rows: list[list[object]]
    samples: list[dict] = field(default_factory=list)
    proxy: bool = False
    notes: list[str] = field(default_factory=list)


def _num(x: object) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _task_code(task: object) -> str:
    text = str(task).upper()
    for code in ("T1", "T2", "T3"):
        if code in text or text == code[1]:
            return code
    return text


def _component(scores: dict, task: str) -> dict[str, float]:
    """Per-sample contributions to the weighted components (T1, T2 = mean of dims; T3 dims kept apart)."""
    values = {k: _num(v) for k, v in scores.items()}
    values = {k: v for k, v in values.items() if v is not None}
    if not values:
        return {}
    if task in ("T1", "T2"):
        return {task: float(np.mean(list(values.values())))}
    out: dict[str, float] = {}
    for key, value in values.items():
        low = key.lower()
        slot = "T3D1" if "text" in low or low.endswith("d1") else "T3D2" if "vocal" in low or low.endswith("d2") \
            else "T3D3" if "quality" in low or "natural" in low or low.endswith("d3") else None
        if slot:
            out[slot] = value
    return out


def weighted_finals(samples: list[dict]) -> dict[str, float | None]:
    """Per-language and overall final from per-sample scores (None where a component has no samples)."""
    parts: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for s in samples:
        for slot, value in _component(s.get("scores") or {}, _task_code(s.get("task"))).items():
            parts[s.get("lang", "")][slot].append(value)
    out: dict[str, float | None] = {}
    for lang, comps in parts.items():
        if all(comps.get(k) for k in TASK_WEIGHTS):
            out[lang] = sum(w * float(np.mean(comps[k])) for k, w in TASK_WEIGHTS.items())
        else:
            out[lang] = None
    out["overall"] = (0.5 * out["zh"] + 0.5 * out["en"]
                      if out.get("zh") is not None and out.get("en") is not None else None)
    return out


def build_track1_view(results: dict, config: BootstrapConfig = BootstrapConfig()) -> Track1View:
    langs = results.get("languages") if isinstance(results.get("languages"), dict) else {}
    overall = results.get("overall") if isinstance(results.get("overall"), dict) else {}
    finals: dict[str, float | None] = {"overall": _num(overall.get("final", results.get("final")))}
    rows: list[list[object]] = []
    for lang, block in langs.items():
        if not isinstance(block, dict):
            continue
        finals[lang] = _num(block.get("final"))
        tasks = block.get("tasks") if isinstance(block.get("tasks"), dict) else {}
        for task, tb in tasks.items():
            if not isinstance(tb, dict):
                continue
            dims = tb.get("dimensions") if isinstance(tb.get("dimensions"), dict) else {
                k: v for k, v in tb.items() if _num(v) is not None or isinstance(v, dict)}
            for dim, value in dims.items():
                mean = _num(value.get("mean")) if isinstance(value, dict) else _num(value)
                n = value.get("n") if isinstance(value, dict) else tb.get("n")
                rows.append([lang, task, dim, mean, n])
    samples = [s for s in results.get("samples", []) if isinstance(s, dict) and isinstance(s.get("scores"), dict)]
    intervals = stratified_bootstrap(samples, lambda s: (s.get("lang"), _task_code(s.get("task"))),
                                     weighted_finals, config)
    judge = str(results.get("judge", {}).get("backend", "") if isinstance(results.get("judge"), dict)
                else results.get("judge", ""))
    proxy = "proxy" in judge or any(str(s.get("judge", "")) == "proxy" for s in samples)
    notes = []
    if not samples:
        notes.append("no per-dialogue scores in the results file: confidence intervals are not available")
    return Track1View(finals=finals, intervals=intervals, task_rows=rows, samples=samples, proxy=proxy, notes=notes)
