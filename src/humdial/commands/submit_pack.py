"""`humdial submit pack track1|track2 RUN_DIR`: build HD-Track1.zip / HD-Track2.zip and check it."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import add_out

COMMAND = ("submit", "pack")
HELP = "build HD-Track1.zip / HD-Track2.zip from a run directory, then run the submission check on it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("track", choices=["track1", "track2"])
    parser.add_argument("run_dir", help="folder holding <lang>/HD-Track1-T*.jsonl (track1) or HD-Track2/ (track2)")
    add_out(parser, "zip to write (default: RUN_DIR/HD-Track1.zip or RUN_DIR/HD-Track2.zip)", required=False)
    parser.add_argument("--description", help="<Team>_System_Description.pdf to include")
    parser.add_argument("--gold", help="track1: gold test set, to check every item is answered")
    parser.add_argument("--test-set", help="track2: test set folder, to check every input has an output")


def run(args: argparse.Namespace) -> int:
    from humdial.submit.pack import pack_track1, pack_track2

    name = "HD-Track1.zip" if args.track == "track1" else "HD-Track2.zip"
    out = Path(args.out) if args.out else Path(args.run_dir) / name
    if args.track == "track1":
        result = pack_track1(args.run_dir, out, args.description, args.gold)
    else:
        result = pack_track2(args.run_dir, out, args.description, args.test_set)
    for note in result.notes:
        print(f"note: {note}")
    print(f"wrote {result.zip_path} ({len(result.members)} files)")
    print(result.check.render())
    if result.left_out:
        import sys

        print(f"humdial: error: {len(result.left_out)} output file(s) could not be packed (see the notes above); "
              "the zip lacks them", file=sys.stderr)
    return 0 if result.ok else 1
