"""A terminal summary of `track1_results.json`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_summary(results: dict, console: Console | None = None) -> None:
    console = console or Console()
    prov = results["provenance"]
    judge = prov["judge"]
    langs = ", ".join(results["per_language"]) or "no language"
    title = f"Track 1 [{langs}] mode={prov['mode']} (judge {judge.get('backend')}:{judge.get('model')})"
    table = Table(title=escape(title))
    for col in ("lang", "T1 avg", "T2 avg", "T3 D1", "T3 D2 (human)", "T3 D3 (human)", "final", "items / issues"):
        table.add_column(col)
    for lang, entry in results["per_language"].items():
        tasks = entry["tasks"]
        t3 = tasks.get("T3", {})
        human = t3.get("human", {})
        issues = sum(t.get("items", 0) for t in tasks.values())
        bad = sum(n for t in tasks.values() for k, n in t.get("status", {}).items() if k != "judge") \
            + sum(n for t in tasks.values() for n in t.get("item_errors", {}).values())
        table.add_row(lang, _fmt(tasks.get("T1", {}).get("avg")), _fmt(tasks.get("T2", {}).get("avg")),
                      _fmt(t3.get("dims", {}).get("textual_empathy_insight", {}).get("mean")),
                      _fmt(human.get("d2")), _fmt(human.get("d3")), _fmt(entry["final"]), f"{issues} / {bad}")
    console.print(table)
    overall = results["overall"]
    console.print(f"overall final: {_fmt(overall['official'])} ({overall['status']}); "
                  f"with judge audio dims (NOT official): {_fmt(overall['judge_audio'])}")
    if not prov.get("comparable_to_official", True):
        console.print(f"[yellow]note: {judge.get('note', 'proxy judge: not comparable to official scores')}[/yellow]")
    counts = results["counts"]
    console.print(f"items by status: {counts['status']}; verdicts: {counts['verdicts']}; "
                  f"load errors gold/submission: {counts['gold_load_errors']}/{counts['submission_load_errors']}")
    if counts.get("item_errors"):
        console.print("[yellow]item errors: " + ", ".join(f"{k} {v}" for k, v in sorted(counts["item_errors"].items()))
                      + " (each item's `errors` in track1_results.json says which file and why)[/yellow]")
