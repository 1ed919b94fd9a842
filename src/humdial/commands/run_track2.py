"""`humdial run track2`: the baseline full-duplex agent answers every Track 2 input (noisy and clean)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from humdial.commands.options import add_asr_aliases, add_jobs, add_lang, add_out
from humdial.results import paths

COMMAND = ("run", "track2")
HELP = "run the baseline full-duplex agent over a Track 2 dev or test set"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="Track 2 data: dev layout (<lang>/<scenario>/...) or test "
                                                       "layout (test-*.wav, clean-*.wav, pairing.jsonl)")
    add_out(parser, "output folder (mirror of the dev tree, or HD-Track2/ for the test layout); may equal --data "
                    "for the dev layout")
    add_lang(parser, default="en,zh")
    add_jobs(parser)
    parser.add_argument("--realtime", action="store_true", help="run against the real clock (live pacing)")
    parser.add_argument("--responder", default="offline", help="offline | openai:MODEL@URL | gguf:PATH")
    parser.add_argument("--asr", action="append", default=None, metavar="[LANG=]SPEC",
                        help="the agent's ASR per language, repeatable: none, partials[:DIR] (short-window whisper), "
                             "or a transcribing spec of `eval --asr` (whisper[:DIR], paraformer:DIR, parakeet:PATH); "
                             "default en=partials, zh=none (Chinese turns from acoustic evidence)")
    add_asr_aliases(parser)
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

    from humdial.agent.build import DEFAULT_ASR
    from humdial.agent.runner import RunSettings, plan_jobs, run_chunk
    from humdial.commands.options import asr_routes
    from humdial.execute.pool import map_chunks
    from humdial.layouts.track2 import PAIRING_FILE, SUBMISSION_ROOT, read_track2

    data, out = Path(args.data), Path(args.out)
    langs = args.lang
    asr = asr_routes(args.asr, DEFAULT_ASR)
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
    settings = RunSettings(langs, args.responder, tuple(asr.items()),
                           args.speaker_encoder, args.realtime, args.force, args.self_transcripts)
    results = map_chunks(partial(run_chunk, settings), jobs, jobs=args.jobs, chunk_size=8,
                         description=f"agent ({dataset.layout})", quiet=args.quiet)
    ok = [r for r in results if r["status"] == "ok"]
    errors = [r for r in results if r["status"] == "error"]
    audio_s = sum(r["audio_s"] for r in ok)
    compute_s = sum(r["compute_s"] for r in ok)
    summary = {"layout": dataset.layout, "data": str(data), "outputs": str(outputs), "langs": list(langs),
               "responder": args.responder, "asr": asr,
               "speaker_encoder": args.speaker_encoder, "clock": "real" if args.realtime else "simulated",
               "self_transcripts": args.self_transcripts,
               "jobs": len(jobs), "ok": len(ok), "skipped": len(results) - len(ok) - len(errors),
               "errors": errors, "layout_problems": dataset.problems,
               "rtf": round(compute_s / audio_s, 4) if audio_s else None, "audio_s": round(audio_s, 2),
               "compute_s": round(compute_s, 2)}
    out.mkdir(parents=True, exist_ok=True)
    (out / paths.AGENT_RUN).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"agent: {len(ok)} written, {summary['skipped']} already done, {len(errors)} failed"
          + (f"; real-time factor {summary['rtf']}" if summary["rtf"] is not None else "")
          + f"; summary in {out / paths.AGENT_RUN}")
    for err in errors[:10]:
        print(f"  error {err['sample_id']} ({err['role']}): {err['error']['message']}")
    for prob in dataset.problems[:10]:
        print(f"  layout: {prob['path']}: {prob['reason']}")
    return 1 if errors else 0
