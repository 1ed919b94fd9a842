"""`humdial eval track1`: judge a Track 1 submission against the gold test set and compute the official finals."""

from __future__ import annotations

import argparse

from humdial.commands.options import (add_cache_mode, add_judge_concurrency, add_key_env, add_lang, add_mode,
                                      add_out, judge_settings)
from humdial.results import paths

COMMAND = ("eval", "track1")
HELP = "evaluate a Track 1 submission (folder or zip) against a gold test set"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, help="gold test set (HD-Track1-Test: <lang>/HD-Track1-T{1,2,3}.jsonl)")
    parser.add_argument("--submission", required=True, help="submission folder or HD-Track1.zip")
    add_out(parser, "run directory for track1_results.json and verdicts.jsonl")
    parser.add_argument("--judge", default="proxy",
                        help="proxy (offline, not comparable to official) or openai:MODEL@BASE_URL")
    add_key_env(parser, old=["--judge-key-env"])
    add_judge_concurrency(parser)
    add_cache_mode(parser, "verdict (LLM judges, in RUN_DIR/cache/judge)")
    parser.add_argument("--rubric", action="append", default=[], metavar="[T1|T2|T3=]FILE",
                        help="replace a task's rubric (repeatable); without T#=, the task comes from the rubric id; "
                             "a folder (e.g. from `humdial rubric import`) supplies every rubric file in it")
    parser.add_argument("--human-ratings", help="CSV dialogue_id,turn_id,rater,d2,d3 with human Task 3 D2/D3")
    parser.add_argument("--t3-turn", choices=["second", "last"], default="second",
                        help="Task 3 evaluated turn: second non-neutral (official code) or last non-neutral (README)")
    add_mode(parser, "Track 1: judge failures are left out of the means (official) or score 1 (strict)")
    parser.add_argument("--missing", choices=["min", "exclude"], default="min", help="unanswered items: score 1 or leave out")
    parser.add_argument("--no-language-rule", action="store_true", help="do not give wrong-language replies the minimum")
    parser.add_argument("--exclusions", default="published", help="'published', 'none', or a file of excluded ids")
    parser.add_argument("--numbering", choices=["new", "old"], default="new", help="task numbering of task*.jsonl files")
    add_lang(parser, default="zh,en")
    sampling = parser.add_argument_group("judge request (defaults: the --mode's; docs/official_vs_strict.md)")
    sampling.add_argument("--temperature", type=float, help="official 0.6, strict 0")
    sampling.add_argument("--top-p", type=float, help="official 0.95, strict not sent")
    sampling.add_argument("--top-k", type=int, help="sent in extra_body; official 20, strict not sent; 0 = not sent (servers that refuse it)")
    sampling.add_argument("--max-tokens", type=int, help="official 16384, strict 4096")
    sampling.add_argument("--judge-seed", type=int, help="official not sent, strict 1234")
    sampling.add_argument("--reasks", type=int, help="re-asks after an unparsable answer; official 0, strict 2")
    from humdial.evaluate.preflight import ALLOW_MISSING_HELP

    parser.add_argument("--allow-missing", default="0", metavar="N|N%|all",
                        help=ALLOW_MISSING_HELP.replace("system output", "reply"))
    parser.add_argument("--quiet", action="store_true", help="no preflight summary and no judge progress bar")


def _rubrics(specs: list[str]):
    from humdial.errors import HumdialError
    from humdial.judge.rubrics import load_rubric_file
    from humdial.protocol.track1_dimensions import RUBRIC_IDS

    by_code = {t.code: t for t in RUBRIC_IDS}
    by_id = {rid: t for t, rid in RUBRIC_IDS.items()}
    chosen = {}
    from pathlib import Path

    specs = [str(p) for spec in specs for p in (sorted(Path(spec).glob("*.txt")) if Path(spec).is_dir() else [spec])]
    for spec in specs:
        code, sep, path = spec.partition("=")
        if sep and code.upper() in by_code:
            task, rubric = by_code[code.upper()], load_rubric_file(path)
        else:
            rubric = load_rubric_file(spec)
            task = by_id.get(rubric.id)
            if task is None:
                raise HumdialError(f"rubric {spec}: cannot tell its task from id {rubric.id!r}; write T1=FILE, T2=... or T3=...")
        chosen[task] = rubric
    return chosen


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from humdial.evaluate.preflight import parse_allow_missing
    from humdial.evaluate.track1.pipeline import EvalOptions, evaluate
    from humdial.protocol.track1_exclusions import load_exclusions
    from humdial.evaluate.track1.human import load_human_ratings
    from humdial.evaluate.track1.table import print_summary

    options = EvalOptions(t3_rule=args.t3_turn, mode=args.mode, missing=args.missing,
                          language_rule=not args.no_language_rule, exclusions=load_exclusions(args.exclusions),
                          rubrics=_rubrics(args.rubric),
                          human=load_human_ratings(args.human_ratings) if args.human_ratings else None,
                          numbering=args.numbering, langs=args.lang,
                          sampling_overrides={"temperature": args.temperature, "top_p": args.top_p,
                                              "top_k": args.top_k, "max_tokens": args.max_tokens,
                                              "seed": args.judge_seed, "max_reasks": args.reasks},
                          allow_missing=parse_allow_missing(args.allow_missing), quiet=args.quiet,
                          probe_judge=True)
    from humdial.judge.spec import make_judge

    # the offline proxy is cheap and deterministic: only LLM verdicts are cached
    cache_dir = None if args.judge.strip() == "proxy" else paths.judge_cache_dir(Path(args.out))
    judge = make_judge(args.judge, track="track1", cache_dir=cache_dir,
                       cache_mode=args.cache_mode if cache_dir else "use", api_key_env=args.key_env,
                       settings=judge_settings(args))
    results = evaluate(args.gold, args.submission, judge, args.out, options)
    warning = results["provenance"]["prompts"].get("warning")
    if warning:
        print(f"note: {warning}")
    print_summary(results)
    print(f"wrote {Path(args.out) / paths.TRACK1_RESULTS}")
    return exit_code(results["counts"])


def exit_code(counts: dict) -> int:
    """docs/exit_codes.md (evaluate/track1/outcome.py decides); the reason goes to stderr."""
    import sys

    from humdial.evaluate.track1.outcome import track1_outcome

    outcome = track1_outcome(counts)
    if outcome.message():
        print(f"humdial: {'error: ' if outcome.judge_answered_nothing else ''}{outcome.message()}", file=sys.stderr)
    return outcome.exit_code
