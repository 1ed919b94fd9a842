"""`eval track2` as a function: stages transcribe -> measure -> judge -> score, all resumable.

transcribe: ASR on the four files of each sample (and the speech-directed-at-others cuts) into
            RUN_DIR/transcripts, cached by audio hash.
measure:    VAD timing, first-response delay and timestamp rejection (VAD cached by content hash).
judge:      behaviour tags into RUN_DIR/verdicts.jsonl (verdict cache in RUN_DIR/cache/judge).
score:      aggregation in both modes, written to RUN_DIR/track2_results.json.
A stage left out reuses what an earlier run left in the run directory. File names come from
`humdial.results.paths`; the results file is validated by `humdial.results.track2.Track2Results`.
"""

from __future__ import annotations

import platform
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path

from humdial import __version__
from humdial.audio import vad as vad_mod
from humdial.errors import HumdialError
from humdial.scoring.track2_aggregate import AggregateContext, aggregate, unavailable_list
from humdial.evaluate.track2.measure import MeasureConfig, measure_chunk, precomputed_transcript, vad_cached
from humdial.evaluate.track2.preflight import run_preflight
from humdial.evaluate.track2.transcripts import (StoredTranscripts, TranscribeConfig, decoded_before, split_threads,
                                                  transcribe_chunk)
from humdial.execute.pool import map_chunks, shared_pool
from humdial.layouts.safe_zip import open_folder_or_zip
from humdial.layouts.track2 import read_track2
from humdial.results import paths
from humdial.results.provenance import run_context
from humdial.results.track2 import (build_track2_results, dump, load_judge_ratios, write_judge_ratios,
                                    write_track2_results)
from humdial.scoring.sample_verdict import sample_verdict
from humdial.scoring.track2 import DelayScoreParams
STAGES = ("transcribe", "measure", "judge", "score")
TRANSCRIPT_CONSUMERS = frozenset({"measure", "judge", "score"})
"""Stages after transcription; with none of them `run_eval` stops once the transcripts are stored."""
PROXY_NOTE = ("behaviour tags from the offline proxy judge: a transcript-similarity heuristic, "
              "NOT comparable to official (LLM-judged) scores")


@dataclass
class EvalOptions:
    data: Path
    out: Path
    outputs: Path | None = None
    pairing: Path | None = None
    langs: list[str] | None = None
    mode: str = "official"
    jobs: int = 1
    chunk_size: int = 16
    stages: tuple[str, ...] = STAGES
    asr: TranscribeConfig | None = None
    """None: no transcription stage; output transcripts are the precomputed <stem>.json files."""
    judge: object | None = None
    """A humdial.judge.base.Judge; None leaves RESPOND/RESUME unavailable (or reuses an earlier run's)."""
    judge_description: dict | None = None
    rubric: object | None = None
    vad: vad_mod.VadConfig = field(default_factory=vad_mod.VadConfig)
    delay_params: DelayScoreParams = field(default_factory=DelayScoreParams)
    quiet: bool = False
    allow_missing: float | int | None = None
    """Samples allowed to lack an output before the preflight refuses (count, fraction, None = no limit).
    The CLI passes its --allow-missing (default 0); library callers such as the demo accept any."""
    probe_judge: bool = False
    """Send one probe request to a remote judge before any slow stage (the CLI does)."""


def run_eval(opts: EvalOptions) -> dict:
    """Run the chosen stages; returns the results as written (a validated `Track2Results`, dumped)."""
    started = time.time()
    unknown = set(opts.stages) - set(STAGES)
    if unknown:
        raise HumdialError(f"unknown stage(s) {', '.join(sorted(unknown))}; stages are {', '.join(STAGES)}")
    opts.out.mkdir(parents=True, exist_ok=True)
    opts = replace(opts, asr=split_threads(opts.asr, opts.jobs)) if opts.asr is not None else opts
    outputs = open_folder_or_zip(opts.outputs, opts.out) if opts.outputs else None
    dataset = read_track2(opts.data, outputs, opts.langs, opts.pairing)
    samples = dataset.samples
    judging = opts.judge is not None and "judge" in opts.stages and opts.asr is not None
    check = run_preflight(dataset, opts.data, opts.judge if judging and opts.probe_judge else None, opts.allow_missing,
                          check_outputs=True)
    if not opts.quiet:
        print(check.summary(), file=sys.stderr)
    extra_errors: dict[str, list[dict]] = {}
    notes: list[str] = []
    stage_report: dict[str, dict] = {}

    with shared_pool(opts.jobs) as pool:  # one set of workers for transcribe and measure
        if opts.asr is not None and "transcribe" in opts.stages:
            for rec in map_chunks(partial(transcribe_chunk, config=opts.asr), samples, jobs=opts.jobs,
                                  chunk_size=4, description="Track 2 transcribe", quiet=opts.quiet, executor=pool,
                                  local=partial(decoded_before, config=opts.asr) if pool is not None else None):
                extra_errors.setdefault(rec["sample_id"], []).extend(rec["errors"])
                notes += [n for n in rec["notes"] if n not in notes]
        if not TRANSCRIPT_CONSUMERS & set(opts.stages):
            # transcription alone: the transcripts are the product; no timing, no results file
            failed = {sid: errs for sid, errs in extra_errors.items() if errs}
            return {"stages": list(opts.stages), "transcribed": len(samples), "failed": failed, "notes": notes}
        source = StoredTranscripts(opts.asr.store) if opts.asr is not None else precomputed_transcript
        config = MeasureConfig(vad=opts.vad, cache_dir=paths.cache_dir(opts.out), transcripts=source)
        records = map_chunks(partial(measure_chunk, config=config), samples, jobs=opts.jobs,
                             chunk_size=opts.chunk_size, description="Track 2 timing", quiet=opts.quiet,
                             executor=pool, local=partial(vad_cached, config=config) if pool is not None else None)

    ratios_path = opts.out / paths.JUDGE_RATIOS
    ratios = None
    judge_info = None
    sample_judge: dict[str, dict] = {}
    if judging:
        from humdial.evaluate.track2.behaviour import judge_samples
        from humdial.results.verdicts import write_verdicts

        outcome = judge_samples(samples, opts.asr.store, opts.judge, opts.rubric, quiet=opts.quiet)
        write_verdicts(opts.out / paths.VERDICTS, outcome.records)
        sample_judge = {r.sample_id: {"status": r.status, "tags": list(r.tags)} for r in outcome.records}
        for r in outcome.records:
            if r.status != "ok":  # a judge failure is the sample's error: counted, and the exit code says it
                extra_errors.setdefault(r.sample_id, []).append(
                    {"kind": r.status, "stage": "judge", "message": r.error or r.reason or "no usable judge answer"})
        stage_report["judge"] = {"asked": len(outcome.records), "ok": sum(r.status == "ok" for r in outcome.records),
                                 "failed": sum(r.status != "ok" for r in outcome.records),
                                 "skipped": len(outcome.skipped)}
        for item in outcome.skipped:
            extra_errors.setdefault(item["sample_id"], []).append(item)
        ratios = outcome.ratios
        judge_info = opts.judge_description or opts.judge.describe()
        write_judge_ratios(ratios_path, judge_info, ratios)
    elif ratios_path.exists() and "judge" not in opts.stages:
        saved = load_judge_ratios(ratios_path)
        ratios = saved.by_unit()
        judge_info = saved.judge

    records = list(records)
    check_reuse(opts, records)
    for rec in records:
        more = extra_errors.get(rec["sample_id"])
        if more:
            rec["errors"] += more
            rec["status"] = "error"
        if rec["sample_id"] in sample_judge:
            rec["judge"] = sample_judge[rec["sample_id"]]
        rec["verdict"] = sample_verdict(rec).as_dict()
    summary = aggregate(records, ratios, opts.delay_params, scoring_context(opts, judging, ratios))
    if judge_info and judge_info.get("backend") == "proxy":
        notes.append(PROXY_NOTE)
    results = build_track2_results({
        "mode": opts.mode,
        "provenance": provenance(opts, dataset.layout, records, time.time() - started, judge_info),
        "notes": notes,
        "unavailable": unavailable_list(summary, opts.mode),
        "layout_problems": dataset.problems,
        "counts": {**counts(records), "stages": stage_report},
        **summary,
        "samples": records,
    }, "track2 results built by this run")
    write_track2_results(opts.out / paths.TRACK2_RESULTS, results)
    return dump(results)


def check_reuse(opts: EvalOptions, records: list[dict]) -> None:
    """Refuse to mix an earlier run's transcripts or verdicts with files that changed since (HumdialError).

    Content-keyed caches (ASR, VAD, judge) redo exactly the changed work when every stage runs; a stage
    left out reuses what the earlier run left in the run folder, which is only right for the same files.
    """
    reused = [s for s in ("transcribe", "judge") if s not in opts.stages]
    previous_path = opts.out / paths.TRACK2_RESULTS
    if not reused or not previous_path.is_file():
        return
    try:
        import json

        before = json.loads(previous_path.read_text(encoding="utf-8"))["provenance"]["file_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    now = {}
    for r in records:
        for role in ("input", "output"):
            info = r.get(role)
            if info and "sha256" in info:
                now[r["files"][role]] = info["sha256"]
    changed = sorted(f for f, digest in now.items() if f in before and before[f] != digest)
    if changed:
        raise HumdialError(f"{len(changed)} file(s) changed since the earlier run in {opts.out} (e.g. {changed[0]}), "
                           f"but the stage(s) {', '.join(reused)} are left out and would reuse that run's work; "
                           "run every stage (the caches redo only what changed) or use a new --out")


def counts(records: list[dict]) -> dict:
    """Sample counts; `errors_by_kind` counts samples with at least one error of that kind (not error records)."""
    by_kind: dict[str, int] = {}
    for r in records:
        for kind in {e["kind"] for e in r["errors"]}:
            by_kind[kind] = by_kind.get(kind, 0) + 1
    return {"samples": len(records), "ok": sum(r["status"] == "ok" for r in records),
            "with_errors": sum(r["status"] == "error" for r in records), "errors_by_kind": by_kind,
            "with_warnings": sum(bool(r["warnings"]) for r in records)}


def scoring_context(opts: EvalOptions, judging: bool, ratios: dict | None) -> AggregateContext:
    """What the aggregation needs to say why a value is missing: why no judge ran, which ASR made the transcripts."""
    judge_missing = None
    if ratios is None:
        if opts.judge is None:
            judge_missing = "no judge requested (--judge none)"
        elif "judge" not in opts.stages:
            judge_missing = "judge stage left out (--stages) and no earlier judge_ratios.json to reuse"
        elif not judging:
            judge_missing = "no judge: it needs transcripts and this run has no transcription stage"
    if opts.asr is None:
        asr = {lang: "precomputed" for lang in ("en", "zh")}
    else:
        asr = {lang: str(spec) for lang, spec in opts.asr.routes.items()}
    return AggregateContext(judge_missing=judge_missing, asr=asr)


def provenance(opts: EvalOptions, layout: str, records: list[dict], seconds: float, judge_info: dict | None) -> dict:
    hashes = {}
    for r in records:
        for role in ("input", "output"):
            info = r.get(role)
            if info and "sha256" in info:
                hashes[r["files"][role]] = info["sha256"]
    if opts.asr is not None:
        from humdial.evaluate.track2.transcripts import router

        asr = router(opts.asr).describe()
    else:
        asr = {"routes": "precomputed <stem>.json next to each output wav"}
    return {"humdial_version": __version__, "python": platform.python_version(), "mode": opts.mode,
            "layout": layout, "data": str(opts.data), "outputs": str(opts.outputs or opts.data),
            "languages": opts.langs or "all", "stages": list(opts.stages),
            "vad": {"backend": vad_mod.backend_description(opts.vad), "constants": asdict(opts.vad)},
            "asr": asr, "judge": judge_info, "delay_score_params": asdict(opts.delay_params),
            "jobs": opts.jobs, "wall_seconds": round(seconds, 2), "file_sha256": hashes,
            **run_context(time.time() - seconds)}
