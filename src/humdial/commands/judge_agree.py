"""`humdial judge agree RUN_A RUN_B`: how far two judges agree on the same samples."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

COMMAND = ("judge", "agree")
HELP = ("per-task and per-tag agreement and Cohen's kappa between two judges' verdicts "
        "(each RUN is a run directory holding verdicts.jsonl, or the file itself)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_a", metavar="RUN_A", help="run directory or verdicts.jsonl of judge A (table rows)")
    parser.add_argument("run_b", metavar="RUN_B", help="run directory or verdicts.jsonl of judge B (table columns)")
    parser.add_argument("--task", action="append", default=None,
                        help="compare only this task (repeatable); default: every task")
    parser.add_argument("--json", dest="json_out", default=None, help="also write the full report as JSON here")
    parser.add_argument("--confusion", action="store_true", help="print the confusion table of each task")


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _print_labels(title: str, stats: dict, confusion: bool) -> None:
    print(f"\n{title}: n={stats['n']}  agreement={_fmt(stats['agreement'])}  kappa={_fmt(stats['kappa'])}")
    print(f"  {'label':<24}{'A':>6}{'B':>6}{'both':>6}{'kappa':>8}")
    for label, row in stats["per_label"].items():
        print(f"  {label:<24}{row['a']:>6}{row['b']:>6}{row['both']:>6}{_fmt(row['kappa']):>8}")
    if confusion:
        labels = list(stats["confusion"])
        print("  confusion (rows A, columns B): " + " | ".join(labels))
        for label in labels:
            print(f"  {label:<24}" + "".join(f"{stats['confusion'][label][c]:>6}" for c in labels))


def run(args: argparse.Namespace) -> int:
    from humdial.judge.agreement import compare_logs, describe_log
    from humdial.results.verdicts import read_verdicts

    log_a, log_b = read_verdicts(args.run_a), read_verdicts(args.run_b)
    report = {"a": {"path": args.run_a, **describe_log(log_a)}, "b": {"path": args.run_b, **describe_log(log_b)},
              **compare_logs(log_a, log_b, args.task)}
    for side in ("a", "b"):
        info = report[side]
        print(f"{side.upper()}: {info['path']}  judge(s) {', '.join(info['judges']) or '-'}  "
              f"model(s) {', '.join(info['models']) or '-'}  rubric(s) {', '.join(info['rubrics']) or '-'}")
        if "proxy" in info["judges"]:
            print("   (proxy judge: not comparable to official scores)")
    for error in log_a.errors + log_b.errors:
        print(f"unreadable line: {error}")
    cov = report["coverage"]
    print(f"samples: {cov['in_both']} in both logs, {cov['compared']} compared (ok in both); "
          f"{cov['only_in_a']} only in A, {cov['only_in_b']} only in B, "
          f"{cov['not_ok_in_a_or_b']} failed in A or B, {cov['not_comparable']} with no shared tag/score")
    for task, stats in report["tasks"].items():
        if stats["kind"] == "tag":
            _print_labels(f"task {task}", stats, args.confusion)
        for dim, dim_stats in stats.get("dimensions", {}).items():
            _print_labels(f"task {task} / {dim} (mean |A-B| {_fmt(dim_stats['mean_abs_diff'])})",
                          dim_stats, args.confusion)
    if args.json_out:
        out = Path(args.json_out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"\nreport written to {out}")
    if cov["compared"] == 0:
        print("nothing to compare: no sample is judged ok in both logs")
        return 1
    return 1 if (log_a.errors or log_b.errors) else 0
