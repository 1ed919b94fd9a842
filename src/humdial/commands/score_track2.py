"""humdial score track2: recompute totals, delay score and final score from per-scenario values."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from humdial.commands.options import add_mode

COMMAND = ("score", "track2")
HELP = ("Recompute Track 2 totals, delay score and final score from per-scenario values "
        "(a scenario-values JSON, see docs, or a track2_results.json).")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="scenario-values JSON or track2_results.json")
    add_mode(p, "which block of a track2_results.json to use")
    p.add_argument("--json", dest="json_out", type=Path, default=None, help="also write the scores here")


def run(args: argparse.Namespace) -> int:
    from humdial.scoring.scenario_file import load_scenario_file, score_scenarios

    scen, params = load_scenario_file(args.file, args.mode)
    scores = score_scenarios(scen, params)
    for lang, block in scores["languages"].items():
        print(f"[{lang}] interruption {block['interruption_total']}  rejection {block['rejection_total']}  "
              f"total delay {block['total_delay_s']}")
        if block["missing"]:
            print(f"      missing: {', '.join(block['missing'])}")
    ov = scores["overall"]
    print(f"overall ({ov.get('scope')}): interruption {ov.get('interruption_total')}  rejection "
          f"{ov.get('rejection_total')}  total delay {ov.get('total_delay_s')} s  delay score "
          f"{ov.get('delay_score')}  final {ov.get('final_score')}")
    if args.json_out:
        args.json_out.write_text(json.dumps(scores, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0
