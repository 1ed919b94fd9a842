"""`humdial convert track1 --to osum-echat|opens2s`: Track 1 train/dev data -> a baseline's training JSONL."""

from __future__ import annotations

import argparse

from humdial.commands.options import add_out

COMMAND = ("convert", "track1")
HELP = "convert Track 1 train/dev JSONL (+ user audio) to OSUM-EChat raw JSONL or OpenS2S messages JSONL"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="folder with <lang>/task*.jsonl (or HD-Track1-T*.jsonl)")
    parser.add_argument("--to", required=True, choices=["osum-echat", "opens2s"], dest="target")
    add_out(parser, "JSONL file to write")
    parser.add_argument("--numbering", choices=["new", "old"], default="new",
                        help="task numbering of task*.jsonl names (old = before the 2025-10-10 renumbering)")
    parser.add_argument("--relative-paths", action="store_true", help="audio paths relative to the output file's folder (default: absolute)")
    parser.add_argument("--ranked-only", action="store_true", help="only Tasks 1-3")


def run(args: argparse.Namespace) -> int:
    from humdial.layouts.track1_convert import convert

    result = convert(args.data, args.out, args.target, args.numbering, not args.relative_paths, args.ranked_only)
    for error in result.errors:
        print(f"error: {error}")
    print(f"wrote {result.written} dialogue(s) to {args.out}; {len(result.errors)} problem(s)")
    print("note: speech-token fields are written empty; fill them from TTS reply audio with the model's tokenizer "
          "(S3Tokenizer for OSUM-EChat, GLM-4-Voice for OpenS2S)")
    return 1 if result.errors else 0
