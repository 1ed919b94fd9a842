"""Run the agent over a whole Track 2 data set (dev or test layout): the function behind `humdial run track2`.

Writes one output wav (and event log) per input through `agent.runner`, then `agent_run.json` with what ran,
on which clock and cost profile, what failed and the real-time factor. Typed options so the demo, benchmarks and
the CLI call the same thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from humdial.agent.costs import load_profile
from humdial.agent.runner import RunSettings, effective_clock, plan_jobs, run_chunk
from humdial.execute.pool import map_chunks
from humdial.layouts.track2 import PAIRING_FILE, SUBMISSION_ROOT, read_track2
from humdial.results import paths


@dataclass(frozen=True)
class Track2RunOptions:
    data: Path
    out: Path
    """Mirror of the dev tree (may equal `data`), or the folder that gets HD-Track2/ for the test layout."""
    langs: tuple[str, ...] = ("en", "zh")
    asr: tuple[tuple[str, str], ...] = ()
    """(language, agent ASR spec) pairs; missing languages take `agent.build.DEFAULT_ASR`."""
    responder: str = "offline"
    speaker_encoder: str = "auto"
    realtime: bool = False
    clock: str = "cost"
    cost_profile: str | None = None
    pairing: str | None = None
    limit: int = 0
    force: bool = False
    self_transcripts: bool = False
    jobs: int = 1
    quiet: bool = False


def run_dataset(opts: Track2RunOptions) -> dict:
    """Answer every input; returns (and writes as `agent_run.json`) the run summary. Never raises per item."""
    from humdial.agent.build import DEFAULT_ASR

    data, out = Path(opts.data), Path(opts.out)
    asr = {**DEFAULT_ASR, **dict(opts.asr)}
    is_test = bool(opts.pairing) or (data / PAIRING_FILE).exists()
    outputs = out / SUBMISSION_ROOT if is_test and out.name != SUBMISSION_ROOT else out
    if is_test:
        (outputs / "test").mkdir(parents=True, exist_ok=True)
        (outputs / "clean").mkdir(parents=True, exist_ok=True)
    dataset = read_track2(data, outputs, list(opts.langs), opts.pairing)
    samples = dataset.samples[: opts.limit] if opts.limit else dataset.samples
    jobs = plan_jobs(samples, out)
    for job in jobs:
        job.output_wav.parent.mkdir(parents=True, exist_ok=True)
    settings = RunSettings(tuple(opts.langs), opts.responder, tuple(asr.items()), opts.speaker_encoder, opts.realtime,
                           opts.force, clock=opts.clock, cost_profile=opts.cost_profile,
                           self_transcripts=opts.self_transcripts)
    clock = effective_clock(settings)
    profile = load_profile(opts.cost_profile).provenance() if clock == "cost" else None
    results = map_chunks(partial(run_chunk, settings), jobs, jobs=opts.jobs, chunk_size=8,
                         description=f"agent ({dataset.layout})", quiet=opts.quiet)
    ok = [r for r in results if r["status"] == "ok"]
    errors = [r for r in results if r["status"] == "error"]
    audio_s = sum(r["audio_s"] for r in ok)
    compute_s = sum(r["compute_s"] for r in ok)
    charged_s = sum(r["charged_s"] for r in ok)
    summary = {"layout": dataset.layout, "data": str(data), "outputs": str(outputs), "langs": list(opts.langs),
               "responder": opts.responder, "asr": asr, "speaker_encoder": opts.speaker_encoder, "clock": clock,
               "cost_profile": profile, "self_transcripts": opts.self_transcripts,
               "jobs": len(jobs), "ok": len(ok), "skipped": len(results) - len(ok) - len(errors),
               "redone": sum(1 for r in ok if r["replaced"]),
               "errors": errors, "layout_problems": dataset.problems,
               "rtf": round(compute_s / audio_s, 4) if audio_s else None, "audio_s": round(audio_s, 2),
               "compute_s": round(compute_s, 2), "charged_s": round(charged_s, 2)}
    out.mkdir(parents=True, exist_ok=True)
    (out / paths.AGENT_RUN).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary
