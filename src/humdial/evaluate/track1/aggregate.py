"""Per-item scores -> per-dimension, per-task and per-language means, counts, and the official finals.

Policies (recorded in the results):
- failures (`judge_failed`/`parse_failed`): `exclude` from the means (what the official scripts do) or
  score them `min`; either way they are counted and shown next to the means.
- missing replies: `min` (default: an unanswered test item earns the lowest score) or `exclude`.
- language mismatch: minimum score on every judged dimension (results page rule).
Task 3 D2/D3 of the official formula are the human ratings; the judge's audio-based scores for the same
dimensions are aggregated apart and only used in a final that is labelled as not official.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from humdial.scoring.rounding import dec, mean, round_half_up
from humdial.protocol.track1_dimensions import AUDIO_DIMS_T3, DIMENSIONS, TEXT_DIM_T3
from humdial.evaluate.track1.human import HumanScore
from humdial.evaluate.track1.items import Item
from humdial.scoring.track1 import Components, display, language_final, overall_final
from humdial.protocol.track1 import LANGS, Task

FailurePolicy = Literal["exclude", "min"]
MissingPolicy = Literal["min", "exclude"]
MEAN_DIGITS = 4
"""Means are shown with 4 decimals (`mean`, `avg`); every further step (task averages, finals) uses the
unrounded means (`mean_unrounded`, `avg_unrounded`); finals are displayed with 2 (round half up)."""


@dataclass
class ScoredItem:
    item: Item
    judge_scores: dict[str, float] = field(default_factory=dict)
    """Scores that count, per dimension (after the policies); absent = not counted."""
    verdict_status: str | None = None
    verdict_error: str = ""
    human: HumanScore | None = None
    score_source: str = ""
    """judge | min:missing | min:language_mismatch | min:judge_failure | excluded | none."""


def apply_policies(item: Item, parsed_scores: dict[str, int] | None, verdict_status: str | None,
                   failure: FailurePolicy, missing: MissingPolicy) -> tuple[dict[str, float], str]:
    dims = DIMENSIONS[item.task]
    if item.status in ("excluded", "not_evaluable"):
        return {}, "excluded" if item.status == "excluded" else "none"
    if item.status == "language_mismatch":
        return {d: 1.0 for d in dims}, "min:language_mismatch"
    if item.status == "missing":
        return ({d: 1.0 for d in dims}, "min:missing") if missing == "min" else ({}, "none")
    if verdict_status == "ok" and parsed_scores:
        scores = {d: float(v) for d, v in parsed_scores.items()}
        if item.task is Task.EMPATHY and item.audio_path is None and failure == "min":
            scores.update({d: 1.0 for d in AUDIO_DIMS_T3})
        return scores, "judge"
    return ({d: 1.0 for d in dims}, "min:judge_failure") if failure == "min" else ({}, "none")


def _exact(values: list[float]) -> Decimal | None:
    return mean(values) if values else None


def _shown(value: Decimal | None) -> float | None:
    return round_half_up(value, MEAN_DIGITS) if value is not None else None


def _dim_summary(scored: list[ScoredItem], dim: str) -> dict:
    values = [s.judge_scores[dim] for s in scored if dim in s.judge_scores]
    exact = _exact(values)
    return {"mean": _shown(exact), "mean_unrounded": float(exact) if exact is not None else None, "n": len(values)}


def summarise_task(scored: list[ScoredItem], task: Task) -> dict:
    statuses = Counter(s.item.status for s in scored)
    sources = Counter(s.score_source for s in scored)
    failures = Counter(s.verdict_status for s in scored if s.verdict_status not in (None, "ok"))
    errors = Counter(kind for s in scored for kind in {e["kind"] for e in s.item.errors})
    out: dict = {"items": len(scored), "status": dict(statuses), "score_source": dict(sources),
                 "judge_failures": dict(failures), "item_errors": dict(errors)}
    if task is Task.EMPATHY:
        out["dims"] = {TEXT_DIM_T3: _dim_summary(scored, TEXT_DIM_T3)}
        out["judge_audio"] = {d: _dim_summary(scored, d) for d in AUDIO_DIMS_T3}
        out["judge_audio"]["label"] = "judge/proxy scores from the reply audio; NOT the official human D2/D3"
        rated = [s.human for s in scored if s.human is not None and s.item.status != "excluded"]
        wanted = [s for s in scored if s.item.status not in ("excluded", "not_evaluable")]
        d2, d3 = _exact([h.d2 for h in rated]), _exact([h.d3 for h in rated])
        out["human"] = {"d2": _shown(d2), "d3": _shown(d3),
                        "d2_unrounded": float(d2) if d2 is not None else None,
                        "d3_unrounded": float(d3) if d3 is not None else None, "n": len(rated),
                        "missing": sum(1 for s in wanted if s.human is None)}
        return out
    out["dims"] = {d: _dim_summary(scored, d) for d in DIMENSIONS[task]}
    means = [v["mean_unrounded"] for v in out["dims"].values()]
    exact = mean(means) if all(m is not None for m in means) else None
    out["avg"] = _shown(exact)
    out["avg_unrounded"] = float(exact) if exact is not None else None
    return out


def _components(tasks: dict[str, dict], human: bool) -> Components | None:
    t1, t2, t3 = tasks.get("T1"), tasks.get("T2"), tasks.get("T3")
    if not (t1 and t2 and t3) or t1["avg_unrounded"] is None or t2["avg_unrounded"] is None \
            or t3["dims"][TEXT_DIM_T3]["mean_unrounded"] is None:
        return None
    if human:
        d2, d3 = t3["human"]["d2_unrounded"], t3["human"]["d3_unrounded"]
    else:
        d2, d3 = (t3["judge_audio"][d]["mean_unrounded"] for d in AUDIO_DIMS_T3)
    if d2 is None or d3 is None:
        return None
    return Components(dec(t1["avg_unrounded"]), dec(t2["avg_unrounded"]),
                      dec(t3["dims"][TEXT_DIM_T3]["mean_unrounded"]), dec(d2), dec(d3))


def summarise(scored: list[ScoredItem]) -> dict:
    """Per-language task summaries, official finals (human D2/D3) and labelled judge-audio substitutes."""
    per_lang: dict[str, dict] = {}
    finals: dict[str, dict[str, Decimal]] = {"official": {}, "judge_audio": {}}
    for lang in LANGS:
        lang_items = [s for s in scored if s.item.lang == lang]
        if not lang_items:
            continue
        tasks = {task.code: summarise_task([s for s in lang_items if s.item.task is task], task)
                 for task in DIMENSIONS if any(s.item.task is task for s in lang_items)}
        entry: dict = {"tasks": tasks}
        for key, human in (("official", True), ("judge_audio", False)):
            comps = _components(tasks, human)
            if comps is not None:
                finals[key][lang] = language_final(comps)
        official = finals["official"].get(lang)
        entry["final"] = display(official) if official is not None else None
        entry["final_unrounded"] = float(official) if official is not None else None
        entry["final_status"] = ("complete" if official is not None else
                                 "incomplete: needs T1, T2, T3 D1 and human T3 D2/D3 (--human-ratings)")
        substitute = finals["judge_audio"].get(lang)
        entry["final_with_judge_audio_dims"] = {
            "value": display(substitute) if substitute is not None else None,
            "label": "NOT official: T3 D2/D3 replaced by the judge's audio-based scores"}
        per_lang[lang] = entry
    overall: dict = {}
    for key in ("official", "judge_audio"):
        got = finals[key]
        overall[key] = display(overall_final(got)) if all(lang in got for lang in LANGS) else None
    overall["status"] = "complete" if overall["official"] is not None else "incomplete (see per-language status)"
    overall["label_judge_audio"] = "NOT official: uses judge audio scores for T3 D2/D3"
    return {"per_language": per_lang, "overall": overall}
