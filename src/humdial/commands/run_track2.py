"""`humdial run track2`: the baseline full-duplex agent answers every Track 2 input (noisy and clean)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

COMMAND = ("run", "track2")
HELP = "run the baseline full-duplex agent over a Track 2 dev or test set"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="Track 2 data: dev layout (<lang>/<scenario>/...) or test "
                                                       "layout (test-*.wav, clean-*.wav, pairing.jsonl)")
    parser.add_argument("--out", required=True, help="output folder (mirror of the dev tree, or HD-Track2/ for the "
                                                      "test layout); may equal --data for the dev layout")
    parser.add_argument("--lang", default="en,zh", help="languages to run, comma-separated")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--realtime", action="store_true", help="run against the real clock (live pacing)")
    parser.add_argument("--clock", default="cost", choices=["cost", "wall"],
                        help="batch clock: cost charges each computation its profile cost (reproducible), wall "
                             "its measured time (load-dependent); --realtime overrides")
    parser.add_argument("--cost-profile", default=None, metavar="FILE",
                        help="cost profile for --clock cost (unset: the shipped 2-core profile; write one with "
                             "python -m humdial.agent.calibrate)")
    parser.add_argument("--responder", default="offline", help="offline | openai:MODEL@URL | gguf:PATH")
    parser.add_argument("--asr-en", default="partials", help="English ASR: partials[:DIR] | whisper[:DIR] | none")
    parser.add_argument("--asr-zh", default="none", help="Chinese ASR spec (none: turns from acoustic evidence)")
    parser.add_argument("--speaker-encoder", default="auto", choices=["auto", "ge2e", "spectral"],
                        help="speaker encoder for third-party rejection")
    parser.add_argument("--pairing", default=None, help="pairing manifest of a test layout (default: DATA/pairing.jsonl)")
    parser.add_argument("--limit", type=int, default=0, help="run only the first N samples (0: all)")
    parser.add_argument("--force", action="store_true", help="recompute outputs that already exist")
    parser.add_argument("--self-transcripts", action="store_true",
                        help="also write <output stem>.json with the agent's own words and timings (not ASR): "
                             "lets a language without an ASR model be scored from precomputed transcripts")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from humdial.agent.runner import RunSettings, plan_jobs, run_chunk
    from humdial.errors import HumdialError
    from humdial.execute.pool import map_chunks
    from humdial.layouts.track2 import PAIRING_FILE, SUBMISSION_ROOT, read_track2
    from humdial.protocol.track2 import normalise_language

    data, out = Path(args.data), Path(args.out)
    langs = tuple(dict.fromkeys(normalise_language(x) for x in args.lang.split(",") if x.strip()))
    if args.jobs < 1:
        raise HumdialError("--jobs must be at least 1")
    is_test = bool(args.pairing) or (data / PAIRING_FILE).exists()
    outputs = out / SUBMISSION_ROOT if is_test and out.name != SUBMISSION_ROOT else out
    if is_test:
        (outputs / "test").mkdir(parents=True, exist_ok=True)
        (outputs / "clean").mkdir(parents=True, exist_ok=True)
    dataset = read_track2(data, outputs, list(langs), args.pairing)
    samples = dataset.samples[: args.limit] if args.limit else dataset.samples
    jobs = plan_jobs(samples, out)
    for job in jobs:
        job.output_wav.parent.mkdir(parents=True, exist_ok=True)
    from humdial.agent.costs import load_profile
    from humdial.agent.runner import effective_clock

    settings = RunSettings(langs, args.responder, (("en", args.asr_en), ("zh", args.asr_zh)),
                           args.speaker_encoder, args.realtime, args.force, clock=args.clock,
                           cost_profile=args.cost_profile, self_transcripts=args.self_transcripts)
    clock = effective_clock(settings)
    profile = load_profile(args.cost_profile).provenance() if clock == "cost" else None
    results = map_chunks(partial(run_chunk, settings), jobs, jobs=args.jobs, chunk_size=8,
                         description=f"agent ({dataset.layout})", quiet=args.quiet)
    ok = [r for r in results if r["status"] == "ok"]
    errors = [r for r in results if r["status"] == "error"]
    audio_s = sum(r["audio_s"] for r in ok)
    compute_s = sum(r["compute_s"] for r in ok)
    charged_s = sum(r["charged_s"] for r in ok)
    summary = {"layout": dataset.layout, "data": str(data), "outputs": str(outputs), "langs": list(langs),
               "responder": args.responder, "asr": {"en": args.asr_en, "zh": args.asr_zh},
               "speaker_encoder": args.speaker_encoder, "clock": clock, "cost_profile": profile,
               "self_transcripts": args.self_transcripts,
               "jobs": len(jobs), "ok": len(ok), "skipped": len(results) - len(ok) - len(errors),
               "errors": errors, "layout_problems": dataset.problems,
               "rtf": round(compute_s / audio_s, 4) if audio_s else None, "audio_s": round(audio_s, 2),
               "compute_s": round(compute_s, 2), "charged_s": round(charged_s, 2)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "agent_run.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"agent: {len(ok)} written, {summary['skipped']} already done, {len(errors)} failed"
          + (f"; real-time factor {summary['rtf']}" if summary["rtf"] is not None else "")
          + f"; summary in {out / 'agent_run.json'}")
    for err in errors[:10]:
        print(f"  error {err['sample_id']} ({err['role']}): {err['error']['message']}")
    for prob in dataset.problems[:10]:
        print(f"  layout: {prob['path']}: {prob['reason']}")
    return 1 if errors else 0
