"""`humdial run track2`: the baseline full-duplex agent answers every Track 2 input (noisy and clean)."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import add_agent_asr, add_executor, add_jobs, add_lang, add_out, executor_spec
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
    add_executor(parser)
    parser.add_argument("--realtime", action="store_true", help="run against the real clock (live pacing)")
    parser.add_argument("--clock", default="cost", choices=["cost", "wall"],
                        help="batch clock: cost charges each computation its profile cost (reproducible), wall "
                             "its measured time (load-dependent); --realtime overrides")
    parser.add_argument("--cost-profile", default=None, metavar="FILE",
                        help="cost profile for --clock cost (unset: the shipped 2-core profile; write one with "
                             "python -m humdial.agent.calibrate)")
    parser.add_argument("--responder", default="offline", help="offline | openai:MODEL@URL | gguf:PATH")
    add_agent_asr(parser)
    parser.add_argument("--speaker-encoder", default="auto", choices=["auto", "ge2e", "spectral"],
                        help="speaker encoder for third-party rejection")
    parser.add_argument("--pairing", default=None, help="pairing manifest of a test layout (default: DATA/pairing.jsonl)")
    parser.add_argument("--limit", type=int, default=0, help="run only the first N samples (0: all)")
    parser.add_argument("--force", action="store_true", help="recompute outputs that already exist (without it, an output is redone exactly when its input "
                             "wav or a setting that shapes it changed)")
    parser.add_argument("--self-transcripts", action="store_true",
                        help="also write <output stem>.json with the agent's own words and timings (not ASR): "
                             "lets a language without an ASR model be scored from precomputed transcripts")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from humdial.agent.batch import Track2RunOptions, run_dataset
    from humdial.agent.build import DEFAULT_ASR
    from humdial.commands.options import asr_routes

    opts = Track2RunOptions(data=Path(args.data), out=Path(args.out), langs=tuple(args.lang),
                            asr=tuple(asr_routes(args.asr, DEFAULT_ASR).items()), responder=args.responder,
                            speaker_encoder=args.speaker_encoder, realtime=args.realtime, clock=args.clock,
                            cost_profile=args.cost_profile, pairing=args.pairing, limit=args.limit, force=args.force,
                            self_transcripts=args.self_transcripts, jobs=args.jobs, quiet=args.quiet)
    from humdial.execute.backend import use_executor

    with use_executor(executor_spec(args)):
        summary = run_dataset(opts)
    errors = summary["errors"]
    redone = f" (of which {summary['redone']} redone: input or settings changed since the earlier run)" \
        if summary["redone"] else ""
    print(f"agent: {summary['ok']} written{redone}, {summary['skipped']} already done, {len(errors)} failed"
          + (f"; real-time factor {summary['rtf']}" if summary["rtf"] is not None else "")
          + f"; summary in {Path(args.out) / paths.AGENT_RUN}")
    for err in errors[:10]:
        print(f"  error {err['sample_id']} ({err['role']}): {err['error']['message']}")
    for prob in summary["layout_problems"][:10]:
        print(f"  layout: {prob['path']}: {prob['reason']}")
    return 1 if errors else 0
