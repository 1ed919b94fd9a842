"""Benchmark: a whole `eval track2` (all stages, proxy judge), cold and warm, side by side for several engines.

Generates a fresh dev set (`gen track2`, then `run track2` with the baseline agent), then for each
configuration (default: `--jobs 1`, `--jobs 2`, Ray with 1 and 2 workers) times:
- cold: an empty ASR cache (a private folder via --asr-cache) and an empty run directory;
- warm: the same command again (transcripts, VAD segments and verdicts all come from the caches).
Every configuration gets its own ASR cache and run directory, so each cold run decodes everything.

x real time = seconds of all audio files under the data folder (inputs, outputs, clean files) / wall
seconds; samples/s = evaluated samples / wall seconds; x rt per CPU s = the same audio / the CPU seconds the
command and its workers used (what one idle core would sustain; 2 idle cores give at most twice it). Targets (issue 16): cold >= 50x on 2 cores,
warm <= 5 % of cold. The machine may be shared: the 1-minute load average is printed beside every
figure, so a slow one can be read against it. The results JSON of every run must agree (checked:
the table's per-sample figures are compared across configurations and between cold and warm).

    python benchmarks/eval_speed.py [--n 1] [--lang en,zh] [--configs local:1,local:2,ray:1,ray:2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far, their own children included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def humdial(*args: str) -> tuple[float, float]:
    """Run one CLI command quietly; returns its (wall seconds, CPU seconds). Exit 1 (some items or files not
    evaluated, e.g. the agent's log folder inside the data folder) is accepted: the results are still written
    and timed. CPU seconds count the command and the processes it waited for (local workers; a local Ray
    instance's workers are counted when Ray reaps them): unlike wall time, they barely change with the load
    other users put on a shared machine."""
    started, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run([sys.executable, "-m", "humdial", *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"humdial {' '.join(args[:2])} failed with exit {done.returncode}:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started, children_cpu() - cpu


def audio_seconds(root: Path, langs: list[str]) -> tuple[int, float]:
    """Wav files and seconds of audio of the evaluated languages (every file eval reads or could read)."""
    files = sorted(f for lang in langs for f in (root / lang).rglob("*.wav"))
    return len(files), sum(sf.info(str(f)).duration for f in files)


def load() -> float:
    return os.getloadavg()[0]


def figures(run: Path) -> tuple[int, str]:
    """(samples evaluated, a digest of every per-sample figure) of a run's results, for the agreement check."""
    results = json.loads((run / "track2_results.json").read_text(encoding="utf-8"))
    keep = ("sample_id", "first_response", "event", "stop_intervals", "response_intervals", "judge", "verdict",
            "errors")
    rows = [{k: s.get(k) for k in keep} for s in results["samples"]]
    return len(rows), json.dumps(rows, sort_keys=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1, help="samples per scenario per language (gen track2 --n)")
    ap.add_argument("--lang", default="en,zh")
    ap.add_argument("--configs", default="local:1,local:2,ray:1,ray:2",
                    help="comma list of EXECUTOR:JOBS (executor local or ray)")
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temporary one)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="humdial-eval-speed-"))
    data = work / "data"
    print(f"{os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start")
    if not data.exists():
        humdial("gen", "track2", "--out", str(data), "--n", str(args.n), "--lang", args.lang, "--quiet", "--jobs", "2")
        humdial("run", "track2", "--data", str(data), "--out", str(data), "--lang", args.lang, "--quiet", "--jobs", "2")
    count, seconds = audio_seconds(data, args.lang.split(","))
    print(f"data: {count} wav files, {seconds:.1f} s of audio ({args.lang}, n={args.n})")
    print(f"{'config':<10} {'run':<5} {'wall s':>8} {'x real time':>12} {'samples/s':>10} {'CPU s':>8} "
          f"{'x rt per CPU s':>15} {'load':>6}")
    reference = None
    for config in args.configs.split(","):
        executor, _, jobs = config.partition(":")
        run, cache = work / f"run-{executor}-{jobs}", work / f"asr-{executor}-{jobs}"
        eval_args = ["eval", "track2", "--data", str(data), "--out", str(run), "--lang", args.lang,
                     "--judge", "proxy", "--asr-cache", str(cache), "--jobs", jobs, "--quiet"]
        if executor != "local":
            eval_args += ["--executor", executor]
        walls = {}
        for kind in ("cold", "warm"):
            before = load()
            walls[kind], cpu = humdial(*eval_args)
            samples, digest = figures(run)
            reference = reference or digest
            agree = "" if digest == reference else "  RESULTS DIFFER from the first run"
            cpu_text = (f"{cpu:>8.1f} {seconds / max(cpu, 1e-9):>14.1f}x" if executor == "local"
                        else f"{'n/a':>8} {'n/a':>15}")
            print(f"{config:<10} {kind:<5} {walls[kind]:>8.1f} {seconds / walls[kind]:>11.1f}x "
                  f"{samples / walls[kind]:>10.2f} {cpu_text} {(before + load()) / 2:>6.1f}{agree}", flush=True)
        print(f"{config:<10} warm/cold = {walls['warm'] / walls['cold']:.1%} (target <= 5%)")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; targets: cold >= 50x real time "
          "on 2 cores, warm <= 5% of cold")


if __name__ == "__main__":
    main()
