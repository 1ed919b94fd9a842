"""Benchmark: a whole `eval track2` (all stages, proxy judge) cold and warm, in x real time.

Generates a fresh dev set in both languages (`gen track2`), runs the baseline agent on it
(`run track2`), then times `eval track2` twice into the same run directory:
- cold: an empty ASR cache (a private folder via --asr-cache) and an empty run directory;
- warm: the same command again (transcripts, VAD segments and verdicts all come from the caches).

x real time = seconds of all audio files under the data folder (inputs, outputs, clean files) / wall
seconds. Targets (issue 16): cold >= 50x on 2 cores, warm <= 5 % of cold. The machine may be shared:
the load average is printed before and after, so a slow figure can be read against it.

    python benchmarks/eval_speed.py [--n 1] [--lang en,zh] [--jobs 2] [--executor local|ray] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf


def humdial(*args: str) -> float:
    """Run one CLI command quietly; returns its wall seconds (raises on a non-zero exit)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "humdial", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def audio_seconds(root: Path) -> tuple[int, float]:
    files = sorted(root.rglob("*.wav"))
    return len(files), sum(sf.info(str(f)).duration for f in files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1, help="samples per scenario per language (gen track2 --n)")
    ap.add_argument("--lang", default="en,zh")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--executor", default="local", choices=("local", "ray"))
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temporary one)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="humdial-eval-speed-"))
    data, run, cache = work / "data", work / "run", work / "asr_cache"
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if not data.exists():
        humdial("gen", "track2", "--out", str(data), "--n", str(args.n), "--lang", args.lang, "--quiet",
                "--jobs", str(args.jobs))
        humdial("run", "track2", "--data", str(data), "--out", str(data), "--lang", args.lang, "--quiet",
                "--jobs", str(args.jobs))
    count, seconds = audio_seconds(data)
    eval_args = ["eval", "track2", "--data", str(data), "--out", str(run), "--lang", args.lang,
                 "--judge", "proxy", "--asr-cache", str(cache), "--jobs", str(args.jobs), "--quiet"]
    if args.executor != "local":
        eval_args += ["--executor", args.executor]
    cold = humdial(*eval_args)
    warm = humdial(*eval_args)
    print(f"audio: {count} files, {seconds:.1f} s ({args.lang}, n={args.n}, jobs={args.jobs}, "
          f"executor={args.executor})")
    print(f"cold: {cold:.1f} s wall = {seconds / cold:.1f}x real time (target >= 50x on 2 cores)")
    print(f"warm: {warm:.1f} s wall = {seconds / warm:.1f}x real time; warm/cold = {warm / cold:.1%} "
          "(target <= 5%)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
