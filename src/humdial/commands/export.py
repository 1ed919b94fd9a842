"""humdial export samples RUN | lhotse DATA: hand a run's per-sample rows or generated data to other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from humdial.commands.options import add_out

COMMAND = ("export",)
HELP = ("Export per-sample rows of a run directory (`export samples RUN --format jsonl|csv`, with each Track 2 "
        "sample's verdict and reason) or generated Track 2 data as lhotse manifests "
        "(`export lhotse DATA --out DIR`: RecordingSet, SupervisionSet, one Cut per sample; needs the lhotse extra).")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["samples", "lhotse"], help="samples: per-sample rows; lhotse: manifests")
    p.add_argument("source", type=Path, help="samples: a run directory; lhotse: a Track 2 data folder (dev layout)")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="samples: row format")
    add_out(p, "samples: file to write (default: stdout); lhotse: folder for the manifests (required)",
            required=False)


def run(args: argparse.Namespace) -> int:
    if args.what == "samples":
        from humdial.report.export import sample_rows, write_rows

        if not args.source.is_dir():
            print(f"error: {args.source} is not a directory", file=sys.stderr)
            return 2
        rows, notes = sample_rows(args.source)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        if args.out is None:
            write_rows(rows, sys.stdout, args.format)
        else:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with args.out.open("w", encoding="utf-8", newline="") as fh:
                write_rows(rows, fh, args.format)
            print(f"{len(rows)} rows -> {args.out}", file=sys.stderr)
        return 0 if rows else 1
    from humdial.layouts.lhotse import export_lhotse

    if args.out is None:
        print("error: export lhotse needs --out DIR", file=sys.stderr)
        return 2
    result = export_lhotse(args.source, args.out)
    for item in result.skipped:
        print(f"skipped {item['sample_id']}: {item['reason']}", file=sys.stderr)
    print(f"{result.cuts} cuts, {result.supervisions} supervisions -> {result.out}", file=sys.stderr)
    return 0 if result.cuts else 1
