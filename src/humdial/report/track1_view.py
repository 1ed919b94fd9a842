"""Track 1 section of the report, from a `Track1Results` (`track1_results.json`, written by `humdial eval track1`).

Point values are copied from the results file. The official final needs human T3 D2/D3; without them
the evaluator reports a substitute that uses the judge's audio scores, labelled NOT official, and so
does this page. Confidence intervals: stratified bootstrap over dialogues (per language and task) of
the same weighting (`humdial.scoring.track1.language_final`) recomputed from per-item judge scores.
Emotion-label accuracy of the baseline comes from the run's `EmotionReport` when it has one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from humdial.report.bootstrap import BootstrapConfig, Interval, stratified_bootstrap
from humdial.protocol.track1_dimensions import AUDIO_DIMS_T3, DIMENSIONS, TEXT_DIM_T3
from humdial.scoring.track1 import Components, language_final
from humdial.protocol.track1 import Task
from humdial.results.track1 import EmotionReport, EmotionTurn, ItemRecord, Track1Results

TASKS = {t.code: t for t in DIMENSIONS}


@dataclass
class Track1View:
    finals: dict[str, float | None]
    """Official finals as written: 'overall' and per language (None without human D2/D3)."""
    substitutes: dict[str, float | None]
    """Finals with the judge's audio scores in place of human D2/D3 (NOT official), as written."""
    intervals: dict[str, Interval]
    """Bootstrap intervals of the substitute finals ('overall', 'zh', 'en')."""
    task_rows: list[list[object]]
    items: list[ItemRecord] = field(default_factory=list)
    proxy: bool = False
    judge: str = ""
    emotion: EmotionReport | None = None
    emotion_intervals: dict[str, Interval] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    why: dict[str, str] = field(default_factory=dict)
    """'official' / 'substitute/<scope>' -> why that final is None (shown instead of a bare n/a)."""


LANGS = ("zh", "en")
"""A Track 1 overall final is 0.5 zh + 0.5 en: it needs both languages."""


def missing_finals(results: Track1Results) -> dict[str, str]:
    """Why each None final of the results is None, naming the language and what it lacks."""
    out: dict[str, str] = {}
    official = [f"no {lang} dialogues" if lang not in results.per_language else
                f"{lang} {results.per_language[lang].final_status or 'incomplete'}"
                for lang in LANGS if lang not in results.per_language or results.per_language[lang].final is None]
    if results.overall.official is None:
        out["official"] = "; ".join(official) or "not computed"
    for lang, block in results.per_language.items():
        if block.final_with_judge_audio_dims.value is None:
            out[f"substitute/{lang}"] = f"{lang}: some task has no judge scores (T1, T2, T3 D1-D3 all needed)"
    if results.overall.judge_audio is None:
        out["substitute/overall"] = "; ".join(
            f"no {lang} dialogues" if lang not in results.per_language else out.get(f"substitute/{lang}", "")
            for lang in LANGS if lang not in results.per_language or f"substitute/{lang}" in out) or "not computed"
    return out


def substitute_finals(items: list[ItemRecord]) -> dict[str, float | None]:
    """Per-language and overall finals from per-item scores, judge audio scores standing in for D2/D3."""
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for it in items:
        for dim, score in it.scores.items():
            values[it.lang][f"{it.task}/{dim}"].append(float(score))
    out: dict[str, float | None] = {}
    for lang, dims in values.items():
        def mean_of(key: str) -> float | None:
            return fmean(dims[key]) if dims.get(key) else None

        t1 = [mean_of(f"T1/{d}") for d in DIMENSIONS[Task.TRAJECTORY]]
        t2 = [mean_of(f"T2/{d}") for d in DIMENSIONS[Task.REASONING]]
        t3 = [mean_of(f"T3/{d}") for d in (TEXT_DIM_T3, *AUDIO_DIMS_T3)]
        if None in t1 or None in t2 or None in t3:
            out[lang] = None
            continue
        out[lang] = float(language_final(Components.from_dims(t1, t2, *t3)))
    out["overall"] = 0.5 * out["zh"] + 0.5 * out["en"] if out.get("zh") is not None and out.get("en") is not None else None
    return out


def _task_rows(results: Track1Results) -> list[list[object]]:
    rows: list[list[object]] = []
    for lang, block in results.per_language.items():
        for code, tb in block.tasks.items():
            for dim, v in tb.dims.items():
                rows.append([lang, code, dim, v.mean, v.n, "judge"])
            for dim, v in tb.judge_audio.items():
                if not isinstance(v, str):  # the entry named "label" is the explanation, not a dimension
                    rows.append([lang, code, dim, v.mean, v.n, "judge audio (not official D2/D3)"])
            if tb.human is not None and tb.human.n:
                rows.append([lang, code, "human D2", tb.human.d2, tb.human.n, "human"])
                rows.append([lang, code, "human D3", tb.human.d3, tb.human.n, "human"])
            if tb.avg is not None:
                rows.append([lang, code, "average", tb.avg, tb.items, "judge"])
    return rows


def emotion_accuracy(turns: list[EmotionTurn]) -> dict[str, float | None]:
    """Share of turns whose predicted emotion equals the gold label, per language and overall."""
    out: dict[str, float | None] = {}
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for t in turns:
        by_lang[t.lang].append(t.predicted == t.gold)
    for lang, hits in by_lang.items():
        out[lang] = sum(hits) / len(hits)
    every = [h for hits in by_lang.values() for h in hits]
    out["overall"] = sum(every) / len(every) if every else None
    return out


def build_track1_view(results: Track1Results | None, emotion: EmotionReport | None = None,
                      config: BootstrapConfig = BootstrapConfig()) -> Track1View:
    results = results or Track1Results()
    finals: dict[str, float | None] = {"overall": results.overall.official}
    substitutes: dict[str, float | None] = {"overall": results.overall.judge_audio}
    for lang, block in results.per_language.items():
        finals[lang] = block.final
        substitutes[lang] = block.final_with_judge_audio_dims.value
    items = results.items
    scored = [it for it in items if it.scores]
    intervals = stratified_bootstrap(scored, lambda it: (it.lang, it.task), substitute_finals, config)
    judge = results.provenance.judge
    proxy = judge.get("backend") == "proxy" or not results.provenance.comparable_to_official
    notes = []
    if finals.get("overall") is None:
        notes.append("Official final not computed: it needs human ratings for T3 D2/D3 (--human-ratings). "
                     "The substitute final uses the judge's audio scores instead and is NOT official.")
    if proxy:
        notes.append("Scored by the offline proxy judge: deterministic heuristics, NOT comparable to the official "
                     "Qwen3-Omni judging or to the published table.")
    emo_iv: dict[str, Interval] = {}
    if emotion is not None and emotion.turns:
        emo_iv = stratified_bootstrap(emotion.turns, lambda t: t.lang, emotion_accuracy, config)
    return Track1View(finals=finals, substitutes=substitutes, intervals=intervals, task_rows=_task_rows(results),
                      items=items, proxy=proxy, judge=str(judge.get("model") or judge.get("backend") or ""),
                      emotion=emotion, emotion_intervals=emo_iv, notes=notes, why=missing_finals(results))
