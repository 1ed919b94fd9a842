"""humdial report RUN_DIR: one self-contained HTML page for a run directory."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import add_out

COMMAND = ("report",)
HELP = ("Write RUN_DIR/report.html: headline scores with bootstrap confidence intervals, per-scenario and "
        "per-language tables, leaderboard placement, latency distributions and a per-sample drill-down.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", type=Path, help="run directory holding track2_results.json and/or track1_results.json")
    add_out(p, "HTML file to write (default: RUN_DIR/report.html)", required=False)
    p.add_argument("--audio", choices=["auto", "embed", "link"], default="auto",
                   help="embed audio as base64 FLAC, link it by relative path, or embed up to --embed-budget-mb (auto)")
    p.add_argument("--embed-budget-mb", type=float, default=4.0, help="auto mode: most audio to embed, in MB")
    p.add_argument("--max-samples", type=int, default=40, help="samples drawn in the drill-down")
    p.add_argument("--replicates", type=int, default=400, help="bootstrap replicates for confidence intervals")
    p.add_argument("--title", default="humdial run report")


def run(args: argparse.Namespace) -> int:
    from humdial.report import ReportOptions, build_report
    from humdial.report.bootstrap import BootstrapConfig

    from humdial.errors import HumdialError
    from humdial.results import paths

    if not args.run_dir.is_dir():
        raise HumdialError(f"{args.run_dir} is not a directory")
    from humdial.report.load import load_run

    found = load_run(args.run_dir)  # cheap: the results files only; build_report reads them again
    if found.track2 is None and found.track1 is None:
        raise HumdialError(f"{args.run_dir} holds no readable {paths.TRACK2_RESULTS} or {paths.TRACK1_RESULTS}, so it "
                           f"is not a run directory ({'; '.join(found.notes)}); run `humdial eval track2|track1 --out "
                           "RUN_DIR` first. Nothing written")
    if args.max_samples < 0 or args.replicates < 0 or not args.embed_budget_mb >= 0:
        raise HumdialError("--max-samples, --replicates and --embed-budget-mb must not be negative")
    opts = ReportOptions(out=args.out, audio=args.audio, embed_budget_mb=args.embed_budget_mb,
                         max_samples=args.max_samples, bootstrap=BootstrapConfig(replicates=args.replicates),
                         title=args.title)
    try:
        path = build_report(args.run_dir, opts)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, UnicodeError) as exc:
        # a corrupt run folder (hand-edited or truncated results): a usage error naming the cause, no traceback
        # (pydantic's ValidationError is a ValueError)
        raise HumdialError(f"cannot read the run directory {args.run_dir}: {type(exc).__name__}: "
                           f"{str(exc)[:300]}") from None
    print(f"report: {path}")
    return 0
