"""humdial gen track1: synthetic Track 1 (emotional intelligence) dialogues with user-turn audio."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from humdial.commands.options import (add_cache_mode, add_executor, add_jobs, add_key_env,
                                      add_lang, add_out, add_seed, executor_spec)
from humdial.results import paths

COMMAND = ("gen", "track1")
HELP = ("Generate synthetic Track 1 dialogues (3-5 user turns, gold emotion per turn, reference replies) with "
        "emotional espeak-ng (or Piper) speech, in the train-style or HD-Track1-Test layout. Same seed and options, "
        "same bytes.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    from humdial.generate.llm_scripts import add_llm_arguments
    from humdial.generate.voices import add_voice_arguments

    add_out(p, "output folder")
    add_lang(p, default="en,zh")
    p.add_argument("--n", type=int, default=5,
                   help="dialogues per task, per turn count (3, 4, 5) and per language")
    add_seed(p)
    p.add_argument("--layout", choices=["train", "test"], default="train",
                   help="train: <lang>/task{T}_{N}/ + task{T}_{N}.jsonl; test: HD-Track1-Test/<lang>/HD-Track1-T{T}/")
    add_voice_arguments(p, track2=False)
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


def finish(summary) -> int:
    """Print the run summary; exit 1 when some items failed (listed in errors.jsonl)."""
    print(json.dumps(summary.as_dict()))
    rejected = sum((summary.llm or {}).get(k, 0) for k in ("invalid", "malformed", "failed"))
    if rejected:
        print(f"{rejected} LLM script(s) rejected; reasons in {summary.out / 'llm_rejected.jsonl'}")
    if summary.errors:
        print(f"{len(summary.errors)} item(s) failed; reasons in {summary.out / paths.ERRORS}")
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    from humdial.generate.driver import generate_track1

    if args.bank_report:
        from humdial.generate.report import DRAWS, print_report, track1_sizes

        print_report("Track 1 banks", track1_sizes(list(args.lang), DRAWS, args.seed), DRAWS)
        return 0
    from humdial.generate.llm_scripts import writer_from_args
    from humdial.generate.voices import options_from_args

    from humdial.execute.backend import use_executor

    with use_executor(executor_spec(args)):
        summary = generate_track1(args.out, list(args.lang), args.n, args.seed, args.layout, args.jobs,
                                  args.quiet, llm=writer_from_args("track1", args), overwrite=args.overwrite,
                                  voices=options_from_args(args))
    return finish(summary)
