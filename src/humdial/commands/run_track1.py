"""humdial run track1: the emotion-aware Track 1 baseline over a data set, written as an HD-Track1 submission."""

from __future__ import annotations

import argparse
from pathlib import Path

from humdial.commands.options import add_jobs, add_out
from humdial.results import paths

COMMAND = ("run", "track1")
HELP = ("Answer every Track 1 dialogue (<lang>/HD-Track1-T{1,2,3}.jsonl under --data) with the emotion-aware "
        "baseline; writes OUT/HD-Track1 (JSONL, Task 3 audio, PDF), timelines and emotion accuracy.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", required=True, type=Path, help="Track 1 data root (test layout or task*.jsonl)")
    add_out(p, "output folder (the submission goes to OUT/HD-Track1)")
    p.add_argument("--responder", default="offline",
                   help="offline (deterministic templates), openai:MODEL@URL, or gguf:PATH (extra 'llm')")
    p.add_argument("--no-encoder", action="store_true", help="emotion from lexicon, tags and voice only (faster)")
    p.add_argument("--user-text", choices=["auto", "transcript", "audio"], default="auto",
                   help="the user's words: audio = ASR of each user wav (what a real participant has; the "
                        "ASR of --asr), transcript = the data's script text (an upper bound), auto = audio when "
                        "every user turn has a wav on disk, else transcript (default: auto)")
    from humdial.asr.registry import add_asr_arguments

    add_asr_arguments(p)
    add_jobs(p)
    p.add_argument("--force", action="store_true",
                   help="answer every dialogue again (without it, a re-run reuses each dialogue an earlier run "
                        "finished from the same input lines, user audio and settings, and redoes the rest)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from humdial.empathy.hearing import HearingOptions
    from humdial.empathy.runner import Track1RunOptions, run_track1

    if not args.data.is_dir():
        print(f"error: {args.data} is not a directory")
        return 2
    result = run_track1(Track1RunOptions(data=args.data, out=args.out, responder=args.responder,
                                         encoder=not args.no_encoder, jobs=args.jobs, quiet=args.quiet,
                                         force=args.force,
                                         hearing=HearingOptions(args.user_text, tuple(args.asr or ()),
                                                                "" if args.no_asr_cache else args.asr_cache,
                                                                args.asr_threads)))
    reused = f"; {result.reused} dialogues reused from an earlier run (same inputs and settings)" if result.reused else ""
    print(f"user's words: {result.user_text}")
    print(f"answered {result.dialogues} dialogues ({result.turns} turns){reused}; submission: {args.out / 'HD-Track1'}")
    if result.accuracy:
        print("emotion label accuracy against the data's gold labels: "
              + ", ".join(f"{k} {v:.3f}" for k, v in result.accuracy.items()))
    if result.errors:
        print(f"{len(result.errors)} item error(s); see {args.out / paths.ERRORS}")
    return 1 if result.errors else 0
