"""Human-readable Track 2 tables for the terminal: every table titled with its language and mode, numbers
formatted by unit (`humdial.report.fmt` rules: seconds 3 dp, percentages and totals 1 dp), never `None`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from humdial.protocol import track2 as registry

SECONDS_DP, PERCENT_DP = 3, 1
"""Display precisions (the same as the HTML report's; kept here because evaluate/ sits below report/)."""
MISSING = "-"


def _seconds(x) -> str:
    if isinstance(x, dict):
        x = x.get("mean")
    return MISSING if x is None else f"{x:.{SECONDS_DP}f}"


def _percent(fraction) -> str:
    return MISSING if fraction is None else f"{fraction * 100:.{PERCENT_DP}f}%"


def _total(x) -> str:
    return MISSING if x is None else f"{x:.{PERCENT_DP}f}"


def _notes(m: dict, mode: str) -> str:
    notes = [f"{key}: {r.get('cause') or r['why']}" for key, r in (m.get("unavailable") or {}).items()]
    if mode == "strict":
        counts = f"early={m['early_starts']} no_resp={m['no_response']} silent={m['silent_outputs']}"
        notes.insert(0, counts + (f" incomplete={m['incomplete']}" if m.get("incomplete") else ""))
    elif m.get("incomplete"):
        notes.insert(0, f"incomplete={m['incomplete']} (not checkable; left out by the official arithmetic)")
    return "; ".join(notes)


def print_results(results: dict, console: Console | None = None) -> None:
    console = console or Console()
    mode = results["mode"]
    block = results[mode]
    for lang, units in results["units"].items():
        table = Table(title=escape(f"Track 2 [{lang}] mode={mode}"), title_justify="left")
        columns = ["unit", "n", "errors"] + (["incomplete"] if mode == "strict" else []) + [
            "headline", "stop s", "resp s", "first resp s", "notes"]
        for col in columns:
            table.add_column(col, justify="right" if col not in ("unit", "notes") else "left")
        for u in registry.units():
            v = units.get(u.key)
            if v is None:
                continue
            m = v[mode]
            incomplete = [str(m.get("incomplete") or 0)] if mode == "strict" else []
            table.add_row(u.key, str(v["n_samples"]), str(v["n_samples"] - v["n_ok"]), *incomplete,
                          _percent(m.get("headline")), _seconds(m.get("stop_latency")),
                          _seconds(m.get("response_latency")), _seconds(m.get("first_response_delay")),
                          escape(_notes(m, mode)))
        console.print(table)
        lb = block["languages"][lang]
        console.print(escape(f"  [{lang}] mode={mode}: interruption total {_total(lb['interruption_total'])}  "
                             f"rejection total {_total(lb['rejection_total'])}  "
                             f"total delay {_seconds(lb['total_delay_s'])} s"), soft_wrap=True)
        for key, reason in (lb.get("unavailable") or {}).items():
            console.print(escape(f"    {key} unavailable [{reason['reason']}]: {reason['why']}"), soft_wrap=True)
        if lb.get("incomplete"):
            console.print(escape(f"    evaluation incomplete: {lb['incomplete']} sample(s) of {lang} could not be "
                                 "checked (no transcript or no judge verdict); strict values leave them out"),
                          soft_wrap=True)
    ov = block["overall"]
    console.print(f"[bold]overall ({escape(str(ov.get('scope')))}) mode={mode}[/bold]: "
                  f"interruption {_total(ov.get('interruption_total'))}  rejection {_total(ov.get('rejection_total'))}  "
                  f"total delay {_seconds(ov.get('total_delay_s'))} s  delay score {_total(ov.get('delay_score'))}  "
                  f"final {_total(ov.get('final_score'))}" + escape(_incomplete_tag(ov)), soft_wrap=True)
    final_why = (ov.get("unavailable") or {}).get("final_score")
    if final_why:
        console.print(escape(f"  final score unavailable [{final_why['reason']}]: {final_why['why']}"), soft_wrap=True)
    unavailable = results.get("unavailable") or []
    if unavailable:
        codes = sorted({u["reason"] for u in unavailable})
        console.print(f"[yellow]{len(unavailable)} value(s) cannot be computed[/yellow] (reasons: "
                      f"{escape(', '.join(codes))}); shown as {MISSING}, each with its reason above and in "
                      "`unavailable` of the results file.", soft_wrap=True)
    verdicts = [(s.get("verdict") or {}).get("verdict") for s in results.get("samples", [])]
    if verdicts:
        console.print(f"per-sample verdicts: {verdicts.count('passed')} passed, {verdicts.count('failed')} failed, "
                      f"{verdicts.count('incomplete')} incomplete (not checkable: no transcript or no judge verdict) "
                      "against the scenario criterion (`humdial export samples RUN` lists each with its reason)",
                      soft_wrap=True)
    c = results["counts"]
    if c["with_errors"]:
        console.print(f"[red]{c['with_errors']} of {c['samples']} samples have errors[/red]: "
                      f"{escape(str(c['errors_by_kind']))}")


def _incomplete_tag(block: dict) -> str:
    n = block.get("incomplete")
    return f"  [evaluation incomplete: {n} sample(s) not checked]" if n else ""
