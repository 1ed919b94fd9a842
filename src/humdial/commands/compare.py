"""humdial compare RUN_A RUN_B [RUN_C ...]: is run B better than run A, and which samples changed?"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from humdial.commands.options import add_mode, add_out

COMMAND = ("compare",)
HELP = ("Compare Track 2 runs of different systems on the same data: per scenario, language and headline the "
        "difference B - A over the shared samples with a paired bootstrap interval, and the samples whose "
        "verdict flipped; printed as tables and written as one HTML page with the flipped samples side by side.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("runs", type=Path, nargs="+", metavar="RUN_DIR",
                   help="run directories (eval track2 --out); every run after the first is compared with the first")
    add_out(p, "HTML page to write (default: compare.html)", required=False)
    add_mode(p, "the mode whose values are compared")
    p.add_argument("--replicates", type=int, default=400, help="paired bootstrap replicates")
    p.add_argument("--audio", choices=["auto", "embed", "link"], default="auto",
                   help="audio of the flipped samples: embedded FLAC, relative links, or embedded up to a budget")
    p.add_argument("--all-rows", action="store_true", help="print per-scenario rows too (default: totals only)")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from humdial.report.bootstrap import BootstrapConfig
    from humdial.report.compare import compare_runs
    from humdial.report.compare_page import difference_rows, write_compare_page

    if len(args.runs) < 2:
        print("error: give at least two run directories", file=sys.stderr)
        return 2
    print(f"comparing {len(args.runs)} runs ({args.replicates} paired bootstrap replicates)...", file=sys.stderr)
    sides, pairs = compare_runs(args.runs, args.mode, BootstrapConfig(replicates=args.replicates))
    console = Console()
    for pair in pairs:
        rows = difference_rows(pair)
        console.print(escape(f"A = {pair.a}\nB = {pair.b}"), soft_wrap=True)
        for lang in dict.fromkeys(r[0] for r in rows):
            table = Table(title=escape(f"compare [{lang}] mode={pair.mode}: B - A over {pair.shared} shared samples"),
                          title_justify="left")
            for col in ("scenario", "value", "A", "B", "B - A", "95% CI", "reading"):
                table.add_column(col, justify="left" if col in ("scenario", "value", "reading") else "right")
            for r in rows:
                if r[0] == lang and (args.all_rows or r[1] == "(total)"):
                    table.add_row(*[escape(str(x)) for x in r[1:]])
            console.print(table)
        flips = Table(title=f"verdict flips mode={pair.mode}: {len(pair.flips)} sample(s)", title_justify="left")
        for col in ("sample", "A", "B", "B: why"):
            flips.add_column(col)
        for f in pair.flips:
            flips.add_row(escape(f.sample_id), f.a.verdict, f.b.verdict, escape(f.b.reason))
        console.print(flips)
    out = write_compare_page(sides, pairs, args.out or Path("compare.html"), audio=args.audio)
    print(f"comparison page: {out}", file=sys.stderr)
    return 0
