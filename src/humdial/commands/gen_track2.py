"""humdial gen track2: synthetic Track 2 (full-duplex) inputs in the dev or test layout."""

from __future__ import annotations

import argparse
from pathlib import Path

COMMAND = ("gen", "track2")
HELP = ("Generate synthetic Track 2 inputs (all nine scenarios) with espeak-ng voices: input wav, _sentence.json, "
        "clean input, word transcripts and a manifest, in the dev or test layout. Same seed, same bytes.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    from humdial.generate.llm_scripts import add_llm_arguments

    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--lang", default="en,zh", help="languages, comma-separated (en, zh)")
    p.add_argument("--n", type=int, default=10,
                   help="samples per scenario per language; Third-party Speech splits them 1:1 between after and "
                        "before (ceil(n/2) each); total = (8n + 2 ceil(n/2)) x languages")
    p.add_argument("--seed", type=int, default=0, help="random seed: same seed, same files")
    p.add_argument("--layout", choices=["dev", "test"], default="dev",
                   help="dev: <lang>/<Scenario>/<stem>*; test: flat test-/clean- files with pairing.jsonl")
    p.add_argument("--snr", type=float, default=None, help="add stationary room noise at this SNR in dB (default: none)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    add_llm_arguments(p)
    p.add_argument("--bank-report", action="store_true",
                   help="print how many distinct scripts the banks produce per scenario and language, then exit")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from humdial.commands.gen_track1 import finish, parse_langs
    from humdial.generate.driver import generate_track2

    if args.bank_report:
        from humdial.generate.report import DRAWS, print_report, track2_sizes

        print_report("Track 2 banks", track2_sizes(parse_langs(args.lang), DRAWS, args.seed), DRAWS)
        return 0
    from humdial.generate.llm_scripts import writer_from_args

    summary = generate_track2(args.out, parse_langs(args.lang), args.n, args.seed, args.layout, args.jobs,
                              args.snr, args.quiet, llm=writer_from_args("track2", args))
    return finish(summary)
