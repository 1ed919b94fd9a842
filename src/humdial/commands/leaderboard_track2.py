"""humdial leaderboard track2: place a result among the published Track 2 rows."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import add_mode, table_console

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


PUBLISHED_FACTS = ("LLM (organisers)", "official test", "en+zh")
"""What every published row is: judged by the organisers, on the official test set, both languages."""


def run(args: argparse.Namespace) -> int:
    from rich.markup import escape
    from rich.table import Table

    from humdial.errors import HumdialError
    from humdial.scoring.leaderboard import Row, place, published_rows, run_facts
    from humdial.scoring.scenario_file import load_scenario_file, score_scenarios

    scen, params = load_scenario_file(args.results, args.mode)
    scored = score_scenarios(scen, params)
    ov = scored["overall"]
    raw = _results_dict(args.results)
    needed = ("interruption_total", "rejection_total", "total_delay_s")
    if any(ov.get(k) is None for k in needed):
        raise HumdialError(f"cannot place {args.results} on the leaderboard: "
                           f"{missing_reason(raw, args.mode, scored)}")
    ours = Row(args.name, ov["interruption_total"], ov["rejection_total"], ov["total_delay_s"], ours=True)
    facts = run_facts(raw)
    rows, at, would = place(published_rows(args.fdbench), ours, params, facts, recompute_l_min=not args.keep_l_min)
    table = Table(title=escape(f"Track 2 leaderboard [{ov['scope']}] mode {args.mode} (published rows: official test "
                               f"set, organisers' LLM judge, both languages; '{args.name}' is scored on {ov['scope']})"),
                  title_justify="left")
    for col in ("#", "team", "judge", "data", "langs", "samples", "interruption", "rejection", "delay s",
                "delay score", "final", "published final"):
        table.add_column(col, overflow="fold")  # a narrow terminal wraps a caveat, never cuts it to "…"

    def add(rank_text: str, r: Row, style: str | None = None) -> None:
        judge, data, langs, n = ((_judge_word(facts), _data_word(facts), facts.languages,
                                  "?" if facts.samples is None else str(facts.samples)) if r.ours
                                 else (*PUBLISHED_FACTS, "-"))
        table.add_row(rank_text, escape(r.team), judge, data, langs, n, f"{r.interruption_total:.1f}",
                      f"{r.rejection_total:.1f}", f"{r.total_delay_s:.3f}", f"{r.delay_score:.1f}", f"{r.final:.1f}",
                      "-" if r.published_final is None else f"{r.published_final:.1f}", style=style)

    for i, r in enumerate(rows, 1):
        add(str(i), r, "bold green" if r.ours else None)
    if at is None:
        table.add_section()
        add("apart", ours, "bold yellow")
    table_console().print(table)
    if at is None:
        print(f"'{args.name}' is set apart, not ranked: only an LLM-judged run on the official test layout with both "
              f"languages and no failed sample is ranked among the published rows ({facts.caveat()}). "
              f"Its figures would sit near #{would}, a rough indication only.")
    return 0


def _judge_word(facts) -> str:
    return "proxy" if facts.proxy else ("LLM" if facts.judge.startswith("LLM") else facts.judge.split(" ")[0])


def _data_word(facts) -> str:
    if facts.data == "official test layout":
        return "official test"
    return "own synthetic/dev" if facts.data.startswith("own") else "unknown"


def missing_reason(results: dict | None, mode: str, scored: dict) -> str:
    """Why the totals a placement needs are missing: the results file's own reasons when it has them
    (schema 2), else the scenario values each language lacks."""
    overall = scored["overall"]
    block = (results or {}).get(mode) or {}
    reasons = ((block.get("overall") or {}).get("unavailable") or {}) if isinstance(block, dict) else {}
    missing = [k for k in ("interruption_total", "rejection_total", "total_delay_s") if overall.get(k) is None]
    if reasons:
        return "; ".join(reasons[k]["why"] if k in reasons else k.replace("_", " ") for k in missing)
    lacking = "; ".join(f"{lang}: {', '.join(b['missing'])}" for lang, b in scored["languages"].items()
                        if b.get("missing"))
    return (f"it has no {', '.join(k.replace('_', ' ') for k in missing)} (scope {overall.get('scope')}); values "
            f"missing from the file (no reasons recorded in it): {lacking or 'none given'}")


def _results_dict(path: Path) -> dict | None:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
