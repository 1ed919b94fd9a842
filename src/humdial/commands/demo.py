"""humdial demo: generate a small benchmark for both tracks, run both baselines, evaluate, write the report."""

from __future__ import annotations

import argparse
from pathlib import Path

COMMAND = ("demo",)
HELP = ("The whole pipeline in a few minutes, offline: fresh synthetic data for both tracks (en, zh), both "
        "baselines, evaluation with the proxy judge, and runs/demo/report.html with the scoreboard.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("runs/demo"), help="run directory")
    p.add_argument("--n", type=int, default=3, help="items per scenario/task and language for the generators")
    p.add_argument("--lang", default="en,zh", help="languages, comma-separated")
    p.add_argument("--seed", type=int, default=2026, help="data generation seed")
    p.add_argument("--jobs", type=int, default=2, help="parallel worker processes")
    p.add_argument("--quiet", action="store_true", help="fewer progress bars")


def run(args: argparse.Namespace) -> int:
    from humdial.pipeline.demo import DemoOptions, run_demo

    langs = tuple(x.strip() for x in args.lang.split(",") if x.strip())
    result = run_demo(DemoOptions(out=args.out, n=args.n, langs=langs, seed=args.seed, jobs=args.jobs, quiet=args.quiet))
    return 0 if not any(s.status == "failed" for s in result.stages) else 1
