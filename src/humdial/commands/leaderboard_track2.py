"""humdial leaderboard track2: place a result among the published Track 2 rows."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import add_mode

COMMAND = ("leaderboard", "track2")
HELP = ("Place a Track 2 result (track2_results.json or scenario-values JSON) among the published final "
        "leaderboard, recomputing every delay score against the field.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("results", type=Path, help="track2_results.json or scenario-values JSON")
    add_mode(p, "which block of a track2_results.json to use")
    p.add_argument("--name", default="this run", help="row label for the result")
    p.add_argument("--fdbench", action="store_true", help="include the FDBench-only rows (Gemini, Freeze-Omni, Moshi)")
    p.add_argument("--keep-l-min", action="store_true",
                   help="keep L_min at its configured value instead of the fastest row in the table")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from humdial.errors import HumdialError
    from humdial.scoring.leaderboard import Row, place, published_rows, run_facts
    from humdial.scoring.scenario_file import load_scenario_file, score_scenarios

    scen, params = load_scenario_file(args.results, args.mode)
    ov = score_scenarios(scen, params)["overall"]
    needed = ("interruption_total", "rejection_total", "total_delay_s")
    if any(ov.get(k) is None for k in needed):
        missing = [k for k in needed if ov.get(k) is None]
        raise HumdialError(f"the result has no {', '.join(missing)} yet (judge-based values pending?); "
                           "cannot place it on the leaderboard")
    ours = Row(args.name, ov["interruption_total"], ov["rejection_total"], ov["total_delay_s"], ours=True)
    facts = run_facts(_results_dict(args.results))
    rows, at, would = place(published_rows(args.fdbench), ours, params, facts, recompute_l_min=not args.keep_l_min)
    table = Table(title=f"Track 2 leaderboard (published rows: official test set, LLM judge; '{args.name}': "
                        f"{facts.caveat()}; scope {ov['scope']}, mode {args.mode})")
    for col in ("#", "team", "interruption", "rejection", "delay s", "delay score", "final", "published final"):
        table.add_column(col)
    shown = rows if at is not None else rows + [ours]
    for i, r in enumerate(shown, 1):
        style = "bold green" if r.ours else None
        rank_text = str(i) if not r.ours or at is not None else f"(apart; ~#{would})"
        table.add_row(rank_text, r.team, f"{r.interruption_total:.1f}", f"{r.rejection_total:.1f}",
                      f"{r.total_delay_s:.3f}", f"{r.delay_score:.1f}", f"{r.final:.1f}",
                      "-" if r.published_final is None else f"{r.published_final:.1f}", style=style)
    Console().print(table)
    if at is None:
        print(f"'{args.name}' is set apart, not ranked: only an LLM-judged run on the official test layout with both "
              f"languages and no failed sample is ranked among the published rows ({facts.caveat()}). "
              f"Its figures would sit near #{would}, a rough indication only.")
    return 0


def _results_dict(path: Path) -> dict | None:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
