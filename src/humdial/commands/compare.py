"""humdial compare RUN_A RUN_B [RUN_C ...]: is run B better than run A, and which samples changed?"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from humdial.commands.options import add_mode, add_out, table_console

COMMAND = ("compare",)
HELP = ("Compare runs of different systems on the same data, Track 2 and Track 1 (each track all the runs have): "
        "per language, scenario or task and headline the difference B - A over the shared samples with a paired "
        "bootstrap interval, and the samples whose verdict (Track 2) or outcome/scores (Track 1) changed; printed "
        "as tables on stdout and written as one HTML page with the changed samples side by side.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("runs", type=Path, nargs="+", metavar="RUN_DIR",
                   help="run directories (eval --out); every run after the first is compared with the first")
    add_out(p, "HTML page to write (default: compare.html)", required=False)
    add_mode(p, "default official, as in eval; Track 2 compares the results' block of that mode, Track 1 "
                "applies the mode's judge-failure policy (official: left out, strict: scored 1)")
    p.add_argument("--replicates", type=int, default=400, help="paired bootstrap replicates (default 400)")
    p.add_argument("--audio", choices=["auto", "embed", "link"], default="auto",
                   help="audio of the changed samples: embedded Ogg, relative links, or embedded up to a budget")
    p.add_argument("--all-rows", action="store_true",
                   help="print every row: first-response delays (Track 2), dimension means (Track 1); default: totals, "
                        "scenario headlines, task averages and finals")


NUMERIC = ("A", "B", "B - A", "95% CI", "B - A (mean score)")
"""Right-aligned columns (values); the rest are text, left-aligned."""
IDENTIFIERS = ("sample", "item", "value", "scenario", "task", "95% CI")
"""Columns not wrapped at spaces and never cut (ids stay copyable); if they must break, they fold."""
TRACK2_SUMMARY = ("headline (%)",)
"""Track 2 rows printed without --all-rows: the totals, and each scenario's headline."""
TRACK1_SUMMARY = ("average",)
"""Track 1 rows printed without --all-rows: task averages, and the finals (task "(final)")."""


def _print_table(console, title: str, headers: list[str], rows: list[list[str]], texts: tuple[int, ...] = ()) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(title), title_justify="left")
    for i, col in enumerate(headers):
        table.add_column(col, justify="left" if i in texts or col not in NUMERIC else "right",
                         no_wrap=col in IDENTIFIERS, overflow="fold" if col in IDENTIFIERS else "ellipsis")
    for r in rows:
        table.add_row(*[escape(x) for x in r])
    console.print(table)


def _few(n: int) -> str:
    from humdial.report.page import SMALL_SAMPLE

    return f" (fewer than {SMALL_SAMPLE}: intervals unreliable)" if n < SMALL_SAMPLE else ""


def _print_differences(console, track: str, unit: str, counted: str, pair, rows: list, headline: str,
                       summary: tuple[str, ...] | None) -> None:
    """One table per language of B - A rows (`difference_rows`): the headline row of each unit (`(total)`,
    `(final)`) and the `summary` values, or every row when `summary` is None (--all-rows)."""
    for lang in dict.fromkeys(r[0] for r in rows):
        _print_table(console, f"{track} compare [{lang}] mode={pair.mode}: B - A over {pair.shared} shared {counted}"
                     + _few(pair.shared),
                     [unit, "value", "A", "B", "B - A", "95% CI", "reading"],
                     [r[1:] for r in rows if r[0] == lang and (summary is None or r[1] == headline or r[2] in summary)])


def run(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from humdial.report.bootstrap import BootstrapConfig
    from humdial.report.compare import compare_all
    from humdial.report.compare_page import difference_rows, write_compare_page
    from humdial.report.compare_track1 import outcome

    if len(args.runs) < 2:
        print("error: give at least two run directories", file=sys.stderr)
        return 2
    print(f"comparing {len(args.runs)} runs ({args.replicates} paired bootstrap replicates)...", file=sys.stderr)
    cmp = compare_all(args.runs, args.mode, BootstrapConfig(replicates=args.replicates))
    for note in cmp.notes:
        print(f"note: {note}", file=sys.stderr)
    console = table_console()
    for pair in cmp.track2:
        console.print(escape(f"Track 2: A = {pair.a}\n         B = {pair.b}"), soft_wrap=True)
        _print_differences(console, "Track 2", "scenario", "samples", pair, difference_rows(pair.differences),
                           "(total)", None if args.all_rows else TRACK2_SUMMARY)
        _print_table(console, f"Track 2 verdict flips [all languages] mode={pair.mode}: {len(pair.flips)} sample(s)",
                     ["sample", "A", "B", "B: why"], [[f.sample_id, f.a.verdict, f.b.verdict, f.b.reason]
                                                      for f in pair.flips], texts=(1, 2))
    for pair1 in cmp.track1:
        console.print(escape(f"Track 1: A = {pair1.a}\n         B = {pair1.b}"), soft_wrap=True)
        for note in pair1.notes:
            print(f"note: {note}", file=sys.stderr)
        _print_differences(console, "Track 1", "task", "items", pair1, difference_rows(pair1.differences, "(final)"),
                           "(final)", None if args.all_rows else TRACK1_SUMMARY)
        _print_table(console, f"Track 1 changed items [all languages] mode={pair1.mode}: {len(pair1.changes)} item(s)",
                     ["item", "A", "B", "B - A (mean score)"],
                     [[c.item_id, outcome(c.a), outcome(c.b), "-" if c.diff is None else f"{c.diff:+.2f}"]
                      for c in pair1.changes], texts=(1, 2))
    out = write_compare_page(cmp, args.out or Path("compare.html"), audio=args.audio)
    print(f"comparison page: {out}", file=sys.stderr)
    return 0
