"""Benchmark the baseline agent on a freshly generated Track 2 dev set (not a test: it prints figures).

Steps: `humdial gen track2` (new seed) -> `humdial run track2` (the agent, honest simulated clock)
-> `humdial eval track2` in official and strict modes with the offline proxy judge -> per-scenario
table, totals, the agent's real-time factor, and (with --failures) every failed sample with the
judge's reason and the agent's decisions from its event log.

Proxy judge: its RESPOND/RESUME tags are NOT comparable to official scores (an LLM judged those).

Targets (English, issue 6): interruption >= 90, rejection >= 75, total delay <= 0.6 s, RTF < 0.5 on 2 cores.

    python benchmarks/agent_track2.py --n 10 --seed 123 --lang en,zh --jobs 2 [--failures] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from humdial.results import paths
from humdial.results.track2 import Track2Results, load_track2_results
from humdial.results.verdicts import read_verdicts

TARGETS = {"interruption_total": (">=", 90.0), "rejection_total": (">=", 75.0), "total_delay_s": ("<=", 0.6)}
PASS_TAGS = {"follow_up": "C_RESPOND", "negation": "C_RESPOND", "repetition": "C_RESPOND", "topic_switch": "C_RESPOND",
             "stop": "C_RESPOND", "backchannel": "C_RESUME", "third_party.after": "C_RESUME",
             "speech_to_others": "C_RESUME"}


def humdial(*args: str) -> None:
    cmd = [sys.executable, "-m", "humdial", *args]
    print("$ humdial " + " ".join(args), flush=True)
    subprocess.run(cmd, check=False)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def table(results: Track2Results, mode: str) -> None:
    block = results.block(mode)
    for lang, scen in block.scenarios.items():
        print(f"\n[{mode}] {lang}")
        print(f"  {'scenario':18s} {'headline':>8s} {'1st delay':>9s} {'stop lat':>8s} {'resp lat':>8s}")
        for name, v in scen.items():
            def f(key: str) -> str:
                x = getattr(v, key)
                return f"{x:.3f}" if isinstance(x, (int, float)) else "-"
            print(f"  {name:18s} {f('headline'):>8s} {f('first_response_delay'):>9s} {f('stop_latency'):>8s} "
                  f"{f('response_latency'):>8s}")
        tot = block.languages[lang]
        marks = []
        for key, (op, target) in TARGETS.items():
            val = getattr(tot, key)
            ok = val is not None and (val >= target if op == ">=" else val <= target)
            marks.append(f"{key}={val} ({'meets' if ok else 'misses'} {op} {target})")
        print("  totals: " + "; ".join(marks))


def failures(eval_dir: Path, out_dir: Path, results: Track2Results) -> None:
    verdicts = {sid: v for (_, sid), v in read_verdicts(eval_dir / paths.VERDICTS).records.items()}
    print("\nfailed samples (proxy judge / timestamp rules), with the agent's decisions:")
    for s in results.samples:
        sid, unit = s.sample_id, s.unit
        diff = s.first_response.diff if s.first_response else None
        reason = None
        if unit in PASS_TAGS:
            v = verdicts.get(sid)
            if v and PASS_TAGS[unit] not in v.tags:
                reason = f"{', '.join(v.tags) or v.status}: {v.reason}"
        elif diff is not None and diff <= 0:
            reason = f"spoke {-diff:.2f}s before the anchor ended"
        if s.event and s.event.stop_latency and s.event.stop_latency > 1.0:
            reason = (reason + "; " if reason else "") + f"overlap {s.event.stop_latency:.2f}s (did not stop)"
        if not reason:
            continue
        print(f"- {sid}: {reason[:220]}")
        output = Path(s.files.get("output") or "")
        try:
            log = out_dir / paths.AGENT_LOGS_DIR / output.relative_to(out_dir).with_suffix(paths.AGENT_EVENTS_SUFFIX)
        except ValueError:
            continue
        if not log.exists():
            continue
        for line in log.read_text(encoding="utf-8").splitlines():
            e = json.loads(line)
            if e["type"] == "state":
                print(f"    {e['t']:7.3f} {e['from']:>13s} -> {e['to']:<13s} {e['reason'][:120]}")
            elif e["type"] == "transcript":
                print(f"    {e['t']:7.3f} transcript {e['text'][:100]!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10, help="samples per scenario per language")
    ap.add_argument("--seed", type=int, default=int(time.time()) % 100000, help="generator seed (default: fresh)")
    ap.add_argument("--lang", default="en,zh")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", default=None, help="work folder to keep (default: a temporary folder)")
    ap.add_argument("--skip-gen", action="store_true", help="reuse the data already in --keep")
    ap.add_argument("--failures", action="store_true", help="list failed samples with the agent's decisions")
    ap.add_argument("--responder", default="offline")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="humdial-agent-bench-"))
    data, out = work / "data", work / "out"
    print(f"work folder: {work} (seed {args.seed})")
    if not args.skip_gen:
        humdial("gen", "track2", "--out", str(data), "--lang", args.lang, "--n", str(args.n), "--seed",
                str(args.seed), "--jobs", str(args.jobs), "--quiet")
    t0 = time.perf_counter()
    humdial("run", "track2", "--data", str(data), "--out", str(out), "--lang", args.lang, "--jobs", str(args.jobs),
            "--responder", args.responder, "--quiet", "--force", "--self-transcripts")
    run_wall = time.perf_counter() - t0
    summary = load(out / paths.AGENT_RUN)
    for mode in ("official", "strict"):
        humdial("eval", "track2", "--data", str(data), "--outputs", str(out), "--out", str(work / f"eval_{mode}"),
                "--lang", args.lang, "--mode", mode, "--jobs", str(args.jobs), "--quiet")
    print("\nproxy judge: RESPOND/RESUME tags are NOT comparable to official (LLM-judged) scores")
    print("Chinese: no ASR model ships, so Chinese outputs are scored from the agent's own transcripts "
          "(--self-transcripts: synthesizer words and timings, not ASR); English outputs go through whisper")
    for mode in ("official", "strict"):
        path = work / f"eval_{mode}" / paths.TRACK2_RESULTS
        if not path.exists():
            print(f"[{mode}] no results ({path} missing)")
            continue
        results = load_track2_results(path)
        table(results, mode)
        overall = results.block(mode).overall
        print(f"  overall ({overall.scope}): final {overall.final_score} (delay score {overall.delay_score})")
    print(f"\nagent: {summary['ok']} outputs, {len(summary['errors'])} errors; real-time factor "
          f"{summary['rtf']} (compute {summary['compute_s']} s for {summary['audio_s']} s of audio, simulated clock, "
          f"{args.jobs} jobs on this machine); run wall time {run_wall:.1f} s")
    if args.failures and (work / "eval_official" / paths.TRACK2_RESULTS).exists():
        failures(work / "eval_official", out, load_track2_results(work / "eval_official" / paths.TRACK2_RESULTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
