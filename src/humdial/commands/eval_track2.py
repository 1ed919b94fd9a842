"""humdial eval track2: score a system's Track 2 outputs (timing, delays, rejection, totals)."""

from __future__ import annotations

import argparse
from pathlib import Path

COMMAND = ("eval", "track2")
HELP = ("Evaluate Track 2 outputs: VAD stop/response latency, first-response delay, timestamp rejection, "
        "totals and final score in official or strict mode. Writes RUN_DIR/track2_results.json.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", required=True, type=Path,
                   help="dev layout root (<lang>/<Scenario>/...) or test root with pairing.jsonl")
    p.add_argument("--outputs", type=Path, default=None,
                   help="system outputs: dev mirror folder, or HD-Track2 submission folder/zip (default: next to inputs)")
    p.add_argument("--out", required=True, type=Path, help="run directory (results, caches)")
    p.add_argument("--pairing", type=Path, default=None, help="pairing manifest for the test layout")
    p.add_argument("--lang", default="en,zh", help="languages to evaluate, comma-separated")
    p.add_argument("--mode", choices=["official", "strict"], default="official",
                   help="official: the organisers' arithmetic and drops; strict: every sample counts")
    p.add_argument("--jobs", type=int, default=1, help="parallel worker processes")
    p.add_argument("--k", type=float, default=None, help="delay score k (default 40, the final ranking)")
    p.add_argument("--l-min", type=float, default=None, help="delay score L_min in seconds (default 0.624)")
    p.add_argument("--l-base", type=float, default=None, help="delay score L_base in seconds (default 2.531)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from humdial.evaluate.track2.pipeline import EvalOptions, run_eval
    from humdial.evaluate.track2.table import print_results
    from humdial.protocol.track2 import normalise_language
    from humdial.scoring.track2 import DelayScoreParams

    params = DelayScoreParams()
    for field, value in (("k", args.k), ("L_min", args.l_min), ("L_base", args.l_base)):
        if value is not None:
            params = replace(params, **{field: value})
    langs = [normalise_language(x) for x in args.lang.split(",") if x.strip()]
    opts = EvalOptions(data=args.data, out=args.out, outputs=args.outputs, pairing=args.pairing, langs=langs,
                       mode=args.mode, jobs=args.jobs, delay_params=params, quiet=args.quiet)
    results = run_eval(opts)
    if not args.quiet:
        print_results(results)
        print(f"results: {args.out / 'track2_results.json'}")
    return 1 if results["counts"]["with_errors"] else 0
