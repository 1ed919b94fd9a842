"""humdial gen track2: synthetic Track 2 (full-duplex) inputs in the dev or test layout."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import (add_cache_mode, add_executor, add_jobs, add_key_env,
                                      add_lang, add_out, add_seed, executor_spec)

COMMAND = ("gen", "track2")
HELP = ("Generate synthetic Track 2 inputs (all nine scenarios) with espeak-ng or Piper voices, optional rooms and "
        "spread conditions: input wav, _sentence.json, clean input, word transcripts and a manifest, in the dev or "
        "test layout. Same seed and options, same bytes.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    from humdial.generate.llm_scripts import add_llm_arguments
    from humdial.generate.track2.noise_level import SNR_RANGE_DB
    from humdial.generate.voices import add_voice_arguments

    add_out(p, "output folder")
    add_lang(p, default="en,zh")
    p.add_argument("--n", type=int, default=10,
                   help="samples per scenario per language; Third-party Speech splits them 1:1 between after and "
                        "before (ceil(n/2) each); total = (8n + 2 ceil(n/2)) x languages")
    add_seed(p)
    p.add_argument("--layout", choices=["dev", "test"], default="dev",
                   help="dev: <lang>/<Scenario>/<stem>*; test: flat test-/clean- files with pairing.jsonl")
    p.add_argument("--snr", type=float, default=None,
                   help=f"add stationary room noise at this SNR in dB, {SNR_RANGE_DB[0]:g} to {SNR_RANGE_DB[1]:g} "
                        "(default: none)")
    add_jobs(p)
    add_executor(p)
    add_llm_arguments(p)
    add_key_env(p, old=["--llm-key-env"])
    add_cache_mode(p, "LLM answer", old=["--llm-cache-mode"])
    p.add_argument("--bank-report", action="store_true",
                   help="print how many distinct scripts the banks produce per scenario and language, then exit")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--overwrite", action="store_true",
                   help="write even though --out holds another data set (a folder gen made is emptied first)")
    add_voice_arguments(p)


def run(args: argparse.Namespace) -> int:
    from humdial.commands.gen_track1 import finish
    from humdial.generate.driver import generate_track2
    from humdial.generate.track2.noise_level import check_snr

    check_snr(args.snr)
    if args.bank_report:
        from humdial.generate.report import DRAWS, print_report, track2_sizes

        print_report("Track 2 banks", track2_sizes(list(args.lang), DRAWS, args.seed), DRAWS)
        return 0
    from humdial.generate.llm_scripts import writer_from_args
    from humdial.generate.voices import options_from_args

    from humdial.execute.backend import use_executor

    with use_executor(executor_spec(args)):
        summary = generate_track2(args.out, list(args.lang), args.n, args.seed, args.layout, args.jobs,
                                  args.snr, args.quiet, llm=writer_from_args("track2", args), overwrite=args.overwrite,
                                  voices=options_from_args(args))
    return finish(summary)
