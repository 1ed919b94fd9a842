"""`humdial submit check track1|track2 PATH`: validate a submission folder or zip, listing every problem."""

from __future__ import annotations

import argparse
import json

COMMAND = ("submit", "check")
HELP = "validate a submission (folder or zip) against the official layout; prints every problem at once"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("track", choices=["track1", "track2"])
    parser.add_argument("path", help="submission folder or zip (HD-Track1.zip / HD-Track2.zip)")
    parser.add_argument("--gold", help="track1: gold test set (HD-Track1-Test folder) to check that every item is answered")
    parser.add_argument("--test-set", help="track2: test set folder (test-*.wav, clean-*.wav, pairing.jsonl)")
    parser.add_argument("--t3-turn", choices=["second", "last"], default="second",
                        help="track1: rule picking the Task 3 evaluated turn, whose audio is then required")
    parser.add_argument("--exclusions", default="published",
                        help="track1: 'published', 'none', or a file of excluded dialogue ids")
    parser.add_argument("--json", help="also write the report as JSON to this file")


def run(args: argparse.Namespace) -> int:
    from humdial.errors import UnsafeArchiveError

    try:
        if args.track == "track1":
            from humdial.submit.track1 import check_track1
            from humdial.protocol.track1_exclusions import load_exclusions

            report = check_track1(args.path, args.gold, exclusions=load_exclusions(args.exclusions),
                                  t3_rule=args.t3_turn)
        else:
            from humdial.submit.track2 import check_track2

            report = check_track2(args.path, args.test_set)
    except UnsafeArchiveError as exc:
        print(f"ERROR   {args.path}: unsafe archive, nothing extracted: {exc}")
        return 1
    print(report.render())
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report.to_dict(), handle, ensure_ascii=False, indent=2)
    return 0 if report.ok else 1
