"""Human-readable Track 2 tables for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from humdial.protocol import track2 as registry


def _fmt(x, digits: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, dict):
        x = x.get("mean")
        if x is None:
            return "-"
    return f"{x:.{digits}f}"


def print_results(results: dict, console: Console | None = None) -> None:
    console = console or Console()
    mode = results["mode"]
    block = results[mode]
    for lang, units in results["units"].items():
        table = Table(title=f"Track 2 [{lang}] mode={mode}", title_justify="left")
        for col in ("unit", "n", "errors", "headline", "stop s", "resp s", "first resp s", "notes"):
            table.add_column(col, justify="right" if col not in ("unit", "notes") else "left")
        for u in registry.units():
            v = units.get(u.key)
            if v is None:
                continue
            m = v[mode]
            notes = m.get("pending", "")
            if mode == "strict":
                notes = f"early={m['early_starts']} no_resp={m['no_response']} silent={m['silent_outputs']}"
            table.add_row(u.key, str(v["n_samples"]), str(v["n_samples"] - v["n_ok"]), _fmt(m.get("headline")),
                          _fmt(m.get("stop_latency")), _fmt(m.get("response_latency")),
                          _fmt(m.get("first_response_delay")), notes)
        console.print(table)
        lb = block["languages"][lang]
        console.print(f"  interruption total {lb['interruption_total']}  rejection total {lb['rejection_total']}  "
                      f"total delay {lb['total_delay_s']}")
    ov = block["overall"]
    console.print(f"[bold]overall ({ov.get('scope')})[/bold]: interruption {ov.get('interruption_total')}  "
                  f"rejection {ov.get('rejection_total')}  total delay {ov.get('total_delay_s')} s  "
                  f"delay score {ov.get('delay_score')}  final {ov.get('final_score')}")
    if results.get("pending"):
        console.print(f"[yellow]pending ({len(results['pending'])}):[/yellow] judge-based values are not computed "
                      "by this run; totals that need them are shown as None.")
    c = results["counts"]
    if c["with_errors"]:
        console.print(f"[red]{c['with_errors']} of {c['samples']} samples have errors[/red]: {c['errors_by_kind']}")
