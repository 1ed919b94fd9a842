"""Track 1 evaluation end to end: load, join, judge, aggregate, write the results file + the verdict log.

File names come from `humdial.results.paths`; the results are validated by `Track1Results` on write.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import soundfile as sf

from humdial import __version__
from humdial.judge.base import ContentPart, Judge, JudgeRequest, Sampling, Verdict
from humdial.judge.rubrics import Rubric, load_rubric
from humdial.results.provenance import run_context
from humdial.results import paths
from humdial.results.schema import dump
from humdial.results.track1 import build_track1_results, write_track1_results
from humdial.results.verdicts import VerdictRecord, write_verdicts
from humdial.layouts.source import find_root, opened
from humdial.evaluate.track1.aggregate import FailurePolicy, MissingPolicy, ScoredItem, apply_policies, summarise
from humdial.protocol.track1_dimensions import DIMENSIONS, RUBRIC_IDS, TEXT_DIM_T3
from humdial.protocol.track1_exclusions import Exclusions, published_exclusions
from humdial.evaluate.track1.human import HumanRatings
from humdial.evaluate.track1.items import Item, JoinReport, join
from humdial.layouts.track1 import LoadResult, Numbering, load_tree
from humdial.evaluate.track1.preflight import run_preflight
from humdial.evaluate.track1.progress import judge_groups
from humdial.evaluate.track1.parsing import scores_parser
from humdial.evaluate.track1.requests import build_request, is_template, mode_sampling
from humdial.protocol.track1 import LANGS, Task
from humdial.protocol.track1_target import T3TurnRule

MODES = {"official": "exclude", "strict": "min"}
"""official: judge failures are left out of the means (as the organisers' scripts do); strict: they score 1.
The mode also picks the answer parser (parsing.py), the request parameters (requests.MODE_SAMPLING), the
reply cleaning and the Task 3 turn rule's treatment of unlabelled turns (items.py)."""


@dataclass
class EvalOptions:
    t3_rule: T3TurnRule = "second"
    mode: str = "official"
    missing: MissingPolicy = "min"
    language_rule: bool = True
    exclusions: Exclusions = field(default_factory=published_exclusions)
    rubrics: dict[Task, Rubric] = field(default_factory=dict)
    human: HumanRatings | None = None
    numbering: Numbering = "new"
    langs: tuple[str, ...] = LANGS
    sampling_overrides: dict = field(default_factory=dict)
    """CLI overrides of the mode's request parameters (temperature, top_p, top_k, max_tokens, seed, max_reasks)."""

    @property
    def sampling(self) -> Sampling:
        return mode_sampling(self.mode, **self.sampling_overrides)
    allow_missing: float | int | None = None
    """Items allowed to lack a reply before the preflight refuses (count, fraction, None = no limit);
    the CLI passes --allow-missing (default 0)."""
    quiet: bool = True
    """No preflight summary and no judge progress bar (library default; the CLI shows both unless --quiet)."""
    probe_judge: bool = False
    """Send one probe request to a remote judge before judging (the CLI does; fails fast when unreachable)."""

    @property
    def failure(self) -> FailurePolicy:
        return MODES[self.mode]  # type: ignore[return-value]

    def rubric(self, task: Task) -> Rubric:
        if task not in self.rubrics:
            self.rubrics[task] = load_rubric(RUBRIC_IDS[task])
        return self.rubrics[task]


def _audio_part(item: Item) -> ContentPart | None:
    """The reply audio as a content part, or None (with a note) when absent or unreadable."""
    if item.audio_path is None:
        return None
    try:
        info = sf.info(str(item.audio_path))
        if info.frames == 0:
            raise RuntimeError("no samples")
    except Exception as exc:  # soundfile raises several types for corrupt files
        item.error("unreadable_response_audio", f"response audio unreadable ({exc}); audio dimensions not judged",
                   item.audio_path)
        item.audio_path = None
        return None
    return ContentPart.of_audio_file(item.audio_path)


def _judge_items(items: list[Item], judge: Judge, options: EvalOptions) -> dict[str, Verdict]:
    """Verdicts per item id; each (task, with audio) group is judged with its own parser, with a progress bar."""
    groups: dict[tuple[Task, bool], list[tuple[Item, JudgeRequest]]] = {}
    for item in items:
        if item.status != "judge":
            continue
        audio = _audio_part(item) if item.task is Task.EMPATHY else None
        request = build_request(item, options.rubric(item.task), audio, options.sampling)
        groups.setdefault((item.task, audio is not None or item.task is not Task.EMPATHY), []).append((item, request))
    order = list(groups.items())
    asked = [(f"{task.code}" + ("" if full or task is not Task.EMPATHY else " (text only: no reply audio)"),
              [r for _, r in members], scores_parser(task, DIMENSIONS[task] if full else (TEXT_DIM_T3,), options.mode))
             for (task, full), members in order]
    verdicts: dict[str, Verdict] = {}
    for (_, members), answers in zip(order, judge_groups(judge, asked, options.quiet)):
        for (item, _), verdict in zip(members, answers):
            verdicts[item.item_id] = verdict
    return verdicts


def _record(s: ScoredItem, verdict: Verdict) -> VerdictRecord:
    item = s.item
    return VerdictRecord.from_verdict(item.dialogue_id, item.task.code, verdict, score=s.judge_scores or None,
                                      language=item.lang)


def _item_dict(s: ScoredItem, verdict: Verdict | None) -> dict:
    item = s.item
    out = {"id": item.item_id, "lang": item.lang, "task": item.task.code, "dialogue_id": item.dialogue_id,
           "status": item.status, "reason": item.reason, "eval_turn": item.eval_turn,
           "scores": s.judge_scores, "score_source": s.score_source, "notes": item.notes, "errors": item.errors,
           "audio": item.audio_path.name if item.audio_path else None}
    if verdict is not None:
        out["verdict"] = {"status": verdict.status, "error": verdict.error, "attempts": verdict.attempts,
                          "cached": verdict.cached, "rubric": f"{verdict.rubric_id} v{verdict.rubric_version}",
                          "mapped": (verdict.parsed or {}).get("mapped", []),
                          "coerced": (verdict.parsed or {}).get("coerced", []),
                          "repaired": (verdict.parsed or {}).get("repaired", False), "raw": verdict.raw}
    if s.human is not None:
        out["human"] = {"d2": s.human.d2, "d3": s.human.d3, "raters": s.human.raters}
    return out


def evaluate(gold_root: str | Path, submission: str | Path, judge: Judge, out_dir: str | Path,
             options: EvalOptions | None = None) -> dict:
    options = options or EvalOptions()
    started = time.time()
    gold = load_tree(gold_root, "gold", options.numbering)
    with opened(submission) as folder:
        sub = load_tree(find_root(folder, "HD-Track1", LANGS), "submission", options.numbering)
        gold_dialogues = [d for d in gold.dialogues if d.lang in options.langs]
        items, join_report = join(gold_dialogues, sub.dialogues, options.t3_rule, options.exclusions,
                                  options.language_rule, official=options.mode == "official")
        check = run_preflight(items, len(gold_dialogues), len(sub.dialogues), gold_root, submission,
                              judge if options.probe_judge else None, options.allow_missing)
        if not options.quiet:
            print(check, file=sys.stderr)
        verdicts = _judge_items(items, judge, options)
    scored: list[ScoredItem] = []
    for item in items:
        verdict = verdicts.get(item.item_id)
        parsed = (verdict.parsed or {}).get("scores") if verdict and verdict.ok else None
        scores, source = apply_policies(item, parsed, verdict.status if verdict else None, options.failure,
                                        options.missing)
        human = (options.human.get(item.dialogue_id, item.eval_turn)
                 if options.human and item.task is Task.EMPATHY and item.eval_turn else None)
        if (options.human and item.task is Task.EMPATHY and item.eval_turn and human is None
                and item.status not in ("excluded", "not_evaluable")):
            item.error("missing_human_rating", f"no human D2/D3 rating for turn {item.eval_turn} in "
                       f"{options.human.source}; the human means cover fewer items")
        scored.append(ScoredItem(item, scores, verdict.status if verdict else None,
                                 verdict.error if verdict else "", human, source))
    results = build_track1_results(_results(scored, verdicts, gold, sub, join_report, judge, options, started),
                                   "track1 results built by this run")
    out_dir = Path(out_dir)
    write_track1_results(out_dir / paths.TRACK1_RESULTS, results)
    # only judged items: rule-decided scores (missing, wrong language) are not verdicts of the judge
    write_verdicts(out_dir / paths.VERDICTS, [_record(s, verdicts[s.item.item_id]) for s in scored
                                            if s.item.item_id in verdicts])
    return dump(results)


def prompt_provenance(options: EvalOptions) -> dict:
    """Whether the prompts are the organisers' templates; official mode with humdial's own rubrics says so."""
    templates = {t.code: is_template(options.rubric(t)) for t in DIMENSIONS}
    out: dict = {"official_templates": templates}
    if options.mode == "official" and not all(templates.values()):
        own = ", ".join(code for code, ok in templates.items() if not ok)
        out["warning"] = (f"official mode with humdial's own rubrics for {own}: the procedure is official, the "
                          "prompt texts are not; import the organisers' with `humdial rubric import`")
    return out


def _results(scored: list[ScoredItem], verdicts: dict[str, Verdict], gold: LoadResult, sub: LoadResult,
             join_report: JoinReport, judge: Judge, options: EvalOptions, started: float) -> dict:
    describe = judge.describe()
    summary = summarise(scored)
    mapped = sum(len((v.parsed or {}).get("mapped", [])) for v in verdicts.values())
    counts = {"items": len(scored), "status": dict(Counter(s.item.status for s in scored)),
              "item_errors": dict(Counter(kind for s in scored for kind in {e["kind"] for e in s.item.errors})),
              "verdicts": dict(Counter(v.status for v in verdicts.values())),
              "score_mappings_2_4": mapped, "gold_load_errors": len(gold.errors),
              "submission_load_errors": len(sub.errors),
              "human_rating_row_errors": len(options.human.errors) if options.human else 0}
    human_rubric = options.human.describe() if options.human else None
    return {
        "provenance": {
            "humdial_version": __version__, "track": "track1", "mode": options.mode,
            "policies": {"judge_failures": options.failure, "missing_replies": options.missing,
                         "language_rule": options.language_rule, "t3_turn_rule": options.t3_rule},
            "judge": describe, "comparable_to_official": bool(describe.get("comparable_to_official", True)),
            "rubrics": {t.code: options.rubric(t).describe() for t in DIMENSIONS},
            "judge_request": options.sampling.describe(),
            "prompts": prompt_provenance(options),
            "exclusions": options.exclusions.describe(), "human_ratings": human_rubric,
            "elapsed_s": round(time.time() - started, 3), **run_context(started),
        },
        "counts": counts,
        "join": join_report.as_dict(),
        "load_errors": {"gold": [e.as_dict() for e in gold.errors], "submission": [e.as_dict() for e in sub.errors]},
        **summary,
        "items": [_item_dict(s, verdicts.get(s.item.item_id)) for s in scored],
    }
