"""`humdial rubric import`: turn the organisers' Track 1 prompts in a local checkout into humdial rubric files."""

from __future__ import annotations

import argparse

from humdial.commands.options import add_out

COMMAND = ("rubric", "import")
HELP = "write the official Track 1 judge templates from a local Hum-Dial checkout as rubric files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--official-repo", required=True, help="local checkout of ASLP-lab/Hum-Dial")
    add_out(parser, "folder for the rubric files (pass it to eval track1 --rubric)")


def run(args: argparse.Namespace) -> int:
    from humdial.judge.rubric_import import import_official

    for item in import_official(args.official_repo, args.out):
        how = "{{ }} un-escaped" if item.unescaped else "kept as written (not a format string)"
        print(f"{item.task.code}: {item.path} from {item.variable} ({how}; sha256 {item.sha256[:12]})")
    print(f"use: humdial eval track1 --mode official --rubric {args.out} ...")
    return 0
