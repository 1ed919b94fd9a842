"""humdial demo: generate a small benchmark for both tracks, run both baselines, evaluate, write the report."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import add_jobs, add_lang, add_seed

COMMAND = ("demo",)
HELP = ("The whole pipeline in a few minutes, offline: fresh synthetic data for both tracks (en, zh), both "
        "baselines, evaluation with the proxy judge, and runs/demo/report.html with the scoreboard.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("runs/demo"), help="run directory")
    p.add_argument("--n", type=int, default=3, help="items per scenario/task and language for the generators")
    add_lang(p, default="en,zh")
    add_seed(p, default=2026)
    add_jobs(p, default=2)
    p.add_argument("--quiet", action="store_true", help="fewer progress bars")


def run(args: argparse.Namespace) -> int:
    from humdial.pipeline.demo import DemoOptions, run_demo

    result = run_demo(DemoOptions(out=args.out, n=args.n, langs=args.lang, seed=args.seed, jobs=args.jobs, quiet=args.quiet))
    return 0 if not any(s.status == "failed" for s in result.stages) else 1
