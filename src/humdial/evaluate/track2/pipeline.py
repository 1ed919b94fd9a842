"""`eval track2` as a function: read the layout, measure in parallel with caching, aggregate, write."""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from humdial import __version__
from humdial.audio import vad as vad_mod
from humdial.evaluate.track2.aggregate import JudgeRatios, aggregate
from humdial.evaluate.track2.measure import MeasureConfig, measure_chunk
from humdial.execute.pool import map_chunks
from humdial.layouts.safe_zip import open_folder_or_zip
from humdial.layouts.track2 import read_track2
from humdial.scoring.track2 import DelayScoreParams

RESULTS_FILE = "track2_results.json"
SCHEMA = "humdial.track2_results/1"


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
    measure: MeasureConfig = field(default_factory=MeasureConfig)
    delay_params: DelayScoreParams = field(default_factory=DelayScoreParams)
    quiet: bool = False


def run_eval(opts: EvalOptions, judge_ratios: JudgeRatios | None = None) -> dict:
    started = time.time()
    opts.out.mkdir(parents=True, exist_ok=True)
    outputs = open_folder_or_zip(opts.outputs, opts.out) if opts.outputs else None
    dataset = read_track2(opts.data, outputs, opts.langs, opts.pairing)
    config = MeasureConfig(vad=opts.measure.vad, cache_dir=opts.out / "cache", transcripts=opts.measure.transcripts)
    records = map_chunks(partial(measure_chunk, config=config), dataset.samples, jobs=opts.jobs,
                         chunk_size=opts.chunk_size, description="Track 2 timing", quiet=opts.quiet)
    summary = aggregate(records, judge_ratios, opts.delay_params)
    results = {
        "schema": SCHEMA,
        "mode": opts.mode,
        "provenance": provenance(opts, dataset.layout, records, time.time() - started),
        "pending": pending_metrics(summary),
        "layout_problems": dataset.problems,
        "counts": counts(records),
        **summary,
        "samples": records,
    }
    write_results(opts.out / RESULTS_FILE, results)
    return results


def write_results(path: Path, results: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def counts(records: list[dict]) -> dict:
    by_kind: dict[str, int] = {}
    for r in records:
        for e in r["errors"]:
            by_kind[e["kind"]] = by_kind.get(e["kind"], 0) + 1
    return {"samples": len(records), "ok": sum(r["status"] == "ok" for r in records),
            "with_errors": sum(r["status"] == "error" for r in records), "errors_by_kind": by_kind,
            "with_warnings": sum(bool(r["warnings"]) for r in records)}


def pending_metrics(summary: dict) -> list[str]:
    out = []
    for lang, units in summary["units"].items():
        for key, u in units.items():
            if u["official"].get("pending"):
                out.append(f"{lang}/{key}: {u['official']['pending']}")
    return out


def provenance(opts: EvalOptions, layout: str, records: list[dict], seconds: float) -> dict:
    hashes = {}
    for r in records:
        for role in ("input", "output"):
            info = r.get(role)
            if info and "sha256" in info:
                hashes[r["files"][role]] = info["sha256"]
    source = getattr(opts.measure.transcripts, "__name__", type(opts.measure.transcripts).__name__)
    return {"humdial_version": __version__, "python": platform.python_version(), "mode": opts.mode,
            "layout": layout, "data": str(opts.data), "outputs": str(opts.outputs or opts.data),
            "languages": opts.langs or "all", "vad": {"backend": vad_mod.backend_description(),
                                                       "constants": asdict(opts.measure.vad)},
            "transcripts": source, "delay_score_params": asdict(opts.delay_params),
            "jobs": opts.jobs, "wall_seconds": round(seconds, 2), "file_sha256": hashes}
